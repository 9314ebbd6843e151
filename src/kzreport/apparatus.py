"""The sections every paged format adds around the paper: contents, acronyms and sources."""

from __future__ import annotations

from kzreport.layout import Layout
from kzreport.model import (
    Blocks,
    Definition,
    DefinitionList,
    Document,
    Heading,
    KeyPoints,
    Paragraph,
    Span,
    plain_text,
    source_line,
)
from kzreport.records import record

#: The identifiers of the acronym list's and the sources' headings (their bookmarks in the
#: paged formats), apart from any a paper's own headings can have.
ACRONYMS_ANCHOR = "kzreport-acronyms"
SOURCES_ANCHOR = "kzreport-sources"


def acronym_blocks(document: Document, layout: Layout) -> Blocks:
    """The "Acronyms" section the brief and the PDF end the body with: a heading (the
    layout's label) and a definition list sorted by abbreviation; empty without acronyms."""
    acronyms = document.meta.acronyms
    if not acronyms:
        return ()
    line = document.lines.get("acronyms", 1)
    items = tuple(Definition((Span(short),), ((Paragraph((Span(long),), line),),), line)
                  for short, long in acronyms)
    heading = Heading(2, (Span(layout.labels.acronyms),), line, ACRONYMS_ANCHOR)
    return (heading, DefinitionList(items, line))


def sources_heading(document: Document, layout: Layout) -> Heading | None:
    """The heading of the entries a citing paper ends with (the layout's label), None when
    it cites nothing; the brief and the PDF set the entries under it with a hanging indent."""
    if not document.sources:
        return None
    return Heading(2, (Span(layout.labels.sources),), source_line(document), SOURCES_ANCHOR)


@record
class Entry:
    """One line of the table of contents: a heading's text, level (2 or 3) and identifier."""

    text: str
    level: int
    anchor: str


def contents(document: Document, layout: Layout) -> tuple[Entry, ...]:
    """The table of contents (``toc: true``): every ``##`` and ``###`` heading, the Key Points,
    the acronym list and the sources in reading order; empty when the paper asks for none."""
    if not document.meta.toc:
        return ()
    entries = []
    sources = sources_heading(document, layout)
    for block in (*document.blocks, *acronym_blocks(document, layout),
                  *((sources,) if sources else ())):
        if isinstance(block, Heading):
            entries.append(Entry(" ".join(plain_text(block.inlines).split()), block.level,
                                 block.anchor))
        elif isinstance(block, KeyPoints):
            entries.append(Entry(" ".join(block.title.split()), 2, block.anchor))
    return tuple(entries)


def has_back_matter(document: Document) -> bool:
    """Whether the paged formats print anything after the paper's own blocks: the acronym
    list, the sources or the further reading (a landscape table ending the body turns the
    pages back for it)."""
    return bool(document.meta.acronyms or document.sources or document.meta.links)


def has_agenda(document: Document, layout: Layout) -> bool:
    """Whether the deck has an agenda slide after its title slide: the paper asks for
    contents, or the layout for an agenda."""
    return document.meta.toc or layout.slides.agenda
