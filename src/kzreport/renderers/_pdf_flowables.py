"""kzreport's own platypus flowables: paragraphs and images that tag what they draw."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import field, replace
from typing import Any

from reportlab.platypus import Flowable, Image
from reportlab.platypus import Paragraph as PdfParagraph

from kzreport.records import record
from kzreport.renderers._pdf_canvas import MarkedText, TaggingCanvas
from kzreport.renderers._pdf_markup import note_destination, reference_destination
from kzreport.renderers._pdf_structure import Element, OutlineEntry, ParagraphTags

# ---------------------------------------------------------------- quote bars


@record(frozen=False, eq=False)
class QuoteBar:
    """The accent bar beside a block quote, ``x`` points in from the frame's left edge."""

    x: float
    #: (page number, bottom y) of the last piece of this quote drawn, so the next piece on the
    #: same page can extend the bar up to it across the space between paragraphs.
    last_drawn: tuple[int, float] | None = None


@record
class Nesting:
    """Where a block sits: its indent from the frame edge, its list depth, the quotes around it."""

    indent: float = 0.0
    depth: int = 0
    in_list: bool = False
    quotes: tuple[QuoteBar, ...] = ()


TOP = Nesting()


@record
class BarSegment:
    """Where one quote's bar is drawn beside a flowable inside it."""

    bar: QuoteBar
    offset: float  # from the flowable's left edge (negative: to its left)


class BarredFlowable(Flowable):  # type: ignore[misc]  # reportlab is untyped
    """A flowable inside block quotes, drawing each quote's bar beside it.

    The bar is drawn per flowable rather than around the whole quote so a quote of any length
    splits across pages like ordinary text; each piece extends its bar up to the previous piece
    on the same page, which gives one continuous bar (and none above the top of a page).
    """

    def __init__(self, inner: Any, segments: Sequence[BarSegment], width: float,
                 bar_color: Any, mirrored: bool = False) -> None:
        super().__init__()
        self.inner = inner
        self.segments = tuple(segments)
        self.bar_width = width
        self.bar_color = bar_color
        #: Offsets are from the right edge (a right-to-left paper's quotes indent from there).
        self.mirrored = mirrored

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        canvas = getattr(self, "canv", None)
        if canvas is not None:
            self.width, self.height = self.inner.wrapOn(canvas, available_width, available_height)
        else:
            self.width, self.height = self.inner.wrap(available_width, available_height)
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Any]:
        canvas = getattr(self, "canv", None)
        parts = (self.inner.splitOn(canvas, available_width, available_height)
                 if canvas is not None else self.inner.split(available_width, available_height))
        return [BarredFlowable(part, self.segments, self.bar_width, self.bar_color,
                               self.mirrored) for part in parts]

    # Spacing and keep-with-next are the wrapped flowable's (camelCase: reportlab's API).
    def getSpaceBefore(self) -> float:
        return float(self.inner.getSpaceBefore())

    def getSpaceAfter(self) -> float:
        return float(self.inner.getSpaceAfter())

    def getKeepWithNext(self) -> bool:
        return bool(self.inner.getKeepWithNext())

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        page = canvas.getPageNumber()
        canvas.saveState()
        canvas.setFillColor(self.bar_color)
        for segment in self.segments:
            top = y + self.height
            last = segment.bar.last_drawn
            if last is not None and last[0] == page:
                top = max(top, last[1])
            left = (x + self.width - segment.offset - self.bar_width if self.mirrored
                    else x + segment.offset)
            canvas.rect(left, y, self.bar_width, top - y, stroke=0, fill=1)
            segment.bar.last_drawn = (page, y)
        canvas.restoreState()
        self.inner.drawOn(canvas, x, y, _sW)


@record(frozen=False, eq=False)
class RowDrawing:
    """The cells of one row of a mirrored table drawn so far, held back until the row's first
    cell (drawn last, as the rightmost) is: then all are drawn in reading order, so that the
    page's text runs in the order the cells are read."""

    held: list[tuple[Any, Any, float, float]] = field(default_factory=list)


class MirroredCell(Flowable):  # type: ignore[misc]  # reportlab is untyped
    """A cell of a table set right to left (its columns reversed): drawn in reading order
    with the rest of its row (see ``RowDrawing``); ``first`` is the row's first cell."""

    def __init__(self, inner: Any, row: RowDrawing, first: bool) -> None:
        super().__init__()
        self.inner = inner
        self.row = row
        self.first = first

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width, self.height = self.inner.wrap(available_width, available_height)
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Any]:
        return [MirroredCell(part, self.row, self.first)
                for part in self.inner.split(available_width, available_height)]

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        self.row.held.append((self.inner, canvas, x, y))
        if self.first:
            held, self.row.held = self.row.held, []
            for inner, held_canvas, held_x, held_y in reversed(held):
                inner.drawOn(held_canvas, held_x, held_y)


# ---------------------------------------------------------------- tagged flowables


