"""What a source says each output must hold: text in order, title block, furniture, links."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import assert_never
from urllib.parse import urlsplit

from kzreport.apparatus import Entry, acronym_blocks, contents, has_agenda
from kzreport.labels import (
    figure_label,
    figure_numbers,
    fill_label,
    table_label,
    table_numbers,
)
from kzreport.layout import Layout
from kzreport.model import (
    LINK_SCHEMES,
    Block,
    Blocks,
    CodeBlock,
    CrossRef,
    DefinitionList,
    Document,
    Figure,
    FootnoteRef,
    Heading,
    Inlines,
    KeyPoints,
    ListBlock,
    PageBreak,
    Paragraph,
    Quote,
    Rule,
    Span,
    Table,
    footnote_paragraphs,
    headline_parts,
    inline_contents,
    is_plain_list,
    links,
    plain_text,
    source_line,
    source_paragraphs,
    walk,
)
from kzreport.records import record
from kzreport.slide_points import is_information_paper, slide_points

#: Characters that carry no text: soft hyphens and zero-width marks a writer may insert.
INVISIBLE = frozenset(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))
_INVISIBLE = dict.fromkeys(INVISIBLE)
#: Characters of source text quoted in a mismatch.
EXCERPT_LENGTH = 25


def excerpt(text: str) -> str:
    """The start of ``text`` on one line, for quoting in a one-line message."""
    flat = " ".join(text.split())
    return flat if len(flat) <= EXCERPT_LENGTH else flat[:EXCERPT_LENGTH].rstrip() + "…"


def normalize(text: str) -> str:
    """``text`` as outputs are compared: NFKC, invisible marks and all whitespace removed, so
    line breaks, wrapping, run boundaries and words split across lines do not matter."""
    return "".join(unicodedata.normalize("NFKC", text).translate(_INVISIBLE).split())


@record
class Chunk:
    """A piece of source text an output must carry, with a name and line to report it by."""

    label: str
    line: int
    text: str
    #: A key point's detail the deck may show on its slide (a bullet, a table's cell) rather
    #: than in its notes.
    on_slide: bool = False


@record
class Note:
    """A footnote: its number, the line of its reference, and its text."""

    number: int
    line: int
    text: str


@record
class Point:
    """What one key point's slide must show (headline, text, its figures, tables and charts)
    and its notes must hold."""

    number: int
    line: int
    headline: str | None
    text: str
    details: tuple[Chunk, ...]
    #: The key point's headline and text between their footnote references (the slide shows
    #: their numbers).
    pieces: tuple[str, ...] = ()
    #: The footnotes referenced from the key point and its details, in order.
    notes: tuple[Note, ...] = ()
    #: The key point's figures and tables (charts among them), which its slide shows.
    visuals: tuple[Figure | Table, ...] = ()


def pieces(inlines: Inlines) -> list[str]:
    """The plain text of ``inlines`` cut at each footnote reference, where each format puts
    the note's number (or, in Word, a reference mark that has no text)."""
    out = [""]
    for item in inlines:
        if isinstance(item, FootnoteRef):
            out.append("")
        else:
            out[-1] += plain_text((item,))
    return out


def note_numbers(inlines: Inlines) -> list[int]:
    """The numbers of the footnotes ``inlines`` refer to, in order."""
    return [item.number for item in inlines if isinstance(item, FootnoteRef)]


@record
class Element:
    """A piece of front matter or a label an output shows in one place: how a message names it
    (``the date "3 June 2022"``) and its text."""

    what: str
    text: str


def element(name: str, text: str | None) -> Element | None:
    """The element ``name`` quoting the start of ``text``; None when the paper has no text."""
    return Element(f'{name} "{excerpt(text)}"', text) if text and normalize(text) else None


@record
class TitleBlock:
    """The title block: organization, title, subtitle, each author's name and affiliation,
    and the date as the layout writes it."""

    organization: Element | None
    title: Element
    subtitle: Element | None
    bylines: tuple[tuple[Element, Element | None], ...]
    date: Element


@record
class Furniture:
    """What pages and slides repeat around the paper: the handling marking (on its banners),
    the disclaimer, the running header and the slide footer, as the layout's labels say."""

    marking: Element | None
    disclaimer: Element | None
    running_header: Element | None
    slide_footer: Element | None


@record
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
    title_block: TitleBlock
    furniture: Furniture
    #: Every footnote, in the order of its reference.
    notes: tuple[Note, ...] = ()
    #: The tables drawn as charts, in reading order (key points' details included).
    charts: tuple[Table, ...] = ()
    #: The brief's contents, caption-number and cross-reference fields (their instructions,
    #: in any order).
    fields: tuple[str, ...] = ()


