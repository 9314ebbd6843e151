"""Speaker notes: a key point's details (bullets and numbers kept), its footnotes, its sources."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, assert_never

from kzreport.labels import (
    figure_label,
    figure_numbers,
    footnote_mark,
    list_marker,
    table_label,
    table_numbers,
)
from kzreport.model import (
    Blocks,
    CodeBlock,
    DefinitionList,
    Document,
    Figure,
    Footnote,
    FootnoteRef,
    Heading,
    Inlines,
    KeyPoint,
    KeyPoints,
    ListBlock,
    PageBreak,
    Paragraph,
    Quote,
    Rule,
    Source,
    Span,
    Table,
    inline_contents,
    plain_text,
)
from kzreport.renderers._common import EMU_PER_PT
from kzreport.renderers._deck_geometry import NOTES_INDENT_IN, NOTES_PT
from kzreport.renderers._deck_text import Deck, Run, runs
from kzreport.renderers._drawingml import a_tag, add_run, child, clear_paragraphs
from kzreport.renderers._pptx_internals import notes_text_body


def point_notes(document: Document, point: KeyPoint) -> list[Footnote]:
    """The footnotes key point ``point`` refers to, in order: from its headline, its text and
    its details."""
    return footnotes_of(document, [point.headline_inlines, point.inlines, *(
        inlines for _, inlines in inline_contents(point.details))])


def footnotes_of(document: Document, contents: Iterable[Inlines]) -> list[Footnote]:
    """The footnotes ``contents`` refer to, in order."""
    return [document.footnote(item) for inlines in contents for item in inlines
            if isinstance(item, FootnoteRef)]


def write_notes(deck: Deck, slide: Any, details: Blocks, footnotes: list[Footnote],
                sources: Sequence[Source] = ()) -> None:
    """Write a key point's details as its speaker notes: paragraphs, ``• `` and ``1. `` items,
    nested items indented a level deeper; then its footnotes, each opened by its number; then
    the ``sources`` it cites under the layout's Sources label."""
    notes = slide.notes_slide
    body = notes_text_body(notes)
    clear_paragraphs(body)
    figures, tables = figure_numbers(deck.document), table_numbers(deck.document)

    def label(visual: Figure | Table) -> str:
        if isinstance(visual, Figure):
            return figure_label(deck.layout, figures[visual]) if visual in figures else ""
        return table_label(deck.layout, tables[visual]) if visual in tables else ""

    footnote_lines = [(0, f"{footnote_mark(note.number)} " if n == 0 else "", paragraph.inlines,
                       False)
                      for note in footnotes for n, paragraph in enumerate(note.paragraphs)]
    source_lines: list[tuple[int, str, Inlines, bool]] = (
        [(0, "", (Span(deck.layout.labels.sources),), True)] if sources else [])
    source_lines += [(0, "", source.inlines, False) for source in sources]
    for depth, marker, inlines, bold in [*note_lines(details, 0, label), *footnote_lines,
                                         *source_lines]:
        paragraph = child(body, "p")
        indent = {"lvl": str(min(depth, 8))} if depth else {}
        child(paragraph, "pPr", indent,
              marL=str(round(depth * NOTES_INDENT_IN * 72 * EMU_PER_PT)), indent="0")
        line = ((Run(marker),) if marker else ()) + runs(inlines, bold=bold)
        for run in line:
            add_run(deck, paragraph, notes.part, run, round(NOTES_PT * 100),
                    deck.layout.fonts.body, deck.layout.colors.text)
    if body.find(a_tag("p")) is None:
        child(body, "p")


def note_lines(blocks: Blocks, depth: int, label: Callable[[Figure | Table], str],
               lists: int = 1,
               ) -> Iterator[tuple[int, str, Inlines, bool]]:
    """``(depth, marker, inlines, bold)`` for every line of notes ``blocks`` make; ``label``
    gives a figure or a table its label. ``lists`` is how many lists deep the blocks sit,
    for their markers: a key point's details are one deep, as in the brief and the PDF."""
    for block in blocks:
        match block:
            case Paragraph():
                yield depth, "", block.inlines, False
            case Heading():
                yield depth, "", block.inlines, True
            case ListBlock():
                for index, item in enumerate(block.items):
                    marker = list_marker(block.ordered, lists, block.start + index) + " "
                    rest = item.blocks
                    if rest and isinstance(rest[0], Paragraph):  # the item's own text
                        yield depth, marker, rest[0].inlines, False
                        rest = rest[1:]
                    else:
                        yield depth, marker, (), False
                    yield from note_lines(rest, depth + 1, label, lists + 1)
            case Quote():
                yield from note_lines(block.blocks, depth + 1, label, lists)
            case CodeBlock():
                for text in block.text.splitlines() or [""]:
                    yield depth, "", (Span(text, code=True),), False
            case Table():
                if block.caption:
                    yield depth, "", (Span(f"[{label(block)} ", italic=True), *block.caption,
                                      Span("]", italic=True)), False
                for row in (block.header, *block.rows):
                    cells = [plain_text(cell).strip() for cell in row]
                    yield depth, "", (Span(" | ".join(cells)),), False
            case Figure():
                text = " ".join(filter(None, (label(block), block.caption or block.alt)))
                yield depth, "", (Span(f"[{text}]", italic=True),), False
            case Rule():
                yield depth, "", (Span("———"),), False
            case DefinitionList():
                for term in block.items:
                    yield depth, "", term.term, True
                    for definition in term.definitions:
                        yield from note_lines(definition, depth + 1, label)
            case PageBreak():
                pass  # slides have no pages to break
            case KeyPoints():
                # The paper's one Key Points section is a top-level block: the source reader
                # never puts it inside a key point's details, so there is nothing to lose here.
                pass
            case _:
                assert_never(block)


def append_acronyms(deck: Deck, slide: Any) -> None:
    """The front matter's acronyms at the end of ``slide``'s notes (the deck's last slide):
    the layout's label, then one ``ABBR — long form`` line each."""
    body = notes_text_body(slide.notes_slide)
    lines = [(Run(deck.layout.labels.acronyms, bold=True),),
             *((Run(short, bold=True), Run(f" — {long}")) for short, long
               in deck.document.meta.acronyms)]
    for line in lines:
        paragraph = child(body, "p")
        for run in line:
            add_run(deck, paragraph, slide.notes_slide.part, run, round(NOTES_PT * 100),
                    deck.layout.fonts.body, deck.layout.colors.text)
