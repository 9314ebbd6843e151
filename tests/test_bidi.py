"""The Unicode Bidirectional Algorithm: levels, brackets and line order against UAX #9's tests."""

from __future__ import annotations

import pytest

from conftest import FIXTURES
from kzreport import bidi

#: Test cases of the Unicode Consortium's BidiCharacterTest.txt (see the file's header).
CONFORMANCE = [line for line in (FIXTURES / "bidi-character-tests.txt").read_text(
    "utf-8").splitlines() if line and not line.startswith("#")]


@pytest.mark.parametrize("case", CONFORMANCE)
def test_unicode_conformance_cases(case: str) -> None:
    points, direction, level, levels, order = case.split(";")
    text = "".join(chr(int(point, 16)) for point in points.split())
    paragraph = bidi.paragraph(text, None if direction == "2" else int(direction))
    resolved = paragraph.line_levels(0, len(text))
    assert paragraph.level == int(level)
    kept = [i for i, want in enumerate(levels.split()) if want != "x"]
    assert [resolved[i] for i in kept] == [int(levels.split()[i]) for i in kept]
    visual = bidi.visual_order([resolved[i] for i in kept])
    assert " ".join(str(kept[k]) for k in visual) == order


def _display(text: str, direction: int | None = None) -> str:
    """``text`` as shown, left to right, mirrored characters swapped (rule L4)."""
    paragraph = bidi.paragraph(text, direction)
    levels = paragraph.line_levels(0, len(text))
    mirror = {"(": ")", ")": "(", "[": "]", "]": "[", "«": "»", "»": "«"}
    return "".join(mirror.get(text[i], text[i]) if levels[i] % 2 and bidi.mirrored(text[i])
                   else text[i] for i in bidi.visual_order(levels))


def test_an_acronym_in_brackets_inside_arabic() -> None:
    # "in the conflict (NATO) since 2022." in an Arabic paragraph.
    text = "في النزاع (NATO) منذ 2022."
    assert _display(text, 1) == ".2022 ذنم (NATO) عازنلا يف"


def test_arabic_indic_and_persian_numbers_keep_their_order() -> None:
    # The percent sign follows the number in reading order: on its left.
    assert _display("سهم ۲۰٪ است", 1) == "تسا ٪۲۰ مهس"
    assert _display("نحو ٢٠٢٢ م", 1) == "م ٢٠٢٢ وحن"


def test_an_arabic_name_in_an_english_sentence() -> None:
    assert _display("Kabul (کابل) reports", 0) == "Kabul (لباک) reports"


def test_the_first_strong_letter_sets_an_automatic_paragraph() -> None:
    assert bidi.paragraph("«صبر» — patience").level == 1
    assert bidi.paragraph("2022: Astana").level == 0
    assert bidi.paragraph("").level == 0


def test_trailing_spaces_take_the_paragraph_level() -> None:
    paragraph = bidi.paragraph("abc def ", 1)
    assert paragraph.line_levels(0, 8) == [2, 2, 2, 2, 2, 2, 2, 1]
    assert paragraph.line_levels(0, 4)[-1] == 1  # a line ending after "abc "


def test_left_to_right_text_takes_the_quick_path() -> None:
    assert bidi.paragraph("Plain English, 2022.").levels == (0,) * 20
