"""The deck's template: opened once per layout, emptied, fitted to the layout, and slides added."""

from __future__ import annotations

import copy
import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kzreport.errors import Problem, RenderError
from kzreport.layout import Layout
from kzreport.records import record
from kzreport.renderers import _stored_templates as stored_templates
from kzreport.renderers._common import EMU_PER_PT
from kzreport.renderers._drawingml import a_tag, p_tag
from kzreport.renderers._package import Prototype, TemplateCache, file_digest
from kzreport.renderers._pptx_internals import (
    drop_slide_ids,
    master_and_layout_elements,
    new_slide,
    parse_element,
    presentation_element,
    set_part_blob,
    shape_tree,
    theme_part,
)

if TYPE_CHECKING:
    from lxml.etree import _Element as XmlElement


@record
class PreparedDeck:
    """A presentation with no slides yet, for each deck to copy, and what every deck on it
    shares: the slide layout of each role (by position in ``slide_layouts``) and the
    placeholders a new slide on it starts with."""

    presentation: Prototype[Any]
    layouts: Mapping[str, int]
    placeholders: Mapping[str, tuple[XmlElement, ...]]


#: Each process's prepared presentations, by layout and template.
_DECKS: TemplateCache[PreparedDeck] = TemplateCache()


def prepared_deck(layout: Layout, template: Path | None) -> PreparedDeck:
    """The prepared presentation for ``layout`` on ``template``, built the first time (or,
    prepared by an earlier run, read from the user's cache)."""
    key = (layout, template, file_digest(template))
    return _DECKS.get(key, lambda: _stored_or_prepared(key))


def slide_size(layout: Layout, template: Path | None) -> tuple[float, float]:
    """The deck's slide width and height in points, without python-pptx: a template's own
    (its masters are drawn for it), else the layout's, in the whole EMU a deck stores."""
    if template is None:
        return (round(layout.slides.width * EMU_PER_PT) / EMU_PER_PT,
                round(layout.slides.height * EMU_PER_PT) / EMU_PER_PT)
    import zipfile

    from kzreport.readers.opc import parse, target

    with zipfile.ZipFile(template) as package:
        main = target(package, "", "/officeDocument")
        size = parse(package, main or "").find(p_tag("sldSz"))
    if size is None:  # PowerPoint always writes one; python-pptx's default is the layout's
        return slide_size(layout, None)
    return int(size.get("cx", "0")) / EMU_PER_PT, int(size.get("cy", "0")) / EMU_PER_PT


def stored_key(key: tuple[Layout, Path | None, str | None]) -> str:
    """The key of ``key``'s prepared presentation among the stored ones."""
    import pptx
    from lxml import etree

    return stored_templates.entry_key("deck", key, {"python-pptx": pptx.__version__,
                                                    "lxml": etree.__version__})


def _stored_or_prepared(key: tuple[Layout, Path | None, str | None]) -> PreparedDeck:
    from lxml import etree
    from pptx import Presentation

    full_key = stored_key(key)
    stored = stored_templates.load(full_key)
    if stored is None:
        deck, package = _prepared(*key[:2])
        stored_templates.store(full_key, {
            "layouts": dict(deck.layouts),
            "placeholders": {role: [etree.tostring(shape).decode() for shape in shapes]
                             for role, shapes in deck.placeholders.items()}}, package)
        return deck
    data, package = stored
    return PreparedDeck(Prototype(Presentation(io.BytesIO(package))), data["layouts"],
                        {role: tuple(parse_element(shape) for shape in shapes)
                         for role, shapes in data["placeholders"].items()})


