"""Accessibility lint: warnings about a valid paper that readers with assistive technology need."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import assert_never

from kzreport.acronyms import acronym_warnings
from kzreport.errors import Problem
from kzreport.model import (
    CodeBlock,
    DefinitionList,
    Document,
    Figure,
    Heading,
    KeyPoints,
    ListBlock,
    PageBreak,
    Paragraph,
    Quote,
    Rule,
    Table,
    footnote_paragraphs,
    inline_contents,
    links,
    plain_text,
    source_paragraphs,
    walk,
)

#: Link texts that say nothing about where the link leads (WCAG 2.4.4).
VAGUE_LINK_TEXT = {"here", "click here", "click", "this", "this link", "link", "more",
                   "read more", "learn more", "more info", "details", "go", "this page"}
URL_LIKE = re.compile(r"(https?://|www\.|mailto:)\S+", re.IGNORECASE)


def _warning(document: Document, line: int | None, message: str, hint: str) -> Problem:
    return Problem(document.source, line, message, hint, severity="warning")


def _link_problem(text: str) -> str | None:
    words = " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())
    if words in VAGUE_LINK_TEXT:
        return f"link text '{text.strip()}' does not describe its target"
    if URL_LIKE.fullmatch(text.strip()):
        return f"link text is a bare URL ({text.strip()[:60]})"
    return None


def accessibility_warnings(document: Document) -> list[Problem]:
    """Warnings for link text, alt text, heading levels, table headers and language."""
    warnings: list[Problem] = []
    describe = "write what the link leads to, e.g. 'the full report (PDF)'"
    # A source's address, printed bare by the citation style, is how bibliographies show it.
    cited = {href for _, inlines in inline_contents(source_paragraphs(document))
             for _, href in links(inlines)}
    for line, inlines in inline_contents((*document.blocks, *footnote_paragraphs(document))):
        for text, href in links(inlines):
            problem = _link_problem(text) if href not in cited else None
            if problem:
                warnings.append(_warning(document, line, problem, describe))
    for link in document.meta.links:
        problem = _link_problem(link.label)
        if problem:
            warnings.append(_warning(document, document.lines.get("links"), problem, describe))
    warnings.extend(_block_warnings(document))
    warnings.extend(acronym_warnings(document))
    if "language" not in document.lines:
        warnings.append(_warning(document, 2, "the paper does not declare its language",
                                 "add 'language: en-US' (or the paper's BCP 47 tag) to the "
                                 "front matter"))
    return warnings


def _block_warnings(document: Document) -> Iterator[Problem]:
    """Warnings about figures' alt text, skipped heading levels, header-less tables and
    landscape tables that cannot be."""
    level = 1
    for block in walk(document.blocks):
        match block:
            case Figure():
                alt = block.alt.strip().lower()
                # A name or a path to one ("images/chart.png"), as tools fill in by default.
                if alt in (block.path.name.lower(), block.path.stem.lower()) or re.fullmatch(
                        r"[\w./\\-]*\.(png|jpe?g|gif|bmp|tiff?)", alt):
                    yield _warning(document, block.line, f"alt text of image "
                                   f"'{block.path.name}' is its file name",
                                   "describe what the image shows")
            case Heading() | KeyPoints():
                new_level = block.level if isinstance(block, Heading) else 2
                if new_level > level + 1:
                    yield _warning(document, block.line, f"heading level {new_level} "
                                   f"follows level {level}, skipping a level",
                                   "use '##' before the first '###' of a section")
                level = new_level
            case Table():
                if not any(plain_text(cell).strip() for cell in block.header):
                    yield _warning(document, block.line, "table has no header row",
                                   "give every column a heading in the first row")
                if block.landscape and not any(top is block for top in document.blocks):
                    yield _warning(document, block.line, "a {.landscape} table inside a list, "
                                   "quote or key point stays on a portrait page",
                                   "move the table out to the paper's top level")
            case (Paragraph() | ListBlock() | Quote() | CodeBlock() | Rule() | DefinitionList()
                  | PageBreak()):
                pass  # their links are checked with every run of inline content
            case _:
                assert_never(block)
