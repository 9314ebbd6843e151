"""The slide deck: a title slide, the bottom line, one slide per key point and a closing slide."""

from __future__ import annotations

import copy
import functools
import io
import math
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from kzreport.errors import Problem, RenderError
from kzreport.extraction import Extraction
from kzreport.labels import BULLETS, figure_label, figure_numbers, fill_label, key_point_label
from kzreport.layout import FontFamily, Layout, Logo
from kzreport.model import (
    Blocks,
    CodeBlock,
    Document,
    Figure,
    Heading,
    Inlines,
    KeyPoint,
    LineBreak,
    ListBlock,
    Paragraph,
    Quote,
    Rule,
    Span,
    Table,
    plain_text,
)
from kzreport.renderers import _fit as fit
from kzreport.renderers import register
from kzreport.renderers._common import EMU_PER_PT, build_timestamp, xml_safe
from kzreport.renderers._package import (
    PackageParts,
    Prototype,
    TemplateCache,
    app_properties_xml,
    file_digest,
    set_core_properties,
    write_package,
)
from kzreport.renderers._pptx_internals import replace_part_blob

if TYPE_CHECKING:
    from lxml.etree import _Element as XmlElement

#: Fitting below a layout's minimum stops here; text that needs less is refused, not shrunk.
FLOOR_PT = 6.0
#: Speaker notes are read from the presenter view: one comfortable fixed size.
NOTES_PT = 12.0
#: Footer and banner text: small, fitted down to this when a long organization name needs it.
SMALL_MAX_PT, SMALL_MIN_PT = 12.0, 8.0
#: A title needing more than two lines may take this share of the slide's content height.
TITLE_CAP = 0.45
#: Titles set a little tighter than running text, as two-line headings read better so.
TITLE_LINE_SPACING = 0.92

# ---------------------------------------------------------------- deck proportions
# The layout gives the slide size, the body and title size ranges and the colours; these turn
# them into the deck's geometry. Lengths are shares of the slide's width or height unless
# named _PT; text sizes of secondary text are (largest, smallest) ranges fitting may use;
# spaces between paragraphs are in multiples of the paragraph's own size.

#: Side margins, as a share of the slide width; the content starts this share of its height
#: below the top (or the banner).
MARGIN = 0.05
CONTENT_TOP = 0.05
#: The footer line: its height, its distance from the bottom edge (or banner) and the clear
#: space between it and the content above.
FOOTER_HEIGHT_PT = 20.0
FOOTER_BOTTOM = 0.025
FOOTER_CLEARANCE = 0.02
#: A marking banner: this share of the slide height, never less than BANNER_MIN_PT.
BANNER = 0.037
BANNER_MIN_PT = 18.0
#: The title slide's band (a share of the height between the banners), its inner padding and
#: the accent stripe under it (also the summary panel's edge).
TITLE_BAND = 0.56
TITLE_BAND_PADDING = 0.06
ACCENT_STRIPE_PT = 5.0
#: The title slide's title may be this much larger than the layout's largest title size.
TITLE_SLIDE_SCALE = 1.25
#: Size ranges of the subtitle, the byline block and the closing slide's disclaimer; the
#: largest size of further-reading links and of a key point's number label above its title.
SUBTITLE_PT = (24.0, 16.0)
BYLINE_PT = (22.0, 12.0)
DISCLAIMER_PT = (16.0, 11.0)
LINKS_MAX_PT = 24.0
LABEL_MAX_PT = 14.0
#: Secondary lines (affiliations, organization, date) and link addresses, relative to the
#: size their block is fitted at.
SECONDARY_SCALE = 0.8
ADDRESS_SCALE = 0.7
#: Space above a paragraph, in multiples of its size: a new group (an author, a link), a new
#: paragraph of the same text, a line that belongs to the one above.
GROUP_SPACE = 1.0
PARAGRAPH_SPACE = 0.6
ATTACHED_SPACE = 0.1
#: Gaps between the byline block and the band, and the subtitle and the title.
BYLINE_GAP = 0.045
SUBTITLE_GAP_PT = 6.0
#: The summary panel's inner padding, across and down.
PANEL_INSET_PT = (22.0, 16.0)
#: The accent rule under a content slide's title, and the space below it.
TITLE_RULE_PT = (64.0, 3.0)
TITLE_RULE_GAP_PT = 4.0
BELOW_TITLE = 0.03
#: The hairline over the closing slide's disclaimer, and the space around it.
HAIRLINE_PT = 0.75
HAIRLINE_GAP_PT = 8.0
#: How far a body that does not fit at the smallest size may grow into the margins and gaps,
#: and what it keeps clear above the footer when it does.
OVERFLOW_PT = 6.0
FOOTER_CLEARANCE_PT = 2.0
#: The space between the logo and the text beside it.
LOGO_GAP_PT = 24.0
#: Indent of a notes bullet per nesting level, in inches (notes are read, not designed).
NOTES_INDENT_IN = 0.3
#: ``<a:ext>`` that marks a shape as decorative, so screen readers skip bands and rules.
_DECORATIVE_EXT = "{C183D7F6-B498-43B3-948B-1728B52AA6E4}"
_DECORATIVE_NS = "http://schemas.microsoft.com/office/drawing/2017/decorative"

#: DrawingML, the namespace of everything inside a shape's text body.
_A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
#: ``_write``'s anchors as DrawingML writes them, and the text body's autofit choices.
_ANCHORS = {"t": "t", "m": "ctr", "b": "b"}
_AUTOFITS = ("noAutofit", "normAutofit", "spAutoFit")
#: PresentationML, the namespace of slides and their shapes; where a shape names its placeholder,
#: and what the placeholder types of ``PP_PLACEHOLDER`` are called in it.
_P_NS = "http://schemas.openxmlformats.org/presentationml/2006/main"
_PH_PATH = f"{{{_P_NS}}}nvSpPr/{{{_P_NS}}}nvPr/{{{_P_NS}}}ph"
_PLACEHOLDER_TYPES = {"TITLE": "title", "CENTER_TITLE": "ctrTitle", "SUBTITLE": "subTitle",
                      "BODY": "body", "OBJECT": "obj"}

#: ``<a:ext>`` that makes a hyperlink take its run's colour instead of the theme's.
_HLINK_COLOR_EXT = "{A12FA001-AC4F-418D-AE19-62706E023703}"
_HLINK_COLOR_NS = "http://schemas.microsoft.com/office/drawing/2018/hyperlinkcolor"


# ---------------------------------------------------------------- geometry


