"""The text-fitting routine of the deck: font metrics, greedy line breaking, size search."""

from __future__ import annotations

import struct
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.pdfbase.ttfonts import TTFontFile

from kzreport.layout import Layout
from kzreport.renderers import _fit as fit


@pytest.fixture(scope="module")
def regular(layout: Layout) -> fit.FontMetrics:
    return fit.load_metrics(layout.fonts.body.regular)


@pytest.fixture(scope="module")
def bold(layout: Layout) -> fit.FontMetrics:
    return fit.load_metrics(layout.fonts.body.bold)


def para(text: str, font: fit.FontMetrics, **options: Any) -> fit.Para:
    return fit.Para((fit.Piece(text, font),), font, **options)


# ---------------------------------------------------------------- metrics


def test_width_of_hello_in_carlito_from_its_advance_widths(regular: fit.FontMetrics) -> None:
    # Carlito's advances (design units, 2048 per em), as Calibri's: H 1276, e 1019, l 470,
    # o 1080. "Hello" at 10 pt is (1276 + 1019 + 470 + 470 + 1080) / 2048 * 10 pt.
    assert regular.units_per_em == 2048
    assert [regular.advances[ord(c)] for c in "Helo"] == [1276, 1019, 470, 1080]
    assert regular.width("Hello", 10) == pytest.approx(4315 / 2048 * 10)
    assert regular.width("Hello", 10) == pytest.approx(21.0693359375)


def test_widths_agree_with_the_raw_hmtx_table(layout: Layout) -> None:
    # Independent of load_metrics: read hmtx and the cmap glyph ids straight from the file.
    for path in (layout.fonts.body.bold, layout.fonts.mono.regular):
        face = TTFontFile(str(path))
        (count,) = struct.unpack(">H", face.get_table("hhea")[34:36])
        hmtx = face.get_table("hmtx")
        metrics = fit.load_metrics(path)
        for char in "Wim.Қ":
            glyph = min(face.charToGlyph[ord(char)], count - 1)
            assert metrics.advance(char) == struct.unpack_from(">H", hmtx, 4 * glyph)[0]


def test_monospace_advances_are_design_units(layout: Layout) -> None:
    mono = fit.load_metrics(layout.fonts.mono.regular)
    assert mono.advance("i") == mono.advance("W") == 1233


def test_bold_is_measured_with_the_bold_face(regular: fit.FontMetrics,
                                             bold: fit.FontMetrics) -> None:
    assert bold.width("Hello", 10) == pytest.approx((1292 + 1031 + 503 * 2 + 1101) / 2048 * 10)
    assert bold.width("Hello", 10) > regular.width("Hello", 10)
    mixed = (fit.Piece("He", bold), fit.Piece("llo", regular))
    assert fit.text_width(mixed, 10) == pytest.approx(
        bold.width("He", 10) + regular.width("llo", 10))


def test_line_box_is_hhea_ascender_descender_and_gap(regular: fit.FontMetrics) -> None:
    # Carlito (like Calibri): hhea 1536 / -512 / 452, the same total as win 1950 + 550.
    assert (regular.ascender, regular.descender, regular.line_gap) == (1536, -512, 452)
    assert regular.line_box == pytest.approx(2500 / 2048)
    assert fit.line_pitch(para("x", regular), 20) == 24.42  # 24.4140… rounded up to 1/100 pt


def test_a_paragraph_is_pitched_by_the_tallest_face_that_draws_it(
        regular: fit.FontMetrics, layout: Layout) -> None:
    # Arabic drawn by the body's fallback face needs that face's line box (Noto Naskh Arabic
    # 1.70 em against Carlito's 1.22): pitched by Carlito's, its lines would overlap.
    [arabic_family] = [f for f in layout.fonts.body.fallback if f.name == "Noto Naskh Arabic"]
    arabic = fit.load_metrics(arabic_family.regular)
    assert arabic.line_box > 1.3 * regular.line_box
    mixed = fit.Para((fit.Piece("CPC ", regular), fit.Piece("خط أنابيب", arabic)), regular,
                     line_spacing=0.92)
    assert fit.line_box(mixed) == arabic.line_box
    assert fit.line_pitch(mixed, 34) == fit.centipoints(arabic.line_box * 0.92 * 34) / 100
    assert fit.line_box(para("Latin only", regular)) == regular.line_box


def test_a_missing_glyph_counts_a_full_em(regular: fit.FontMetrics) -> None:
    assert not regular.covers("中")
    assert regular.width("中", 10) == pytest.approx(10.0)
    assert regular.covers("Қазақстан")


def test_metrics_are_cached(layout: Layout) -> None:
    assert fit.load_metrics(layout.fonts.body.regular) is fit.load_metrics(
        layout.fonts.body.regular)


# ---------------------------------------------------------------- line breaking


