"""Pandoc's definition lists: a term line, then definitions starting ``:`` or ``~``."""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock


def _after_marker(state: StateBlock, line: int) -> int:
    """Where the text of a definition starts on ``line`` (after ``:`` or ``~`` and at least one
    space), or -1 when the line starts none."""
    start = state.bMarks[line] + state.tShift[line]
    end = state.eMarks[line]
    if start >= end or state.src[start] not in ":~":
        return -1
    pos = state.skipSpaces(start + 1)
    return start + 1 if start + 1 < pos < end else -1


def _definition_line(state: StateBlock, line: int, end_line: int) -> tuple[int, int]:
    """The line (the next, or the one after a blank line) holding a term's first definition
    and where its text starts; (-1, -1) when none follows the term on ``line``."""
    line += 1
    if line < end_line and state.isEmpty(line):
        line += 1
    if line >= end_line or state.sCount[line] < state.blkIndent:
        return -1, -1
    start = _after_marker(state, line)
    return (line, start) if start >= 0 else (-1, -1)


def _definition(state: StateBlock, line: int, text_start: int, end_line: int) -> None:
    """One ``dd``: its blocks read as if the text after the marker started the line."""
    opened = state.push("dd_open", "dd", 1)
    column = state.sCount[line] + text_start - (state.bMarks[line] + state.tShift[line])
    pos = text_start
    while pos < state.eMarks[line] and state.src[pos] in " \t":
        column += 4 - column % 4 if state.src[pos] == "\t" else 1
        pos += 1
    saved = (state.tight, state.ddIndent, state.blkIndent, state.tShift[line],
             state.sCount[line], state.parentType)
    state.blkIndent = state.ddIndent = state.sCount[line] + 2
    state.tShift[line] = pos - state.bMarks[line]
    state.sCount[line] = column
    state.tight = True
    state.parentType = "deflist"
    state.md.block.tokenize(state, line, end_line)
    (state.tight, state.ddIndent, state.blkIndent, state.tShift[line], state.sCount[line],
     state.parentType) = saved
    state.push("dd_close", "dd", -1)
    opened.map = [line, state.line]


def definition_list(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    if state.is_code_block(start_line):
        return False
    if silent:
        # Asked whether a line interrupts a paragraph: a marker does inside a definition.
        return state.ddIndent >= 0 and _after_marker(state, start_line) >= 0
    dd_line, text_start = _definition_line(state, start_line, end_line)
    if dd_line < 0:
        return False
    opened = state.push("dl_open", "dl", 1)
    term_line = start_line
    while True:
        state.push("dt_open", "dt", 1).map = [term_line, term_line]
        term = state.push("inline", "", 0)
        term.map = [term_line, term_line]
        term.content = state.getLines(term_line, term_line + 1, state.blkIndent, False).strip()
        term.children = []
        state.push("dt_close", "dt", -1)
        while True:  # the term's definitions
            _definition(state, dd_line, text_start, end_line)
            next_line = state.line
            if next_line >= end_line or state.sCount[next_line] < state.blkIndent:
                break
            text_start = _after_marker(state, next_line)
            if text_start < 0:
                break
            dd_line = next_line
        # Another term follows when its line is not blank and a definition follows it.
        if (next_line >= end_line or state.isEmpty(next_line)
                or state.sCount[next_line] < state.blkIndent):
            break
        dd_line, text_start = _definition_line(state, next_line, end_line)
        if dd_line < 0:
            break
        term_line = next_line
    state.push("dl_close", "dl", -1)
    opened.map = [start_line, next_line]
    state.line = next_line
    return True


def extend(md: MarkdownIt) -> None:
    """Tokens: ``dl_open``, then per term ``dt_open``, ``inline`` (the term), ``dt_close`` and per
    definition ``dd_open``, its blocks (read with the indent of the text after the marker),
    ``dd_close``; ``dl_close``. ``map`` gives the lines of the list, each term and each definition.
    A blank line may stand between a term and its first definition.
    """
    md.block.ruler.before("paragraph", "deflist", definition_list,
                          {"alt": ["paragraph", "reference", "blockquote"]})
