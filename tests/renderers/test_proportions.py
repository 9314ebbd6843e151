"""Content-fitted table columns, the one algorithm the brief and the PDF set tables with."""

from __future__ import annotations

import dataclasses

import pytest

from kzreport.layout import Layout
from kzreport.model import Span, Table
from kzreport.renderers import _fit as fit
from kzreport.renderers._proportions import WORD_SLACK, fit_table, share_columns

PADDING = 13.2


def table(*rows: tuple[str, ...]) -> Table:
    header, *body = rows
    return Table(tuple((Span(c),) for c in header),
                 tuple(tuple((Span(c),) for c in row) for row in body), (), 1)


def width(layout: Layout, text: str, size: float, bold: bool = False) -> float:
    return fit.load_metrics(layout.fonts.body.face(bold=bold)).width(text, size)


def test_a_narrow_table_shares_the_width_by_natural_width(layout: Layout) -> None:
    fitted = fit_table(table(("Year", "Event"), ("2010", "OSCE summit in Astana")), layout,
                       400, PADDING)
    assert fitted.size == layout.sizes.body
    assert sum(fitted.widths) == pytest.approx(400)
    natural = [PADDING + max(width(layout, "Year", 11, bold=True), width(layout, "2010", 11)),
               PADDING + width(layout, "OSCE summit in Astana", 11)]
    assert fitted.widths[1] / fitted.widths[0] == pytest.approx(natural[1] / natural[0])


def test_a_wide_table_keeps_every_word_whole(layout: Layout) -> None:
    words = ("Location", "2024-06-06", "Commodity", "REF-2024-00123", "conditions")
    fitted = fit_table(table(("ID", "Location", "Date", "Commodity", "Reference", "Remarks"),
                             ("1", "Khorgos", "2024-06-06", "Grain", "REF-2024-00123",
                              "Delayed by weather conditions at the border")),
                       layout, 300, PADDING)
    assert sum(fitted.widths) == pytest.approx(300)
    assert layout.sizes.small <= fitted.size <= layout.sizes.body
    longest = {1: "Location", 2: "2024-06-06", 3: "Commodity", 4: "REF-2024-00123",
               5: "conditions"}
    for column, word in longest.items():
        assert fitted.widths[column] >= PADDING + width(layout, word, fitted.size) + WORD_SLACK
    assert set(longest.values()) == set(words)


def test_text_is_set_smaller_only_when_the_words_do_not_fit(layout: Layout) -> None:
    row = tuple(f"Word{n:02d}longer" for n in range(10))
    roomy = fit_table(table(row, row), layout, 2000, PADDING)
    tight = fit_table(table(row, row), layout, 600, PADDING)
    assert roomy.size == layout.sizes.body
    assert tight.size < layout.sizes.body
    # At the smallest size a word longer than its share of the width is the only one broken.
    cramped = fit_table(table(row, row), layout, 200, PADDING)
    assert cramped.size == layout.sizes.table_minimum
    assert cramped.widths == pytest.approx((20.0,) * 10)


def test_the_layouts_table_minimum_is_the_smallest_size(layout: Layout) -> None:
    row = tuple(f"Word{n:02d}longer" for n in range(10))
    smaller = dataclasses.replace(layout, sizes=dataclasses.replace(layout.sizes,
                                                                    table_minimum=6.5))
    assert fit_table(table(row, row), smaller, 200, PADDING).size == 6.5


def test_only_words_longer_than_a_fair_share_are_broken() -> None:
    # Two short words keep theirs; the two long ones share what is left, equally.
    widths = share_columns([30, 40, 500, 300], [30, 40, 400, 300], 400)
    assert widths == pytest.approx([30, 40, 165, 165])


def test_width_hints_set_the_columns_and_the_size_follows(layout: Layout) -> None:
    hinted = dataclasses.replace(table(("Name", "Description"), ("Khorgos", "A dry port")),
                                 widths=(1.0, 3.0))
    fitted = fit_table(hinted, layout, 400, PADDING)
    assert fitted.widths == pytest.approx((100, 300)) and fitted.size == layout.sizes.body
    # A column too narrow for its longest word sets the text smaller, as far as the minimum.
    squeezed = dataclasses.replace(hinted, widths=(1.0, 19.0))
    fitted = fit_table(squeezed, layout, 400, PADDING)
    assert fitted.widths == pytest.approx((20, 380))
    assert fitted.size == layout.sizes.table_minimum
    narrow = dataclasses.replace(hinted, widths=(3.0, 17.0))
    fitted = fit_table(narrow, layout, 300, PADDING)
    assert layout.sizes.table_minimum < fitted.size < layout.sizes.body
    assert fitted.widths[0] >= PADDING + width(layout, "Khorgos", fitted.size) + WORD_SLACK
