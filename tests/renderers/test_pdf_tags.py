"""The tagged PDF: structure tree, marked content, links, outline and metadata, read with pypdf."""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pypdf
import pytest
from pypdf.generic import ArrayObject, ContentStream, DictionaryObject

from conftest import FIXTURES, require_tool, write_source
from kzreport.labels import BULLETS, figure_label, figure_numbers, fill_label, page_label
from kzreport.layout import Layout, load_layout
from kzreport.model import (
    Block,
    Blocks,
    CodeBlock,
    Document,
    Figure,
    Heading,
    KeyPoints,
    ListBlock,
    Paragraph,
    Quote,
    Rule,
    Table,
    plain_text,
    walk,
)
from kzreport.renderers import renderers
from kzreport.source import read_source

LONG = FIXTURES / "pdf-long.md"
#: Operators that show text, and those that paint (or draw an image or form).
TEXT_OPERATORS = {b"Tj", b"TJ", b"'", b'"'}
PAINT_OPERATORS = {b"f", b"F", b"f*", b"S", b"s", b"B", b"B*", b"b", b"b*", b"sh", b"Do",
                   b"EI"}
#: Operators that move to a new line or position: a word boundary in extracted text.
MOVE_OPERATORS = {b"T*", b"Td", b"TD", b"Tm", b"'", b'"'}


def render(document: Document, layout: Layout, folder: Path, name: str | None = None) -> Path:
    path = folder / f"{name or document.stem}.pdf"
    assert renderers()["pdf"].render(document, layout, path) == []
    return path



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
    figures = figure_numbers(document)
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

    def block(item: Block, depth: int) -> None:
        if isinstance(item, Heading):
            out.append(("H2" if item.level <= 2 else "H3", plain_text(item.inlines)))
        elif isinstance(item, Paragraph):
            out.append(("P", plain_text(item.inlines)))
        elif isinstance(item, ListBlock):
            count = len(item.items)
            markers = ([f"{n}." for n in range(item.start, item.start + count)] if item.ordered
                       else [BULLETS[depth % len(BULLETS)]] * count)
            for entry, marker in zip(item.items, markers, strict=True):
                out.append(("Lbl", marker))
                rest = entry.blocks
                if rest and isinstance(rest[0], Paragraph):
                    out.append(("P", plain_text(rest[0].inlines)))
                    rest = rest[1:]
                blocks(rest, depth + 1)
        elif isinstance(item, Quote):
            blocks(item.blocks, depth)
        elif isinstance(item, CodeBlock):
            out.append(("P", item.text))
        elif isinstance(item, Table):
            out.extend(("TH", plain_text(cell)) for cell in item.header)
            out.extend(("TD", plain_text(cell)) for row in item.rows for cell in row)
        elif isinstance(item, Figure):
            out.append(("Figure", item.alt))
            if item.caption:
                out.append(("Caption", f"{figure_label(layout, figures[item])} {item.caption}"))
        elif isinstance(item, KeyPoints):
            out.append(("H2", item.title))
            for point in item.points:
                out.extend([("Lbl", BULLETS[0]),
                            ("P", (point.headline or "") + plain_text(point.inlines))])
                blocks(point.details, 1)
        else:
            assert isinstance(item, Rule)

    blocks(document.blocks, 0)
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
        if kids and all(isinstance(kid, ContentItem) or kid.kind == "Link" for kid in kids):
            out.append((node.kind, bare(tagged.text_of(node))))
            return
        for kid in kids:
            if isinstance(kid, Node):
                visit(kid)

    visit(tagged.root)
    return [(kind, text) for kind, text in out if text or kind == "Figure"]


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def long_doc() -> Document:
    return read_source(LONG)


@pytest.fixture(scope="module")
def seed_tagged(seed: Document, layout: Layout,
                tmp_path_factory: pytest.TempPathFactory) -> Tagged:
    return read_tagged(render(seed, layout, tmp_path_factory.mktemp("seed")))


@pytest.fixture(scope="module")
def rich_tagged(rich: Document, layout: Layout,
                tmp_path_factory: pytest.TempPathFactory) -> Tagged:
    return read_tagged(render(rich, layout, tmp_path_factory.mktemp("rich")))


