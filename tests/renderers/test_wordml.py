"""WordprocessingML helpers: runs as python-docx writes them, properties in schema order."""

from __future__ import annotations

import random

import docx
import pytest
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from lxml import etree

from kzreport.renderers._docx_internals import (
    declared_child_order,
    paragraph_properties,
    table_properties,
)
from kzreport.renderers._wordml import add_run, border, element, number_paragraph, put, qn, shade

#: Every properties element the brief writes children into.
PROPERTIES = ("w:pPr", "w:rPr", "w:tblPr", "w:trPr", "w:tcPr")


def tags(properties: etree._Element) -> list[str]:
    """The children's tags as ``w:name``."""
    return [f"w:{etree.QName(child).localname}" for child in properties]


@pytest.mark.parametrize("text", ["plain", "  edges kept  ", "tab\there", "two\nlines",
                                  "cr\r", "", "\t"])
def test_a_run_is_written_as_python_docx_writes_it(text: str) -> None:
    paragraph = docx.Document().add_paragraph()
    expected = etree.tostring(paragraph.add_run(text).element)
    assert etree.tostring(add_run(paragraph, text).element) == expected


@pytest.mark.parametrize("tag", PROPERTIES)
def test_children_put_in_any_order_end_in_the_declared_order(tag: str) -> None:
    order = declared_child_order(tag)
    shuffle = random.Random(tag)
    for _ in range(25):
        properties = element(tag)
        for child in shuffle.sample(order, len(order)):
            put(properties, element(child))
        assert tags(properties) == list(order)


def test_put_replaces_its_namesake() -> None:
    properties = element("w:pPr")
    shade(properties, "AAAAAA")
    put(properties, element("w:jc", val="center"))
    shade(properties, "BBBBBB")
    assert tags(properties) == ["w:shd", "w:jc"]
    assert properties[0].get(qn("w:fill")) == "BBBBBB"


def test_a_child_the_schema_does_not_allow_is_refused() -> None:
    with pytest.raises(ValueError):
        put(element("w:pPr"), element("w:tblHeader"))


def test_a_right_to_left_paragraph_mark_lands_where_the_schema_wants_it() -> None:
    # The old partial table had no w:bidi: it sits between the shading and the spacing.
    paragraph = docx.Document().add_paragraph("text", style="List Paragraph")
    paragraph.paragraph_format.space_after = 0
    paragraph.paragraph_format.left_indent = 0
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    properties = paragraph_properties(paragraph)
    put(properties, element("w:outlineLvl", val="1"))
    number_paragraph(paragraph, "1", 0)
    shade(properties, "EEEEEE")
    border(properties, {"left": ("000000", 1, 2)})
    put(properties, element("w:bidi"))
    assert tags(properties) == ["w:pStyle", "w:numPr", "w:pBdr", "w:shd", "w:bidi",
                                "w:spacing", "w:ind", "w:jc", "w:outlineLvl"]


def test_a_right_to_left_table_mark_lands_where_the_schema_wants_it() -> None:
    table = docx.Document().add_table(rows=1, cols=1)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.style = "Table Grid"
    properties = table_properties(table)
    shade(properties, "EEEEEE")
    put(properties, element("w:tblW", w="5000", type="pct"))
    put(properties, element("w:bidiVisual"))
    assert tags(properties) == ["w:tblStyle", "w:bidiVisual", "w:tblW", "w:jc", "w:shd",
                                "w:tblLook"]
