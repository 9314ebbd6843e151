"""Heading identifiers as Pandoc makes them, and the headings a link inside the paper names."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from kzreport.model import Block, Blocks, Heading, KeyPoints, plain_text
from kzreport.source_checks import Problems

if TYPE_CHECKING:
    from markdown_it.token import Token

#: An identifier written in a heading's attributes (``{#methods}``): Pandoc's own rule is
#: looser, but these characters survive every format's bookmark names.
EXPLICIT_ID = re.compile(r"[^\W\d][\w.:-]*")
#: How far Word lets a bookmark name run.
MAX_BOOKMARK = 40
#: A heading's attributes at the end of its line, Pandoc's ``## Methods {#methods}``.
_HEADING_ATTRIBUTES = re.compile(r"\s*\{([^{}]*)\}\s*$")
#: Heading classes that need no warning: kzreport never numbers headings anyway.
_QUIET_CLASSES = {"-", ".unnumbered", ".unlisted"}


def auto_identifier(text: str) -> str:
    """The identifier Pandoc gives a heading reading ``text``: lower case; letters, digits and
    ``_-.`` kept; words joined by hyphens; everything before the first letter dropped;
    ``section`` when nothing is left."""
    kept = "".join(c for c in text.lower() if c.isalnum() or c.isspace() or c in "_-.")
    joined = "-".join(kept.split())
    start = next((i for i, c in enumerate(joined) if c.isalpha()), len(joined))
    return joined[start:] or "section"


def unique(base: str, used: set[str]) -> str:
    """``base``, or ``base-1``, ``base-2``… when already ``used`` (as Pandoc numbers repeats);
    the result is added to ``used``."""
    name, count = base, 0
    while name in used:
        count += 1
        name = f"{base}-{count}"
    used.add(name)
    return name


def nearest(target: str, known: Iterable[str]) -> str | None:
    """The known identifier most like ``target``, for an error naming what was meant."""
    names = sorted(known)
    if not names:
        return None
    close = difflib.get_close_matches(target, names, n=1, cutoff=0.0)
    return close[0] if close else names[0]


def bookmark_name(anchor: str) -> str:
    """The name of ``anchor``'s bookmark in Word and in the PDF: Word allows letters, digits
    and underscores, at most 40 characters, starting with a letter, so every other character
    becomes ``_`` and a long identifier keeps a short digest of itself to stay unique."""
    import hashlib

    name = re.sub(r"\W", "_", anchor, flags=re.ASCII)
    if len(name) > MAX_BOOKMARK or name != anchor:
        digest = hashlib.sha256(anchor.encode()).hexdigest()[:8]
        name = f"{name[:MAX_BOOKMARK - 9]}_{digest}"
    return name if name[:1].isalpha() else f"h{name}"[:MAX_BOOKMARK]


def anchored(blocks: Blocks, links: Iterable[tuple[int, str]], problems: Problems) -> Blocks:
    """``blocks`` with every heading's identifier set (its own, else Pandoc's automatic one,
    told apart from the others), and every link inside the paper, (line, target), checked
    against them: an unknown target is an error naming the nearest identifier."""
    used: set[str] = set()
    for block in blocks:
        if isinstance(block, Heading | KeyPoints) and block.anchor:
            if block.anchor in used:
                problems.add(block.line, f"heading identifier '#{block.anchor}' is used twice",
                             "give each heading its own identifier")
            used.add(block.anchor)
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Heading) and not block.anchor:
            block = replace(block, anchor=unique(auto_identifier(plain_text(block.inlines)),
                                                 used))
        elif isinstance(block, KeyPoints) and not block.anchor:
            block = replace(block, anchor=unique(auto_identifier(block.title), used))
        out.append(block)
    for line, target in links:
        if target not in used:
            close = nearest(target, used)
            problems.add(line, f"link target '#{target}' is not a heading of this paper"
                         + (f"; the nearest identifier is '#{close}'" if close else ""),
                         "link to a heading's identifier: its text in lower case, words "
                         "joined by '-' (or the '{#id}' written after it)")
    return tuple(out)


#: How the brief names the hidden bookmark that carries a footnote's label back to an import.
NOTE_BOOKMARK = re.compile(r"_Note(\d*)_(.+)")


def note_bookmark(label: str, occurrence: int) -> str | None:
    """The hidden bookmark (a leading ``_``, as Word's own ``_Toc`` ones) that carries footnote
    ``label`` on its ``occurrence``-th reference (0 for the first): letters and digits as
    they are, any other character as ``_HEX_``, so the label reads back exactly; None when
    the name would pass Word's 40 characters (that note comes back numbered)."""
    encoded = "".join(c if c.isalnum() else f"_{ord(c):x}_" for c in label)
    name = f"_Note{occurrence or ''}_{encoded}"
    return name if label and len(name) <= MAX_BOOKMARK else None


def note_label(bookmark: str) -> str | None:
    """The footnote label ``bookmark`` carries (see ``note_bookmark``), None for any other."""
    found = NOTE_BOOKMARK.fullmatch(bookmark)
    if found is None:
        return None
    return re.sub(r"_([0-9a-f]+)_", lambda m: chr(int(m.group(1), 16)), found.group(2))


def heading_attributes(inline: Token, line: int, problems: Problems) -> str:
    """The identifier given in the attributes ending a heading (``{#methods}``; markdown-it's
    ``inline`` token), which are taken off its text; "" when it has none. Classes and
    key-value pairs do nothing in kzreport's outputs, so they are reported."""
    last = inline.children[-1] if inline.children else None
    match = _HEADING_ATTRIBUTES.search(last.content) if last and last.type == "text" else None
    if last is None or match is None:
        return ""
    last.content = last.content[:match.start()]
    anchor = ""
    for word in match.group(1).split():
        if word.startswith("#") and EXPLICIT_ID.fullmatch(word[1:]) and not anchor:
            anchor = word[1:]
        elif word.startswith("#"):
            problems.add(line, f"heading identifier '{word}' is not usable",
                         "give one identifier that starts with a letter and holds "
                         "letters, digits, '-', '_', '.' or ':'")
        elif word not in _QUIET_CLASSES:
            problems.warn(line, f"heading attribute '{word}' has no effect",
                          "keep only '{#identifier}' at the end of the heading")
    return anchor
