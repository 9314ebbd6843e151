"""Writing the deck's DrawingML directly: text boxes, rectangles, text, fills, placeholders."""

# Text is written as DrawingML elements directly: going through python-pptx's properties (an
# XPath search per child, a descriptor per attribute) was once half the time of a deck.

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from kzreport.layout import FontFamily
from kzreport.renderers import _fit as fit
from kzreport.renderers._common import EMU_PER_PT, xml_safe
from kzreport.renderers._deck_geometry import Box
from kzreport.renderers._deck_text import Deck, Par, Run, font_runs
from kzreport.renderers._pptx_internals import (
    hyperlink_relationship,
    next_shape_id,
    shape_tree,
    slide_element,
    text_body,
)
from kzreport.scripts import has_rtl, paragraph_is_rtl, script_language

if TYPE_CHECKING:
    from lxml.etree import _Element as XmlElement

#: ``<a:ext>`` that marks a shape as decorative, so screen readers skip bands and rules.
_DECORATIVE_EXT = "{C183D7F6-B498-43B3-948B-1728B52AA6E4}"
_DECORATIVE_NS = "http://schemas.microsoft.com/office/drawing/2017/decorative"

#: DrawingML, the namespace of everything inside a shape's text body.
_A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
#: ``write``'s anchors as DrawingML writes them, and the text body's autofit choices.
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


# ---------------------------------------------------------------- elements


def a_tag(tag: str) -> str:
    """The qualified name of DrawingML element ``tag``."""
    return f"{{{_A_NS}}}{tag}"


def p_tag(tag: str) -> str:
    """The qualified name of PresentationML element ``tag``."""
    return f"{{{_P_NS}}}{tag}"


def child(parent: XmlElement, tag: str, attributes: dict[str, str] | None = None,
          **more: str) -> XmlElement:
    """A new DrawingML element ``a:tag`` appended to ``parent``."""
    return _sub_element()(parent, a_tag(tag), {**attributes, **more} if attributes else more)


@functools.cache
def _sub_element() -> Callable[..., XmlElement]:
    """lxml's ``SubElement``, looked up once: importing lxml with this module would slow
    start-up, and an import statement in a function that makes hundreds of elements a deck
    cost as much as each element."""
    from lxml import etree

    return etree.SubElement


def emu(points: float) -> Any:
    from pptx.util import Emu

    return Emu(round(points * EMU_PER_PT))


# ---------------------------------------------------------------- text


def write(deck: Deck, slide: Any, shape: XmlElement, box: Box, pars: Sequence[Par],
          size: float, inset: tuple[float, float] = (fit.DEFAULT_INSET_X, fit.DEFAULT_INSET_Y),
          anchor: str = "t") -> None:
    """Place ``shape`` (a ``p:sp`` of ``slide``) at ``box`` and fill it with ``pars`` at
    fitted ``size``: every size, spacing, indent and inset explicit, autofit off, so
    PowerPoint and LibreOffice lay out exactly what was measured whatever the template's
    styles say."""
    place(shape, box)
    body = text_body(shape)
    body_pr = body.find(a_tag("bodyPr"))
    assert body_pr is not None  # a text body's first, required child
    for attribute in ("rot", "vert", "numCol", "anchorCtr"):  # a template's placeholder may
        body_pr.attrib.pop(attribute, "")
    inset_x, inset_y = (str(emu(points)) for points in inset)
    body_pr.attrib.update({"wrap": "square", "lIns": inset_x, "rIns": inset_x,
                           "tIns": inset_y, "bIns": inset_y, "anchor": _ANCHORS[anchor]})
    for old in body_pr.iterchildren(*(a_tag(name) for name in _AUTOFITS)):
        body_pr.remove(old)
    no_autofit = body_pr.makeelement(a_tag("noAutofit"), {})
    warp = body_pr.find(a_tag("prstTxWarp"))  # the one child that precedes the autofit choice
    if warp is not None:
        warp.addnext(no_autofit)
    else:
        body_pr.insert(0, no_autofit)
    write_paragraphs(deck, body, slide.part, pars, size)


