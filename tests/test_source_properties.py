"""Property-based tests of kzreport.source: whatever the front matter and Markdown hold, parsing
ends in a Document or in a SourceError whose problems are each one well-formed line."""

from __future__ import annotations

import datetime as dt
import re
import string
import tempfile
import unicodedata
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from kzreport.errors import SourceError
from kzreport.front_matter import FRONT_MATTER_KEYS
from kzreport.model import Document, walk
from kzreport.source import parse_source, read_source
from kzreport.source_checks import ILLEGAL_CHARS

SETTINGS = settings(max_examples=200, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
ERROR_LINE = re.compile(r"^(?P<path>.+?):(?P<line>[1-9]\d*)(?::[1-9]\d*)?: error: "
                        r"\S.*? — \S.*$")


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A paper's folder holding one good image, one damaged one and a sub-folder."""
    base = tmp_path_factory.mktemp("paper")
    Image.new("RGB", (3, 2), (200, 16, 46)).save(base / "pixel.png")
    (base / "img").mkdir()
    Image.new("L", (2, 2)).save(base / "img" / "grey.jpg", "JPEG")
    (base / "damaged.png").write_text("not an image")
    return base


def check_outcome(text: str, path: Path) -> Document | None:
    """Parse ``text``; assert it ends in a Document or in well-formed problems only."""
    try:
        document = parse_source(text, path)
    except SourceError as exc:
        assert exc.problems
        normalised = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
        last_line = normalised.count("\n") + 1
        for problem in exc.problems:
            line = str(problem)
            assert ERROR_LINE.fullmatch(line), f"not a one-line error: {line!r}"
            assert line.startswith(f"{path}:")
            assert not ILLEGAL_CHARS.search(line), f"unprintable character in {line!r}"
            assert problem.line is not None and 1 <= problem.line <= last_line, line
            assert len(line) < 1000
        return None
    assert isinstance(document, Document)
    assert document.meta.title and document.meta.authors
    for block in walk(document.blocks):
        assert block.line >= 1
    return document


# ---------------------------------------------------------------- front matter

SURROGATES = st.sampled_from(["\ud800", "\udbff\udc00", "\udfff", "\ufffe", "\x07", "\x00"])
# Mostly printable text, so that a control character (refused before anything else is looked
# at) does not hide every later check; the damage step and the arbitrary-text tests add them.
CLEAN = st.characters(exclude_categories=("Cc", "Cs"))
ANY_TEXT = st.text(CLEAN, max_size=40) | st.text(CLEAN, max_size=10).map(str.strip)
TEXT = ANY_TEXT | st.sampled_from(["Kazakhstan’s Position", "Қазақстан", "Astana: a view",
                                   "", " ", "- x", "*x", "&a", "!tag", "@", "`", "null", "yes",
                                   "2022-06-03", "https://example.org/", "javascript:alert(1)"])
SCALARS = (st.none() | st.booleans() | st.integers() | st.floats() | TEXT
           | st.dates() | st.datetimes())
KEYS = st.sampled_from(FRONT_MATTER_KEYS) | st.sampled_from(
    ["titel", "Title", "author", "name", "affiliation", "label", "url", "<<"]) | ANY_TEXT
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(KEYS, inner, max_size=4), max_leaves=12)
AUTHORS = st.lists(TEXT | st.fixed_dictionaries(
    {"name": TEXT}, optional={"affiliation": TEXT, "affilation": TEXT}), max_size=3)
LINKS = st.lists(st.fixed_dictionaries(
    {"label": TEXT, "url": st.sampled_from(["https://example.org/", "mailto:a@b.org", "ftp://x",
                                            "javascript:x", "data:,x", "", "https://", "x y",
                                            "http://[::1", "mailto:x"]) | TEXT}), max_size=3)


