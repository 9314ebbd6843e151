"""Paragraphs and lines with right-to-left text: bidi levels, shaped runs, lines in visual order."""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.pdfbase import pdfmetrics

from kzreport import bidi
from kzreport.records import record
from kzreport.renderers._pdf_canvas import TaggingCanvas
from kzreport.renderers._pdf_flowables import TaggedParagraph
from kzreport.renderers._pdf_shaping import ShapedRun, shape
from kzreport.renderers._pdf_structure import Element, ParagraphTags
from kzreport.renderers._reportlab_internals import pdf_document
from kzreport.scripts import has_rtl, paragraph_is_rtl

#: Marks a hard line break (``<br/>``) in a paragraph's text: the Unicode line separator,
#: whitespace to the bidi algorithm, as a break inside a paragraph is.
_BREAK = "\u2028"
#: Whitespace a paragraph's markup may hold between words (reportlab collapses it too).
_COLLAPSED = " \t\n\r"


def needs_bidi(text: str, style: Any) -> bool:
    """Whether paragraph markup ``text`` in ``style`` must be set by ``BidiParagraph``: it has
    right-to-left letters, or the paper is right-to-left (``wordWrap`` "RTL")."""
    return style.wordWrap == "RTL" or has_rtl(text)


@record
class Piece:
    """A stretch of a paragraph in one fragment (face, size, colour, link) and one embedding
    level, shaped; or one space between words (``space``), or a hard line break."""

    text: str
    fragment: Any
    level: int
    run: ShapedRun
    space: bool = False
    hard_break: bool = False
    #: The names of the ``<a name>`` anchors that stand just before this piece's text.
    anchors: tuple[str, ...] = ()


def pieces_of(fragments: Sequence[Any], base: int | None) -> tuple[int, list[Piece]]:
    """The paragraph level (``base``, or by the text's first strong letter when None) and the
    shaped pieces of reportlab's parsed ``fragments``, in logical order."""
    chars: list[str] = []
    owners: list[int] = []
    anchored: dict[int, list[str]] = {}  # anchors by the position of the text they stand at
    for n, fragment in enumerate(fragments):
        definition: Any = getattr(fragment, "cbDefn", None)
        if getattr(definition, "kind", None) == "anchor":  # text-less: where a link lands
            anchored.setdefault(len(chars), []).append(definition.name)
        text = _BREAK if getattr(fragment, "lineBreak", False) else fragment.text
        for char in text:
            if char in _COLLAPSED:
                if not chars or chars[-1] in (" ", _BREAK):
                    continue
                char = " "
            elif char == _BREAK and chars and chars[-1] == " ":
                chars.pop()
                owners.pop()
            chars.append(char)
            owners.append(n)
    while chars and chars[-1] == " ":
        chars.pop()
        owners.pop()
    text = "".join(chars)
    resolved = bidi.paragraph(text, base)
    pieces: list[Piece] = []
    start = 0
    for i in range(1, len(text) + 1):
        if i < len(text) and text[i] not in (" ", _BREAK) and text[i - 1] not in (" ", _BREAK) \
                and owners[i] == owners[start] and resolved.levels[i] == resolved.levels[start]:
            continue
        piece, fragment, level = text[start:i], fragments[owners[start]], resolved.levels[start]
        rtl = level % 2 == 1
        if piece == _BREAK:
            pieces.append(Piece(piece, fragment, level, ShapedRun(0.0, ()), hard_break=True))
        else:
            run = shape(piece, fragment.fontName, fragment.fontSize, rtl)
            anchors = tuple(name for at in range(start, i) for name in anchored.get(at, ()))
            pieces.append(Piece(piece, fragment, level, run, space=piece == " ",
                                anchors=anchors))
        start = i
    return resolved.level, pieces


def break_lines(pieces: Sequence[Piece], widths: Sequence[float]) -> list[range]:
    """``pieces`` broken greedily into lines at spaces and hard breaks, line ``n`` at most
    ``widths[n]`` wide (the last width repeats): each line as the range of its pieces, which
    leaves out the space or hard break a line ends at."""
    lines: list[range] = []
    start = 0  # the line's first piece
    width = 0.0
    i = 0
    while i < len(pieces):
        if pieces[i].hard_break:
            lines.append(range(start, i))
            start, width, i = i + 1, 0.0, i + 1
            continue
        if pieces[i].space:
            i += 1
            continue
        # A word: the pieces up to the next space or break, with the spaces before it.
        end = i
        while end < len(pieces) and not (pieces[end].space or pieces[end].hard_break):
            end += 1
        word = sum(p.run.width for p in pieces[i:end])
        space = pieces[i - 1].run.width if i > start and pieces[i - 1].space else 0.0
        limit = widths[min(len(lines), len(widths) - 1)]
        if i > start and width + space + word > limit + 1e-6:
            lines.append(range(start, i - 1 if pieces[i - 1].space else i))
            start, width = i, word
        else:
            width += space + word
        i = end
    lines.append(range(start, len(pieces)))
    return lines


