"""The slide deck: a title slide, the bottom line, one slide per key point and a closing slide."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from kzreport.apparatus import has_agenda
from kzreport.errors import Problem
from kzreport.layout import Layout
from kzreport.lazy_imports import defer_imports
from kzreport.model import Document
from kzreport.renderers import register
from kzreport.renderers._common import EMU_PER_PT, build_timestamp
from kzreport.renderers._deck_geometry import BANNER, BANNER_MIN_PT, Geometry
from kzreport.renderers._deck_key_point import key_point_slides
from kzreport.renderers._deck_notes import append_acronyms
from kzreport.renderers._deck_points import PointTitle, plan_point
from kzreport.renderers._deck_slides import (
    SlideBuilder,
    agenda_slide,
    closing_slide,
    marking_banners,
    slide_footer,
    summary_slide,
    title_slide,
)
from kzreport.renderers._deck_template import (
    add_slide,
    prepared_deck,
    slide_layouts,
    slide_size,
)
from kzreport.renderers._deck_text import Deck, unique_titles
from kzreport.renderers._drawingml import background
from kzreport.renderers._package import (
    PackageParts,
    app_properties_xml,
    set_core_properties,
    write_package,
)
from kzreport.renderers._pptx_internals import (
    package_relationships,
    replace_part_blob,
    write_manifest,
)
from kzreport.slide_points import slide_points

if TYPE_CHECKING:
    from kzreport.extraction import Extraction


class PptxRenderer:
    """The ``pptx`` format: a widescreen slide deck, text fitted to its boxes by font metrics."""

    name = "pptx"
    extension = ".pptx"
    description = "PowerPoint deck: a slide per key point, details in the speaker notes"

    def render(self, document: Document, layout: Layout, path: Path) -> list[Problem]:
        """Write the deck of ``document`` to ``path``; return warnings (text that needed
        shrinking below the layout's minimum size)."""
        defer_imports()  # before python-pptx loads, whichever of these runs first
        return render_deck(document, layout, path, layout.template_pptx)

    def load(self) -> None:
        defer_imports()
        import pptx  # noqa: F401

    def preflight(self, document: Document, layout: Layout) -> list[Problem]:
        """What a build would report about the slides (text that needs shrinking below the
        layout's minimum, a visual too large), for ``kzreport check``: every slide is laid
        out by the code that writes it, given no slide to write, so ``check`` reports what
        ``build`` does; python-pptx is not loaded."""
        width, height = slide_size(layout, layout.template_pptx)
        deck = Deck(None, document, layout, Geometry(width, height, _banner(document, height)),
                    layout.template_pptx)
        plan = _slides(deck, _point_titles(deck))
        for (_, build), title in zip(plan, unique_titles([t for t, _ in plan]), strict=True):
            build(deck, None, title)
        return deck.problems

    def read(self, path: Path, layout: Layout) -> Extraction:
        from kzreport.readers.pptx import read_pptx

        return read_pptx(path, layout)


def render_deck(document: Document, layout: Layout, path: Path,
                template: Path | None = None) -> list[Problem]:
    """Write the deck to ``path``, starting from ``template`` (a .pptx whose masters, layouts
    and theme are kept and whose slides are dropped) or python-pptx's default."""
    prepared = prepared_deck(layout, template)
    prs: Any = prepared.presentation.copy()
    # A template's masters are drawn for its own slide size, so that size wins over the layout's.
    width, height = prs.slide_width / EMU_PER_PT, prs.slide_height / EMU_PER_PT
    deck = Deck(prs, document, layout, Geometry(width, height, _banner(document, height)),
                template)
    plan = _slides(deck, _point_titles(deck))
    titles = unique_titles([title for title, _ in plan])
    layouts = slide_layouts(prs)
    for number, ((_, build), title) in enumerate(zip(plan, titles, strict=True), 1):
        role = "title" if number == 1 else "content"
        slide = add_slide(prs, layouts[prepared.layouts[role]], prepared.placeholders[role])
        if template is None:  # a template's own backgrounds are part of its design
            background(slide, layout.colors.slide_background)
        build(deck, slide, title)
        if number > 1:
            slide_footer(deck, slide, number, len(plan))
        if document.meta.marking:
            marking_banners(deck, slide, document.meta.marking)

    if document.meta.acronyms:  # the acronym list goes to the last slide's notes
        append_acronyms(deck, prs.slides[len(plan) - 1])
    _properties(deck)
    write_package(_parts(prs), path, build_timestamp(document))
    return deck.problems


def _banner(document: Document, height: float) -> float:
    """The height of the marking banners on slides ``height`` points high (0: no marking)."""
    return round(max(BANNER_MIN_PT, height * BANNER), 2) if document.meta.marking else 0.0


def _point_titles(deck: Deck) -> list[PointTitle]:
    """Each key point's title (its headline, its first sentence or its number) and the text
    left under it."""
    points = slide_points(deck.document).points
    return [plan_point(deck, point, number, len(points))
            for number, point in enumerate(points, 1)]


def _slides(deck: Deck, headings: list[PointTitle]) -> list[tuple[str, SlideBuilder]]:
    """The deck's slides in order, each with its title (before repeats are told apart) and
    what builds it; ``headings`` are the key points' titles, told apart from the others'
    before their slides are laid out (a key point too long for one slide goes on on more)."""
    document, layout = deck.document, deck.layout
    closing = []
    if document.meta.links or document.meta.disclaimer or document.sources:
        closing = [(layout.labels.further_reading if document.meta.links
                    else layout.labels.disclaimer if document.meta.disclaimer
                    else layout.labels.sources, closing_slide)]
    opening: list[tuple[str, SlideBuilder]] = [(document.meta.title, title_slide)]
    if has_agenda(document, layout):
        opening.append((layout.labels.contents, agenda_slide([h.title for h in headings])))
    if document.meta.summary:
        opening.append((layout.labels.summary, summary_slide))
    titles = unique_titles([t for t, _ in opening] + [h.title for h in headings]
                           + [t for t, _ in closing])[len(opening):len(opening) + len(headings)]
    plan: list[tuple[str, SlideBuilder]] = list(opening)
    for number, (point, heading, title) in enumerate(
            zip(slide_points(document).points, headings, titles, strict=True), 1):
        plan.extend(key_point_slides(deck, number, point, heading, title))
    return plan + closing


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
    package = prs.part.package
    members = tuple(package.iter_parts())
    parts = PackageParts()
    write_manifest(package, members, parts)
    parts.write_parts(members)
    return parts


def _drop_thumbnail(prs: Any) -> None:
    """Drop the template's thumbnail: a picture of a blank 4:3 slide is not this deck."""
    package = prs.part.package
    for rel_id, rel in list(package_relationships(package).items()):
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
