"""Read built outputs back with independent readers and check they carry what their source says."""

from __future__ import annotations

import logging
import posixpath
import unicodedata
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from kzreport.build import build_command, prepare
from kzreport.errors import KzreportError, Problem
from kzreport.labels import page_label
from kzreport.layout import FontFamily, Layout
from kzreport.model import (
    LINK_SCHEMES,
    Blocks,
    CodeBlock,
    Document,
    Heading,
    Inlines,
    KeyPoints,
    ListBlock,
    Paragraph,
    Quote,
    Span,
    Table,
    plain_text,
    walk,
)
from kzreport.renderers._common import EMU_PER_PT

#: Mismatches printed per output before the rest are summed up in one line.
MAX_PROBLEMS_PER_OUTPUT = 20
#: Characters of source text quoted in a mismatch.
EXCERPT_LENGTH = 25
#: Office truncates core properties at this length, so a longer title may be cut there.
PROPERTY_LIMIT = 255
#: DrawingML lengths are in EMU.
#: PowerPoint's text frame insets when ``a:bodyPr`` names none: 0.1" left/right, 0.05" top/bottom.
DEFAULT_INSETS_EMU = (91440, 91440, 45720, 45720)
#: PowerPoint's size for a run that states none (inherited sizes live in masters we don't read).
DEFAULT_RUN_PT = 18.0
#: Text may need this much more height than its box has: EMU and centipoint rounding.
OVERFLOW_TOLERANCE_PT = 0.01
#: Lines closer than this share of the font's own line box overlap visibly. The deck's tightest
#: setting is 0.92 (titles), and half-point rounding of run sizes takes off a little more.
OVERLAP_RATIO = 0.85
#: A detail shorter than this (a year, a number) may well be on a slide for another reason.
MIN_LEAK_LENGTH = 4

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
#: Characters that carry no text: soft hyphens and zero-width marks a writer may insert.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))
# pypdf logs what it repairs ("EOF marker not found") to stderr; verify reports a damaged
# output itself, in one line.
logging.getLogger("pypdf").addHandler(logging.NullHandler())
logging.getLogger("pypdf").propagate = False


def normalize(text: str) -> str:
    """``text`` as outputs are compared: NFKC, invisible marks and all whitespace removed, so
    line breaks, wrapping, run boundaries and words split across lines do not matter."""
    return "".join(unicodedata.normalize("NFKC", text).translate(_INVISIBLE).split())


def excerpt(text: str) -> str:
    """The start of ``text`` on one line, for quoting in a one-line message."""
    flat = " ".join(text.split())
    return flat if len(flat) <= EXCERPT_LENGTH else flat[:EXCERPT_LENGTH].rstrip() + "…"


# ---------------------------------------------------------------- what the source says


@dataclass(frozen=True)
class Chunk:
    """A piece of source text an output must carry, with a name and line to report it by."""

    label: str
    line: int
    text: str


@dataclass(frozen=True)
class Point:
    """What one key point's slide must show (headline, text) and its notes must hold."""

    number: int
    line: int
    headline: str | None
    text: str
    details: tuple[Chunk, ...]


@dataclass(frozen=True)
class Expected:
    """Everything the outputs of one source are checked against."""

    document: Document
    layout: Layout
    chunks: tuple[Chunk, ...]
    points: tuple[Point, ...]
    date: str
    #: Every link of the paper: body links and further reading.
    links: frozenset[str]
    #: The links the deck carries: it shows the key points (and their details) but not the body.
    deck_links: frozenset[str]