@pytest.fixture(scope="module")
def long_tagged(long_doc: Document, layout: Layout,
                tmp_path_factory: pytest.TempPathFactory) -> Tagged:
    return read_tagged(render(long_doc, layout, tmp_path_factory.mktemp("long")))


#: More lines than one paragraph of a code block holds (``CODE_CHUNK_LINES``).
CODE = "\n".join(f"codeline{n} = {n}" for n in range(130))


@pytest.fixture(scope="module")
def table_doc(tmp_path_factory: pytest.TempPathFactory) -> Document:
    """A table over several pages (its header row repeats), a cell taller than a page, links
    in cells, a link that wraps over lines, and a code block set in several paragraphs."""
    folder = tmp_path_factory.mktemp("table")
    rows = "\n".join(f"| Row {n} [site {n}](https://example.org/r{n}) | value {n} |"
                     for n in range(90))
    tall = " ".join(f"cellword{n}" for n in range(900))
    link = "[" + " ".join(f"linkword{n}" for n in range(40)) + "](https://example.org/long)"
    body = (f"## Opening\n\n{'An intro sentence. ' * 60}{link} and after.\n\n"
            f"| Countryheader | Valueheader |\n|---|---|\n{rows}\n|  | empty first cell |\n\n"
            f"| Cell | Tall |\n|---|---|\n| a | {tall} |\n\n```\n{CODE}\n```\n\n"
            "## Key Points\n\n- One.")
    return read_source(write_source(folder, "title: Tables\nauthors: [X]\ndate: 2024-01-01",
                                    body))


@pytest.fixture(scope="module")
def table_tagged(table_doc: Document, layout: Layout,
                 tmp_path_factory: pytest.TempPathFactory) -> Tagged:
    return read_tagged(render(table_doc, layout, tmp_path_factory.mktemp("table-out")))


ALL = ["seed_tagged", "rich_tagged", "long_tagged", "table_tagged"]
DOCUMENTS = {"seed_tagged": "seed", "rich_tagged": "rich", "long_tagged": "long_doc",
             "table_tagged": "table_doc"}


# ---------------------------------------------------------------- document level


@pytest.mark.parametrize("which", ALL)
def test_the_catalog_declares_a_tagged_pdf_ua_document(which: str,
                                                       request: pytest.FixtureRequest) -> None:
    tagged: Tagged = request.getfixturevalue(which)
    document: Document = request.getfixturevalue(DOCUMENTS[which])
    reader, meta = tagged.reader, document.meta
    catalog: Any = reader.root_object
    assert reader.pdf_header == "%PDF-1.7"
    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert str(catalog["/Lang"]) == meta.language
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    for page in reader.pages:
        assert page.get("/Tabs") == "/S"
    metadata = catalog["/Metadata"]
    assert metadata["/Subtype"] == "/XML" and "/Filter" not in metadata
    xmp = reader.xmp_metadata
    assert xmp is not None
    assert xmp.dc_title == {"x-default": meta.title}
    assert xmp.dc_creator == [a.name for a in meta.authors]
    assert xmp.dc_language == [meta.language]
    assert xmp.pdf_producer is not None and "kzreport" in xmp.pdf_producer
    info = reader.metadata
    assert info is not None and info.creation_date is not None
    assert xmp.xmp_create_date is not None
    assert info.creation_date == xmp.xmp_create_date.replace(tzinfo=info.creation_date.tzinfo)
    raw = metadata.get_data().decode("utf-8")
    assert re.search(r"<pdfuaid:part>1</pdfuaid:part>", raw)


def test_the_seed_structure_at_a_glance(seed_tagged: Tagged, seed: Document) -> None:
    body = [b for b in seed.blocks if isinstance(b, Paragraph)]
    kinds = [kid.kind for kid in seed_tagged.root.kids if isinstance(kid, Node)]
    assert seed_tagged.root.kind == "Document"
    assert kinds == ["P", "H1", "P", "P", *["P"] * len(body), "H2", "L", "H2", "L"]
    key_points, further = seed_tagged.find("L")
    assert len(key_points.kids) == len(seed.key_points.points) == 4
    for item in [*key_points.kids, *further.kids]:
        assert isinstance(item, Node) and item.kind == "LI"
        assert [kid.kind for kid in item.kids if isinstance(kid, Node)] == ["Lbl", "LBody"]
    for item in further.kids:
        assert isinstance(item, Node)
        [link] = [node for node in item.walk() if node.kind == "Link"]
        assert any(isinstance(kid, ObjectItem) for kid in link.kids)


