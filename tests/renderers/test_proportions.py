"""Content-fitted table columns, the one algorithm the brief and the PDF set tables with."""

from __future__ import annotations

import pytest

from kzreport.layout import Layout
from kzreport.model import Span, Table
from kzreport.renderers import _fit as fit
from kzreport.renderers._proportions import WORD_SLACK, fit_table

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
    assert cramped.size == layout.sizes.small
    assert cramped.widths == pytest.approx((20.0,) * 10)
