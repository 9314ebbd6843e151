"""Pandoc's footnotes: ``[^label]`` references, ``[^label]:`` definitions, ``^[inline]`` notes."""

from __future__ import annotations

from typing import Any

from markdown_it import MarkdownIt
from markdown_it.helpers import parseLinkLabel
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token


def _label_end(src: str, start: int, end: int) -> int:
    """The index of the ``]`` closing a label that starts at ``start`` (after ``[^``), or -1:
    a label is not empty and holds no whitespace."""
    pos = start
    while pos < end and src[pos] != "]":
        if src[pos].isspace():
            return -1
        pos += 1
    return pos if start < pos < end else -1


def definition(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """``[^label]: text``, the note's blocks read with four more spaces of indent."""
    if state.is_code_block(start_line):
        return False
    start = state.bMarks[start_line] + state.tShift[start_line]
    end = state.eMarks[start_line]
    if not state.src.startswith("[^", start):
        return False
    close = _label_end(state.src, start + 2, end)
    if close < 0 or close + 1 >= end or state.src[close + 1] != ":":
        return False
    if silent:
        return True
    after_colon = close + 2
    opened = Token("footnote_reference_open", "", 1)
    opened.meta = {"label": state.src[start + 2:close]}
    opened.level = state.level
    state.level += 1
    state.tokens.append(opened)

    saved = (state.bMarks[start_line], state.tShift[start_line], state.sCount[start_line],
             state.parentType)
    # The text after the colon is the first line of the note's first block, at the column
    # where it starts (tabs to the next multiple of four).
    first_column = column = state.sCount[start_line] + after_colon - start
    pos = after_colon
    while pos < end and state.src[pos] in " \t":
        column += 4 - column % 4 if state.src[pos] == "\t" else 1
        pos += 1
    state.bMarks[start_line] = after_colon
    state.tShift[start_line] = pos - after_colon
    state.sCount[start_line] = column - first_column
    state.blkIndent += 4
    state.parentType = "footnote"
    if state.sCount[start_line] < state.blkIndent:
        state.sCount[start_line] += state.blkIndent
    state.md.block.tokenize(state, start_line, end_line)
    state.blkIndent -= 4
    (state.bMarks[start_line], state.tShift[start_line], state.sCount[start_line],
     state.parentType) = saved
    opened.map = [start_line, state.line]

    state.level -= 1
    closed = Token("footnote_reference_close", "", -1)
    closed.level = state.level
    state.tokens.append(closed)
    return True


def inline_note(state: StateInline, silent: bool) -> bool:
    """``^[text]``: a note written where it is referenced."""
    start = state.pos
    if not state.src.startswith("^[", start) or start + 2 >= state.posMax:
        return False
    end = parseLinkLabel(state, start + 1)
    if end < 0:
        return False
    if not silent:
        notes: dict[int, dict[str, Any]] = state.env.setdefault(
            "footnotes", {}).setdefault("list", {})
        number = len(notes)
        tokens: list[Token] = []
        # Taken before the text is parsed: a note inside it takes the next number.
        notes[number] = {"content": state.src[start + 2:end], "tokens": tokens}
        state.md.inline.parse(state.src[start + 2:end], state.md, state.env, tokens)
        state.push("footnote_ref", "", 0).meta = {"id": number}
    state.pos = end + 1
    return True


def reference(state: StateInline, silent: bool) -> bool:
    """``[^label]``, defined or not."""
    start = state.pos
    if not state.src.startswith("[^", start) or start + 3 > state.posMax:
        return False
    close = _label_end(state.src, start + 2, state.posMax)
    if close < 0:
        return False
    if not silent:
        state.push("footnote_ref", "", 0).meta = {"label": state.src[start + 2:close]}
    state.pos = close + 1
    return True


def extend(md: MarkdownIt) -> None:
    """Tokens: a definition is ``footnote_reference_open`` (``meta["label"]``, ``map`` its lines),
    its blocks (paragraphs indented by four spaces after the first belong to it), then
    ``footnote_reference_close``, left where it is written. A reference is ``footnote_ref`` with
    ``meta["label"]``, made whether or not the label is defined (the reader reports a missing
    definition); an inline note is ``footnote_ref`` with ``meta["id"]``, its text and tokens in
    ``env["footnotes"]["list"][id]``.
    """
    md.block.ruler.before("reference", "footnote_def", definition,
                          {"alt": ["paragraph", "reference"]})
    md.inline.ruler.after("image", "footnote_inline", inline_note)
    md.inline.ruler.after("footnote_inline", "footnote_ref", reference)
