"""The Word brief renderer: the paper written in reading order on a copy of the styled template."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, assert_never, cast

from kzreport.anchors import bookmark_name, note_bookmark
from kzreport.apparatus import acronym_blocks, has_back_matter, sources_heading
from kzreport.errors import Problem
from kzreport.labels import figure_numbers, headline_separator, table_numbers
from kzreport.layout import Layout
from kzreport.model import (
    Block,
    Blocks,
    Chart,
    Citation,
    CodeBlock,
    CrossRef,
    DefinitionList,
    Document,
    Figure,
    FootnoteRef,
    Heading,
    Inlines,
    KeyPoints,
    LineBreak,
    ListBlock,
    PageBreak,
    Paragraph,
    Quote,
    Rule,
    Span,
    Table,
    headline_parts,
    internal_target,
    plain_text,
)
from kzreport.renderers import register
from kzreport.renderers._brief_fields import (
    caption,
    internal_link,
    reference,
    table_of_contents,
)
from kzreport.renderers._brief_front import page_furniture, title_block
from kzreport.renderers._brief_notes import Footnotes
from kzreport.renderers._brief_sections import Sections
from kzreport.renderers._brief_template import styled_template
from kzreport.renderers._common import (
    breaks_in_turns,
    build_timestamp,
    fitted_size,
    on_landscape_pages,
    outline_level,
    xml_safe,
)
from kzreport.renderers._docx_internals import (
    cell_properties,
    paragraph_element,
    paragraph_properties,
    picture_properties,
    replace_part_blob,
    row_properties,
    table_properties,
    write_content_types_and_package_relationships,
)
from kzreport.renderers._docx_scripts import mark_scripts
from kzreport.renderers._package import (
    PackageParts,
    app_properties_xml,
    set_core_properties,
    write_package,
)
from kzreport.renderers._proportions import (
    FIGURE_MAX_HEIGHT,
    FOOTER_GAP,
    KEY_POINT_GAP,
    LIST_INDENT,
    Metrics,
    fit_table,
)
from kzreport.renderers._wordml import (
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

    from kzreport.extraction import Extraction


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

    def preflight(self, document: Document, layout: Layout) -> list[Problem]:
        """Nothing: everything this format would report, validation and the lint report."""
        return []

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
        self.tables = table_numbers(document)
        #: Pictures so far, which name them.
        self.pictures = 0
        #: Spacing in points, from the layout's sizes by the proportions the PDF shares.
        self.metrics = Metrics.of(layout)
        self.footer_gap = FOOTER_GAP * layout.sizes.small
        #: The level of the last heading written; the title counts as level 1.
        self.heading_level = 1
        #: The footnotes part, made with the first note.
        self.footnotes: Footnotes | None = None
        self.bookmarks = 0
        #: Whether the blocks being written are on landscape pages (see ``_body``).
        self.landscape = False

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
                case FootnoteRef():
                    self._footnote(paragraph, item)
                    link = None
                case CrossRef():
                    reference(self, paragraph, item)
                    link = None
                case Citation():
                    pass  # a marker: the formatted citation follows as spans or a note
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
        if span.strike:
            run.font.strike = True
        if span.script == "super":
            run.font.superscript = True
        elif span.script == "sub":
            run.font.subscript = True
        if span.code:
            run.font.name = self.layout.fonts.mono.name
            run.font.size = pt(self.layout.sizes.code)
        return run

    def _hyperlink(self, paragraph: WordParagraph, href: str) -> XmlElement:
        """A new ``w:hyperlink`` to ``href`` at the end of ``paragraph``: to a heading's
        bookmark for a link inside the paper, else to an address related from the paragraph's
        own part (the body, a header, a footer or the footnotes)."""
        from docx.opc.constants import RELATIONSHIP_TYPE

        target = internal_target(href)
        if target is not None:
            return internal_link(paragraph, target)
        link = element("w:hyperlink")
        rel_id = paragraph.part.relate_to(href, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
        link.set(qn("r:id"), rel_id)
        link.set(qn("w:history"), "1")
        paragraph_element(paragraph).append(link)
        return link

    def _bookmark(self, paragraph: WordParagraph, anchor: str) -> None:
        """Mark ``paragraph`` (a heading) as the bookmark links to ``#anchor`` go to."""
        self.bookmarks += 1
        start = element("w:bookmarkStart", id=str(self.bookmarks), name=bookmark_name(anchor))
        properties = paragraph_properties(paragraph)
        properties.addnext(start)
        paragraph_element(paragraph).append(element("w:bookmarkEnd", id=str(self.bookmarks)))

    def _footnote(self, paragraph: WordParagraph, ref: FootnoteRef) -> None:
        """A footnote reference in ``paragraph`` and the note it refers to, in Word's own
        footnotes: Word numbers them in order, as every format does (``labels``)."""
        if self.footnotes is None:
            self.footnotes = Footnotes(self.word)
        reference = self.style_ids["footnote reference"]
        label = note_bookmark(self.doc.footnote(ref).label, self._label_uses(ref))
        if label is not None:  # the source's label, for an import to bring back
            self.bookmarks += 1
            paragraph_element(paragraph).append(element("w:bookmarkStart",
                                                         id=str(self.bookmarks), name=label))
        run = paragraph.add_run()
        run.element.get_or_add_rPr().style = reference
        run.element.append(element("w:footnoteReference", id=str(ref.number)))
        if label is not None:
            paragraph_element(paragraph).append(element("w:bookmarkEnd", id=str(self.bookmarks)))
        for n, note_paragraph in enumerate(self.doc.footnote(ref).paragraphs):
            text = self.footnotes.paragraph(ref.number)
            paragraph_properties(text).style = self.style_ids["footnote text"]
            if n == 0:  # the note's own number, then its text
                mark = text.add_run()
                mark.element.get_or_add_rPr().style = reference
                mark.element.append(element("w:footnoteRef"))
                add_run(text, " ")
            self._runs(text, note_paragraph.inlines)

    def _label_uses(self, ref: FootnoteRef) -> int:
        """How many references before ``ref`` carry its note's label (a label referred to
        twice is two notes of one definition): each bookmark needs a name of its own."""
        label = self.doc.footnote(ref).label
        return sum(1 for note in self.doc.footnotes[:ref.number - 1] if note.label == label)

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
        page_furniture(self)
        title_block(self)
        table_of_contents(self)
        self._body()
        self._blocks(acronym_blocks(self.doc, self.layout), level=0)
        self._sources()
        self._further_reading()
        self._drop_template_leftovers()
        self._scripts()
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

    def _scripts(self) -> None:
        """Fallback fonts and right-to-left marks on the body, headers and footers."""
        stories = [part.element for part in self.word.part.package.parts
                   if str(part.partname).startswith(("/word/header", "/word/footer"))]
        mark_scripts([self.word.element.body, *stories], self.word.styles.element,
                     self.layout, self.doc.meta.language)

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

    def _body(self) -> None:
        """The paper's blocks, those ``on_landscape_pages`` names in sections of landscape
        pages (the PDF turns the same pages)."""
        turned = on_landscape_pages(self.doc.blocks, self.layout)
        if not any(turned):
            self._blocks(self.doc.blocks, level=0)
            return
        sections = Sections(self.word)
        skipped = breaks_in_turns(self.doc.blocks, turned)
        for index, (block, landscape) in enumerate(zip(self.doc.blocks, turned, strict=True)):
            if index in skipped:
                continue
            sections.turn(landscape)
            self.landscape = landscape
            self._block(block, level=0)
        if has_back_matter(self.doc):  # on portrait pages again
            sections.turn(False)
        sections.finish()
        self.landscape = False

    def _blocks(self, blocks: Blocks, level: int) -> None:
        for block in blocks:
            self._block(block, level)

    def _block(self, block: Block, level: int) -> None:
        match block:
            case Heading():
                self.heading_level = outline_level(block.level, self.heading_level)
                self._bookmark(self._paragraph(block.inlines, f"Heading {self.heading_level}"),
                               block.anchor)
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
            case DefinitionList():
                for item in block.items:
                    # The term in bold, kept with its definitions, which are indented below it.
                    term = self._paragraph(tuple(replace(i, bold=True) if isinstance(i, Span)
                                                 else i for i in item.term))
                    term.paragraph_format.keep_with_next = True
                    term.paragraph_format.space_after = pt(self.metrics.item_gap)
                    indent_paragraph(term, level)
                    for definition in item.definitions:
                        self._blocks(definition, level + 1)
            case PageBreak():
                from docx.enum.text import WD_BREAK

                self.word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
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
        self._bookmark(heading, section.anchor)
        self.heading_level = 2
        num_id = self._new_list(False, 1)
        for point in section.points:
            paragraph = self.add_paragraph(style="List Paragraph")
            for part in headline_parts(point):  # its notes' references where they are written
                if isinstance(part, FootnoteRef):
                    self._footnote(paragraph, part)
                    continue
                head = add_run(paragraph, xml_safe(part))
                head.bold = True
                head.font.color.rgb = rgb(self.layout.colors.primary)
            if point.headline and (separator := headline_separator(point)):
                add_run(paragraph, separator)
            self._runs(paragraph, point.inlines)
            number_paragraph(paragraph, num_id, 0)
            paragraph.paragraph_format.space_after = pt(KEY_POINT_GAP * self.layout.sizes.body)
            # A key point stays on the page of its details' start.
            paragraph.paragraph_format.keep_with_next = bool(point.details)
            self._blocks(point.details, 1)

    def _further_reading(self) -> None:
        links = self.doc.meta.links
        if not links:
            return
        self.add_paragraph(self.layout.labels.further_reading, "Heading 2")
        num_id = self._new_list(False, 1)
        for n, link in enumerate(links, 1):
            paragraph = self.add_paragraph(style="List Paragraph")
            self._runs(paragraph, (Span(link.label, href=link.url),))
            number_paragraph(paragraph, num_id, 0)
            # The short closing list stays together, with its heading.
            paragraph.paragraph_format.keep_with_next = n < len(links)

    def _sources(self) -> None:
        """The entries the paper cites under the layout's Sources heading, each paragraph
        hanging by a list indent (as in the PDF)."""
        heading = sources_heading(self.doc, self.layout)
        if heading is None:
            return
        self._block(heading, level=0)
        indent = pt(LIST_INDENT * self.layout.sizes.body)
        for source in self.doc.sources:
            paragraph = self._paragraph(source.inlines)
            paragraph.paragraph_format.left_indent = indent
            paragraph.paragraph_format.first_line_indent = -indent

    def _table(self, block: Table) -> None:
        from docx.enum.table import WD_TABLE_ALIGNMENT
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        colors = self.layout.colors
        aligns = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
                  "right": WD_ALIGN_PARAGRAPH.RIGHT}
        if block.caption:  # above the table, as Pandoc and Word place table captions
            label = caption(self, "tbl", self.layout.labels.table, self.tables[block],
                            block.anchor)
            self._runs(label, block.caption)
            label.paragraph_format.keep_with_next = True
        if block.chart is not None:  # the chart, then (a layout setting) its data table
            self._chart(block.chart, block.caption)
            if not self.layout.charts.data_table:
                return
        table = self.word.add_table(rows=1 + len(block.rows), cols=len(block.header))
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table_borders(table_properties(table), colors.rule, self.metrics)
        # Content-fitted columns, as the PDF's; fixed, so Word does not fit them again.
        page = self.layout.page.landscape() if self.landscape else self.layout.page
        fitted = fit_table(block, self.layout, page.width - page.margin_left - page.margin_right,
                           2 * self.metrics.cell_padding_x)
        table.autofit = False
        for column, width in zip(table.columns, fitted.widths, strict=True):
            column.width = pt(width)
        scale = fitted.size / self.layout.sizes.body
        # Rows by iteration: python-docx's rows[r] lists every row, quadratic in a long table.
        for r, (row, cells) in enumerate(zip(table.rows, (block.header, *block.rows),
                                             strict=True)):
            # A row never splits across pages (Word still splits one taller than a page); the
            # header row repeats on every page and is marked as a header for readers.
            tr_pr = row_properties(row)
            put(tr_pr, element("w:cantSplit"))
            if r == 0:
                put(tr_pr, element("w:tblHeader"))
            for c, inlines in enumerate(cells):
                cell = row.cells[c]
                cell.width = pt(fitted.widths[c])
                paragraph = cell.paragraphs[0]
                self._runs(paragraph, inlines)
                if scale != 1:
                    _scale_runs(paragraph, self.layout.sizes.body, scale)
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

    def _chart(self, chart: Chart, caption: Inlines) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        from kzreport.renderers._brief_charts import add_chart

        page = self.layout.page
        paragraph = self.word.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        add_chart(self.word, paragraph, self.doc, self.layout, chart, plain_text(caption),
                  page.width - page.margin_left - page.margin_right)

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
        self.pictures += 1
        doc_pr.set("name", f"Figure {self.pictures}")
        if figure.caption:
            self._runs(caption(self, "fig", self.layout.labels.figure, self.figures[figure],
                               figure.anchor), (Span(figure.caption),))



def _scale_runs(paragraph: WordParagraph, size: float, scale: float) -> None:
    """Set every run of ``paragraph`` (links' included) ``scale`` times its size, ``size``
    points for runs that take the style's."""
    from docx.oxml.text.run import CT_R
    from docx.text.run import Run

    for run_element in paragraph_element(paragraph).iter(qn("w:r")):
        run = Run(cast(CT_R, run_element), paragraph)
        current = run.font.size
        run.font.size = pt((current.pt if current is not None else size) * scale)