@dataclass(frozen=True)
class Box:
    """A rectangle on the slide, in points."""

    left: float
    top: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.left + self.width

    @property
    def bottom(self) -> float:
        return self.top + self.height

    def frame(self, inset_x: float = fit.DEFAULT_INSET_X,
              inset_y: float = fit.DEFAULT_INSET_Y) -> fit.Frame:
        return fit.Frame(self.width, self.height, inset_x, inset_x, inset_y, inset_y)


@dataclass(frozen=True)
class Geometry:
    """Where things go on a slide of a given size; every length scales with the slide."""

    width: float
    height: float
    banner: float  # height of each marking banner, 0 without a marking

    @property
    def margin(self) -> float:
        return round(self.width * MARGIN, 2)

    @property
    def content_top(self) -> float:
        return self.banner + round(self.height * CONTENT_TOP, 2)

    @property
    def content_width(self) -> float:
        return self.width - 2 * self.margin

    @property
    def footer(self) -> Box:
        height = FOOTER_HEIGHT_PT
        return Box(self.margin,
                   self.height - self.banner - round(self.height * FOOTER_BOTTOM, 2) - height,
                   self.content_width, height)

    @property
    def content_bottom(self) -> float:
        return self.footer.top - round(self.height * FOOTER_CLEARANCE, 2)


# ---------------------------------------------------------------- text to write


@dataclass(frozen=True)
class Run:
    """Text in one style; ``\\n`` is a line break. ``color`` None takes the paragraph's."""

    text: str
    bold: bool = False
    italic: bool = False
    mono: bool = False
    href: str | None = None
    color: str | None = None


@dataclass(frozen=True)
class Par:
    """A paragraph to write: runs, colour, family, alignment and spacing relative to the size
    the frame's text is fitted at (see ``_fit.Para``)."""

    runs: tuple[Run, ...]
    color: str
    family: FontFamily
    scale: float = 1.0
    space_before: float = 0.0
    line_spacing: float = 1.0
    align: str = "l"  # DrawingML: l, ctr, r


@dataclass
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

    def measure(self, par: Par) -> fit.Para:
        """``par`` as the fitting module sees it: each run measured with its own face."""
        pieces = tuple(fit.Piece(run.text, fit.load_metrics(_face(par.family, run, self.layout)))
                       for run in par.runs)
        return fit.Para(pieces, fit.load_metrics(par.family.regular), par.scale,
                        par.space_before, par.line_spacing)


# ---------------------------------------------------------------- the renderer


class PptxRenderer:
    """The ``pptx`` format: a widescreen slide deck, text fitted to its boxes by font metrics."""

    name = "pptx"
    extension = ".pptx"
    description = "PowerPoint deck: a slide per key point, details in the speaker notes"

    def render(self, document: Document, layout: Layout, path: Path) -> list[Problem]:
        """Write the deck of ``document`` to ``path``; return warnings (text that needed
        shrinking below the layout's minimum size)."""
        return render_deck(document, layout, path, layout.template_pptx)

    def load(self) -> None:
        import pptx  # noqa: F401

    def read(self, path: Path, layout: Layout) -> Extraction:
        from kzreport.readers.pptx import read_pptx

        return read_pptx(path, layout)


def render_deck(document: Document, layout: Layout, path: Path,
                template: Path | None = None) -> list[Problem]:
    """Write the deck to ``path``, starting from ``template`` (a .pptx whose masters, layouts
    and theme are kept and whose slides are dropped) or python-pptx's default."""
    prepared = _DECKS.get((layout, template, file_digest(template)),
                          lambda: _prepared(layout, template))
    prs: Any = prepared.presentation.copy()
    # A template's masters are drawn for its own slide size, so that size wins over the layout's.
    width, height = prs.slide_width / EMU_PER_PT, prs.slide_height / EMU_PER_PT
    banner = round(max(BANNER_MIN_PT, height * BANNER), 2) if document.meta.marking else 0.0
    deck = Deck(prs, document, layout, Geometry(width, height, banner), template)

    points = document.key_points.points
    plan: list[tuple[str, Callable[[Deck, Any, str], None]]] = [
        (document.meta.title, _title_slide)]
    if document.meta.summary:
        plan.append((layout.labels.summary, _summary_slide))
    for number, point in enumerate(points, 1):
        title = point.headline or key_point_label(layout, number, len(points))
        plan.append((title, _key_point_slide(number, point)))
    if document.meta.links or document.meta.disclaimer:
        closing = (layout.labels.further_reading if document.meta.links
                   else layout.labels.disclaimer)
        plan.append((closing, _closing_slide))

    titles = unique_titles([title for title, _ in plan])
    slide_layouts = _slide_layouts(prs)
    for number, ((_, build), title) in enumerate(zip(plan, titles, strict=True), 1):
        role = "title" if number == 1 else "content"
        slide = _add_slide(prs, slide_layouts[prepared.layouts[role]],
                           prepared.placeholders[role])
        if template is None:  # a template's own backgrounds are part of its design
            _background(slide, layout.colors.slide_background)
        build(deck, slide, title)
        if number > 1:
            _footer(deck, slide, number, len(plan))
        if document.meta.marking:
            _banners(deck, slide, document.meta.marking)

    _properties(deck)
    write_package(_parts(prs), path, build_timestamp(document))
    return deck.problems


@dataclass(frozen=True)
class _PreparedDeck:
    """A presentation with no slides yet, for each deck to copy, and what every deck on it
    shares: the slide layout of each role (by position in ``_slide_layouts``) and the
    placeholders a new slide on it starts with."""

    presentation: Prototype[Any]
    layouts: Mapping[str, int]
    placeholders: Mapping[str, tuple[XmlElement, ...]]


#: Each process's prepared presentations, by layout and template.
_DECKS: TemplateCache[_PreparedDeck] = TemplateCache()


def _prepared(layout: Layout, template: Path | None) -> _PreparedDeck:
    """``template`` without its slides, or python-pptx's default sized and coloured by
    ``layout``, saved and opened again; the same for every paper."""
    from pptx import Presentation
    from pptx.oxml.ns import qn
    from pptx.util import Emu

    prs = _open(template)
    if template is None:
        old_width = prs.slide_width
        prs.slide_width = Emu(round(layout.slides.width * EMU_PER_PT))
        prs.slide_height = Emu(round(layout.slides.height * EMU_PER_PT))
        # The default template declares a 4:3 "screen4x3" type; the size is now the layout's own.
        prs.part._element.find(qn("p:sldSz")).attrib.pop("type", None)
        _stretch_layouts(prs, prs.slide_width / old_width)
        _theme_colors(prs, layout)
    buffer = io.BytesIO()
    prs.save(buffer)
    buffer.seek(0)
    presentation = Prototype(Presentation(buffer))
    # python-pptx reads every placeholder property of a layout through XPath when it adds a
    # slide: do that once per role, on a copy, and keep the new slide's placeholders.
    scratch = presentation.copy()
    slide_layouts = _slide_layouts(scratch)
    parts = [slide_layout.part for slide_layout in slide_layouts]
    layouts: dict[str, int] = {}
    placeholders: dict[str, tuple[XmlElement, ...]] = {}
    for role in ("title", "content"):
        layouts[role] = parts.index(_slide_layout(slide_layouts, role,
                                                  template or Path("template")).part)
        slide = scratch.slides.add_slide(slide_layouts[layouts[role]])
        placeholders[role] = tuple(copy.deepcopy(shape) for shape in
                                   slide.shapes._spTree.iterchildren(_p("sp")))
    return _PreparedDeck(presentation, layouts, placeholders)


