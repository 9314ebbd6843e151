"""A Word document's raw WordprocessingML read into what an import finds, with its notes."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import field
from xml.etree import ElementTree as ET

from kzreport.anchors import note_label
from kzreport.importing.found import Break, Found, Image, Kept, Note, PageBreak, Run, plain_found
from kzreport.importing.package import Package, PackageProblem, Rel
from kzreport.importing.wordml import Numbering, RunLook, Styles, W, on
from kzreport.readers.docx import landscape_sections
from kzreport.records import record

_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
_WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
_M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
_V = "{urn:schemas-microsoft-com:vml}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_DCTERMS = "{http://purl.org/dc/terms/}"
_CP = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"
_EP = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"
#: Tables in tables in tables ... deeper than this are read as plain text: no document needs
#: it, and a hostile one would exhaust the stack.
MAX_DEPTH = 32
_MERGED = "merged cells split: the text stays in the first cell — the source has no merged cells"
#: Fields whose result is the document's own furniture, taken as their text without a word.
_QUIET_FIELDS = {"SEQ", "PAGE", "NUMPAGES", "SECTIONPAGES", "STYLEREF", "REF", "NOTEREF",
                 "PAGEREF", "HYPERLINK", "MERGEFORMAT"}


@record(frozen=False)
class Para:
    """One paragraph as found: ``number`` counts every paragraph in reading order."""

    number: int
    kind: str
    level: int
    content: list[Found | Image]
    numbering: tuple[str, int] | None = None
    indent: int = 0
    align: str | None = None
    fill: str | None = None
    rule: bool = False
    notes: list[str] = field(default_factory=list)
    #: The names of the bookmarks that start in the paragraph (links inside go to them).
    bookmarks: list[str] = field(default_factory=list)
    #: Word keeps the paragraph on the page of the next (a brief's definition term).
    keep_next: bool = False
    #: Its paragraph mark is set in a monospaced font (as Word sets a selected code line).
    mono: bool = False

    @property
    def text(self) -> str:
        return plain_found([c for c in self.content if not isinstance(c, Image)])


@record(frozen=False)
class Grid:
    """A table as found: rows of cells, each cell's content as one line of text."""

    number: int
    rows: list[list[list[Found]]]
    header: bool
    alignments: list[str | None]
    notes: list[str] = field(default_factory=list)
    #: The chart kind (bar, column, line, pie) when the table is a chart's data.
    chart: str | None = None
    #: On a landscape page among portrait ones (a kzreport brief's ``{.landscape}`` table).
    landscape: bool = False


@record(frozen=False)
class WordDocument:
    """Everything an import reads from a Word file."""

    blocks: list[Para | Grid]
    properties: dict[str, str]
    headers: list[str]
    footers: list[tuple[str, bool]]
    numbering: Numbering
    styles: Styles
    images: dict[str, bytes]


def read_word(package: Package, mono: frozenset[str] = frozenset()) -> WordDocument:
    """The content of the Word document in ``package``; runs in a font of ``mono`` (or any
    font known to be monospaced) are code."""
    if (macros := package.macros()) is not None:
        raise PackageProblem(f"the document contains macros or controls ({macros})",
                             "save it in Word as a Word Document (.docx) without macros")
    main = package.target("", "/officeDocument")
    if main is None or main not in package.names:
        raise PackageProblem("the file is an Office package but not a Word document",
                             "import a .docx saved by Word, LibreOffice or Pandoc")
    root = package.xml(main)
    body = root.find(f"{W}body") if root is not None else None
    if body is None:
        raise PackageProblem("the document has no body", "save it again from Word as .docx")
    rels = {r.id: r for r in package.relationships(main)}
    styles = Styles.read(_related_xml(package, main, "/styles"))
    reader = _Reader(package, main, rels, styles)
    reader.mono = mono
    reader.notes = {kind: reader.note_texts(kind) for kind in ("footnotes", "endnotes")}
    reader.comments = reader.comment_texts()
    reader.turned = {e for section in landscape_sections(body) for e in section
                     if e.tag == f"{W}tbl"}
    blocks = reader.blocks(body, 0)
    headers: list[str] = []
    footers: list[tuple[str, bool]] = []
    for rel in rels.values():
        if rel.external or not rel.type.endswith(("/header", "/footer")):
            continue
        part = package.xml(rel.target)
        if part is None:
            continue
        for p in part.iter(f"{W}p"):
            text = " ".join("".join(t.text or "" for t in p.iter(f"{W}t")).split())
            instructions = [i.text or "" for i in p.iter(f"{W}instrText")] + [
                f.get(f"{W}instr", "") for f in p.iter(f"{W}fldSimple")]
            fields = any(i.split()[:1] == ["PAGE"] for i in instructions)
            if rel.type.endswith("/header"):
                headers.append(text)
            else:
                footers.append((text, fields))
    return WordDocument(blocks, _properties(package), headers, footers,
                        Numbering.read(_related_xml(package, main, "/numbering")), styles,
                        reader.images)


