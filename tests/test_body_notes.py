"""Tests of kzreport.body_notes (through the parser): footnotes are numbered in reading order,
carry their paragraphs, and every reference, definition and label is checked."""

from __future__ import annotations

from pathlib import Path

from kzreport.model import FootnoteRef, Paragraph, Span, plain_text
from source_helpers import FRONT, KEY_POINTS, paper, problems_of, the_problem, write


def test_references_are_numbered_in_reading_order_with_their_paragraphs(
        tmp_path: Path) -> None:
    document = paper(tmp_path, "Second first.[^b] Then the first.[^a]\n\n"
                     "[^a]: Note *a*, with [a link](https://example.org/a).\n\n"
                     "    Its second paragraph.\n\n"
                     "[^b]: Note b.\n" + KEY_POINTS)
    [paragraph] = [b for b in document.blocks if isinstance(b, Paragraph)]
    assert [i for i in paragraph.inlines if isinstance(i, FootnoteRef)] == [
        FootnoteRef(1), FootnoteRef(2)]
    first, second = document.footnotes
    assert (first.number, first.label, second.number, second.label) == (1, "b", 2, "a")
    assert [plain_text(p.inlines) for p in second.paragraphs] == [
        "Note a, with a link.", "Its second paragraph."]
    assert Span("a link", href="https://example.org/a") in second.paragraphs[0].inlines
    assert document.warnings == ()


def test_every_reference_is_a_note_of_its_own_and_inline_notes_work(tmp_path: Path) -> None:
    document = paper(tmp_path, "One.[^a] Again.[^a] Inline.^[An *inline* note.]\n\n"
                     "[^a]: The note.\n" + KEY_POINTS)
    assert [(n.number, plain_text(n.paragraphs[0].inlines)) for n in document.footnotes] == [
        (1, "The note."), (2, "The note."), (3, "An inline note.")]


def test_a_reference_without_definition_is_an_error_naming_a_close_label(
        tmp_path: Path) -> None:
    path = write(tmp_path, FRONT + "Text.[^sorce]\n\n[^source]: A note.[^1]\n"
                 + KEY_POINTS)
    problems = problems_of(path)
    messages = [(p.line, p.message) for p in problems]
    assert (7, "footnote [^sorce] has no definition (a note [^source] exists)") in messages
    assert (9, "a footnote reference inside a footnote") in messages
    assert any("\\[^sorce]" in p.hint for p in problems)


def test_a_label_defined_twice_is_an_error(tmp_path: Path) -> None:
    problem = the_problem(write(tmp_path, FRONT + "Text.[^a]\n\n[^a]: One.\n\n"
                                "[^a]: Two.\n" + KEY_POINTS))
    assert problem.line == 11
    assert problem.message == "footnote [^a] is defined twice (first on line 9)"


def test_a_note_holds_paragraphs_only(tmp_path: Path) -> None:
    problem = the_problem(write(tmp_path, FRONT + "Text.[^a]\n\n[^a]: One.\n\n"
                                "    - a list\n" + KEY_POINTS))
    assert problem.line == 11 and problem.message == "footnote [^a] holds a list"


def test_a_note_never_referred_to_is_a_warning(tmp_path: Path) -> None:
    document = paper(tmp_path, "Text.\n\n[^lonely]: Never used.\n" + KEY_POINTS)
    [warning] = document.warnings
    assert (warning.line, warning.severity) == (9, "warning")
    assert warning.message == "footnote [^lonely] is never referenced"
    assert document.footnotes == ()


def test_an_escaped_reference_is_text(tmp_path: Path) -> None:
    document = paper(tmp_path, "Write \\[^1] to show it.\n" + KEY_POINTS)
    first = document.blocks[0]
    assert isinstance(first, Paragraph)
    assert plain_text(first.inlines) == "Write [^1] to show it."
    assert document.footnotes == () and document.warnings == ()
