"""The PDF's front: the title block on the layout's title band and the summary box."""

from __future__ import annotations

from typing import Any, Protocol

from reportlab.platypus import HRFlowable, Image, Table
from reportlab.platypus.doctemplate import Indenter

from kzreport.layout import Layout
from kzreport.model import Document
from kzreport.renderers._common import natural_size
from kzreport.renderers._pdf_flowables import tagged_paragraph
from kzreport.renderers._pdf_markup import Markup
from kzreport.renderers._pdf_structure import Element, OutlineEntry
from kzreport.renderers._pdf_styles import PdfFonts, PdfStyles, color, table_style
from kzreport.renderers._proportions import Metrics


class Story(Protocol):
    """What the front needs of the story being built."""

    document: Document
    layout: Layout
    styles: PdfStyles
    metrics: Metrics
    markup: Markup
    fonts: PdfFonts
    frame_width: float

    def outline(self, title: str, level: int, anchor: str = "") -> OutlineEntry: ...


def title_block(story: Story, parent: Element) -> list[Any]:
    """Logo, organization, title, subtitle, bylines and date on the layout's title band:
    the title is H1, the rest are P (the logo is decoration, an artifact)."""
    meta, lines, styles = story.document.meta, story.document.lines, story.styles
    band_text = story.layout.colors.title_band_text
    body_bold, body = story.fonts.name("body", True), story.fonts.name("body")
    content: list[Any] = []
    if meta.organization:
        content.append(tagged_paragraph(story.markup.run(
            meta.organization.upper(), story.fonts.name("heading", True),
            lines.get("organization")), styles.kicker, parent.add("P")))
    content.append(tagged_paragraph(story.markup.run(
        meta.title, styles.title.fontName, lines.get("title")), styles.title,
        parent.add("H1"), outline=story.outline(meta.title, 1)))
    if meta.subtitle:
        content.append(tagged_paragraph(story.markup.run(
            meta.subtitle, styles.subtitle.fontName, lines.get("subtitle")), styles.subtitle,
            parent.add("P")))
    authors_line = lines.get("authors")
    for author in meta.authors:
        text = story.markup.run(author.name, body_bold, authors_line, color_hex=band_text)
        if author.affiliation:
            text += story.markup.run(", " + author.affiliation, body, authors_line,
                                     color_hex=band_text)
        content.append(tagged_paragraph(text, styles.byline, parent.add("P")))
    content.append(tagged_paragraph(story.markup.run(
        story.layout.format_date(meta.date), body, lines.get("date")), styles.dateline,
        parent.add("P")))
    # The band bleeds into the margins by its padding, so its text lines up with the body.
    # The logo is a row of its own: a table cell aligns its flowables by the cell's
    # alignment, whatever their own hAlign says.
    pad = story.metrics.box_padding
    logo = story.layout.logo
    rows = [[_logo(story.layout)], [content]] if logo is not None else [[content]]
    band = Table(rows, colWidths=[story.frame_width + 2 * pad], hAlign="LEFT")
    band.setStyle(table_style(story.styles, [
        ("BACKGROUND", (0, 0), (-1, -1), color(story.layout.colors.title_band)),
        ("LEFTPADDING", (0, 0), (-1, -1), pad),
        ("RIGHTPADDING", (0, 0), (-1, -1), pad),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, 0), pad),
        ("BOTTOMPADDING", (0, -1), (-1, -1), pad),
        ("ALIGN", (0, 0), (-1, 0), "RIGHT" if logo and logo.placement == "right"
         else "LEFT"),
    ]))
    # The strong rule closing the title block spans the text column, like the body.
    rule = HRFlowable(width="100%", thickness=story.metrics.strong_rule,
                      color=color(story.layout.colors.primary), hAlign="LEFT",
                      spaceBefore=0, spaceAfter=story.metrics.section_gap)
    return [Indenter(-pad, -pad), band, Indenter(pad, pad), rule]


def _logo(layout: Layout) -> Any:
    logo = layout.logo
    assert logo is not None
    width_pt, height_pt = natural_size(logo.path)
    return Image(str(logo.path), width=logo.width, height=logo.width * height_pt / width_pt)


def summary_block(story: Story, parent: Element) -> list[Any]:
    """The summary in a tinted box with an accent bar, opened by its bold label (a Sect
    holding one P; the box is an artifact)."""
    summary = story.document.meta.summary
    if not summary:
        return []
    styles = story.styles
    label = story.markup.run(story.layout.labels.summary + ": ",
                             story.fonts.name("heading", True), None,
                             color_hex=story.layout.colors.primary,
                             where=story.layout.files[0])
    text = story.markup.run(summary, styles.summary.fontName, story.document.lines.get("summary"))
    # The accent bar is a column of its own, so it meets the tinted box edge to edge.
    bar = story.metrics.accent_bar
    paragraph = tagged_paragraph(label + text, styles.summary, parent.add("Sect").add("P"))
    cells, widths = ["", paragraph], [bar, story.frame_width - bar]
    # A right-to-left paper has the bar on the right.
    rtl = story.styles.rtl
    b, t = (1, 0) if rtl else (0, 1)  # the bar's column and the text's
    box = Table([cells[::-1] if rtl else cells], colWidths=widths[::-1] if rtl else widths,
                hAlign="LEFT", splitInRow=1, spaceAfter=story.metrics.section_gap)
    pad = story.metrics.box_padding
    box.setStyle(table_style(story.styles, [
        ("BACKGROUND", (b, 0), (b, -1), color(story.layout.colors.primary)),
        ("BACKGROUND", (t, 0), (t, -1), color(story.layout.colors.summary_background)),
        ("LEFTPADDING", (b, 0), (b, -1), 0),
        ("RIGHTPADDING", (b, 0), (b, -1), 0),
        ("LEFTPADDING", (t, 0), (t, -1), pad),
        ("RIGHTPADDING", (t, 0), (t, -1), pad),
        ("TOPPADDING", (0, 0), (-1, -1), pad),
        ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
    ]))
    return [box]