class _Chunker:
    """Turns blocks into chunks in reading order, numbering each kind from 1."""

    def __init__(self) -> None:
        self.chunks: list[Chunk] = []
        self.points: list[Point] = []
        self._counts: dict[str, int] = {}
        self._tables = 0

    def add(self, kind: str, line: int, text: str, label: str | None = None) -> None:
        if not normalize(text):  # nothing to look for: an empty cell or paragraph
            return
        number = self._counts[kind] = self._counts.get(kind, 0) + 1
        self.chunks.append(Chunk(label or f"{kind} {number}", line, text))

    def blocks(self, blocks: Blocks) -> None:
        for block in blocks:
            if isinstance(block, Heading):
                self.add("heading", block.line, plain_text(block.inlines))
            elif isinstance(block, Paragraph):
                self.add("paragraph", block.line, plain_text(block.inlines))
            elif isinstance(block, ListBlock):
                for item in block.items:
                    rest = item.blocks
                    if rest and isinstance(rest[0], Paragraph):
                        self.add("list item", rest[0].line, plain_text(rest[0].inlines))
                        rest = rest[1:]
                    self.blocks(rest)
            elif isinstance(block, Quote):
                self.blocks(block.blocks)
            elif isinstance(block, CodeBlock):
                self.add("code block", block.line, block.text)
            elif isinstance(block, Table):
                self._tables += 1
                for row_number, row in enumerate((block.header, *block.rows), 1):
                    for column, cell in enumerate(row, 1):
                        self.add("table cell", block.line, plain_text(cell),
                                 f"cell {column} of row {row_number} of table {self._tables}")
            elif isinstance(block, KeyPoints):
                self.add("heading", block.line, block.title)
                for number, point in enumerate(block.points, 1):
                    if point.headline:
                        self.add("key point headline", point.line, point.headline,
                                 f"the headline of key point {number}")
                    self.add("key point", point.line, plain_text(point.inlines),
                             f"key point {number}")
                    start = len(self.chunks)
                    self.blocks(point.details)
                    self.points.append(Point(number, point.line, point.headline,
                                             plain_text(point.inlines),
                                             tuple(self.chunks[start:])))
            # Figures and rules carry no source text of their own to look for.


def _block_inlines(blocks: Blocks) -> Iterator[Inlines]:
    """The inline content of ``blocks`` and of every block nested in them."""
    for block in walk(blocks):
        if isinstance(block, Heading | Paragraph):
            yield block.inlines
        elif isinstance(block, Table):
            for row in (block.header, *block.rows):
                yield from row
        elif isinstance(block, KeyPoints):
            for point in block.points:
                yield point.inlines


def _links(inlines: Iterable[Inlines]) -> set[str]:
    """The http(s) and mailto targets linked from ``inlines``."""
    return {span.href for content in inlines for span in content
            if isinstance(span, Span) and span.href and _is_link(span.href)}


def _is_link(url: str) -> bool:
    try:
        return urlsplit(url).scheme.lower() in LINK_SCHEMES
    except ValueError:  # the parser refuses these already; never crash verifying one
        return False


def expect(document: Document, layout: Layout) -> Expected:
    """What every output of ``document`` built with ``layout`` must carry."""
    chunker = _Chunker()
    chunker.blocks(document.blocks)
    further = {link.url for link in document.meta.links if _is_link(link.url)}
    points = document.key_points.points
    deck = _links(p.inlines for p in points) | _links(
        _block_inlines(tuple(d for p in points for d in p.details)))
    return Expected(document, layout, tuple(chunker.chunks), tuple(chunker.points),
                    layout.format_date(document.meta.date),
                    frozenset(_links(_block_inlines(document.blocks)) | further),
                    frozenset(deck | further))


# ---------------------------------------------------------------- what an output holds


@dataclass(frozen=True)
class Page:
    """One PDF page: all its text, and the text below the top margin (no running header)."""

    text: str
    body: str


@dataclass(frozen=True)
class Slide:
    """One slide: the text on its face, its speaker notes and its hyperlink targets."""

    face: str
    notes: str
    links: frozenset[str]


@dataclass(frozen=True)
class TextRun:
    """A run of slide text with the character properties that decide its width."""

    text: str
    size: float | None
    bold: bool
    italic: bool
    typeface: str | None


@dataclass(frozen=True)
class TextPara:
    """A slide paragraph with the spacing written for it (None: PowerPoint's default)."""

    runs: tuple[TextRun, ...]
    end_size: float | None
    exact_pitch: float | None
    pitch_percent: float | None
    space_before: float | None
    space_before_percent: float | None


