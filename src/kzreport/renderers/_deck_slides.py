"""The deck's slides: title, summary and closing slides, titles, fitting, footers and banners."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from kzreport.errors import Problem, RenderError
from kzreport.labels import fill_label, list_marker
from kzreport.layout import Logo
from kzreport.records import record
from kzreport.renderers import _fit as fit
from kzreport.renderers._deck_geometry import (
    ACCENT_STRIPE_PT,
    ADDRESS_SCALE,
    ATTACHED_SPACE,
    BELOW_TITLE,
    BYLINE_GAP,
    BYLINE_PT,
    DISCLAIMER_PT,
    FLOOR_PT,
    GROUP_SPACE,
    HAIRLINE_GAP_PT,
    HAIRLINE_PT,
    LABEL_MAX_PT,
    LINKS_MAX_PT,
    LOGO_GAP_PT,
    OVERFLOW_PT,
    PANEL_INSET_PT,
    PARAGRAPH_SPACE,
    SECONDARY_SCALE,
    SMALL_MAX_PT,
    SMALL_MIN_PT,
    SUBTITLE_GAP_PT,
    SUBTITLE_PT,
    TITLE_BAND,
    TITLE_BAND_PADDING,
    TITLE_CAP,
    TITLE_LINE_SPACING,
    TITLE_RULE_GAP_PT,
    TITLE_RULE_PT,
    TITLE_SLIDE_SCALE,
    Box,
)
from kzreport.renderers._deck_notes import write_notes
from kzreport.renderers._deck_text import Deck, Par, Run, clean, paragraphs
from kzreport.renderers._drawingml import (
    body_shape,
    decorative,
    emu,
    non_visual_properties,
    placeholder,
    rectangle,
    remove,
    textbox,
    title_shape,
    write,
)
from kzreport.renderers._pptx_internals import picture_element

if TYPE_CHECKING:
    from lxml.etree import _Element as XmlElement

#: What builds a slide: the deck, the new slide and the slide's (unique) title. Given no slide
#: (``kzreport check``), it lays the slide out, reporting what does not fit, and writes nothing.
SlideBuilder = Callable[[Deck, Any | None, str], None]


@record
class Text:
    """Fitted text to write: its box, paragraphs, size, anchor and insets."""

    box: Box
    pars: list[Par]
    size: float
    anchor: str = "t"
    inset: tuple[float, float] = (fit.DEFAULT_INSET_X, fit.DEFAULT_INSET_Y)


def title_slide(deck: Deck, slide: Any | None, title: str) -> None:
    """The opening slide: a coloured band holding title and subtitle, an accent stripe, then
    the byline, organization and date (and the layout's logo) on the slide background. Laid
    out first (what does not fit is a warning); without a ``slide`` (``check``), only that."""
    g, layout, meta = deck.geometry, deck.layout, deck.document.meta
    colors, heading, body = layout.colors, layout.fonts.heading, layout.fonts.body
    # The layout's title band colours, unless the band would vanish into the background (the
    # default layout's band is white for print): then the primary colour carries it.
    if colors.title_band != colors.slide_background:
        band_color, band_text = colors.title_band, colors.title_band_text
    else:
        band_color, band_text = colors.primary, colors.slide_background
    band = Box(0, g.banner, g.width, round((g.height - 2 * g.banner) * TITLE_BAND, 2))
    stripe = Box(0, band.bottom, g.width, ACCENT_STRIPE_PT)

    # Title and subtitle stack up from the band's bottom edge, the subtitle fitted first.
    pad = round(g.height * TITLE_BAND_PADDING, 2)
    inner = Box(g.margin, band.top + pad, g.content_width, band.height - 2 * pad)
    bottom = inner.bottom
    subtitle = None
    if meta.subtitle:
        par = Par((Run(clean(meta.subtitle)),), band_text, body)
        frame = Box(inner.left, inner.top, inner.width, inner.height / 3)
        result = _fit_or_floor(deck, [par], frame, *SUBTITLE_PT, max_lines=2,
                               problem=("the subtitle does not fit on the title slide",
                                        "shorten the subtitle",
                                        deck.document.lines.get("subtitle")))
        subtitle = Text(_shrink_to_text(frame, result, bottom=bottom), [par], result.size, "b")
        bottom = subtitle.box.top - SUBTITLE_GAP_PT
    title_par = Par((Run(title, bold=True),), band_text, heading,
                    line_spacing=TITLE_LINE_SPACING)
    frame = Box(inner.left, inner.top, inner.width, bottom - inner.top)
    largest = round(layout.slides.title_max * TITLE_SLIDE_SCALE)
    result = _fit_or_floor(deck, [title_par], frame, largest, layout.slides.title_min,
                           problem=("the title does not fit on the title slide",
                                    "shorten the title or move words into the subtitle",
                                    deck.document.lines.get("title")))
    title_text = Text(_shrink_to_text(frame, result, bottom=bottom), [title_par], result.size,
                      "b")

    # Byline: each author's name, then their affiliation; then organization and date.
    gap = round(g.height * BYLINE_GAP, 2)
    below = Box(g.margin, stripe.bottom + gap, g.content_width,
                g.height - g.banner - gap - stripe.bottom - gap)
    logo = None
    if layout.logo is not None:
        logo, below = _logo_box(layout.logo, below)
    # Each author over their affiliation; when that does not fit at the smallest byline size,
    # each on one line; then all in one run-in paragraph: every name and affiliation stays.
    pars = _byline(deck, "stacked")
    for compact in ("lines", "run-in"):
        if fit.fit([deck.measure(p) for p in pars], below.frame(fit.DEFAULT_INSET_X,
                                                                 fit.DEFAULT_INSET_Y),
                   BYLINE_PT[0], BYLINE_PT[1]).fits:
            break
        pars = _byline(deck, compact)
    result = _fit_or_floor(deck, pars, below, *BYLINE_PT,
                           problem=("the authors, organization and date do not fit on the "
                                    "title slide", "shorten the affiliations",
                                    deck.document.lines.get("authors")))
    if slide is None:
        return
    rectangle(slide, band, band_color, behind=True)
    rectangle(slide, stripe, colors.accent, behind=True)
    subtitle_shape = placeholder(slide, ("SUBTITLE",))
    if subtitle is not None:
        shape = subtitle_shape if subtitle_shape is not None else textbox(slide, subtitle.box)
        _write_text(deck, slide, shape, subtitle)
    else:
        remove(subtitle_shape)
    _write_text(deck, slide, title_shape(slide), title_text)
    if logo is not None and layout.logo is not None:
        _logo(slide, layout.logo, logo)
    write(deck, slide, textbox(slide, below), below, pars, result.size)


def _write_text(deck: Deck, slide: Any, shape: XmlElement, text: Text) -> None:
    write(deck, slide, shape, text.box, text.pars, text.size, inset=text.inset,
          anchor=text.anchor)


def _byline(deck: Deck, form: str) -> list[Par]:
    """The title slide's authors ("stacked": name over affiliation; "lines": one author per
    line; "run-in": every author in one paragraph), then organization and date."""
    layout, meta = deck.layout, deck.document.meta
    colors, body = layout.colors, layout.fonts.body
    pars: list[Par] = []
    runs: list[Run] = []
    for author in meta.authors:
        name = Run(clean(author.name), bold=True)
        affiliation = clean(author.affiliation or "")
        if form == "stacked":
            pars.append(Par((name,), colors.text, body,
                            space_before=PARAGRAPH_SPACE if pars else 0.0))
            if affiliation:
                pars.append(Par((Run(affiliation),), colors.muted, body, scale=SECONDARY_SCALE,
                                space_before=ATTACHED_SPACE))
            continue
        own = [name, *([Run(", " + affiliation, color=colors.muted)] if affiliation else [])]
        if form == "lines":
            pars.append(Par(tuple(own), colors.text, body,
                            space_before=ATTACHED_SPACE if pars else 0.0))
        else:
            runs.extend([Run("; ")] if runs else [])
            runs.extend(own)
    if runs:
        pars.append(Par(tuple(runs), colors.text, body))
    if meta.organization:
        pars.append(Par((Run(clean(meta.organization), bold=True),), colors.primary, body,
                        scale=SECONDARY_SCALE, space_before=GROUP_SPACE if pars else 0.0))
    pars.append(Par((Run(layout.format_date(meta.date)),), colors.muted, body,
                    scale=SECONDARY_SCALE,
                    space_before=2 * ATTACHED_SPACE if meta.organization else GROUP_SPACE))
    return pars


def _logo_box(logo: Logo, area: Box) -> tuple[Box, Box]:
    """Where the layout's logo goes, in the top left or right corner of ``area`` (at most as
    tall as ``area``), and the part of ``area`` left for text beside it."""
    from PIL import Image

    with Image.open(logo.path) as image:
        aspect = image.height / image.width
    width = min(logo.width, area.width / 3, area.height / aspect)
    left = area.left if logo.placement == "left" else area.right - width
    room = area.width - width - LOGO_GAP_PT
    rest = (Box(area.left + width + LOGO_GAP_PT, area.top, room, area.height)
            if logo.placement == "left" else Box(area.left, area.top, room, area.height))
    return Box(left, area.top, width, width * aspect), rest


def _logo(slide: Any, logo: Logo, box: Box) -> None:
    """Put the layout's logo on ``slide`` at ``box``, decorative (no alt text owed)."""
    picture = slide.shapes.add_picture(str(logo.path), emu(box.left), emu(box.top),
                                       emu(box.width), emu(box.height))
    element = picture_element(picture)
    non_visual_properties(element).set("descr", "")
    decorative(element)


