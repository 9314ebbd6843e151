"""The Word brief renderer: the paper written in reading order on a copy of the styled template."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, assert_never

from kzreport.errors import Problem
from kzreport.extraction import Extraction
from kzreport.labels import figure_label, figure_numbers, fill_label, headline_separator, page_label
from kzreport.layout import Layout
from kzreport.model import (
    Block,
    Blocks,
    CodeBlock,
    Document,
    Figure,
    Heading,
    Inlines,
    KeyPoints,
    LineBreak,
    ListBlock,
    Paragraph,
    Quote,
    Rule,
    Span,
    Table,
)
from kzreport.renderers import register
from kzreport.renderers._brief_template import styled_template
from kzreport.renderers._common import build_timestamp, fitted_size, outline_level, xml_safe
from kzreport.renderers._docx_internals import (
    cell_properties,
    paragraph_element,
    paragraph_properties,
    picture_properties,
    remove_paragraph,
    replace_part_blob,
    row_properties,
    table_properties,
    write_content_types_and_package_relationships,
)
from kzreport.renderers._package import (
    PackageParts,
    app_properties_xml,
    set_core_properties,
    write_package,
)
from kzreport.renderers._proportions import (
    BYLINE_AFTER,
    FIGURE_MAX_HEIGHT,
    FOOTER_GAP,
    KEY_POINT_GAP,
    TITLE_AFTER,
    Metrics,
)
from kzreport.renderers._wordml import (
    add_field,
    add_run,
    border,
    element,
    indent_paragraph,
    number_paragraph,
    pt,
    put,
    qn,
    rgb,
    shade,
    table_borders,
)

if TYPE_CHECKING:
    from docx.text.paragraph import Paragraph as WordParagraph
    from lxml.etree import _Element as XmlElement


class DocxRenderer:
    """Writes the Word brief."""

    name = "docx"
    extension = ".docx"
    description = "Word brief"

    def render(self, document: Document, layout: Layout, path: Path) -> list[Problem]:
        """Write ``document`` as a .docx file at ``path``."""
        _BriefWriter(document, layout).save(path)
        return []

    def load(self) -> None:
        import docx  # noqa: F401

    def read(self, path: Path, layout: Layout) -> Extraction:
        from kzreport.readers.docx import read_docx

        return read_docx(path, layout)


register(DocxRenderer())


class _BriefWriter:
    """Builds one Word brief on a copy of its layout's styled template, the content in
    reading order."""

    def __init__(self, document: Document, layout: Layout) -> None:
        self.doc = document
        self.layout = layout
        template = styled_template(layout, document.meta.language)
        self.word = template.document.copy()
        self.style_ids = template.style_ids
        self.bullet_abstract, self.number_abstract = template.list_definitions
        self.figures = figure_numbers(document)
        #: Spacing in points, from the layout's sizes by the proportions the PDF shares.
        self.metrics = Metrics.of(layout)
        self.footer_gap = FOOTER_GAP * layout.sizes.small
        #: The level of the last heading written; the title counts as level 1.
        self.heading_level = 1

    def _new_list(self, ordered: bool, start: int) -> str:
        """A fresh list instance, so every numbered list restarts at its own ``start``."""
        numbering = self.word.part.numbering_part.element
        num_id = str(max((int(n.get(qn("w:numId"))) for n in numbering.iterchildren(
            qn("w:num"))), default=0) + 1)
        num = element("w:num", numId=num_id)
        num.append(element("w:abstractNumId",
                           val=self.number_abstract if ordered else self.bullet_abstract))
        override = element("w:lvlOverride", ilvl="0")
        override.append(element("w:startOverride", val=str(start)))
        num.append(override)
        numbering.append(num)
        return num_id

    # ------------------------------------------------------------ text

    def _runs(self, paragraph: WordParagraph, inlines: Inlines) -> None:
        """Add ``inlines`` to ``paragraph`` with their formatting; consecutive spans linking
        to the same address share one hyperlink."""
        link: XmlElement | None = None
        link_href: str | None = None
        for item in inlines:
            match item:
                case LineBreak():
                    paragraph.add_run().add_break()
                    link = None
                case Span():
                    run = self._span(paragraph, item)
                    if item.href is None:
                        link = None
                        continue
                    if link is None or link_href != item.href:
                        link, link_href = self._hyperlink(paragraph, item.href), item.href
                    run.element.get_or_add_rPr().style = self.style_ids["Hyperlink"]
                    link.append(run.element)
                case _:
                    assert_never(item)

    def _span(self, paragraph: WordParagraph, span: Span) -> Any:
        """A run of ``span``'s text in its bold, italic or code formatting."""
        run = add_run(paragraph, xml_safe(span.text))
        run.bold = span.bold or None
        run.italic = span.italic or None
        if span.code:
            run.font.name = self.layout.fonts.mono.name
            run.font.size = pt(self.layout.sizes.code)
        return run

    def _hyperlink(self, paragraph: WordParagraph, href: str) -> XmlElement:
        """A new ``w:hyperlink`` to ``href`` at the end of ``paragraph``, related from the
        paragraph's own part (the body, a header or a footer)."""
        from docx.opc.constants import RELATIONSHIP_TYPE

        rel_id = paragraph.part.relate_to(href, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
        link = element("w:hyperlink")
        link.set(qn("r:id"), rel_id)
        link.set(qn("w:history"), "1")
        paragraph_element(paragraph).append(link)
        return link

    def add_paragraph(self, text: str = "", style: str | None = None,
                      container: Any = None) -> WordParagraph:
        """A new paragraph of ``text`` at the end of ``container`` (default: the body), in the
        style called ``style``. The style is set by its id: python-docx, given a name or a style
        object, scans every style of the document each time (once the largest cost of a brief)."""
        paragraph: WordParagraph = (container or self.word).add_paragraph()
        if safe_text := xml_safe(text):
            add_run(paragraph, safe_text)
        if style is not None:
            paragraph_properties(paragraph).style = self.style_ids[style]
        return paragraph

    def _paragraph(self, inlines: Inlines, style: str | None = None) -> WordParagraph:
        paragraph = self.add_paragraph(style=style)
        self._runs(paragraph, inlines)
        return paragraph

    # ------------------------------------------------------------ document

    def save(self, path: Path) -> None:
        self._properties()
        self._page_furniture()
        self._title_block()
        self._blocks(self.doc.blocks, level=0)
        self._further_reading()
        self._drop_template_leftovers()
        write_package(self._parts(), path, build_timestamp(self.doc))

    def _parts(self) -> PackageParts:
        """The package's parts, serialized as ``Document.save`` would, without its zip."""
        package = self.word.part.package
        parts = PackageParts()
        for part in package.parts:
            part.before_marshal()
        write_content_types_and_package_relationships(parts, package)
        parts.write_parts(package.parts)
        return parts

    def _properties(self) -> None:
        set_core_properties(self.word.core_properties, self.doc)

    def _drop_template_leftovers(self) -> None:
        """Remove the template's thumbnail and sample custom XML so nothing of python-docx
        remains but the machinery."""
        from docx.opc.constants import RELATIONSHIP_TYPE

        package = self.word.part.package
        for rel_id, rel in list(package.rels.items()):
            if rel.reltype == RELATIONSHIP_TYPE.THUMBNAIL:
                del package.rels[rel_id]
        for rel_id, rel in list(self.word.part.rels.items()):
            if rel.reltype == RELATIONSHIP_TYPE.CUSTOM_XML:
                self.word.part.drop_rel(rel_id)
        replace_part_blob(package, "/docProps/app.xml", app_properties_xml(self.doc, {}))

    def _page_furniture(self) -> None:
        """Headers and footers (the template's, empty): marking banners top and bottom, a
        running header from page 2, and the disclaimer with "Page X of Y" on every page."""
        section = self.word.sections[0]
        running = fill_label(self.layout.labels.running_header, self.doc, self.layout)
        for header, with_running in ((section.first_page_header, False),
                                     (section.header, True)):
            self._banner(header.add_paragraph())
            if with_running and running:
                line = self.add_paragraph(running, "Header", header)
                border(paragraph_properties(line), {"bottom": (
                    self.layout.colors.rule, self.metrics.hairline, self.footer_gap)})
        for footer in (section.first_page_footer, section.footer):
            self._footer(footer)
            self._banner(footer.add_paragraph())
        for part in (section.header, section.first_page_header, section.footer,
                     section.first_page_footer):
            paragraphs = part.paragraphs
            if paragraphs and not paragraphs[0].text and not paragraphs[0].runs:
                remove_paragraph(paragraphs[0])

    def _banner(self, paragraph: WordParagraph) -> None:
        """The handling-marking banner: centred, bold, in the marking level's colours."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        marking = self.doc.meta.marking
        style = self.layout.marking_style(marking) if marking else None
        if marking is None or style is None:
            return
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_before = pt(self.footer_gap)
        paragraph.paragraph_format.space_after = pt(self.footer_gap)
        shade(paragraph_properties(paragraph), style.background)
        run = add_run(paragraph, xml_safe(marking))
        run.bold = True
        run.font.size = pt(self.layout.sizes.caption)
        run.font.color.rgb = rgb(style.text)

    def _footer(self, footer: Any) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        if self.doc.meta.disclaimer:
            disclaimer = self.add_paragraph(self.doc.meta.disclaimer, "Footer", footer)
            disclaimer.paragraph_format.space_after = pt(self.footer_gap)
            border(paragraph_properties(disclaimer),
                   {"top": (self.layout.colors.rule, self.metrics.hairline, self.footer_gap)})
        numbers = self.add_paragraph(style="Footer", container=footer)
        numbers.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        # "Page X of Y" is a label with two Word fields where the layout puts {page}/{pages}.
        label = page_label(self.layout, "\0PAGE\0", "\0NUMPAGES\0")
        for piece in label.split("\0"):
            if piece in ("PAGE", "NUMPAGES"):
                add_field(numbers, piece)
            elif piece:
                add_run(numbers, piece)

    def _title_block(self) -> None:
        """Organization, title, subtitle, byline and date on the layout's title band."""
        meta, colors, sizes = self.doc.meta, self.layout.colors, self.layout.sizes
        band: list[WordParagraph] = []
        if self.layout.logo is not None:
            band.append(self._logo())
        if meta.organization:
            org = self.word.add_paragraph()
            run = add_run(org, xml_safe(meta.organization).upper())
            run.font.size = pt(sizes.caption)
            run.font.color.rgb = rgb(colors.accent)
            run.bold = True
            band.append(org)
        title = self.add_paragraph(meta.title, "Title")
        band.append(title)
        if meta.subtitle:
            subtitle = self.add_paragraph(meta.subtitle, "Subtitle")
            band.append(subtitle)
        for author in meta.authors:
            byline = self.word.add_paragraph()
            add_run(byline, xml_safe(author.name)).bold = True
            if author.affiliation:
                add_run(byline, ", " + xml_safe(author.affiliation))
            band.append(byline)
        band.append(self.word.add_paragraph(self.layout.format_date(meta.date)))
        for paragraph in band:
            paragraph.paragraph_format.keep_with_next = True
            paragraph.paragraph_format.space_after = pt(BYLINE_AFTER * sizes.body)
            # The band's colour spans the text column; its text takes the band's text colour.
            shade(paragraph_properties(paragraph), colors.title_band)
            for run in paragraph.runs:
                if run.font.color.rgb is None:
                    run.font.color.rgb = rgb(colors.title_band_text)
        title.paragraph_format.space_after = pt(TITLE_AFTER * sizes.title)
        m = self.metrics
        border(paragraph_properties(band[-1]),
               {"bottom": (colors.primary, m.strong_rule, m.box_padding)})
        band[-1].paragraph_format.space_after = pt(m.section_gap)
        band[-1].paragraph_format.keep_with_next = False
        if meta.summary:
            box = self.word.add_paragraph()
            label = add_run(box, self.layout.labels.summary + ": ")
            label.bold = True
            label.font.color.rgb = rgb(colors.primary)
            add_run(box, xml_safe(meta.summary))
            ppr = paragraph_properties(box)
            border(ppr, {"left": (colors.primary, m.accent_bar, m.box_padding)})
            shade(ppr, colors.summary_background)
            box.paragraph_format.left_indent = pt(m.box_padding)
            box.paragraph_format.space_after = pt(m.section_gap)

    def _logo(self) -> WordParagraph:
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        logo = self.layout.logo
        assert logo is not None
        paragraph = self.word.add_paragraph()
        paragraph.alignment = (WD_ALIGN_PARAGRAPH.LEFT if logo.placement == "left"
                               else WD_ALIGN_PARAGRAPH.RIGHT)
        shape = paragraph.add_run().add_picture(str(logo.path), width=pt(logo.width))
        # A logo is decoration: screen readers should skip it.
        doc_pr = picture_properties(shape)
        doc_pr.set("descr", "")
        doc_pr.set("title", "Logo (decorative)")
        return paragraph

    def _blocks(self, blocks: Blocks, level: int) -> None:
        for block in blocks:
            self._block(block, level)

    def _block(self, block: Block, level: int) -> None:
        match block:
            case Heading():
                self.heading_level = outline_level(block.level, self.heading_level)
                self._paragraph(block.inlines, f"Heading {self.heading_level}")
            case Paragraph():
                indent_paragraph(self._paragraph(block.inlines), level)
            case ListBlock():
                self._list(block, level)
            case Quote():
                for inner in block.blocks:
                    if isinstance(inner, Paragraph):
                        indent_paragraph(self._paragraph(inner.inlines, "Quote"), level)
                    else:  # any other kind is written as it is outside a quote
                        self._block(inner, level)
            case CodeBlock():
                code = self.add_paragraph(style="Code Block")
                for n, line in enumerate(block.text.split("\n")):
                    if n:
                        code.add_run().add_break()
                    add_run(code, xml_safe(line))
                indent_paragraph(code, level)
            case Rule():
                rule = self.word.add_paragraph()
                border(paragraph_properties(rule), {"bottom": (
                    self.layout.colors.rule, self.metrics.hairline, 0)})
            case Table():
                self._table(block)
            case Figure():
                self._figure(block)
            case KeyPoints():
                self._key_points(block)
            case _:
                assert_never(block)

    def _list(self, block: ListBlock, level: int) -> None:
        num_id = self._new_list(block.ordered, block.start)
        for item in block.items:
            first, *rest = item.blocks or (Paragraph((), item.line),)
            if isinstance(first, Paragraph):
                paragraph = self._paragraph(first.inlines, "List Paragraph")
            else:
                paragraph = self.add_paragraph(style="List Paragraph")
                rest = [first, *rest]
            number_paragraph(paragraph, num_id, level)
            for inner in rest:
                self._block(inner, level + 1)

    def _key_points(self, section: KeyPoints) -> None:
        heading = self.add_paragraph(section.title, "Heading 2")
        heading.paragraph_format.keep_with_next = True
        self.heading_level = 2
        num_id = self._new_list(False, 1)
        for point in section.points:
            paragraph = self.add_paragraph(style="List Paragraph")
            if point.headline:
                head = add_run(paragraph, xml_safe(point.headline))
                head.bold = True
                head.font.color.rgb = rgb(self.layout.colors.primary)
                if separator := headline_separator(point):
                    add_run(paragraph, separator)
            self._runs(paragraph, point.inlines)
            number_paragraph(paragraph, num_id, 0)
            paragraph.paragraph_format.space_after = pt(KEY_POINT_GAP * self.layout.sizes.body)
            self._blocks(point.details, 1)

    def _further_reading(self) -> None:
        links = self.doc.meta.links
        if not links:
            return
        self.add_paragraph(self.layout.labels.further_reading, "Heading 2")
        num_id = self._new_list(False, 1)
        for link in links:
            paragraph = self.add_paragraph(style="List Paragraph")
            self._runs(paragraph, (Span(link.label, href=link.url),))
            number_paragraph(paragraph, num_id, 0)

    def _table(self, block: Table) -> None:
        from docx.enum.table import WD_TABLE_ALIGNMENT
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        colors = self.layout.colors
        aligns = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
                  "right": WD_ALIGN_PARAGRAPH.RIGHT}
        if block.caption:  # above the table, as Pandoc and Word place table captions
            self._paragraph(block.caption, "Caption").paragraph_format.keep_with_next = True
        table = self.word.add_table(rows=1 + len(block.rows), cols=len(block.header))
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table_borders(table_properties(table), colors.rule, self.metrics)
        # Rows by iteration: python-docx's rows[r] lists every row, quadratic in a long table.
        for r, (row, cells) in enumerate(zip(table.rows, (block.header, *block.rows),
                                             strict=True)):
            if r == 0:
                # Repeat the header row on every page, and mark it as a header for readers.
                tr_pr = row_properties(row)
                put(tr_pr, element("w:cantSplit"))
                put(tr_pr, element("w:tblHeader"))
            for c, inlines in enumerate(cells):
                cell = row.cells[c]
                paragraph = cell.paragraphs[0]
                self._runs(paragraph, inlines)
                paragraph.paragraph_format.space_after = pt(0)
                alignment = block.alignments[c] if c < len(block.alignments) else None
                if alignment:
                    paragraph.alignment = aligns[alignment]
                tc_pr = cell_properties(cell)
                if r == 0:
                    shade(tc_pr, colors.table_header_background)
                    for run in paragraph.runs:
                        run.bold = True
                        run.font.color.rgb = rgb(colors.table_header_text)
                elif r % 2 == 0:
                    shade(tc_pr, colors.table_stripe)
        spacer = self.word.add_paragraph()
        spacer.paragraph_format.space_after = pt(0)

    def _figure(self, figure: Figure) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        page = self.layout.page
        width, height = fitted_size(
            figure.path, page.width - page.margin_left - page.margin_right,
            FIGURE_MAX_HEIGHT * (page.height - page.margin_top - page.margin_bottom))
        paragraph = self.word.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.keep_with_next = True
        run = paragraph.add_run()
        shape = run.add_picture(str(figure.path), width=pt(width), height=pt(height))
        doc_pr = picture_properties(shape)
        doc_pr.set("descr", xml_safe(figure.alt))
        number = self.figures[figure]
        doc_pr.set("name", f"Figure {number}")
        if figure.caption:
            label = figure_label(self.layout, number)
            caption = self.add_paragraph(style="Caption")
            add_run(caption, label + " ").bold = True
            add_run(caption, xml_safe(figure.caption))

