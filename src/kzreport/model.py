"""The typed, immutable document model every renderer reads: metadata, blocks, inline spans."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import field, replace
from pathlib import Path
from typing import Any, Literal, TypeVar, assert_never, cast

from kzreport.errors import Problem
from kzreport.records import record

#: The only URL schemes a paper may link to: every ``href`` and ``Link.url`` in a document uses
#: one of them (the parser refuses the rest), so outputs never point at files or scripts.
LINK_SCHEMES = ("http", "https", "mailto")

# ---------------------------------------------------------------- inline content


#: Where a span sits on its line: raised (superscript) or lowered (subscript).
Script = Literal["super", "sub"] | None


@record
class Span:
    """A run of text with uniform formatting; ``href`` makes it (part of) a hyperlink: a web
    or mail address, or ``#identifier`` of a heading in the paper (see ``internal_target``)."""

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    href: str | None = None
    strike: bool = False
    script: Script = None


@record
class LineBreak:
    """A hard line break inside a paragraph."""


@record
class FootnoteRef:
    """A reference to footnote ``number`` (``Document.footnote``): every reference is a note
    of its own, numbered in reading order, as Pandoc does."""

    number: int


#: What a cross-reference points at: a figure, a table or a section (Quarto's prefixes).
RefKind = Literal["fig", "tbl", "sec"]


@record
class CrossRef:
    """A cross-reference (``@fig-map``) to the figure, table or section labelled ``target``:
    its ``number`` ("2", or "3.1" for a subsection) is found when the paper is read, its
    ``text`` ("Figure 2", the layout's label for ``kind``) once its layout is known
    (``crossrefs.localized``); every format prints the text as a link to the target."""

    target: str
    kind: RefKind
    number: str
    text: str = ""


@record
class Citation:
    """Where the paper cites bibliography entries ``keys`` (``[@key]``, ``@key``): a marker that
    prints nothing itself. The parser puts the citation as the paper's style formats it right
    after it, as ordinary inlines: the author-date style's text (spans), or the notes style's
    ``FootnoteRef`` to a note holding it; the deck gathers a key point's sources by the keys."""

    keys: tuple[str, ...]


Inline = Span | LineBreak | FootnoteRef | CrossRef | Citation
Inlines = tuple[Inline, ...]


def internal_target(href: str | None) -> str | None:
    """The heading identifier a link inside the paper points at (``#methods``), else None."""
    return href[1:] if href is not None and href.startswith("#") else None


_NEWLINE = Span("\n")


def spans(inlines: Inlines) -> Iterator[Span]:
    """Each inline as a run of uniformly formatted text, a hard break as a newline.

    The one walk over inline kinds that plain text, the lint, ``verify`` and the glyph check
    share (renderers walk inlines themselves, as each format writes formatting its own way).
    """
    for inline in inlines:
        match inline:
            case Span():
                yield inline
            case LineBreak():
                yield _NEWLINE
            case FootnoteRef():
                pass  # the note's number is the writer's; its text is in Document.footnotes
            case CrossRef():
                yield Span(inline.text or inline.number, href=f"#{inline.target}")
            case Citation():
                pass  # a marker: the formatted citation follows it as spans or a note
            case _:
                assert_never(inline)


_Item = TypeVar("_Item", bound=Inline)


def merge_spans(items: Iterable[_Item]) -> list[_Item]:
    """``items`` with neighbouring spans of identical formatting joined into one and empty
    spans dropped (one carries nothing, and would split the spans either side of it)."""
    merged: list[_Item] = []
    for item in items:
        if isinstance(item, Span):
            if not item.text:
                continue
            last = merged[-1] if merged else None
            if isinstance(last, Span) and replace(last, text="") == replace(item, text=""):
                merged[-1] = cast(_Item, replace(last, text=last.text + item.text))
                continue
        merged.append(item)
    return merged


def plain_text(inlines: Inlines) -> str:
    """The text of ``inlines`` without formatting; hard breaks become newlines."""
    return "".join(span.text for span in spans(inlines))


def links(inlines: Inlines) -> list[tuple[str, str]]:
    """Each hyperlink in ``inlines`` as (visible text, target): neighbouring spans with the
    same target (a link with bold words in it) are one link."""
    found: list[tuple[str, str]] = []
    previous: str | None = None
    for span in spans(inlines):
        if span.href is not None:
            if span.href == previous:
                found[-1] = (found[-1][0] + span.text, span.href)
            else:
                found.append((span.text, span.href))
        previous = span.href
    return found


# ---------------------------------------------------------------- blocks


@record
class Heading:
    """A section heading; ``level`` is 2 or 3 (the title is level 1 and lives in the metadata).
    ``anchor`` is its identifier, which links inside the paper (``#anchor``) point at."""

    level: int
    inlines: Inlines
    line: int
    anchor: str = ""


@record
class Paragraph:
    """A paragraph of inline content."""

    inlines: Inlines
    line: int


@record
class ListItem:
    """One item of a list: its blocks (usually a paragraph, then maybe a nested list)."""

    blocks: Blocks
    line: int


