"""Office packages: prepared templates, the parts a library writes, properties and the zip."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import re
import struct
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Generic, TypeVar

from kzreport import __version__
from kzreport.errors import Problem, RenderError
from kzreport.labels import author_names
from kzreport.model import Document
from kzreport.renderers._common import build_timestamp, xml_escape, xml_safe

#: 1980-01-01, the earliest time a zip entry can carry.
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
#: 2107-12-31 23:59:58, the latest time a zip entry can carry (its year is 7 bits from 1980).
_ZIP_END = (2107, 12, 31, 23, 59, 58)


_Template = TypeVar("_Template")
_Copied = TypeVar("_Copied")
_Key = TypeVar("_Key")
_Value = TypeVar("_Value")


class TemplateCache(Generic[_Template]):
    """A renderer's prepared starting point (a styled blank document, a themed deck), built
    once per process for each key: every paper of a batch in the same layout starts from the
    same one. Values are shared between papers, so they must never change: a ``Prototype``
    (each paper works on its own copy) or plain immutable data."""

    def __init__(self, size: int = 4) -> None:
        self._size = size
        #: (key, prepared value), the most recently used first; keys are compared with ``==``
        #: because a layout (which holds dicts) cannot be hashed.
        self._entries: list[tuple[object, _Template]] = []

    def get(self, key: object, build: Callable[[], _Template]) -> _Template:
        """The value for ``key``, built by ``build`` the first time."""
        found = next((index for index, (known, _) in enumerate(self._entries) if known == key),
                     None)
        if found is None:
            self._entries.insert(0, (key, build()))
        else:
            self._entries.insert(0, self._entries.pop(found))
        del self._entries[self._size:]
        return self._entries[0][1]


class Prototype(Generic[_Copied]):
    """A library's freshly opened package that no paper uses itself: each gets a deep copy.

    Copying the object graph is two to three times cheaper than parsing the package's parts
    again, and as safe: the original is never handed out, so nothing one paper changes can
    reach the next. It must be copied untouched, as opened: the libraries cache objects that
    point into an element tree, and a deep copy of such a cache would point into a copy of
    its own instead of the new tree.
    """

    def __init__(self, opened: _Copied) -> None:
        self._opened = opened

    def copy(self) -> _Copied:
        """A new, independent copy of the package as it was opened."""
        return copy.deepcopy(self._opened)


def file_digest(path: Path | None) -> str | None:
    """The sha256 of ``path``'s content, so that a cache keyed on it notices an edit (a time
    stamp might not: two saves within the file system's clock tick look alike)."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest() if path is not None else None
    except OSError:  # the renderer reports an unreadable template when it opens it
        return None


class PackageParts:
    """Collects the parts an Office library's package writer hands to its zip writer (it calls
    ``write(pack_uri, blob)``), so kzreport can zip them once, its own way."""

    def __init__(self) -> None:
        self.entries: dict[str, bytes] = {}

    def write(self, pack_uri: Any, blob: bytes) -> None:
        self.entries[str(pack_uri.membername)] = blob

    def write_parts(self, parts: Iterable[Any]) -> None:
        """Write each part and, when it has any, its relationships, as the libraries' package
        writers do (``_write_parts``), but with each distinct set of relationships serialized
        once per process: a template's layouts, masters and theme relate alike in every
        deck, and building their XML was a tenth of writing one."""
        for part in parts:
            self.write(part.partname, part.blob)
            relationships = part.rels
            if len(relationships):
                self.write(part.partname.rels_uri, _relationships_xml(relationships))


#: Serialized relationship sets by their content (see ``PackageParts.write_parts``), the most
#: recently used last; bounded, since a batch's hyperlinks make sets of their own.
_RELATIONSHIPS_XML: OrderedDict[tuple[object, ...], bytes] = OrderedDict()
_RELATIONSHIPS_XML_MOST = 512


def _relationships_xml(relationships: Any) -> bytes:
    """A part's ``.rels`` item, as its library serializes it, from a cache keyed by the
    relationships' ids, types, targets and modes (and the library: their XML may differ)."""
    key = (type(relationships), *((r.rId, r.reltype, r.target_ref, r.is_external)
                                  for r in relationships.values()))
    xml: bytes = _remembered(_RELATIONSHIPS_XML, key, lambda: relationships.xml,
                             _RELATIONSHIPS_XML_MOST)
    return xml


def _remembered(memo: OrderedDict[_Key, _Value], key: _Key, make: Callable[[], _Value],
                most: int, keep: bool = True) -> _Value:
    """``memo``'s value for ``key``, made by ``make`` the first time and then kept (when
    ``keep``), the least recently used dropped beyond ``most`` values."""
    known = memo.get(key)
    if known is not None:
        memo.move_to_end(key)
        return known
    made = make()
    if keep:
        memo[key] = made
        if len(memo) > most:
            memo.popitem(last=False)
    return made


