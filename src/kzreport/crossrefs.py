"""Quarto's cross-references (``@fig-map``, ``@tbl-trade``, ``@sec-background``), read."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, assert_never

from kzreport.anchors import EXPLICIT_ID, nearest
from kzreport.labels import captioned, reference_text
from kzreport.layout import Layout
from kzreport.model import (
    Block,
    Blocks,
    CodeBlock,
    CrossRef,
    Definition,
    DefinitionList,
    Document,
    Figure,
    Footnote,
    Heading,
    Inline,
    Inlines,
    KeyPoint,
    KeyPoints,
    ListBlock,
    ListItem,
    PageBreak,
    Paragraph,
    Quote,
    RefKind,
    Rule,
    Span,
    Table,
    walk,
)
from kzreport.records import record
from kzreport.source_checks import Problems

if TYPE_CHECKING:
    from markdown_it.token import Token

#: A reference: Quarto's prefixes (capitalised too, as Quarto allows), then a label whose
#: inner punctuation is Pandoc's; never inside a word or an e-mail address. Quarto's
#: bracketed form, ``[@fig-map]``, prints the same (the brackets are the syntax's).
REFERENCE = re.compile(r"(?<![\w@])(?P<open>\[)?@(?P<prefix>[Ff]ig|[Tt]bl|[Ss]ec)-"
                       r"(?P<label>\w+(?:[:./-]\w+)*)(?(open)\])")
#: The prefixes a label's kind is read from.
KINDS: dict[str, RefKind] = {"fig": "fig", "tbl": "tbl", "sec": "sec"}
#: Pandoc's attributes after an image (``![…](…){#fig-map}``), on the same line.
FIGURE_ATTRIBUTES = re.compile(r"\s*\{([^{}]*)\}\s*")
#: One attribute among them: ``#id``, ``.class`` or ``key=value`` (quoted or not).
_ATTRIBUTE = re.compile(r"""[\w-]+=(?:"[^"]*"|'[^']*'|\S*)|\S+""")


def is_attributes(token: Token) -> bool:
    """Whether markdown-it ``token`` is text opening with a brace: attributes after an image."""
    return token.type == "text" and token.content.lstrip().startswith("{")


def kind_of(label: str) -> RefKind | None:
    """The kind a label names by its prefix (``fig-map`` is a figure's), else None."""
    return KINDS.get(label.split("-", 1)[0]) if "-" in label else None


@record(frozen=False)
class References:
    """The references of one paper as the parser meets them, resolved once all is read."""

    problems: Problems
    #: (line, label) of every reference, in reading order.
    found: list[tuple[int, str]]

    def split(self, text: str, line: int, span: Callable[[str], Span]) -> list[Inline]:
        """``text`` (not in a link or code) as spans and unresolved references."""
        out: list[Inline] = []
        start = 0
        for match in REFERENCE.finditer(text):
            out.append(span(text[start:match.start()]))
            label = f"{match.group('prefix').lower()}-{match.group('label')}"
            self.found.append((line, label))
            kind = kind_of(label)
            assert kind is not None
            out.append(CrossRef(label, kind, ""))
            start = match.end()
        out.append(span(text[start:]))
        return [item for item in out if not (isinstance(item, Span) and not item.text)]

    def labelled(self, figure: Figure | None, attributes: str, line: int) -> Figure | None:
        """``figure`` labelled by the attributes after its image (``{#fig-map}``). Pandoc's
        sizes and classes (``width=50%``, ``.wide``) are warned about and ignored: every
        format fits a figure to its page or slide. Anything else is reported."""
        match = FIGURE_ATTRIBUTES.fullmatch(attributes)
        if match is None:
            self.problems.add(line, f"figure attributes '{attributes.strip()[:40]}' are not "
                              "read", "write them in one {...} right after the image, such "
                              "as {#fig-map}, or delete them")
            return figure
        label = ""
        for word in _ATTRIBUTE.findall(match.group(1)):
            if word.startswith("#") and not label and EXPLICIT_ID.fullmatch(word[1:]) \
                    and kind_of(word[1:]) == "fig":
                label = word[1:]
            elif word.startswith("#"):
                self.problems.add(line, f"figure attribute '{word[:40]}' is not a figure "
                                  "label", "write one label such as {#fig-map}")
            else:
                self.problems.warn(line, f"figure attribute '{word[:40]}' has no effect: "
                                   "every format fits a figure to its page or slide",
                                   "delete it")
        return replace(figure, anchor=label) if figure and label else figure

    def resolve(self, blocks: Blocks, footnotes: tuple[Footnote, ...],
                ) -> tuple[Blocks, tuple[Footnote, ...]]:
        """``blocks`` and ``footnotes`` with every reference numbered; an unknown or repeated
        label is an error."""
        numbers = self._numbers(blocks)
        if not self.found:
            return blocks, footnotes
        for line, label in self.found:
            if label not in numbers:
                close = nearest(label, numbers)
                self.problems.add(line, f"cross-reference '@{label}' names no figure, table "
                                  "or section of this paper"
                                  + (f"; the nearest label is '{close}'" if close else ""),
                                  "label the figure ({#fig-…} after the image), the table "
                                  "({#tbl-…} at the end of its caption) or the heading "
                                  "({#sec-…}) it points at")

        return each_reference(blocks, footnotes,
                              lambda ref: replace(ref, number=numbers.get(ref.target, "?")))

    def _numbers(self, blocks: Blocks) -> dict[str, str]:
        """Each label's number: figures and tables with captions counted in reading order,
        ``##`` sections by their place among them (``###`` ones as ``3.1``)."""
        numbers: dict[str, str] = {}
        sections = subsections = 0
        # Every heading's identifier (a repeated one is anchors.py's error) and its line.
        lines = {b.anchor: b.line for b in blocks if isinstance(b, Heading | KeyPoints)}
        counted = {id(block): n for kind in (Figure, Table)
                   for n, block in enumerate(captioned(blocks, kind), 1)}
        for block in walk(blocks):
            if isinstance(block, Heading | KeyPoints):
                if (block.level if isinstance(block, Heading) else 2) == 2:
                    sections, subsections = sections + 1, 0
                    value = str(sections)
                else:
                    subsections += 1
                    value = f"{sections}.{subsections}"
                if kind_of(block.anchor) == "sec":
                    numbers[block.anchor] = value
            elif isinstance(block, Figure) and block.anchor and not block.caption:
                self.problems.add(block.line, f"figure '{block.anchor}' has no caption, "
                                  "which its number is printed in", 'add one: '
                                  '![alt text](image.png "Caption"){#' + block.anchor + "}")
            elif isinstance(block, Figure | Table) and id(block) in counted and block.anchor:
                if block.anchor in lines:
                    self.problems.add(block.line, f"label '{block.anchor}' is used twice "
                                      f"(first on line {lines[block.anchor]})",
                                      "give each figure, table and section its own label")
                    continue
                numbers[block.anchor] = str(counted[id(block)])
                lines[block.anchor] = block.line
        return numbers