def summary_slide(deck: Deck, slide: Any | None, title: str) -> None:
    """The bottom line up front: the summary on a tinted panel with an accent edge (without
    a ``slide``, only laid out, for ``check``)."""
    g, layout = deck.geometry, deck.layout
    summary = deck.document.meta.summary or ""
    title_plan = plan_title(deck, title, None)
    top = title_plan.body_top
    pars = [Par((Run(text),), layout.colors.text, layout.fonts.body,
                space_before=PARAGRAPH_SPACE if index else 0.0)
            for index, text in enumerate(paragraphs(summary))]
    panel = Box(g.margin, top, g.content_width, g.content_bottom - top)
    inset_x, inset_y = PANEL_INSET_PT
    result = _fit_or_floor(deck, pars, panel, layout.slides.body_max, layout.slides.body_min,
                           inset=(inset_x, inset_y),
                           problem=(f"the summary does not fit on its slide at "
                                    f"{layout.slides.body_min:g} pt",
                                    "shorten the summary",
                                    deck.document.lines.get("summary")))
    if slide is None:
        return
    write_title(deck, slide, title_plan)
    box = _shrink_to_text(panel, result, inset_y=inset_y, minimum=panel.height * 0.5)
    rectangle(slide, box, layout.colors.summary_background, behind=True)
    rectangle(slide, Box(box.left, box.top, ACCENT_STRIPE_PT, box.height), layout.colors.accent,
               behind=True)
    shape = body_shape(slide, box)
    write(deck, slide, shape, box, pars, result.size, inset=(inset_x, inset_y), anchor="m")