def _related_xml(package: Package, part: str, kind: str) -> ET.Element | None:
    name = package.target(part, kind)
    return package.xml(name) if name else None


def _properties(package: Package) -> dict[str, str]:
    """Core properties (title, creator, keywords, ...) and the company, as text."""
    out: dict[str, str] = {}
    core = _related_xml(package, "", "/metadata/core-properties")
    if core is not None:
        for key, tag in (("title", f"{_DC}title"), ("creator", f"{_DC}creator"),
                         ("subject", f"{_DC}subject"), ("description", f"{_DC}description"),
                         ("language", f"{_DC}language"), ("keywords", f"{_CP}keywords"),
                         ("category", f"{_CP}category"), ("created", f"{_DCTERMS}created")):
            element = core.find(tag)
            if element is not None and (text := "".join(element.itertext()).strip()):
                out[key] = text
    app = _related_xml(package, "", "/extended-properties")
    if app is not None and (company := app.find(f"{_EP}Company")) is not None:
        out["company"] = "".join(company.itertext()).strip()
    if app is not None and (application := app.find(f"{_EP}Application")) is not None:
        out["application"] = "".join(application.itertext()).strip()
    return out


def created_date(properties: dict[str, str]) -> dt.date | None:
    """The date the document says it was created, if it says."""
    match = re.match(r"(\d{4})-(\d\d)-(\d\d)", properties.get("created", ""))
    try:
        return dt.date(*map(int, match.groups())) if match else None
    except ValueError:
        return None