@st.composite
def structured_front_matter(draw: st.DrawFn) -> str:
    """Mostly-valid metadata, with random keys and values mixed in, dumped as YAML."""
    data: dict[Any, Any] = {}
    if draw(st.booleans()):
        data["title"] = draw(TEXT)
    if draw(st.booleans()):
        data["authors"] = draw(AUTHORS | VALUES)
    if draw(st.booleans()):
        data["date"] = draw(st.dates() | st.datetimes() | VALUES)
    if draw(st.booleans()):
        data["links"] = draw(LINKS)
    data.update(draw(st.dictionaries(KEYS, VALUES, max_size=4)))
    try:
        return yaml.safe_dump(data, allow_unicode=draw(st.booleans()),
                              default_flow_style=draw(st.sampled_from([None, False, True])),
                              sort_keys=False)
    except yaml.YAMLError:
        return "title: x\n"


YAML_PIECES = st.sampled_from([
    "title: Kazakhstan\n", "authors:\n", "  - Jane Doe\n", "  - name: Jane\n",
    "    affiliation: CSAG\n", "date: 2022-06-03\n", "date: 2022-13-45\n", "links:\n",
    "  - label: x\n    url: https://example.org/\n", "keywords: [a, b]\n", "marking: SECRET\n",
    "language: kk-KZ\n", "a: &a [1, 2]\n", "b: *a\n", "c: !!python/object:os.system x\n",
    "d: !custom x\n", "e: !!binary aGVsbG8=\n", "f: !!timestamp nonsense\n", "<<: {x: 1}\n",
    "? [a, b]\n: c\n", "title: \"unclosed\n", "title: 'x''y'\n", "\t- tab\n", "  bad indent\n",
    "- list item\n", "{flow: [map\n", "%TAG ! tag:x\n", "title: \"\\ud800\"\n",
    "title: \"\\x07\"\n", "title: \"\\N\"\n", "key: >-\n  folded\n  text\n", "key: |\n  lit\n",
    "title: \u2028x\n", "---\n", "...\n", "#\n", ": x\n", "-\n", "?\n", "!\n", "&\n", "*\n",
    "[[[[[[[[[[[[[[x]]]]]]]]]]]]]]\n", "x: " + "[" * 30 + "]" * 30 + "\n",
])


@st.composite
def front_matter(draw: st.DrawFn) -> str:
    kind = draw(st.integers(0, 3))
    if kind == 0:
        return draw(structured_front_matter())
    if kind == 1:
        return "".join(draw(st.lists(YAML_PIECES, max_size=12)))
    if kind == 2:
        return draw(st.text(CLEAN, max_size=200))
    lines = draw(st.lists(st.tuples(KEYS, TEXT), max_size=8))
    return "".join(f"{k}: {v}\n" for k, v in lines)


# ---------------------------------------------------------------- body

URLS = st.sampled_from(["https://example.org/a", "http://x.org", "mailto:a@b.org", "mailto:x",
                        "javascript:alert(1)", "file:///etc/passwd", "data:,x", "ftp://x",
                        "relative.html", "#anchor", "#key-points", "#section", "#section-1",
                        "#sec", "", "https://", "http://[::1", "<>",
                        "a b", "%00", "https://ex.org/%ZZ"])
IMAGE_SOURCES = st.sampled_from(["pixel.png", "img/grey.jpg", "damaged.png", "missing.png",
                                 "../pixel.png", "/etc/hosts", "https://example.org/a.png",
                                 "img", "", "a%00.png", "..%2Fpixel.png", "img/../pixel.png",
                                 "x" * 300 + ".png", "C:\\x.png", "//host/x.png"])
WORDS = st.text(string.ascii_letters + "ҚқӘәІіҢңҒғҮүҰұӨөҺһ ,.;!?'’-", min_size=1, max_size=20)
PLAIN = WORDS | st.text(CLEAN, max_size=15)


