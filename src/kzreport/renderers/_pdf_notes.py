"""Footnotes at the foot of the page that refers to them, below a short rule."""

from __future__ import annotations

import re
from dataclasses import field
from typing import Any

from reportlab.platypus import Frame, Table

from kzreport.records import record
from kzreport.renderers._pdf_markup import NOTE_DESTINATION
from kzreport.renderers._reportlab_internals import frame_bottom, set_frame_bottom, table_cells

#: A footnote reference's link target in paragraph markup, and the note's number in it.
_NOTE_LINK = re.compile("#" + re.escape(NOTE_DESTINATION) + r"(\d+)$")


def notes_of(flowable: Any) -> tuple[int, ...]:
    """The numbers of the footnotes ``flowable`` refers to (a quote's bar passes them on)."""
    inner = getattr(flowable, "inner", None)
    if inner is not None:
        return notes_of(inner)
    return tuple(getattr(flowable, "footnotes", ()))


def _set_notes(flowable: Any, numbers: tuple[int, ...]) -> None:
    inner = getattr(flowable, "inner", None)
    if inner is not None:
        _set_notes(inner, numbers)
    else:
        flowable.footnotes = numbers


def _referenced(flowable: Any) -> set[int] | None:
    """The footnotes whose references are in ``flowable``'s text (a table's: in its cells'),
    None when it holds no text."""
    inner = getattr(flowable, "inner", None)
    if inner is not None:
        return _referenced(inner)
    if isinstance(flowable, Table):
        # A piece of a split table holds its own rows: its notes are those of their cells
        # (a repeated header's too; the piece before it has already taken them).
        return set().union(*(_referenced_in(cell) for cell in table_cells(flowable)))
    frags = getattr(flowable, "frags", None)
    if frags is None:
        return None
    found = set()
    for item in frags:
        # A split piece holds words, [width, (fragment, text), …], instead of fragments.
        pieces = [pair[0] for pair in item[1:]] if isinstance(item, list) else [item]
        for frag in pieces:
            for _, url in getattr(frag, "link", None) or []:
                match = _NOTE_LINK.match(str(url))
                if match:
                    found.add(int(match.group(1)))
    return found


def _referenced_in(cell: Any) -> set[int]:
    """The footnotes referred to in a table cell: a flowable, a list of them, or text."""
    if isinstance(cell, (list, tuple)):
        return set().union(*(_referenced_in(item) for item in cell))
    if isinstance(cell, str):
        return set()
    return _referenced(cell) or set()


def share_notes(parts: list[Any], numbers: tuple[int, ...]) -> None:
    """Give each piece of a split flowable the notes referred to in it; the first piece takes
    those no piece tells of."""
    if not parts:
        return
    left = list(numbers)
    for part in parts:
        found = _referenced(part) or set()
        mine = tuple(n for n in left if n in found)
        left = [n for n in left if n not in found]
        _set_notes(part, mine)
    if left:
        _set_notes(parts[0], tuple(sorted({*notes_of(parts[0]), *left})))


@record(frozen=False)
class _Plan:
    """Where one flowable's notes would go: the pieces on this page, their height (with the
    rule when they are the page's first), and the pieces continuing on the next page."""

    placed: list[tuple[Any, float]] = field(default_factory=list)
    height: float = 0.0
    carry: list[Any] = field(default_factory=list)


