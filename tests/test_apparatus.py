"""The sections the paged formats add around a paper: the contents list the acronyms and the
sources too, and every format's contents agree."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import FIXTURES
from kzreport.apparatus import ACRONYMS_ANCHOR, SOURCES_ANCHOR, contents, sources_heading
from kzreport.build import Options, build, prepare
from kzreport.verify import verify


def citing_paper_with_contents(folder: Path) -> Path:
    """The citations fixture asking for contents and an acronym list, in ``folder``."""
    shutil.copytree(FIXTURES / "citations", folder / "citations")
    text = (FIXTURES / "citations.md").read_text(encoding="utf-8")
    text = text.replace("date: 2024-05-01\n", "date: 2024-05-01\nlanguage: en-US\ntoc: true\n"
                        "acronyms:\n  EIA: Energy Information Administration\n", 1)
    source = folder / "paper.md"
    source.write_text(text, encoding="utf-8")
    return source


def test_the_contents_end_with_the_acronyms_and_the_sources(tmp_path: Path) -> None:
    document, layout = prepare(citing_paper_with_contents(tmp_path), None, tmp_path)
    heading = sources_heading(document, layout)
    assert heading is not None and heading.anchor == SOURCES_ANCHOR
    entries = contents(document, layout)
    assert [(e.text, e.anchor) for e in entries[-2:]] == [
        ("Acronyms", ACRONYMS_ANCHOR), ("Sources", SOURCES_ANCHOR)]


def test_a_citing_paper_with_contents_verifies_in_every_format(tmp_path: Path) -> None:
    # verify checks the brief's TOC field entries and each PDF contents line's page number.
    source = citing_paper_with_contents(tmp_path)
    out = tmp_path / "out"
    outcomes = build([source], Options(out_dir=out, formats=("docx", "pdf", "pptx"),
                                       cwd=tmp_path))
    assert not any(o.failed for o in outcomes)
    report = verify([source], out, (), None, tmp_path)
    assert not report.failed, [str(p) for p in report.problems]
