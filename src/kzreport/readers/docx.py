"""The Word brief read back from its raw WordprocessingML, without python-docx."""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from dataclasses import field
from pathlib import Path

from kzreport.extraction import ChartData, Extraction, PagePart, field_mark
from kzreport.layout import Layout
from kzreport.readers.charts import read_chart
from kzreport.readers.opc import core_properties, hyperlinks, parse, relationships, target
from kzreport.records import record
from kzreport.scripts import has_rtl

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
#: The parts beside the body whose text a reader sees (running heads, page footers, notes).
FURNITURE_PARTS = ("/header", "/footer", "/footnotes", "/endnotes")


@record(frozen=False)
class _Field:
    """A complex field being read: its instruction so far, and whether its result has begun."""

    instruction: list[str] = field(default_factory=list)
    separated: bool = False


#: Fields read as the result Word shows: a caption's number (``SEQ``), a cross-reference
#: (``REF``) and the contents (``TOC``) are the paper's content; ``shown_fields`` lists their
#: instructions to check.
SHOWN_FIELDS = ("SEQ", "REF", "TOC")


def _shown(field: _Field) -> bool:
    words = "".join(field.instruction).split()
    return bool(words) and words[0].upper() in SHOWN_FIELDS


def paragraphs(root: ET.Element, shown_fields: list[str] | None = None) -> list[str]:
    """The text of every Word paragraph under ``root`` in document order; a paragraph nested in
    another (a text box) is its own entry, Fallback copies of content are skipped, and a field
    is written as ``field_mark(its instruction)`` in place of the result Word last showed,
    but for ``SHOWN_FIELDS``, whose result is read (and instruction added to
    ``shown_fields``)."""
    out: list[str] = []

    def paragraph(element: ET.Element) -> None:
        index = len(out)
        out.append("")
        parts: list[str] = []
        fields: list[_Field] = []  # the complex fields open here, innermost last

        def char(kind: str) -> None:
            if kind == "begin":
                fields.append(_Field())
            elif fields and kind == "separate":
                fields[-1].separated = True
                if len(fields) == 1 and _shown(fields[0]):
                    if shown_fields is not None:
                        shown_fields.append(" ".join("".join(fields[0].instruction).split()))
                elif len(fields) == 1:  # a field inside another is part of its instruction
                    parts.append(field_mark("".join(fields[0].instruction)))
            elif fields and kind == "end":
                closed = fields.pop()
                if not fields and not closed.separated:
                    parts.append(field_mark("".join(closed.instruction)))

        def collect(node: ET.Element) -> None:
            for child in node:
                if child.tag == _MC_FALLBACK:
                    continue
                if child.tag == f"{_W}p":
                    paragraph(child)
                elif child.tag == f"{_W}fldChar":
                    char(child.get(f"{_W}fldCharType", ""))
                elif child.tag == f"{_W}instrText":
                    if fields:
                        fields[-1].instruction.append(child.text or "")
                elif fields and child.tag == f"{_W}t" and len(fields) == 1 \
                        and fields[0].separated and _shown(fields[0]):
                    parts.append(child.text or "")
                elif fields:  # a field's instruction or its last result: not text
                    collect(child)
                elif child.tag == f"{_W}fldSimple":
                    parts.append(field_mark(child.get(f"{_W}instr", "")))
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


def _on(element: ET.Element | None) -> bool:
    """Whether a Word on/off property is set: present, and not ``w:val="false"``."""
    return element is not None and element.get(f"{_W}val", "true") not in ("0", "false", "off")


def directions(root: ET.Element) -> tuple[list[tuple[str, bool]], list[str]]:
    """Each paragraph under ``root`` with whether it is right-to-left (``w:bidi``), and the
    text of each run holding right-to-left letters without ``w:rtl``."""
    marked: list[tuple[str, bool]] = []
    unmarked: list[str] = []
    for paragraph in root.iter(f"{_W}p"):
        text = "".join(t.text or "" for t in paragraph.iter(f"{_W}t"))
        marked.append((text, _on(paragraph.find(f"{_W}pPr/{_W}bidi"))))
        for run in paragraph.iter(f"{_W}r"):
            run_text = "".join(t.text or "" for t in run.iter(f"{_W}t"))
            if has_rtl(run_text) and not _on(run.find(f"{_W}rPr/{_W}rtl")):
                unmarked.append(run_text)
    return marked, unmarked