class TaggedParagraph(PdfParagraph):  # type: ignore[misc]  # reportlab is untyped
    """A paragraph whose text is content of a structure element (and whose bullet, if any,
    of a Lbl), with a bookmark when it is a heading. Build it with ``tagged_paragraph``."""

    tags: ParagraphTags | None = None
    _drawn = False
    _marking = False

    def split(self, availWidth: float, availHeight: float) -> list[Any]:
        parts: list[Any] = super().split(availWidth, availHeight)
        for n, part in enumerate(parts):
            if self.tags is not None and isinstance(part, TaggedParagraph):
                # Later pieces have no bullet and are not where the heading starts.
                part.tags = self.tags if n == 0 else replace(self.tags, label=None,
                                                             outline=None)
        return parts

    def draw(self) -> None:
        canvas = self.canv
        tags = self.tags
        if tags is None or not isinstance(canvas, TaggingCanvas):
            super().draw()
            return
        if self._drawn:
            # Drawn a second time: a table's header row repeated on a later page, which is
            # pagination (an artifact), not more content; its links stay the same Links.
            canvas.expect_links(tags)
            try:
                super().draw()
            finally:
                canvas.expect_links(None)
            return
        self._first_drawn(canvas, tags)
        canvas.expect_label(tags.label if self.bulletText else None)
        canvas.expect_links(tags)
        self._marking = True
        try:
            super().draw()
        finally:
            self._marking = False
            canvas.expect_label(None)
            canvas.expect_links(None)
        self._link_back(canvas, tags)

    def _link_back(self, canvas: TaggingCanvas, tags: ParagraphTags, rtl: bool = False) -> None:
        """A footnote's number links back to its reference (the Lbl's content is that Link);
        the number hangs in the indent where the first line starts (the right, ``rtl``)."""
        note = tags.note
        if note is None or tags.label is None:
            return
        indent = self.style.leftIndent
        left, right = (self.width - indent, self.width) if rtl else (0, indent)
        canvas.link_to(tags.label, reference_destination(note),
                       (left, self.height - self.style.leading, right, self.height))

    def _first_drawn(self, canvas: TaggingCanvas, tags: ParagraphTags) -> None:
        """Note the paragraph as drawn, and where it starts if it is a heading or a footnote."""
        self._drawn = True
        if tags.outline is not None:
            canvas.bookmarkHorizontal(tags.outline.key, 0, self.height)
            canvas.heading_pages[tags.outline.key] = canvas.getPageNumber()
            canvas.addOutlineEntry(tags.outline.title, tags.outline.key, tags.outline.level,
                                   closed=False)
        note = tags.note if tags.label is not None else None
        if note is not None:  # a footnote's text, which its reference links to
            canvas.bookmarkHorizontal(note_destination(note), 0, self.height)

    def beginText(self, x: float, y: float) -> Any:
        if not self._marking or self.tags is None:
            return super().beginText(x, y)
        blocks = self.blPara
        whole_link = None
        schedule: list[tuple[str, int | None]] = []
        if blocks.kind == 0:
            # One fragment for the whole paragraph: it is a link or it is not.
            whole_link = blocks.link[0][0] if getattr(blocks, "link", None) else None
        else:
            for line in blocks.lines:
                for word in line.words:
                    if hasattr(word, "cbDefn"):
                        if word is line.words[-1]:
                            schedule.append(("", None))
                        continue
                    links = getattr(word, "link", None) or []
                    schedule.append((word.text, links[0][0] if links else None))
        text = MarkedText(self.canv, x, y, self.tags, schedule, whole_link)
        self.canv.expect_links(text)
        return text


def tagged_paragraph(text: str, style: Any, element: Element, *, bullet: str | None = None,
                     label: Element | None = None, outline: OutlineEntry | None = None,
                     note: int | None = None) -> TaggedParagraph:
    """A paragraph of markup ``text`` whose text is ``element``'s content, its ``bullet``
    ``label``'s, and with a bookmark ``outline``; with ``note``, the first paragraph of that
    footnote, whose ``bullet`` (its number) links back to the reference. A ``BidiParagraph``
    when it has right-to-left text or the paper runs right to left."""
    from kzreport.renderers._pdf_bidi import BidiParagraph, needs_bidi  # it subclasses ours

    kind = BidiParagraph if needs_bidi(text, style) else TaggedParagraph
    paragraph = kind(text, style, bulletText=bullet)
    targets: dict[int, tuple[str, str]] = {}
    for fragment in paragraph.frags:
        for number, url in getattr(fragment, "link", None) or []:
            previous = targets.get(number, (url, ""))[1]
            targets[number] = (url, previous + getattr(fragment, "text", ""))
    paragraph.tags = ParagraphTags(element, label, outline, targets, note=note)
    return paragraph


class TaggedImage(Image):  # type: ignore[misc]  # reportlab is untyped
    """An image that is a Figure element's content, with its box recorded for /BBox."""

    element: Element | None = None

    def draw(self) -> None:
        canvas = self.canv
        if self.element is None or not isinstance(canvas, TaggingCanvas):
            super().draw()
            return
        x0, y0 = canvas.absolutePosition(0, 0)
        x1, y1 = canvas.absolutePosition(self.drawWidth, self.drawHeight)
        self.element.bbox = (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
        with canvas.tagged(self.element):
            super().draw()


class TaggedDrawing(Flowable):  # type: ignore[misc]  # reportlab is untyped
    """A vector drawing (a chart) that is a Figure element's content, with its box recorded
    for /BBox, centred in the frame."""

    def __init__(self, drawing: Any, element: Element) -> None:
        super().__init__()
        self.drawing = drawing
        self.element = element
        self.hAlign = "CENTER"

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.drawing.width, self.drawing.height

    def draw(self) -> None:
        from reportlab.graphics import renderPDF

        canvas = self.canv
        if not isinstance(canvas, TaggingCanvas):
            renderPDF.draw(self.drawing, canvas, 0, 0)
            return
        x0, y0 = canvas.absolutePosition(0, 0)
        x1, y1 = canvas.absolutePosition(self.drawing.width, self.drawing.height)
        self.element.bbox = (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
        with canvas.tagged(self.element):
            renderPDF.draw(self.drawing, canvas, 0, 0)