class _Chunker:
    """Turns blocks into chunks in reading order, numbering each kind from 1."""

    def __init__(self, document: Document, layout: Layout, notes: tuple[Note, ...]) -> None:
        self.document, self.layout = document, layout
        self.charts: list[Table] = []
        #: Whether a chart's data table is printed (``[charts] data_table``).
        self._data_tables = layout.charts.data_table
        self.notes = notes
        self.chunks: list[Chunk] = []
        self.points: list[Point] = []
        self._counts: dict[str, int] = {}
        self._tables = 0
        self._detail_bullets = layout.slides.detail_bullets
        #: The chunks being added may show on a key point's slide.
        self._on_slide = False

    def add(self, kind: str, line: int, text: str | Inlines, label: str | None = None) -> None:
        """Chunks of ``text``: one, or for inline content one per piece between footnote
        references (all named alike), so the notes' numbers between them do not matter."""
        texts = [text] if isinstance(text, str) else pieces(text)
        if not any(normalize(piece) for piece in texts):  # an empty cell or paragraph
            return
        number = self._counts[kind] = self._counts.get(kind, 0) + 1
        self.chunks.extend(Chunk(label or f"{kind} {number}", line, piece, self._on_slide)
                           for piece in texts if normalize(piece))

    def blocks(self, blocks: Blocks) -> None:
        for block in blocks:
            self.block(block)

    def block(self, block: Block) -> None:
        match block:
            case Heading():
                self.add("heading", block.line, block.inlines)
            case Paragraph():
                self.add("paragraph", block.line, block.inlines)
            case ListBlock():
                for item in block.items:
                    rest = item.blocks
                    if rest and isinstance(rest[0], Paragraph):  # the item's own text
                        self.add("list item", rest[0].line, rest[0].inlines)
                        rest = rest[1:]
                    self.blocks(rest)
            case Quote():
                self.blocks(block.blocks)
            case CodeBlock():
                self.add("code block", block.line, block.text)
            case Table():
                self._tables += 1
                if block.caption:
                    label = table_label(self.layout, table_numbers(self.document)[block])
                    self.add("table caption", block.line, (Span(label + " "), *block.caption),
                             f"the caption of table {self._tables}")
                if block.chart is not None:
                    self.charts.append(block)
                    if not self._data_tables:  # the chart alone: its data is checked as such
                        return
                for row_number, row in enumerate((block.header, *block.rows), 1):
                    for column, cell in enumerate(row, 1):
                        self.add("table cell", block.line, cell,
                                 f"cell {column} of row {row_number} of table {self._tables}")
            case KeyPoints():
                self.add("heading", block.line, block.title)
                for number, point in enumerate(block.points, 1):
                    if point.headline:
                        self.add("key point headline", point.line,
                                 point.headline_inlines or point.headline,
                                 f"the headline of key point {number}")
                    self.add("key point", point.line, point.inlines, f"key point {number}")
                    start = len(self.chunks)
                    for detail in point.details:
                        self._on_slide = isinstance(detail, Table | Figure) or (
                            self._detail_bullets and isinstance(detail, ListBlock)
                            and is_plain_list(detail))
                        self.block(detail)
                    self._on_slide = False
                    visuals = tuple(d for d in point.details if isinstance(d, Figure | Table))
                    numbers = note_numbers((*point.headline_inlines, *point.inlines)) + [
                        n for _, inlines in inline_contents(point.details)
                        for n in note_numbers(inlines)]
                    self.points.append(Point(number, point.line, point.headline,
                                             plain_text(point.inlines),
                                             tuple(self.chunks[start:]),
                                             (*(part for part in headline_parts(point)
                                                if isinstance(part, str)),
                                              *pieces(point.inlines)),
                                             tuple(self.notes[n - 1] for n in numbers),
                                             visuals))
            case DefinitionList():
                for term in block.items:
                    self.add("term", term.line, term.term)
                    for definition in term.definitions:
                        self.blocks(definition)
            case Figure():
                # The alt text is the image's description, which the readers do not read.
                if block.caption and not self._on_slide:  # a slide may shorten its caption
                    label = figure_label(self.layout, figure_numbers(self.document)[block])
                    self.add("figure caption", block.line, f"{label} {block.caption}")
            case Rule() | PageBreak():
                pass  # no text
            case _:
                assert_never(block)


def _is_link(url: str) -> bool:
    try:
        return urlsplit(url).scheme.lower() in LINK_SCHEMES
    except ValueError:  # the parser refuses these already; never crash verifying one
        return False


