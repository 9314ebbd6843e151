"""Tests of kzreport.anchors: Pandoc's heading identifiers, bookmark names and the check of
links inside the paper."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kzreport.anchors import (
    MAX_BOOKMARK,
    anchored,
    auto_identifier,
    bookmark_name,
    nearest,
    note_bookmark,
    note_label,
    unique,
)
from kzreport.model import Heading, KeyPoints, Span
from kzreport.source_checks import Problems


@pytest.mark.parametrize(("text", "identifier"), [
    # Pandoc's manual's own examples (auto_identifiers).
    ("Heading identifiers in HTML", "heading-identifiers-in-html"),
    ("Maître d'hôtel", "maître-dhôtel"),
    ("*Dogs*?--in *my* house?", "dogs--in-my-house"),
    ("[HTML], [S5], or [RTF]?", "html-s5-or-rtf"),
    ("3. Applications", "applications"),
    ("33", "section"),
    ("Қазақстан және ЕО", "қазақстан-және-ео"),
    ("v1.2_final notes", "v1.2_final-notes"),
])
def test_auto_identifiers_are_pandocs(text: str, identifier: str) -> None:
    assert auto_identifier(text) == identifier


def test_repeated_identifiers_are_numbered_as_pandoc_does() -> None:
    used: set[str] = set()
    assert [unique("a", used) for _ in range(3)] == ["a", "a-1", "a-2"]
    assert used == {"a", "a-1", "a-2"}


def test_bookmark_names_are_what_word_accepts_and_stay_apart() -> None:
    names = {anchor: bookmark_name(anchor) for anchor in (
        "method", "terms-used", "terms_used", "қазақстан", "x" * 60, "3d")}
    assert names["method"] == "method"
    for name in names.values():
        assert re.fullmatch(r"[A-Za-z]\w{0,39}", name, re.ASCII), name
    assert len(set(names.values())) == len(names)


def test_nearest_names_the_closest_identifier() -> None:
    assert nearest("methds", {"method", "results"}) == "method"
    assert nearest("x", set()) is None


def test_headings_get_identifiers_and_unknown_link_targets_are_errors() -> None:
    problems = Problems(Path("p.md"))
    blocks = (Heading(2, (Span("Method"),), 3), Heading(2, (Span("Method"),), 5),
              Heading(2, (Span("Data"),), 7, "method-1"),
              KeyPoints("Key Points", (), 9))
    out = anchored(blocks, [(11, "method-2"), (12, "key-points")], problems)
    assert [getattr(b, "anchor", None) for b in out] == [
        "method", "method-2", "method-1", "key-points"]
    assert problems.items == []
    anchored(blocks, [(4, "metod")], problems)
    [problem] = problems.items
    assert problem.line == 4 and "'#metod'" in problem.message
    assert "nearest identifier is '#method'" in problem.message


def test_an_identifier_given_twice_is_an_error() -> None:
    problems = Problems(Path("p.md"))
    anchored((Heading(2, (Span("A"),), 3, "x"), Heading(2, (Span("B"),), 5, "x")), [],
             problems)
    [problem] = problems.items
    assert problem.line == 5 and "used twice" in problem.message


@pytest.mark.parametrize("label", ["usage", "1", "my-note", "a_b", "ж", "note.2", "x_41_y"])
def test_a_footnote_label_reads_back_from_its_bookmark(label: str) -> None:
    for occurrence in (0, 1, 12):
        name = note_bookmark(label, occurrence)
        assert name is not None and name.startswith("_Note") and len(name) <= MAX_BOOKMARK
        assert re.fullmatch(r"\w+", name)  # letters, digits and underscores only
        assert note_label(name) == label
    assert note_bookmark(label, 0) != note_bookmark(label, 1)


def test_a_label_too_long_for_a_bookmark_gets_none_and_other_bookmarks_carry_none() -> None:
    assert note_bookmark("a" * 40, 0) is None
    assert note_bookmark("", 0) is None
    assert [note_label(n) for n in ("_Toc123", "usage", "_Note", "h_Note_x")] == [None] * 4


@given(st.text(st.characters(blacklist_categories=("Cs", "Zs", "Cc")), min_size=1, max_size=12),
       st.integers(0, 99))
def test_every_label_that_fits_reads_back(label: str, occurrence: int) -> None:
    name = note_bookmark(label, occurrence)
    assert name is None or note_label(name) == label
