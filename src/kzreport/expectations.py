"""What a source says each of its outputs must hold: text chunks, key points, links, date."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import assert_never
from urllib.parse import urlsplit

from kzreport.layout import Layout
from kzreport.model import (
    LINK_SCHEMES,
    Block,
    Blocks,
    CodeBlock,
    Document,
    Figure,
    Heading,
    KeyPoints,
    ListBlock,
    Paragraph,
    Quote,
    Rule,
    Table,
    inline_contents,
    is_plain_list,
    links,
    plain_text,
)

#: Characters that carry no text: soft hyphens and zero-width marks a writer may insert.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))


def normalize(text: str) -> str:
    """``text`` as outputs are compared: NFKC, invisible marks and all whitespace removed, so
    line breaks, wrapping, run boundaries and words split across lines do not matter."""
    return "".join(unicodedata.normalize("NFKC", text).translate(_INVISIBLE).split())


@dataclass(frozen=True)
class Chunk:
    """A piece of source text an output must carry, with a name and line to report it by."""

    label: str
    line: int
    text: str
    #: A key point's detail the deck may show on its slide (a bullet, a table's cell) rather
    #: than in its notes.
    on_slide: bool = False


@dataclass(frozen=True)
class Point:
    """What one key point's slide must show (headline, text, its figures, tables and charts)
    and its notes must hold."""

    number: int
    line: int
    headline: str | None
    text: str
    details: tuple[Chunk, ...]
    visuals: tuple[Figure | Table, ...] = ()


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

    def __init__(self, detail_bullets: bool = True) -> None:
        self.chunks: list[Chunk] = []
        self.points: list[Point] = []
        self._counts: dict[str, int] = {}
        self._tables = 0
        self._detail_bullets = detail_bullets
        #: The chunks being added may show on a key point's slide.
        self._on_slide = False

    def add(self, kind: str, line: int, text: str, label: str | None = None) -> None:
        if not normalize(text):  # nothing to look for: an empty cell or paragraph
            return
        number = self._counts[kind] = self._counts.get(kind, 0) + 1
        self.chunks.append(Chunk(label or f"{kind} {number}", line, text, self._on_slide))

    def blocks(self, blocks: Blocks) -> None:
        for block in blocks:
            self.block(block)

    def block(self, block: Block) -> None:
        match block:
            case Heading():
                self.add("heading", block.line, plain_text(block.inlines))
            case Paragraph():
                self.add("paragraph", block.line, plain_text(block.inlines))
            case ListBlock():
                for item in block.items:
                    rest = item.blocks
                    if rest and isinstance(rest[0], Paragraph):  # the item's own text
                        self.add("list item", rest[0].line, plain_text(rest[0].inlines))
                        rest = rest[1:]
                    self.blocks(rest)
            case Quote():
                self.blocks(block.blocks)
            case CodeBlock():
                self.add("code block", block.line, block.text)
            case Table():
                self._tables += 1
                if block.caption:
                    self.add("table caption", block.line, plain_text(block.caption),
                             f"the caption of table {self._tables}")
                for row_number, row in enumerate((block.header, *block.rows), 1):
                    for column, cell in enumerate(row, 1):
                        self.add("table cell", block.line, plain_text(cell),
                                 f"cell {column} of row {row_number} of table {self._tables}")
            case KeyPoints():
                self.add("heading", block.line, block.title)
                for number, point in enumerate(block.points, 1):
                    if point.headline:
                        self.add("key point headline", point.line, point.headline,
                                 f"the headline of key point {number}")
                    self.add("key point", point.line, plain_text(point.inlines),
                             f"key point {number}")
                    start = len(self.chunks)
                    for detail in point.details:
                        self._on_slide = isinstance(detail, Table | Figure) or (
                            self._detail_bullets and isinstance(detail, ListBlock)
                            and is_plain_list(detail))
                        self.block(detail)
                    self._on_slide = False
                    visuals = tuple(d for d in point.details if isinstance(d, Figure | Table))
                    self.points.append(Point(number, point.line, point.headline,
                                             plain_text(point.inlines),
                                             tuple(self.chunks[start:]), visuals))
            case Rule() | Figure():
                # Nothing to find in the flow: a rule has no text; a figure's alt text is the
                # image's description, which the readers do not read, and its caption is left
                # unchecked.
                pass
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


def expect(document: Document, layout: Layout) -> Expected:
    """What every output of ``document`` built with ``layout`` must carry."""
    chunker = _Chunker(layout.slides.detail_bullets)
    chunker.blocks(document.blocks)
    further = {link.url for link in document.meta.links if _is_link(link.url)}
    # The deck shows the key points, their details in the notes, and the further reading.
    deck = _link_targets((document.key_points,))
    return Expected(document, layout, tuple(chunker.chunks), tuple(chunker.points),
                    layout.format_date(document.meta.date),
                    frozenset(_link_targets(document.blocks) | further),
                    frozenset(deck | further))