@pytest.mark.parametrize("which", ALL)
def test_the_tree_read_in_order_is_the_source(which: str, request: pytest.FixtureRequest,
                                              layout: Layout) -> None:
    tagged: Tagged = request.getfixturevalue(which)
    document: Document = request.getfixturevalue(DOCUMENTS[which])
    assert actual_leaves(tagged) == expected_leaves(document, layout)


def test_the_briefing_layout_is_tagged_alike(long_doc: Document, tmp_path: Path) -> None:
    briefing = load_layout("briefing", Path(__file__).resolve().parents[2])
    tagged = read_tagged(render(long_doc, briefing, tmp_path))
    assert actual_leaves(tagged) == expected_leaves(long_doc, briefing)


# ---------------------------------------------------------------- marked content


@pytest.mark.parametrize("which", ALL)
def test_every_mcid_is_in_the_tree_once_and_the_parent_tree_agrees(
        which: str, request: pytest.FixtureRequest) -> None:
    tagged: Tagged = request.getfixturevalue(which)
    in_streams = Counter((n, s.mcid) for n, page in enumerate(tagged.pages, 1)
                         for s in page.sequences if s.mcid is not None)
    for n, page in enumerate(tagged.pages, 1):
        mcids = [s.mcid for s in page.sequences if s.mcid is not None]
        assert mcids == list(range(len(mcids))), f"page {n}: MCIDs not 0, 1, 2…"
    owners = {(item.page, item.mcid): node for node in tagged.root.walk()
              for item in node.kids if isinstance(item, ContentItem)}
    in_tree = Counter((item.page, item.mcid) for node in tagged.root.walk()
                      for item in node.kids if isinstance(item, ContentItem))
    assert in_tree == in_streams
    assert set(in_tree.values()) == {1}
    for n, page_object in enumerate(tagged.reader.pages, 1):
        mcids = [s.mcid for s in tagged.pages[n - 1].sequences if s.mcid is not None]
        if not mcids:
            continue
        key: Any = page_object["/StructParents"]
        parents = tagged.parent_tree[int(key)].get_object()
        assert [ref.idnum for ref in parents] == [
            owners[(n, mcid)].number for mcid in mcids]
        # The tag of each sequence is its element's type.
        for sequence in tagged.pages[n - 1].sequences:
            if sequence.mcid is not None:
                assert sequence.tag == owners[(n, sequence.mcid)].kind


@pytest.mark.parametrize("which", ALL)
def test_nothing_is_drawn_outside_marked_content(which: str,
                                                 request: pytest.FixtureRequest) -> None:
    tagged: Tagged = request.getfixturevalue(which)
    for n, page in enumerate(tagged.pages, 1):
        assert page.unmarked == [], f"page {n}"
        assert page.nested == 0, f"page {n}: marked content inside marked content"
        for sequence in page.sequences:
            # Content has an MCID; an artifact has none and nothing else goes without one.
            assert (sequence.tag == "Artifact") == (sequence.mcid is None), sequence


def test_page_furniture_is_artifact(long_tagged: Tagged, long_doc: Document,
                                    layout: Layout) -> None:
    meta = long_doc.meta
    assert meta.marking and meta.disclaimer
    header = fill_label(layout.labels.running_header, long_doc, layout)
    pages = len(long_tagged.pages)
    for n, page in enumerate(long_tagged.pages, 1):
        artifacts = "".join(s.text for s in page.sequences if s.tag == "Artifact")
        furniture = [meta.marking, meta.marking, header if n > 1 else "", meta.disclaimer,
                     page_label(layout, n, pages)]
        assert bare(artifacts) == bare("".join(furniture)), f"page {n}"
        # The running header and the footer say what they are.
        headers = "".join(s.text for s in page.sequences if s.subtype == "Header")
        footers = "".join(s.text for s in page.sequences if s.subtype == "Footer")
        assert bare(headers) == bare(header if n > 1 else "")
        assert bare(footers) == bare(meta.disclaimer + page_label(layout, n, pages))


# ---------------------------------------------------------------- elements


