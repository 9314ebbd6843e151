"""The PDF's back matter: the sources a paper cites and its further reading."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import KeepTogether

from kzreport.apparatus import sources_heading
from kzreport.model import Heading, ListBlock, ListItem, Paragraph, Span
from kzreport.renderers._pdf_flowables import TOP

if TYPE_CHECKING:
    from kzreport.renderers._pdf_story import StoryBuilder
    from kzreport.renderers._pdf_structure import Element


def sources(story: StoryBuilder, parent: Element) -> list[Any]:
    """The entries the paper cites, under the layout's Sources heading, each paragraph
    hanging by a list indent (as in the brief)."""
    heading = sources_heading(story.document, story.layout)
    if heading is None:
        return []
    line = heading.line
    indent = story.metrics.list_indent
    style = ParagraphStyle("source", parent=story.styles.body, leftIndent=indent,
                           firstLineIndent=-indent)
    entries = [story.paragraph(source.inlines, line, TOP, parent.add("P"), style=style)
               for source in story.document.sources]
    return [*story.heading(heading, parent, where=story.layout.files[0]), *entries]


def further_reading(story: StoryBuilder, parent: Element) -> list[Any]:
    """The front matter's links, as a bullet list of labelled links under their heading."""
    links = story.document.meta.links
    if not links:
        return []
    line = story.document.lines.get("links", 1)
    heading = Heading(2, (Span(story.layout.labels.further_reading),), line)
    items = tuple(ListItem((Paragraph((Span(link.label, href=link.url),), line),), line)
                  for link in links)
    # The short closing list stays together, with its heading (a longer one splits).
    return [KeepTogether([*story.heading(heading, parent, where=story.layout.files[0]),
                          *story.list_block(ListBlock(False, items, line), TOP, parent)])]