def agenda_slide(titles: Sequence[str]) -> Callable[[Deck, Any | None, str], None]:
    """The agenda (``toc: true``, or the layout's ``slides.agenda``): the key points' titles,
    numbered, after the title slide (without a ``slide``, only laid out, for ``check``)."""
    def build(deck: Deck, slide: Any | None, title: str) -> None:
        g, layout = deck.geometry, deck.layout
        title_plan = plan_title(deck, title, None)
        top = title_plan.body_top
        pars = [Par((Run(f"{list_marker(True, 0, n)} {clean(text)}"),), layout.colors.text,
                    layout.fonts.body, space_before=PARAGRAPH_SPACE if n > 1 else 0.0)
                for n, text in enumerate(titles, 1)]
        area = Box(g.margin, top, g.content_width, g.content_bottom - top)
        box, size = fit_body(deck, pars, area, area, None,
                             f"the agenda does not fit on its slide at "
                             f"{layout.slides.body_min:g} pt", "shorten the key points' titles")
        if slide is None:
            return
        write_title(deck, slide, title_plan)
        shape = placeholder(slide, ("BODY", "OBJECT"))
        write(deck, slide, shape if shape is not None else textbox(slide, box), box, pars, size)

    return build


def closing_slide(deck: Deck, slide: Any | None, title: str) -> None:
    """Further reading (clickable labels with their addresses) and the disclaimer (without
    a ``slide``, only laid out, for ``check``)."""
    g, layout, meta = deck.geometry, deck.layout, deck.document.meta
    colors, body = layout.colors, layout.fonts.body
    title_plan = plan_title(deck, title, None)
    top = title_plan.body_top
    area = Box(g.margin, top, g.content_width, g.content_bottom - top)
    links_bottom = area.bottom
    disclaimer = None
    if meta.disclaimer:
        # The disclaimer is small print at the foot of the slide, separated by a hairline.
        pars = [Par((Run(text),), colors.muted, body, space_before=PARAGRAPH_SPACE if i else 0.0)
                for i, text in enumerate(paragraphs(meta.disclaimer))]
        room = Box(area.left, area.top, area.width,
                   area.height * (0.5 if meta.links else 1.0))
        result = _fit_or_floor(deck, pars, room, *DISCLAIMER_PT,
                               problem=("the disclaimer does not fit on the closing slide",
                                        "shorten the disclaimer",
                                        deck.document.lines.get("disclaimer")))
        disclaimer = Text(_shrink_to_text(room, result, bottom=area.bottom), pars, result.size,
                          "b")
        links_bottom = disclaimer.box.top - 2 * HAIRLINE_GAP_PT
    links_box = Box(area.left, area.top, area.width, links_bottom - area.top)
    links = None
    if meta.links:
        pars = []
        for link in meta.links:
            pars.append(Par((Run(clean(link.label), href=link.url, color=colors.link),),
                            colors.text, body, space_before=GROUP_SPACE if pars else 0.0))
            shown = link.url.removeprefix("mailto:")  # the address, as people write it
            pars.append(Par((Run(shown, href=link.url),), colors.muted, body,
                            scale=ADDRESS_SCALE, space_before=ATTACHED_SPACE))
        wide = Box(g.margin / 2, area.top - OVERFLOW_PT, g.width - g.margin,
                   links_bottom - (area.top - OVERFLOW_PT))
        box, size = fit_body(deck, pars, links_box, wide, deck.document.lines.get("links"),
                              f"the further-reading links do not fit on the closing slide "
                              f"at {layout.slides.body_min:g} pt", "list fewer links",
                              largest=min(layout.slides.body_max, LINKS_MAX_PT))
        links = Text(box, pars, size)
    if slide is None:
        return
    write_title(deck, slide, title_plan)
    if disclaimer is not None:
        box = disclaimer.box
        _write_text(deck, slide, textbox(slide, box), disclaimer)
        rectangle(slide, Box(box.left + fit.DEFAULT_INSET_X, box.top - HAIRLINE_GAP_PT,
                              box.width - 2 * fit.DEFAULT_INSET_X, HAIRLINE_PT), colors.rule)
    shape = placeholder(slide, ("BODY", "OBJECT"))
    if links is not None:
        _write_text(deck, slide, shape if shape is not None else textbox(slide, links.box),
                    links)
    elif shape is not None:
        remove(shape)
    if deck.document.sources:  # every source the paper cites, for the speaker
        write_notes(deck, slide, (), [], deck.document.sources)


