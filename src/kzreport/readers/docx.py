"""The Word brief read back from its raw WordprocessingML, without python-docx."""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

from kzreport.extraction import Extraction
from kzreport.layout import Layout
from kzreport.readers.opc import core_properties, hyperlinks, parse, relationships, target

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
#: The parts beside the body whose text a reader sees (running heads, page footers, notes).
FURNITURE_PARTS = ("/header", "/footer", "/footnotes", "/endnotes")


def paragraphs(root: ET.Element) -> list[str]:
    """The text of every Word paragraph under ``root`` in document order; a paragraph nested in
    another (a text box) is its own entry, and Fallback copies of content are skipped."""
    out: list[str] = []

    def paragraph(element: ET.Element) -> None:
        index = len(out)
        out.append("")
        parts: list[str] = []

        def collect(node: ET.Element) -> None:
            for child in node:
                if child.tag == _MC_FALLBACK:
                    continue
                if child.tag == f"{_W}p":
                    paragraph(child)
                elif child.tag == f"{_W}t":
                    parts.append(child.text or "")
                elif child.tag in (f"{_W}br", f"{_W}cr"):
                    parts.append("\n")
                elif child.tag == f"{_W}tab":
                    parts.append("\t")
                elif child.tag == f"{_W}noBreakHyphen":
                    parts.append("-")
                else:
                    collect(child)

        collect(element)
        out[index] = "".join(parts)

    def visit(node: ET.Element) -> None:
        for child in node:
            if child.tag == f"{_W}p":
                paragraph(child)
            elif child.tag != _MC_FALLBACK:
                visit(child)

    visit(root)
    return out


def read_docx(path: Path, layout: Layout) -> Extraction:
    """The text, links and properties of a Word file, from its raw WordprocessingML."""
    with zipfile.ZipFile(path) as package:
        main = target(package, "", "/officeDocument")
        if main is None:
            raise ValueError("no main document part")
        body = paragraphs(parse(package, main))
        furniture = [text for rel in relationships(package, main)
                     if rel.type.endswith(FURNITURE_PARTS)
                     for text in paragraphs(parse(package, rel.target))]
        title, author = core_properties(package)
        links = hyperlinks(package)
        notes = footnotes(package, main)
    flow = "\n".join(body)
    return Extraction("\n".join([flow, *furniture]), title, author, links, flow=flow,
                      notes=notes)


def footnotes(package: zipfile.ZipFile, main: str) -> tuple[str, ...]:
    """The text of the footnote each ``w:footnoteReference`` of the body refers to, in the
    order of the references (a reference to a missing note reads as empty)."""
    order = [ref.get(f"{_W}id", "") for ref in parse(package, main).iter(f"{_W}footnoteReference")]
    part = target(package, main, "/footnotes")
    texts: dict[str, str] = {}
    if part is not None:
        for note in parse(package, part).iter(f"{_W}footnote"):
            texts[note.get(f"{_W}id", "")] = "\n".join(paragraphs(note))
    return tuple(texts.get(note_id, "") for note_id in order)
