"""WordprocessingML helpers: elements, properties in schema order, borders, runs, fields, lists."""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Any

from kzreport.renderers._docx_internals import (
    declared_child_order,
    paragraph_properties,
)
from kzreport.renderers._proportions import Metrics

if TYPE_CHECKING:
    from docx.text.paragraph import Paragraph as WordParagraph
    from lxml.etree import _Element as XmlElement

#: Indentation per list level, in twentieths of a point (0.25 inch).
LIST_INDENT_TWIPS = 360


def qn(tag: str) -> str:
    """The Clark name (``{namespace}local``) of a prefixed tag such as ``w:p``."""
    from docx.oxml.ns import qn as clark

    return str(clark(tag))


def pt(value: float) -> Any:
    """A python-docx length of ``value`` points."""
    from docx.shared import Pt

    return Pt(value)


def rgb(hex_color: str) -> Any:
    """A python-docx colour from ``RRGGBB``."""
    from docx.shared import RGBColor

    return RGBColor.from_string(hex_color)


def element(tag: str, **attributes: str) -> XmlElement:
    """A new WordprocessingML element; attribute names are given without the ``w:`` prefix."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn as clark

    made: XmlElement = OxmlElement(tag)
    for key, value in attributes.items():
        made.set(clark(f"w:{key}"), value)
    return made


def put(properties: XmlElement, child: XmlElement) -> None:
    """Set ``child`` in a properties element (``w:pPr``, ``w:tblPr``, ...), replacing its
    namesake, before the first sibling the schema puts after it (OOXML is strict about order)."""
    for old in properties.findall(child.tag):
        properties.remove(old)
    later = _later_children(properties.tag, child.tag)
    for sibling in properties.iterchildren():
        if sibling.tag in later:
            sibling.addprevious(child)
            return
    properties.append(child)


@functools.cache
def _later_children(parent: str, child: str) -> frozenset[str]:
    """The children that follow ``child`` in ``parent`` (Clark names both) in the order
    python-docx declares for ``parent``'s children; a child it does not declare raises."""
    from docx.oxml.ns import NamespacePrefixedTag

    order = [qn(tag) for tag in declared_child_order(NamespacePrefixedTag.from_clark_name(parent))]
    return frozenset(order[order.index(child) + 1:])


def shade(properties: XmlElement, fill: str) -> None:
    """Give a paragraph or cell properties element a solid background."""
    put(properties, element("w:shd", val="clear", color="auto", fill=fill))


def border(properties: XmlElement, edges: dict[str, tuple[str, float, float]]) -> None:
    """Add paragraph borders: edge -> (colour, width in points, space to the text in points)."""
    borders = element("w:pBdr")
    for edge, (color, width, space) in edges.items():
        borders.append(element(f"w:{edge}", val="single", sz=eighths(width),
                               space=str(min(31, round(space))), color=color))
    put(properties, borders)


def eighths(points: float) -> str:
    """A border width in Word's eighths of a point, within the 2..96 it accepts."""
    return str(min(96, max(2, round(points * 8))))


def table_borders(properties: XmlElement, color: str, metrics: Metrics) -> None:
    """Hairline borders around and inside a table, its width the text column's, and its
    cells' padding, in its ``w:tblPr``."""
    borders = element("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(element(f"w:{edge}", val="single", sz=eighths(metrics.hairline),
                               space="0", color=color))
    put(properties, borders)
    put(properties, element("w:tblW", w="5000", type="pct"))
    margins = element("w:tblCellMar")
    for edge, padding in (("top", metrics.cell_padding_y), ("left", metrics.cell_padding_x),
                          ("bottom", metrics.cell_padding_y), ("right", metrics.cell_padding_x)):
        margins.append(element(f"w:{edge}", w=str(round(padding * 20)), type="dxa"))  # twips
    put(properties, margins)


#: The characters python-docx turns into ``w:tab`` and ``w:br`` elements inside a run.
_RUN_BREAKS = re.compile("[\t\r\n]")


def add_run(paragraph: WordParagraph, text: str) -> Any:
    """``paragraph.add_run(text)``, the same XML without python-docx's character-by-character
    scan for tabs and line breaks (a quarter of a brief's time) when ``text`` has none."""
    if _RUN_BREAKS.search(text):
        return paragraph.add_run(text)
    run = paragraph.add_run()
    if text:
        run.element.add_t(text)
    return run


def add_field(paragraph: WordParagraph, instruction: str, value: str = "1") -> Any:
    """Add a complex field (e.g. ``PAGE``) showing ``value`` until Word updates it; the run
    of that value, for the caller to format."""
    field_part(paragraph, "begin")
    field_part(paragraph, "instr", instruction)
    field_part(paragraph, "separate")
    shown = paragraph.add_run(value)
    field_part(paragraph, "end")
    return shown


def field_part(paragraph: WordParagraph, kind: str, instruction: str = "") -> None:
    """One run of a complex field: its ``begin``, ``instr`` (``instruction``), ``separate``
    or ``end`` (a field may span paragraphs, as a table of contents does)."""
    run = paragraph.add_run()
    if kind == "instr":
        text = element("w:instrText")
        text.set(qn("xml:space"), "preserve")
        text.text = f" {instruction} "
        run.element.append(text)
    else:
        run.element.append(element("w:fldChar", fldCharType=kind))


def indent_paragraph(paragraph: WordParagraph, level: int) -> None:
    """Indent a non-list paragraph to sit under list level ``level - 1``'s text."""
    if level:
        paragraph.paragraph_format.left_indent = pt(LIST_INDENT_TWIPS * level / 20)


def number_paragraph(paragraph: WordParagraph, num_id: str, level: int) -> None:
    """Attach ``paragraph`` to list ``num_id`` at nesting ``level``."""
    num_pr = element("w:numPr")
    num_pr.append(element("w:ilvl", val=str(min(level, 8))))
    num_pr.append(element("w:numId", val=num_id))
    put(paragraph_properties(paragraph), num_pr)
