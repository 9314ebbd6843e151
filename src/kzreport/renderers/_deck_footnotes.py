"""The strip of footnotes at the foot of a key point's slide: fitted whole, never cut."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kzreport.labels import footnote_mark
from kzreport.model import Footnote, plain_text
from kzreport.records import record
from kzreport.renderers import _fit as fit
from kzreport.renderers._deck_geometry import SMALL_MAX_PT, SMALL_MIN_PT, SOURCE_LINE_PT, Box
from kzreport.renderers._deck_slides import small_line
from kzreport.renderers._deck_text import Deck, Par, Run, clean
from kzreport.renderers._drawingml import textbox, write

#: The notes may take this share of the height between the title and the footer; notes that
#: do not fit there even at the smallest size are left to the speaker notes.
STRIP_SHARE = 0.3
#: The strip's top and bottom insets, in points (a small line's).
STRIP_INSET_Y = 1.0
#: Space above each note after the first in a strip of several lines, in multiples of its size.
NOTE_SPACE = 0.2


@record
class Strip:
    """The notes a slide prints at its foot: their box and paragraphs; ``size`` 0 for one
    line of notes written as a small line (which fits its own size); ``left`` the notes
    that did not fit, which only the speaker notes hold."""

    box: Box
    pars: tuple[Par, ...]
    size: float
    left: tuple[Footnote, ...] = ()


def note_text(note: Footnote) -> str:
    """Footnote ``note`` as the strip prints it: its mark, then its paragraphs on one line."""
    return f"{footnote_mark(note.number)} " + clean(
        " ".join(plain_text(p.inlines) for p in note.paragraphs))


def plan_strip(deck: Deck, notes: Sequence[Footnote], top: float) -> Strip | None:
    """The strip of ``notes`` at the foot of a slide whose content starts at ``top``: one
    small line when they fit one (shrunk to ``SMALL_MIN_PT`` at most); else a note a
    paragraph, wrapped over as many lines as they need (no more than ``STRIP_SHARE`` of the
    content height) at the largest size that fits; a note that does not fit even at the
    smallest size is left out (``Strip.left``), never cut. None without notes to show."""
    if not notes:
        return None
    g, layout = deck.geometry, deck.layout
    bottom = g.content_bottom
    line = Par((Run("   ".join(note_text(note) for note in notes)),), layout.colors.muted,
               layout.fonts.body, one_line=True)
    box = Box(g.margin, bottom - SOURCE_LINE_PT, g.content_width, SOURCE_LINE_PT)
    if fit.fit([deck.measure(line)], box.frame(fit.DEFAULT_INSET_X, STRIP_INSET_Y),
               SMALL_MAX_PT, SMALL_MIN_PT, max_lines=1).fits:
        return Strip(box, (line,), 0.0)
    tallest = max(SOURCE_LINE_PT, round((bottom - top) * STRIP_SHARE, 2))
    area = Box(g.margin, bottom - tallest, g.content_width, tallest).frame(
        fit.DEFAULT_INSET_X, STRIP_INSET_Y)
    kept: list[Par] = []
    left: list[Footnote] = []
    result = None
    for note in notes:
        par = Par((Run(note_text(note)),), layout.colors.muted, layout.fonts.body,
                  space_before=NOTE_SPACE)
        trial = fit.fit([deck.measure(p) for p in (*kept, par)], area, SMALL_MAX_PT,
                        SMALL_MIN_PT)
        if trial.fits:
            kept.append(par)
            result = trial
        else:
            left.append(note)
    if result is None:
        return Strip(Box(g.margin, bottom, g.content_width, 0.0), (), 0.0, tuple(left))
    height = round(result.height + 2 * STRIP_INSET_Y + 0.5, 2)
    return Strip(Box(g.margin, bottom - height, g.content_width, height), tuple(kept),
                 result.size, tuple(left))


def write_strip(deck: Deck, slide: Any, strip: Strip) -> None:
    """Write ``strip`` on ``slide``, its last line on the strip's bottom edge."""
    if strip.size == 0.0:
        if strip.pars:
            small_line(deck, slide, strip.box, strip.pars[0], anchor="b")
        return
    write(deck, slide, textbox(slide, strip.box), strip.box, strip.pars, strip.size,
          inset=(fit.DEFAULT_INSET_X, STRIP_INSET_Y), anchor="b")
