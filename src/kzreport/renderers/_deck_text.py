"""The deck's text: runs and paragraphs to write, made from the model and the front matter."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import field
from pathlib import Path
from typing import Any, assert_never

from kzreport.errors import Problem
from kzreport.labels import footnote_mark
from kzreport.layout import FontFamily, Layout
from kzreport.model import (
    Citation,
    CrossRef,
    Document,
    FootnoteRef,
    Inlines,
    LineBreak,
    Script,
    Span,
    internal_target,
)
from kzreport.records import record
from kzreport.renderers import _fit as fit
from kzreport.renderers._common import xml_safe
from kzreport.renderers._deck_geometry import Geometry
from kzreport.scripts import FontChain, is_rtl_language


@record
class Run:
    """Text in one style; ``\\n`` is a line break. ``color`` None takes the paragraph's."""

    text: str
    bold: bool = False
    italic: bool = False
    mono: bool = False
    href: str | None = None
    color: str | None = None
    strike: bool = False
    script: Script = None


@record
class Par:
    """A paragraph to write: runs, colour, family, alignment and spacing relative to the size
    the frame's text is fitted at (see ``_fit.Para``); a bullet paragraph has its marker
    (``◦`` or a number such as ``b.``) hanging ``hang`` into its left ``indent`` (both in
    multiples of its size)."""

    runs: tuple[Run, ...]
    color: str
    family: FontFamily
    scale: float = 1.0
    space_before: float = 0.0
    line_spacing: float = 1.0
    align: str = "l"  # DrawingML: l, ctr, r
    bullet: str | None = None
    indent: float = 0.0
    hang: float = 0.0
    #: A numbered item's style (``labels.NUMBER_STYLES``) and number, which PowerPoint's own
    #: numbering draws as ``bullet`` shows it.
    numbering: tuple[str, int] | None = None
    #: Fitted on one line (``small_line``): see ``_fit.Para.one_line``.
    one_line: bool = False


@record(frozen=False)
class Deck:
    """One deck being built: the presentation, its inputs and the warnings found so far."""

    prs: Any
    document: Document
    layout: Layout
    geometry: Geometry
    #: The user's template the deck started from, None for python-pptx's default.
    template: Path | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def lang(self) -> str:
        return self.document.meta.language

    @property
    def rtl(self) -> bool:
        """Whether the paper is in a right-to-left language."""
        return is_rtl_language(self.lang)

    def measure(self, par: Par) -> fit.Para:
        """``par`` as the fitting module sees it: each run measured with the face that draws
        each of its characters (the run's own, or a fallback)."""
        pieces = tuple(fit.Piece(text, fit.load_metrics(drawing.face(run.bold, run.italic)))
                       for run in par.runs for text, drawing in font_runs(self, run, par.family))
        return fit.Para(pieces, fit.load_metrics(par.family.regular), par.scale,
                        par.space_before, par.line_spacing, par.indent, par.one_line)


def face(family: FontFamily, run: Run, layout: Layout) -> Path:
    """The TTF that draws ``run``: the same file the PDF embeds for that style."""
    return (layout.fonts.mono if run.mono else family).face(run.bold, run.italic)


def font_runs(deck: Deck, run: Run, family: FontFamily,
              text: str | None = None) -> list[tuple[str, FontFamily]]:
    """``text`` (by default the run's) cut where the family that draws it changes, with that
    family: the run's own, or a fallback for characters it lacks. A character no family
    has (refused before rendering) stays in the run's own."""
    own = deck.layout.fonts.mono if run.mono else family
    chain = FontChain.of(own, run.bold, run.italic)
    return [(piece, chain.families[index or 0])
            for piece, index in chain.runs(run.text if text is None else text)]


def runs(inlines: Inlines, bold: bool = False) -> tuple[Run, ...]:
    """Model inlines as runs: bold, italic, code, strikethrough, raised and lowered text and
    links kept (a link inside the paper is plain text: the deck has no headings to go to);
    hard breaks become ``\\n``; a footnote reference is its raised number."""
    out: list[Run] = []
    for item in inlines:
        match item:
            case LineBreak():
                out.append(Run("\n"))
            case FootnoteRef():
                out.append(Run(footnote_mark(item.number), bold=bold, script="super"))
            case CrossRef():  # plain text, as links inside the paper are
                out.append(Run(item.text or item.number, bold=bold))
            case Citation():
                pass  # a marker: the formatted citation follows as spans or a note
            case Span():
                # Code keeps its spacing (indented lines in notes); prose has its soft breaks
                # and runs of spaces folded, as Markdown renders them.
                text = (xml_safe(item.text).replace("\t", "    ") if item.code
                        else clean(item.text, keep_edges=True))
                href = item.href if internal_target(item.href) is None else None
                out.append(Run(text, bold=item.bold or bold, italic=item.italic, mono=item.code,
                               href=href, strike=item.strike, script=item.script))
            case _:
                assert_never(item)
    return tuple(out)


def clean(text: str, keep_edges: bool = False) -> str:
    """``text`` XML-safe, with runs of whitespace (soft line breaks of YAML) as one space."""
    spaced = re.sub(r"[ \t\r\n]+", " ", xml_safe(text))
    return spaced if keep_edges else spaced.strip()


def paragraphs(text: str) -> list[str]:
    """The paragraphs of a front matter text: blank lines separate them."""
    return [clean(p) for p in re.split(r"\n\s*\n", text) if p.strip()] or [""]


def unique_titles(titles: Sequence[str]) -> list[str]:
    """``titles`` made non-empty and unique, a repeat getting `` (2)``, `` (3)``…: screen
    readers and the outline list slides by title."""
    seen: set[str] = set()
    out: list[str] = []
    for raw in titles:
        base = clean(raw) or "—"
        title, count = base, 1
        while title.casefold() in seen:
            count += 1
            title = f"{base} ({count})"
        seen.add(title.casefold())
        out.append(title)
    return out