@record
class TitlePlan:
    """A content slide's title: its small label above (box and paragraph), its box, paragraph
    and size, the accent rule under it, and where the body may start."""

    label: tuple[Box, Par] | None
    box: Box
    par: Par
    size: float
    rule: Box
    body_top: float


def plan_title(deck: Deck, title: str, eyebrow: str | None, line: int | None = None,
               number: int | None = None, runs: tuple[Run, ...] | None = None) -> TitlePlan:
    """Lay a content slide's title (below its small label, if any) and the accent rule under
    it out.

    A title takes up to two lines, shrinking from the layout's largest title size to its
    smallest; one that needs more lines at the smallest size takes them (up to ``TITLE_CAP``
    of the slide) and is reported. The rule and the body follow the title's real height.
    """
    g, layout, s = deck.geometry, deck.layout, deck.layout.slides
    top = g.content_top
    label = None
    if eyebrow:
        par = Par((Run(eyebrow.upper(), bold=True),), layout.colors.accent, layout.fonts.body)
        label_box = Box(g.margin, top, g.content_width,
                        round(fit.load_metrics(layout.fonts.body.bold).line_box * LABEL_MAX_PT
                              + 2 * fit.DEFAULT_INSET_Y, 2))
        label = (label_box, par)
        top = label_box.bottom
    par = Par(runs or (Run(title, bold=True),), layout.colors.primary, layout.fonts.heading,
              line_spacing=TITLE_LINE_SPACING)  # ``runs``: a headline's, its notes' marks raised
    two_lines = 2 * fit.line_pitch(deck.measure(par), s.title_max) + 2 * fit.DEFAULT_INSET_Y
    zone = Box(g.margin, top, g.content_width, two_lines)
    result = fit.fit([deck.measure(par)], zone.frame(), s.title_max, s.title_min, max_lines=2)
    if not result.fits:
        where = f"key point {number}'s headline" if number else f"the title '{title[:40]}'"
        zone = Box(zone.left, zone.top, zone.width,
                   max(two_lines, (g.content_bottom - top) * TITLE_CAP))
        result = _fit_or_floor(deck, [par], zone, s.title_min, s.title_min,
                               problem=(f"{where} does not fit on two lines at "
                                        f"{s.title_min:g} pt", "shorten the headline", line),
                               warn=True)
    box = _shrink_to_text(zone, result)
    rule_top = box.bottom + TITLE_RULE_GAP_PT
    rule_width, rule_height = TITLE_RULE_PT
    rule = Box(g.margin + fit.DEFAULT_INSET_X, rule_top, rule_width, rule_height)
    return TitlePlan(label, box, par, result.size, rule,
                     round(rule_top + rule_height + g.height * BELOW_TITLE, 2))


