"""The deck's text: model inlines as runs, front-matter text cleaned, unique slide titles."""

from __future__ import annotations

from kzreport.renderers._deck_text import unique_titles


def test_titles_unique_and_never_empty() -> None:
    assert unique_titles(["A", "a", "A", "", " ", "A (2)"]) == [
        "A", "a (2)", "A (3)", "—", "— (2)", "A (2) (2)"]