@pytest.mark.parametrize("which", ALL)
def test_links_are_link_elements_with_their_annotations(which: str,
                                                        request: pytest.FixtureRequest) -> None:
    tagged: Tagged = request.getfixturevalue(which)
    links = {node.number: node for node in tagged.find("Link")}
    assert links
    annotated = set()
    for page in tagged.reader.pages:
        for ref in page.get("/Annots") or []:
            annotation = ref.get_object()
            link = links[tagged.parent_tree[int(annotation["/StructParent"])].idnum]
            assert ObjectItem(None, ref.idnum) in [
                ObjectItem(None, kid.annotation) for kid in link.kids
                if isinstance(kid, ObjectItem)]
            # The annotation's description is the link's text.
            assert bare(str(annotation["/Contents"])) == bare(tagged.text_of(link))
            annotated.add(link.number)
    # Every Link element has its annotation(s) and its text.
    assert annotated == set(links)
    assert all(tagged.text_of(link) for link in links.values())


def test_figures_carry_the_source_alt_text(long_tagged: Tagged, long_doc: Document,
                                           rich_tagged: Tagged, rich: Document) -> None:
    for tagged, document in ((long_tagged, long_doc), (rich_tagged, rich)):
        expected = [b.alt for b in walk(document.blocks) if isinstance(b, Figure)]
        figures = tagged.find("Figure")
        assert [f.alt for f in figures] == expected
        for figure in figures:
            [item] = figure.content()
            box = [float(v) for v in figure.obj["/A"][0]["/BBox"]]
            page = tagged.reader.pages[item.page - 1]
            assert 0 <= box[0] < box[2] <= float(page.mediabox.width)
            assert 0 <= box[1] < box[3] <= float(page.mediabox.height)


def test_a_paragraph_split_across_pages_is_one_element(long_tagged: Tagged,
                                                       long_doc: Document) -> None:
    split = [node for node in long_tagged.find("P")
             if len({item.page for item in node.content()}) > 1]
    assert split
    for node in split:
        first, *rest = node.content()
        assert all(item.page != first.page for item in rest)
        # A bare MCID is on the element's /Pg; the other page's is an MCR with its own /Pg.
        assert "/Pg" in node.obj
        kids = node.obj["/K"]
        assert any(isinstance(k.get_object(), DictionaryObject) and "/Pg" in k.get_object()
                   for k in kids if not isinstance(k, int))
    paragraphs = [bare(plain_text(b.inlines)) for b in long_doc.blocks
                  if isinstance(b, Paragraph)]
    assert all(bare(long_tagged.text_of(node)) in paragraphs for node in split)


def test_a_code_block_set_in_several_paragraphs_is_one_element(table_tagged: Tagged) -> None:
    [code] = [node for node in table_tagged.find("P") if "codeline0" in table_tagged.text_of(node)]
    assert bare(table_tagged.text_of(code)) == bare(CODE)
    assert len(code.content()) >= 4  # one marked-content sequence per part, at least


def test_tables_are_rows_of_header_and_data_cells(table_tagged: Tagged,
                                                  table_doc: Document) -> None:
    [big, tall] = table_tagged.find("Table")
    source = [b for b in table_doc.blocks if isinstance(b, Table)]
    for table, block in zip((big, tall), source, strict=True):
        rows = [kid for kid in table.kids if isinstance(kid, Node)]
        assert [r.kind for r in rows] == ["TR"] * (1 + len(block.rows))
        header, *body = rows
        for cell in header.kids:
            assert isinstance(cell, Node) and cell.kind == "TH"
            assert cell.obj["/A"][0]["/Scope"] == "/Column"
        for row in body:
            assert [c.kind for c in row.kids if isinstance(c, Node)] == ["TD"] * len(block.header)
    # The big table's header row repeats on later pages, as an artifact: its cells have
    # content on the first page only, and the later pages show it outside the tree.
    header_row, *body_rows = [kid for kid in big.kids if isinstance(kid, Node)]
    header_pages = {item.page for item in header_row.content()}
    body_pages = {item.page for row in body_rows for item in row.content()}
    assert len(header_pages) == 1 and len(body_pages) >= 3
    for n in sorted(body_pages - header_pages):
        artifacts = "".join(s.text for s in table_tagged.pages[n - 1].sequences
                            if s.tag == "Artifact")
        assert "CountryheaderValueheader" in bare(artifacts)
    # The cell taller than a page is one TD with content on several pages.
    [_, tall_row] = [kid for kid in tall.kids if isinstance(kid, Node)]
    tall_cell = [c for c in tall_row.kids if isinstance(c, Node)][1]
    assert len({item.page for item in tall_cell.content()}) >= 3


