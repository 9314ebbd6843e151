"""Every use of python-pptx's private names and internal steps, each with its reason."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from lxml.etree import _Element as XmlElement


def replace_part_blob(package: Any, partname: str, blob: bytes) -> None:
    """Give the package's part ``partname`` new content: python-pptx loads parts it has no class for
    (``docProps/app.xml``) as plain parts whose ``blob`` is read-only."""
    for part in package.iter_parts():
        if str(part.partname) == partname:
            set_part_blob(part, blob)


def set_part_blob(part: Any, blob: bytes) -> None:
    """Give a plain (non-XML) part new content: its ``blob`` property has no setter."""
    part._blob = blob


def theme_part(prs: Any) -> Any:
    """The first slide master's theme part: python-pptx has no theme API, and the relationship
    type constants live in its private ``opc`` layer."""
    from pptx.opc.constants import RELATIONSHIP_TYPE

    return prs.slide_master.part.part_related_by(RELATIONSHIP_TYPE.THEME)


def hyperlink_relationship(part: Any, url: str) -> str:
    """The id of ``part``'s (new or existing) relationship to external ``url``: runs written as
    XML have no ``hyperlink.address`` to set, so the relationship is made as that does."""
    from pptx.opc.constants import RELATIONSHIP_TYPE

    rel_id: str = part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    return rel_id


def presentation_element(prs: Any) -> XmlElement:
    """``ppt/presentation.xml``'s root: the slide size type, custom shows and sections have no
    API."""
    element: XmlElement = prs.part._element
    return element


def slide_element(slide: Any) -> XmlElement:
    """A slide's ``p:sld``: its background is written as XML like its shapes (one element, not
    python-pptx's fill properties with an XPath search each)."""
    element: XmlElement = slide._element
    return element


def shape_tree(slide: Any) -> XmlElement:
    """A slide's ``p:spTree``: shapes are written and found as XML, never as python-pptx shape
    objects (each property of those runs an XPath search)."""
    tree: XmlElement = slide.shapes._spTree
    return tree


def next_shape_id(slide: Any) -> int:
    """The id for a shape written as XML on ``slide``, counted on as python-pptx's own shapes
    are (``turbo_add_enabled``): only its ``add_*`` methods reach that counter."""
    shape_id: int = slide.shapes._next_shape_id
    return shape_id


def text_body(shape: XmlElement) -> XmlElement:
    """The ``p:txBody`` of ``shape`` (a ``p:sp``), added where the schema puts it if missing: the
    placeholder copies are python-pptx's own ``CT_Shape`` elements, whose method this is."""
    body: XmlElement = cast(Any, shape).get_or_add_txBody()
    return body


def notes_text_body(notes_slide: Any) -> XmlElement:
    """The ``p:txBody`` of a notes slide's notes placeholder, to write its paragraphs as XML:
    the text frame hides it."""
    body: XmlElement = notes_slide.notes_text_frame._txBody
    return body


def picture_element(picture: Any) -> XmlElement:
    """The ``p:pic`` of a picture python-pptx added: its alt text (``descr``) and the decorative
    mark have no API."""
    element: XmlElement = picture._element
    return element


def master_and_layout_elements(prs: Any) -> Iterator[XmlElement]:
    """The ``p:sldMaster`` and then the ``p:sldLayout`` roots of every master, to move their
    placeholders: positions on masters and layouts have no API."""
    masters = list(prs.slide_masters)
    for proxy in [*masters, *(lay for master in masters for lay in master.slide_layouts)]:
        yield proxy._element


def drop_slide_ids(prs: Any) -> None:
    """Remove every slide from the presentation's slide list and drop its relationship:
    python-pptx cannot delete a slide (#67)."""
    id_list = prs.slides._sldIdLst
    for slide_id in list(id_list):
        rel_id = slide_id.get(_R_ID)
        id_list.remove(slide_id)
        prs.part.drop_rel(rel_id)


def new_slide(prs: Any, slide_layout: Any) -> Any:
    """A slide on ``slide_layout`` appended to the deck as ``Slides.add_slide`` makes it, but
    with no placeholders: that method reads every layout placeholder through XPath, and the
    caller copies placeholders prepared once instead."""
    rel_id, slide = prs.part.add_slide(slide_layout)
    prs.slides._sldIdLst.add_sldId(rel_id)
    return slide


def parse_element(xml: str) -> XmlElement:
    """An element parsed from ``xml`` with python-pptx's own parser (``pptx.oxml``, internal),
    so that it has python-pptx's element classes, as a placeholder cloned from a slide has:
    placeholders kept between runs come back as they were."""
    from pptx.oxml import parse_xml

    return cast("XmlElement", parse_xml(xml))


def package_relationships(package: Any) -> Mapping[str, Any]:
    """The package's own relationships (core and app properties, thumbnail): parts expose
    theirs as ``rels``, the package keeps them private."""
    relationships: Mapping[str, Any] = package._rels
    return relationships


def write_manifest(package: Any, parts: Iterable[Any], sink: Any) -> None:
    """Write ``[Content_Types].xml`` and the package relationships of ``parts`` to ``sink``
    (anything with ``write(pack_uri, blob)``) as ``Presentation.save`` does: those steps of
    its ``PackageWriter`` are private, and ``save`` zips with the current time."""
    from pptx.opc.serialized import PackageWriter

    writer: Any = PackageWriter("", package._rels, tuple(parts))
    writer._write_content_types_stream(sink)
    writer._write_pkg_rels(sink)


#: ``r:id``, how a slide list entry names its slide's relationship.
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def cell_text_body(cell: Any) -> XmlElement:
    """The ``a:txBody`` of a table cell, to write its paragraphs as XML like every other
    slide text (explicit sizes and exact line spacing): the cell's text frame hides it."""
    body: XmlElement = cell._tc.get_or_add_txBody()
    return body


def detached_chart(xml: bytes) -> tuple[XmlElement, Any]:
    """A ``c:chartSpace`` parsed from ``xml`` (python-pptx's chart XML writer's output) and
    python-pptx's ``Chart`` over it, to style a chart that lives in no deck (the brief's):
    ``Chart`` is only made by a deck's chart part, and styling never reaches that part."""
    from pptx.chart.chart import Chart
    from pptx.oxml import parse_xml

    element: XmlElement = parse_xml(xml)
    return element, cast(Any, Chart)(element, None)  # its constructor is untyped


def chart_space(chart: Any) -> XmlElement:
    """A deck chart's ``c:chartSpace``: its axis ids need writing (``_office_charts``) and
    python-pptx has no API for them."""
    element: XmlElement = chart._chartSpace
    return element