def test_greedy_wrap_breaks_at_spaces(regular: fit.FontMetrics) -> None:
    hello = regular.width("Hello", 10)
    space = regular.width(" ", 10)
    text = para("Hello Hello Hello", regular)
    assert fit.wrap(text, 10, 2 * hello + space) == ["Hello Hello", "Hello"]
    assert fit.wrap(text, 10, 2 * hello + space - 0.01) == ["Hello", "Hello", "Hello"]
    assert fit.wrap(text, 10, 3 * hello + 2 * space) == ["Hello Hello Hello"]


def test_trailing_spaces_hang_past_the_margin(regular: fit.FontMetrics) -> None:
    hello = regular.width("Hello", 10)
    assert fit.wrap(para("Hello     ", regular), 10, hello) == ["Hello"]


def test_hard_breaks_and_overlong_words(regular: fit.FontMetrics) -> None:
    assert fit.wrap(para("one\ntwo", regular), 10, 1000) == ["one", "two"]
    assert fit.wrap(para("", regular), 10, 1000) == [""]
    width = regular.width("Hel", 10)
    # A word longer than the line is split between characters, as PowerPoint does.
    assert fit.wrap(para("Hellohello", regular), 10, width) == ["Hel", "loh", "ell", "o"]


def test_wrapping_scales_with_size(regular: fit.FontMetrics) -> None:
    text = para("Hello Hello", regular)
    width = regular.width("Hello Hello", 10)
    assert len(fit.wrap(text, 10, width)) == 1
    assert len(fit.wrap(text, 10.5, width)) == 2
    half = fit.Para(text.pieces, regular, scale=0.5)
    assert len(fit.wrap(half, 20, width)) == 1


# ---------------------------------------------------------------- fitting


def test_a_box_that_fits_exactly_three_lines(regular: fit.FontMetrics) -> None:
    paras = [para("Hello", regular) for _ in range(3)]
    pitch = fit.line_pitch(paras[0], 20)
    frame = fit.Frame(400, 3 * pitch + 2 * fit.DEFAULT_INSET_Y)
    result = fit.fit(paras, frame, 28, 10)
    assert (result.size, result.fits, result.lines) == (20, True, 3)
    assert result.height == pytest.approx(3 * pitch)
    # A hair less room and 20 pt no longer fits.
    tighter = fit.Frame(400, frame.height - 0.01)
    assert fit.fit(paras, tighter, 28, 10).size == 19.5


def test_the_width_decides_when_the_box_is_tall(regular: fit.FontMetrics) -> None:
    text = [para("Hello Hello Hello Hello", regular)]
    inner = regular.width("Hello Hello", 24)  # two words a line at 24 pt, so two lines
    frame = fit.Frame(inner + 2 * fit.DEFAULT_INSET_X, 2 * fit.line_pitch(text[0], 24) + 7.2)
    assert fit.fit(text, frame, 28, 10).size == 24
    # On one line: four words and three spaces are a space wider than twice "Hello Hello",
    # so half of 24 pt is just too big.
    one_line = fit.fit(text, frame, 28, 10, max_lines=1)
    assert one_line.size == 11.5
    assert regular.width("Hello Hello Hello Hello", 11.5) <= frame.inner_width
    assert regular.width("Hello Hello Hello Hello", 12) > frame.inner_width


def test_space_before_counts_between_paragraphs_only(regular: fit.FontMetrics) -> None:
    first = para("Hello", regular, space_before=1.0)
    second = para("Hello", regular, space_before=1.0)
    height, lines = fit.measure([first, second], 20, 500)
    assert lines == 2
    assert height == pytest.approx(2 * fit.line_pitch(first, 20) + 20)


def test_nothing_fits_reports_the_smallest_size(regular: fit.FontMetrics) -> None:
    result = fit.fit([para("Hello " * 500, regular)], fit.Frame(200, 100), 28, 16)
    assert (result.size, result.fits) == (16, False)
    assert result.height > 100


def test_sizes_ladder() -> None:
    assert fit.sizes(28, 26, 0.5) == [28, 27.5, 27, 26.5, 26]
    assert fit.sizes(20, 20, 0.5) == [20]
    assert fit.sizes(10, 8.7, 1) == [10, 9, 8.7]
    with pytest.raises(ValueError):
        fit.sizes(10, 8, 0)


@settings(max_examples=60, deadline=None)
@given(words=st.lists(st.text(alphabet="abcdefghij WMiQ", min_size=1, max_size=12),
                      min_size=1, max_size=40),
       width=st.floats(60, 900), height=st.floats(20, 500))
def test_binary_search_finds_what_a_linear_scan_finds(layout: Layout, words: list[str],
                                                      width: float, height: float) -> None:
    font = fit.load_metrics(layout.fonts.body.regular)
    paras = [para(" ".join(words), font), para(words[0], font, space_before=0.5)]
    frame = fit.Frame(width, height)
    expected = next((s for s in fit.sizes(28, 8, 0.5)
                     if fit.measure(paras, s, frame.inner_width)[0] <= frame.inner_height
                     + 1e-6), None)
    result = fit.fit(paras, frame, 28, 8)
    assert result.size == (expected if expected is not None else 8)
    assert result.fits == (expected is not None)
