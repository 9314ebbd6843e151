"""Problems print as one safe line each."""

from __future__ import annotations

from kzreport.errors import Problem


def test_a_problem_is_one_line_with_its_location_and_fix() -> None:
    problem = Problem("paper.md", 3, "a message\nover two lines", "the fix", column=2)
    assert str(problem) == "paper.md:3:2: error: a message over two lines — the fix"


def test_invisible_and_direction_characters_are_shown_escaped() -> None:
    problem = Problem("paper.md", 3, "title 'a\u202eb\u200bc\u00add\x07'", "fix it")
    assert str(problem) == r"paper.md:3: error: title 'a\u202eb\u200bc\u00add\u0007' — fix it"


def test_visible_text_in_any_script_is_kept() -> None:
    problem = Problem("доклад.md", None, "«Қазақстан» — 漢字 ✈", "ok")
    assert str(problem) == "доклад.md: error: «Қазақстан» — 漢字 ✈ — ok"
