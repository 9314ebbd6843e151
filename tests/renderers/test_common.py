"""The renderers' shared helpers: XML-safe text, the blocks on landscape pages."""

from __future__ import annotations

import dataclasses
from xml.etree import ElementTree
from xml.sax.saxutils import escape

import pytest

from kzreport.layout import Layout
from kzreport.model import Heading, PageBreak, Paragraph, Span, Table
from kzreport.renderers._common import (
    breaks_in_turns,
    on_landscape_pages,
    xml_attribute,
    xml_escape,
)

AWKWARD_TEXTS = ["plain", "a & b < c > d", "&amp; stays escaped", "quotes \" and '",
                 "tab\tnew\nline\rreturn", "  edges  ", "", "Ünïcödé – ½"]


@pytest.mark.parametrize("text", AWKWARD_TEXTS)
def test_text_is_escaped_as_saxutils_escapes_it(text: str) -> None:
    assert xml_escape(text) == escape(text)


@pytest.mark.parametrize("text", AWKWARD_TEXTS)
def test_an_attribute_value_reads_back_unchanged(text: str) -> None:
    assert ElementTree.fromstring(f"<t a={xml_attribute(text)}/>").get("a") == text


def test_a_landscape_table_turns_with_the_headings_before_it(layout: Layout) -> None:
    table = Table(((Span("A"),),), (), (None,), 3, landscape=True)
    heading, other = Heading(2, (Span("Annex"),), 1), Paragraph((Span("Text"),), 2)
    blocks = (other, heading, Heading(3, (Span("Register"),), 2), table, other, table)
    assert on_landscape_pages(blocks, layout) == (False, True, True, True, False, True)
    wide = dataclasses.replace(layout, page=layout.page.landscape())
    assert on_landscape_pages(blocks, wide) == (False,) * 6
    assert wide.page.landscape() is wide.page
    assert (wide.page.width, wide.page.height) == (layout.page.height, layout.page.width)


def test_a_page_break_where_the_pages_turn_is_the_turns_own(layout: Layout) -> None:
    table = Table(((Span("A"),),), (), (None,), 3, landscape=True)
    text, page_break = Paragraph((Span("Text"),), 1), PageBreak(2)
    blocks = (text, page_break, table, page_break, text, page_break, text)
    turned = on_landscape_pages(blocks, layout)
    assert breaks_in_turns(blocks, turned) == {1, 3}