# ---------------------------------------------------------------- slides


def _title_slide(deck: Deck, slide: Any, title: str) -> None:
    """The opening slide: a coloured band holding title and subtitle, an accent stripe, then
    the byline, organization and date (and the layout's logo) on the slide background."""
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
    _rectangle(slide, band, band_color, behind=True)
    _rectangle(slide, stripe, colors.accent, behind=True)

    # Title and subtitle stack up from the band's bottom edge, the subtitle fitted first.
    pad = round(g.height * TITLE_BAND_PADDING, 2)
    inner = Box(g.margin, band.top + pad, g.content_width, band.height - 2 * pad)
    bottom = inner.bottom
    subtitle_shape = _placeholder(slide, ("SUBTITLE",))
    if meta.subtitle:
        par = Par((Run(_clean(meta.subtitle)),), band_text, body)
        frame = Box(inner.left, inner.top, inner.width, inner.height / 3)
        result = _fit_or_floor(deck, [par], frame, *SUBTITLE_PT, max_lines=2,
                               problem=("the subtitle does not fit on the title slide",
                                        "shorten the subtitle",
                                        deck.document.lines.get("subtitle")))
        box = _shrink_to_text(frame, result, bottom=bottom)
        shape = subtitle_shape if subtitle_shape is not None else _textbox(slide, box)
        _write(deck, slide, shape, box, [par], result.size, anchor="b")
        bottom = box.top - SUBTITLE_GAP_PT
    else:
        _remove(subtitle_shape)
    title_par = Par((Run(title, bold=True),), band_text, heading,
                    line_spacing=TITLE_LINE_SPACING)
    frame = Box(inner.left, inner.top, inner.width, bottom - inner.top)
    largest = round(layout.slides.title_max * TITLE_SLIDE_SCALE)
    result = _fit_or_floor(deck, [title_par], frame, largest, layout.slides.title_min,
                           problem=("the title does not fit on the title slide",
                                    "shorten the title or move words into the subtitle",
                                    deck.document.lines.get("title")))
    box = _shrink_to_text(frame, result, bottom=bottom)
    _write(deck, slide, _title_shape(slide), box, [title_par], result.size, anchor="b")

    # Byline: each author's name, then their affiliation; then organization and date.
    gap = round(g.height * BYLINE_GAP, 2)
    below = Box(g.margin, stripe.bottom + gap, g.content_width,
                g.height - g.banner - gap - stripe.bottom - gap)
    if layout.logo is not None:
        below = _logo(slide, layout.logo, below)
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
    _write(deck, slide, _textbox(slide, below), below, pars, result.size)


def _byline(deck: Deck, form: str) -> list[Par]:
    """The title slide's authors ("stacked": name over affiliation; "lines": one author per
    line; "run-in": every author in one paragraph), then organization and date."""
    layout, meta = deck.layout, deck.document.meta
    colors, body = layout.colors, layout.fonts.body
    pars: list[Par] = []
    runs: list[Run] = []
    for author in meta.authors:
        name = Run(_clean(author.name), bold=True)
        affiliation = _clean(author.affiliation or "")
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
        pars.append(Par((Run(_clean(meta.organization), bold=True),), colors.primary, body,
                        scale=SECONDARY_SCALE, space_before=GROUP_SPACE if pars else 0.0))
    pars.append(Par((Run(layout.format_date(meta.date)),), colors.muted, body,
                    scale=SECONDARY_SCALE,
                    space_before=2 * ATTACHED_SPACE if meta.organization else GROUP_SPACE))
    return pars


def _logo(slide: Any, logo: Logo, area: Box) -> Box:
    """Place the layout's logo in the top left or right corner of ``area`` (at most as tall
    as ``area``) and return the part of ``area`` left for text beside it."""
    from PIL import Image

    with Image.open(logo.path) as image:
        aspect = image.height / image.width
    width = min(logo.width, area.width / 3, area.height / aspect)
    height = width * aspect
    left = area.left if logo.placement == "left" else area.right - width
    picture = slide.shapes.add_picture(str(logo.path), _emu(left), _emu(area.top),
                                       _emu(width), _emu(height))
    picture._element.nvPicPr.cNvPr.set("descr", "")
    _decorative(picture._element)
    room = area.width - width - LOGO_GAP_PT
    if logo.placement == "left":
        return Box(area.left + width + LOGO_GAP_PT, area.top, room, area.height)
    return Box(area.left, area.top, room, area.height)


def _summary_slide(deck: Deck, slide: Any, title: str) -> None:
    """The bottom line up front: the summary on a tinted panel with an accent edge."""
    g, layout = deck.geometry, deck.layout
    summary = deck.document.meta.summary or ""
    top = _content_title(deck, slide, title, None)
    pars = [Par((Run(text),), layout.colors.text, layout.fonts.body,
                space_before=PARAGRAPH_SPACE if index else 0.0)
            for index, text in enumerate(_paragraphs(summary))]
    panel = Box(g.margin, top, g.content_width, g.content_bottom - top)
    inset_x, inset_y = PANEL_INSET_PT
    result = _fit_or_floor(deck, pars, panel, layout.slides.body_max, layout.slides.body_min,
                           inset=(inset_x, inset_y),
                           problem=(f"the summary does not fit on its slide at "
                                    f"{layout.slides.body_min:g} pt",
                                    "shorten the summary",
                                    deck.document.lines.get("summary")))
    box = _shrink_to_text(panel, result, inset_y=inset_y, minimum=panel.height * 0.5)
    _rectangle(slide, box, layout.colors.summary_background, behind=True)
    _rectangle(slide, Box(box.left, box.top, ACCENT_STRIPE_PT, box.height), layout.colors.accent,
               behind=True)
    shape = _body_shape(slide, box)
    _write(deck, slide, shape, box, pars, result.size, inset=(inset_x, inset_y), anchor="m")