def write_title(deck: Deck, slide: Any, plan: TitlePlan) -> None:
    """Write a content slide's title as ``plan`` lays it out."""
    if plan.label is not None:
        small_line(deck, slide, *plan.label, anchor="b", largest=LABEL_MAX_PT,
                    inset_y=fit.DEFAULT_INSET_Y)
    write(deck, slide, title_shape(slide), plan.box, [plan.par], plan.size)
    rectangle(slide, plan.rule, deck.layout.colors.accent)


def fit_body(deck: Deck, pars: Sequence[Par], normal: Box, wide: Box, line: int | None,
              message: str, hint: str, largest: float | None = None) -> tuple[Box, float]:
    """Fit body text: in ``normal`` from the layout's largest to smallest body size; failing
    that, in ``wide``, the most room the slide has; failing that, below the minimum with a
    warning (so the text never leaves its box)."""
    s = deck.layout.slides
    top = s.body_max if largest is None else largest
    paras = [deck.measure(p) for p in pars]
    result = fit.fit(paras, normal.frame(), top, s.body_min)
    if result.fits:
        return normal, result.size
    result = fit.fit(paras, wide.frame(), top, s.body_min)
    if result.fits:
        return wide, result.size
    result = _fit_or_floor(deck, list(pars), wide, s.body_min, s.body_min,
                           problem=(message, hint, line))
    return wide, result.size


