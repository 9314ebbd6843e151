"""Hostile files: each is refused with one line, or imported safely, in bounded time and memory."""

from __future__ import annotations

import re
import struct
import time
import zipfile
import zlib
from pathlib import Path

import pytest

from importing.word_files import REL, p, word_file
from kzreport.errors import KzreportError
from kzreport.importing import import_paper

ERROR = re.compile(r"^.+?: error: \S.*? — \S.*$")


def refused(path: Path, tmp_path: Path, says: str) -> None:
    start = time.monotonic()
    with pytest.raises(KzreportError) as raised:
        import_paper(path, tmp_path / "out" / "paper.md", None, tmp_path)
    assert time.monotonic() - start < 10
    lines = [str(problem) for problem in raised.value.problems]
    assert len(lines) == 1 and ERROR.fullmatch(lines[0]), lines
    assert says in lines[0], lines[0]
    assert not (tmp_path / "out" / "paper.md").exists()


def test_zip_bomb(tmp_path: Path) -> None:
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", b"<" + b"a" * 60_000_000 + b"/>")
    refused(path, tmp_path, "zip bomb")


def test_parts_over_the_limit(tmp_path: Path) -> None:
    """The limit holds whatever the entry claims: ``zipfile`` stops at the declared size, and
    a declared size over the limit is refused before anything inflates."""
    from kzreport.importing import package as module

    path = word_file(tmp_path / "x.docx", p("x" * 1000))
    limit = module.MAX_PART_BYTES
    module.MAX_PART_BYTES = 500
    try:
        refused(path, tmp_path, "a huge part")
    finally:
        module.MAX_PART_BYTES = limit


@pytest.mark.parametrize("doctype", [
    '<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>',
    '<!DOCTYPE l [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
    '<!DOCTYPE l SYSTEM "http://example.invalid/evil.dtd">',
], ids=["entity expansion", "external entity", "external DTD"])
def test_entities_and_dtds(doctype: str, tmp_path: Path) -> None:
    xml = (f'<?xml version="1.0"?>{doctype}<w:document xmlns:w="http://schemas.openxmlformats.'
           'org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&amp;</w:t></w:r></w:p>'
           "</w:body></w:document>").encode()
    path = word_file(tmp_path / "dtd.docx", "", raw_document=xml)
    refused(path, tmp_path, "DTD")


def test_macros(tmp_path: Path) -> None:
    path = word_file(tmp_path / "m.docm", p("x"), parts={"word/vbaProject.bin": b"\0" * 100})
    refused(path, tmp_path, "macros")


def test_encrypted_or_old_binary(tmp_path: Path) -> None:
    path = tmp_path / "secret.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    refused(path, tmp_path, "encrypted")


@pytest.mark.parametrize("data", [b"%PDF-1.7\n...", b"PK\x03\x04broken", b"GIF89a" + b"\0" * 9],
                         ids=["pdf", "damaged zip", "gif"])
def test_a_docx_that_is_something_else(data: bytes, tmp_path: Path) -> None:
    path = tmp_path / "paper.docx"
    path.write_bytes(data)
    refused(path, tmp_path, "not a Word document")


def test_an_office_file_that_is_not_word(tmp_path: Path) -> None:
    path = tmp_path / "deck.docx"
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("_rels/.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/'
                         'package/2006/relationships"/>')
    refused(path, tmp_path, "not a Word document")


def test_too_many_parts(tmp_path: Path) -> None:
    path = tmp_path / "many.docx"
    with zipfile.ZipFile(path, "w") as package:
        for n in range(5_001):
            package.writestr(f"x/{n}", b"")
    refused(path, tmp_path, "too many")


def _png_header(width: int, height: int) -> bytes:
    """A PNG that claims a huge size and holds almost nothing: a decompression bomb."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2,
                                                             0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b""))


def test_huge_and_damaged_pictures_are_left_out_with_a_warning(tmp_path: Path) -> None:
    drawing = ('<w:p><w:r><w:drawing><wp:inline><wp:docPr id="1" name="P" descr="{alt}"/>'
               '<a:graphic><a:graphicData uri="pic"><pic:pic><pic:blipFill>'
               '<a:blip r:embed="{rel}"/></pic:blipFill></pic:pic></a:graphicData></a:graphic>'
               "</wp:inline></w:drawing>"
               "</w:r></w:p>")
    body = (p("Title", extra="") + drawing.format(alt="A bomb", rel="rBomb")
            + drawing.format(alt="Broken", rel="rBad"))
    path = word_file(tmp_path / "pictures.docx", body,
                     parts={"word/media/bomb.png": _png_header(100_000, 100_000),
                            "word/media/bad.png": b"\x89PNG not really"},
                     rels=(("rBomb", REL + "image", "media/bomb.png", False),
                           ("rBad", REL + "image", "media/bad.png", False)))
    start = time.monotonic()
    warnings = import_paper(path, tmp_path / "out" / "paper.md", None, tmp_path)
    assert time.monotonic() - start < 10
    said = " ".join(w.message for w in warnings)
    assert "too large" in said and "damaged" in said
    text = (tmp_path / "out" / "paper.md").read_text(encoding="utf-8")
    assert "A bomb" in text and "Broken" in text  # the descriptions stay
    assert not list((tmp_path / "out").glob("images/*"))
