"""The outputs hold nothing but their own parts and the paper's declared web links."""

from __future__ import annotations

import re
import socket
import zipfile
from pathlib import Path

import pytest

from conftest import FIXTURES, SEED
from kzreport.build import Options, build
from kzreport.model import Span, walk
from kzreport.source import read_source

HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out")
    real_connect = socket.socket.connect

    def no_network(*args: object) -> None:
        raise AssertionError("kzreport tried to open a network connection")

    socket.socket.connect = no_network  # type: ignore[method-assign]
    try:
        outcomes = build([SEED, FIXTURES / "rich.md"], Options(
            out_dir=out, formats=("docx", "pdf", "pptx"), cwd=SEED.parents[1]))
    finally:
        socket.socket.connect = real_connect  # type: ignore[method-assign]
    assert not any(o.failed for o in outcomes), [str(p) for o in outcomes for p in o.problems]
    return out


def declared_links(source: Path) -> set[str]:
    document = read_source(source)
    links = {link.url for link in document.meta.links}
    for block in walk(document.blocks):
        for inlines in _inlines_of(block):
            links |= {i.href for i in inlines if isinstance(i, Span) and i.href}
    return links


def _inlines_of(block: object) -> list[tuple[object, ...]]:
    found = [getattr(block, "inlines", ())]
    found += [p.inlines for p in getattr(block, "points", ())]
    for row in (getattr(block, "header", None), *getattr(block, "rows", ())):
        found += list(row or ())
    return found


@pytest.mark.parametrize("suffix", [".docx", ".pptx"])
def test_office_files_have_only_their_parts_and_web_links(outputs: Path, suffix: str) -> None:
    for path in outputs.glob(f"*{suffix}"):
        source = SEED if path.stem == SEED.stem else FIXTURES / "rich.md"
        with zipfile.ZipFile(path) as package:
            names = package.namelist()
            assert not [n for n in names if re.search(
                r"vba|activeX|oleObject|embeddings|macro|customXml|thumbnail", n, re.I)], names
            external = set()
            for rels in (n for n in names if n.endswith(".rels")):
                xml = package.read(rels).decode()
                for rel in re.findall(r"<Relationship [^>]*>", xml):
                    if 'TargetMode="External"' in rel:
                        assert f'Type="{HYPERLINK}"' in rel, rel
                        external.add(re.search(r'Target="([^"]*)"', rel).group(1)  # type: ignore[union-attr]
                                     .replace("&amp;", "&"))
        assert external and external <= declared_links(source)
        assert all(re.match(r"(https?|mailto):", url) for url in external)


def test_pdf_has_no_active_content(outputs: Path) -> None:
    from pypdf import PdfReader

    for path in outputs.glob("*.pdf"):
        raw = path.read_bytes()
        for marker in (b"/JavaScript", b"/JS ", b"/Launch", b"/EmbeddedFile", b"/OpenAction",
                       b"/AA ", b"/SubmitForm", b"/ImportData", b"/RichMedia"):
            assert marker not in raw, (path.name, marker)
        source = SEED if path.stem == SEED.stem else FIXTURES / "rich.md"
        uris = set()
        for page in PdfReader(path).pages:
            for annotation in page.get("/Annots") or []:
                action = annotation.get_object().get("/A")
                if action is not None:
                    assert action.get_object()["/S"] == "/URI"
                    uris.add(str(action.get_object()["/URI"]))
        assert uris and uris <= declared_links(source)