def write_package(parts: PackageParts, path: Path, when: dt.datetime) -> None:
    """Zip an Office package's parts to ``path`` with fixed metadata.

    The libraries stamp each zip entry with the current time and compress as they go; here
    the entries are written once, in a fixed order with fixed times and modes, so the output
    depends only on its content. ``[Content_Types].xml`` stays first, as Office expects. The
    bytes are those ``zipfile`` writes for the same entries (a test holds them equal).
    """
    year, month, day, hour, minute, second = min(max(when.timetuple()[:6], _ZIP_EPOCH),
                                                  _ZIP_END)
    dos_time = hour << 11 | minute << 5 | second // 2
    dos_date = (year - 1980) << 9 | month << 5 | day
    names = sorted(parts.entries, key=lambda name: (name != "[Content_Types].xml", name))
    chunks: list[bytes] = []
    directory: list[bytes] = []
    offset = 0
    for name in names:
        blob = parts.entries[name]
        crc, deflated = _deflated(blob)
        encoded, flags = ((name.encode("ascii"), 0) if name.isascii()
                          else (name.encode("utf-8"), _UTF8_NAME))
        fields = (_ZIP_VERSION, flags, zlib.DEFLATED, dos_time, dos_date, crc, len(deflated),
                  len(blob), len(encoded))
        chunks += [struct.pack("<4s2H3H3L2H", b"PK\x03\x04", *fields, 0), encoded, deflated]
        directory += [struct.pack("<4s6H3L5H2L", b"PK\x01\x02", _ZIP_VERSION, *fields,
                                  0, 0, 0, 0, _FILE_MODE << 16, offset), encoded]
        offset += 30 + len(encoded) + len(deflated)
    central = b"".join(directory)
    if len(names) > 0xFFFF or offset + len(central) > 0xFFFFFFFF:  # would need ZIP64
        raise RenderError([Problem(path, None, "the output would be larger than 4 GB",
                                   "split the paper or make its figures smaller")])
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(names), len(names), len(central),
                      offset, 0)
    with path.open("wb") as target:
        target.write(b"".join([*chunks, central, end]))


#: Version 2.0 of the zip format (deflate) made and needed; made on MS-DOS (system 0).
_ZIP_VERSION = 20
#: The flag that marks an entry name as UTF-8.
_UTF8_NAME = 0x800
#: rw-r--r--, the mode every entry gets.
_FILE_MODE = 0o644
#: Compressed parts by their content, the most recently used last: a template's styles,
#: theme, masters and layouts are the same in every paper of a batch, so each process
#: compresses them once. Bounded in count and part size (at most 64 MB): figures are
#: rarely shared, and are compressed already.
_DEFLATED: OrderedDict[bytes, tuple[int, bytes]] = OrderedDict()
_DEFLATED_SIZE = 128
_DEFLATED_LARGEST = 512 * 1024


def _deflated(blob: bytes) -> tuple[int, bytes]:
    """The CRC-32 and raw deflate stream of ``blob``, as ``zipfile`` makes them at level 6."""
    def deflate() -> tuple[int, bytes]:
        compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
        return zlib.crc32(blob), compressor.compress(blob) + compressor.flush()

    return _remembered(_DEFLATED, blob, deflate, _DEFLATED_SIZE,
                       keep=len(blob) <= _DEFLATED_LARGEST)


def app_properties_xml(document: Document, counts: dict[str, int]) -> bytes:
    """An Office package's ``docProps/app.xml`` (extended properties), to replace the
    template's, which describes its own application, company and counts. ``counts`` are
    format-specific elements such as ``Slides`` (the schema takes its elements in any order)."""
    elements = "".join(f"<{name}>{value}</{name}>" for name, value in counts.items())
    company = xml_escape(" ".join(xml_safe(document.meta.organization or "").split()))
    xml = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
           'extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/'
           f'2006/docPropsVTypes"><Application>kzreport {__version__}</Application>'
           f"<DocSecurity>0</DocSecurity>{elements}<Company>{company}</Company>"
           "<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
           "<HyperlinksChanged>false</HyperlinksChanged><AppVersion>1.0000</AppVersion>"
           "</Properties>")
    return xml.encode("utf-8")


#: Word and PowerPoint refuse core-property strings longer than this.
CORE_PROPERTY_LIMIT = 255


def set_core_properties(properties: Any, document: Document) -> None:
    """Fill the core properties of a python-docx or python-pptx package from the paper, leaving
    nothing of the library's template (its author, its 2013 dates, its descriptions)."""
    meta = document.meta

    def clip(text: str) -> str:
        return " ".join(xml_safe(text).split())[:CORE_PROPERTY_LIMIT]

    properties.title = clip(meta.title)
    properties.author = clip(author_names(document))
    properties.subject = clip(meta.summary or meta.subtitle or meta.title)
    properties.keywords = clip(", ".join(meta.keywords))
    properties.language = meta.language
    properties.comments = clip(meta.summary or "")
    properties.category = clip(meta.marking or "")
    properties.identifier = properties.content_status = properties.version = ""
    properties.last_modified_by = f"kzreport {__version__}"
    properties.revision = 1
    properties.created = properties.modified = properties.last_printed = build_timestamp(document)


#: A W3CDTF time as OOXML core properties write it.
_W3CDTF = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


def restamped_workbook(blob: bytes, stamp: dt.datetime) -> bytes:
    """The embedded workbook ``blob`` (written by XlsxWriter for a chart's data) with its
    created and modified times set to ``stamp``: XlsxWriter stamps the current time, which
    would make every build of a deck with a chart differ. Entries keep their (fixed) zip
    times and order."""
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(blob)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "docProps/core.xml":
                data = _W3CDTF.sub(stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode(), data)
            target.writestr(info, data)
    return out.getvalue()
