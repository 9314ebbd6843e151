"""Which font of a chain draws each character, and which text runs right to left."""

from __future__ import annotations

import pytest

from kzreport.layout import Layout
from kzreport.scripts import (
    FontChain,
    is_rtl_language,
    paragraph_is_rtl,
    rtl_span,
    script_language,
    script_of,
)


def names(chain: FontChain, text: str) -> list[tuple[str, str | None]]:
    return [(piece, None if index is None else chain.families[index].name)
            for piece, index in chain.runs(text)]


def test_a_latin_text_is_one_run_in_its_own_font(layout: Layout) -> None:
    chain = FontChain.of(layout.fonts.body)
    assert chain.runs("Қазақстан «Ұлттық» — plain") == [("Қазақстан «Ұлттық» — plain", 0)]


def test_each_character_the_font_lacks_comes_from_the_first_fallback_that_has_it(
        layout: Layout) -> None:
    chain = FontChain.of(layout.fonts.body)
    assert names(chain, "Non‑breaking ✓ and 👍 in كابل، (NATO) ۱۲۳ ok") == [
        ("Non", "Calibri"), ("‑", "DejaVu Sans"), ("breaking ", "Calibri"),
        ("✓ ", "DejaVu Sans"), ("and ", "Calibri"), ("👍 ", "Symbola"), ("in ", "Calibri"),
        # The Arabic comma and space stay with the Arabic; Persian digits are Arabic script.
        ("كابل، ", "Noto Naskh Arabic"), ("(NATO) ", "Calibri"),
        ("۱۲۳ ", "Noto Naskh Arabic"), ("ok", "Calibri")]


def test_a_character_no_font_has_is_missing_and_its_own_run(layout: Layout) -> None:
    chain = FontChain.of(layout.fonts.body, bold=True)
    assert chain.missing("a ✓ 𓀀 漢") == {"𓀀", "漢"}
    assert ("𓀀", None) in chain.runs("a 𓀀 b")


@pytest.mark.parametrize(("tag", "rtl"), [
    ("ar", True), ("fa-IR", True), ("ps", True), ("ur-PK", True), ("he", True),
    ("en-US", False), ("kk-KZ", False), ("ku", False), ("ku-Arab", True), ("az-Arab-IR", True),
    ("uz-Latn", False)])
def test_right_to_left_languages_by_tag_and_script_subtag(tag: str, rtl: bool) -> None:
    assert is_rtl_language(tag) is rtl


def test_a_paragraph_runs_by_its_first_strong_letter_or_the_papers_direction() -> None:
    assert paragraph_is_rtl("«صبر» — patience", paper_rtl=False)
    assert not paragraph_is_rtl("Kabul (کابل)", paper_rtl=False)
    assert paragraph_is_rtl("NATO و روسيا", paper_rtl=True)
    assert paragraph_is_rtl("2022", paper_rtl=True)
    assert not paragraph_is_rtl("print('hello')", paper_rtl=True)


def test_the_right_to_left_stretch_leaves_the_punctuation_around_it_out() -> None:
    text = "(کابل ۲۰۲۲) "
    start, end = rtl_span(text)
    assert text[start:end] == "کابل ۲۰۲۲"
    assert rtl_span("plain") == (0, 0)


def test_scripts_and_languages_of_characters() -> None:
    assert [script_of(c) for c in "aЖكשم٣۴★😀 1,"] == [
        "Latin", "Cyrillic", "Arabic", "Hebrew", "Arabic", "Arabic", "Arabic", "Symbols",
        "Symbols", "Common", "Common", "Common"]
    assert script_language("שלום", "en-US") == "he-IL"
    assert script_language("سلام", "en-US") == "ar-SA"
    assert script_language("سلام", "fa-IR") == "fa-IR"


def test_a_text_its_first_font_covers_reads_no_fallbacks_map(layout: Layout) -> None:
    from kzreport import assets

    chain = FontChain.of(layout.fonts.body)
    assets._read_font.cache_clear()  # fonts as a new process finds them
    assert chain.runs("Astana") == [("Astana", 0)]
    assert ["cmap" in vars(assets.read_font(path)) for path in chain.files] == [
        True, *[False] * (len(chain.files) - 1)]
