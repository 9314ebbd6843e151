"""The story: the document's blocks as flowables and, alongside, their structure tree."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, assert_never

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import HRFlowable, Image, Spacer, Table, TableStyle
from reportlab.platypus.doctemplate import Indenter

from kzreport.labels import BULLETS, figure_label, figure_numbers, headline_separator
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
    ListBlock,
    ListItem,
    Paragraph,
    Quote,
    Rule,
    Span,
    plain_text,
)
from kzreport.model import Table as TableBlock
from kzreport.renderers._common import (
    fitted_size,
    natural_size,
    outline_level,
    xml_escape,
    xml_safe,
)
from kzreport.renderers._pdf_flowables import (
    BarredFlowable,
    BarSegment,
    MirroredCell,
    QuoteBar,
    RowDrawing,
    TaggedImage,
    tagged_paragraph,
)
from kzreport.renderers._pdf_markup import Markup
from kzreport.renderers._pdf_structure import Element, OutlineEntry, StructureTree
from kzreport.renderers._pdf_styles import PdfStyles, color
from kzreport.renderers._proportions import FIGURE_MAX_HEIGHT

#: Two or more spaces in code; all but the first become no-break spaces so they survive.
_SPACE_RUN = re.compile(" {2,}")
#: Spaces in code before tabs are expanded to this many columns.
_TAB_COLUMNS = 4
#: A list's /ListNumbering by its markers: numbers, or the bullet of each nesting depth.
_NUMBERING = {"ordered": "Decimal", BULLETS[0]: "Disc", BULLETS[1]: "Circle", BULLETS[2]: "Square"}



@dataclass(frozen=True)
class Nesting:
    """Where a block sits: its indent from the frame edge, its list depth, the quotes around it."""

    indent: float = 0.0
    depth: int = 0
    in_list: bool = False
    quotes: tuple[QuoteBar, ...] = ()


TOP = Nesting()


class StoryBuilder:
    """Builds the PDF's flowables from the document, in the Word brief's order, and the
    structure tree they are tagged with: each method adds its elements under ``parent``, in
    reading order, and gives its flowables the element their content belongs to."""

    def __init__(self, document: Document, layout: Layout, styles: PdfStyles, markup: Markup,
                 frame_width: float, frame_height: float,
                 tree: StructureTree | None = None) -> None:
        self.document = document
        self.layout = layout
        self.styles = styles
        self.metrics = styles.metrics
        self.markup = markup
        self.fonts = styles.fonts
        self.frame_width = frame_width
        self.frame_height = frame_height
        self.figures = figure_numbers(document)
        self._bulleted: dict[tuple[str, float], ParagraphStyle] = {}
        self.tree = tree if tree is not None else StructureTree()
        self._bookmarks: list[OutlineEntry] = []
        #: The level of the last heading tagged; the title counts as level 1.
        self.heading_level = 1
        #: A right-to-left paper is mirrored: lists and quotes indent from the right, a
        #: table's first column is its rightmost, the summary's bar is on its right.
        self.rtl = styles.rtl

    def story(self) -> list[Any]:
        """Title block, summary, body with Key Points, further reading."""
        root = self.tree.root
        return [*self.title_block(root), *self.summary_block(root),
                *self.blocks(self.document.blocks, TOP, root), *self.further_reading(root)]

    def _outline(self, title: str, level: int) -> OutlineEntry:
        """The bookmark of a level-``level`` heading (the title is level 1)."""
        entry = OutlineEntry(" ".join(xml_safe(title).split()), level - 1,
                             f"kzreport-heading-{len(self._bookmarks) + 1}")
        self._bookmarks.append(entry)
        return entry

    # ------------------------------------------------------------ front matter

    def title_block(self, parent: Element) -> list[Any]:
        """Logo, organization, title, subtitle, bylines and date on the layout's title band:
        the title is H1, the rest are P (the logo is decoration, an artifact)."""
        meta, lines, styles = self.document.meta, self.document.lines, self.styles
        band_text = self.layout.colors.title_band_text
        body_bold, body = self.fonts.name("body", True), self.fonts.name("body")
        content: list[Any] = []
        if self.layout.logo is not None:
            content.append(self._logo())
        if meta.organization:
            content.append(tagged_paragraph(self.markup.run(
                meta.organization.upper(), self.fonts.name("heading", True),
                lines.get("organization")), styles.kicker, parent.add("P")))
        content.append(tagged_paragraph(self.markup.run(
            meta.title, styles.title.fontName, lines.get("title")), styles.title,
            parent.add("H1"), outline=self._outline(meta.title, 1)))
        if meta.subtitle:
            content.append(tagged_paragraph(self.markup.run(
                meta.subtitle, styles.subtitle.fontName, lines.get("subtitle")), styles.subtitle,
                parent.add("P")))
        authors_line = lines.get("authors")
        for author in meta.authors:
            text = self.markup.run(author.name, body_bold, authors_line, color_hex=band_text)
            if author.affiliation:
                text += self.markup.run(", " + author.affiliation, body, authors_line,
                                        color_hex=band_text)
            content.append(tagged_paragraph(text, styles.byline, parent.add("P")))
        content.append(tagged_paragraph(self.markup.run(
            self.layout.format_date(meta.date), body, lines.get("date")), styles.dateline,
            parent.add("P")))
        # The band bleeds into the margins by its padding, so its text lines up with the body.
        pad = self.metrics.box_padding
        band = Table([[content]], colWidths=[self.frame_width + 2 * pad], hAlign="LEFT")
        band.setStyle(self._table_style([
            ("BACKGROUND", (0, 0), (-1, -1), color(self.layout.colors.title_band)),
            ("LEFTPADDING", (0, 0), (-1, -1), pad),
            ("RIGHTPADDING", (0, 0), (-1, -1), pad),
            ("TOPPADDING", (0, 0), (-1, -1), pad),
            ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
        ]))
        # The strong rule closing the title block spans the text column, like the body.
        rule = HRFlowable(width="100%", thickness=self.metrics.strong_rule,
                          color=color(self.layout.colors.primary), hAlign="LEFT",
                          spaceBefore=0, spaceAfter=self.metrics.section_gap)
        return [Indenter(-pad, -pad), band, Indenter(pad, pad), rule]

    def _logo(self) -> Any:
        logo = self.layout.logo
        assert logo is not None
        width_pt, height_pt = natural_size(logo.path)
        image = Image(str(logo.path), width=logo.width, height=logo.width * height_pt / width_pt)
        image.hAlign = "LEFT" if logo.placement == "left" else "RIGHT"
        return image

    def summary_block(self, parent: Element) -> list[Any]:
        """The summary in a tinted box with an accent bar, opened by its bold label (a Sect
        holding one P; the box is an artifact)."""
        summary = self.document.meta.summary
        if not summary:
            return []
        styles = self.styles
        label = self.markup.run(self.layout.labels.summary + ": ",
                                self.fonts.name("heading", True), None,
                                color_hex=self.layout.colors.primary,
                                where=self.layout.files[0])
        text = self.markup.run(summary, styles.summary.fontName, self.document.lines.get("summary"))
        # The accent bar is a column of its own, so it meets the tinted box edge to edge.
        bar = self.metrics.accent_bar
        paragraph = tagged_paragraph(label + text, styles.summary, parent.add("Sect").add("P"))
        cells, widths = ["", paragraph], [bar, self.frame_width - bar]
        b, t = (1, 0) if self.rtl else (0, 1)  # the bar's column and the text's
        box = Table([cells[::-1] if self.rtl else cells],
                    colWidths=widths[::-1] if self.rtl else widths, hAlign="LEFT",
                    splitInRow=1, spaceAfter=self.metrics.section_gap)
        pad = self.metrics.box_padding
        box.setStyle(self._table_style([
            ("BACKGROUND", (b, 0), (b, -1), color(self.layout.colors.primary)),
            ("BACKGROUND", (t, 0), (t, -1), color(self.layout.colors.summary_background)),
            ("LEFTPADDING", (b, 0), (b, -1), 0),
            ("RIGHTPADDING", (b, 0), (b, -1), 0),
            ("LEFTPADDING", (t, 0), (t, -1), pad),
            ("RIGHTPADDING", (t, 0), (t, -1), pad),
            ("TOPPADDING", (0, 0), (-1, -1), pad),
            ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
        ]))
        return [box]

    def further_reading(self, parent: Element) -> list[Any]:
        """The front matter's links, as a bullet list of labelled links under their heading."""
        links = self.document.meta.links
        if not links:
            return []
        line = self.document.lines.get("links", 1)
        heading = Heading(2, (Span(self.layout.labels.further_reading),), line)
        items = tuple(ListItem((Paragraph((Span(link.label, href=link.url),), line),), line)
                      for link in links)
        return [*self.heading(heading, parent, where=self.layout.files[0]),
                *self.list_block(ListBlock(False, items, line), TOP, parent)]

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
                return [self.table(block, nesting, parent)]
            case Figure():
                return self.figure(block, nesting, parent)
            case KeyPoints():
                return self.key_points(block, parent)
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
        return [tagged_paragraph(text, style, parent.add(f"H{level}"),
                                 outline=self._outline(plain_text(block.inlines), level))]

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
            return self._leaf(tagged_paragraph(text, style, element), nesting)
        self.markup.glyphs.check(marker, style.bulletFontName, line)
        return self._leaf(tagged_paragraph(text, self._with_bullet(style, marker_space),
                                           element, bullet=xml_escape(marker), label=label),
                          nesting)

    def _with_bullet(self, style: ParagraphStyle, space: float) -> ParagraphStyle:
        # List content sits inside an Indenter; the marker hangs back into the indent.
        key = (style.name, space)
        if key not in self._bulleted:
            self._bulleted[key] = ParagraphStyle(f"{style.name}_bullet_{space:g}", parent=style,
                                                 bulletIndent=-space)
        return self._bulleted[key]

    def list_block(self, block: ListBlock, nesting: Nesting, parent: Element) -> list[Any]:
        """An L of LI, each with its marker as Lbl and its blocks in an LBody."""
        count = len(block.items)
        if block.ordered:
            markers = [f"{n}." for n in range(block.start, block.start + count)]
        else:
            markers = [BULLETS[nesting.depth % len(BULLETS)]] * count
        space = self._marker_space(markers)
        inner = replace(nesting, indent=nesting.indent + space, depth=nesting.depth + 1,
                        in_list=True)
        element = parent.add("L", numbering=_NUMBERING["ordered" if block.ordered
                                                       else markers[0]])
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
        out = self.heading(Heading(2, (Span(section.title),), section.line), parent)
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
            if point.headline:
                lead = self.markup.run(point.headline, self.fonts.name("body", True), point.line,
                                       color_hex=primary) + headline_separator(point)
            out.append(self.paragraph(point.inlines, point.line, inner, body.add("P"),
                                      style=self.styles.key_point, marker=marker,
                                      marker_space=space, lead=lead, label=label))
            out.extend(self.blocks(point.details, inner, body))
        out.append(self._outdent(space))
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

    def table(self, block: TableBlock, nesting: Nesting, parent: Element) -> Any:
        """A Table of TR rows: the header row's cells TH (column scope), the others TD. The
        header row repeated on later pages is an artifact (see TaggedParagraph.draw)."""
        styles, colors = self.styles, self.layout.colors
        aligns = [block.alignments[c] if c < len(block.alignments) else None
                  for c in range(len(block.header))]
        element = parent.add("Table")
        header_row = element.add("TR")
        header = [tagged_paragraph(self.markup.inlines(cell, styles.header_cell, "body",
                                                       block.line, bold=True),
                                   styles.aligned(styles.header_cell, aligns[c]),
                                   header_row.add("TH", scope="Column"))
                  for c, cell in enumerate(block.header)]
        rows = []
        for row in block.rows:
            row_element = element.add("TR")
            rows.append([tagged_paragraph(self.markup.inlines(cell, styles.cell, "body",
                                                              block.line),
                                          styles.aligned(styles.cell, aligns[c]),
                                          row_element.add("TD"))
                         for c, cell in enumerate(row)])
        available = self.frame_width - nesting.indent
        widths = self._column_widths(block, available)
        if self.rtl:  # the first column on the right, the text still in reading order
            header, *rows = [_mirrored(row) for row in (header, *rows)]
            widths = widths[::-1]
        table = Table([header, *rows], colWidths=widths,
                      repeatRows=1, hAlign="RIGHT" if self.rtl else "LEFT", splitInRow=1,
                      spaceBefore=self.metrics.item_gap, spaceAfter=self.metrics.section_gap)
        rule = color(colors.rule)
        table.setStyle(self._table_style([
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
        return self._leaf(table, nesting)

    def _column_widths(self, block: TableBlock, available: float) -> list[float]:
        """Column widths filling ``available``: shared by natural width when everything fits,
        else each column keeps room for its longest word and the rest is shared out."""
        columns = len(block.header)
        padding = 2 * self.metrics.cell_padding_x
        size = self.styles.cell.fontSize
        natural = [0.0] * columns
        longest = [0.0] * columns
        for r, row in enumerate((block.header, *block.rows)):
            font = self.fonts.name("body", bold=r == 0)
            for c, cell in enumerate(row[:columns]):
                text = plain_text(cell)
                natural[c] = max(natural[c], padding + max(
                    self.fonts.width(part, font, size) for part in text.split("\n")))
                longest[c] = max(longest[c], padding + max(
                    (self.fonts.width(word, font, size) for word in text.split()), default=0.0))
        if sum(natural) <= available:
            total = sum(natural) or columns
            return [(width or 1) * available / total for width in natural]
        minimum = [min(width, available / columns) for width in longest]
        extra = [max(n - m, 0.0) for n, m in zip(natural, minimum, strict=True)]
        spare = available - sum(minimum)
        if sum(extra) == 0:
            return [m + spare / columns for m in minimum]
        return [m + spare * e / sum(extra) for m, e in zip(minimum, extra, strict=True)]

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
        label = self.markup.run(figure_label(self.layout, self.figures[block]) + " ",
                                self.fonts.name("body", True), None, where=self.layout.files[0])
        caption = self.markup.run(block.caption, self.styles.caption.fontName, block.line)
        return [self._leaf(image, nesting),
                self._leaf(tagged_paragraph(label + caption, self.styles.caption,
                                            parent.add("Caption")), nesting)]

    # ------------------------------------------------------------ helpers

    def _table_style(self, commands: list[tuple[Any, ...]]) -> Any:
        """``commands`` as a table style that also sets the cells' font: a table's default
        font is Helvetica, which reportlab selects while drawing even when every cell holds a
        paragraph, and which would then be the one font not embedded."""
        style = self.styles.cell
        return TableStyle([("FONT", (0, 0), (-1, -1), style.fontName, style.fontSize,
                            style.leading), *commands])

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

