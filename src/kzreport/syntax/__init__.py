"""Pandoc's Markdown extensions as markdown-it-py rules: one module per construct."""

from __future__ import annotations

from markdown_it import MarkdownIt

from kzreport.syntax import definition_lists, footnotes, subscript, superscript


def pandoc_extensions(md: MarkdownIt) -> MarkdownIt:
    """``md`` with footnotes (every ``[^label]`` a reference), definition lists, subscript and
    superscript."""
    for construct in (footnotes, definition_lists, subscript, superscript):
        construct.extend(md)
    return md
