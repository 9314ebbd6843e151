"""An Office package opened for import: a bounded zip and XML parsed without any DTD."""

from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path
from typing import NamedTuple
from xml.etree import ElementTree as ET

from kzreport.readers.opc import part_name

#: A Word file larger than this is refused unread: real papers with pictures are a few MB.
MAX_FILE_BYTES = 100_000_000
#: No part is read past this many bytes, whatever its zip entry claims (a zip bomb lies).
MAX_PART_BYTES = 40_000_000
#: All parts read together stop here: many small bombs add up too.
MAX_TOTAL_BYTES = 200_000_000
#: More entries than this is not a document; a zip with millions of entries is an attack.
MAX_ENTRIES = 5_000
#: An entry that expands more than this many times its compressed size is a bomb.
MAX_RATIO = 200
#: Parts that hold programs or other applications' documents.
MACRO_PARTS = re.compile(r"(vbaProject|vbaData|macrosheets|/activeX/)", re.IGNORECASE)

_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class PackageProblem(Exception):
    """Why a file cannot be imported as a Word document (one line, with how to fix it)."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class Rel(NamedTuple):
    """One relationship; internal targets resolved to part names."""

    id: str
    type: str
    target: str
    external: bool


class _NoDoctype(ET.TreeBuilder):
    """A tree builder that stops at a DOCTYPE: Office XML never has one, and refusing it
    refuses every entity declaration (expansion bombs, external entities) with it."""

    def doctype(self, name: str, pubid: str | None, system: str | None) -> None:
        raise PackageProblem("the document's XML declares a DTD (entities), which Office "
                             "never writes", "save the document again from Word or LibreOffice")


def parse_xml(data: bytes) -> ET.Element:
    """The root of XML ``data``; a DTD or malformed XML raises ``PackageProblem``."""
    parser = ET.XMLParser(target=_NoDoctype())
    try:
        parser.feed(data)
        root: ET.Element = parser.close()
    except ET.ParseError as exc:
        raise PackageProblem(f"the document's XML is damaged ({exc})",
                             "open and save it again in Word or LibreOffice") from None
    return root


class Package:
    """A zip package read within bounds: sizes, ratios and entry counts are checked before
    anything is inflated, and every read stops at its limit whatever the headers claim."""

    def __init__(self, path: Path) -> None:
        try:
            size = path.stat().st_size
            with path.open("rb") as handle:
                head = handle.read(8)
        except OSError as exc:
            raise PackageProblem(f"cannot read file: {exc.strerror}",
                                 "check the path and its permissions") from None
        if head == _OLE_MAGIC:
            raise PackageProblem("the file is encrypted (password-protected) or an old binary "
                                 ".doc", "remove the password or save it as .docx in Word")
        if size > MAX_FILE_BYTES:
            raise PackageProblem(f"the file is {size:,} bytes, over the limit of "
                                 f"{MAX_FILE_BYTES:,}", "compress its pictures in Word")
        try:
            self.zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError, ValueError):
            raise PackageProblem("the file is not a Word document (not a .docx package)",
                                 "save it from Word as a .docx") from None
        infos = self.zip.infolist()
        if len(infos) > MAX_ENTRIES:
            raise PackageProblem(f"the package has {len(infos):,} parts, too many for a "
                                 "document", "save it again from Word as a .docx")
        for info in infos:
            if info.flag_bits & 0x1:
                raise PackageProblem("the package is encrypted",
                                     "remove the password and save it as .docx")
            if info.file_size > MAX_PART_BYTES or (
                    info.file_size > 1_000_000
                    and info.file_size > MAX_RATIO * max(info.compress_size, 1)):
                raise PackageProblem(f"part '{info.filename[:80]}' expands to "
                                     f"{info.file_size:,} bytes (a zip bomb or a huge part)",
                                     "remove or compress the large content in Word")
        self.names = frozenset(self.zip.namelist())
        self._read_total = 0

    def close(self) -> None:
        self.zip.close()

    def read(self, name: str) -> bytes:
        """The bytes of part ``name``, never more than the limits allow."""
        try:
            with self.zip.open(name) as handle:
                data = handle.read(MAX_PART_BYTES + 1)
        except (zipfile.BadZipFile, OSError, ValueError, KeyError, EOFError,
                NotImplementedError, RuntimeError) as exc:
            raise PackageProblem(f"part '{name[:80]}' is damaged ({exc})",
                                 "open and save the document again in Word") from None
        self._read_total += len(data)
        if len(data) > MAX_PART_BYTES or self._read_total > MAX_TOTAL_BYTES:
            raise PackageProblem(f"part '{name[:80]}' expands beyond {MAX_PART_BYTES:,} bytes",
                                 "remove or compress the large content in Word")
        return data

    def xml(self, name: str) -> ET.Element | None:
        """The root element of part ``name``, or None when the package has no such part."""
        return parse_xml(self.read(name)) if name in self.names else None

    def relationships(self, part: str) -> list[Rel]:
        """The relationships of ``part`` (``""`` for the package itself)."""
        folder, base = posixpath.split(part)
        root = self.xml(posixpath.join(folder, "_rels", base + ".rels"))
        if root is None:
            return []
        out = []
        for rel in root.iter(f"{_PKG}Relationship"):
            external = rel.get("TargetMode") == "External"
            out.append(Rel(rel.get("Id", ""), rel.get("Type", ""),
                           part_name(folder, rel.get("Target", ""), external), external))
        return out

    def target(self, part: str, kind: str) -> str | None:
        """The first internal target of ``part`` whose relationship type ends with ``kind``."""
        return next((r.target for r in self.relationships(part)
                     if r.type.endswith(kind) and not r.external), None)

    def macros(self) -> str | None:
        """The name of a part holding macros or controls, if there is one."""
        return next((n for n in sorted(self.names) if MACRO_PARTS.search(n)), None)
