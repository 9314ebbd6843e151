"""A key point's slide: laid out by measurement (for the build and for ``check``), then written."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from kzreport.labels import footnote_mark, key_point_label
from kzreport.model import (
    Blocks,
    Figure,
    Footnote,
    Inlines,
    KeyPoint,
    ListBlock,
    cited_sources,
    inline_contents,
    plain_text,
)
from kzreport.records import record
from kzreport.renderers import _fit as fit
from kzreport.renderers._deck_continued import continued_slides, split_to_fit
from kzreport.renderers._deck_footnotes import Strip, plan_strip, write_strip
from kzreport.renderers._deck_geometry import FOOTER_CLEARANCE_PT, OVERFLOW_PT, SMALL_MIN_PT, Box
from kzreport.renderers._deck_notes import footnotes_of, point_notes, write_notes
from kzreport.renderers._deck_points import (
    Arrangement,
    Content,
    PointTitle,
    arrange,
    bullet_pars,
    short_text,
    sort_details,
    title_runs,
    warn,
)
from kzreport.renderers._deck_slides import (
    SlideBuilder,
    TitlePlan,
    fit_body,
    plan_title,
    write_title,
)
from kzreport.renderers._deck_text import Deck, Par, runs
from kzreport.renderers._deck_visuals import Placed, Visual, place
from kzreport.renderers._drawingml import body_shape, placeholder, remove, write
from kzreport.slide_points import is_information_paper, slide_points


@record
class PointPlan:
    """Where a key point's slide puts everything, and at what size: its title; its text and
    detail bullets (box, size, anchor; None when it shows none); its figures, tables and
    charts; the strip of the footnotes the slide refers to; the details left to the notes."""

    title: TitlePlan
    pars: list[Par]
    body: tuple[Box, float, str] | None
    visuals: tuple[Placed, ...]
    sources: Strip | None
    notes: Blocks
    #: The text and bullets too long for the slide even at the smallest size, which go on
    #: on a continuation slide.
    rest: tuple[Par, ...] = ()


def plan_key_point(deck: Deck, number: int, point: KeyPoint, title: str,
                   heading: PointTitle) -> PointPlan:
    """Lay key point ``number``'s slide out without writing it (what does not fit is a
    warning in ``deck.problems``): the slide writes this plan, and ``kzreport check`` makes
    it to report what a build would. ``heading`` is the title ``plan_point`` chose (``title``
    once repeats are told apart) and the text left under it."""
    g, layout = deck.geometry, deck.layout
    total = len(slide_points(deck.document).points)
    # A section's slide (an information paper's) is no key point: no "Key Point N of M".
    eyebrow = (key_point_label(layout, number, total)
               if heading.labelled and not is_information_paper(deck.document) else None)
    title_plan = plan_title(deck, title, eyebrow, point.line, number, title_runs(heading, title))
    top = title_plan.body_top
    content = sort_details(deck, point.details)
    text = ([Par(runs(heading.body), layout.colors.text, layout.fonts.body)]
            if plain_text(heading.body).strip() else [])
    # The footnotes of what the slide may show go in a strip at its foot; the rest of the
    # slide is laid out above it (what ends up in the notes is dropped from it after).
    written = (*point.headline_inlines, *point.inlines)  # the headline's notes come first
    reserved = (plan_strip(deck, _shown_notes(deck, written, content), top)
                if layout.slides.footnote_line else None)
    bottom = reserved.box.top if reserved is not None else g.content_bottom
    area = Box(g.margin, top, g.content_width, bottom - top)
    arrangement = _arrange(deck, number, point, content, text, area, title_plan.size)
    pars = text + bullet_pars(deck, content.lists)
    body: tuple[Box, float, str] | None = None
    rest: list[Par] = []
    if arrangement is not None:
        if arrangement.text is not None:
            body = (arrangement.text, arrangement.size, arrangement.anchor)
    elif pars:
        # The largest area the body may take when not even a word fits at the minimum size
        # (a title taking most of the slide): half the side margins and most of the gap to
        # the footer (or the notes' line).
        wide = Box(g.margin / 2, top - OVERFLOW_PT, g.width - g.margin,
                   min(g.footer.top - FOOTER_CLEARANCE_PT, bottom) - (top - OVERFLOW_PT))
        smallest = layout.slides.body_min
        if not fit.fit([deck.measure(p) for p in pars], area.frame(), smallest, smallest).fits:
            # Not even at the smallest size: what fits stays, the rest goes on on the next
            # slide, within the title's and the footer's margins.
            shown, rest = split_to_fit(deck, pars, area, smallest)
            if shown:
                warn(deck, point.line, f"{named(deck, number, point)} does not fit on its slide at "
                     f"{smallest:g} pt; it continues on the next slide",
                     "shorten it or move detail into sub-bullets")
                pars, body = shown, (area, smallest, "t")
        if body is None:
            box, size = fit_body(deck, pars, area, wide, point.line,
                                 f"{named(deck, number, point)} does not fit on its slide at "
                                 f"{smallest:g} pt", "shorten it or move detail into sub-bullets")
            body = (box, size, "t")
    # Fewer notes than reserved for need no more room: the strip stays within the reserve.
    strip = (plan_strip(deck, _shown_notes(deck, written, content), top)
             if reserved is not None else None)
    for note in strip.left if strip is not None else ():
        warn(deck, note.line, f"footnote {footnote_mark(note.number)} of "
             f"{named(deck, number, point)} does not fit the footnotes at the foot of its "
             f"slide at {SMALL_MIN_PT:g} pt; it is only in the speaker notes",
             "shorten the note, or refer to fewer notes in the key point's text")
    return PointPlan(title_plan, pars, body, arrangement.visuals if arrangement else (),
                     strip, content.notes(point.details), tuple(rest))


def named(deck: Deck, number: int, point: KeyPoint) -> str:
    """How a message names the point a slide shows: "key point 2", or for an information
    paper's section "the section 'Outlook'"."""
    if is_information_paper(deck.document):
        return f"the section '{point.headline}'"
    return f"key point {number}"