@dataclass(frozen=True)
class TextFrame:
    """A text frame on a slide: its shape's size and insets, in points, and its paragraphs."""

    slide: int
    name: str
    width: float
    height: float
    insets: tuple[float, float, float, float]  # left, right, top, bottom
    paragraphs: tuple[TextPara, ...]


@dataclass
class Extraction:
    """What one output holds, read back from the file, in terms common to every format."""

    #: All text, in reading order (title, byline and running heads included).
    text: str
    title: str | None
    author: str | None
    links: frozenset[str]
    #: The body in reading order, for formats that carry the whole paper (None: they don't).
    flow: str | None = None
    #: Per page, for paged formats.
    pages: tuple[Page, ...] = ()
    #: Per slide, for decks (None: not a deck).
    slides: tuple[Slide, ...] | None = None
    frames: tuple[TextFrame, ...] = ()


Reader = Callable[[Path, Layout], Extraction]


def _parse(package: zipfile.ZipFile, name: str) -> ET.Element:
    return ET.fromstring(package.read(name))


class Rel(NamedTuple):
    """One relationship of a package part; internal targets are resolved to part names."""

    id: str
    type: str
    target: str
    external: bool


def _rels(package: zipfile.ZipFile, part: str) -> list[Rel]:
    """The relationships of ``part`` (``""`` for the package itself)."""
    folder, base = posixpath.split(part)
    name = posixpath.join(folder, "_rels", base + ".rels")
    if name not in package.namelist():
        return []
    out = []
    for rel in _parse(package, name).iter(f"{_PKG}Relationship"):
        target = rel.get("Target", "")
        external = rel.get("TargetMode") == "External"
        if not external:
            target = (target.lstrip("/") if target.startswith("/")
                      else posixpath.normpath(posixpath.join(folder, target)))
        out.append(Rel(rel.get("Id", ""), rel.get("Type", ""), target, external))
    return out


def _target(package: zipfile.ZipFile, part: str, kind: str) -> str | None:
    """The first internal target of ``part``'s relationships whose type ends with ``kind``."""
    return next((r.target for r in _rels(package, part)
                 if r.type.endswith(kind) and not r.external), None)


def _hyperlinks(package: zipfile.ZipFile, parts: Sequence[str] | None = None) -> frozenset[str]:
    """External hyperlink targets of ``parts`` (of every part of the package when None)."""
    if parts is None:
        names = [n for n in package.namelist() if n.endswith(".rels")]
        parts = [posixpath.join(posixpath.dirname(posixpath.dirname(n)),
                                posixpath.basename(n)[:-len(".rels")]) for n in names]
    return frozenset(r.target for part in parts for r in _rels(package, part)
                     if r.external and r.type.endswith("/hyperlink"))


def _core(package: zipfile.ZipFile) -> tuple[str | None, str | None]:
    """The title and author (``dc:creator``) core properties."""
    name = _target(package, "", "/metadata/core-properties")
    if name is None or name not in package.namelist():
        return None, None
    root = _parse(package, name)
    title, creator = root.find(f"{_DC}title"), root.find(f"{_DC}creator")
    return (title.text or "" if title is not None else None,
            creator.text or "" if creator is not None else None)


def _word_paragraphs(root: ET.Element) -> list[str]:
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
        main = _target(package, "", "/officeDocument")
        if main is None:
            raise ValueError("no main document part")
        body = _word_paragraphs(_parse(package, main))
        furniture = [text for rel in _rels(package, main)
                     if rel.type.endswith(("/header", "/footer", "/footnotes", "/endnotes"))
                     for text in _word_paragraphs(_parse(package, rel.target))]
        title, author = _core(package)
        links = _hyperlinks(package)
    flow = "\n".join(body)
    return Extraction("\n".join([flow, *furniture]), title, author, links, flow=flow)


