"""Reading an Office (OPC) package as raw XML: parts, relationships, core properties, links."""

from __future__ import annotations

import posixpath
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Sequence
from typing import NamedTuple

_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_DC = "{http://purl.org/dc/elements/1.1/}"


def parse(package: zipfile.ZipFile, name: str) -> ET.Element:
    """The root element of part ``name``."""
    return ET.fromstring(package.read(name))


class Rel(NamedTuple):
    """One relationship of a package part; internal targets are resolved to part names."""

    id: str
    type: str
    target: str
    external: bool


def relationships(package: zipfile.ZipFile, part: str) -> list[Rel]:
    """The relationships of ``part`` (``""`` for the package itself)."""
    folder, base = posixpath.split(part)
    name = posixpath.join(folder, "_rels", base + ".rels")
    if name not in package.namelist():
        return []
    out = []
    for rel in parse(package, name).iter(f"{_PKG}Relationship"):
        external = rel.get("TargetMode") == "External"
        out.append(Rel(rel.get("Id", ""), rel.get("Type", ""),
                       part_name(folder, rel.get("Target", ""), external), external))
    return out


def part_name(folder: str, target: str, external: bool) -> str:
    """A relationship's target as a part name (relative to the ``folder`` of the part the
    relationship is of), or as written when it is external."""
    if external:
        return target
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath(
        posixpath.join(folder, target))


def target(package: zipfile.ZipFile, part: str, kind: str) -> str | None:
    """The first internal target of ``part``'s relationships whose type ends with ``kind``."""
    return next((r.target for r in relationships(package, part)
                 if r.type.endswith(kind) and not r.external), None)


def hyperlinks(package: zipfile.ZipFile, parts: Sequence[str] | None = None) -> frozenset[str]:
    """External hyperlink targets of ``parts`` (of every part of the package when None)."""
    if parts is None:
        names = [n for n in package.namelist() if n.endswith(".rels")]
        parts = [posixpath.join(posixpath.dirname(posixpath.dirname(n)),
                                posixpath.basename(n)[:-len(".rels")]) for n in names]
    return frozenset(r.target for part in parts for r in relationships(package, part)
                     if r.external and r.type.endswith("/hyperlink"))


def core_properties(package: zipfile.ZipFile) -> tuple[str | None, str | None]:
    """The title and author (``dc:creator``) core properties."""
    name = target(package, "", "/metadata/core-properties")
    if name is None or name not in package.namelist():
        return None, None
    root = parse(package, name)
    title, creator = root.find(f"{_DC}title"), root.find(f"{_DC}creator")
    return (title.text or "" if title is not None else None,
            creator.text or "" if creator is not None else None)
