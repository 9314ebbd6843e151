"""The front matter's acronyms checked against the text: spelled out once, before first use."""

from __future__ import annotations

import re
from collections.abc import Iterator

from kzreport.errors import Problem
from kzreport.model import Document, footnote_paragraphs, inline_contents, plain_text


def acronym_warnings(document: Document) -> list[Problem]:
    """The warnings about the front matter's acronyms (``_warnings``), top to bottom."""
    return sorted(_warnings(document), key=lambda p: (p.line or 0, p.column or 0))


def _warnings(document: Document) -> Iterator[Problem]:
    """For each listed acronym: a warning where it is used before it is spelled out ("Long
    Form (ABBR)"), where it is spelled out again, or (at the front matter) that it never is.
    (WCAG 2.1's success criterion 3.1.4, abbreviations.)"""
    acronyms = document.meta.acronyms
    if not acronyms:
        return
    try:
        source = document.source.read_text(encoding="utf-8-sig").split("\n")
    except (OSError, UnicodeError):
        source = []
    texts = [(line, plain_text(inlines))
             for line, inlines in inline_contents((*document.blocks,
                                                   *footnote_paragraphs(document)))]
    listed = document.lines.get("acronyms")
    for short, long in acronyms:
        spelled = re.compile(r"\s+".join(map(re.escape, long.split())) + r"\s*\(\s*"
                             + re.escape(short) + r"\s*\)", re.IGNORECASE)
        used = re.compile(r"(?<!\w)" + re.escape(short) + r"(?!\w)")
        first_spelled: int | None = None
        early: tuple[int, int | None] | None = None
        for line, text in texts:
            spans = [m.span() for m in spelled.finditer(text)]
            if first_spelled is None and early is None:
                uses = [m.start() for m in used.finditer(text)]
                before = [n for n, at in enumerate(uses) if not spans or at < spans[0][0]]
                if before:
                    early = _locate(source, line, short, before[0], case=True)
            for n in range(len(spans)):
                if first_spelled is not None:
                    yield _warning(document, *_locate(source, line, long, n),
                                   f"'{short}' is spelled out again "
                                   f"(first on line {first_spelled})",
                                   f"write only '{short}' after the first '{long} ({short})'")
                else:
                    first_spelled = line
        if first_spelled is None:
            yield _warning(document, listed, None, f"'{short}' is never spelled out",
                           f"write '{long} ({short})' where the paper first uses it")
        elif early is not None:
            yield _warning(document, *early, f"'{short}' is used before it is "
                           f"spelled out (line {first_spelled})",
                           f"write '{long} ({short})' here, and only '{short}' later")


def _warning(document: Document, line: int | None, column: int | None, message: str,
             hint: str) -> Problem:
    return Problem(document.source, line, message, hint, column, severity="warning")


def _locate(source: list[str], line: int, words: str, skip: int = 0,
            case: bool = False) -> tuple[int, int | None]:
    """The line and column where ``words`` stand for the ``skip``-th time after the start of
    a run of text at ``line``, which may wrap over lines; ``line`` alone when not found so."""
    first = re.escape(words.split()[0]) if words.split() else re.escape(words)
    pattern = re.compile(r"(?<!\w)" + first + r"(?!\w)", 0 if case else re.IGNORECASE)
    for number in range(line, min(len(source), line + 200) + 1):
        for found in pattern.finditer(source[number - 1]):
            if skip == 0:
                return number, found.start() + 1
            skip -= 1
    return line, None
