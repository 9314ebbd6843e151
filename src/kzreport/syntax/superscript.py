"""Pandoc's superscript, ``2^10^``: tokens ``sup_open``, ``text``, ``sup_close``."""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

from kzreport.syntax._enclosed import enclosed


def superscript(state: StateInline, silent: bool) -> bool:
    # An inline note, ``^[text]``, is the footnotes' rule's when no closing ``^`` follows
    # without whitespace between.
    return not silent and enclosed(state, "^", "sup")


def extend(md: MarkdownIt) -> None:
    md.inline.ruler.after("emphasis", "sup", superscript)
