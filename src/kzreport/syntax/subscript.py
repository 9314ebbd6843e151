"""Pandoc's subscript, ``H~2~O``: tokens ``sub_open``, ``text``, ``sub_close``."""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

from kzreport.syntax._enclosed import enclosed


def subscript(state: StateInline, silent: bool) -> bool:
    # Not in validation mode (inside a link's text, say): then it is plain text, as a
    # single ``~`` is; ``~~`` is strikethrough's, which runs first and takes pairs only.
    return not silent and enclosed(state, "~", "sub")


def extend(md: MarkdownIt) -> None:
    md.inline.ruler.after("emphasis", "sub", subscript)