def map_inlines(blocks: Blocks, change: Callable[[Inlines], Inlines]) -> Blocks:
    """``blocks`` with every run of inline content (nested ones included) passed through
    ``change``."""
    return tuple(_mapped(block, change) for block in blocks)


def _mapped(block: Block, change: Callable[[Inlines], Inlines]) -> Block:
    match block:
        case Heading() | Paragraph():
            return replace(block, inlines=change(block.inlines))
        case ListBlock():
            return replace(block, items=tuple(
                ListItem(map_inlines(item.blocks, change), item.line) for item in block.items))
        case Quote():
            return replace(block, blocks=map_inlines(block.blocks, change))
        case Table():
            return replace(block, caption=change(block.caption),
                           header=tuple(change(cell) for cell in block.header),
                           rows=tuple(tuple(change(cell) for cell in row) for row in block.rows))
        case KeyPoints():
            return replace(block, points=tuple(
                KeyPoint(point.headline, change(point.inlines),
                         map_inlines(point.details, change), point.line,
                         change(point.headline_inlines))
                for point in block.points))
        case DefinitionList():
            return replace(block, items=tuple(
                Definition(change(item.term),
                           tuple(map_inlines(d, change) for d in item.definitions), item.line)
                for item in block.items))
        case CodeBlock() | Rule() | Figure() | PageBreak():
            return block  # no inline content
        case _:
            assert_never(block)


def localized(document: Document, layout: Layout) -> Document:
    """``document`` with each cross-reference's text in ``layout``'s words ("Figure 2");
    the same document when it has none."""
    if not document.references:
        return document

    blocks, notes = each_reference(document.blocks, document.footnotes,
                                   lambda ref: replace(ref, text=reference_text(layout, ref)))
    return replace(document, blocks=blocks, footnotes=notes)


def each_reference(blocks: Blocks, footnotes: tuple[Footnote, ...],
                   change: Callable[[CrossRef], CrossRef],
                   ) -> tuple[Blocks, tuple[Footnote, ...]]:
    """``blocks`` and ``footnotes`` with every cross-reference passed through ``change``."""
    def changed(inlines: Inlines) -> Inlines:
        return tuple(change(item) if isinstance(item, CrossRef) else item for item in inlines)

    notes = tuple(replace(note, paragraphs=tuple(
        replace(p, inlines=changed(p.inlines)) for p in note.paragraphs)) for note in footnotes)
    return map_inlines(blocks, changed), notes
