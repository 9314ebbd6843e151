"""The Markdown writer: whatever paper the parser accepts, writing its model back as source and
parsing that gives the same model (generated papers, every fixture), in readable Markdown."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given

from conftest import FIXTURES, SEED
from kzreport.importing.found import tidy
from kzreport.importing.markdown import WIDTH, escape, paragraph_lines, write_source
from kzreport.importing.roundtrip import content
from kzreport.model import LineBreak, Span
from kzreport.source import parse_source, read_source
from test_source_properties import (  # noqa: F401 (folder is a fixture)
    SETTINGS,
    VALID_FRONT,
    body,
    check_outcome,
    folder,
    paper,
)


def assert_rewrites_alike(text: str, path: Path) -> None:
    document = check_outcome(text, path)
    if document is None:
        return
    written = write_source(document.meta, document.blocks, path.parent, document.footnotes)
    again = parse_source(written, path)
    assert content(again) == content(document), written
    assert [n.label for n in again.footnotes] == [n.label or str(n.number)
                                                  for n in document.footnotes], written


@SETTINGS
@given(text=paper())
def test_any_valid_paper_is_written_back_alike(text: str, folder: Path) -> None:  # noqa: F811
    assert_rewrites_alike(text, folder / "paper.md")


@SETTINGS
@given(text=body())
def test_any_valid_body_is_written_back_alike(text: str, folder: Path) -> None:  # noqa: F811
    assert_rewrites_alike(VALID_FRONT + text, folder / "paper.md")


@pytest.mark.parametrize("path", [*sorted(FIXTURES.glob("*.md")), SEED], ids=lambda p: p.name)
def test_every_fixture_is_written_back_alike(path: Path) -> None:
    document = read_source(path)
    written = write_source(document.meta, document.blocks, path.parent, document.footnotes)
    assert content(parse_source(written, path)) == content(document), written
    # Readable: prose wrapped at the width, as the example is, unless a word is longer.
    prose = [line for line in written.split("\n---\n", 1)[1].splitlines()
             if not line.lstrip("> ").startswith(("|", "![", "#"))]
    assert all(len(line) <= WIDTH or max(map(len, line.split())) > WIDTH // 2 for line in prose)


def first_inlines(markdown: str) -> object:
    document = parse_source(VALID_FRONT + markdown + "\n\n## Key Points\n\n- P.\n", SEED)
    return getattr(document.blocks[0], "inlines", None)


def test_text_that_looks_like_markdown_stays_text() -> None:
    tricky = ["# not a heading", "- not a list", "1. not a number", "> not a quote", "***",
              "a *b* `c` [d](e) <f> &amp; | ~x~ ^y^ \\z", "===", "+ x", ": y", "2022) z",
              "word " * 30 + "- dash " + "word " * 30 + "12. twelve"]
    for text in tricky:
        inlines = tidy([Span(text)])
        assert first_inlines("\n".join(paragraph_lines(inlines))) == inlines, text


def test_formatting_that_touches_punctuation_reads_back() -> None:
    """Bold next to italic, emphasis ending in punctuation before a letter: the writer tries
    other delimiters until the paragraph reads back as it was."""
    cases = [
        (Span("a", bold=True), Span("b", italic=True)),
        (Span("x "), Span("(y)", italic=True), Span(", z")),
        (Span("in"), Span("word", italic=True), Span("s")),
        (Span("line", bold=True), LineBreak(), Span("next", bold=True)),
        (Span("see "), Span("the ", href="https://e.org/"),
         Span("report", bold=True, href="https://e.org/"), Span(".")),
    ]
    for inlines in cases:
        text = "\n".join(paragraph_lines(tidy(inlines)))
        assert first_inlines(text) == tidy(inlines), text


def test_escape_leaves_ordinary_text_alone() -> None:
    assert escape("Kazakhstan’s position, 2022.") == "Kazakhstan’s position, 2022."
    assert escape("a*b_c") == "a\\*b\\_c"
