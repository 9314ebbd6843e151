"""Measure text with a TrueType font's own metrics and find the largest size that fits a box."""

from __future__ import annotations

import math
import struct
from collections.abc import Iterable, Sequence
from dataclasses import field
from functools import lru_cache
from pathlib import Path

from kzreport.assets import read_font
from kzreport.records import record
from kzreport.renderers._common import EMU_PER_PT

#: OS/2 fsSelection bit 7: the font asks layout engines to use its typo metrics.
USE_TYPO_METRICS = 1 << 7
#: Default text frame insets of PowerPoint and python-pptx: 0.1" left/right, 0.05" top/bottom.
DEFAULT_INSET_X = 7.2
DEFAULT_INSET_Y = 3.6
#: Widths are compared with this much slack so that float noise never splits a line.
_EPSILON = 1e-6
#: Break opportunities: spaces (the no-break space U+00A0 deliberately excluded) and tabs.
_SPACES = frozenset(" \t\u2002\u2003\u2009")


@record
class FontMetrics:
    """The metrics of one TrueType face that line breaking needs, in font design units."""

    path: Path
    units_per_em: int
    #: Line box: ascender (positive), descender (negative) and line gap, chosen as LibreOffice
    #: does (see ``load_metrics``).
    ascender: int
    descender: int
    line_gap: int
    #: Advance width of every character the font maps, by code point.
    advances: dict[int, int] = field(repr=False)

    def covers(self, text: str) -> bool:
        """Whether the face has a glyph for every character of ``text``."""
        return all(ord(c) in self.advances or c in "\n\r" for c in text)

    def advance(self, char: str) -> int:
        """The advance of ``char`` in design units. A character the face lacks is drawn from a
        fallback font whose width we cannot know: count it as a full em, wider than any Latin
        or Cyrillic letter and as wide as a CJK ideograph, so fitting errs on the safe side."""
        return self.advances.get(ord(char), self.units_per_em)

    def width(self, text: str, size: float) -> float:
        """The advance width of ``text`` set at ``size`` points, in points (no kerning: both
        PowerPoint and LibreOffice kern only to tighten, so unkerned widths are an upper bound)."""
        return sum(self.advance(c) for c in text) * size / self.units_per_em

    @property
    def line_box(self) -> float:
        """The font's line height per point of size: (ascender - descender + line gap) / em."""
        return (self.ascender - self.descender + self.line_gap) / self.units_per_em


@lru_cache(maxsize=32)
def load_metrics(path: Path) -> FontMetrics:
    """Read the metrics of the TrueType file at ``path`` (cached: a deck measures thousands of
    strings with the same four faces).

    Line height follows LibreOffice's ``ImplFontMetricData::ImplCalcLineSpacing``: the ``hhea``
    ascender, descender and line gap; the OS/2 typo values instead when the font sets
    USE_TYPO_METRICS; the OS/2 win values when ``hhea`` is empty. For Carlito and Calibri all
    three agree on 2500/2048 em, so the box matches what Windows (win metrics) shows as well.
    """
    face = read_font(path)
    (units_per_em,) = struct.unpack(">H", face.table("head")[18:20])
    hhea = face.table("hhea")
    ascender, descender, line_gap = struct.unpack(">hhh", hhea[4:10])
    if not (ascender >= 0 >= descender):  # tdf#107605: some fonts carry nonsense here
        ascender = descender = line_gap = 0
    if "OS/2" in face.tables:
        os2 = face.table("OS/2")
        (selection,) = struct.unpack(">H", os2[62:64])
        typo_asc, typo_desc, typo_gap, win_asc, win_desc = struct.unpack(">hhhHH", os2[68:78])
        if ascender == 0 and descender == 0:
            ascender, descender, line_gap = win_asc, -win_desc, 0
        if selection & USE_TYPO_METRICS and typo_asc >= 0 >= typo_desc:
            ascender, descender, line_gap = typo_asc, typo_desc, typo_gap
    # hmtx lists numberOfHMetrics advances; glyphs past the list repeat its last advance.
    (count,) = struct.unpack(">H", hhea[34:36])
    widths = struct.unpack_from(f">{2 * count}H", face.table("hmtx"))[::2]  # (advance, lsb)
    advances = {code: widths[min(glyph, count - 1)] for code, glyph in face.cmap.items()}
    # Writers draw a no-break space the font lacks as a space (reportlab's map says so too).
    if 0xA0 not in advances and 0x20 in advances:
        advances[0xA0] = advances[0x20]
    return FontMetrics(path, units_per_em, ascender, descender, line_gap, advances)


# ---------------------------------------------------------------- text to fit


@record
class Piece:
    """A stretch of text in one face; ``\\n`` inside it is a hard line break."""

    text: str
    font: FontMetrics


