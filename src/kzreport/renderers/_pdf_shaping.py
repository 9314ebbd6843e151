"""Text shaped with HarfBuzz for the PDF: each glyph a character reportlab can encode."""

from __future__ import annotations

import functools
import unicodedata
from pathlib import Path
from typing import Any

from reportlab.pdfbase import pdfmetrics

from kzreport.records import record

#: Keys stand for (face, glyph, text) pairs in Supplementary Private Use Area-B, which no
#: font kzreport ships maps and no paper may contain (source checks refuse private use).
_FIRST_KEY = 0x100000
#: How far a right-to-left letter of no advance moves left of the letter it is drawn over, in
#: points: unseen, but enough for position-ordering readers to read it second.
_AFTER_PT = 0.01
#: The text each key's glyph stands for: its ToUnicode entry (read by the patched CMap
#: writer in ``_reportlab_internals``), so text extraction gives the letters, not glyphs.
SHAPED_TEXT: dict[int, str] = {}
_KEYS: dict[tuple[str, int, str], int] = {}


@record
class ShapedRun:
    """A run of text set in one face, size and direction: its width in points and its
    glyphs in logical order (the order text is read in), each as (key character, x from the
    run's left edge in points, y offset in points)."""

    width: float
    glyphs: tuple[tuple[str, float, float], ...]


@functools.lru_cache(maxsize=16384)
def shape(text: str, font: str, size: float, rtl: bool) -> ShapedRun:
    """``text`` shaped in registered face ``font`` at ``size`` points, right to left when
    ``rtl`` (given, never guessed: HarfBuzz guessing per run would turn Arabic-Indic numbers
    around), in the script of its letters."""
    import uharfbuzz

    face, upem, path = _hb_face(font)
    hb_font = uharfbuzz.Font(face)
    buffer = uharfbuzz.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    buffer.direction = "rtl" if rtl else "ltr"
    uharfbuzz.shape(hb_font, buffer, {})
    infos, positions = buffer.glyph_infos, buffer.glyph_positions
    scale = size / upem
    placed: list[list[Any]] = []  # [cluster, order, glyph, x, y, advance]
    pen = 0.0
    for i, (info, position) in enumerate(zip(infos, positions, strict=True)):
        placed.append([info.cluster, -i if rtl else i, info.codepoint,
                       pen + position.x_offset * scale, position.y_offset * scale,
                       position.x_advance])
        pen += position.x_advance * scale
    # Reading order: by cluster (HarfBuzz lists right-to-left glyphs from the left, and has put
    # each mark in its letter's cluster).
    placed.sort()
    # Each cluster's text, from its first character to the next cluster's, is extracted from
    # its first glyph; its other glyphs extract as nothing.
    starts = [g[0] for g in placed]
    glyphs: list[tuple[str, float, float]] = []
    for n, (cluster, _order, glyph, x, y, advance) in enumerate(placed):
        first = n == 0 or starts[n - 1] != cluster
        end = next((c for c in starts[n + 1:] if c != cluster), len(text))
        piece = text[cluster:end] if first else ""
        if rtl and advance == 0 and piece and not unicodedata.combining(piece[0]):
            # A letter drawn over the one before it takes no room: Noto Naskh Arabic's lam-alef
            # is a lam and an alef of no advance, each its own letter. Readers that order a
            # line by position (poppler) would tie the alef with the lam's left edge and may
            # read it first ("ال" for "لا"); a hundredth of a point to the left, it is read
            # after, as it is written.
            x -= _AFTER_PT
        glyphs.append((_key(font, path, glyph, piece, hb_font, upem), x, y))
    return ShapedRun(pen, tuple(glyphs))


def _key(font: str, path: str, glyph: int, text: str, hb_font: Any, upem: int) -> str:
    """The character that draws ``glyph`` of face ``font`` and extracts as ``text``: one
    per (file, glyph, text), entered in the face's character map and widths on first use."""
    found = _KEYS.get((path, glyph, text))
    if found is None:
        found = _KEYS[(path, glyph, text)] = _FIRST_KEY + len(_KEYS)
        SHAPED_TEXT[found] = text
    face = pdfmetrics.getFont(font).face
    if found not in face.charToGlyph:
        # The face's own tables, which reportlab's encoder and subsetter read: the key is
        # encoded like any character, embeds ``glyph``, and has the glyph's own advance.
        face.charToGlyph[found] = glyph
        face.charWidths[found] = hb_font.get_glyph_h_advance(glyph) * 1000 / upem
    return chr(found)


@functools.lru_cache(maxsize=32)
def _hb_face(font: str) -> tuple[Any, int, str]:
    """HarfBuzz's face of registered face ``font``, its units per em and its file."""
    import uharfbuzz

    face = pdfmetrics.getFont(font).face
    path = str(Path(face.filename))
    hb_face = uharfbuzz.Face(uharfbuzz.Blob(Path(path).read_bytes()))
    return hb_face, hb_face.upem, path