def _key_point_slide(number: int, point: KeyPoint) -> Callable[[Deck, Any, str], None]:
    """The builder of key point ``number``'s slide."""

    def build(deck: Deck, slide: Any, title: str) -> None:
        g, layout = deck.geometry, deck.layout
        total = len(deck.document.key_points.points)
        eyebrow = key_point_label(layout, number, total) if point.headline else None
        top = _content_title(deck, slide, title, eyebrow, point.line, number)
        pars = [Par(_runs(point.inlines), layout.colors.text, layout.fonts.body)]
        normal = Box(g.margin, top, g.content_width, g.content_bottom - top)
        # The largest area the body may take when the text does not fit at the minimum size:
        # half the side margins and most of the gap to the footer.
        wide = Box(g.margin / 2, top - OVERFLOW_PT, g.width - g.margin,
                   g.footer.top - FOOTER_CLEARANCE_PT - (top - OVERFLOW_PT))
        if plain_text(point.inlines).strip():
            box, size = _fit_body(deck, pars, normal, wide, point.line,
                                  f"key point {number} does not fit on its slide at "
                                  f"{layout.slides.body_min:g} pt",
                                  "shorten it or move detail into sub-bullets")
            _write(deck, slide, _body_shape(slide, box), box, pars, size)
        else:
            _remove(_placeholder(slide, ("BODY", "OBJECT")))
        if point.details:
            _notes(deck, slide, point.details)

    return build


def _closing_slide(deck: Deck, slide: Any, title: str) -> None:
    """Further reading (clickable labels with their addresses) and the disclaimer."""
    g, layout, meta = deck.geometry, deck.layout, deck.document.meta
    colors, body = layout.colors, layout.fonts.body
    top = _content_title(deck, slide, title, None)
    area = Box(g.margin, top, g.content_width, g.content_bottom - top)
    links_bottom = area.bottom
    if meta.disclaimer:
        # The disclaimer is small print at the foot of the slide, separated by a hairline.
        pars = [Par((Run(text),), colors.muted, body, space_before=PARAGRAPH_SPACE if i else 0.0)
                for i, text in enumerate(_paragraphs(meta.disclaimer))]
        room = Box(area.left, area.top, area.width,
                   area.height * (0.5 if meta.links else 1.0))
        result = _fit_or_floor(deck, pars, room, *DISCLAIMER_PT,
                               problem=("the disclaimer does not fit on the closing slide",
                                        "shorten the disclaimer",
                                        deck.document.lines.get("disclaimer")))
        box = _shrink_to_text(room, result, bottom=area.bottom)
        _write(deck, slide, _textbox(slide, box), box, pars, result.size, anchor="b")
        _rectangle(slide, Box(box.left + fit.DEFAULT_INSET_X, box.top - HAIRLINE_GAP_PT,
                              box.width - 2 * fit.DEFAULT_INSET_X, HAIRLINE_PT), colors.rule)
        links_bottom = box.top - 2 * HAIRLINE_GAP_PT
    links_box = Box(area.left, area.top, area.width, links_bottom - area.top)
    shape = _placeholder(slide, ("BODY", "OBJECT"))
    if meta.links:
        pars = []
        for link in meta.links:
            pars.append(Par((Run(_clean(link.label), href=link.url, color=colors.link),),
                            colors.text, body, space_before=GROUP_SPACE if pars else 0.0))
            shown = link.url.removeprefix("mailto:")  # the address, as people write it
            pars.append(Par((Run(shown, href=link.url),), colors.muted, body,
                            scale=ADDRESS_SCALE, space_before=ATTACHED_SPACE))
        wide = Box(g.margin / 2, area.top - OVERFLOW_PT, g.width - g.margin,
                   links_bottom - (area.top - OVERFLOW_PT))
        box, size = _fit_body(deck, pars, links_box, wide, deck.document.lines.get("links"),
                              f"the further-reading links do not fit on the closing slide "
                              f"at {layout.slides.body_min:g} pt", "list fewer links",
                              largest=min(layout.slides.body_max, LINKS_MAX_PT))
        _write(deck, slide, shape if shape is not None else _textbox(slide, box), box, pars, size)
    elif shape is not None:
        _remove(shape)


def _content_title(deck: Deck, slide: Any, title: str, eyebrow: str | None,
                   line: int | None = None, number: int | None = None) -> float:
    """Write a content slide's title (below its small label, if any) and the accent rule under
    it; return where the body may start.

    A title takes up to two lines, shrinking from the layout's largest title size to its
    smallest; one that needs more lines at the smallest size takes them (up to ``TITLE_CAP``
    of the slide) and is reported. The rule and the body follow the title's real height.
    """
    g, layout, s = deck.geometry, deck.layout, deck.layout.slides
    top = g.content_top
    if eyebrow:
        label = Par((Run(eyebrow.upper(), bold=True),), layout.colors.accent, layout.fonts.body)
        label_box = Box(g.margin, top, g.content_width,
                        round(fit.load_metrics(layout.fonts.body.bold).line_box * LABEL_MAX_PT
                              + 2 * fit.DEFAULT_INSET_Y, 2))
        _small_line(deck, slide, label_box, label, anchor="b", largest=LABEL_MAX_PT,
                    inset_y=fit.DEFAULT_INSET_Y)
        top = label_box.bottom
    par = Par((Run(title, bold=True),), layout.colors.primary, layout.fonts.heading,
              line_spacing=TITLE_LINE_SPACING)
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
    _write(deck, slide, _title_shape(slide), box, [par], result.size)
    rule_top = box.bottom + TITLE_RULE_GAP_PT
    rule_width, rule_height = TITLE_RULE_PT
    _rectangle(slide, Box(g.margin + fit.DEFAULT_INSET_X, rule_top, rule_width, rule_height),
               layout.colors.accent)
    return round(rule_top + rule_height + g.height * BELOW_TITLE, 2)