@record
class Para:
    """One paragraph: its pieces, its size relative to the fitted size, the space above it (in
    multiples of its own size; never above the first paragraph of a frame), its line pitch
    in multiples of its main font's line box and its left indent (a bullet's text) in
    multiples of its own size."""

    pieces: tuple[Piece, ...]
    font: FontMetrics
    scale: float = 1.0
    space_before: float = 0.0
    line_spacing: float = 1.0
    indent: float = 0.0
    #: Fitted on one line (a footer, a label): pitched by its own font, as one line has no
    #: other to overlap and its box is sized for that font.
    one_line: bool = False


@record
class Frame:
    """A text frame: its outer size and insets, in points."""

    width: float
    height: float
    left: float = DEFAULT_INSET_X
    right: float = DEFAULT_INSET_X
    top: float = DEFAULT_INSET_Y
    bottom: float = DEFAULT_INSET_Y

    @property
    def inner_width(self) -> float:
        return max(0.0, self.width - self.left - self.right)

    @property
    def inner_height(self) -> float:
        return max(0.0, self.height - self.top - self.bottom)


def centipoints(points: float) -> int:
    """``points`` rounded up to the 1/100 pt that DrawingML spacing values are written in."""
    return math.ceil(points * 100 - _EPSILON)


def line_pitch(para: Para, size: float) -> float:
    """The distance between baselines of ``para`` at fitted size ``size``, in points, as the
    renderer writes it (an exact line spacing, rounded up to 1/100 pt).

    Why exact spacing: for "single" (``spcPct`` 100%) spacing PowerPoint pitches lines at
    1.2 em whatever the face, and LibreOffice's PPTX layout does the same (measured: 24.0 pt
    at 20 pt for Carlito and DejaVu Sans alike), while LibreOffice rounds percentages to whole
    percent. An exact ``spcPts`` of the font's own line box is drawn to the 1/100 pt by both,
    so the measured height and the rendered height are the same number.
    """
    return centipoints(line_box(para) * para.line_spacing * size * para.scale) / 100


def line_box(para: Para) -> float:
    """The line height per point of ``para``: the tallest line box of the faces that draw it.
    An Arabic-script face needs far more than a Latin one (Noto Naskh Arabic 1.70 em against
    Carlito's 1.22) for its descenders and stacked marks, so a paragraph it draws is pitched by
    its box, not by the paragraph's own family's (verify measures it the same way)."""
    if para.one_line:
        return para.font.line_box
    return max(font.line_box for font in (para.font, *(piece.font for piece in para.pieces)))


def space_before(para: Para, size: float) -> float:
    """The space above ``para`` at fitted size ``size``, in points, as written."""
    return centipoints(para.space_before * size * para.scale) / 100


def indent_points(para: Para, size: float) -> float:
    """The left indent of ``para`` at fitted size ``size``, in points, rounded up to the whole
    EMU it is written in."""
    return math.ceil(para.indent * size * para.scale * EMU_PER_PT - _EPSILON) / EMU_PER_PT


# ---------------------------------------------------------------- line breaking


@record
class _Word:
    """A word (the text between break opportunities) and the spaces after it, with widths at
    1 pt: widths scale linearly with size, so one measurement serves every candidate size."""

    text: str
    width: float
    space: str
    space_width: float
    chars: tuple[float, ...]


def _words(pieces: Sequence[Piece]) -> list[list[_Word]]:
    """The words of ``pieces`` per hard line (a ``\\n`` starts a new one)."""
    lines: list[list[_Word]] = [[]]
    text: list[str] = []
    widths: list[float] = []
    space: list[str] = []
    space_width = 0.0

    def flush() -> None:
        nonlocal space_width
        if text or space:
            lines[-1].append(_Word("".join(text), sum(widths), "".join(space), space_width,
                                   tuple(widths)))
        text.clear()
        widths.clear()
        space.clear()
        space_width = 0.0

    for piece in pieces:
        # The loop runs once per character of every fitted text: look up what it needs once.
        em = piece.font.units_per_em
        advances = piece.font.advances
        space_advance = piece.font.advance(" ") / em
        for char in piece.text:
            if char == "\n":
                flush()
                lines.append([])
            elif char in _SPACES or char == "\r":
                space.append(" ")
                space_width += space_advance
            else:
                if space:  # a character after spaces starts the next word
                    flush()
                text.append(char)
                # As FontMetrics.advance: a character the face lacks counts as a full em.
                widths.append(advances.get(ord(char), em) / em)
    flush()
    return lines