def _prepared(layout: Layout, template: Path | None) -> tuple[PreparedDeck, bytes]:
    """``template`` without its slides, or python-pptx's default sized and coloured by
    ``layout``, saved (its bytes returned too) and opened again; the same for every paper."""
    from pptx import Presentation
    from pptx.util import Emu

    prs = _open(template)
    if template is None:
        old_width = prs.slide_width
        prs.slide_width = Emu(round(layout.slides.width * EMU_PER_PT))
        prs.slide_height = Emu(round(layout.slides.height * EMU_PER_PT))
        # The default template declares a 4:3 "screen4x3" type; the size is now the layout's own.
        size = presentation_element(prs).find(p_tag("sldSz"))
        assert size is not None  # python-pptx has just written it
        size.attrib.pop("type", "")
        _stretch_layouts(prs, prs.slide_width / old_width)
        _theme_colors(prs, layout)
    buffer = io.BytesIO()
    prs.save(buffer)
    buffer.seek(0)
    presentation = Prototype(Presentation(buffer))
    package = buffer.getvalue()
    # python-pptx reads every placeholder property of a layout through XPath when it adds a
    # slide: do that once per role, on a copy, and keep the new slide's placeholders.
    scratch = presentation.copy()
    layouts_of_scratch = slide_layouts(scratch)
    parts = [slide_layout.part for slide_layout in layouts_of_scratch]
    layouts: dict[str, int] = {}
    placeholders: dict[str, tuple[XmlElement, ...]] = {}
    for role in ("title", "content"):
        layouts[role] = parts.index(_slide_layout(layouts_of_scratch, role,
                                                  template or Path("template")).part)
        slide = scratch.slides.add_slide(layouts_of_scratch[layouts[role]])
        placeholders[role] = tuple(copy.deepcopy(shape) for shape in
                                   shape_tree(slide).iterchildren(p_tag("sp")))
    return PreparedDeck(presentation, layouts, placeholders), package


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
    drop_slide_ids(prs)
    root = presentation_element(prs)
    shows = root.find(p_tag("custShowLst"))
    if shows is not None:
        root.remove(shows)
    ext_list = root.find(p_tag("extLst"))
    if ext_list is not None:
        for ext in list(ext_list):
            if any(str(child.tag).endswith("}sectionLst") for child in ext):
                ext_list.remove(ext)


#: Where a master's or layout's shape has its own position (``./p:cSld/p:spTree/*/p:spPr/a:xfrm``).
_OWN_POSITIONS = "/".join((p_tag("cSld"), p_tag("spTree"), "*", p_tag("spPr"), a_tag("xfrm")))


def _stretch_layouts(prs: Any, ratio: float) -> None:
    """Widen the default template's 4:3 master and layouts to the new slide width, so slides a
    user adds later in PowerPoint look right too."""
    if abs(ratio - 1) < 1e-6:
        return
    for element in master_and_layout_elements(prs):
        # Only positions written on the shape itself: a layout placeholder that inherits its
        # place from the master moves with the master's (scaling it again would double it).
        for xfrm in element.iterfind(_OWN_POSITIONS):
            offset, extent = xfrm.find(a_tag("off")), xfrm.find(a_tag("ext"))
            if offset is not None and extent is not None:
                offset.set("x", str(round(int(offset.get("x", "0")) * ratio)))
                extent.set("cx", str(round(int(extent.get("cx", "0")) * ratio)))


def _theme_colors(prs: Any, layout: Layout) -> None:
    """Give the default theme the layout's colours where renderers fall back on the theme:
    hyperlinks (LibreOffice always draws links in the theme colour), text and accents."""
    from lxml import etree

    theme = theme_part(prs)
    root = etree.fromstring(theme.blob)
    ns = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
    colors = layout.colors
    for slot, value in (("hlink", colors.link), ("folHlink", colors.link),
                        ("accent1", colors.primary), ("accent2", colors.accent)):
        for element in root.iterfind(f".//a:clrScheme/a:{slot}", namespaces=ns):
            for child in list(element):
                element.remove(child)
            etree.SubElement(element, f"{{{ns['a']}}}srgbClr", val=value)
    set_part_blob(theme, etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                        standalone=True))


_LAYOUT_NAMES = {"title": ("Title Slide",), "content": ("Title and Content", "Title and Text",
                                                        "Title Only")}


def slide_layouts(prs: Any) -> list[Any]:
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


def _kinds(slide_layout: Any) -> set[Any]:
    return {ph.placeholder_format.type for ph in slide_layout.placeholders}


def add_slide(prs: Any, slide_layout: Any, placeholders: Sequence[XmlElement]) -> Any:
    """A new slide on ``slide_layout``, as python-pptx's ``add_slide`` makes it, with copies
    of ``placeholders`` (those python-pptx gave a slide on that layout in ``_prepared``)."""
    slide = new_slide(prs, slide_layout)
    tree = shape_tree(slide)
    for shape in placeholders:
        tree.append(copy.deepcopy(shape))
    # Every later shape is added through this slide's one ``shapes``: it can count the ids on
    # instead of searching the slide for the largest one each time.
    slide.shapes.turbo_add_enabled = True
    return slide