@record
class ListBlock:
    """A bullet list, or a numbered list starting at ``start``."""

    ordered: bool
    items: tuple[ListItem, ...]
    line: int
    start: int = 1


@record
class Quote:
    """A block quote."""

    blocks: Blocks
    line: int


@record
class CodeBlock:
    """Preformatted text, shown in the monospaced font."""

    text: str
    line: int


@record
class Rule:
    """A thematic break between parts of a section."""

    line: int


Alignment = Literal["left", "center", "right"] | None
ChartKind = Literal["bar", "column", "line", "pie"]
#: The chart kinds a table caption's ``{.chart-KIND}`` class may name.
CHART_KINDS: tuple[ChartKind, ...] = ("bar", "column", "line", "pie")


@record
class Series:
    """One data series of a chart: a column of the table, its header as the name."""

    name: str
    values: tuple[float, ...]


@record
class Chart:
    """A table drawn as a chart: the first column's cells are the categories, each further
    column a series, in the table's order."""

    kind: ChartKind
    categories: tuple[str, ...]
    series: tuple[Series, ...]


@record
class Table:
    """A table with one header row; every row has as many cells as the header. ``caption``
    comes from Pandoc's ``: Caption`` (or ``Table: Caption``) paragraph beside the table;
    ``chart`` is set when the caption carries a ``{.chart-KIND}`` class."""

    header: tuple[Inlines, ...]
    rows: tuple[tuple[Inlines, ...], ...]
    alignments: tuple[Alignment, ...]
    line: int
    caption: Inlines = ()
    chart: Chart | None = None
    #: The caption's cross-reference label (``{#tbl-trade}``), "" when it has none.
    anchor: str = ""
    #: Set on a page of its own turned to landscape (the caption's ``{.landscape}`` class).
    landscape: bool = False
    #: Relative column widths the caption's ``{widths="1 3 2"}`` asks for (else content-fitted).
    widths: tuple[float, ...] = ()


@record
class Figure:
    """An image standing in its own paragraph, with required alt text and an optional caption."""

    path: Path
    alt: str
    caption: str
    line: int
    #: The cross-reference label (``![…](…){#fig-map}``), "" when it has none.
    anchor: str = ""


@record
class Definition:
    """One term of a definition list and its definitions (each a run of blocks)."""

    term: Inlines
    definitions: tuple[Blocks, ...]
    line: int


@record
class DefinitionList:
    """Terms and their definitions: a glossary or a list of acronyms."""

    items: tuple[Definition, ...]
    line: int


@record
class PageBreak:
    """A page break in the paged formats (the deck has no pages to break)."""

    line: int


@record
class KeyPoint:
    """One key point: an optional bold headline, its text, and details (notes in the deck)."""

    headline: str | None
    inlines: Inlines
    details: Blocks
    line: int
    #: The headline as printed: its text (plain, bold) with the footnote references (and
    #: citations) written inside it, in their places; ``headline`` is its plain text.
    headline_inlines: Inlines = ()


def headline_parts(point: KeyPoint) -> list[str | FootnoteRef]:
    """A key point's headline as every format prints it: its plain text, cut where a footnote
    is referred to, with the reference in its place ([] without a headline)."""
    if not point.headline:
        return []
    parts: list[str | FootnoteRef] = []
    text = ""
    for item in point.headline_inlines or (Span(point.headline),):
        if isinstance(item, FootnoteRef):
            parts += [text, item] if text else [item]
            text = ""
        else:
            text += plain_text((item,))
    return [*parts, text] if text else parts


@record
class KeyPoints:
    """The Key Points section: its heading text and the points in source order."""

    title: str
    points: tuple[KeyPoint, ...]
    line: int
    anchor: str = ""


Block = (Heading | Paragraph | ListBlock | Quote | CodeBlock | Rule | Table | Figure | KeyPoints
         | DefinitionList | PageBreak)
Blocks = tuple[Block, ...]


@record
class Footnote:
    """The text of footnote ``number``: the paragraphs of the definition its reference names."""

    number: int
    label: str
    paragraphs: tuple[Paragraph, ...]
    line: int


@record
class Source:
    """One entry of the paper's list of sources: the key it is cited by and its text as the
    citation style formats it (DOIs and URLs as links)."""

    key: str
    inlines: Inlines


# ---------------------------------------------------------------- metadata


@record
class Author:
    """An author and, optionally, their affiliation."""

    name: str
    affiliation: str | None = None


@record
class Link:
    """A further-reading link with a descriptive label."""

    label: str
    url: str


@record
class Metadata:
    """Everything the front matter says about the paper."""

    title: str
    authors: tuple[Author, ...]
    date: dt.date
    subtitle: str | None = None
    organization: str | None = None
    summary: str | None = None
    links: tuple[Link, ...] = ()
    disclaimer: str | None = None
    marking: str | None = None
    language: str = "en-US"
    keywords: tuple[str, ...] = ()
    layout: str | None = None
    #: ``toc: true``: a table of contents (an agenda slide in the deck).
    toc: bool = False
    #: ``acronyms:`` (abbreviation, long form) pairs, sorted by abbreviation.
    acronyms: tuple[tuple[str, str], ...] = ()
    #: Bibliography files as written (relative to the paper), the citation style (a shipped
    #: name or a .csl file) and the front matter's own entries (CSL JSON).
    bibliography: tuple[str, ...] = ()
    csl: str | None = None
    references: tuple[Mapping[str, Any], ...] = ()


