"""Text enclosed by one marker character (Pandoc's ``H~2~O``, ``2^10^``), as open/text/close."""

from __future__ import annotations

import re

from markdown_it.rules_inline import StateInline

#: A backslash escape of ASCII punctuation (or a space: Pandoc's ``x^a\ b^``).
_ESCAPE = re.compile(r"\\([ !\"#$%&'()*+,./:;<=>?@\[\\\]^_`{|}~-])")
#: Whitespace not escaped by a backslash: Pandoc's sub- and superscripts hold none.
_BARE_SPACE = re.compile(r"(?:^|[^\\])(?:\\\\)*\s")


def enclosed(state: StateInline, marker: str, name: str) -> bool:
    """Push ``{name}_open``, one text token, ``{name}_close`` for ``marker``-enclosed text at
    ``state.pos``: not empty, without bare whitespace, the closing marker found past inline
    code, escapes and the like (``skipToken``)."""
    start, end = state.pos, state.posMax
    if state.src[start] != marker or start + 2 >= end:
        return False
    state.pos = start + 1
    while state.pos < end and state.src[state.pos] != marker:
        state.md.inline.skipToken(state)
    content = state.src[start + 1:state.pos]
    found = state.pos < end
    state.pos = start
    if not found or not content or _BARE_SPACE.search(content):
        return False
    state.push(f"{name}_open", name, 1).markup = marker
    state.push("text", "", 0).content = _ESCAPE.sub(r"\1", content)
    state.push(f"{name}_close", name, -1).markup = marker
    state.pos = start + 1 + len(content) + 1
    return True