@st.composite
def inline(draw: st.DrawFn, depth: int = 0) -> str:
    kind = draw(st.integers(0, 17 if depth < 2 else 1))
    if kind <= 1:
        return draw(PLAIN)
    if kind == 16:  # a sub- or superscript holds plain text, spaces escaped
        mark = draw(st.sampled_from(["~", "^"]))
        return mark + draw(st.text(string.ascii_letters + "0-9+\\ ~^", min_size=1,
                                   max_size=4)) + mark
    if kind == 17:
        return draw(st.sampled_from(["[^a]", "[^b]", "[^1]", "[^zz]", "^[inline *note*]",
                                     "\\[^a]", "[^a]:"]))
    inner = draw(inline(depth + 1))
    if kind in (13, 14, 15):
        return f"~~{inner}~~"
    return {
        2: f"**{inner}**", 3: f"*{inner}*", 4: f"_{inner}_", 5: f"`{inner}`",
        6: f"[{inner}]({draw(URLS)})", 7: f"![{inner}]({draw(IMAGE_SOURCES)})",
        8: f"{inner}\\\n", 9: f"{inner}  \n", 10: draw(st.sampled_from(
            ["<b>", "</b>", "<span class='x'>", "<!-- c -->", "&amp;", "&#0;", "&#xD800;",
             "<https://example.org>", "<javascript:alert(1)>", "\\*", "***", "[x][ref]"])),
        11: f"{inner}\n", 12: f"***{inner}***",
    }[kind]


@st.composite
def paragraph(draw: st.DrawFn) -> str:
    return "".join(draw(st.lists(inline(), min_size=1, max_size=6))) + "\n"


@st.composite
def block(draw: st.DrawFn, depth: int = 0) -> str:
    kind = draw(st.integers(0, 13 if depth < 2 else 2))
    if kind <= 1:
        return draw(paragraph())
    if kind == 2:
        return "#" * draw(st.integers(1, 7)) + " " + draw(paragraph())
    if kind in (3, 4):
        marker = draw(st.sampled_from(["- ", "* ", "+ ", "1. ", "3) ", "0. ", "99. "]))
        items = draw(st.lists(block(depth + 1), min_size=1, max_size=3))
        return "".join(marker + item.replace("\n", "\n   ") + "\n" for item in items)
    if kind == 5:
        inner = draw(block(depth + 1))
        return "".join("> " + line + "\n" for line in inner.splitlines())
    if kind == 6:
        columns = draw(st.integers(1, 4))
        rule = "|" + "|".join(draw(st.sampled_from([":--", "--:", ":-:", "---", "-"]))
                              for _ in range(columns)) + "|\n"
        rows = draw(st.lists(st.lists(inline(2), min_size=1, max_size=5), min_size=1,
                             max_size=4))
        cells = ["| " + " | ".join(c.replace("\n", " ") for c in row) + " |\n" for row in rows]
        return cells[0] + rule + "".join(cells[1:])
    if kind == 7:
        return "```" + draw(st.sampled_from(["", "python", "yaml"])) + "\n" + draw(
            st.text(CLEAN, max_size=40)) + "\n```\n"
    if kind == 8:
        return draw(st.sampled_from(["---\n", "***\n", "___\n", "===\n", "    code\n"]))
    if kind == 9:
        return draw(st.sampled_from(["<div>\nx\n</div>\n", "<!-- note -->\n", "<script>\n",
                                     "<br/>\n", "[ref]: https://example.org\n"]))
    if kind == 10:
        return f"![{draw(PLAIN)}]({draw(IMAGE_SOURCES)} \"{draw(WORDS)}\")\n"
    if kind == 11:
        heading = draw(st.sampled_from(["## Key Points", "## key points:", "### Key Points",
                                        "# Key Points", "## KEY POINTS", "Key Points\n---"]))
        return heading + "\n\n" + draw(block(depth + 1))
    if kind == 12:
        items = draw(st.lists(paragraph(), min_size=0, max_size=3))
        return "## Key Points\n\n" + "".join("- " + item for item in items)
    if kind == 13:
        return draw(pandoc_block(depth))
    return draw(st.text(CLEAN, max_size=80))


