"""A key point's title, detail bullets and visuals arranged on its slide by measurement."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import field, replace

from kzreport.errors import Problem
from kzreport.labels import NUMBER_STYLES, footnote_mark, key_point_label, list_marker
from kzreport.model import (
    Blocks,
    Figure,
    FootnoteRef,
    Inline,
    Inlines,
    KeyPoint,
    LineBreak,
    ListBlock,
    Paragraph,
    Span,
    Table,
    headline_parts,
    is_plain_list,
    plain_text,
)
from kzreport.records import record
from kzreport.renderers import _fit as fit
from kzreport.renderers._deck_geometry import TITLE_LINE_SPACING, Box
from kzreport.renderers._deck_text import Deck, Par, Run, clean, runs
from kzreport.renderers._deck_visuals import Placed, Visual, place
from kzreport.scripts import paragraph_is_rtl

#: Space above a detail bullet, in multiples of its size (tighter than between paragraphs).
BULLET_SPACE = 0.35
#: A bullet's marker hangs in this much indent beyond its own width, in multiples of the size.
MARKER_GAP = 0.45
#: Beside a visual the text takes this share of the content width; above one, at most this
#: share of the content height; and this much space separates them.
TEXT_BESIDE = 0.42
TEXT_ABOVE = 0.4
VISUAL_GAP_PT = 24.0
#: A key point with only its text is set up to this multiple of the largest body size (and
#: no larger than its title) when it then takes at most ``SHORT_LINES`` lines.
SHORT_SCALE = 1.3
SHORT_LINES = 3
#: Balanced lines are no narrower than this share of the content width, found in this many
#: halvings (to within a fraction of a point).
SHORT_MIN_WIDTH = 0.5
BALANCE_STEPS = 12
#: A sentence ends at . ! ? … (and closing quotes or brackets) before a space and a character
#: that is not lower case (``first_sentence`` checks the case), or at an ideographic stop.
_SENTENCE_END = re.compile(r"(?:[.!?…][\"'”’»)\]]*\s+(?=\S))|[。！？]")


@record
class PointTitle:
    """A key point's title, the text under it and whether its number label shows above."""

    title: str
    body: Inlines
    labelled: bool
    #: The title's runs when a headline refers to notes: their marks raised where written.
    runs: tuple[Run, ...] = ()


def title_runs(heading: PointTitle, shown: str) -> tuple[Run, ...] | None:
    """The runs of slide title ``shown``, which holds ``heading``'s title (told apart from
    another slide's, or in a continuation's label), with the headline's notes' marks raised
    where they are written; None when it has none to show."""
    at = shown.find(heading.title)
    if not heading.runs or at < 0:
        return None
    before, after = shown[:at], shown[at + len(heading.title):]
    return (*((Run(before, bold=True),) if before else ()), *heading.runs,
            *((Run(after, bold=True),) if after else ()))


def _headline_runs(point: KeyPoint) -> tuple[Run, ...]:
    parts = headline_parts(point)
    if not any(isinstance(part, FootnoteRef) for part in parts):
        return ()
    return tuple(Run(footnote_mark(part.number), bold=True, script="super")
                 if isinstance(part, FootnoteRef) else Run(clean(part, keep_edges=True), bold=True)
                 for part in parts)


def plan_point(deck: Deck, point: KeyPoint, number: int, total: int) -> PointTitle:
    """The title of key point ``number``: its bold headline; else (an action title) its first
    sentence when that fits two lines of the title box at the smallest title size and the
    slide has more to show (more text, bullets or visuals), the text going on without it;
    else the layout's ``Key Point N of M``. A first sentence referring to a footnote stays in
    the text, where its note's number shows."""
    if point.headline:
        return PointTitle(point.headline, point.inlines, True, _headline_runs(point))
    label = key_point_label(deck.layout, number, total)
    if not deck.layout.slides.action_titles:
        return PointTitle(label, point.inlines, False)
    sentence, rest = first_sentence(point.inlines)
    title = clean(sentence)
    if _references(rest) != _references(point.inlines):
        return PointTitle(label, point.inlines, False)
    shown = sort_details(deck, point.details)
    if not plain_text(rest).strip() and not (shown.lists or shown.visuals):
        # One sentence and nothing else on the slide: it stays the slide's text, set large.
        return PointTitle(label, point.inlines, False)
    s, g = deck.layout.slides, deck.geometry
    par = Par((Run(title, bold=True),), deck.layout.colors.primary, deck.layout.fonts.heading,
              line_spacing=TITLE_LINE_SPACING)
    frame = Box(0, 0, g.content_width, 1e6).frame()
    result = fit.fit([deck.measure(par)], frame, s.title_min, s.title_min, max_lines=2)
    if not title or not result.fits:
        return PointTitle(label, point.inlines, False)
    return PointTitle(title, rest, True)


