"""The brief's front and furniture: the title band, the summary box, headers and footers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from kzreport.labels import fill_label, page_label
from kzreport.layout import Layout
from kzreport.model import Document
from kzreport.renderers._common import xml_safe
from kzreport.renderers._docx_internals import (
    paragraph_properties,
    picture_properties,
    remove_paragraph,
)
from kzreport.renderers._proportions import BYLINE_AFTER, TITLE_AFTER, Metrics
from kzreport.renderers._wordml import add_field, add_run, border, pt, rgb, shade

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.text.paragraph import Paragraph as WordParagraph


class Brief(Protocol):
    """What the front and the furniture need of the brief being written."""

    doc: Document
    layout: Layout
    word: WordDocument
    metrics: Metrics
    footer_gap: float

    def add_paragraph(self, text: str = "", style: str | None = None,
                      container: Any = None) -> WordParagraph: ...


def page_furniture(brief: Brief) -> None:
    """Headers and footers (the template's, empty): marking banners top and bottom, a
    running header from page 2, and the disclaimer with "Page X of Y" on every page."""
    section = brief.word.sections[0]
    running = fill_label(brief.layout.labels.running_header, brief.doc, brief.layout)
    for header, with_running in ((section.first_page_header, False),
                                 (section.header, True)):
        _banner(brief, header.add_paragraph())
        if with_running and running:
            line = brief.add_paragraph(running, "Header", header)
            border(paragraph_properties(line), {"bottom": (
                brief.layout.colors.rule, brief.metrics.hairline, brief.footer_gap)})
    for footer in (section.first_page_footer, section.footer):
        _footer(brief, footer)
        _banner(brief, footer.add_paragraph())
    for part in (section.header, section.first_page_header, section.footer,
                 section.first_page_footer):
        paragraphs = part.paragraphs
        if paragraphs and not paragraphs[0].text and not paragraphs[0].runs:
            remove_paragraph(paragraphs[0])

def _banner(brief: Brief, paragraph: WordParagraph) -> None:
    """The handling-marking banner: centred, bold, in the marking level's colours."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    marking = brief.doc.meta.marking
    style = brief.layout.marking_style(marking) if marking else None
    if marking is None or style is None:
        return
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_before = pt(brief.footer_gap)
    paragraph.paragraph_format.space_after = pt(brief.footer_gap)
    shade(paragraph_properties(paragraph), style.background)
    run = add_run(paragraph, xml_safe(marking))
    run.bold = True
    run.font.size = pt(brief.layout.sizes.caption)
    run.font.color.rgb = rgb(style.text)

def _footer(brief: Brief, footer: Any) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    if brief.doc.meta.disclaimer:
        disclaimer = brief.add_paragraph(brief.doc.meta.disclaimer, "Footer", footer)
        disclaimer.paragraph_format.space_after = pt(brief.footer_gap)
        border(paragraph_properties(disclaimer),
               {"top": (brief.layout.colors.rule, brief.metrics.hairline, brief.footer_gap)})
    numbers = brief.add_paragraph(style="Footer", container=footer)
    numbers.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    # "Page X of Y" is a label with two Word fields where the layout puts {page}/{pages}.
    label = page_label(brief.layout, "\0PAGE\0", "\0NUMPAGES\0")
    for piece in label.split("\0"):
        if piece in ("PAGE", "NUMPAGES"):
            add_field(numbers, piece)
        elif piece:
            add_run(numbers, piece)

def title_block(brief: Brief) -> None:
    """Organization, title, subtitle, byline and date on the layout's title band."""
    meta, colors, sizes = brief.doc.meta, brief.layout.colors, brief.layout.sizes
    band: list[WordParagraph] = []
    if brief.layout.logo is not None:
        band.append(_logo(brief))
    if meta.organization:
        org = brief.word.add_paragraph()
        run = add_run(org, xml_safe(meta.organization).upper())
        run.font.size = pt(sizes.caption)
        run.font.color.rgb = rgb(colors.accent)
        run.bold = True
        band.append(org)
    title = brief.add_paragraph(meta.title, "Title")
    band.append(title)
    if meta.subtitle:
        subtitle = brief.add_paragraph(meta.subtitle, "Subtitle")
        band.append(subtitle)
    for author in meta.authors:
        byline = brief.word.add_paragraph()
        add_run(byline, xml_safe(author.name)).bold = True
        if author.affiliation:
            add_run(byline, ", " + xml_safe(author.affiliation))
        band.append(byline)
    band.append(brief.word.add_paragraph(brief.layout.format_date(meta.date)))
    m = brief.metrics
    # Borders in the band's own colour pad it as the PDF's: Word draws them outside the
    # text, so the text lines up with the body and the band bleeds into the margins, and
    # paragraphs with the same borders share one box.
    padding = {edge: (colors.title_band, m.hairline, m.box_padding)
               for edge in ("top", "left", "bottom", "right")}
    for paragraph in band:
        paragraph.paragraph_format.keep_with_next = True
        paragraph.paragraph_format.space_after = pt(BYLINE_AFTER * sizes.body)
        # The band's colour spans the text column; its text takes the band's text colour.
        properties = paragraph_properties(paragraph)
        border(properties, padding)
        shade(properties, colors.title_band)
        for run in paragraph.runs:
            if run.font.color.rgb is None:
                run.font.color.rgb = rgb(colors.title_band_text)
    title.paragraph_format.space_after = pt(TITLE_AFTER * sizes.title)
    band[-1].paragraph_format.space_after = pt(0)
    # The strong rule under the band spans the text column, like the PDF's: the bottom
    # border of a paragraph one point high.
    rule = brief.word.add_paragraph()
    rule.paragraph_format.line_spacing = pt(1)
    rule.paragraph_format.space_after = pt(m.section_gap)
    border(paragraph_properties(rule), {"bottom": (colors.primary, m.strong_rule, 0)})
    if meta.summary:
        box = brief.word.add_paragraph()
        label = add_run(box, brief.layout.labels.summary + ": ")
        label.bold = True
        label.font.color.rgb = rgb(colors.primary)
        add_run(box, xml_safe(meta.summary))
        ppr = paragraph_properties(box)
        # Padded like the PDF's box: borders in the box's colour, inside the text column.
        pad = (colors.summary_background, m.hairline, m.box_padding)
        border(ppr, {"top": pad, "left": (colors.primary, m.accent_bar, m.box_padding),
                     "bottom": pad, "right": pad})
        shade(ppr, colors.summary_background)
        box.paragraph_format.left_indent = pt(m.box_padding)
        box.paragraph_format.right_indent = pt(m.box_padding)
        box.paragraph_format.space_before = pt(m.box_padding)
        box.paragraph_format.space_after = pt(m.section_gap + m.box_padding)

def _logo(brief: Brief) -> WordParagraph:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    logo = brief.layout.logo
    assert logo is not None
    paragraph = brief.word.add_paragraph()
    paragraph.alignment = (WD_ALIGN_PARAGRAPH.LEFT if logo.placement == "left"
                           else WD_ALIGN_PARAGRAPH.RIGHT)
    shape = paragraph.add_run().add_picture(str(logo.path), width=pt(logo.width))
    # A logo is decoration: screen readers should skip it.
    doc_pr = picture_properties(shape)
    doc_pr.set("descr", "")
    doc_pr.set("title", "Logo (decorative)")
    return paragraph