class PageNotes:
    """Every page's footnotes: the flowables of each note (made with the story), which notes
    each page holds, the room they take there and what continues on the next page."""

    def __init__(self, x: float, bottom: float, width: float, max_height: float,
                 separator: float, page_height: float) -> None:
        self.x, self.bottom, self.width = x, bottom, width
        #: The most room a page's notes take before a long one continues on the next page.
        self.max_height = max_height
        #: The room of a page that holds nothing but notes continued from the one before.
        self.page_height = page_height
        #: The room above a page's first note that holds the short rule.
        self.separator = separator
        #: Each note's paragraphs, by number: the first one opens with the note's number.
        self.flowables: dict[int, list[Any]] = {}
        self.pages: dict[int, list[tuple[Any, float]]] = {}
        self.heights: dict[int, float] = {}
        self.placed: set[int] = set()
        self.carry: list[Any] = []
        #: Where a page's text area ends, when its frame's differs from ``bottom`` (a
        #: landscape page's footer may wrap its disclaimer in fewer lines).
        self.bottoms: dict[int, float] = {}

    def height_of(self, part: Any, canvas: Any) -> float:
        _, height = part.wrapOn(canvas, self.width, self.max_height)
        return float(height + part.getSpaceAfter())

    def plan(self, page: int, parts: list[Any], canvas: Any, share: float | None = None,
             ) -> _Plan:
        """Where ``parts`` would go on ``page``, after the notes already there: as many as fit
        in the page's share for notes (``share``, else ``max_height``), the one that does not
        fit split, the rest continued."""
        used = self.heights.get(page, 0.0)
        rule = 0.0 if used else self.separator
        room = (self.max_height if share is None else share) - used - rule
        plan = _Plan()
        filled = 0.0
        for index, part in enumerate(parts):
            height = self.height_of(part, canvas)
            if filled + height <= room:
                plan.placed.append((part, height))
                filled += height
                continue
            pieces = part.splitOn(canvas, self.width, room - filled) if room > filled else []
            if len(pieces) == 2:
                first = self.height_of(pieces[0], canvas)
                plan.placed.append((pieces[0], first))
                filled += first
                plan.carry = [pieces[1], *parts[index + 1:]]
            else:
                plan.carry = list(parts[index:])
            break
        plan.height = rule + filled if plan.placed else 0.0
        return plan

    def commit(self, page: int, plan: _Plan) -> None:
        """Put ``plan``'s notes on ``page``."""
        self.pages.setdefault(page, []).extend(plan.placed)
        self.heights[page] = self.heights.get(page, 0.0) + plan.height
        self.carry.extend(plan.carry)

    def begin_page(self, page: int, canvas: Any, only_notes: bool = False) -> float:
        """The room notes continued from the previous page take on ``page``, now theirs (all
        of it when the page holds ``only_notes``, after the last of the text)."""
        if not self.carry or page in self.heights:
            return self.heights.get(page, 0.0)
        carried, self.carry = self.carry, []
        plan = self.plan(page, carried, canvas, self.page_height if only_notes else None)
        self.commit(page, plan)
        return plan.height

    def notes_for(self, numbers: tuple[int, ...]) -> tuple[int, ...]:
        """Those of ``numbers`` not yet put on a page."""
        return tuple(n for n in numbers if n not in self.placed)

    def draw(self, canvas: Any, page: int, rule: Any) -> None:
        """Draw ``page``'s notes at the foot of its text area, ``rule(canvas, x, y)`` drawing
        the short rule above them."""
        placed = self.pages.get(page)
        if not placed:
            return
        top = self.bottoms.get(page, self.bottom) + self.heights[page]
        rule(canvas, self.x, top - self.separator / 2)
        y = top - self.separator
        for part, height in placed:
            part.drawOn(canvas, self.x, y - (height - part.getSpaceAfter()))
            y -= height

    def pending(self) -> bool:
        """Whether notes continue past the last page drawn."""
        return bool(self.carry)


class NotesFrame(Frame):  # type: ignore[misc]  # reportlab is untyped
    """A frame that keeps room at its foot for the footnotes of what it holds: a flowable
    goes on a page only with its notes (or, for a long note, the part of it the page has
    room for), and everything after it stops above them."""

    def __init__(self, *args: Any, notes: PageNotes, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.notes = notes
        self.base = frame_bottom(self)
        self.page = 0

    def begin(self, canvas: Any) -> None:
        page = canvas.getPageNumber()
        if page != self.page:  # a new page: only its continued notes are in the way yet
            self.page = page
            self.notes.bottoms[page] = self.base
            set_frame_bottom(self, self.base + self.notes.begin_page(page, canvas))

    def note_parts(self, numbers: tuple[int, ...]) -> list[Any]:
        return [part for n in numbers for part in self.notes.flowables.get(n, ())]

    def add(self, flowable: Any, canv: Any, trySplit: int = 0) -> int:
        self.begin(canv)
        numbers = self.notes.notes_for(notes_of(flowable))
        if not numbers:
            return int(super().add(flowable, canv, trySplit))
        plan = self.notes.plan(self.page, self.note_parts(numbers), canv)
        bottom = frame_bottom(self)
        set_frame_bottom(self, bottom + plan.height)
        if super().add(flowable, canv, trySplit):
            self.notes.commit(self.page, plan)
            self.notes.placed.update(numbers)
            return 1
        set_frame_bottom(self, bottom)
        return 0

    def split(self, flowable: Any, canv: Any) -> list[Any]:
        self.begin(canv)
        numbers = self.notes.notes_for(notes_of(flowable))
        if not numbers:
            return list(super().split(flowable, canv))
        # Split as if all the notes were on this page: the first piece then surely fits with
        # the notes it refers to, whichever of them those are.
        plan = self.notes.plan(self.page, self.note_parts(numbers), canv)
        bottom = frame_bottom(self)
        set_frame_bottom(self, bottom + plan.height)
        try:
            parts = list(super().split(flowable, canv))
        finally:
            set_frame_bottom(self, bottom)
        share_notes(parts, numbers)
        return parts