def test_a_link_wrapping_over_lines_is_one_link(table_tagged: Tagged) -> None:
    [long_link] = [node for node in table_tagged.find("Link")
                   if "linkword0" in table_tagged.text_of(node)]
    annotations = [kid for kid in long_link.kids if isinstance(kid, ObjectItem)]
    assert len(annotations) >= 3  # one per line
    assert bare(table_tagged.text_of(long_link)) == "".join(f"linkword{n}" for n in range(40))


def test_list_labels_are_the_markers(rich_tagged: Tagged) -> None:
    labels = [bare(rich_tagged.text_of(node)) for node in rich_tagged.find("Lbl")]
    assert labels[:8] == ["1.", "2.", "◦", "◦", "1.", "3.", "•", "◦"]
    for node in rich_tagged.find("L"):
        numbering = node.obj["/A"][0]["/ListNumbering"]
        first = bare(rich_tagged.text_of(next(n for n in node.walk() if n.kind == "Lbl")))
        assert numbering == {"•": "/Disc", "◦": "/Circle", "▪": "/Square"}.get(first,
                                                                              "/Decimal")


# ---------------------------------------------------------------- outline


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


@pytest.mark.parametrize("which", ALL)
def test_the_outline_is_the_headings(which: str, request: pytest.FixtureRequest) -> None:
    tagged: Tagged = request.getfixturevalue(which)
    headings = [node for node in tagged.root.walk() if re.fullmatch(r"H[1-3]", node.kind)]
    expected = []
    depth = -1
    for node in headings:
        depth = min(int(node.kind[1]) - 1, depth + 1)
        expected.append((depth, " ".join(tagged.text_of(node).split()),
                         node.content()[0].page))
    assert outline_entries(tagged.reader) == expected
    assert expected[0][0] == 0 and all(d >= 1 for d, _, _ in expected[1:])


def test_a_skipped_heading_level_is_tagged_one_below_the_last(tmp_path: Path,
                                                               layout: Layout) -> None:
    source = write_source(tmp_path, "title: Skip\nauthors: [X]\ndate: 2024-01-01",
                          "### Straight to three\n\nText.\n\n## Two\n\n### Three\n\n"
                          "## Key Points\n\n- One.")
    pdf = tmp_path / "skip.pdf"
    warnings = renderers()["pdf"].render(read_source(source), layout, pdf)
    assert warnings == []
    tagged = read_tagged(pdf)
    # A '###' straight after the title becomes H2, like Heading 2 in the Word brief, so the
    # structure never skips a level and the file may claim PDF/UA.
    assert [n.kind for n in tagged.root.walk() if n.kind.startswith("H")] == [
        "H1", "H2", "H2", "H3", "H2"]
    assert [d for d, _, _ in outline_entries(tagged.reader)] == [0, 1, 1, 2, 1]
    metadata: Any = tagged.reader.root_object["/Metadata"]
    assert b"<pdfuaid:part>" in metadata.get_data()


# ---------------------------------------------------------------- validators


@pytest.mark.parametrize("which", ALL)
def test_qpdf_finds_no_errors(which: str, request: pytest.FixtureRequest) -> None:
    tagged: Tagged = request.getfixturevalue(which)
    result = subprocess.run([require_tool("qpdf"), "--check", str(tagged.path)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("which", ALL)
def test_the_pdfua_checker_finds_nothing(which: str, request: pytest.FixtureRequest) -> None:
    # pdfua (PyPI; pikepdf-based, no JVM) checks a machine-checkable subset of PDF/UA-1; it
    # is not a dependency, so this runs only where it is installed. veraPDF is not
    # obtainable from the package registries this project uses.
    pdfua = pytest.importorskip("pdfua")
    tagged: Tagged = request.getfixturevalue(which)
    report = pdfua.validate(str(tagged.path))
    assert [(f.rule_id, f.message) for f in report.findings] == []