def read_pdf(path: Path, layout: Layout) -> Extraction:
    """The text (per page, with positions telling the running header apart), link annotations
    and document information of a PDF, read with pypdf."""
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    pages: list[Page] = []
    links: set[str] = set()
    for page in reader.pages:
        # The running header and a top marking banner sit in the top margin; the body never
        # starts above it. (The footer cannot be told apart this way: see _flow.)
        top = float(page.mediabox.top) - layout.page.margin_top
        text: list[str] = []
        body: list[str] = []

        def visit(chunk: Any, cm: Any, tm: Any, font: Any, size: Any,
                  text: list[str] = text, body: list[str] = body, top: float = top) -> None:
            text.append(chunk)
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            if y <= top:
                body.append(chunk)

        page.extract_text(visitor_text=visit)
        pages.append(Page("".join(text), "".join(body)))
        annotations = page.get("/Annots")
        for reference in annotations.get_object() if annotations is not None else []:
            annotation = reference.get_object()
            action = annotation.get("/A")
            action = action.get_object() if action is not None else None
            # Internal links (/GoTo, e.g. a table of contents) are not hyperlinks of the paper.
            if (annotation.get("/Subtype") == "/Link" and action is not None
                    and action.get("/S") == "/URI" and action.get("/URI") is not None):
                links.add(str(action["/URI"]))
    info = reader.metadata
    title = str(info["/Title"]) if info is not None and "/Title" in info else None
    author = str(info["/Author"]) if info is not None and "/Author" in info else None
    return Extraction("\n".join(p.text for p in pages), title, author, frozenset(links),
                      pages=tuple(pages))


def _drawing_paragraphs(node: ET.Element) -> list[str]:
    """The text of every DrawingML paragraph under ``node``."""
    out = []
    for paragraph in node.iter(f"{_A}p"):
        parts = []
        for child in paragraph:
            if child.tag in (f"{_A}r", f"{_A}fld"):
                parts.append("".join(t.text or "" for t in child.iter(f"{_A}t")))
            elif child.tag == f"{_A}br":
                parts.append("\n")
        out.append("".join(parts))
    return out


def _points(value: str | None, per_point: float) -> float | None:
    return int(value) / per_point if value is not None and value.lstrip("-").isdigit() else None


def _run(node: ET.Element, text: str) -> TextRun:
    props = node.find(f"{_A}rPr")
    if props is None:
        return TextRun(text, None, False, False, None)
    latin = props.find(f"{_A}latin")
    return TextRun(text, _points(props.get("sz"), 100), props.get("b") in ("1", "true"),
                   props.get("i") in ("1", "true"),
                   latin.get("typeface") if latin is not None else None)


def _spacing(props: ET.Element | None, tag: str) -> tuple[float | None, float | None]:
    """A paragraph's ``a:lnSpc`` or ``a:spcBef``: (points, share of 1) — one is None."""
    node = props.find(f"{_A}{tag}") if props is not None else None
    if node is None:
        return None, None
    exact, percent = node.find(f"{_A}spcPts"), node.find(f"{_A}spcPct")
    return (_points(exact.get("val") if exact is not None else None, 100),
            _points(percent.get("val") if percent is not None else None, 100000))


def _frame(shape: ET.Element, slide: int) -> TextFrame | None:
    """``shape``'s text frame with its geometry, or None without text or an explicit size."""
    body = shape.find(f"{_P}txBody")
    size = shape.find(f"{_P}spPr/{_A}xfrm/{_A}ext")
    if body is None or size is None:
        return None  # a placeholder placed by its layout: nothing we can measure against
    paragraphs = []
    for paragraph in body.iter(f"{_A}p"):
        runs = []
        for child in paragraph:
            if child.tag in (f"{_A}r", f"{_A}fld"):
                runs.append(_run(child, "".join(t.text or "" for t in child.iter(f"{_A}t"))))
            elif child.tag == f"{_A}br":
                runs.append(_run(child, "\n"))
        props = paragraph.find(f"{_A}pPr")
        end = paragraph.find(f"{_A}endParaRPr")
        pitch, pitch_percent = _spacing(props, "lnSpc")
        before, before_percent = _spacing(props, "spcBef")
        paragraphs.append(TextPara(tuple(runs), _points(end.get("sz"), 100)
                                   if end is not None else None,
                                   pitch, pitch_percent, before, before_percent))
    if not any(run.text.strip() for p in paragraphs for run in p.runs):
        return None
    body_pr = body.find(f"{_A}bodyPr")

    def inset(attribute: str, default: int) -> float:
        value = _points(body_pr.get(attribute) if body_pr is not None else None, EMU_PER_PT)
        return default / EMU_PER_PT if value is None else value

    left, right, top, bottom = (inset(a, d) for a, d in zip(("lIns", "rIns", "tIns", "bIns"),
                                                            DEFAULT_INSETS_EMU, strict=True))
    name = shape.find(f"{_P}nvSpPr/{_P}cNvPr")
    return TextFrame(slide, name.get("name", "") if name is not None else "",
                     int(size.get("cx", "0")) / EMU_PER_PT, int(size.get("cy", "0")) / EMU_PER_PT,
                     (left, right, top, bottom), tuple(paragraphs))


