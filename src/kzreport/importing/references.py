"""An imported paper's footnotes in reading order, and its links to bookmarks made heading links."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TypeVar

from kzreport.anchors import EXPLICIT_ID, anchored, bookmark_name
from kzreport.apparatus import ACRONYMS_ANCHOR, SOURCES_ANCHOR
from kzreport.model import Blocks, Footnote, FootnoteRef, Heading, KeyPoint, KeyPoints, Span
from kzreport.source_checks import Problems

_T = TypeVar("_T")
#: Receives a warning about the block on ``line`` (a paragraph number), ``text`` in it.
Warn = Callable[[int, str, str], None]

#: The bookmarks of the headings a brief adds itself (its acronym list's and its sources'):
#: never written as identifiers, which would bring the brief's own names into the source.
_APPARATUS = frozenset(bookmark_name(anchor) for anchor in (ACRONYMS_ANCHOR, SOURCES_ANCHOR))


def _mapped(value: _T, change: Callable[[object, int], object], line: int = 0) -> _T:
    """``value`` (model objects, nested) with ``change`` applied to every span and footnote
    reference in the order the source writes them (a key point's headline, whose field comes
    last, before its text); ``line`` is the enclosing block's."""
    if isinstance(value, Span | FootnoteRef):
        return change(value, line)  # type: ignore[return-value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        line = getattr(value, "line", line)
        names = [f.name for f in dataclasses.fields(value) if f.init]
        if isinstance(value, KeyPoint):  # its headline (and the notes in it) before its text
            names.sort(key=lambda name: name != "headline_inlines")
        return dataclasses.replace(value, **{
            name: _mapped(getattr(value, name), change, line) for name in names})
    if isinstance(value, tuple | list):
        return type(value)(_mapped(v, change, line) for v in value)
    return value


def numbered(blocks: Blocks, notes: Sequence[Footnote]) -> tuple[Blocks, tuple[Footnote, ...]]:
    """``blocks`` with each footnote reference numbered in reading order (a table's caption
    after its cells, as the source writes it), and the notes in that order."""
    order: list[Footnote] = []

    def renumber(item: object, line: int) -> object:
        if isinstance(item, FootnoteRef):
            order.append(dataclasses.replace(notes[item.number - 1], number=len(order) + 1))
            return FootnoteRef(len(order))
        return item

    return _mapped(blocks, renumber), tuple(order)


def linked_headings(blocks: Blocks, notes: Sequence[Footnote],
                    bookmarks: Mapping[int, Sequence[str]],
                    warn: Warn) -> tuple[Blocks, tuple[Footnote, ...]]:
    """``blocks`` with each heading's identifier set, and every link to a bookmark (``#name``)
    in them and in ``notes`` pointing at the identifier of the heading the bookmark is on. A
    heading keeps Pandoc's automatic identifier when its bookmark is that (as a brief's is);
    else a bookmark that can be an identifier is written as one (a brief's explicit ``{#id}``;
    never Word's hidden ``_Toc`` ones nor those of the sections a brief adds, acronyms and
    sources: links to them go to the automatic identifier). A link
    to any other bookmark is kept as text, with a warning: the source links to headings
    only."""
    headings = [n for n, b in enumerate(blocks) if isinstance(b, Heading | KeyPoints)]
    explicit: dict[int, str] = {}
    while True:
        trial = tuple(dataclasses.replace(b, anchor=explicit.get(n, ""))
                      if isinstance(b, Heading | KeyPoints) else b for n, b in enumerate(blocks))
        result = anchored(trial, (), Problems(Path("import.md")))
        added = False
        for n in headings:
            heading = result[n]
            assert isinstance(heading, Heading | KeyPoints)
            names = bookmarks.get(heading.line, ())
            if n in explicit or heading.anchor in names or \
                    bookmark_name(heading.anchor) in names:
                continue
            choice = next((name for name in names if EXPLICIT_ID.fullmatch(name)
                           and not name.startswith("_") and name not in explicit.values()
                           and name not in _APPARATUS), None)
            if choice is not None:
                explicit[n] = choice
                added = True
        if not added:
            break
    targets: dict[str, str] = {}
    for n in headings:
        heading = result[n]
        assert isinstance(heading, Heading | KeyPoints)
        for name in bookmarks.get(heading.line, ()):
            targets.setdefault(name, heading.anchor)

    def retarget(item: object, line: int) -> object:
        if not isinstance(item, Span) or item.href is None or not item.href.startswith("#"):
            return item
        name = item.href[1:]
        if name in targets:
            return dataclasses.replace(item, href="#" + targets[name])
        warn(line, item.text, f"link to the bookmark '{name[:40]}' kept as plain text — the "
             "source links to headings only")
        return dataclasses.replace(item, href=None)

    return _mapped(result, retarget), _mapped(tuple(notes), retarget)
