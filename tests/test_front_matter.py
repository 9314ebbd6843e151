"""Tests of kzreport.front_matter: the YAML front matter becomes the right ``Metadata``, and
every bad key or value is refused at its line."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import yaml

from conftest import FIXTURES, SEED
from kzreport.front_matter import YAML_NON_PRINTABLE_START, _FrontMatterLoader
from kzreport.model import (
    Author,
    Link,
)
from kzreport.source import read_source
from source_helpers import (
    FRONT,
    KEY_POINTS,
    paper,
    the_problem,
    write,
)


def test_seed_parses_to_the_expected_metadata() -> None:
    meta = read_source(SEED).meta
    assert meta.title == "Kazakhstan’s Position in the War Between Russia and Ukraine"
    assert meta.authors == (Author("LTC Andrea ZANINI", "ITA A, Action Officer, CSAG CCJ5"),)
    assert meta.date == dt.date(2022, 6, 3)
    assert meta.organization == "USCENTCOM Combined Strategic Analysis Group (CSAG)"
    assert meta.links == (
        Link("Read the complete paper",
             "https://nesa-center.org/kazakhstans-position-in-the-war-between-russia-and-ukraine/"),
        Link("Other USCENTCOM CSAG papers", "https://nesa-center.org/"),
    )
    assert meta.disclaimer is not None
    assert meta.disclaimer.startswith("The opinions and conclusions expressed herein")
    assert meta.disclaimer.endswith("or any other governmental agency.")
    assert "\n" not in meta.disclaimer  # the folded block scalar is one paragraph
    assert meta.language == "en-US"
    assert meta.keywords[:3] == ("Kazakhstan", "Russia", "Ukraine")
    assert (meta.subtitle, meta.summary, meta.marking, meta.layout) == (None, None, None, None)


def test_cyrillic_marking_is_a_marking(tmp_path: Path) -> None:
    text = (FIXTURES / "source-kazakh.md").read_text(encoding="utf-8")
    path = write(tmp_path, text.replace("marking: UNCLASSIFIED", "marking: ҚҰПИЯ ЕМЕС"))
    assert read_source(path).meta.marking == "ҚҰПИЯ ЕМЕС"


def test_every_optional_key(tmp_path: Path) -> None:
    front = FRONT.replace("---\n", "", 1).replace("---\n", "")
    meta = paper(tmp_path, KEY_POINTS, "---\n" + front + (
        "subtitle: A neutral ally?\n"
        "organization: CSAG\n"
        "summary: |\n  One paragraph\n  over two lines.\n"
        "links:\n  - label: Write to us\n    url: mailto:csag@example.org\n"
        "disclaimer: Views are the authors' own.\n"
        "marking: SECRET//NOFORN\n"
        "language: kk-KZ\n"
        "keywords: [Kazakhstan, neutrality]\n"
        "layout: default\n"
        "---\n")).meta
    assert meta.subtitle == "A neutral ally?"
    assert meta.summary == "One paragraph over two lines."
    assert meta.links == (Link("Write to us", "mailto:csag@example.org"),)
    assert meta.marking == "SECRET//NOFORN"
    assert meta.language == "kk-KZ"
    assert meta.keywords == ("Kazakhstan", "neutrality")
    assert meta.layout == "default"


def test_a_summary_too_long_to_typeset_is_refused(tmp_path: Path) -> None:
    front = FRONT.replace("---\n", "---\nsummary: " + " ".join(["w"] * 5001) + "\n", 1)
    problem = the_problem(write(tmp_path, front + "\nBody.\n\n## Key Points\n\n- One.\n"))
    assert problem.line == 2 and problem.message == "summary of 5001 words"


def test_yaml_line_numbers_ignore_unicode_line_separators(tmp_path: Path) -> None:
    # YAML breaks lines at U+2028; editors, and so the error, count only real newlines.
    text = ('---\ntitle: "Kazakhstan\u2028Position"\nsubtitle: "x\u2028y"\nauthors: [A]\n'
            "date: 2022-06-03\nfoo: 1\n---\n" + KEY_POINTS)
    problem = the_problem(write(tmp_path, text))
    assert problem.line == 6 and "'foo'" in problem.message


def test_the_characters_refused_are_pyyamls_own() -> None:
    every = "".join(map(chr, range(0x110000)))
    pyyaml = re.compile(YAML_NON_PRINTABLE_START + "\x85\xa0-\ud7ff\ue000-\ufffd"
                        "\U00010000-\U0010ffff]")
    assert pyyaml.pattern == yaml.reader.Reader.NON_PRINTABLE.pattern
    assert _FrontMatterLoader.NON_PRINTABLE.findall(every) == pyyaml.findall(every)


def test_pyyamls_own_pattern_is_never_compiled_while_papers_are_read() -> None:
    # A fresh interpreter: this one may have compiled it.
    script = f"""
from kzreport.source import read_source
import yaml.reader
read_source(__import__("pathlib").Path({str(SEED)!r}))
pattern = yaml.reader.Reader.NON_PRINTABLE
assert type(pattern).__name__ == "LazyPattern" and not pattern.compiled
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stderr