def read_pptx(path: Path, layout: Layout) -> Extraction:
    """The slides (face text, notes, links), text frames, links and properties of a deck, from
    its raw PresentationML."""
    with zipfile.ZipFile(path) as package:
        main = _target(package, "", "/officeDocument")
        if main is None:
            raise ValueError("no presentation part")
        ids = {rel.id: rel.target for rel in _rels(package, main)}
        order = _parse(package, main).find(f"{_P}sldIdLst")
        slides: list[Slide] = []
        frames: list[TextFrame] = []
        for number, slide_id in enumerate(order if order is not None else [], 1):
            part = ids[slide_id.get(f"{_R}id", "")]
            root = _parse(package, part)
            notes = ""
            notes_part = _target(package, part, "/notesSlide")
            if notes_part is not None:
                # Only the notes placeholder: the others hold the slide image and its number.
                notes = "\n".join(
                    text for shape in _parse(package, notes_part).iter(f"{_P}sp")
                    if any(ph.get("type") == "body" for ph in shape.iter(f"{_P}ph"))
                    for text in _drawing_paragraphs(shape))
            slides.append(Slide("\n".join(_drawing_paragraphs(root)), notes,
                                _hyperlinks(package, [part])))
            frames.extend(f for f in (_frame(s, number) for s in root.iter(f"{_P}sp"))
                          if f is not None)
        title, author = _core(package)
        links = _hyperlinks(package)
    return Extraction("\n".join(s.face for s in slides), title, author, links,
                      slides=tuple(slides), frames=tuple(frames))


#: A reader per format name; a format without one cannot be verified (and says so).
READERS: dict[str, Reader] = {"docx": read_docx, "pdf": read_pdf, "pptx": read_pptx}


# ---------------------------------------------------------------- comparing


def find_in_order(haystack: str, chunks: Sequence[Chunk]) -> Iterator[Chunk]:
    """The chunks not found in ``haystack`` in order: each is searched for (normalized) from
    where the previous one was found, and a missing one does not move that point on."""
    position = 0
    for chunk in chunks:
        found = haystack.find(normalize(chunk.text), position)
        if found < 0:
            yield chunk
        else:
            position = found + len(normalize(chunk.text))


def _quote(chunk: Chunk) -> str:
    """How a message names ``chunk``: what it is and its line in the source."""
    return f'{chunk.label} (line {chunk.line}) of the source'


def _strip_once(text: str, piece: str) -> str:
    """``text`` without the last occurrence of ``piece``."""
    at = text.rfind(piece) if piece else -1
    return text if at < 0 else text[:at] + text[at + len(piece):]


def _flow(expected: Expected, got: Extraction) -> str | None:
    """The output's body in reading order, normalized; for paged outputs the page footer
    (disclaimer, page number, bottom marking banner) is taken out of each page, since a
    paragraph running over a page break has it in the middle."""
    if got.flow is not None:
        return normalize(got.flow)
    if not got.pages:
        return None

    meta = expected.document.meta
    bodies = []
    for number, page in enumerate(got.pages, 1):
        body = normalize(page.body)
        for furniture in (meta.disclaimer or "", page_label(expected.layout, number,
                                                            len(got.pages)), meta.marking or ""):
            body = _strip_once(body, normalize(furniture))
        bodies.append(body)
    return "".join(bodies)