def _fit_or_floor(deck: Deck, pars: Sequence[Par], box: Box, largest: float, smallest: float,
                  problem: tuple[str, str, int | None], max_lines: int | None = None,
                  inset: tuple[float, float] = (fit.DEFAULT_INSET_X, fit.DEFAULT_INSET_Y),
                  warn: bool = False) -> fit.Fit:
    """The largest size in ``largest..smallest`` at which ``pars`` fit ``box``; when none does,
    a warning and the largest size below ``smallest`` that fits (down to ``FLOOR_PT``); when
    not even that fits, a ``RenderError`` rather than text running off its box. ``warn``
    reports ``problem`` even when the text fits (the caller already gave it more room)."""
    frame = box.frame(*inset)
    paras = [deck.measure(p) for p in pars]
    result = fit.fit(paras, frame, largest, smallest, max_lines=max_lines)
    if result.fits and not warn:
        return result
    message, hint, line = problem
    source = deck.document.source
    deck.problems.append(Problem(source, line, message, hint, severity="warning"))
    if result.fits:
        return result
    if smallest > FLOOR_PT:
        result = fit.fit(paras, frame, smallest - 0.5, FLOOR_PT, max_lines=max_lines)
        if result.fits:
            return result
    raise RenderError([Problem(source, line, f"{message}, not even at {FLOOR_PT:g} pt", hint)])


def _shrink_to_text(box: Box, result: fit.Fit, bottom: float | None = None,
                    inset_y: float = fit.DEFAULT_INSET_Y, minimum: float = 0.0) -> Box:
    """``box`` cut to the height its fitted text needs (at least ``minimum``); placed with its
    bottom at ``bottom`` when given, else keeping its top."""
    height = min(box.height, max(minimum, round(result.height + 2 * inset_y + 0.5, 2)))
    top = box.top if bottom is None else bottom - height
    return Box(box.left, top, box.width, height)


def slide_footer(deck: Deck, slide: Any, number: int, total: int) -> None:
    """The layout's slide footer label (organization and date) on the left, ``N / M`` on the
    right: explicit text, because python-pptx does not copy footer placeholders from layouts."""
    g, layout = deck.geometry, deck.layout
    footer = g.footer
    counter = f"{number} / {total}"
    number_box = Box(footer.right - 80, footer.top, 80, footer.height)
    text_box = Box(footer.left, footer.top, footer.width - 90, footer.height)
    text = clean(fill_label(layout.labels.slide_footer, deck.document, layout), keep_edges=True)
    left = Par((Run(text.strip()),), layout.colors.muted, layout.fonts.body)
    small_line(deck, slide, text_box, left, anchor="m")
    right = Par((Run(counter),), layout.colors.muted, layout.fonts.body, align="r")
    small_line(deck, slide, number_box, right, anchor="m")


def marking_banners(deck: Deck, slide: Any, marking: str) -> None:
    """The handling marking, centred in a coloured band at the top and bottom of the slide;
    ``Geometry`` keeps content clear of both."""
    g = deck.geometry
    style = deck.layout.marking_style(marking)
    background, text = (style.background, style.text) if style else ("000000", "FFFFFF")
    for top in (0.0, g.height - g.banner):
        box = Box(0, top, g.width, g.banner)
        shape = rectangle(slide, box, background)
        par = Par((Run(clean(marking), bold=True),), text, deck.layout.fonts.body,
                  align="ctr")
        small_line(deck, slide, box, par, anchor="m", shape=shape, inset_y=0.0)


def small_line(deck: Deck, slide: Any, box: Box, par: Par, anchor: str,
                shape: XmlElement | None = None, inset_y: float = 1.0,
                largest: float = SMALL_MAX_PT) -> None:
    """One line of small text (footer, banner, label), shrunk and then shortened with an
    ellipsis until it fits: these lines repeat what the title slide says in full."""
    frame = box.frame(fit.DEFAULT_INSET_X, inset_y)
    par = replace(par, one_line=True)
    while True:
        result = fit.fit([deck.measure(par)], frame, largest, SMALL_MIN_PT, max_lines=1)
        text = "".join(r.text for r in par.runs)
        if result.fits or len(text) <= 1:
            break
        cut = text[:-2].rstrip() + "…"
        par = replace(par, runs=(replace(par.runs[0], text=cut),))
    write(deck, slide, shape if shape is not None else textbox(slide, box), box, [par],
           result.size, inset=(fit.DEFAULT_INSET_X, inset_y), anchor=anchor)
