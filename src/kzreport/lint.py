"""Accessibility lint: warnings about a valid paper that readers with assistive technology need."""

from __future__ import annotations

import re

from kzreport.errors import Problem
from kzreport.model import (
    Document,
    Figure,
    Heading,
    Inlines,
    KeyPoints,
    Paragraph,
    Span,
    Table,
    plain_text,
    walk,
)

#: Link texts that say nothing about where the link leads (WCAG 2.4.4).
VAGUE_LINK_TEXT = {"here", "click here", "click", "this", "this link", "link", "more",
                   "read more", "learn more", "more info", "details", "go", "this page"}
URL_LIKE = re.compile(r"(https?://|www\.|mailto:)\S+", re.IGNORECASE)


def _warning(document: Document, line: int | None, message: str, hint: str) -> Problem:
    return Problem(document.source, line, message, hint, severity="warning")


def _link_texts(inlines: Inlines) -> list[tuple[str, str]]:
    """Each hyperlink in ``inlines`` as (visible text, target)."""
    links: list[tuple[str, str]] = []
    previous: str | None = None
    for item in inlines:
        href = item.href if isinstance(item, Span) else None
        if isinstance(item, Span) and href is not None:
            if href == previous:
                links[-1] = (links[-1][0] + item.text, href)
            else:
                links.append((item.text, href))
        previous = href
    return links


def _link_problem(text: str) -> str | None:
    words = " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())
    if words in VAGUE_LINK_TEXT:
        return f"link text '{text.strip()}' does not describe its target"
    if URL_LIKE.fullmatch(text.strip()):
        return f"link text is a bare URL ({text.strip()[:60]})"
    return None


def _inline_sources(document: Document) -> list[tuple[int, Inlines]]:
    """Every run of inline content with its line, key points included."""
    found: list[tuple[int, Inlines]] = []
    for block in walk(document.blocks):
        if isinstance(block, (Paragraph, Heading)):
            found.append((block.line, block.inlines))
        elif isinstance(block, Table):
            found.extend((block.line, cell) for row in (block.header, *block.rows)
                         for cell in row)
        elif isinstance(block, KeyPoints):
            found.extend((point.line, point.inlines) for point in block.points)
    return found


def accessibility_warnings(document: Document) -> list[Problem]:
    """Warnings for link text, alt text, heading levels, table headers and language."""
    warnings: list[Problem] = []
    describe = "write what the link leads to, e.g. 'the full report (PDF)'"
    for line, inlines in _inline_sources(document):
        for text, _href in _link_texts(inlines):
            problem = _link_problem(text)
            if problem:
                warnings.append(_warning(document, line, problem, describe))
    for link in document.meta.links:
        problem = _link_problem(link.label)
        if problem:
            warnings.append(_warning(document, document.lines.get("links"), problem, describe))
    level = 1
    for block in walk(document.blocks):
        if isinstance(block, Figure):
            alt = block.alt.strip().lower()
            # A name or a path to one ("images/chart.png"), as tools fill in by default.
            if alt in (block.path.name.lower(), block.path.stem.lower()) or re.fullmatch(
                    r"[\w./\\-]*\.(png|jpe?g|gif|bmp|tiff?)", alt):
                warnings.append(_warning(document, block.line, f"alt text of image "
                                         f"'{block.path.name}' is its file name",
                                         "describe what the image shows"))
        elif isinstance(block, (Heading, KeyPoints)):
            new_level = block.level if isinstance(block, Heading) else 2
            if new_level > level + 1:
                warnings.append(_warning(document, block.line, f"heading level {new_level} "
                                         f"follows level {level}, skipping a level",
                                         "use '##' before the first '###' of a section"))
            level = new_level
        elif isinstance(block, Table) and not any(plain_text(c).strip() for c in block.header):
            warnings.append(_warning(document, block.line, "table has no header row",
                                     "give every column a heading in the first row"))
    if "language" not in document.lines:
        warnings.append(_warning(document, 2, "the paper does not declare its language",
                                 "add 'language: en-US' (or the paper's BCP 47 tag) to the "
                                 "front matter"))
    return warnings