def _property(what: str, value: str | None, expected: str) -> Iterator[str]:
    """Whether document property ``what`` reads ``expected`` (whitespace aside; cut at
    ``PROPERTY_LIMIT`` characters when longer)."""
    if value is None:
        yield f"the {what} property is missing"
    elif not (normalize(value) == normalize(expected) or (
            len(value) >= PROPERTY_LIMIT and normalize(expected).startswith(normalize(value)))):
        yield f'the {what} property is "{excerpt(value)}", not "{excerpt(expected)}"'


def _metadata(expected: Expected, got: Extraction) -> Iterator[str]:
    """The title and author document properties: the title, and every author's name in
    order (the separator between names is the writer's choice)."""
    meta = expected.document.meta
    yield from _property("title", got.title, meta.title)
    if got.author is None:
        yield "the author property is missing"
        return
    authors = meta.authors
    if len(got.author) >= PROPERTY_LIMIT:  # Office cuts long properties: later names may be cut
        authors = authors[:1]
    names = [Chunk(f'author "{excerpt(a.name)}"', 0, a.name) for a in authors]
    for chunk in find_in_order(normalize(got.author), names):
        yield f'the author property "{excerpt(got.author)}" lacks {chunk.label}'


def _front(expected: Expected, text: str, where: str) -> Iterator[str]:
    """The title block in ``text``: title, subtitle, authors and their affiliations, the date
    (as the layout writes it) and the organization."""
    meta = expected.document.meta
    yield from _missing(text, where, [
        (f'the title "{excerpt(meta.title)}"', meta.title),
        (f'the subtitle "{excerpt(meta.subtitle or "")}"', meta.subtitle),
        *((f'author "{excerpt(a.name)}"', a.name) for a in meta.authors),
        *((f'the affiliation "{excerpt(a.affiliation or "")}"', a.affiliation)
          for a in meta.authors),
        (f'the date "{expected.date}"', expected.date),
        (f'the organization "{excerpt(meta.organization or "")}"', meta.organization)])


def _furniture(expected: Expected, text: str, where: str) -> Iterator[str]:
    """The marking, the disclaimer and the further-reading labels in ``text``."""
    meta = expected.document.meta
    yield from _missing(text, where, [
        (f'the marking "{meta.marking}"', meta.marking),
        (f'the disclaimer "{excerpt(meta.disclaimer or "")}"', meta.disclaimer),
        *((f'the link label "{excerpt(link.label)}"', link.label) for link in meta.links)])


def _missing(text: str, where: str, wanted: list[tuple[str, str | None]]) -> Iterator[str]:
    # Regardless of case: a layout may print the organization or a marking in capitals.
    found = normalize(text).casefold()
    for what, value in wanted:
        if value and normalize(value).casefold() not in found:
            yield f"{what} is not {where}"


def _links_differ(wanted: frozenset[str], got: frozenset[str], where: str,
                  scope: str) -> Iterator[str]:
    """One message per link target ``got`` lacks or has beyond ``wanted`` (from ``scope``)."""
    for url in sorted(wanted - got):
        yield f"link {url} of {scope} is not {where}"
    for url in sorted(got - wanted):
        yield f"link {url} {where} is not in {scope}"