@record
class Document:
    """A parsed, validated paper: the only thing renderers are given besides the layout."""

    meta: Metadata
    blocks: Blocks
    source: Path
    assets: tuple[Path, ...] = ()
    #: The line each front matter key is on, for errors found after parsing.
    lines: Mapping[str, int] = field(default_factory=dict)
    #: Every footnote, in the order (and with the number) of its reference.
    footnotes: tuple[Footnote, ...] = ()
    #: What the parser found valid but likely unintended (text that looks like syntax).
    warnings: tuple[Problem, ...] = ()
    #: Whether the paper holds cross-references (``@fig-map``, ``CrossRef``).
    references: bool = False
    #: The bibliography entries the paper cites, in the style's order (the Sources section).
    sources: tuple[Source, ...] = ()

    def footnote(self, ref: FootnoteRef) -> Footnote:
        """The note ``ref`` refers to."""
        return self.footnotes[ref.number - 1]

    @property
    def key_points(self) -> KeyPoints:
        """The paper's one Key Points section; an empty one (at line 0) for an information
        paper, which has none (its deck shows its sections: see ``slide_points``)."""
        for block in self.blocks:
            if isinstance(block, KeyPoints):
                return block
        return KeyPoints("", (), 0)

    @property
    def stem(self) -> str:
        """The base name of every output built from this paper."""
        return self.source.stem


def walk(blocks: Blocks) -> Iterator[Block]:
    """Every block of ``blocks`` in reading order, nested ones included."""
    for block in blocks:
        yield block
        match block:
            case Quote():
                yield from walk(block.blocks)
            case ListBlock():
                for item in block.items:
                    yield from walk(item.blocks)
            case KeyPoints():
                for point in block.points:
                    yield from walk(point.details)
            case DefinitionList():
                for term in block.items:
                    for definition in term.definitions:
                        yield from walk(definition)
            case Heading() | Paragraph() | CodeBlock() | Rule() | Table() | Figure() | PageBreak():
                pass  # nothing nested
            case _:
                assert_never(block)


def footnote_paragraphs(document: Document) -> Blocks:
    """The paragraphs of every footnote, in the order of their numbers: the walks that check
    all of a paper's text (lint, glyphs) read them after ``document.blocks``."""
    return tuple(paragraph for note in document.footnotes for paragraph in note.paragraphs)


def source_line(document: Document) -> int:
    """The line the Sources section is reported at: where the front matter names the
    bibliography (or holds its entries)."""
    lines = document.lines
    return lines.get("bibliography", lines.get("references", lines.get("csl", 1)))


def source_paragraphs(document: Document) -> Blocks:
    """The Sources section's entries as paragraphs (at ``source_line``): the walks that check
    all of a paper's text read them after its notes."""
    return tuple(Paragraph(source.inlines, source_line(document))
                 for source in document.sources)


def cited_sources(document: Document, point: KeyPoint) -> tuple[Source, ...]:
    """The entries of the Sources section key point ``point`` cites (in its text or its
    details), in the section's order: the deck gives them in the point's speaker notes."""
    keys = {key for _, inlines in inline_contents((Paragraph((*point.headline_inlines,
                                                             *point.inlines), point.line),
                                                   *point.details))
            for item in inlines if isinstance(item, Citation) for key in item.keys}
    return tuple(source for source in document.sources if source.key in keys)


def is_plain_list(block: ListBlock) -> bool:
    """Whether every item of ``block`` is one paragraph, maybe followed by plain lists: the
    lists a slide shows as bullets and sub-bullets."""
    for item in block.items:
        if not item.blocks or not isinstance(item.blocks[0], Paragraph):
            return False
        if not all(isinstance(b, ListBlock) and is_plain_list(b) for b in item.blocks[1:]):
            return False
    return True


def inline_contents(blocks: Blocks) -> Iterator[tuple[int, Inlines]]:
    """Every run of inline content in ``blocks`` (nested ones and key points included) with
    its source line, in reading order."""
    for block in walk(blocks):
        match block:
            case Heading() | Paragraph():
                yield block.line, block.inlines
            case Table():
                if block.caption:
                    yield block.line, block.caption
                for row in (block.header, *block.rows):
                    for cell in row:
                        yield block.line, cell
            case KeyPoints():
                for point in block.points:
                    if point.headline_inlines:
                        yield point.line, point.headline_inlines
                    yield point.line, point.inlines
            case DefinitionList():
                for item in block.items:
                    yield item.line, item.term
            case ListBlock() | Quote() | CodeBlock() | Rule() | Figure() | PageBreak():
                pass  # plain text or nested blocks only, which walk() yields themselves
            case _:
                assert_never(block)
