"""Slide text too long for its slide even at the smallest size, cut where a second slide goes on."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from kzreport.renderers import _fit as fit
from kzreport.renderers._deck_geometry import FOOTER_CLEARANCE_PT, OVERFLOW_PT, Box
from kzreport.renderers._deck_points import PointTitle, title_runs
from kzreport.renderers._deck_slides import SlideBuilder, fit_body, plan_title, write_title
from kzreport.renderers._deck_text import Deck, Par, Run
from kzreport.renderers._drawingml import body_shape, write

#: At most this many slides continue one: the last takes what is left, shrunk if need be.
MAX_CONTINUED = 20


def continued_slides(deck: Deck, title: str, rest: Sequence[Par], line: int,
                     heading: PointTitle | None = None) -> list[tuple[str, SlideBuilder]]:
    """The slides text too long for its own slide (``rest``, what it had no room for) goes on
    on, each titled as the layout's ``continued`` label says of ``title`` and holding what
    fits at the layout's smallest size, the last the remainder; the marks of notes ``heading``
    (the key point's title) refers to are raised in theirs too."""
    label = deck.layout.labels.continued.format(title=title)
    slides: list[tuple[str, SlideBuilder]] = []
    pending = list(rest)
    while pending:
        area = _area(deck, plan_title(deck, label, None, line, None,
                                      title_runs(heading, label) if heading else None).body_top)
        shown, pending = split_to_fit(deck, pending, area, deck.layout.slides.body_min)
        if not shown or len(slides) + 1 == MAX_CONTINUED:
            shown, pending = shown + pending, []
        slides.append((label, _continued_slide(shown, line, heading)))
    return slides


def _area(deck: Deck, top: float) -> Box:
    g = deck.geometry
    return Box(g.margin, top, g.content_width, g.content_bottom - top)


def _continued_slide(pars: list[Par], line: int, heading: PointTitle | None) -> SlideBuilder:
    """The builder of a slide showing ``pars``, the part of a key point's (or section's) text
    laid out for it, at the smallest size like the slide it goes on from (below it, with a
    warning, only when it is the last of very many)."""

    def build(deck: Deck, slide: Any | None, title: str) -> None:
        g, smallest = deck.geometry, deck.layout.slides.body_min
        title_plan = plan_title(deck, title, None, line, None,
                                title_runs(heading, title) if heading else None)
        top = title_plan.body_top
        wide = Box(g.margin / 2, top - OVERFLOW_PT, g.width - g.margin,
                   g.footer.top - FOOTER_CLEARANCE_PT - (top - OVERFLOW_PT))
        box, size = fit_body(deck, pars, _area(deck, top), wide, line,
                             f"'{title}' does not fit on its slide at {smallest:g} pt either",
                             "shorten it or move detail into sub-bullets", largest=smallest)
        if slide is None:
            return
        write_title(deck, slide, title_plan)
        write(deck, slide, body_shape(slide, box), box, pars, size)

    return build


def split_to_fit(deck: Deck, pars: Sequence[Par], box: Box,
                 size: float) -> tuple[list[Par], list[Par]]:
    """The longest leading part of ``pars`` that fits ``box`` at ``size``, and the rest:
    whole paragraphs, then the first that does not fit cut after a word (so the second slide
    goes on mid-sentence, as a page does). Nothing fits (not one word): ``([], pars)``."""
    frame = box.frame()

    def fits(candidate: Sequence[Par]) -> bool:
        return fit.fit([deck.measure(p) for p in candidate], frame, size, size).fits

    whole = 0
    while whole < len(pars) and fits(pars[:whole + 1]):
        whole += 1
    if whole == len(pars):
        return list(pars), []
    head, cut, tail = list(pars[:whole]), pars[whole], list(pars[whole + 1:])
    text = "".join(run.text for run in cut.runs)
    spaces = [i for i, char in enumerate(text) if char == " " and text[:i].strip()]
    low, high, best = 0, len(spaces) - 1, None
    while low <= high:  # fitting is monotonic in the length of the first part
        middle = (low + high) // 2
        if fits([*head, cut_par(cut, spaces[middle])[0]]):
            best, low = middle, middle + 1
        else:
            high = middle - 1
    if best is None:
        return head, [cut, *tail]
    first, second = cut_par(cut, spaces[best])
    return [*head, first], [second, *tail]


def cut_par(par: Par, at: int) -> tuple[Par, Par]:
    """``par`` cut at the space at character ``at`` of its text (the space dropped): the
    first part keeps its marker; the second goes on without one, indented alike."""
    before: list[Run] = []
    after: list[Run] = []
    seen = 0
    for run in par.runs:
        end = seen + len(run.text)
        if end <= at:
            before.append(run)
        elif seen > at:
            after.append(run)
        else:
            local = at - seen
            if run.text[:local]:
                before.append(replace(run, text=run.text[:local]))
            if run.text[local + 1:]:
                after.append(replace(run, text=run.text[local + 1:]))
        seen = end
    return (replace(par, runs=tuple(before)),
            replace(par, runs=tuple(after), bullet=None, numbering=None, space_before=0.0))