def _deck(expected: Expected, slides: Sequence[Slide], links: frozenset[str],
          ) -> Iterator[str]:
    """Title slide, optional summary slide, a slide per key point, and the closing slide."""
    meta = expected.document.meta
    first = 2 if meta.summary else 1
    closing = bool(meta.links or meta.disclaimer)
    wanted = first + len(expected.points) + closing
    if len(slides) != wanted:
        parts = ["a title slide", *(["a summary slide"] if meta.summary else []),
                 f"{len(expected.points)} key point slide(s)",
                 *(["a closing slide"] if closing else [])]
        yield f"the deck has {len(slides)} slide(s), not {wanted} ({', '.join(parts)})"
    if not slides:
        return
    yield from _front(expected, slides[0].face, "on the title slide")
    yield from _furniture(expected, "\n".join(slide.face for slide in slides), "in the deck")
    if meta.summary and len(slides) > 1 and normalize(meta.summary) not in normalize(
            slides[1].face):
        yield f'the summary "{excerpt(meta.summary)}" is not on slide 2'
    for point in expected.points:
        index = first + point.number - 1
        if index >= len(slides):
            yield f"key point {point.number} (line {point.line}) has no slide"
            continue
        slide, number = slides[index], index + 1
        face = normalize(slide.face)
        for text in (point.headline or "", point.text):
            if normalize(text) not in face:
                yield (f'key point {point.number} (line {point.line}) is not on slide {number}: '
                       f'"{excerpt(text)}"')
        notes = normalize(slide.notes)
        for chunk in find_in_order(notes, point.details):
            yield (f'{_quote(chunk)}, a detail of key point {point.number}, is not in the notes '
                   f'of slide {number} or out of order: "{excerpt(chunk.text)}"')
        own = [normalize(t) for t in (point.headline or "", point.text, expected.date,
                                      meta.organization or "", meta.marking or "")]
        for chunk in point.details:
            key = normalize(chunk.text)
            if len(key) >= MIN_LEAK_LENGTH and key in face and not any(key in o for o in own):
                yield (f'{_quote(chunk)}, a detail of key point {point.number}, is on the face '
                       f'of slide {number}, not only in its notes: "{excerpt(chunk.text)}"')
    index = first + len(expected.points)
    if meta.links and index < len(slides):
        slide, number = slides[index], index + 1
        face = normalize(slide.face)
        for link in meta.links:
            # The label must show; how the address is displayed (if at all) is the deck's choice.
            if normalize(link.label) not in face:
                yield f'further-reading link "{excerpt(link.label)}" is not on slide {number}'
            # A target missing from the whole deck is reported once, with the deck's links.
            elif link.url not in slide.links and link.url in links:
                yield f"further-reading link {link.url} is not a link on slide {number}"


def _family(typeface: str | None, layout: Layout) -> FontFamily:
    """The layout family a run names: mono or heading by name, else the body (theme fonts like
    ``+mn-lt`` and unknown names are measured with the body face)."""
    fonts = layout.fonts
    by_name = {fonts.mono.name: fonts.mono, fonts.heading.name: fonts.heading,
               fonts.body.name: fonts.body}
    return by_name.get(typeface or "", fonts.body)


def _face(run: TextRun, layout: Layout) -> Path:
    return _family(run.typeface, layout).face(run.bold, run.italic)


def overflow(frame: TextFrame, layout: Layout) -> str | None:
    """Why ``frame``'s text does not fit its box, measured with the fitting's own line
    breaking at each paragraph's written run size, pitch and spacing; None when it fits."""
    from kzreport.renderers import _fit as fit

    left, right, top, bottom = frame.insets
    width, height = frame.width - left - right, frame.height - top - bottom
    if width <= 0 or height <= 0:
        return f"slide {frame.slide}: '{frame.name}' has text but no room inside its insets"
    needed = 0.0
    for index, para in enumerate(frame.paragraphs):
        sizes = [run.size for run in para.runs if run.size is not None]
        # Runs of one paragraph share a size in our decks; the largest is the safe measure.
        size = max(sizes) if sizes else para.end_size or DEFAULT_RUN_PT
        pieces = tuple(fit.Piece(run.text, fit.load_metrics(_face(run, layout)))
                       for run in para.runs if run.text)
        fonts = [piece.font for piece in pieces] or [fit.load_metrics(layout.fonts.body.regular)]
        natural = max(font.line_box for font in fonts) * size
        lines = len(fit.wrap(fit.Para(pieces, fonts[0]), size, width)) if pieces else 1
        pitch = (para.exact_pitch if para.exact_pitch is not None
                 else natural * (para.pitch_percent if para.pitch_percent is not None else 1.0))
        if pitch < natural * OVERLAP_RATIO and pieces:
            return (f"slide {frame.slide}: the lines of '{frame.name}' overlap: {size:g} pt text "
                    f"on {pitch:g} pt lines")
        needed += lines * pitch
        if index:  # as in the fitting: no space above a frame's first paragraph
            needed += (para.space_before if para.space_before is not None
                       else (para.space_before_percent or 0.0) * size)
    if needed > height + OVERFLOW_TOLERANCE_PT:
        return (f"slide {frame.slide}: the text of '{frame.name}' overflows its box: it needs "
                f"{needed:.1f} pt, the box has {height:.1f} pt")
    return None


