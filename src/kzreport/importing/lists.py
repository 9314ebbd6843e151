"""Nested lists rebuilt from a flat run of numbered and indented paragraphs."""

from __future__ import annotations

from dataclasses import field

from kzreport.model import Block, ListBlock, ListItem, Paragraph, Quote
from kzreport.records import record


@record(frozen=False)
class _OpenList:
    num_id: str
    ordered: bool
    start: int
    line: int
    items: list[tuple[int, list[Block]]] = field(default_factory=list)


class ListTree:
    """Receives blocks in reading order, each with how deep in the open lists it sits, and
    builds the nested blocks. Blocks a brief never indents (tables, figures, rules) are taken
    to belong to the deepest open item while its list goes on, and to follow the list when it
    ends there."""

    def __init__(self) -> None:
        self.top: list[Block] = []
        self.stack: list[_OpenList] = []
        #: Unindented blocks put in the deepest item, not yet known to belong there.
        self.tentative: list[Block] = []

    @property
    def depth(self) -> int:
        return len(self.stack)

    def container(self, depth: int) -> list[Block]:
        """Where a block ``depth`` lists deep goes: the body, or the last item of a list."""
        return self.top if depth == 0 else self.stack[depth - 1].items[-1][1]

    def close_to(self, depth: int) -> None:
        while len(self.stack) > depth:
            done = self.stack.pop()
            self.container(len(self.stack)).append(ListBlock(
                done.ordered, tuple(ListItem(tuple(b), line) for line, b in done.items),
                done.line, done.start))

    def _settle(self, continuing: bool) -> list[Block]:
        """Take the tentative blocks out of the item they were put in, unless the list goes
        on (``continuing``); return the ones taken out."""
        if continuing or not self.tentative:
            self.tentative = []
            return []
        moved, self.tentative = self.tentative, []
        holder = self.container(len(self.stack))
        del holder[len(holder) - len(moved):]
        return moved

    def add_item(self, ilvl: int, num_id: str, ordered: bool, start: int,
                 first: Paragraph | None, line: int) -> None:
        level = min(ilvl, len(self.stack))
        continuing = len(self.stack) > level and self.stack[level].num_id == num_id
        moved = self._settle(continuing)
        if continuing:
            self.close_to(level + 1)
        else:
            self.close_to(level)
            self.container(level).extend(moved)
            moved = []
            self.stack.append(_OpenList(num_id, ordered, start, line))
        self.stack[level].items.append((line, [first] if first is not None else []))

    def add_block(self, depth: int, block: Block, tentative: bool = False) -> None:
        if tentative and self.stack:
            self.container(len(self.stack)).append(block)
            self.tentative.append(block)
            return
        moved = self._settle(False)
        depth = min(depth, len(self.stack))
        self.close_to(depth)
        self.container(depth).extend(moved)
        self.container(depth).append(block)

    def add_quote(self, depth: int, paragraph: Paragraph) -> None:
        """A quoted paragraph: it joins a quote just before it at the same depth."""
        moved = self._settle(False)
        depth = min(depth, len(self.stack))
        self.close_to(depth)
        holder = self.container(depth)
        holder.extend(moved)
        if holder and isinstance(holder[-1], Quote) and not moved:
            holder[-1] = Quote((*holder[-1].blocks, paragraph), holder[-1].line)
        else:
            holder.append(Quote((paragraph,), paragraph.line))

    def finish(self) -> list[Block]:
        moved = self._settle(False)
        self.close_to(0)
        self.top.extend(moved)
        return self.top
