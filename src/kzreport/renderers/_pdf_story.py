"""The story: the document's blocks as flowables and, alongside, their structure tree."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, assert_never

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import HRFlowable, Spacer, Table
from reportlab.platypus import PageBreak as PdfPageBreak
from reportlab.platypus.doctemplate import Indenter, NextPageTemplate

from kzreport.anchors import bookmark_name
from kzreport.apparatus import acronym_blocks, has_back_matter
from kzreport.labels import (
    BULLETS,
    CAPTION_ITALIC,
    NUMBER_STYLES,
    chart_description,
    figure_label,
    figure_numbers,
    footnote_mark,
    headline_separator,
    list_marker,
    table_label,
    table_numbers,
)
from kzreport.layout import Layout
from kzreport.model import (
    Block,
    Blocks,
    Chart,
    CodeBlock,
    DefinitionList,
    Document,
    Figure,
    FootnoteRef,
    Heading,
    Inlines,
    KeyPoints,
    ListBlock,
    ListItem,
    PageBreak,
    Paragraph,
    Quote,
    Rule,
    Span,
    headline_parts,
    plain_text,
)
from kzreport.model import Table as TableBlock
from kzreport.renderers._common import (
    breaks_in_turns,
    fitted_size,
    on_landscape_pages,
    outline_level,
    xml_escape,
    xml_safe,
)
from kzreport.renderers._pdf_back_matter import further_reading, sources
from kzreport.renderers._pdf_contents import contents_page
from kzreport.renderers._pdf_flowables import (
    TOP,
    BarredFlowable,
    BarSegment,
    MirroredCell,
    Nesting,
    QuoteBar,
    RowDrawing,
    TaggedDrawing,
    TaggedImage,
    tagged_paragraph,
)
from kzreport.renderers._pdf_front import summary_block, title_block
from kzreport.renderers._pdf_markup import Markup, note_destination
from kzreport.renderers._pdf_structure import Element, OutlineEntry, StructureTree
from kzreport.renderers._pdf_styles import PdfStyles, color, table_style
from kzreport.renderers._proportions import FIGURE_MAX_HEIGHT, fit_table

#: The page templates of the pages after the first, portrait and landscape.
LATER_PAGES, LANDSCAPE_PAGES = "later", "landscape"
#: Two or more spaces in code; all but the first become no-break spaces so they survive.
_SPACE_RUN = re.compile(" {2,}")
#: Spaces in code before tabs are expanded to this many columns.
_TAB_COLUMNS = 4
#: A list's /ListNumbering by its number style, or by the bullet of its nesting depth.
_NUMBERING = {NUMBER_STYLES[0]: "Decimal", NUMBER_STYLES[1]: "LowerAlpha",
              NUMBER_STYLES[2]: "LowerRoman", BULLETS[0]: "Disc", BULLETS[1]: "Circle",
              BULLETS[2]: "Square"}



class StoryBuilder:
    """Builds the PDF's flowables from the document, in the Word brief's order, and the
    structure tree they are tagged with: each method adds its elements under ``parent``, in
    reading order, and gives its flowables the element their content belongs to."""

    def __init__(self, document: Document, layout: Layout, styles: PdfStyles, markup: Markup,
                 frame_width: float, frame_height: float,
                 tree: StructureTree | None = None,
                 pages: dict[str, int] | None = None,
                 landscape_frame: tuple[float, float] | None = None) -> None:
        self.document = document
        #: The page each heading's bookmark is on, for the contents (None: no contents).
        self.pages = pages
        self.layout = layout
        self.styles = styles
        self.metrics = styles.metrics
        self.markup = markup
        self.fonts = styles.fonts
        self.frame_width = frame_width
        self.frame_height = frame_height
        #: The width and height of a landscape page's frame, for a wide table's pages.
        self.landscape_frame = landscape_frame
        self.figures = figure_numbers(document)
        self.tables = table_numbers(document)
        self._bulleted: dict[tuple[str, float], ParagraphStyle] = {}
        self.tree = tree if tree is not None else StructureTree()
        self._bookmarks: list[OutlineEntry] = []
        #: The level of the last heading tagged; the title counts as level 1.
        self.heading_level = 1
        #: Each footnote's paragraphs, by number, made where the text refers to it; the
        #: frames put them at the foot of the page (``_pdf_notes``).
        self.notes: dict[int, list[Any]] = {}
        #: A right-to-left paper is mirrored: lists and quotes indent from the right, a
        #: table's first column is its rightmost, the summary's bar is on its right.
        self.rtl = styles.rtl

    def story(self) -> list[Any]:
        """Title block, summary, body with Key Points, sources, further reading."""
        root = self.tree.root
        return [*title_block(self, root), *summary_block(self, root),
                *contents_page(self, root), *self.body(root),
                *self.blocks(acronym_blocks(self.document, self.layout), TOP, root),
                *sources(self, root), *further_reading(self, root)]

    def body(self, root: Element) -> list[Any]:
        """The paper's blocks, those ``on_landscape_pages`` names on pages of the
        ``landscape`` page template (framed ``landscape_frame``), each run of them from a new
        page to a new page (unless nothing follows the blocks: ``has_back_matter``)."""
        blocks = self.document.blocks
        turned = on_landscape_pages(blocks, self.layout) if self.landscape_frame else ()
        if not any(turned):
            return self.blocks(blocks, TOP, root)
        assert self.landscape_frame is not None
        portrait = (self.frame_width, self.frame_height)
        out: list[Any] = []
        landscape = False
        skipped = breaks_in_turns(blocks, turned)
        for index, (block, wide) in enumerate(zip(blocks, turned, strict=True)):
            if index in skipped:
                continue
            if wide != landscape:
                out += [NextPageTemplate(LANDSCAPE_PAGES if wide else LATER_PAGES),
                        PdfPageBreak()]
                landscape = wide
            self.frame_width, self.frame_height = self.landscape_frame if wide else portrait
            out += self.block(block, TOP, root)
        self.frame_width, self.frame_height = portrait
        if landscape and has_back_matter(self.document):
            out += [NextPageTemplate(LATER_PAGES), PdfPageBreak()]
        return out

    def outline(self, title: str, level: int, anchor: str = "") -> OutlineEntry:
        """The bookmark of a level-``level`` heading (the title is level 1): named by the
        heading's identifier, which links inside the paper go to."""
        key = bookmark_name(anchor) if anchor else f"kzreport-heading-{len(self._bookmarks) + 1}"
        entry = OutlineEntry(" ".join(xml_safe(title).split()), level - 1, key)
        self._bookmarks.append(entry)
        return entry

    def _noted(self, paragraph: Any) -> tuple[int, ...]:
        """Attach to ``paragraph`` (just made) the footnotes its markup refers to: each note's
        paragraphs are made, tagged as a Note that moves in after its reference's Link when
        that is drawn; return their numbers."""
        numbers = tuple(self.markup.take_references())
        for number in numbers:
            note = paragraph.tags.element.add("Note")
            paragraph.tags.notes["#" + note_destination(number)] = note
            self.notes[number] = self._note(number, note)
        paragraph.footnotes = numbers
        return numbers

    def _note(self, number: int, element: Element) -> list[Any]:
        """Footnote ``number``'s paragraphs: the first opens with the number, a Lbl whose
        Link goes back to the reference."""
        note = self.document.footnotes[number - 1]
        style = self.styles.footnote
        mark = footnote_mark(number)
        self.markup.glyphs.check(mark, style.bulletFontName, note.line)
        out = []
        for n, paragraph in enumerate(note.paragraphs):
            text = self.markup.inlines(paragraph.inlines, style, "body", paragraph.line)
            if n == 0:
                label = element.add("Lbl").add("Link", contents=mark)
                out.append(tagged_paragraph(text, style, element.add("P"), bullet=mark,
                                            label=label, note=number))
            else:
                out.append(tagged_paragraph(text, style, element.add("P")))
        self.markup.take_references()  # a note refers to no note: the parser sees to that
        return out

    # ------------------------------------------------------------ body

    def blocks(self, blocks: Blocks, nesting: Nesting, parent: Element) -> list[Any]:
        """The flowables of ``blocks``, in order."""
        out: list[Any] = []
        for block in blocks:
            out.extend(self.block(block, nesting, parent))
        return out

    def block(self, block: Block, nesting: Nesting, parent: Element) -> list[Any]:
        """The flowables of one block, its structure elements added under ``parent``."""
        match block:
            case Heading():
                return self.heading(block, parent)
            case Paragraph():
                return [self.paragraph(block.inlines, block.line, nesting, parent.add("P"))]
            case ListBlock():
                return self.list_block(block, nesting, parent)
            case Quote():
                return self.quote(block, nesting, parent)
            case CodeBlock():
                return self.code(block, nesting, parent)
            case Rule():
                return [self.rule(nesting)]
            case TableBlock():
                return self.table(block, nesting, parent)
            case Figure():
                return self.figure(block, nesting, parent)
            case KeyPoints():
                return self.key_points(block, parent)
            case DefinitionList():
                return self.definition_list(block, nesting, parent)
            case PageBreak():
                return [PdfPageBreak()]
            case _:
                assert_never(block)

    def heading(self, block: Heading, parent: Element, where: Path | None = None) -> list[Any]:
        """An H2 or H3, bookmarked."""
        level = self.heading_level = outline_level(block.level, self.heading_level)
        style = self.styles.heading2 if level == 2 else self.styles.heading3
        if where is not None:  # a layout label, not source text
            text = self.markup.run(plain_text(block.inlines), style.fontName, None, where=where)
        else:
            text = self.markup.inlines(block.inlines, style, "heading", block.line, bold=True)
        paragraph = tagged_paragraph(text, style, parent.add(f"H{level}"),
                                     outline=self.outline(plain_text(block.inlines), level,
                                                           block.anchor))
        self._noted(paragraph)
        return [paragraph]

    def paragraph(self, inlines: Inlines, line: int, nesting: Nesting, element: Element, *,
                  style: ParagraphStyle | None = None, marker: str | None = None,
                  marker_space: float = 0.0, lead: str = "",
                  label: Element | None = None) -> Any:
        """A paragraph whose text is ``element``'s content; with ``marker``, a list item's
        first paragraph with its bullet or number (``label``'s content) hanging
        ``marker_space`` points to the left. ``lead`` is markup put before the text."""
        if style is None:
            style = self.styles.list_item if nesting.in_list else self.styles.body
        text = lead + self.markup.inlines(inlines, style, "body", line,
                                          italic=bool(nesting.quotes))
        if marker is None:
            paragraph = tagged_paragraph(text, style, element)
        else:
            self.markup.glyphs.check(marker, style.bulletFontName, line)
            paragraph = tagged_paragraph(text, self._with_bullet(style, marker_space), element,
                                         bullet=xml_escape(marker), label=label)
        self._noted(paragraph)
        return self._leaf(paragraph, nesting)

    def _with_bullet(self, style: ParagraphStyle, space: float) -> ParagraphStyle:
        # List content sits inside an Indenter; the marker hangs back into the indent.
        key = (style.name, space)
        if key not in self._bulleted:
            self._bulleted[key] = ParagraphStyle(f"{style.name}_bullet_{space:g}", parent=style,
                                                 bulletIndent=-space)
        return self._bulleted[key]

    def list_block(self, block: ListBlock, nesting: Nesting, parent: Element) -> list[Any]:
        """An L of LI, each with its marker as Lbl and its blocks in an LBody."""
        markers = [list_marker(block.ordered, nesting.depth, n)
                   for n in range(block.start, block.start + len(block.items))]
        space = self._marker_space(markers)
        inner = replace(nesting, indent=nesting.indent + space, depth=nesting.depth + 1,
                        in_list=True)
        style = NUMBER_STYLES[nesting.depth % len(NUMBER_STYLES)] if block.ordered else markers[0]
        element = parent.add("L", numbering=_NUMBERING[style])
        out: list[Any] = [self._indent(space)]
        for item, marker in zip(block.items, markers, strict=True):
            out.extend(self.list_item(item, marker, space, inner, element.add("LI")))
        out.append(self._outdent(space))
        if not nesting.in_list:
            # Items sit close together; the list as a whole is spaced like a paragraph.
            out.append(Spacer(0, self.metrics.paragraph_gap - self.metrics.item_gap))
        return out

    def _marker_space(self, markers: Sequence[str]) -> float:
        style = self.styles.list_item
        widest = max((self.fonts.width(m, style.bulletFontName, style.bulletFontSize)
                      for m in markers), default=0.0)
        return max(self.metrics.list_indent, widest + self.metrics.marker_gap)

    def list_item(self, item: ListItem, marker: str, space: float, nesting: Nesting,
                  element: Element) -> list[Any]:
        label, body = element.add("Lbl"), element.add("LBody")
        # The marker needs a line of its own when the item is empty or opens with, say, a code
        # block; an empty paragraph has no line to hang it on, a no-break space has one.
        marker_line = Paragraph((Span("\u00a0"),), item.line)
        first, *rest = item.blocks or (marker_line,)
        if not isinstance(first, Paragraph):
            first, rest = marker_line, [first, *rest]
        return [self.paragraph(first.inlines, first.line, nesting, body.add("P"), marker=marker,
                               marker_space=space, label=label),
                *self.blocks(tuple(rest), nesting, body)]

    def key_points(self, section: KeyPoints, parent: Element) -> list[Any]:
        """The section title as a heading; each point a bullet with its bold headline, then its
        details beneath (an L whose LBody holds the point's P and its details)."""
        out = self.heading(Heading(2, (Span(section.title),), section.line, section.anchor),
                           parent)
        marker = BULLETS[0]
        space = self._marker_space([marker])
        inner = Nesting(indent=space, depth=1, in_list=True)
        primary = self.layout.colors.primary
        points = parent.add("L", numbering=_NUMBERING[marker])
        out.append(self._indent(space))
        for point in section.points:
            item = points.add("LI")
            label, body = item.add("Lbl"), item.add("LBody")
            lead = ""
            if point.headline:  # its notes' references where they are written
                lead = "".join(
                    self.markup.inlines((part,), self.styles.list_item, "body", point.line)
                    if isinstance(part, FootnoteRef) else
                    self.markup.run(part, self.fonts.name("body", True), point.line,
                                    color_hex=primary) for part in headline_parts(point)
                ) + headline_separator(point)
            # A key point stays on the page of its details' start.
            style = self.styles.key_point_kept if point.details else self.styles.key_point
            out.append(self.paragraph(point.inlines, point.line, inner, body.add("P"),
                                      style=style, marker=marker,
                                      marker_space=space, lead=lead, label=label))
            out.extend(self.blocks(point.details, inner, body))
        out.append(self._outdent(space))
        return out

    def definition_list(self, block: DefinitionList, nesting: Nesting,
                        parent: Element) -> list[Any]:
        """An L of LI, each with its term as Lbl (bold, kept with what follows) and its
        definitions, indented, in an LBody."""
        indent = self.metrics.list_indent
        inner = replace(nesting, indent=nesting.indent + indent)
        element = parent.add("L")
        out: list[Any] = []
        for item in block.items:
            entry = element.add("LI")
            term = tagged_paragraph(self.markup.inlines(item.term, self.styles.term, "body",
                                                        item.line, bold=True,
                                                        italic=bool(nesting.quotes)),
                                    self.styles.term, entry.add("Lbl"))
            self._noted(term)
            out.append(self._leaf(term, nesting))
            body = entry.add("LBody")
            out.append(self._indent(indent))
            for definition in item.definitions:
                out.extend(self.blocks(definition, inner, body))
            out.append(Indenter(left=-indent))
        return out

    def quote(self, block: Quote, nesting: Nesting, parent: Element) -> list[Any]:
        """A BlockQuote of its blocks (the bar beside it is an artifact)."""
        indent = self.metrics.quote_indent
        inner = replace(nesting, indent=nesting.indent + indent,
                        quotes=(*nesting.quotes, QuoteBar(nesting.indent)))
        return [self._indent(indent), *self.blocks(block.blocks, inner, parent.add("BlockQuote")),
                self._outdent(indent)]

    def code(self, block: CodeBlock, nesting: Nesting, parent: Element) -> list[Any]:
        """A P (PDF 1.7's Code is an inline element); its shading is an artifact. Long blocks
        are set as consecutive paragraphs of ``CODE_CHUNK_LINES`` lines, one shaded box to the
        eye and one P to a reader."""
        font = self.styles.code.fontName
        lines = [self.markup.run(_code_line(line), font, block.line)
                 for line in block.text.split("\n")]
        element = parent.add("P")
        starts = range(0, len(lines), CODE_CHUNK_LINES)
        return [self._leaf(tagged_paragraph(
                    "<br/>".join(lines[start:start + CODE_CHUNK_LINES]),
                    self.styles.code_part(first=start == 0,
                                          last=start + CODE_CHUNK_LINES >= len(lines)),
                    element), nesting)
                for start in starts]

    def rule(self, nesting: Nesting) -> Any:
        """A decorative rule: no element (the canvas draws it as an artifact)."""
        gap = self.metrics.paragraph_gap
        return self._leaf(HRFlowable(width="100%", thickness=self.metrics.hairline,
                                     color=color(self.layout.colors.rule), hAlign="LEFT",
                                     spaceBefore=gap, spaceAfter=gap), nesting)

    def table(self, block: TableBlock, nesting: Nesting, parent: Element) -> list[Any]:
        """Its caption, if any, then a Table of TR rows: the header row's cells TH (column
        scope), the others TD. The header row repeated on later pages is an artifact (see
        TaggedParagraph.draw)."""
        styles, colors = self.styles, self.layout.colors
        fitted = fit_table(block, self.layout, self.frame_width - nesting.indent,
                           2 * self.metrics.cell_padding_x)
        cell, header_cell = styles.sized(styles.cell, fitted.size), \
            styles.sized(styles.header_cell, fitted.size)
        aligns = [block.alignments[c] if c < len(block.alignments) else None
                  for c in range(len(block.header))]
        chart = []
        if block.chart is not None:  # the chart first, its data table after it
            chart = self.chart(block, block.chart, nesting, parent)
            if not self.layout.charts.data_table:  # a layout setting
                return chart
        element = parent.add("Table")
        caption = None
        if block.caption and not chart:  # above the table, the Table element's first child
            caption = tagged_paragraph(self.table_caption(block), self.styles.caption,
                                       element.add("Caption"))
            self._noted(caption)
            caption.keepWithNext = 1
        header_row = element.add("TR")
        notes: list[int] = []

        def cell_paragraph(text: str, style: ParagraphStyle, cell_element: Element) -> Any:
            paragraph = tagged_paragraph(text, style, cell_element)
            notes.extend(self._noted(paragraph))
            return paragraph

        header = [cell_paragraph(self.markup.inlines(cell_inlines, header_cell, "body",
                                                     block.line, bold=True),
                                 styles.aligned(header_cell, aligns[c]),
                                 header_row.add("TH", scope="Column"))
                  for c, cell_inlines in enumerate(block.header)]
        rows = []
        for row in block.rows:
            row_element = element.add("TR")
            rows.append([cell_paragraph(self.markup.inlines(cell_inlines, cell, "body",
                                                            block.line),
                                        styles.aligned(cell, aligns[c]),
                                        row_element.add("TD"))
                         for c, cell_inlines in enumerate(row)])
        # A row never splits across pages, unless it is taller than a page below the header.
        room = self.frame_height - self._row_height(header, fitted.widths)
        split_in_row = int(any(self._row_height(row, fitted.widths) > room for row in rows))
        widths = list(fitted.widths)
        if self.rtl:  # the first column on the right, the text still in reading order
            header, *rows = [_mirrored(row) for row in (header, *rows)]
            widths = widths[::-1]
        table = Table([header, *rows], colWidths=widths, repeatRows=1,
                      hAlign="RIGHT" if self.rtl else "LEFT", splitInRow=split_in_row,
                      spaceBefore=self.metrics.item_gap, spaceAfter=self.metrics.section_gap)
        rule = color(colors.rule)
        table.setStyle(table_style(self.styles, [
            ("BACKGROUND", (0, 0), (-1, 0), color(colors.table_header_background)),
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), [None, color(colors.table_stripe)]),
            ("LINEBELOW", (0, 1), (-1, -1), self.metrics.hairline, rule),
            ("BOX", (0, 0), (-1, -1), self.metrics.hairline, rule),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), self.metrics.cell_padding_x),
            ("RIGHTPADDING", (0, 0), (-1, -1), self.metrics.cell_padding_x),
            ("TOPPADDING", (0, 0), (-1, -1), self.metrics.cell_padding_y),
            ("BOTTOMPADDING", (0, 0), (-1, -1), self.metrics.cell_padding_y),
        ]))
        # Split across pages, each piece takes the notes of its rows (see share_notes).
        table.footnotes = tuple(notes)
        return [*chart, *(self._leaf(f, nesting) for f in (caption, table) if f is not None)]

    def chart(self, block: TableBlock, chart: Chart, nesting: Nesting,
              parent: Element) -> list[Any]:
        """A Figure holding the chart as vector graphics, its alt text naming the chart and
        every value, under its caption."""
        heading = None
        if block.caption:  # its element first: the tree's order is the reading order
            heading = tagged_paragraph(self.table_caption(block), self.styles.caption,
                                       parent.add("Caption"))
            self._noted(heading)
            heading.keepWithNext = 1
        element = parent.add("Figure", alt=" ".join(xml_safe(
            chart_description(chart, plain_text(block.caption))).split()))
        # reportlab's charts load only for a paper that has one (50 million instructions).
        from kzreport.renderers._pdf_charts import chart_drawing

        drawing = TaggedDrawing(chart_drawing(chart, self.layout, self.fonts.name("body"),
                                              self.frame_width - nesting.indent), element)
        drawing.spaceBefore = drawing.spaceAfter = self.metrics.item_gap
        return [self._leaf(f, nesting) for f in (heading, drawing) if f is not None]

    def _row_height(self, row: list[Any], widths: Sequence[float]) -> float:
        """A table row's height at ``widths``: its tallest cell, padding included."""
        pad_x, pad_y = self.metrics.cell_padding_x, self.metrics.cell_padding_y
        return 2 * pad_y + max(float(cell.wrap(width - 2 * pad_x, self.frame_height)[1])
                               for cell, width in zip(row, widths, strict=True))

    def figure(self, block: Figure, nesting: Nesting, parent: Element) -> list[Any]:
        """A Figure with the source's alt text, then its Caption."""
        width, height = fitted_size(block.path, self.frame_width - nesting.indent,
                                    FIGURE_MAX_HEIGHT * self.frame_height)
        image = TaggedImage(str(block.path), width=width, height=height)
        image.hAlign = "CENTER"
        image.spaceBefore = self.metrics.item_gap
        image.spaceAfter = self.metrics.item_gap
        image.element = parent.add("Figure", alt=" ".join(xml_safe(block.alt).split()))
        if not block.caption:
            return [self._leaf(image, nesting)]
        # keepWithNext rather than KeepTogether: reportlab keeps a heading with a following
        # chain of keepWithNext flowables, but never with a KeepTogether group.
        image.keepWithNext = 1
        label = self.caption_label(figure_label(self.layout, self.figures[block]), block.anchor)
        caption = self.markup.run(block.caption, self.styles.caption.fontName, block.line)
        return [self._leaf(image, nesting),
                self._leaf(tagged_paragraph(label + caption, self.styles.caption,
                                            parent.add("Caption")), nesting)]

    def caption_label(self, label: str, anchor: str) -> str:
        """A caption's bold label (``Figure 2.``) as markup, the destination of references
        to ``anchor`` when it labels the caption."""
        destination = f'<a name="{bookmark_name(anchor)}"/>' if anchor else ""
        return destination + self.markup.run(label + " ", self.fonts.name(
            "body", True, CAPTION_ITALIC), None, where=self.layout.files[0])

    def table_caption(self, block: TableBlock) -> str:
        """A table's (or chart's) caption as markup: ``Table 1.`` and its text."""
        return self.caption_label(table_label(self.layout, self.tables[block]), block.anchor) \
            + self.markup.inlines(block.caption, self.styles.caption, "body", block.line,
                                  italic=CAPTION_ITALIC)

    # ------------------------------------------------------------ helpers

    def _indent(self, space: float) -> Any:
        indenter = Indenter(right=space) if self.rtl else Indenter(left=space)
        # A heading keeps with what follows it; through the (invisible) indenter, that is the
        # first item of the list or quote rather than the indenter itself.
        indenter.keepWithNext = 1
        return indenter

    def _outdent(self, space: float) -> Any:
        """The end of an ``_indent(space)``."""
        return Indenter(right=-space) if self.rtl else Indenter(left=-space)

    def _leaf(self, flowable: Any, nesting: Nesting) -> Any:
        """``flowable``, drawn beside the bars of the quotes it is in."""
        if not nesting.quotes:
            return flowable
        segments = [BarSegment(bar, bar.x - nesting.indent) for bar in nesting.quotes]
        return BarredFlowable(flowable, segments, self.metrics.quote_bar,
                              color(self.layout.colors.accent), mirrored=self.rtl)


#: reportlab re-breaks what is left of a paragraph after each page it fills, so one paragraph
#: of thousands of lines takes time quadratic in its length; chunks keep it linear.
CODE_CHUNK_LINES = 40


def _mirrored(row: list[Any]) -> list[Any]:
    """A table row's cells from right to left, drawn in reading order all the same."""
    drawing = RowDrawing()
    return [MirroredCell(cell, drawing, first=n == 0) for n, cell in enumerate(row)][::-1]


def _code_line(line: str) -> str:
    """One code line with its indentation and runs of spaces kept (a blank line keeps its
    height), since paragraph text would collapse them."""
    line = line.expandtabs(_TAB_COLUMNS).rstrip()
    stripped = line.lstrip(" ")
    line = "\u00a0" * (len(line) - len(stripped)) + stripped
    line = _SPACE_RUN.sub(lambda m: " " + "\u00a0" * (len(m.group()) - 1), line)
    return line or "\u00a0"

