"""The slide deck: a title slide, the bottom line, one slide per key point and a closing slide."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from kzreport.errors import Problem
from kzreport.layout import Layout
from kzreport.lazy_imports import defer_imports
from kzreport.model import Document
from kzreport.renderers import register
from kzreport.renderers._common import EMU_PER_PT, build_timestamp
from kzreport.renderers._deck_geometry import BANNER, BANNER_MIN_PT, Geometry
from kzreport.renderers._deck_key_point import key_point_slide, plan_key_point
from kzreport.renderers._deck_points import PointTitle, plan_point
from kzreport.renderers._deck_slides import (
    SlideBuilder,
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
        """What a build would report about the key points' slides (a text or headline too
        long for its slide), for ``kzreport check``: the slides are laid out, not written,
        and python-pptx is not loaded."""
        width, height = slide_size(layout, layout.template_pptx)
        deck = Deck(None, document, layout, Geometry(width, height, _banner(document, height)),
                    layout.template_pptx)
        headings = _point_titles(deck)
        titles = unique_titles([title for title, _ in _slides(deck, headings)])
        first = 2 if document.meta.summary else 1
        for number, (point, heading) in enumerate(
                zip(document.key_points.points, headings, strict=True), 1):
            plan_key_point(deck, number, point, titles[first + number - 1], heading)
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

    _properties(deck)
    write_package(_parts(prs), path, build_timestamp(document))
    return deck.problems


def _banner(document: Document, height: float) -> float:
    """The height of the marking banners on slides ``height`` points high (0: no marking)."""
    return round(max(BANNER_MIN_PT, height * BANNER), 2) if document.meta.marking else 0.0


def _point_titles(deck: Deck) -> list[PointTitle]:
    """Each key point's title (its headline, its first sentence or its number) and the text
    left under it."""
    points = deck.document.key_points.points
    return [plan_point(deck, point, number, len(points))
            for number, point in enumerate(points, 1)]


def _slides(deck: Deck, headings: list[PointTitle]) -> list[tuple[str, SlideBuilder]]:
    """The deck's slides in order, each with its title (before repeats are told apart) and
    what builds it; ``headings`` are the key points' titles."""
    document, layout = deck.document, deck.layout
    plan: list[tuple[str, SlideBuilder]] = [(document.meta.title, title_slide)]
    if document.meta.summary:
        plan.append((layout.labels.summary, summary_slide))
    for number, (point, heading) in enumerate(
            zip(document.key_points.points, headings, strict=True), 1):
        plan.append((heading.title, key_point_slide(number, point, heading)))
    if document.meta.links or document.meta.disclaimer:
        closing = (layout.labels.further_reading if document.meta.links
                   else layout.labels.disclaimer)
        plan.append((closing, closing_slide))
    return plan


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
