"""The deck's text: model inlines as runs, front-matter text cleaned, unique slide titles."""

from __future__ import annotations

from kzreport.model import LineBreak, Span
from kzreport.renderers._deck_text import Run, clean, paragraphs, runs, unique_titles


def test_inlines_become_runs_with_their_formatting() -> None:
    inlines = (Span("Plain  and\nfolded "), Span("bold", bold=True), LineBreak(),
               Span("linked", italic=True, href="https://example.org/"),
               Span("  code\tkept", code=True))
    assert runs(inlines) == (
        Run("Plain and folded "), Run("bold", bold=True), Run("\n"),
        Run("linked", italic=True, href="https://example.org/"),
        Run("  code    kept", mono=True))
    # A heading's lines in the notes: every run bold.
    assert [run.bold for run in runs(inlines, bold=True)] == [True, True, False, True, True]


def test_front_matter_text_is_cleaned_and_split_into_paragraphs() -> None:
    assert clean("  A\tsoft\nbreak \x0b ") == "A soft break"
    assert clean(" edges ", keep_edges=True) == " edges "
    assert paragraphs("One\nline.\n\n  \n\nTwo.") == ["One line.", "Two."]
    assert paragraphs(" \n ") == [""]


def test_titles_unique_and_never_empty() -> None:
    assert unique_titles(["A", "a", "A", "", " ", "A (2)"]) == [
        "A", "a (2)", "A (3)", "—", "— (2)", "A (2) (2)"]