@st.composite
def pandoc_block(draw: st.DrawFn, depth: int) -> str:
    """Issue 17's blocks: footnote definitions, definition lists, page breaks, headings with
    identifiers."""
    kind = draw(st.integers(0, 3))
    if kind == 0:
        label = draw(st.sampled_from(["a", "b", "1", "zz"]))
        paragraphs = draw(st.lists(paragraph(), min_size=0, max_size=2))
        return f"[^{label}]: " + "\n".join(p.replace("\n", "\n    ") for p in paragraphs) + "\n"
    if kind == 1:
        items = []
        for _ in range(draw(st.integers(1, 3))):
            term = draw(inline(2)).replace("\n", " ")
            definitions = draw(st.lists(block(depth + 1), min_size=1, max_size=2))
            marker = draw(st.sampled_from([":   ", "~   ", ": "]))
            items.append(term + "\n" + "".join(
                marker + d.replace("\n", "\n    ") + "\n" for d in definitions))
        return "\n".join(items)
    if kind == 2:
        return draw(st.sampled_from(["\\newpage\n", "\\pagebreak\n", "{{< pagebreak >}}\n",
                                     "x \\newpage\n"]))
    heading = draw(st.sampled_from(["## Sec", "## Section", "### Section", "## 2. Sec",
                                    "## Key Points", "## Sec {#sec}", "## A {#section}",
                                    "## B {#sec .x}", "## C {#1bad}", "## D {-}", "## E }"]))
    return heading + "\n"


@st.composite
def body(draw: st.DrawFn) -> str:
    blocks = draw(st.lists(block(), max_size=8))
    if draw(st.booleans()):
        blocks.insert(draw(st.integers(0, len(blocks))), "## Key Points\n\n- **Head.** Point.\n")
    return "\n".join(blocks)


@st.composite
def paper(draw: st.DrawFn) -> str:
    opening = draw(st.sampled_from(["---\n"] * 6 + ["--- \n", "\ufeff---\n", "", "\n---\n"]))
    closing = draw(st.sampled_from(["---\n"] * 6 + ["...\n", "", "--- x\n"]))
    fm = draw(front_matter())
    text = opening + fm + ("\n" if fm and not fm.endswith("\n") else "") + closing + draw(body())
    if draw(st.integers(0, 9)) == 0:  # damage it somewhere
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.text(max_size=5) | SURROGATES) + text[at:]
    if draw(st.integers(0, 9)) == 0:
        text = text.replace("\n", draw(st.sampled_from(["\r\n", "\r"])))
    return text


# ---------------------------------------------------------------- the properties

VALID_FRONT = "---\ntitle: T\nauthors:\n  - A\ndate: 2022-06-03\n---\n"


@SETTINGS
@given(text=paper())
def test_any_paper_parses_or_fails_cleanly(text: str, folder: Path) -> None:
    check_outcome(text, folder / "paper.md")


@SETTINGS
@given(fm=front_matter())
def test_any_front_matter_with_a_good_body(fm: str, folder: Path) -> None:
    check_outcome("---\n" + fm + "---\n\nBody.\n\n## Key Points\n\n- Point.\n",
                  folder / "paper.md")


@SETTINGS
@given(text=body())
def test_any_body_after_good_front_matter(text: str, folder: Path) -> None:
    document = check_outcome(VALID_FRONT + text, folder / "paper.md")
    if document is not None:
        assert document.meta.title == "T"


@SETTINGS
@given(text=st.text(max_size=300))
def test_arbitrary_text(text: str, folder: Path) -> None:
    check_outcome(text, folder / "paper.md")
    check_outcome(VALID_FRONT + text, folder / "paper.md")


@SETTINGS
@given(data=st.binary(max_size=300) | st.builds(lambda t: t.encode("utf-8", "surrogatepass"),
                                                st.text(max_size=200) | SURROGATES))
def test_arbitrary_bytes_on_disk(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as temp:
        path = Path(temp) / "paper.md"
        path.write_bytes(data)
        try:
            read_source(path)
        except SourceError as exc:
            for problem in exc.problems:
                assert ERROR_LINE.fullmatch(str(problem)), str(problem)


@SETTINGS
@given(title=st.text(min_size=1, max_size=60), when=st.dates(dt.date(1, 1, 1)))
def test_quoted_titles_and_any_date_round_trip(title: str, when: dt.date, folder: Path) -> None:
    front = yaml.safe_dump({"title": title, "authors": ["A"], "date": when},
                           allow_unicode=True)
    document = check_outcome("---\n" + front + "---\n\n## Key Points\n\n- P.\n",
                             folder / "paper.md")
    if document is not None:
        # The parser reads text in NFC, so a compatibility ideograph becomes its canonical one.
        assert document.meta.title == " ".join(unicodedata.normalize("NFC", title).split())
        assert document.meta.date == when