def write_paragraphs(deck: Deck, body: XmlElement, part: Any, pars: Sequence[Par],
                     size: float) -> None:
    """Replace the paragraphs of text ``body`` (of a shape or table cell in ``part``) with
    ``pars`` at fitted ``size``, every size and spacing explicit."""
    clear_paragraphs(body)
    for index, par in enumerate(pars):
        metrics = deck.measure(par)
        paragraph = child(body, "p")
        rtl = paragraph_is_rtl("".join(run.text for run in par.runs), deck.rtl)
        # A right-to-left paragraph starts at the right; centred text stays centred.
        align = {"l": "r", "r": "l"}.get(par.align, par.align) if rtl else par.align
        margin = round(fit.indent_points(metrics, size) * EMU_PER_PT)
        hang = min(margin, round(par.hang * size * par.scale * EMU_PER_PT)) if par.bullet else 0
        properties = child(paragraph, "pPr", marL=str(margin), indent=str(-hang), lvl="0",
                           algn=align)
        if rtl:
            properties.set("rtl", "1")
        _spacing(properties, "lnSpc", fit.line_pitch(metrics, size))
        _spacing(properties, "spcBef", fit.space_before(metrics, size) if index else 0.0)
        _spacing(properties, "spcAft", 0.0)
        # Sizes are written in 1/100 pt; rounding down keeps the text within what was measured.
        run_size = math.floor(size * par.scale * 100 + 1e-6)
        _bullet(properties, par, deck.layout.colors.accent)
        for run in par.runs:
            add_run(deck, paragraph, part, run, run_size, par.family, par.color)
        child(paragraph, "endParaRPr", lang=deck.lang, sz=str(run_size))
    if not pars:
        child(body, "p")


#: PowerPoint's automatic numbering schemes by ``labels.NUMBER_STYLES`` style.
_AUTONUM = {"decimal": "arabicPeriod", "lowerLetter": "alphaLcPeriod",
            "lowerRoman": "romanLcPeriod"}


def _bullet(properties: XmlElement, par: Par, color: str) -> None:
    """``par``'s list marker in the layout's accent colour, hanging in its indent: a
    character, or PowerPoint's own numbering (so items renumber when edited; it starts at 1,
    so a list numbered from 0 keeps its marker as a character)."""
    if par.bullet is None:
        child(properties, "buNone")
        return
    child(child(properties, "buClr"), "srgbClr", val=color.upper())
    child(properties, "buFont", typeface=par.family.name)
    if par.numbering is not None and par.numbering[1] >= 1:
        style, number = par.numbering
        child(properties, "buAutoNum", type=_AUTONUM[style], startAt=str(number))
    else:
        child(properties, "buChar", char=par.bullet)


def _spacing(properties: XmlElement, kind: str, points: float) -> None:
    """Line spacing or space before or after a paragraph (``kind``), in points."""
    child(child(properties, kind), "spcPts", val=str(fit.centipoints(points)))


def clear_paragraphs(body: XmlElement) -> None:
    """Remove every paragraph of a text body (a valid body needs one again after)."""
    for old in body.findall(a_tag("p")):
        body.remove(old)


def add_run(deck: Deck, paragraph: XmlElement, part: Any, run: Run, size: int,
            family: FontFamily, color: str) -> None:
    """Append ``run`` to ``paragraph`` (of a shape in ``part``), at ``size`` hundredths of a
    point, with every character property explicit."""
    layout = deck.layout
    fill = run.color or (layout.colors.link if run.href else color)
    for index, line in enumerate(run.text.split("\n")):
        if index:
            child(paragraph, "br")
        # Each character the run's face lacks is named in the fallback family that draws it
        # (the one the fitting measured it with), so PowerPoint shows the same glyph.
        for text, family_of_text in font_runs(deck, run, family, line):
            piece = child(paragraph, "r")
            rtl = has_rtl(text)
            # The template's styles must not transform what was measured: no caps, no tracking.
            properties = child(piece, "rPr", sz=str(size), b="1" if run.bold else "0",
                               i="1" if run.italic else "0",
                               lang=script_language(text, deck.lang) if rtl else deck.lang,
                               cap="none", spc="0")
            if run.strike:
                properties.set("strike", "sngStrike")
            if run.script is not None:  # PowerPoint's own offsets for superscript and subscript
                properties.set("baseline", "30000" if run.script == "super" else "-25000")
            solid_fill(properties, fill)
            child(properties, "latin", typeface=family_of_text.name)
            if rtl:  # PowerPoint sets right-to-left letters in the complex-script typeface
                child(properties, "cs", typeface=family_of_text.name)
            if run.href:
                rel_id = hyperlink_relationship(part, run.href)
                _link_color_from_run(child(properties, "hlinkClick", {_R_ID: rel_id}))
            child(piece, "t").text = xml_safe(text)