def _references(inlines: Inlines) -> int:
    return sum(isinstance(inline, FootnoteRef) for inline in inlines)


def first_sentence(inlines: Inlines) -> tuple[str, Inlines]:
    """The first sentence of ``inlines`` as plain text, and the inlines after it. A period
    after a single letter or inside a word (``U.S.``, ``e.g.``) ends no sentence."""
    text = plain_text(inlines)
    end = len(text)
    for found in _SENTENCE_END.finditer(text):
        word = text[:found.start() + 1].split()[-1] if text[:found.start() + 1].split() else ""
        core = word.rstrip(".!?…\"'”’»)]")
        if "." in core or (len(core) <= 1 and text[found.start()] == ".") \
                or text[found.end():found.end() + 1].islower():
            continue
        end = found.end()
        break
    sentence = text[:end]
    return sentence.strip(), _after(inlines, end)


def _after(inlines: Inlines, offset: int) -> Inlines:
    """``inlines`` from plain-text ``offset`` on (a hard break counts one character), with
    the leading space dropped."""
    out: list[Inline] = []
    position = 0
    for inline in inlines:
        length = len(plain_text((inline,)))
        if position + length <= offset:
            position += length
            continue
        if isinstance(inline, Span) and position < offset:
            inline = replace(inline, text=inline.text[offset - position:])
        position += length
        if not out and isinstance(inline, Span):
            inline = replace(inline, text=inline.text.lstrip())
            if not inline.text:
                continue
        if not out and isinstance(inline, LineBreak):
            continue
        out.append(inline)
    return tuple(out)


# ---------------------------------------------------------------- details


@record(frozen=False)
class Content:
    """A key point's details sorted by where they go: bullet lists and visuals on the slide,
    the rest (prose, and what the slide has no room for) in the notes, in source order."""

    lists: list[ListBlock] = field(default_factory=list)
    visuals: list[Visual] = field(default_factory=list)

    def notes(self, details: Blocks) -> Blocks:
        """The details the slide does not show, in source order."""
        shown = {id(block) for block in (*self.lists, *self.visuals)}
        return tuple(block for block in details if id(block) not in shown)


def sort_details(deck: Deck, details: Blocks) -> Content:
    """Which of ``details`` go on the slide: figures and tables (charts too), and bullet or
    numbered lists of plain items when the layout puts detail bullets on slides."""
    content = Content()
    for block in details:
        if isinstance(block, Figure | Table):
            content.visuals.append(block)
        elif isinstance(block, ListBlock) and deck.layout.slides.detail_bullets \
                and is_plain_list(block):
            content.lists.append(block)
    return content


def bullet_pars(deck: Deck, lists: Sequence[ListBlock], depth: int = 1,
                indent: float = 0.0) -> list[Par]:
    """``lists`` as bullet paragraphs, nested items indented a marker further; markers as in
    every format (``labels.list_marker``: a key point's details sit one list deep, so its
    lists start at ``◦`` and ``a.``)."""
    layout = deck.layout
    metrics = fit.load_metrics(layout.fonts.body.regular)
    out: list[Par] = []
    for block in lists:
        numbers = range(block.start, block.start + len(block.items))
        markers = [list_marker(block.ordered, depth, n) for n in numbers]
        hang = max(metrics.width(marker, 1.0) for marker in markers) + MARKER_GAP
        style = NUMBER_STYLES[depth % len(NUMBER_STYLES)] if block.ordered else None
        for item, marker, n in zip(block.items, markers, numbers, strict=True):
            first = item.blocks[0]
            assert isinstance(first, Paragraph)  # is_plain_list made sure
            out.append(Par(runs(first.inlines), layout.colors.text, layout.fonts.body,
                           space_before=BULLET_SPACE, bullet=marker, indent=indent + hang,
                           hang=hang, numbering=(style, n) if style else None))
            nested = [b for b in item.blocks[1:] if isinstance(b, ListBlock)]
            out.extend(bullet_pars(deck, nested, depth + 1, indent + hang))
    return out


# ---------------------------------------------------------------- arranging


@record
class Arrangement:
    """Where a key point's text goes (None: no text) and at what size, and its visuals."""

    text: Box | None
    size: float
    anchor: str
    visuals: tuple[Placed, ...]

    @property
    def visual_area(self) -> float:
        return sum(placed.area for placed in self.visuals)