def _arrange(deck: Deck, number: int, point: KeyPoint, content: Content, text: list[Par],
             area: Box, title_size: float) -> Arrangement | None:
    """The text, bullets and visuals of ``content`` arranged in ``area``; what does not fit
    leaves ``content`` for the notes with a warning: a visual too large even alone, then the
    bullets, then the visuals. None when the text is to be fitted on its own."""
    layout, where = deck.layout, named(deck, number, point)
    for visual in list(content.visuals):  # too large for a slide even alone: notes
        if place(deck, visual, area) is None:
            content.visuals.remove(visual)
            warn(deck, visual.line, f"a table of {where} is too large for its slide at "
                 f"{layout.slides.body_min:g} pt; it is in the speaker notes",
                 "split the table or shorten its cells")
    arrangement = None
    if content.visuals:
        arrangement = arrange(deck, text + bullet_pars(deck, content.lists), content.visuals,
                              area)
        if arrangement is None and content.lists:
            content.lists.clear()
            warn(deck, point.line, f"the detail bullets of {where} do not fit on its slide "
                 "beside its figures and tables; they are in the speaker notes",
                 "shorten the bullets or move a table to a key point of its own")
            arrangement = arrange(deck, text, content.visuals, area)
        if arrangement is None:
            content.visuals.clear()
            warn(deck, point.line, f"the figures and tables of {where} do not fit on its "
                 "slide with its text; they are in the speaker notes",
                 "shorten the key point or give the visual a key point of its own")
    if arrangement is None and text and not content.lists:
        arrangement = short_text(deck, text, area, title_size)
    return arrangement


def _shown_notes(deck: Deck, inlines: Inlines, content: Content) -> list[Footnote]:
    """The footnotes referred to by what the slide shows: the key point's text, its detail
    bullets and its visuals' captions and cells (a chart shows its caption, not its cells)."""
    return footnotes_of(deck.document, [inlines, *_visible(content.lists, content.visuals)])


def _visible(lists: Sequence[ListBlock], visuals: Sequence[Visual]) -> Iterator[Inlines]:
    yield from (found for _, found in inline_contents(tuple(lists)))
    for visual in visuals:
        if isinstance(visual, Figure):
            continue  # its caption is plain text
        if visual.chart is not None:
            yield visual.caption
        else:
            yield from (found for _, found in inline_contents((visual,)))


def key_point_slides(deck: Deck, number: int, point: KeyPoint, heading: PointTitle,
                     title: str) -> list[tuple[str, SlideBuilder]]:
    """Key point ``number``'s slide, titled ``title`` (its text, detail bullets and visuals
    as ``plan_key_point`` lays them out, the footnotes' line, and the rest of its details and
    every footnote it refers to in the notes), then, when its text does not fit even at the
    smallest size, the slides it continues on: each with its title and builder. The slide is
    laid out here, once (its warnings with it), and again, quietly, only if its title must
    still change to tell it from another slide's."""
    first = plan_key_point(deck, number, point, title, heading)

    def build(deck: Deck, slide: Any | None, shown_title: str) -> None:
        plan = first
        if shown_title != title:
            seen = len(deck.problems)
            plan = plan_key_point(deck, number, point, shown_title, heading)
            del deck.problems[seen:]
        if slide is None:
            return
        write_title(deck, slide, plan.title)
        if plan.sources is not None:
            write_strip(deck, slide, plan.sources)
        if plan.body is not None:
            box, size, anchor = plan.body
            write(deck, slide, body_shape(slide, box), box, plan.pars, size, anchor=anchor)
        else:
            remove(placeholder(slide, ("BODY", "OBJECT")))
        for placed in plan.visuals:
            placed.draw(slide)
        footnotes = point_notes(deck.document, point)
        sources = cited_sources(deck.document, point)
        if plan.notes or footnotes or sources:
            write_notes(deck, slide, plan.notes, footnotes, sources)

    return [(title, build), *continued_slides(deck, title, first.rest, point.line, heading)]