def page_parts(package: zipfile.ZipFile, main: str, document: ET.Element) -> list[PagePart]:
    """The header and footer each page of every section shows: its first page's (``first``
    with a title page, else ``default``), its later pages' (``default``) and, when the
    settings tell even pages apart, theirs (``even``). A section that names none of a type
    shows the previous section's; the first section then shows none."""
    settings = target(package, main, "/settings")
    even = settings is not None and _on(parse(package, settings).find(f"{_W}evenAndOddHeaders"))
    targets = {rel.id: rel.target for rel in relationships(package, main)}
    body = document.find(f"{_W}body")
    # A section ends with the properties of its last paragraph, the last with the body's own.
    sections = [*(body.iterfind(f"{_W}p/{_W}pPr/{_W}sectPr") if body is not None else ()),
                *(body.iterfind(f"{_W}sectPr") if body is not None else ())]
    shown: dict[tuple[str, str], str | None] = {}
    out: list[PagePart] = []
    for number, section in enumerate(sections, 1):
        for kind in ("header", "footer"):
            for reference in section.iterfind(f"{_W}{kind}Reference"):
                shown[kind, reference.get(f"{_W}type", "default")] = targets.get(
                    reference.get(f"{_R}id", ""))
            # Which type of part each kind of page shows.
            types = {"first": "first" if _on(section.find(f"{_W}titlePg")) else "default",
                     "default": "default", **({"even": "even"} if even else {})}
            for pages, page_type in types.items():
                part = shown.get((kind, page_type))
                text = tuple(paragraphs(parse(package, part))) if part else ()
                out.append(PagePart(kind, number, pages, part, text))
    return out


def read_docx(path: Path, layout: Layout) -> Extraction:
    """The text, links and properties of a Word file, from its raw WordprocessingML, with the
    headers and footers its pages show."""
    with zipfile.ZipFile(path) as package:
        main = target(package, "", "/officeDocument")
        if main is None:
            raise ValueError("no main document part")
        document = parse(package, main)
        shown: list[str] = []
        body = paragraphs(document, shown)
        furniture = [text for rel in relationships(package, main)
                     if rel.type.endswith(FURNITURE_PARTS)
                     for text in paragraphs(parse(package, rel.target))]
        parts = page_parts(package, main, document)
        title, author = core_properties(package)
        links = hyperlinks(package)
        notes = footnotes(package, main)
        marked, unmarked = directions(document)
        charts = body_charts(package, main, document)
        holder = ET.Element("landscape")  # a section's elements, to read as one
        root = document.find(f"{_W}body")
        holder.extend(e for section in (landscape_sections(root) if root is not None else [])
                      for e in section)
    flow = "\n".join(body)
    return Extraction("\n".join([flow, *furniture]), title, author, links, flow=flow,
                      page_parts=tuple(parts), notes=notes, directions=tuple(marked),
                      unmarked_runs=tuple(unmarked), charts=charts, fields=tuple(shown),
                      landscape="\n".join(paragraphs(holder)))


def landscape_sections(body: ET.Element) -> list[list[ET.Element]]:
    """The body's elements in each section of landscape pages, when its first pages are
    portrait (a brief's wide tables): a section's page size is in the properties that end it,
    its last paragraph's or the body's own."""
    sections: list[tuple[list[ET.Element], bool]] = []
    elements: list[ET.Element] = []
    for child in body:
        elements.append(child)
        ending = child if child.tag == f"{_W}sectPr" else child.find(f"{_W}pPr/{_W}sectPr")
        if ending is not None:
            size = ending.find(f"{_W}pgSz")
            sections.append((elements, size is not None and (
                size.get(f"{_W}orient") == "landscape"
                or _length(size.get(f"{_W}w")) > _length(size.get(f"{_W}h")))))
            elements = []
    if not sections or sections[0][1]:
        return []
    return [elements for elements, landscape in sections if landscape]


def _length(value: str | None) -> float:
    """A page size attribute's length (0 when it is none: a file may hold anything)."""
    try:
        return float(value or 0)
    except ValueError:
        return 0.0


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


def body_charts(package: zipfile.ZipFile, main: str,
                document: ET.Element) -> tuple[ChartData, ...]:
    """The data of every chart the body shows, in document order (a chart whose part is
    missing or holds no plot kzreport writes reads as an empty chart of kind "unknown")."""
    targets = {rel.id: rel.target for rel in relationships(package, main)}
    out = []
    for chart in document.iter(f"{_C}chart"):
        part = targets.get(chart.get(f"{_R}id", ""))
        data = read_chart(parse(package, part)) if part in package.namelist() else None
        out.append(data or ChartData("unknown", (), ()))
    return tuple(out)