class _Reader:
    """Walks the body, keeping the state that crosses paragraphs (fields, the counter)."""

    def __init__(self, package: Package, main: str, rels: dict[str, Rel],
                 styles: Styles) -> None:
        self.package = package
        self.main = main
        self.rels = rels
        self.styles = styles
        self.count = 0
        self.notes: dict[str, dict[str, tuple[tuple[Found, ...], ...]]] = {}
        self.comments: dict[str, str] = {}
        self.images: dict[str, bytes] = {}
        #: Fields open at this point: (instruction, whether its result is being read).
        self.fields: list[list[str | bool]] = []
        self.mono: frozenset[str] = frozenset()
        self.toc_warned = False
        #: The label a brief's bookmark gave the next footnote reference (``anchors``).
        self.note_label: str | None = None
        #: The tables on landscape pages among portrait ones.
        self.turned: set[ET.Element] = set()

    # ------------------------------------------------------------ parts beside the body

    def note_texts(self, kind: str) -> dict[str, tuple[tuple[Found, ...], ...]]:
        name = self.package.target(self.main, "/" + kind)
        root = self.package.xml(name) if name else None
        out: dict[str, tuple[tuple[Found, ...], ...]] = {}
        if root is None or name is None:
            return out
        # The notes' hyperlinks are related from their own part.
        body_rels, self.rels = self.rels, {r.id: r for r in self.package.relationships(name)}
        try:
            return self._note_texts(root)
        finally:
            self.rels = body_rels

    def _note_texts(self, root: ET.Element) -> dict[str, tuple[tuple[Found, ...], ...]]:
        out: dict[str, tuple[tuple[Found, ...], ...]] = {}
        for note in root:
            if note.get(f"{W}type") in ("separator", "continuationSeparator",
                                        "continuationNotice"):
                continue
            paragraphs = []
            for p in note.iter(f"{W}p"):
                runs: list[Found | Image] = []
                self.inline(p, runs, [], Para(0, "body", 0, []), 0)
                paragraphs.append(tuple(r for r in runs if not isinstance(r, Note | Image)))
            out[note.get(f"{W}id", "")] = tuple(paragraphs)
        return out

    def comment_texts(self) -> dict[str, str]:
        root = _related_xml(self.package, self.main, "/comments")
        if root is None:
            return {}
        return {c.get(f"{W}id", ""): " ".join("".join(t.text or "" for t in c.iter(f"{W}t")
                                                       ).split()) for c in root}

    # ------------------------------------------------------------ blocks

    def blocks(self, container: ET.Element, depth: int) -> list[Para | Grid]:
        out: list[Para | Grid] = []
        for child in container:
            tag = child.tag
            if tag == f"{W}p":
                out.extend(self.paragraph(child, depth))
            elif tag == f"{W}tbl":
                out.append(self.table(child, depth))
            elif tag in (f"{W}sdt", f"{W}customXml", f"{W}sdtContent", f"{W}ins",
                         f"{W}moveTo", f"{_MC}AlternateContent", f"{_MC}Choice") \
                    and depth < MAX_DEPTH:
                if tag == f"{_MC}AlternateContent":
                    child = next(iter(child.findall(f"{_MC}Choice")), child)
                out.extend(self.blocks(child, depth + 1))
        return out

    def paragraph(self, p: ET.Element, depth: int) -> list[Para | Grid]:
        self.count += 1
        ppr = p.find(f"{W}pPr")
        style = ppr.find(f"{W}pStyle") if ppr is not None else None
        style_id = style.get(f"{W}val") if style is not None else None
        kind, level = self.styles.kind(style_id)
        own_level = ppr.find(f"{W}outlineLvl") if ppr is not None else None
        if own_level is not None and (value := own_level.get(f"{W}val", "")).isdigit():
            kind, level = ("heading", int(value) + 1) if int(value) < 9 else (kind, level)
        para = Para(self.count, kind, level, [])
        numbering = self.styles.list_numbering(style_id)
        if ppr is not None:
            num = ppr.find(f"{W}numPr")
            if num is not None:
                num_id = num.find(f"{W}numId")
                ilvl = num.find(f"{W}ilvl")
                numbering = (num_id.get(f"{W}val", "0") if num_id is not None else
                             (numbering or ("0", 0))[0],
                             int(ilvl.get(f"{W}val", "0")) if ilvl is not None
                             and ilvl.get(f"{W}val", "").isdigit() else 0)
            ind = ppr.find(f"{W}ind")
            if ind is not None:
                value = ind.get(f"{W}left") or ind.get(f"{W}start") or "0"
                para.indent = int(value) if value.lstrip("-").isdigit() else 0
            jc = ppr.find(f"{W}jc")
            if jc is not None:
                para.align = {"left": "left", "start": "left", "center": "center",
                              "right": "right", "end": "right"}.get(jc.get(f"{W}val", ""))
            shd = ppr.find(f"{W}shd")
            if shd is not None and shd.get(f"{W}fill", "auto") not in ("auto", ""):
                para.fill = shd.get(f"{W}fill", "").upper()
            para.rule = ppr.find(f"{W}pBdr/{W}bottom") is not None
            frame = ppr.find(f"{W}framePr")
            if frame is not None and frame.get(f"{W}dropCap", "none") != "none":
                para.kind = "dropcap"
            if on(ppr.find(f"{W}pageBreakBefore")):
                para.content.append(PageBreak())
            para.keep_next = on(ppr.find(f"{W}keepNext")) is True
            mark = ppr.find(f"{W}rPr")
            para.mono = mark is not None and self.styles.look(mark, self.mono).code
        para.bookmarks = [name for b in p.iter(f"{W}bookmarkStart")
                          if (name := b.get(f"{W}name"))]
        if numbering is not None and numbering[0] != "0":
            para.numbering = numbering
        extra: list[Para | Grid] = []
        self.inline(p, para.content, extra, para, depth)
        if self.fields and any(f[0] == "TOC" for f in self.fields):
            # A table of contents is generated: the outputs have their own navigation.
            if not self.toc_warned:
                para.notes.append("table of contents left out — the outputs make their own "
                                  "navigation from the headings")
                self.toc_warned = True
            para.content = [c for c in para.content if isinstance(c, Image)]
            para.kind = "toc"
        return [para, *extra]

    def table(self, tbl: ET.Element, depth: int) -> Grid:
        self.count += 1
        grid = Grid(self.count, [], False, [], landscape=tbl in self.turned)
        for n, tr in enumerate(tbl.findall(f"{W}tr")):
            if n == 0:
                grid.header = on(tr.find(f"{W}trPr/{W}tblHeader")) is True
            row: list[list[Found]] = []
            for tc in tr.findall(f"{W}tc"):
                cell: list[Found] = []
                merge = tc.find(f"{W}tcPr/{W}vMerge")
                span = tc.find(f"{W}tcPr/{W}gridSpan")
                if merge is not None and merge.get(f"{W}val", "continue") == "continue":
                    grid.notes.append(_MERGED)
                else:
                    self.cell(tc, cell, grid, depth)
                if n == 0:
                    jc = tc.find(f"{W}p/{W}pPr/{W}jc")
                    grid.alignments.append(None if jc is None else {
                        "left": "left", "start": "left", "center": "center", "right": "right",
                        "end": "right"}.get(jc.get(f"{W}val", "")))
                row.append(cell)
                width = int(span.get(f"{W}val", "1")) if span is not None and span.get(
                    f"{W}val", "").isdigit() else 1
                if width > 1:
                    grid.notes.append(_MERGED)
                    for _ in range(min(width, 64) - 1):
                        row.append([])
                        if n == 0:
                            grid.alignments.append(None)
            grid.rows.append(row)
        return grid

    def cell(self, tc: ET.Element, cell: list[Found], grid: Grid, depth: int) -> None:
        """The text of table cell ``tc`` as one line: a table cell of the source holds one."""
        blocks = self.blocks(tc, depth + 1) if depth < MAX_DEPTH else []
        paragraphs = 0
        for block in blocks:
            if isinstance(block, Grid):
                grid.notes.append("a table inside a table cell kept as the cell's text — "
                                  "a cell of the source holds one line of text")
                grid.notes.extend(block.notes)
                for row in block.rows:
                    for inner in row:
                        cell.extend([Run(" "), *inner])
                continue
            grid.notes.extend(block.notes)
            if block.numbering is not None or block.kind not in ("body", "caption", "quote"):
                grid.notes.append("a list or heading inside a table cell kept as the "
                                  "cell's text — a cell of the source holds one line of text")
            if paragraphs and block.text:
                cell.append(Run(" "))
            for item in block.content:
                if isinstance(item, Image):
                    grid.notes.append("a picture inside a table cell left out (its "
                                      "description is kept) — put it below the table")
                    cell.append(Run(item.alt))
                elif isinstance(item, Break):
                    cell.append(Run(" "))
                else:
                    cell.append(item)
            paragraphs += 1 if block.text else 0
        if paragraphs > 1:
            grid.notes.append("paragraphs inside a table cell joined into one line — a "
                              "cell of the source holds one line of text")

    # ------------------------------------------------------------ text

    def inline(self, node: ET.Element, out: list[Found | Image], extra: list[Para | Grid],
               para: Para, depth: int, href: str | None = None,
               anchor: str | None = None) -> None:
        """Append what ``node``'s children hold to ``out``; text boxes go to ``extra``."""
        for child in node:
            tag = child.tag
            if tag == f"{W}r":
                self.run(child, out, extra, para, depth, href, anchor)
            elif tag == f"{W}hyperlink":
                rel = self.rels.get(child.get(f"{_R}id", ""))
                target = rel.target if rel is not None and rel.external else None
                self.inline(child, out, extra, para, depth, target or href,
                            child.get(f"{W}anchor") if target is None else None)
            elif tag in (f"{W}ins", f"{W}moveTo"):
                _note(para, "tracked changes accepted: insertions kept, deletions "
                      "dropped — check the text against the tracked version")
                self.inline(child, out, extra, para, depth, href, anchor)
            elif tag in (f"{W}del", f"{W}moveFrom"):
                _note(para, "tracked changes accepted: insertions kept, deletions "
                      "dropped — check the text against the tracked version")
            elif tag == f"{W}fldSimple":
                instr = child.get(f"{W}instr", "")
                name, link = _field(instr)
                if name == "TOC":
                    _note(para, "table of contents left out — the outputs make their own "
                          "navigation from the headings")
                    continue
                if name not in _QUIET_FIELDS:
                    _note(para, f"field {name or '?'} kept as its current text — the "
                          "source has no fields")
                self.inline(child, out, extra, para, depth, link or href, anchor)
            elif tag in (f"{_M}oMath", f"{_M}oMathPara"):
                text = "".join(t.text or "" for t in child.iter(f"{_M}t"))
                out.append(Kept(text, f"equation '{text[:40]}' kept as plain text — the "
                                "source has no equations"))
            elif tag in (f"{W}smartTag", f"{W}customXml", f"{W}sdt", f"{W}sdtContent",
                         f"{_MC}AlternateContent", f"{_MC}Choice") and depth < MAX_DEPTH:
                if tag == f"{_MC}AlternateContent":
                    child = next(iter(child.findall(f"{_MC}Choice")), child)
                self.inline(child, out, extra, para, depth + 1, href, anchor)
            elif tag == f"{W}bookmarkStart" and (
                    label := note_label(child.get(f"{W}name", ""))) is not None:
                self.note_label = label  # a brief's footnote label, on its reference
            elif tag == f"{W}commentRangeStart":
                text = self.comments.get(child.get(f"{W}id", ""), "")
                _note(para, f"comment '{text[:60]}' left out — comments are not part of the "
                      "paper")

    def run(self, r: ET.Element, out: list[Found | Image], extra: list[Para | Grid],
            para: Para, depth: int, href: str | None, anchor: str | None) -> None:
        look = self.styles.look(r.find(f"{W}rPr"), self.mono)
        for child in r:
            tag = child.tag
            if tag == f"{W}fldChar":
                self.field_char(child.get(f"{W}fldCharType", ""))
                continue
            if tag == f"{W}instrText":
                if self.fields and self.fields[-1][1] is False:
                    self.fields[-1][0] = str(self.fields[-1][0]) + (child.text or "")
                continue
            hidden = any(f[1] is False for f in self.fields)
            if hidden:
                continue  # a field's instruction or a result Word hides
            link = href
            for instr, reading in self.fields:
                name, target = _field(str(instr))
                if reading and target:
                    link = target
                if reading and name not in _QUIET_FIELDS and name != "TOC":
                    _note(para, f"field {name or '?'} kept as its current text — the "
                          "source has no fields")
            if tag == f"{W}t":
                out.append(_run(child.text or "", look, link, anchor))
            elif tag in (f"{W}tab", f"{W}ptab"):
                out.append(_run("\t", look, link, anchor))
            elif tag == f"{W}noBreakHyphen":
                out.append(_run("-", look, link, anchor))
            elif tag == f"{W}br":
                out.append(PageBreak() if child.get(f"{W}type") == "page" else Break())
            elif tag == f"{W}cr":
                out.append(Break())
            elif tag == f"{W}sym":
                out.append(Kept("", f"symbol (font {child.get(f'{W}font', '?')}) left out — "
                                "type the character itself"))
            elif tag in (f"{W}footnoteReference", f"{W}endnoteReference"):
                kind = "footnote" if tag == f"{W}footnoteReference" else "endnote"
                out.append(Note(kind, self.notes.get(kind + "s", {}).get(
                    child.get(f"{W}id", ""), ()), self.note_label or ""))
                self.note_label = None
            elif tag in (f"{W}drawing", f"{W}pict", f"{W}object"):
                self.drawing(child, out, extra, para, depth)
            elif tag == f"{_MC}AlternateContent" and depth < MAX_DEPTH:
                choice = next(iter(child.findall(f"{_MC}Choice")), None)
                if choice is not None:
                    fake = ET.Element(f"{W}r")
                    fake.extend(list(choice))
                    self.run(fake, out, extra, para, depth + 1, href, anchor)

    def field_char(self, kind: str) -> None:
        if kind == "begin" and len(self.fields) < MAX_DEPTH:
            self.fields.append(["", False])
        elif kind == "separate" and self.fields:
            self.fields[-1][1] = True
        elif kind == "end" and self.fields:
            self.fields.pop()

    def drawing(self, node: ET.Element, out: list[Found | Image], extra: list[Para | Grid],
                para: Para, depth: int) -> None:
        """A picture, a text box, SmartArt, a chart or an embedded object."""
        boxes = [b for b in node.iter(f"{W}txbxContent")]
        if boxes:
            _note(para, "text box kept as paragraphs after this one — the source has "
                    "no text boxes")
            for box in boxes:
                if depth < MAX_DEPTH:
                    extra.extend(self.blocks(box, depth + 1))
            return
        data = node.find(f".//{_A}graphicData")
        uri = data.get("uri", "") if data is not None else ""
        if uri.endswith("/diagram"):
            ids = data.find("{http://schemas.openxmlformats.org/drawingml/2006/diagram}relIds") \
                if data is not None else None
            rel = self.rels.get(ids.get(f"{_R}dm", "")) if ids is not None else None
            root = self.package.xml(rel.target) if rel is not None else None
            texts = [t.text or "" for t in root.iter(f"{_A}t")] if root is not None else []
            out.append(Kept(" ".join(" ".join(texts).split()),
                            "SmartArt kept as its text — the source has no diagrams"))
            return
        if uri.endswith("/chart"):
            from kzreport.importing.charts import chart_grid

            ref = data.find(f"{_C}chart") if data is not None else None
            rel = self.rels.get(ref.get(f"{_R}id", "")) if ref is not None else None
            grid = chart_grid(self.package.xml(rel.target), para.number) \
                if rel is not None and not rel.external else None
            if grid is None:
                _note(para, "chart left out — paste it as a picture to keep it")
            else:
                extra.append(grid)
            return
        if node.tag == f"{W}object":
            _note(para, "embedded object left out — paste it as a picture to keep it")
            return
        blip = node.find(f".//{_A}blip")
        image = node.find(f".//{_V}imagedata")
        rel_id = (blip.get(f"{_R}embed") or blip.get(f"{_R}link") if blip is not None
                  else image.get(f"{_R}id") if image is not None else None)
        if rel_id is None:
            if node.find(f".//{_WP}docPr") is not None or node.tag == f"{W}pict":
                _note(para, "drawing (shapes) left out — paste it as a picture to keep it")
            return
        doc_pr = node.find(f".//{_WP}docPr")
        alt = doc_pr.get("descr", "") if doc_pr is not None else ""
        title = doc_pr.get("title", "") if doc_pr is not None else ""
        if image is not None and not alt:
            shape = next(iter(node.iter(f"{_V}shape")), None)
            alt = shape.get("alt", "") if shape is not None else ""
        rel = self.rels.get(rel_id)
        if rel is None or rel.external:
            _note(para, "linked picture left out — only pictures inside the file are imported")
            return
        part = rel.target
        if part not in self.images and part in self.package.names:
            self.images[part] = self.package.read(part)
        out.append(Image(part if part in self.images else None, alt, title))


def _run(text: str, look: RunLook, href: str | None, anchor: str | None) -> Run:
    # A hyperlink's own style colours it; the link itself is not bold or italic for that.
    return Run(text, look.bold, look.italic, look.code, href, anchor, look.strike, look.vertical)


def _note(para: Para, message: str) -> None:
    if message not in para.notes:
        para.notes.append(message)


def _field(instruction: str) -> tuple[str, str | None]:
    """A field's name and, for a HYPERLINK field to a web address, the address."""
    words = instruction.split()
    name = words[0].upper() if words else ""
    if name == "HYPERLINK":
        target = re.search(r'"([^"]*)"', instruction)
        address = target.group(1) if target else (words[1] if len(words) > 1 else "")
        if "\\l" not in words:
            return name, address or None
    return name, None
