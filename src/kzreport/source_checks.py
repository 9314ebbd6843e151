"""Checks shared by the front-matter and body readers: the problems collector, text and URLs."""

from __future__ import annotations

import re
from pathlib import Path
from typing import assert_never
from urllib.parse import urlsplit

from kzreport.errors import Problem, SourceError
from kzreport.model import (
    LINK_SCHEMES,
    Block,
    CodeBlock,
    DefinitionList,
    Figure,
    Heading,
    KeyPoints,
    ListBlock,
    PageBreak,
    Paragraph,
    Quote,
    Rule,
    Table,
)

#: At most this many problems are listed for one file, so output stays bounded.
MAX_PROBLEMS = 20
# C0 controls other than tab/newline/CR, DEL, C1 controls and non-characters XML cannot carry.
ILLEGAL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
#: The most words a paragraph, heading, table cell or front-matter text may hold, and the
#: longest word (a long URL is some hundreds of characters): beyond them the PDF takes
#: minutes to typeset.
MAX_PARAGRAPH_WORDS = 5000
MAX_WORD_LENGTH = 2000


class Problems:
    """Collects the located problems of one source file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.items: list[Problem] = []
        #: Warnings: the paper is valid, but likely not what its writer meant (errors under
        #: ``--strict``); they travel with the document (``Document.warnings``).
        self.warnings: list[Problem] = []

    def add(self, line: int | None, message: str, hint: str, column: int | None = None) -> None:
        self.items.append(Problem(self.path, line, _capped(message), _capped(hint), column))

    def warn(self, line: int | None, message: str, hint: str,
             column: int | None = None) -> None:
        self.warnings.append(Problem(self.path, line, _capped(message), _capped(hint), column,
                                     severity="warning"))

    def raise_if_any(self) -> None:
        if self.items:
            shown = self.items[:MAX_PROBLEMS]
            if len(self.items) > MAX_PROBLEMS:
                shown.append(Problem(self.path, self.items[MAX_PROBLEMS].line,
                                     f"{len(self.items) - MAX_PROBLEMS} more problems not shown, "
                                     "the first of them here", "fix the ones above and run again"))
            raise SourceError(shown)


def _capped(text: str, limit: int = 300) -> str:
    """``text`` cut to ``limit`` characters (messages quote the user's input; ``Problem``
    escapes the characters a terminal cannot show)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe_char(char: str) -> str:
    """What kind of forbidden character ``char`` is, with its code point."""
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        kind = "lone surrogate"
    elif code in (0xFFFE, 0xFFFF):
        kind = "non-character"
    else:
        kind = "control character"
    return f"{kind} U+{code:04X}"


def check_text(text: str, problems: Problems, line: int, what: str) -> bool:
    """Report characters no document format can carry; True when ``text`` is clean."""
    match = ILLEGAL_CHARS.search(text)
    if match:
        problems.add(line, f"{what} contains the {describe_char(match.group())}",
                     "delete it (check for escapes such as \\x07 or \\ud800) or write the "
                     "character itself")
    return match is None


def check_length(text: str, problems: Problems, line: int, what: str) -> None:
    """Report ``text`` too long to typeset in reasonable time: reportlab re-breaks the rest of
    a paragraph on every page it fills, and splits an over-long word letter by letter, both in
    time quadratic in the length."""
    words = text.split()
    if len(words) > MAX_PARAGRAPH_WORDS:
        problems.add(line, f"{what} of {len(words)} words",
                     f"split it into parts of at most {MAX_PARAGRAPH_WORDS} words")
    longest = max(words, key=len, default="")
    if len(longest) > MAX_WORD_LENGTH:
        problems.add(line, f"a word of {len(longest)} characters in {what}",
                     f"break it up: words may have at most {MAX_WORD_LENGTH} characters")


def url_problem(url: str) -> tuple[str, str] | None:
    """Why ``url`` may not be linked (message, hint), or None when it may."""
    if not url.strip():
        return "link has no address", "write an http(s) or mailto URL between the parentheses"
    try:
        parts = urlsplit(url)
    except ValueError:
        return f"link '{url[:80]}' is not a valid URL", "write a full http(s) or mailto URL"
    if parts.scheme.lower() not in LINK_SCHEMES:
        scheme = f"'{parts.scheme}:' " if parts.scheme else "relative "
        return (f"{scheme}link '{url[:80]}' is not allowed",
                "link only to http://, https:// or mailto: addresses")
    if parts.scheme.lower() in ("http", "https") and not parts.hostname:
        return f"link '{url[:80]}' has no host", "write a full URL such as https://example.org/"
    if parts.scheme.lower() == "mailto" and "@" not in parts.path:
        return f"link '{url[:80]}' is not an e-mail address", "write mailto:name@example.org"
    if any(c.isspace() for c in url):
        return f"link '{url[:80]}' contains spaces", "percent-encode them as %20"
    return None


def a_block_named(block: Block) -> str:
    """What ``block`` is called in a message: "a paragraph", "a table"."""
    match block:
        case Paragraph():
            return "a paragraph"
        case Heading():
            return "a heading"
        case Quote():
            return "a quote"
        case CodeBlock():
            return "a code block"
        case Table():
            return "a table"
        case Figure():
            return "a figure"
        case Rule():
            return "a rule"
        case ListBlock():
            return "a list"
        case KeyPoints():
            return "a Key Points section"
        case DefinitionList():
            return "a definition list"
        case PageBreak():
            return "a page break"
        case _:
            assert_never(block)