def visual(line: Sequence[Piece], base: int) -> list[Piece]:
    """A line's pieces from left to right (rules L1 and L2: trailing spaces take the
    paragraph's level, then runs are reversed from the highest level down)."""
    levels = [p.level for p in line]
    for n in range(len(line) - 1, -1, -1):
        if not line[n].space:
            break
        levels[n] = base
    return [line[k] for k in bidi.visual_order(levels)]


def line_width(line: Sequence[Piece]) -> float:
    """The width of a line of pieces, in points."""
    return sum(p.run.width for p in line)


class BidiParagraph(TaggedParagraph):
    """A paragraph with right-to-left text, set by kzreport rather than reportlab: levels
    resolved over the whole paragraph, each same-level run shaped with HarfBuzz, lines broken
    in logical order and each drawn in visual order, right-aligned when the paragraph runs
    right to left. Its text is written in reading order, each glyph placed where it shows, so
    text extraction reads the letters as they are read."""

    _pieces: list[Piece] | None = None
    _level = 0
    _lines: list[range] | None = None

    def _prepare(self) -> list[Piece]:
        if self._pieces is None:
            text = "".join("" if getattr(f, "lineBreak", False) else f.text for f in self.frags)
            base = int(paragraph_is_rtl(text, self.style.wordWrap == "RTL"))
            self._level, self._pieces = pieces_of(self.frags, base)
        return self._pieces

    def _widths(self, available: float) -> list[float]:
        style = self.style
        later = available - style.leftIndent - style.rightIndent
        return [later - style.firstLineIndent, later]

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        self._lines = break_lines(self._prepare(), self._widths(availWidth))
        self.height = len(self._lines) * self.style.leading
        return self.width, self.height

    def minWidth(self) -> float:
        return max((p.run.width for p in self._prepare()), default=0.0)

    def split(self, availWidth: float, availHeight: float) -> list[Any]:
        self.wrap(availWidth, availHeight)
        lines, style = self._lines or [], self.style
        fit = int((availHeight + 1e-8) / style.leading)
        if fit <= 1 and not style.allowOrphans:
            return []
        if len(lines) <= fit:
            return [self]
        if not style.allowWidows and len(lines) == fit + 1:
            if len(lines) <= 3:
                return []
            fit -= 1
        pieces = self._prepare()
        first, rest = copy.copy(self), copy.copy(self)
        first._pieces = pieces[:lines[fit - 1].stop]
        first._lines = lines[:fit]
        first.height = fit * style.leading
        rest._pieces = pieces[lines[fit].start:]
        rest._lines = None
        rest.bulletText = None
        if self.tags is not None:  # later pieces: no bullet, not where a heading starts
            rest.tags = replace(self.tags, label=None, outline=None)
        return [first, rest]

    def draw(self) -> None:
        canvas, tags = self.canv, self.tags
        if not isinstance(canvas, TaggingCanvas) or tags is None:
            self._draw_text(canvas, None)
            return
        if self._drawn:
            with canvas.artifact():  # a repeated table header: pagination, not content
                self._draw_text(canvas, None)
            return
        self._first_drawn(canvas, tags)
        self._draw_text(canvas, tags)
        self._link_back(canvas, tags, rtl=self._level % 2 == 1)

    def _draw_text(self, canvas: Any, tags: ParagraphTags | None) -> None:
        style, pieces = self.style, self._prepare()
        lines = [pieces[r.start:r.stop] for r in self._lines or []]
        rtl = self._level % 2 == 1
        alignment = style.alignment
        if rtl:  # the layout's left is where a line starts, on the right here
            alignment = {TA_LEFT: TA_RIGHT, TA_RIGHT: TA_LEFT}.get(alignment, alignment)
        ascents = [_ascent(p) for p in (lines[0] if lines else [])]
        baseline = self.height - max(ascents or [style.fontSize])
        if self.bulletText and lines:
            self._draw_bullet(canvas, baseline, rtl, tags)
        canvas.saveState()
        if style.backColor:  # a code block's shading, reaching past the text by its padding
            padding = style.borderPadding
            top, right, bottom, left = (padding if isinstance(padding, (tuple, list))
                                        else (padding,) * 4)
            canvas.setFillColor(style.backColor)
            canvas.rect(style.leftIndent - left, -bottom,
                        self.width - style.leftIndent - style.rightIndent + left + right,
                        self.height + top + bottom, stroke=0, fill=1)
        writer = GlyphWriter(canvas, tags)
        widths = self._widths(self.width)
        for n, line in enumerate(lines):
            available = widths[min(n, 1)]
            width = line_width(line)
            start = style.leftIndent + (style.firstLineIndent if n == 0 and not rtl else 0)
            offset = {TA_RIGHT: available - width, TA_CENTER: (available - width) / 2}.get(
                alignment, 0.0)
            writer.line(line, visual(line, self._level), start + offset,
                        baseline - n * style.leading)
        writer.close()
        canvas.restoreState()

    def _draw_bullet(self, canvas: Any, baseline: float, rtl: bool,
                     tags: ParagraphTags | None) -> None:
        """The list marker, hanging into the indent at the line's start (the right, when the
        paragraph runs right to left), as its Lbl's content."""
        style = self.style
        marker = copy.copy(self.frags[0])
        marker.fontName, marker.fontSize = style.bulletFontName, style.bulletFontSize
        # reportlab 5 styles have no bulletColor unless one is set (footnote styles set none).
        marker.textColor = getattr(style, "bulletColor", None) or style.textColor
        marker.link = []
        marker.text = self.bulletText.replace("&lt;", "<").replace("&gt;", ">").replace(
            "&amp;", "&")
        level, pieces = pieces_of([marker], int(rtl))
        x = (self.width - style.bulletIndent - line_width(pieces) if rtl
             else style.bulletIndent)
        canvas.saveState()
        writer = GlyphWriter(canvas, None)
        with canvas.tagged(tags.label) if tags is not None and tags.label is not None \
                else contextlib.nullcontext():
            writer.line(pieces, visual(pieces, level), x, baseline)
            writer.close()
        canvas.restoreState()


