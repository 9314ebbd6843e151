"""Code blocks as Word and LibreOffice users write them: a paragraph per line, joined."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from kzreport.importing.docx import Grid, Para
from kzreport.importing.found import (
    Break,
    Found,
    Image,
    Kept,
    Note,
    PageBreak,
    Run,
    plain_found,
)


def joined_code(blocks: Sequence[Para | Grid]) -> list[Para | Grid]:
    """``blocks`` with each run of consecutive code lines made one code paragraph, its lines
    split by line breaks, at its first line's indent: paragraphs in a code style, or (but in
    a document set all in a monospaced font) paragraphs whose text is all monospaced, with
    the empty paragraphs between them, when there are several or one is marked as code."""
    typewriter = all(_kind(b) == "mono" for b in blocks
                     if isinstance(b, Para) and b.kind == "body" and b.text.strip())
    out: list[Para | Grid] = []
    n = 0
    while n < len(blocks):
        first = blocks[n]
        kind = _kind(first)
        if not isinstance(first, Para) or kind is None or (kind == "mono" and typewriter):
            out.append(first)
            n += 1
            continue
        lines = [first]
        end = n + 1
        while end < len(blocks):
            # Empty paragraphs between monospaced lines are the block's blank lines.
            skip = end
            while kind == "mono" and skip < len(blocks) and _blank(blocks[skip]):
                skip += 1
            after = blocks[skip] if skip < len(blocks) else None
            if not isinstance(after, Para) or _kind(after) != kind:
                break
            lines += [b for b in blocks[end:skip + 1] if isinstance(b, Para)]
            end = skip + 1
        if kind == "mono" and len(lines) == 1 and not first.mono and not any(
                isinstance(c, Break) for c in first.content):
            out.append(first)  # one line of inline code, as a brief writes it
        else:
            out.append(_joined(lines))
        n = end
    return out


def _kind(block: Para | Grid) -> str | None:
    """``"code"`` for a paragraph in a code style, ``"mono"`` for one whose text is all in a
    monospaced font (nothing in it a code block cannot hold), else None."""
    if not isinstance(block, Para):
        return None
    if block.kind == "code":
        # Holding more than code, it stands apart (``code_apart``), its neighbours two blocks.
        return None if any(_more_than_code(c) for c in block.content) else "code"
    if block.kind != "body" or block.numbering is not None or block.rule:
        return None
    runs = [c for c in block.content if isinstance(c, Run)]
    if any(not isinstance(c, Run | Break) for c in block.content) or any(
            r.href is not None or r.anchor is not None for r in runs):
        return None
    if all(r.code for r in runs if r.text.strip()) and (
            any(r.code for r in runs) or (not runs and block.mono)):
        return "mono"
    return None


def _blank(block: Para | Grid) -> bool:
    return isinstance(block, Para) and block.kind == "body" and block.numbering is None \
        and not block.rule and all(isinstance(c, Run) and not c.text.strip()
                                   for c in block.content)


def _joined(lines: list[Para]) -> Para:
    """``lines`` as one code paragraph (blank lines at its ends left out)."""
    def blank(line: Para) -> bool:
        return not line.text.strip() and not any(isinstance(c, Image) for c in line.content)

    if not all(blank(line) for line in lines):
        while blank(lines[-1]):
            lines = lines[:-1]
        while blank(lines[0]):
            lines = lines[1:]
    content: list[Found | Image] = []
    for n, line in enumerate(lines):
        if n:
            content.append(Break())
        content += line.content
    return replace(lines[0], kind="code", content=content)


def code_apart(blocks: Sequence[Para | Grid]) -> list[Para | Grid]:
    """``blocks`` with each line of a code paragraph that holds what a code block cannot (a
    picture, a footnote or endnote, a link, a page break) made an ordinary paragraph of inline
    code, between the code blocks of the lines before and after it, so nothing is lost."""
    out: list[Para | Grid] = []
    for block in blocks:
        if not isinstance(block, Para) or block.kind != "code" or not any(
                _more_than_code(c) for c in block.content):
            out.append(block)
            continue
        lines: list[list[Found | Image]] = [[]]
        for item in block.content:
            if isinstance(item, Break):
                lines.append([])
            else:
                lines[-1].append(item)
        code: list[list[Found | Image]] = []
        for line in lines:
            if not any(_more_than_code(c) for c in line):
                code.append(line)
                continue
            out += _code_lines(block, code)
            code = []
            out.append(replace(block, kind="body", content=[
                replace(c, code=True) if isinstance(c, Run) and c.text.strip() else c
                for c in line]))
        out += _code_lines(block, code)
    return out


def _code_lines(block: Para, lines: list[list[Found | Image]]) -> list[Para]:
    """``lines`` of ``block`` as one code paragraph (blank lines at its ends left out), or
    none when all are blank."""
    text = [plain_found([c for c in line if not isinstance(c, Image)]) for line in lines]
    kept = [n for n, one in enumerate(text) if one.strip()]
    if not kept:
        return []
    return [replace(block, content=[c for n, line in enumerate(lines[kept[0]:kept[-1] + 1])
                                    for c in ([Break()] if n else []) + line])]


def _more_than_code(item: Found | Image) -> bool:
    """Whether a code line's ``item`` is more than its text can carry."""
    return isinstance(item, Image | Note | PageBreak) or (
        isinstance(item, Run) and (item.href is not None or item.anchor is not None))


def code_kept(block: Para | Grid) -> list[str]:
    """The warnings of what a code paragraph holds that the source cannot (an equation, a
    symbol), each made its text: to be reported at the paragraph itself, before it is joined."""
    if not isinstance(block, Para) or block.kind != "code":
        return []
    kept = [c.what for c in block.content if isinstance(c, Kept)]
    block.content = [Run(c.text) if isinstance(c, Kept) else c for c in block.content]
    return kept