def _fit_body(deck: Deck, pars: Sequence[Par], normal: Box, wide: Box, line: int | None,
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


def _footer(deck: Deck, slide: Any, number: int, total: int) -> None:
    """The layout's slide footer label (organization and date) on the left, ``N / M`` on the
    right: explicit text, because python-pptx does not copy footer placeholders from layouts."""
    g, layout = deck.geometry, deck.layout
    footer = g.footer
    counter = f"{number} / {total}"
    number_box = Box(footer.right - 80, footer.top, 80, footer.height)
    text_box = Box(footer.left, footer.top, footer.width - 90, footer.height)
    text = _clean(fill_label(layout.labels.slide_footer, deck.document, layout), keep_edges=True)
    left = Par((Run(text.strip()),), layout.colors.muted, layout.fonts.body)
    _small_line(deck, slide, text_box, left, anchor="m")
    right = Par((Run(counter),), layout.colors.muted, layout.fonts.body, align="r")
    _small_line(deck, slide, number_box, right, anchor="m")


def _banners(deck: Deck, slide: Any, marking: str) -> None:
    """The handling marking, centred in a coloured band at the top and bottom of the slide;
    ``Geometry`` keeps content clear of both."""
    g = deck.geometry
    style = deck.layout.marking_style(marking)
    background, text = (style.background, style.text) if style else ("000000", "FFFFFF")
    for top in (0.0, g.height - g.banner):
        box = Box(0, top, g.width, g.banner)
        shape = _rectangle(slide, box, background)
        par = Par((Run(_clean(marking), bold=True),), text, deck.layout.fonts.body,
                  align="ctr")
        _small_line(deck, slide, box, par, anchor="m", shape=shape, inset_y=0.0)


def _small_line(deck: Deck, slide: Any, box: Box, par: Par, anchor: str,
                shape: XmlElement | None = None, inset_y: float = 1.0,
                largest: float = SMALL_MAX_PT) -> None:
    """One line of small text (footer, banner, label), shrunk and then shortened with an
    ellipsis until it fits: these lines repeat what the title slide says in full."""
    frame = box.frame(fit.DEFAULT_INSET_X, inset_y)
    while True:
        result = fit.fit([deck.measure(par)], frame, largest, SMALL_MIN_PT, max_lines=1)
        text = "".join(r.text for r in par.runs)
        if result.fits or len(text) <= 1:
            break
        cut = text[:-2].rstrip() + "…"
        par = replace(par, runs=(replace(par.runs[0], text=cut),))
    _write(deck, slide, shape if shape is not None else _textbox(slide, box), box, [par],
           result.size, inset=(fit.DEFAULT_INSET_X, inset_y), anchor=anchor)


# ---------------------------------------------------------------- speaker notes


def _notes(deck: Deck, slide: Any, details: Blocks) -> None:
    """Write a key point's details as its speaker notes: paragraphs, ``• `` and ``1. `` items,
    nested items indented a level deeper."""
    notes = slide.notes_slide
    body = notes.notes_text_frame._txBody
    _clear_paragraphs(body)
    figures = figure_numbers(deck.document)

    def label(figure: Figure) -> str:
        return figure_label(deck.layout, figures[figure]) if figure in figures else ""

    for depth, marker, inlines, bold in _note_lines(details, 0, label):
        paragraph = _child(body, "p")
        indent = {"lvl": str(min(depth, 8))} if depth else {}
        _child(paragraph, "pPr", indent,
               marL=str(round(depth * NOTES_INDENT_IN * 72 * EMU_PER_PT)), indent="0")
        runs = ((Run(marker),) if marker else ()) + _runs(inlines, bold=bold)
        for run in runs:
            _add_run(deck, paragraph, notes.part, run, round(NOTES_PT * 100),
                     deck.layout.fonts.body, deck.layout.colors.text)
    if body.find(_a("p")) is None:
        _child(body, "p")


def _note_lines(blocks: Blocks, depth: int, label: Callable[[Figure], str],
                ) -> Iterator[tuple[int, str, Inlines, bool]]:
    """``(depth, marker, inlines, bold)`` for every line of notes ``blocks`` make; ``label``
    gives a figure its ``Figure N.`` label."""
    for block in blocks:
        if isinstance(block, Paragraph):
            yield depth, "", block.inlines, False
        elif isinstance(block, Heading):
            yield depth, "", block.inlines, True
        elif isinstance(block, ListBlock):
            for index, item in enumerate(block.items):
                marker = f"{block.start + index}. " if block.ordered else f"{BULLETS[0]} "
                rest = item.blocks
                if rest and isinstance(rest[0], Paragraph):
                    yield depth, marker, rest[0].inlines, False
                    rest = rest[1:]
                else:
                    yield depth, marker, (), False
                yield from _note_lines(rest, depth + 1, label)
        elif isinstance(block, Quote):
            yield from _note_lines(block.blocks, depth + 1, label)
        elif isinstance(block, CodeBlock):
            for text in block.text.splitlines() or [""]:
                yield depth, "", (Span(text, code=True),), False
        elif isinstance(block, Table):
            for row in (block.header, *block.rows):
                cells = [plain_text(cell).strip() for cell in row]
                yield depth, "", (Span(" | ".join(cells)),), False
        elif isinstance(block, Figure):
            text = " ".join(filter(None, (label(block), block.caption or block.alt)))
            yield depth, "", (Span(f"[{text}]", italic=True),), False
        elif isinstance(block, Rule):
            yield depth, "", (Span("———"),), False


# ---------------------------------------------------------------- writing text
# Text is written as DrawingML elements directly: going through python-pptx's properties (an
# XPath search per child, a descriptor per attribute) was once half the time of a deck.


def _a(tag: str) -> str:
    """The qualified name of DrawingML element ``tag``."""
    return f"{{{_A_NS}}}{tag}"


def _p(tag: str) -> str:
    """The qualified name of PresentationML element ``tag``."""
    return f"{{{_P_NS}}}{tag}"


def _child(parent: XmlElement, tag: str, attributes: dict[str, str] | None = None,
           **more: str) -> XmlElement:
    """A new DrawingML element ``a:tag`` appended to ``parent``."""
    return _sub_element()(parent, _a(tag), {**attributes, **more} if attributes else more)


@functools.cache
def _sub_element() -> Callable[..., XmlElement]:
    """lxml's ``SubElement``, looked up once: importing lxml with this module would slow
    start-up, and an import statement in a function that makes hundreds of elements a deck
    cost as much as each element."""
    from lxml import etree

    return etree.SubElement



def _runs(inlines: Inlines, bold: bool = False) -> tuple[Run, ...]:
    """Model inlines as runs: bold, italic, code and links kept; hard breaks become ``\\n``."""
    out: list[Run] = []
    for item in inlines:
        if isinstance(item, LineBreak):
            out.append(Run("\n"))
        else:
            # Code keeps its spacing (indented lines in notes); prose has its soft breaks and
            # runs of spaces folded, as Markdown renders them.
            text = (xml_safe(item.text).replace("\t", "    ") if item.code
                    else _clean(item.text, keep_edges=True))
            out.append(Run(text, bold=item.bold or bold, italic=item.italic, mono=item.code,
                           href=item.href))
    return tuple(out)


def _face(family: FontFamily, run: Run, layout: Layout) -> Path:
    """The TTF that draws ``run``: the same file the PDF embeds for that style."""
    return (layout.fonts.mono if run.mono else family).face(run.bold, run.italic)


def _write(deck: Deck, slide: Any, shape: XmlElement, box: Box, pars: Sequence[Par],
           size: float, inset: tuple[float, float] = (fit.DEFAULT_INSET_X, fit.DEFAULT_INSET_Y),
           anchor: str = "t") -> None:
    """Place ``shape`` (a ``p:sp`` of ``slide``) at ``box`` and fill it with ``pars`` at
    fitted ``size``: every size, spacing, indent and inset explicit, autofit off, so
    PowerPoint and LibreOffice lay out exactly what was measured whatever the template's
    styles say."""
    _place(shape, box)
    body = cast(Any, shape).get_or_add_txBody()  # python-pptx's p:sp (CT_Shape)
    body_pr = body.find(_a("bodyPr"))
    for attribute in ("rot", "vert", "numCol", "anchorCtr"):  # a template's placeholder may
        body_pr.attrib.pop(attribute, None)
    inset_x, inset_y = (str(_emu(points)) for points in inset)
    body_pr.attrib.update({"wrap": "square", "lIns": inset_x, "rIns": inset_x,
                           "tIns": inset_y, "bIns": inset_y, "anchor": _ANCHORS[anchor]})
    for old in body_pr.iterchildren(*(_a(name) for name in _AUTOFITS)):
        body_pr.remove(old)
    no_autofit = body_pr.makeelement(_a("noAutofit"), {})
    warp = body_pr.find(_a("prstTxWarp"))  # the one child that precedes the autofit choice
    if warp is not None:
        warp.addnext(no_autofit)
    else:
        body_pr.insert(0, no_autofit)
    _clear_paragraphs(body)
    part = slide.part
    for index, par in enumerate(pars):
        metrics = deck.measure(par)
        paragraph = _child(body, "p")
        properties = _child(paragraph, "pPr", marL="0", indent="0", lvl="0", algn=par.align)
        _spacing(properties, "lnSpc", fit.line_pitch(metrics, size))
        _spacing(properties, "spcBef", fit.space_before(metrics, size) if index else 0.0)
        _spacing(properties, "spcAft", 0.0)
        _child(properties, "buNone")
        # Sizes are written in 1/100 pt; rounding down keeps the text within what was measured.
        run_size = math.floor(size * par.scale * 100 + 1e-6)
        for run in par.runs:
            _add_run(deck, paragraph, part, run, run_size, par.family, par.color)
        _child(paragraph, "endParaRPr", lang=deck.lang, sz=str(run_size))
    if not pars:
        _child(body, "p")


def _spacing(properties: XmlElement, kind: str, points: float) -> None:
    """Line spacing or space before or after a paragraph (``kind``), in points."""
    _child(_child(properties, kind), "spcPts", val=str(fit.centipoints(points)))


def _clear_paragraphs(body: XmlElement) -> None:
    """Remove every paragraph of a text body (a valid body needs one again after)."""
    for old in body.findall(_a("p")):
        body.remove(old)


def _add_run(deck: Deck, paragraph: XmlElement, part: Any, run: Run, size: int,
             family: FontFamily, color: str) -> None:
    """Append ``run`` to ``paragraph`` (of a shape in ``part``), at ``size`` hundredths of a
    point, with every character property explicit."""
    from pptx.opc.constants import RELATIONSHIP_TYPE

    layout = deck.layout
    typeface = layout.fonts.mono.name if run.mono else family.name
    fill = run.color or (layout.colors.link if run.href else color)
    for index, text in enumerate(run.text.split("\n")):
        if index:
            _child(paragraph, "br")
        if not text:
            continue
        piece = _child(paragraph, "r")
        # The template's styles must not transform what was measured: no caps, no tracking.
        properties = _child(piece, "rPr", sz=str(size), b="1" if run.bold else "0",
                            i="1" if run.italic else "0", lang=deck.lang, cap="none", spc="0")
        _solid_fill(properties, fill)
        _child(properties, "latin", typeface=typeface)
        if run.href:
            rel_id = part.relate_to(run.href, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
            _link_color_from_run(_child(properties, "hlinkClick", {_R_ID: rel_id}))
        _child(piece, "t").text = xml_safe(text)


def _link_color_from_run(click: XmlElement) -> None:
    """Ask PowerPoint to colour the link with the run's own colour (Office 2019's ``hlinkClr``
    extension); without it links take the theme's hyperlink colour whatever the run says."""
    ext = _child(_child(click, "extLst"), "ext", uri=_HLINK_COLOR_EXT)
    _sub_element()(ext, f"{{{_HLINK_COLOR_NS}}}hlinkClr", nsmap={"ahyp": _HLINK_COLOR_NS},
                     val="tx")


def _clean(text: str, keep_edges: bool = False) -> str:
    """``text`` XML-safe, with runs of whitespace (soft line breaks of YAML) as one space."""
    spaced = re.sub(r"[ \t\r\n]+", " ", xml_safe(text))
    return spaced if keep_edges else spaced.strip()


def _paragraphs(text: str) -> list[str]:
    """The paragraphs of a front matter text: blank lines separate them."""
    return [_clean(p) for p in re.split(r"\n\s*\n", text) if p.strip()] or [""]


def unique_titles(titles: Sequence[str]) -> list[str]:
    """``titles`` made non-empty and unique, a repeat getting `` (2)``, `` (3)``…: screen
    readers and the outline list slides by title."""
    seen: set[str] = set()
    out: list[str] = []
    for raw in titles:
        base = _clean(raw) or "—"
        title, count = base, 1
        while title.casefold() in seen:
            count += 1
            title = f"{base} ({count})"
        seen.add(title.casefold())
        out.append(title)
    return out


# ---------------------------------------------------------------- shapes


def _place(shape: XmlElement, box: Box) -> None:
    """Set ``shape``'s position and size (its ``a:xfrm``, first in its shape properties)."""
    shape_properties = shape.find(_p("spPr"))
    assert shape_properties is not None  # a shape's only required child
    xfrm = shape_properties.find(_a("xfrm"))
    if xfrm is None:
        xfrm = shape_properties.makeelement(_a("xfrm"), {})
        shape_properties.insert(0, xfrm)
    for old in list(xfrm):
        xfrm.remove(old)
    _child(xfrm, "off", x=str(_emu(box.left)), y=str(_emu(box.top)))
    _child(xfrm, "ext", cx=str(_emu(box.width)), cy=str(_emu(box.height)))


def _emu(points: float) -> Any:
    from pptx.util import Emu

    return Emu(round(points * EMU_PER_PT))


def _textbox(slide: Any, box: Box) -> XmlElement:
    """A text box at ``box``, written as python-pptx's ``add_textbox`` would (same XML, id
    and name) without its XPath searches."""
    shape, properties, body = _new_shape(slide, "TextBox", txBox="1")
    _child(properties, "noFill")
    _child(_child(body, "bodyPr", wrap="none"), "spAutoFit")
    _child(body, "lstStyle")
    _child(body, "p")
    _append_shape(slide.shapes._spTree, shape)
    _place(shape, box)
    return shape


def _rectangle(slide: Any, box: Box, color: str, behind: bool = False) -> XmlElement:
    """A borderless filled rectangle marked decorative, written as python-pptx's
    ``add_shape`` would (same id and name) but without its theme style (``p:style``), which
    can add a shadow or outline: only our fill shows. ``behind`` draws it under the
    placeholders (earlier in the shape tree is drawn first)."""
    shape, properties, body = _new_shape(slide, "Rectangle")
    _solid_fill(properties, color)
    _child(_child(properties, "ln"), "noFill")
    _child(body, "bodyPr", rtlCol="0", anchor="ctr")
    _child(body, "lstStyle")
    _child(_child(body, "p"), "pPr", algn="ctr")
    first_placeholder = _first_placeholder(slide, lambda _ph: True) if behind else None
    if first_placeholder is not None:
        first_placeholder.addprevious(shape)
    else:
        _append_shape(slide.shapes._spTree, shape)
    _place(shape, box)
    _decorative(shape)
    return shape


def _new_shape(slide: Any, kind: str,
               **shape_options: str) -> tuple[XmlElement, XmlElement, XmlElement]:
    """A new rectangular ``p:sp`` for ``slide``, not yet in its shape tree, with the slide's
    next id and named as python-pptx names its shapes ("TextBox 3"); ``shape_options`` go on
    its ``p:cNvSpPr``. Returns the shape, its shape properties (holding only the geometry so
    far) and its empty text body."""
    shape_id = slide.shapes._next_shape_id
    shape = slide.shapes._spTree.makeelement(_p("sp"), {})
    names = _sub_element()(shape, _p("nvSpPr"))
    _sub_element()(names, _p("cNvPr"), id=str(shape_id), name=f"{kind} {shape_id - 1}")
    _sub_element()(names, _p("cNvSpPr"), shape_options)
    _sub_element()(names, _p("nvPr"))
    properties = _sub_element()(shape, _p("spPr"))
    _child(_child(properties, "prstGeom", prst="rect"), "avLst")
    return shape, properties, _sub_element()(shape, _p("txBody"))


def _append_shape(tree: XmlElement, shape: XmlElement) -> None:
    """Put ``shape`` on top of the others in the shape ``tree`` (before its ``p:extLst``, the
    tree's last child when it has one)."""
    ext_list = tree.find(_p("extLst"))
    if ext_list is not None:
        ext_list.addprevious(shape)
    else:
        tree.append(shape)


def _solid_fill(properties: XmlElement, color: str) -> None:
    """Append a solid fill of layout colour ``color`` (``RRGGBB``) to ``properties``."""
    _child(_child(properties, "solidFill"), "srgbClr", val=color.upper())


def _background(slide: Any, color: str) -> None:
    """Give ``slide`` its own solid background."""
    common = slide._element.cSld
    for old in common.findall(_p("bg")):
        common.remove(old)
    background = common.makeelement(_p("bg"), {})
    common.insert(0, background)  # p:bg comes first in p:cSld
    properties = _sub_element()(background, _p("bgPr"))
    _solid_fill(properties, color)
    _child(properties, "effectLst")


def _decorative(shape: XmlElement) -> None:
    """Mark ``shape`` (a ``p:sp`` or ``p:pic``) decorative (Office's ``adec:decorative``): no
    alt text is owed for it."""
    c_nv_pr = shape[0][0]  # the shape's non-visual properties open with p:cNvPr
    ext = _child(_child(c_nv_pr, "extLst"), "ext", uri=_DECORATIVE_EXT)
    _sub_element()(ext, f"{{{_DECORATIVE_NS}}}decorative", nsmap={"adec": _DECORATIVE_NS},
                     val="1")


def _placeholder(slide: Any, kinds: Sequence[str]) -> XmlElement | None:
    """The slide's first placeholder of one of ``kinds`` (``PP_PLACEHOLDER`` names)."""
    wanted = {_PLACEHOLDER_TYPES[kind] for kind in kinds}
    return _first_placeholder(slide, lambda ph: ph.get("type", "obj") in wanted)


def _title_shape(slide: Any) -> XmlElement:
    """The slide's title placeholder (index 0, as python-pptx's ``shapes.title``):
    ``_slide_layout`` only picks layouts that have one."""
    shape = _first_placeholder(slide, lambda ph: ph.get("idx", "0") == "0")
    assert shape is not None
    return shape


def _first_placeholder(slide: Any, wanted: Callable[[XmlElement], bool]) -> XmlElement | None:
    """The slide's first placeholder shape (``p:sp``) whose ``p:ph`` is ``wanted``, found in
    the XML: python-pptx's placeholder properties run an XPath search per shape and
    property."""
    shape: XmlElement
    for shape in slide.shapes._spTree.iterchildren(_p("sp")):
        ph = shape.find(_PH_PATH)
        if ph is not None and wanted(ph):
            return shape
    return None


def _body_shape(slide: Any, box: Box) -> XmlElement:
    """The slide's body placeholder (so the outline view shows the text), else a text box."""
    shape = _placeholder(slide, ("BODY", "OBJECT"))
    return shape if shape is not None else _textbox(slide, box)


def _remove(shape: XmlElement | None) -> None:
    if shape is not None and (parent := shape.getparent()) is not None:
        parent.remove(shape)


# ---------------------------------------------------------------- presentation


def _open(template: Path | None) -> Any:
    """A presentation to add slides to: ``template`` without its slides, or the default."""
    from pptx import Presentation

    if template is None:
        return Presentation()
    try:
        prs = Presentation(str(template))
    except Exception as exc:  # python-pptx raises many types for a file it cannot read
        raise RenderError([Problem(template, None, f"cannot open the PowerPoint template "
                                   f"({type(exc).__name__}: {str(exc)[:120]})",
                                   "give a .pptx file saved by PowerPoint or LibreOffice")]
                          ) from None
    _drop_slides(prs)
    return prs


def _drop_slides(prs: Any) -> None:
    """Remove a template's own slides, keeping masters, layouts and theme (python-pptx has no
    API for it, #67): drop each ``sldId`` and its relationship, and the section and custom
    show lists that would point at slides no longer there."""
    from pptx.oxml.ns import qn

    id_list = prs.slides._sldIdLst
    for slide_id in list(id_list):
        rel_id = slide_id.get(qn("r:id"))
        id_list.remove(slide_id)
        prs.part.drop_rel(rel_id)
    root = prs.part._element
    shows = root.find(qn("p:custShowLst"))
    if shows is not None:
        root.remove(shows)
    ext_list = root.find(qn("p:extLst"))
    if ext_list is not None:
        for ext in list(ext_list):
            if any(child.tag.endswith("}sectionLst") for child in ext):
                ext_list.remove(ext)


def _stretch_layouts(prs: Any, ratio: float) -> None:
    """Widen the default template's 4:3 master and layouts to the new slide width, so slides a
    user adds later in PowerPoint look right too."""
    from pptx.oxml.ns import qn

    if abs(ratio - 1) < 1e-6:
        return
    masters = list(prs.slide_masters)
    for part in [*masters, *(lay for master in masters for lay in master.slide_layouts)]:
        # Only positions written on the shape itself: a layout placeholder that inherits its
        # place from the master moves with the master's (scaling it again would double it).
        for xfrm in part._element.xpath("./p:cSld/p:spTree/*/p:spPr/a:xfrm"):
            offset, extent = xfrm.find(qn("a:off")), xfrm.find(qn("a:ext"))
            if offset is not None and extent is not None:
                offset.set("x", str(round(int(offset.get("x")) * ratio)))
                extent.set("cx", str(round(int(extent.get("cx")) * ratio)))


def _theme_colors(prs: Any, layout: Layout) -> None:
    """Give the default theme the layout's colours where renderers fall back on the theme:
    hyperlinks (LibreOffice always draws links in the theme colour), text and accents."""
    from lxml import etree
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    theme = prs.slide_master.part.part_related_by(RT.THEME)
    root = etree.fromstring(theme.blob)
    ns = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
    colors = layout.colors
    for slot, value in (("hlink", colors.link), ("folHlink", colors.link),
                        ("accent1", colors.primary), ("accent2", colors.accent)):
        for element in root.iterfind(f".//a:clrScheme/a:{slot}", namespaces=ns):
            for child in list(element):
                element.remove(child)
            etree.SubElement(element, f"{{{ns['a']}}}srgbClr", val=value)
    theme._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                 standalone=True)


_LAYOUT_NAMES = {"title": ("Title Slide",), "content": ("Title and Content", "Title and Text",
                                                        "Title Only")}


def _slide_layouts(prs: Any) -> list[Any]:
    """Every slide layout of every master, in order."""
    return [lay for master in prs.slide_masters for lay in master.slide_layouts]


def _slide_layout(layouts: Sequence[Any], role: str, origin: Path) -> Any:
    """The slide layout for ``role`` (``title`` or ``content``) among ``layouts``: by its
    usual name, else by its placeholders (a centred title for the title slide; a title and a
    body for content), else any layout with a title; ``origin`` is the template, for errors."""
    from pptx.enum.shapes import PP_PLACEHOLDER

    for name in _LAYOUT_NAMES[role]:
        for lay in layouts:
            if lay.name == name and _kinds(lay) & {PP_PLACEHOLDER.TITLE,
                                                   PP_PLACEHOLDER.CENTER_TITLE}:
                return lay
    titled = [lay for lay in layouts
              if _kinds(lay) & {PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE}]
    if not titled:
        raise RenderError([Problem(origin, None, "the PowerPoint template has no slide "
                                   "layout with a title placeholder",
                                   "add a 'Title and Content' layout to the template")])
    if role == "title":
        preferred = [lay for lay in titled if PP_PLACEHOLDER.CENTER_TITLE in _kinds(lay)]
    else:
        preferred = [lay for lay in titled
                     if _kinds(lay) & {PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT}]
    return (preferred or titled)[0]


def _add_slide(prs: Any, slide_layout: Any, placeholders: Sequence[XmlElement]) -> Any:
    """A new slide on ``slide_layout``, as python-pptx's ``add_slide`` makes it, with copies
    of ``placeholders`` (those python-pptx gave a slide on that layout in ``_prepared``)."""
    rel_id, slide = prs.part.add_slide(slide_layout)
    tree = slide.shapes._spTree
    for shape in placeholders:
        tree.append(copy.deepcopy(shape))
    # Every later shape is added through this slide's one ``shapes``: it can count the ids on
    # instead of searching the slide for the largest one each time.
    slide.shapes.turbo_add_enabled = True
    prs.slides._sldIdLst.add_sldId(rel_id)
    return slide


def _kinds(slide_layout: Any) -> set[Any]:
    return {ph.placeholder_format.type for ph in slide_layout.placeholders}


def _properties(deck: Deck) -> None:
    """Core and app properties from the source; nothing left from python-pptx's template
    (its author "Steve Canny", its 2013 dates, "Microsoft Macintosh PowerPoint")."""
    set_core_properties(deck.prs.core_properties, deck.document)
    _app_properties(deck)
    _drop_thumbnail(deck.prs)
    _drop_printer_settings(deck.prs)


def _app_properties(deck: Deck) -> None:
    """Replace ``docProps/app.xml``: its counts and application name describe the template."""
    slides = list(deck.prs.slides)
    notes = sum(1 for slide in slides if slide.has_notes_slide)
    replace_part_blob(deck.prs.part.package, "/docProps/app.xml", app_properties_xml(
        deck.document, {"Slides": len(slides), "Notes": notes, "HiddenSlides": 0}))


def _parts(prs: Any) -> PackageParts:
    """The deck's parts, serialized as ``Presentation.save`` would, without its zip."""
    from pptx.opc.serialized import PackageWriter

    package = prs.part.package
    # Its steps take any object with write(pack_uri, blob) in place of a zip writer.
    members = tuple(package.iter_parts())
    writer: Any = PackageWriter("", package._rels, members)
    parts = PackageParts()
    writer._write_content_types_stream(parts)
    writer._write_pkg_rels(parts)
    parts.write_parts(members)
    return parts


def _drop_thumbnail(prs: Any) -> None:
    """Drop the template's thumbnail: a picture of a blank 4:3 slide is not this deck."""
    package = prs.part.package
    for rel_id, rel in list(package._rels.items()):
        if rel.reltype.endswith("/metadata/thumbnail"):
            package.drop_rel(rel_id)


def _drop_printer_settings(prs: Any) -> None:
    """Drop the template's printer settings (``ppt/printerSettings/*.bin``), a binary blob of
    its author's printer set-up: the part and its content type go with the relationship, as
    python-pptx writes only related parts. Done once the slides are added, so their
    relationship ids stay as they were."""
    for rel_id, rel in list(prs.part.rels.items()):
        if rel.reltype.endswith("/printerSettings"):
            prs.part.drop_rel(rel_id)


register(PptxRenderer())
