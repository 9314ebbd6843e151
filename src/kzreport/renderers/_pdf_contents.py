"""The PDF's contents page (``toc: true``): each heading linked, with the page it starts on."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import PageBreak, Table

from kzreport.anchors import bookmark_name
from kzreport.apparatus import contents
from kzreport.model import Span
from kzreport.renderers._pdf_flowables import tagged_paragraph
from kzreport.renderers._pdf_styles import table_style
from kzreport.scripts import has_rtl

if TYPE_CHECKING:
    from kzreport.renderers._pdf_story import StoryBuilder
    from kzreport.renderers._pdf_structure import Element

#: A contents line's page number takes this many body sizes at the right.
NUMBER_WIDTH = 3.0


def contents_page(story: StoryBuilder, parent: Element) -> list[Any]:
    """The layout's contents label, then a TOC element of one TOCI per heading: its text
    linking to the heading (indented by level) and its page number, on a page of its own.
    ``story.pages`` gives the numbers (empty while the first layout finds them: each line
    then shows a placeholder of the same height)."""
    entries = contents(story.document, story.layout)
    if not entries or story.pages is None:
        return []
    styles, metrics, layout = story.styles, story.metrics, story.layout
    title = tagged_paragraph(story.markup.run(layout.labels.contents, styles.heading2.fontName,
                                              None, where=layout.files[0]),
                             styles.heading2, parent.add("P"))
    toc = parent.add("TOC")
    # A right-to-left paper mirrors the lines: the numbers on the left, indents on the right.
    rtl = story.rtl
    # Flush with the margin: a number in a right-to-left paper runs right to left, where
    # BidiParagraph reads "right" as the end of the line, the left.
    number_style = ParagraphStyle("contents_number", parent=styles.body, spaceAfter=0,
                                  alignment=TA_RIGHT)
    rows = []
    for entry in entries:
        item = toc.add("TOCI")
        indent = (entry.level - 2) * metrics.list_indent
        style = ParagraphStyle(f"contents_{entry.level}", parent=styles.body, spaceAfter=0,
                               **({"leftIndent": indent} if not rtl else
                                  # a right-to-left line starts at the right by itself
                                  {"rightIndent": indent} if has_rtl(entry.text) else
                                  {"rightIndent": indent, "alignment": TA_RIGHT}))
        text = story.markup.inlines((Span(entry.text, href=f"#{entry.anchor}"),), style,
                                    "body", None)
        page = story.pages.get(bookmark_name(entry.anchor), 0)
        number = story.markup.run(str(page), styles.body.fontName, None,
                                  where=layout.files[0])
        row = [tagged_paragraph(text, style, item.add("P")),
               tagged_paragraph(number, number_style, item.add("P"))]
        rows.append(row[::-1] if rtl else row)
    width = NUMBER_WIDTH * layout.sizes.body
    widths = [story.frame_width - width, width]
    table = Table(rows, colWidths=widths[::-1] if rtl else widths, hAlign="LEFT",
                  spaceAfter=metrics.section_gap)
    table.setStyle(table_style(styles, [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), metrics.item_gap),
    ]))
    return [title, table, PageBreak()]
