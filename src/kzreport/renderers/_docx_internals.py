"""Every use of python-docx's private names, each with the reason no public API serves."""

from __future__ import annotations

import ast
import functools
import inspect
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from docx.table import Table as WordTable
    from docx.table import _Cell as WordCell
    from docx.table import _Row as WordRow
    from docx.text.paragraph import Paragraph as WordParagraph
    from lxml.etree import _Element as XmlElement


def paragraph_element(paragraph: WordParagraph) -> XmlElement:
    """A paragraph's ``w:p``, to hold a hyperlink: python-docx cannot write one (issue #74)."""
    element: XmlElement = paragraph._p
    return element


def remove_paragraph(paragraph: WordParagraph) -> None:
    """Take a paragraph out of its story: python-docx cannot delete a paragraph."""
    element = paragraph._p
    story = element.getparent()
    assert story is not None  # a paragraph python-docx lists always has one
    story.remove(element)


def paragraph_properties(paragraph: WordParagraph) -> Any:
    """A paragraph's ``w:pPr``, added if missing: python-docx has no API for a paragraph's
    borders, shading, numbering or a style given by its id (its own scans every style)."""
    return paragraph._p.get_or_add_pPr()


def table_properties(table: WordTable) -> XmlElement:
    """A table's ``w:tblPr``: python-docx has no API for table borders, a width in percent of
    the text column or cell margins."""
    properties: XmlElement = table._tbl.tblPr
    return properties


def row_properties(row: WordRow) -> XmlElement:
    """A table row's ``w:trPr``, added if missing: python-docx has no API for a header row
    repeated on every page or a row that may not split across pages."""
    properties: XmlElement = row._tr.get_or_add_trPr()
    return properties


def cell_properties(cell: WordCell) -> XmlElement:
    """A table cell's ``w:tcPr``, added if missing: python-docx has no API for cell shading."""
    properties: XmlElement = cell._tc.get_or_add_tcPr()
    return properties


def picture_properties(shape: Any) -> XmlElement:
    """An inline picture's ``wp:docPr`` (name, alt text, title): python-docx has no API for
    alt text (issue #317) and keeps the ``wp:inline`` only as ``_inline``."""
    properties: XmlElement = shape._inline.docPr
    return properties


def write_content_types_and_package_relationships(sink: Any, package: Any) -> None:
    """Hand ``[Content_Types].xml`` and ``_rels/.rels`` to ``sink`` (any object with
    ``write(pack_uri, blob)``): python-docx makes them only inside ``PackageWriter.write``,
    which zips as it goes (current times, its own order), so its two steps are called alone."""
    from docx.opc.pkgwriter import PackageWriter

    writer: Any = PackageWriter  # its steps are static and take any writer
    writer._write_content_types_stream(sink, package.parts)
    writer._write_pkg_rels(sink, package.rels)


def replace_part_blob(package: Any, partname: str, blob: bytes) -> None:
    """Give the package's part ``partname`` new content: python-docx loads parts it has no class for
    (``docProps/app.xml``) as plain parts whose ``blob`` is read-only."""
    for part in package.iter_parts():
        if str(part.partname) == partname:
            part._blob = blob


@functools.cache
def declared_child_order(tag: str) -> tuple[str, ...]:
    """The children the element ``tag`` (e.g. ``w:pPr``) may hold, in schema order, as the
    python-docx class for it declares them (``_tag_seq``): the class deletes that name once
    its child properties are built, so it is read from the class's source, the one place the
    whole sequence remains (only the tuple is parsed: a whole module takes tens of ms)."""
    from docx.oxml.parser import OxmlElement

    element_class = type(OxmlElement(tag))
    name = element_class.__name__
    source = inspect.getsource(sys.modules[element_class.__module__])
    start = source.find(f"\nclass {name}(")
    end = source.find("\nclass ", start + 1)
    body = source[start:end] if end > start else source[start:]
    sequence = body.find("_tag_seq = (") if start >= 0 else -1
    if sequence < 0:
        raise RuntimeError(f"python-docx's {name} no longer declares _tag_seq; the order of "
                           f"{tag}'s children is unknown")
    declared = ast.literal_eval(body[sequence + len("_tag_seq = "):body.index(")", sequence) + 1])
    if not (isinstance(declared, tuple) and all(isinstance(t, str) for t in declared)):
        raise RuntimeError(f"python-docx's {name}._tag_seq is not a tuple of tag names")
    return declared