def _link_targets(blocks: Blocks) -> set[str]:
    """The http(s) and mailto targets linked from ``blocks`` and every block nested in them."""
    return {target for _, inlines in inline_contents(blocks)
            for _, target in links(inlines) if _is_link(target)}


def slide_count(expected: Expected) -> int:
    """How many slides the deck has: title, summary (if any), a slide per key point, and the
    closing slide (further reading, the disclaimer or sources, if any)."""
    meta = expected.document.meta
    return (1 + has_agenda(expected.document, expected.layout) + bool(meta.summary)
            + len(expected.points) + bool(
                meta.links or meta.disclaimer or expected.document.sources))


def _title_block(document: Document, date: str) -> TitleBlock:
    meta = document.meta
    bylines = tuple((Element(f'author "{excerpt(a.name)}"', a.name),
                     element("the affiliation", a.affiliation)) for a in meta.authors)
    return TitleBlock(element("the organization", meta.organization),
                      Element(f'the title "{excerpt(meta.title)}"', meta.title),
                      element("the subtitle", meta.subtitle), bylines,
                      Element(f'the date "{date}"', date))


def _furniture(document: Document, layout: Layout) -> Furniture:
    meta, labels = document.meta, layout.labels
    marking = Element(f'the marking "{meta.marking}"', meta.marking) if meta.marking else None
    return Furniture(marking, element("the disclaimer", meta.disclaimer),
                     element("the running header",
                             fill_label(labels.running_header, document, layout)),
                     element("the slide footer", fill_label(labels.slide_footer, document,
                                                            layout)))


def expect(document: Document, layout: Layout) -> Expected:
    """What every output of ``document`` built with ``layout`` must carry."""
    notes = tuple(Note(note.number, note.line,
                       "\n".join(plain_text(p.inlines) for p in note.paragraphs))
                  for note in document.footnotes)
    chunker = _Chunker(document, layout, notes)
    entries = contents(document, layout)
    if entries:
        chunker.add("contents", 1, layout.labels.contents, "the contents' heading")
        for entry in entries:
            chunker.add("contents entry", 1, entry.text)
    chunker.blocks(document.blocks)
    chunker.blocks(acronym_blocks(document, layout))
    if document.sources:  # the Sources section closes the brief's and the PDF's body
        line = source_line(document)
        chunker.add("heading", line, layout.labels.sources, "the Sources heading")
        for number, source in enumerate(document.sources, 1):
            chunker.add("source", line, source.inlines, f"source {number} ('{source.key}')")
    shown = slide_points(document)
    if is_information_paper(document):
        # An information paper: its sections' slides are read like key points' (their
        # text is in the flow already, as the paper's own paragraphs).
        sections = _Chunker(document, layout, notes)
        sections.block(shown)
        chunker.points = sections.points
    further = {link.url for link in document.meta.links if _is_link(link.url)}
    # The deck shows the key points, their details in the notes, and the further reading.
    # The deck's notes of a key point hold its footnotes, links and all.
    deck_notes = tuple(paragraph for point in chunker.points for note in point.notes
                       for paragraph in document.footnotes[note.number - 1].paragraphs)
    sources = source_paragraphs(document)
    deck = _link_targets((shown, *deck_notes, *sources))
    everything = (*document.blocks, *footnote_paragraphs(document), *sources)
    date = layout.format_date(document.meta.date)
    return Expected(document, layout, tuple(chunker.chunks), tuple(chunker.points), date,
                    frozenset(_link_targets(everything) | further),
                    frozenset(deck | further), _title_block(document, date),
                    _furniture(document, layout), notes, tuple(chunker.charts),
                    tuple(_fields(document, entries)))


def _fields(document: Document, entries: tuple[Entry, ...]) -> Iterator[str]:
    """The instructions of the brief's contents, caption-number and cross-reference fields
    (the body's: a footnote's references are in the notes part)."""
    # The brief's own names for them; its module loads no Word library.
    from kzreport.renderers._brief_fields import SEQUENCES, TOC_INSTRUCTION, reference_bookmark

    if entries:
        yield " ".join(TOC_INSTRUCTION.split())
    for block in walk(document.blocks):
        if isinstance(block, Figure | Table) and block.caption:
            yield f"SEQ {SEQUENCES['fig' if isinstance(block, Figure) else 'tbl']} \\* ARABIC"
    for _, inlines in inline_contents(document.blocks):
        for item in inlines:
            if isinstance(item, CrossRef) and item.kind != "sec":
                yield f"REF {reference_bookmark(item.target)} \\h"