def _break_lines(words: Sequence[_Word], width: float) -> list[str]:
    """Greedy first-fit line breaking of ``words`` (widths at 1 pt) into lines ``width`` wide
    (also at 1 pt), as PowerPoint and LibreOffice do: trailing spaces hang past the margin,
    and a word longer than a whole line is split between characters."""
    lines: list[str] = []
    current: list[str] = []
    used = 0.0  # width of the line so far, without its trailing spaces
    pending = 0.0  # width of the spaces after the last word on the line
    pending_text = ""
    for word in words:
        if current and used + pending + word.width <= width + _EPSILON:
            current.append(pending_text + word.text)
            used += pending + word.width
        elif word.width <= width + _EPSILON:
            if current:
                lines.append("".join(current))
            current, used = [word.text], word.width
        else:  # too long for any line: fill lines character by character
            if current:
                lines.append("".join(current))
            current, used = [], 0.0
            for char, char_width in zip(word.text, word.chars, strict=True):
                if current and used + char_width > width + _EPSILON:
                    lines.append("".join(current))
                    current, used = [], 0.0
                current.append(char)
                used += char_width
        pending, pending_text = word.space_width, word.space
    lines.append("".join(current))
    return lines


class Measured:
    """A paragraph prepared for measuring at any size: words and their widths found once."""

    def __init__(self, para: Para) -> None:
        self.para = para
        self._lines = _words(para.pieces)

    def wrap(self, size: float, width: float) -> list[str]:
        """The lines ``para`` breaks into at fitted size ``size`` in a frame ``width`` wide."""
        actual = size * self.para.scale
        width -= indent_points(self.para, size)
        out: list[str] = []
        for words in self._lines:
            out.extend(_break_lines(words, width / actual) if actual > 0 else [])
        return out

    def longest_word(self, size: float) -> float:
        """The width of the widest word at fitted size ``size``, in points: a frame narrower
        than that (plus the indent) breaks a word between characters."""
        widest = max((word.width for words in self._lines for word in words), default=0.0)
        return widest * size * self.para.scale

    def count(self, size: float, width: float) -> int:
        """How many lines ``para`` takes at fitted size ``size`` in a frame ``width`` wide."""
        return len(self.wrap(size, width))


def wrap(para: Para, size: float, width: float) -> list[str]:
    """The lines of ``para`` at fitted size ``size`` when greedily wrapped to ``width`` points."""
    return Measured(para).wrap(size, width)


def text_width(pieces: Iterable[Piece], size: float) -> float:
    """The width of ``pieces`` set on one line at ``size`` points, in points."""
    return sum(piece.font.width(piece.text, size) for piece in pieces)


# ---------------------------------------------------------------- fitting


@record
class Fit:
    """The outcome of fitting: the size chosen, whether the text fits at it, the inner height
    it needs and the number of lines it takes."""

    size: float
    fits: bool
    height: float
    lines: int


def measure(paras: Sequence[Para | Measured], size: float, width: float) -> tuple[float, int]:
    """The inner height (points) and line count of ``paras`` at fitted size ``size`` in a
    frame whose inner width is ``width`` points."""
    height = 0.0
    lines = 0
    for index, item in enumerate(paras):
        measured = item if isinstance(item, Measured) else Measured(item)
        count = measured.count(size, width)
        lines += count
        height += count * line_pitch(measured.para, size)
        if index:
            height += space_before(measured.para, size)
    return height, lines


def sizes(largest: float, smallest: float, step: float) -> list[float]:
    """The candidate sizes from ``largest`` down to ``smallest`` in steps of ``step``, always
    including both ends."""
    if step <= 0:
        raise ValueError("step must be positive")
    count = max(0, math.floor((largest - smallest) / step + _EPSILON))
    out = [round(largest - k * step, 4) for k in range(count + 1)]
    if out[-1] > smallest + _EPSILON:
        out.append(smallest)
    return out


def fit(paras: Sequence[Para], frame: Frame, largest: float, smallest: float,
        step: float = 0.5, max_lines: int | None = None) -> Fit:
    """The largest size from ``largest`` down to ``smallest`` (in ``step`` pt) at which
    ``paras`` fit inside ``frame`` when greedily word-wrapped, within ``max_lines`` lines.

    When nothing fits, the result is at ``smallest`` with ``fits`` false. Text that fits at
    some size also fits at every smaller one (first-fit line counts only fall as the frame
    widens relative to the text, and pitches only shrink), so a binary search is exact.
    """
    measured = [Measured(p) for p in paras]
    width, height = frame.inner_width, frame.inner_height

    def attempt(size: float) -> Fit:
        needed, lines = measure(measured, size, width)
        ok = needed <= height + _EPSILON and (max_lines is None or lines <= max_lines)
        return Fit(size, ok, needed, lines)

    ladder = sizes(largest, smallest, step)
    low, high = 0, len(ladder) - 1
    best: Fit | None = None
    while low <= high:
        middle = (low + high) // 2
        result = attempt(ladder[middle])
        if result.fits:
            best, high = result, middle - 1
        else:
            low = middle + 1
    return best if best is not None else attempt(ladder[-1])