def compare(expected: Expected, got: Extraction) -> list[str]:
    """Every way ``got`` differs from what its source says, one message each."""
    meta = expected.document.meta
    out = list(_metadata(expected, got))
    if got.slides is None:
        out.extend(_front(expected, got.text, "in the text"))
        out.extend(_furniture(expected, got.text, "in the text"))
        if meta.summary and normalize(meta.summary) not in normalize(got.text):
            out.append(f'the summary "{excerpt(meta.summary)}" is not in the text')
    flow = _flow(expected, got)
    if flow is not None:
        out.extend(f'{_quote(c)} is missing or out of order: "{excerpt(c.text)}"'
                   for c in find_in_order(flow, expected.chunks))
    if meta.disclaimer and got.pages:
        key = normalize(meta.disclaimer)
        missing = [str(n) for n, page in enumerate(got.pages, 1)
                   if key not in normalize(page.text)]
        if missing:
            out.append(f"the disclaimer is missing from page(s) {', '.join(missing)} of "
                       f"{len(got.pages)}")
    if got.slides is not None:
        out.extend(_deck(expected, got.slides, got.links))
    out.extend(problem for problem in (overflow(f, expected.layout) for f in got.frames)
               if problem is not None)
    if got.slides is None:
        out.extend(_links_differ(expected.links, got.links, "in the output", "the source"))
    else:
        out.extend(_links_differ(expected.deck_links, got.links, "in the output",
                                 "the source's key points or further reading"))
    return out


# ---------------------------------------------------------------- the command


@dataclass
class Report:
    """The outcome of ``kzreport verify``: problems to print and how many outputs passed."""

    verified: int = 0
    failed: bool = False
    problems: list[Problem] = field(default_factory=list)


def verify_output(path: Path, format_name: str, expected: Expected,
                  rebuild: str = "kzreport build") -> list[Problem]:
    """The mismatches between the output at ``path`` and its source, at most
    ``MAX_PROBLEMS_PER_OUTPUT`` of them and then a line counting the rest; ``rebuild`` is the
    command hints suggest."""
    hint = f"rebuild with {rebuild}"
    if not path.is_file():
        return [Problem(path, None, "the output is missing", f"build it with {rebuild}")]
    reader = READERS.get(format_name)
    if reader is None:
        return [Problem(path, None, f"kzreport verify has no reader for the {format_name} "
                        "format", "please report this as a kzreport bug")]
    try:
        got = reader(path, expected.layout)
    except Exception as exc:  # a damaged file is a mismatch to report, whatever the reader raises
        return [Problem(path, None, f"cannot read the output ({type(exc).__name__}: "
                        f"{str(exc)[:120]})", hint)]
    messages = compare(expected, got)
    problems = [Problem(path, None, m, hint) for m in messages[:MAX_PROBLEMS_PER_OUTPUT]]
    if len(messages) > MAX_PROBLEMS_PER_OUTPUT:
        problems.append(Problem(path, None, f"… and {len(messages) - MAX_PROBLEMS_PER_OUTPUT} more",
                                hint))
    return problems


def verify(sources: Sequence[Path], out_dir: Path, formats: Sequence[str] = (),
           layout: str | None = None, cwd: Path | None = None) -> Report:
    """Check every output of ``sources`` in ``out_dir`` (of ``formats``, default every
    registered format) against its source, read with ``layout`` like ``build`` does."""
    from kzreport.renderers import renderers

    registered = renderers()
    names = list(dict.fromkeys(formats)) or list(registered)
    report = Report()
    for source in sources:
        try:
            document, resolved = prepare(source, layout, cwd or Path.cwd())
        except KzreportError as exc:
            report.problems.extend(exc.problems)
            report.failed = True
            continue
        expected = expect(document, resolved)
        for name in names:
            path = out_dir / f"{document.stem}{registered[name].extension}"
            problems = verify_output(path, name, expected,
                                     build_command(source, out_dir, layout))
            report.problems.extend(problems)
            if problems:
                report.failed = True
            else:
                report.verified += 1
    return report