def _ascent(piece: Piece) -> float:
    fragment = piece.fragment
    return float(pdfmetrics.getAscentDescent(fragment.fontName, fragment.fontSize)[0])


class GlyphWriter:
    """Writes lines of shaped pieces as PDF text: pieces placed in visual order, written in
    logical order, each in the marked content of its element (its Link's, for a link)."""

    def __init__(self, canvas: Any, tags: Any) -> None:
        self.canvas = canvas
        self.tags = tags
        self.document = pdf_document(canvas)
        self._open = False
        self._owner: Element | None = None
        self._color: Any = None

    def line(self, logical: Sequence[Piece], shown: Sequence[Piece], x: float, y: float
             ) -> None:
        """Write one line whose pieces, from left to right, are ``shown``, starting at ``x``
        on baseline ``y`` (in the flowable's coordinates)."""
        canvas = self.canvas
        where: dict[int, float] = {}
        cursor = x
        for piece in shown:
            where[id(piece)] = cursor
            cursor += piece.run.width
        if not self._open:
            canvas.addLiteral("BT")
            self._open, self._color = True, None
        links: dict[tuple[int, str], list[tuple[float, float]]] = {}
        for piece in logical:
            if not piece.run.glyphs:
                continue
            fragment = piece.fragment
            link = fragment.link[0] if getattr(fragment, "link", None) else None
            if self.tags is not None:
                self._mark(self.tags.link(link[0]) if link else self.tags.element)
            left = where[id(piece)]
            for name in piece.anchors:  # a destination, such as a footnote reference's
                self.canvas.bookmarkHorizontal(name, left, y + piece.fragment.fontSize)
            if link is not None:
                links.setdefault(link, []).append((left, left + piece.run.width))
            self._show(piece, left, y)
        if links:
            self._end_text()
            for (number, url), spans in links.items():
                self._annotate(number, url, spans, y, logical)

    def _mark(self, owner: Element) -> None:
        if owner is self._owner:
            return
        if self._owner is not None:
            self.canvas.addLiteral("EMC")
        self.canvas.addLiteral(f"/{owner.kind} <</MCID {self.canvas.new_mcid(owner)}>> BDC")
        self._owner = owner

    def _show(self, piece: Piece, left: float, y: float) -> None:
        fragment = piece.fragment
        font = pdfmetrics.getFont(fragment.fontName)
        size = fragment.fontSize
        if fragment.textColor != self._color:
            self.canvas.setFillColor(fragment.textColor)
            self._color = fragment.textColor
        # Each glyph's code: reportlab encodes the piece's keys (one byte each, per subset).
        keys = "".join(key for key, _dx, _dy in piece.run.glyphs)
        codes = [(font.getSubsetInternalName(subset, self.document), byte)
                 for subset, encoded in font.splitString(keys, self.document)
                 for byte in encoded]
        widths = font.face.charWidths
        size_text = _num(size)
        # Readers that take a PDF's text in the order it is written assume right-to-left
        # letters are written from the left and turn each stretch of them around (pypdf
        # does); the font selected again before each piece, and before each glyph of
        # right-to-left letters, ends every such stretch at one glyph.
        alone = has_rtl(piece.text)
        out: list[str] = []
        operands: list[str] = []
        current: str | None = None
        rise = 0.0
        pen = 0.0
        for (key, dx, dy), (name, byte) in zip(piece.run.glyphs, codes, strict=True):
            x = left + dx
            if alone or name != current or dy != rise:
                # Glyphs in reading order, each moved to where it shows: TJ's numbers move
                # the pen back (positive) or on (negative) in thousandths of the size.
                if operands:
                    out.append(f"[{' '.join(operands)}] TJ")
                    operands = []
                if dy != rise:
                    out.append(f"{_num(dy)} Ts")
                    rise = dy
                out.append(f"{name} {size_text} Tf 1 0 0 1 {_num(x)} {_num(y)} Tm")
                current = name
            else:
                operands.append(_num((pen - x) * 1000 / size))
            operands.append(f"<{byte:02X}>")
            pen = x + widths.get(ord(key), 0) * size / 1000
        if operands:
            out.append(f"[{' '.join(operands)}] TJ")
        if rise:
            out.append("0 Ts")
        self.canvas.addLiteral("\n".join(out))

    def _annotate(self, number: int, url: str, spans: list[tuple[float, float]], y: float,
                  logical: Sequence[Piece]) -> None:
        size = max(p.fragment.fontSize for p in logical)
        spans.sort()
        merged = [list(spans[0])]
        for left, right in spans[1:]:
            if left <= merged[-1][1] + 0.5:
                merged[-1][1] = max(merged[-1][1], right)
            else:
                merged.append([left, right])
        source = _OneLink(self.tags.link(number) if self.tags is not None else None)
        if isinstance(self.canvas, TaggingCanvas):
            self.canvas.expect_links(source)
        for left, right in merged:
            rect = (left, y - 0.2 * size, right, y + 0.8 * size)
            if url.startswith("#"):  # inside the paper: a heading or a footnote
                self.canvas.linkRect("", url[1:], rect, relative=1)
            else:
                self.canvas.linkURL(url, rect, relative=1)
        if isinstance(self.canvas, TaggingCanvas):
            self.canvas.expect_links(None)

    def _end_text(self) -> None:
        if self._owner is not None:
            self.canvas.addLiteral("EMC")
            self._owner = None
        if self._open:
            self.canvas.addLiteral("ET")
            self._open = False

    def close(self) -> None:
        """End the text written so far."""
        self._end_text()


@record(frozen=False)
class _OneLink:
    """The Link element every annotation made now belongs to."""

    element: Element | None

    def link_for(self, url: str) -> Element | None:
        return self.element


def _num(value: float) -> str:
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


@record(frozen=False)
class _Run:
    """One face's stretch of a line of page furniture, as reportlab's fragments describe it
    (in the canvas's current colour)."""

    text: str
    fontName: str
    fontSize: float
    textColor: Any = None
    link: tuple[()] = ()


def draw_line(canvas: Any, x: float, baseline: float, runs: Sequence[tuple[str, str]],
              size: float, anchor: float, rtl: bool) -> None:
    """Draw one line of ``runs`` (text, registered face) at ``size`` points, starting (anchor
    0), centred (0.5) or ending (1) at ``x``: shaped, in visual order, in a paragraph of the
    paper's direction (``rtl``) unless its first strong letter says otherwise."""
    text = "".join(piece for piece, _face in runs)
    level, pieces = pieces_of([_Run(piece, face, size) for piece, face in runs],
                              int(paragraph_is_rtl(text, rtl)))
    writer = GlyphWriter(canvas, None)
    writer.line(pieces, visual(pieces, level), x - anchor * line_width(pieces), baseline)
    writer.close()
