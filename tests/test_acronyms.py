"""Tests of kzreport.acronyms: each listed acronym spelled out once, before its first use,
with warnings at the line and column where it is not."""

from __future__ import annotations

from pathlib import Path

from kzreport.acronyms import acronym_warnings
from kzreport.lint import accessibility_warnings
from source_helpers import KEY_POINTS, paper, problems_of, write

FRONT = ("---\ntitle: T\nauthors: [A]\ndate: 2024-01-01\nlanguage: en-US\nacronyms:\n"
         "  EAEU: Eurasian Economic Union\n  NO: Nordic Office\n  BRI: Belt and Road Initiative\n"
         "---\n")


def warnings_of(tmp_path: Path, body: str) -> list[str]:
    document = paper(tmp_path, body + KEY_POINTS, FRONT)
    return [f"{w.line}:{w.column}: {w.message}" for w in acronym_warnings(document)]


def test_the_front_matter_keeps_acronyms_sorted_and_no_as_written(tmp_path: Path) -> None:
    document = paper(tmp_path, "\nThe Nordic Office (NO).\n" + KEY_POINTS, FRONT)
    assert document.meta.acronyms == (("BRI", "Belt and Road Initiative"),
                                      ("EAEU", "Eurasian Economic Union"),
                                      ("NO", "Nordic Office"))


def test_used_early_spelled_twice_and_never_spelled_are_located(tmp_path: Path) -> None:
    body = ("\nThe EAEU grows. The Eurasian Economic Union (EAEU) sets\n"
            "tariffs; the Eurasian Economic Union (EAEU) again.\n\n"
            "The Belt and Road Initiative (BRI) funds; the BRI builds.\n")
    assert warnings_of(tmp_path, body) == [
        "6:None: 'NO' is never spelled out",
        "12:5: 'EAEU' is used before it is spelled out (line 12)",
        "13:14: 'EAEU' is spelled out again (first on line 12)",
    ]


def test_a_paper_spelling_each_out_first_has_no_warning(tmp_path: Path) -> None:
    body = ("\nThe Eurasian Economic Union (EAEU), the Nordic Office (NO) and the\n"
            "Belt and Road Initiative (BRI). Later the EAEU, NO and BRI, and NOT or BRIDGE.\n")
    assert warnings_of(tmp_path, body) == []


def test_check_reports_them_with_the_accessibility_warnings(tmp_path: Path) -> None:
    document = paper(tmp_path, "\nThe EAEU.\n" + KEY_POINTS, FRONT)
    messages = [w.message for w in accessibility_warnings(document)]
    assert "'EAEU' is never spelled out" in messages


def test_acronyms_must_be_a_mapping_of_texts(tmp_path: Path) -> None:
    front = "---\ntitle: T\nauthors: [A]\ndate: 2024-01-01\nacronyms:\n  - EAEU\n---\n"
    problems = problems_of(write(tmp_path, front + KEY_POINTS))
    assert [(p.line, p.message) for p in problems] == [(6, "acronyms must be a mapping")]
    front = "---\ntitle: T\nauthors: [A]\ndate: 2024-01-01\ntoc: yes please\n---\n"
    problems = problems_of(write(tmp_path, front + KEY_POINTS))
    assert [(p.line, p.message) for p in problems] == [(5, "toc must be true or false")]


def test_an_acronym_listed_twice_is_an_error(tmp_path: Path) -> None:
    front = ("---\ntitle: T\nauthors: [A]\ndate: 2024-01-01\nacronyms:\n  UN: United Nations\n"
             "  UN: Unione Nazionale\n---\n")
    problems = problems_of(write(tmp_path, front + KEY_POINTS))
    assert [(p.line, p.message) for p in problems] == [(7, "acronym 'UN' is listed twice")]
