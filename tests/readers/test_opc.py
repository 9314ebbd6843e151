"""Reading an Office package as raw XML: relationships resolved to part names, hyperlinks,
core properties."""

from __future__ import annotations

import zipfile
from pathlib import Path

from kzreport.readers.opc import Rel, core_properties, hyperlinks, relationships, target

PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def rels(*entries: str) -> str:
    return f'<Relationships xmlns="{PKG}">{"".join(entries)}</Relationships>'


def package(path: Path, core: str | None) -> zipfile.ZipFile:
    with zipfile.ZipFile(path, "w") as out:
        out.writestr("_rels/.rels", rels(
            f'<Relationship Id="rId1" Type="{OFFICE}/officeDocument" Target="word/document.xml"/>',
            *([f'<Relationship Id="rId2" Type="{PKG}/metadata/core-properties" '
               'Target="docProps/core.xml"/>'] if core is not None else [])))
        out.writestr("word/_rels/document.xml.rels", rels(
            f'<Relationship Id="rId1" Type="{OFFICE}/footer" Target="footer1.xml"/>',
            f'<Relationship Id="rId2" Type="{OFFICE}/image" Target="/media/a.png"/>',
            f'<Relationship Id="rId3" Type="{OFFICE}/hyperlink" Target="https://a.example/" '
            'TargetMode="External"/>'))
        out.writestr("word/_rels/footer1.xml.rels", rels(
            f'<Relationship Id="rId1" Type="{OFFICE}/hyperlink" Target="mailto:b@example.org" '
            'TargetMode="External"/>'))
        if core is not None:
            out.writestr("docProps/core.xml", core)
    return zipfile.ZipFile(path)


def test_relationships_resolve_relative_and_absolute_targets(tmp_path: Path) -> None:
    with package(tmp_path / "p.docx", None) as opened:
        assert relationships(opened, "word/document.xml") == [
            Rel("rId1", f"{OFFICE}/footer", "word/footer1.xml", False),
            Rel("rId2", f"{OFFICE}/image", "media/a.png", False),
            Rel("rId3", f"{OFFICE}/hyperlink", "https://a.example/", True)]
        assert relationships(opened, "word/footer2.xml") == []
        assert target(opened, "", "/officeDocument") == "word/document.xml"
        assert target(opened, "word/document.xml", "/hyperlink") is None  # external only


def test_hyperlinks_of_some_parts_or_of_all(tmp_path: Path) -> None:
    with package(tmp_path / "p.docx", None) as opened:
        assert hyperlinks(opened) == {"https://a.example/", "mailto:b@example.org"}
        assert hyperlinks(opened, ["word/footer1.xml"]) == {"mailto:b@example.org"}


def test_core_properties_missing_empty_or_set(tmp_path: Path) -> None:
    with package(tmp_path / "none.docx", None) as opened:
        assert core_properties(opened) == (None, None)
    core = ('<cp:coreProperties xmlns:cp="x" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            "<dc:title>A title</dc:title><dc:creator/></cp:coreProperties>")
    with package(tmp_path / "set.docx", core) as opened:
        assert core_properties(opened) == ("A title", "")
