"""Helpers the tagged-PDF tests share: the marked content of every page and the structure
tree read back with pypdf, and the leaves the source says the tree should have."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, assert_never

import pypdf
import pytest
from pdf_reading import paper_pdf
from pypdf.generic import ArrayObject, ContentStream, DictionaryObject

from kzreport.apparatus import acronym_blocks
from kzreport.labels import (
    BULLETS,
    chart_description,
    figure_label,
    figure_numbers,
    footnote_mark,
    list_marker,
    table_label,
    table_numbers,
)
from kzreport.layout import Layout
from kzreport.model import (
    Block,
    Blocks,
    CodeBlock,
    DefinitionList,
    Document,
    Figure,
    FootnoteRef,
    Heading,
    Inlines,
    KeyPoints,
    ListBlock,
    PageBreak,
    Paragraph,
    Quote,
    Rule,
    Table,
    plain_text,
)

#: Operators that show text, and those that paint (or draw an image or form).
TEXT_OPERATORS = {b"Tj", b"TJ", b"'", b'"'}
PAINT_OPERATORS = {b"f", b"F", b"f*", b"S", b"s", b"B", b"B*", b"b", b"b*", b"sh", b"Do",
                   b"EI"}
#: Operators that move to a new line or position: a word boundary in extracted text.
MOVE_OPERATORS = {b"T*", b"Td", b"TD", b"Tm", b"'", b'"'}


def bare(text: str) -> str:
    """``text`` without any whitespace (line breaks fall where the layout puts them)."""
    return "".join(text.split())


# ---------------------------------------------------------------- reading the content streams


@dataclass
class Sequence:
    """A marked-content sequence: its tag, its MCID (None for a BMC or an artifact), its text."""

    tag: str
    mcid: int | None
    text: str = ""
    #: An artifact's /Subtype (Header, Footer), if it has one.
    subtype: str | None = None


@dataclass
class PageContent:
    sequences: list[Sequence] = field(default_factory=list)
    #: Operators that show text or paint outside any marked content.
    unmarked: list[str] = field(default_factory=list)
    #: Sequences begun inside another one.
    nested: int = 0


def to_unicode(font: Any) -> dict[int, str]:
    """A simple font's character codes and the text they stand for, from its ToUnicode CMap."""
    cmap = font["/ToUnicode"].get_data().decode("latin-1")
    found: dict[int, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
        for code, text in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            found[int(code, 16)] = bytes.fromhex(text).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
        for low, high, text in re.findall(
                r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                found[code] = chr(int(text, 16) + offset)
    return found


def raw_bytes(operand: Any) -> bytes:
    return bytes(getattr(operand, "original_bytes", operand))


def page_content(reader: pypdf.PdfReader, page: Any) -> PageContent:
    """Every marked-content sequence of ``page`` with the text shown in it, in stream order
    (the content of form XObjects it shows included, where they are shown)."""
    content = PageContent()
    open_sequences: list[Sequence] = []
    read_stream(reader, page.get_contents(), page["/Resources"], content, open_sequences)
    assert not open_sequences, "a marked-content sequence is not closed"
    return content


def read_stream(reader: pypdf.PdfReader, stream: Any, resources: Any, content: PageContent,
                open_sequences: list[Sequence]) -> None:
    """Add what content ``stream`` (with its ``resources``) shows to ``content``."""
    fonts = {name: to_unicode(font.get_object())
             for name, font in resources.get("/Font", {}).items()}
    font: dict[int, str] = {}
    for operands, operator in ContentStream(stream, reader).operations:
        if operator in (b"BDC", b"BMC"):
            properties = operands[1] if operator == b"BDC" else None
            if not isinstance(properties, DictionaryObject):
                properties = DictionaryObject()
            mcid, subtype = properties.get("/MCID"), properties.get("/Subtype")
            sequence = Sequence(str(operands[0])[1:], None if mcid is None else int(mcid),
                                subtype=None if subtype is None else str(subtype)[1:])
            content.nested += bool(open_sequences)
            open_sequences.append(sequence)
            content.sequences.append(sequence)
        elif operator == b"EMC":
            open_sequences.pop()
        elif operator == b"Tf":
            font = fonts[str(operands[0])]
        if (operator in TEXT_OPERATORS or operator in PAINT_OPERATORS) and not open_sequences:
            content.unmarked.append(operator.decode())
        if operator == b"Do":
            shown = resources["/XObject"][str(operands[0])].get_object()
            if shown["/Subtype"] == "/Form":
                read_stream(reader, shown, shown["/Resources"], content, open_sequences)
        if not open_sequences:
            continue
        current = open_sequences[-1]
        if operator in MOVE_OPERATORS:
            current.text += " "
        if operator in TEXT_OPERATORS:
            strings = operands[0] if operator == b"TJ" else operands[-1:]
            for string in strings:
                if not isinstance(string, (int, float)):
                    current.text += "".join(font.get(code, "") for code in raw_bytes(string))


# ---------------------------------------------------------------- reading the structure tree


@dataclass(frozen=True)
class ContentItem:
    page: int
    mcid: int


@dataclass(frozen=True)
class ObjectItem:
    page: int | None
    annotation: int  # object number


@dataclass(eq=False)
class Node:
    kind: str
    number: int
    obj: Any  # the element's dictionary (pypdf types its values loosely)
    kids: list[Node | ContentItem | ObjectItem] = field(default_factory=list)

    @property
    def alt(self) -> str | None:
        return str(self.obj["/Alt"]) if "/Alt" in self.obj else None

    def walk(self) -> Iterator[Node]:
        yield self
        for kid in self.kids:
            if isinstance(kid, Node):
                yield from kid.walk()

    def content(self) -> list[ContentItem]:
        """The marked content of this element and every one under it, in order."""
        found: list[ContentItem] = []
        for kid in self.kids:
            if isinstance(kid, ContentItem):
                found.append(kid)
            elif isinstance(kid, Node):
                found += kid.content()
        return found


@dataclass
class Tagged:
    """A tagged PDF read back: its tree, its pages' marked content, its parent tree."""

    path: Path
    reader: pypdf.PdfReader
    root: Node
    pages: list[PageContent]
    parent_tree: dict[int, Any]

    def text(self, item: ContentItem) -> str:
        [sequence] = [s for s in self.pages[item.page - 1].sequences if s.mcid == item.mcid]
        return sequence.text

    def text_of(self, node: Node) -> str:
        return "".join(self.text(item) for item in node.content())

    def find(self, kind: str) -> list[Node]:
        return [node for node in self.root.walk() if node.kind == kind]


def read_tagged(path: Path) -> Tagged:
    reader = pypdf.PdfReader(path)
    page_numbers = {page.indirect_reference.idnum: n  # type: ignore[union-attr]
                    for n, page in enumerate(reader.pages, 1)}
    catalog: Any = reader.root_object  # pypdf types values as PdfObject
    tree_root = catalog["/StructTreeRoot"]
    assert tree_root["/Type"] == "/StructTreeRoot"

    def page_of(obj: Any) -> int | None:
        ref = obj.raw_get("/Pg") if "/Pg" in obj else None
        return page_numbers[ref.idnum] if ref is not None else None

    def node(ref: Any, parent_number: int) -> Node:
        obj: Any = ref.get_object()
        assert obj["/Type"] == "/StructElem"
        assert obj.raw_get("/P").idnum == parent_number, "/P is not the parent element"
        result = Node(str(obj["/S"])[1:], ref.idnum, obj)
        kids: Any = obj.raw_get("/K") if "/K" in obj else ArrayObject()
        kids = kids.get_object() if hasattr(kids, "get_object") else kids
        for kid in kids if isinstance(kids, ArrayObject) else [kids]:
            if isinstance(kid, int):
                page = page_of(obj)
                assert page is not None, "an MCID without /Pg"
                result.kids.append(ContentItem(page, int(kid)))
                continue
            value: Any = kid.get_object()
            if value.get("/Type") == "/MCR":
                result.kids.append(ContentItem(page_of(value) or page_of(obj) or 0,
                                               int(value["/MCID"])))
            elif value.get("/Type") == "/OBJR":
                result.kids.append(ObjectItem(page_of(value), value.raw_get("/Obj").idnum))
            else:
                result.kids.append(node(kid, ref.idnum))
        return result

    [document] = [node(ref, tree_root.indirect_reference.idnum)
                  for ref in tree_root.raw_get("/K").get_object()]
    nums = tree_root["/ParentTree"]["/Nums"]
    # Array items are left as references (pypdf resolves only dictionary values).
    parent_tree = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    pages = [page_content(reader, page) for page in reader.pages]
    return Tagged(path, reader, document, pages, parent_tree)


# ---------------------------------------------------------------- what the source says


def expected_leaves(document: Document, layout: Layout) -> list[tuple[str, str]]:
    """The elements holding text, in reading order, with their text, as the source gives
    them: the renderer's mapping of the model to structure types, written out again."""
    meta = document.meta
    figures, tables = figure_numbers(document), table_numbers(document)
    out: list[tuple[str, str]] = []
    if meta.organization:
        out.append(("P", meta.organization.upper()))
    out.append(("H1", meta.title))
    if meta.subtitle:
        out.append(("P", meta.subtitle))
    out += [("P", ", ".join(filter(None, (author.name, author.affiliation))))
            for author in meta.authors]
    out.append(("P", layout.format_date(meta.date)))
    if meta.summary:
        out.append(("P", f"{layout.labels.summary}: {meta.summary}"))

    def blocks(items: Blocks, depth: int) -> None:
        for item in items:
            block(item, depth)

    def text(kind: str, inlines: Inlines, lead: str = "") -> None:
        """A leaf of ``inlines`` (the footnotes' numbers where they are referred to), then
        the notes it refers to: each its number's Lbl and its paragraphs."""
        out.append((kind, lead + "".join(
            footnote_mark(i.number) if isinstance(i, FootnoteRef) else plain_text((i,))
            for i in inlines)))
        for ref in (i for i in inlines if isinstance(i, FootnoteRef)):
            out.append(("Lbl", footnote_mark(ref.number)))
            out.extend(("P", plain_text(p.inlines)) for p in document.footnote(ref).paragraphs)

    def block(item: Block, depth: int) -> None:
        match item:
            case Heading():
                text("H2" if item.level <= 2 else "H3", item.inlines)
            case Paragraph():
                text("P", item.inlines)
            case ListBlock():
                markers = [list_marker(item.ordered, depth, n)
                           for n in range(item.start, item.start + len(item.items))]
                for entry, marker in zip(item.items, markers, strict=True):
                    out.append(("Lbl", marker))
                    rest = entry.blocks
                    if rest and isinstance(rest[0], Paragraph):
                        text("P", rest[0].inlines)
                        rest = rest[1:]
                    blocks(rest, depth + 1)
            case Quote():
                blocks(item.blocks, depth)
            case CodeBlock():
                out.append(("P", item.text))
            case Table():
                if item.caption:  # the chart's caption, or the table's first child
                    text("Caption", item.caption, table_label(layout, tables[item]) + " ")
                if item.chart is not None:
                    out.append(("Figure", chart_description(item.chart,
                                                            plain_text(item.caption))))
                for cell in item.header:
                    text("TH", cell)
                for row in item.rows:
                    for cell in row:
                        text("TD", cell)
            case Figure():
                out.append(("Figure", item.alt))
                if item.caption:
                    out.append(("Caption",
                                f"{figure_label(layout, figures[item])} {item.caption}"))
            case KeyPoints():
                out.append(("H2", item.title))
                for point in item.points:
                    out.append(("Lbl", BULLETS[0]))
                    text("P", point.inlines, point.headline or "")
                    blocks(point.details, 1)
            case DefinitionList():
                for term in item.items:
                    text("Lbl", term.term)
                    for definition in term.definitions:
                        blocks(definition, depth)
            case Rule() | PageBreak():
                pass  # decoration or a new page: no element
            case _:
                assert_never(item)

    blocks(document.blocks, 0)
    blocks(acronym_blocks(document, layout), 0)
    if meta.links:
        out.append(("H2", layout.labels.further_reading))
        for link in meta.links:
            out += [("Lbl", BULLETS[0]), ("P", link.label)]
    return [(kind, bare(text)) for kind, text in out if bare(text) or kind == "Figure"]


def actual_leaves(tagged: Tagged) -> list[tuple[str, str]]:
    """The elements holding text, in tree order: an element whose kids are its own content
    and Link elements (folded into its text), or a Figure (its alternate text)."""
    out: list[tuple[str, str]] = []

    def visit(node: Node) -> None:
        if node.kind == "Figure":
            out.append(("Figure", bare(node.alt or "")))
            return
        kids = [kid for kid in node.kids if not isinstance(kid, ObjectItem)]
        # A footnote's Note sits in the text after its reference: the text is one leaf, the
        # notes in it follow.
        notes = [kid for kid in kids if isinstance(kid, Node) and kid.kind == "Note"]
        rest = [kid for kid in kids if not any(kid is note for note in notes)]
        if rest and all(isinstance(kid, ContentItem) or kid.kind == "Link" for kid in rest):
            out.append((node.kind, bare("".join(
                tagged.text(kid) if isinstance(kid, ContentItem) else tagged.text_of(kid)
                for kid in rest))))
            for note in notes:
                visit(note)
            return
        for kid in kids:
            if isinstance(kid, Node):
                visit(kid)

    visit(tagged.root)
    return [(kind, text) for kind, text in out if text or kind == "Figure"]


def outline_entries(reader: pypdf.PdfReader) -> list[tuple[int, str, int]]:
    """(depth, title, page) of every bookmark, in order."""
    found: list[tuple[int, str, int]] = []

    def visit(items: list[Any], depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                visit(item, depth + 1)
            else:
                found.append((depth, str(item.title),
                              (reader.get_destination_page_number(item) or 0) + 1))

    visit(reader.outline, 0)
    return found


_tagged: dict[str, Tagged] = {}


def paper_tagged(name: str, request: pytest.FixtureRequest) -> Tagged:
    """Shared paper ``name`` (see ``paper``) as a tagged PDF read back, once per session."""
    if name not in _tagged:
        _tagged[name] = read_tagged(paper_pdf(name, request))
    return _tagged[name]