def _link_color_from_run(click: XmlElement) -> None:
    """Ask PowerPoint to colour the link with the run's own colour (Office 2019's ``hlinkClr``
    extension); without it links take the theme's hyperlink colour whatever the run says."""
    ext = child(child(click, "extLst"), "ext", uri=_HLINK_COLOR_EXT)
    _sub_element()(ext, f"{{{_HLINK_COLOR_NS}}}hlinkClr", nsmap={"ahyp": _HLINK_COLOR_NS},
                   val="tx")


# ---------------------------------------------------------------- shapes


def place(shape: XmlElement, box: Box) -> None:
    """Set ``shape``'s position and size (its ``a:xfrm``, first in its shape properties)."""
    shape_properties = shape.find(p_tag("spPr"))
    assert shape_properties is not None  # a shape's only required child
    xfrm = shape_properties.find(a_tag("xfrm"))
    if xfrm is None:
        xfrm = shape_properties.makeelement(a_tag("xfrm"), {})
        shape_properties.insert(0, xfrm)
    for old in list(xfrm):
        xfrm.remove(old)
    child(xfrm, "off", x=str(emu(box.left)), y=str(emu(box.top)))
    child(xfrm, "ext", cx=str(emu(box.width)), cy=str(emu(box.height)))


def textbox(slide: Any, box: Box) -> XmlElement:
    """A text box at ``box``, written as python-pptx's ``add_textbox`` would (same XML, id
    and name) without its XPath searches."""
    shape, properties, body = _new_shape(slide, "TextBox", txBox="1")
    child(properties, "noFill")
    child(child(body, "bodyPr", wrap="none"), "spAutoFit")
    child(body, "lstStyle")
    child(body, "p")
    _append_shape(shape_tree(slide), shape)
    place(shape, box)
    return shape


def rectangle(slide: Any, box: Box, color: str, behind: bool = False) -> XmlElement:
    """A borderless filled rectangle marked decorative, written as python-pptx's
    ``add_shape`` would (same id and name) but without its theme style (``p:style``), which
    can add a shadow or outline: only our fill shows. ``behind`` draws it under the
    placeholders (earlier in the shape tree is drawn first)."""
    shape, properties, body = _new_shape(slide, "Rectangle")
    solid_fill(properties, color)
    child(child(properties, "ln"), "noFill")
    child(body, "bodyPr", rtlCol="0", anchor="ctr")
    child(body, "lstStyle")
    child(child(body, "p"), "pPr", algn="ctr")
    first_placeholder = _first_placeholder(slide, lambda _ph: True) if behind else None
    if first_placeholder is not None:
        first_placeholder.addprevious(shape)
    else:
        _append_shape(shape_tree(slide), shape)
    place(shape, box)
    decorative(shape)
    return shape