def place_all(deck: Deck, visuals: Sequence[Visual], box: Box) -> tuple[Placed, ...] | None:
    """``visuals`` side by side in ``box`` (one above the other when ``box`` is taller than
    wide), or None when one of them does not fit its share."""
    count = len(visuals)
    across = box.width >= box.height
    length = ((box.width if across else box.height) - VISUAL_GAP_PT * (count - 1)) / count
    out = []
    for index, visual in enumerate(visuals):
        offset = index * (length + VISUAL_GAP_PT)
        share = (Box(box.left + offset, box.top, length, box.height) if across
                 else Box(box.left, box.top + offset, box.width, length))
        placed = place(deck, visual, share) if length > 0 else None
        if placed is None:
            return None
        out.append(placed)
    return tuple(out)


def arrange(deck: Deck, pars: Sequence[Par], visuals: Sequence[Visual],
            area: Box) -> Arrangement | None:
    """The text beside the visuals or above them, whichever shows the visuals larger with
    the text at no less than the layout's smallest body size; None when neither fits."""
    s = deck.layout.slides
    if not pars:
        placed = place_all(deck, visuals, area)
        return Arrangement(None, 0.0, "t", placed) if placed else None
    paras = [deck.measure(p) for p in pars]
    candidates = []
    # The text comes first in reading order: on the left, or on the right in a right-to-left
    # paper.
    width = round(area.width * TEXT_BESIDE, 2)
    rest_width = area.width - width - VISUAL_GAP_PT
    beside = Box(area.right - width if deck.rtl else area.left, area.top, width, area.height)
    result = fit.fit(paras, beside.frame(), s.body_max, s.body_min)
    if result.fits:
        rest = Box(area.left if deck.rtl else beside.right + VISUAL_GAP_PT, area.top,
                   rest_width, area.height)
        placed = place_all(deck, visuals, rest)
        if placed:
            candidates.append(Arrangement(beside, result.size, "m", placed))
    above = Box(area.left, area.top, area.width, round(area.height * TEXT_ABOVE, 2))
    result = fit.fit(paras, above.frame(), s.body_max, s.body_min)
    if result.fits:
        height = min(above.height, round(result.height + 2 * fit.DEFAULT_INSET_Y + 0.5, 2))
        text = Box(area.left, area.top, area.width, height)
        rest = Box(area.left, text.bottom + VISUAL_GAP_PT / 2, area.width,
                   area.bottom - text.bottom - VISUAL_GAP_PT / 2)
        placed = place_all(deck, visuals, rest)
        if placed:
            candidates.append(Arrangement(text, result.size, "t", placed))
    return max(candidates, key=lambda c: c.visual_area, default=None)


def short_text(deck: Deck, pars: Sequence[Par], area: Box, title_size: float,
               ) -> Arrangement | None:
    """A key point with only its text, when that fits at the largest body size: set as large
    as ``SHORT_SCALE`` times that (never larger than its title) while it takes at most
    ``SHORT_LINES`` lines, on lines of balanced length, in the middle of the slide. None when
    the text needs a smaller size."""
    s = deck.layout.slides
    paras = [deck.measure(p) for p in pars]
    largest = max(s.body_max, min(round(s.body_max * SHORT_SCALE * 2) / 2, title_size))
    result = fit.fit(paras, area.frame(), largest, s.body_max, max_lines=SHORT_LINES)
    if not result.fits:
        result = fit.fit(paras, area.frame(), s.body_max, s.body_max)
        if not result.fits:
            return None
    # The narrowest box that keeps the line count: lines of even length, no lone last word
    # (a binary search to a fraction of a point; the words are found once).
    measured = [fit.Measured(para) for para in paras]
    low, high = area.width * SHORT_MIN_WIDTH, area.width
    for _ in range(BALANCE_STEPS):
        middle = (low + high) / 2
        _, lines = fit.measure(measured, result.size, Box(0, 0, middle, 0).frame().inner_width)
        low, high = (low, middle) if lines <= result.lines else (middle, high)
    width = min(area.width, round(high + 0.5, 2))
    # Right-to-left lines start at the right, under the title: the box keeps that edge.
    rtl = paragraph_is_rtl("".join(run.text for par in pars for run in par.runs), deck.rtl)
    box = Box(area.right - width if rtl else area.left, area.top, width, area.height)
    return Arrangement(box, result.size, "m", ())


def warn(deck: Deck, line: int, message: str, hint: str) -> None:
    deck.problems.append(Problem(deck.document.source, line, message, hint, severity="warning"))
