"""Office packages: the template cache, prototypes, file digests, parts and the zip."""

from __future__ import annotations

import datetime as dt
import os
import zipfile
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from kzreport.renderers._package import (
    PackageParts,
    Prototype,
    TemplateCache,
    file_digest,
    write_package,
)


def test_a_template_is_built_once_per_key() -> None:
    cache: TemplateCache[bytes] = TemplateCache()
    built: list[str] = []

    def build(name: str) -> bytes:
        built.append(name)
        return name.encode()

    assert cache.get(("a", 1), lambda: build("a")) == b"a"
    assert cache.get(("a", 1), lambda: build("again")) == b"a"
    # Keys are compared by equality, not identity: a layout unpickled in a worker is equal.
    assert cache.get(("a", int("1")), lambda: build("again")) == b"a"
    assert cache.get(("b", 1), lambda: build("b")) == b"b"
    assert built == ["a", "b"]


def test_the_least_recently_used_template_is_dropped() -> None:
    cache: TemplateCache[str] = TemplateCache(size=2)
    built: list[str] = []

    def build(name: str) -> str:
        built.append(name)
        return name

    for name in ("a", "b", "a", "c", "a", "b"):
        cache.get(name, partial(build, name))
    # "b" was the least recently used when "c" came, so it had to be built again.
    assert built == ["a", "b", "c", "b"]


def test_a_file_digest_changes_with_the_content_alone(tmp_path: Path) -> None:
    path = tmp_path / "reference.docx"
    path.write_bytes(b"one")
    first = file_digest(path)
    path.write_bytes(b"two")
    os.utime(path, ns=(1, 1))
    second = file_digest(path)
    os.utime(path, ns=(2, 2))
    assert first != second == file_digest(path)
    assert file_digest(None) is None
    assert file_digest(tmp_path / "missing.docx") is None


def test_a_package_is_zipped_exactly_as_zipfile_would(tmp_path: Path) -> None:
    parts = PackageParts()
    parts.entries = {"word/document.xml": b"<w:document/>" * 50, "[Content_Types].xml": b"<T/>",
                     "media/caf\u00e9.png": bytes(range(256)) * 4, "empty.xml": b""}
    when = dt.datetime(2024, 2, 29, 13, 45, 31)
    ours = tmp_path / "ours.zip"
    write_package(parts, ours, when)
    write_package(parts, ours, when)  # the second time from the compressed parts kept

    theirs = tmp_path / "theirs.zip"
    with zipfile.ZipFile(theirs, "w") as target:
        for name in ["[Content_Types].xml", *sorted(set(parts.entries) - {"[Content_Types].xml"})]:
            info = zipfile.ZipInfo(name, date_time=when.timetuple()[:6])
            info.external_attr = 0o644 << 16
            info.create_system = 0
            target.writestr(info, parts.entries[name], compress_type=zipfile.ZIP_DEFLATED,
                            compresslevel=6)
    assert ours.read_bytes() == theirs.read_bytes()
    with zipfile.ZipFile(ours) as package:
        assert package.testzip() is None
        assert package.namelist()[0] == "[Content_Types].xml"
        assert package.read("media/caf\u00e9.png") == bytes(range(256)) * 4


def test_zip_times_are_clamped_to_what_a_zip_entry_can_carry(tmp_path: Path) -> None:
    parts = PackageParts()
    parts.entries = {"a.xml": b"<a/>"}
    for when, expected in ((dt.datetime(1970, 1, 1), (1980, 1, 1, 0, 0, 0)),
                           (dt.datetime(2200, 6, 1), (2107, 12, 31, 23, 59, 58))):
        write_package(parts, tmp_path / "p.zip", when)
        with zipfile.ZipFile(tmp_path / "p.zip") as package:
            assert package.infolist()[0].date_time == expected


def test_each_copy_of_a_prototype_is_independent() -> None:
    from lxml import etree

    @dataclass
    class Opened:
        tree: etree._Element
        names: list[str]

    original = Opened(etree.fromstring("<root><child/></root>"), ["a"])
    prototype = Prototype(original)
    first, second = prototype.copy(), prototype.copy()
    first.names.append("b")
    etree.SubElement(first.tree, "added")
    assert second.names == ["a"] and len(second.tree) == 1
    assert original.names == ["a"] and len(original.tree) == 1
    assert len(prototype.copy().tree) == 1


def test_compressed_parts_are_kept_within_bounds(tmp_path: Path) -> None:
    from kzreport.renderers import _package

    parts = PackageParts()
    large = bytes(_package._DEFLATED_LARGEST + 1)
    parts.entries = {f"part{n}.xml": f"<p n='{n}'/>".encode() for n in range(300)}
    parts.entries["media/large.bin"] = large
    write_package(parts, tmp_path / "p.zip", dt.datetime(2024, 1, 1))
    assert len(_package._DEFLATED) == _package._DEFLATED_SIZE
    assert large not in _package._DEFLATED
    with zipfile.ZipFile(tmp_path / "p.zip") as package:
        assert package.read("media/large.bin") == large
        assert package.read("part299.xml") == b"<p n='299'/>"


def _office_packages() -> list[tuple[Any, Callable[[PackageParts], None]]]:
    """A python-docx and a python-pptx package with relationships (and a hyperlink), each with
    its library's own way of writing its parts."""
    import docx
    import pptx
    from docx.opc.constants import RELATIONSHIP_TYPE as DOCX_RT
    from docx.opc.pkgwriter import PackageWriter as DocxWriter
    from pptx.opc.constants import RELATIONSHIP_TYPE as PPTX_RT
    from pptx.opc.serialized import PackageWriter as PptxWriter

    word = docx.Document()
    word.part.relate_to("https://example.org/", DOCX_RT.HYPERLINK, is_external=True)
    deck = pptx.Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[1])
    slide.part.relate_to("https://example.org/", PPTX_RT.HYPERLINK, is_external=True)
    word_parts = word.part.package.parts
    deck_parts = tuple(deck.part.package.iter_parts())
    # Their writers take any object with write(pack_uri, blob) for the zip they write to.
    docx_writer: Any = DocxWriter
    pptx_writer: Any = PptxWriter("", deck.part.package._rels, deck_parts)
    return [
        (word_parts, lambda into: docx_writer._write_parts(into, word_parts)),
        (deck_parts, lambda into: pptx_writer._write_parts(into)),
    ]


@pytest.mark.parametrize("most", [512, 0])
def test_parts_are_written_as_the_libraries_write_them(
        most: int, monkeypatch: pytest.MonkeyPatch) -> None:
    from kzreport.renderers import _package

    monkeypatch.setattr(_package, "_RELATIONSHIPS_XML", OrderedDict())
    monkeypatch.setattr(_package, "_RELATIONSHIPS_XML_MOST", most)
    for members, library_writes in _office_packages():
        theirs, ours, again = PackageParts(), PackageParts(), PackageParts()
        library_writes(theirs)
        ours.write_parts(members)
        again.write_parts(members)
        assert ours.entries == theirs.entries == again.entries
        assert any(name.endswith(".rels") for name in ours.entries)
    assert bool(_package._RELATIONSHIPS_XML) == bool(most)  # kept, or never beyond the bound