def _new_shape(slide: Any, kind: str,
               **shape_options: str) -> tuple[XmlElement, XmlElement, XmlElement]:
    """A new rectangular ``p:sp`` for ``slide``, not yet in its shape tree, with the slide's
    next id and named as python-pptx names its shapes ("TextBox 3"); ``shape_options`` go on
    its ``p:cNvSpPr``. Returns the shape, its shape properties (holding only the geometry so
    far) and its empty text body."""
    shape_id = next_shape_id(slide)
    shape = shape_tree(slide).makeelement(p_tag("sp"), {})
    names = _sub_element()(shape, p_tag("nvSpPr"))
    _sub_element()(names, p_tag("cNvPr"), id=str(shape_id), name=f"{kind} {shape_id - 1}")
    _sub_element()(names, p_tag("cNvSpPr"), shape_options)
    _sub_element()(names, p_tag("nvPr"))
    properties = _sub_element()(shape, p_tag("spPr"))
    child(child(properties, "prstGeom", prst="rect"), "avLst")
    return shape, properties, _sub_element()(shape, p_tag("txBody"))


def _append_shape(tree: XmlElement, shape: XmlElement) -> None:
    """Put ``shape`` on top of the others in the shape ``tree`` (before its ``p:extLst``, the
    tree's last child when it has one)."""
    ext_list = tree.find(p_tag("extLst"))
    if ext_list is not None:
        ext_list.addprevious(shape)
    else:
        tree.append(shape)


def solid_fill(properties: XmlElement, color: str) -> None:
    """Append a solid fill of layout colour ``color`` (``RRGGBB``) to ``properties``."""
    child(child(properties, "solidFill"), "srgbClr", val=color.upper())


def background(slide: Any, color: str) -> None:
    """Give ``slide`` its own solid background."""
    common = slide_element(slide).find(p_tag("cSld"))
    assert common is not None  # a slide's only required child
    for old in common.findall(p_tag("bg")):
        common.remove(old)
    element = common.makeelement(p_tag("bg"), {})
    common.insert(0, element)  # p:bg comes first in p:cSld
    properties = _sub_element()(element, p_tag("bgPr"))
    solid_fill(properties, color)
    child(properties, "effectLst")


def non_visual_properties(shape: XmlElement) -> XmlElement:
    """The ``p:cNvPr`` of ``shape`` (a ``p:sp`` or ``p:pic``): its non-visual properties open
    with it, and it holds the shape's id, name and alt text."""
    return shape[0][0]


def decorative(shape: XmlElement) -> None:
    """Mark ``shape`` (a ``p:sp`` or ``p:pic``) decorative (Office's ``adec:decorative``): no
    alt text is owed for it."""
    ext = child(child(non_visual_properties(shape), "extLst"), "ext", uri=_DECORATIVE_EXT)
    _sub_element()(ext, f"{{{_DECORATIVE_NS}}}decorative", nsmap={"adec": _DECORATIVE_NS},
                   val="1")


# ---------------------------------------------------------------- placeholders


def placeholder(slide: Any, kinds: Sequence[str]) -> XmlElement | None:
    """The slide's first placeholder of one of ``kinds`` (``PP_PLACEHOLDER`` names)."""
    wanted = {_PLACEHOLDER_TYPES[kind] for kind in kinds}
    return _first_placeholder(slide, lambda ph: ph.get("type", "obj") in wanted)


def title_shape(slide: Any) -> XmlElement:
    """The slide's title placeholder (index 0, as python-pptx's ``shapes.title``): the
    template's layouts are only picked when they have one."""
    shape = _first_placeholder(slide, lambda ph: ph.get("idx", "0") == "0")
    assert shape is not None
    return shape


def _first_placeholder(slide: Any, wanted: Callable[[XmlElement], bool]) -> XmlElement | None:
    """The slide's first placeholder shape (``p:sp``) whose ``p:ph`` is ``wanted``, found in
    the XML: python-pptx's placeholder properties run an XPath search per shape and
    property."""
    shape: XmlElement
    for shape in shape_tree(slide).iterchildren(p_tag("sp")):
        ph = shape.find(_PH_PATH)
        if ph is not None and wanted(ph):
            return shape
    return None


def body_shape(slide: Any, box: Box) -> XmlElement:
    """The slide's body placeholder (so the outline view shows the text), else a text box."""
    shape = placeholder(slide, ("BODY", "OBJECT"))
    return shape if shape is not None else textbox(slide, box)


def remove(shape: XmlElement | None) -> None:
    if shape is not None and (parent := shape.getparent()) is not None:
        parent.remove(shape)
