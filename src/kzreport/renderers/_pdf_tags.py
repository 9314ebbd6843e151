"""Tagged PDF on reportlab: the structure tree, marked content on the canvas, and the catalog."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar, Protocol

from reportlab.pdfbase.pdfdoc import (
    PDFArray,
    PDFDictionary,
    PDFName,
    PDFPage,
    PDFStream,
    PDFString,
)
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import Image
from reportlab.platypus import Paragraph as PdfParagraph

from kzreport.renderers._common import xml_escape

#: Structure types whose element stays in the tree even with nothing drawn: a table keeps a
#: regular grid of cells when one of them is empty.
_KEEP_EMPTY = frozenset({"TH", "TD", "TR"})
#: Heading structure types and their levels.
_HEADINGS = {f"H{n}": n for n in range(1, 7)}


# ---------------------------------------------------------------- the logical structure


@dataclass(eq=False)
class ContentRef:
    """A marked-content sequence: MCID ``mcid`` on page ``page`` (counting from 1)."""

    page: int
    mcid: int


@dataclass(eq=False)
class AnnotationRef:
    """A link annotation on page ``page`` belonging to its Link element."""

    page: int
    annotation: Any  # reportlab's reference to the annotation object


@dataclass(eq=False)
class Element:
    """A structure element: its standard type (``P``, ``H2``, ``TD``…), its children in reading
    order, and the attributes some types carry."""

    kind: str
    parent: Element | None = None
    kids: list[Element | ContentRef | AnnotationRef] = field(default_factory=list)
    #: Alternate text (/Alt), for figures.
    alt: str | None = None
    #: /Scope of a table header cell.
    scope: str | None = None
    #: A figure's box on its page, in PDF units (/BBox of its layout attributes).
    bbox: tuple[float, float, float, float] | None = None
    #: The description a link's annotation carries (its /Contents).
    contents: str | None = None
    #: A list's /ListNumbering (Decimal, Disc, Circle, Square).
    numbering: str | None = None

    def add(self, kind: str, *, alt: str | None = None, scope: str | None = None,
            contents: str | None = None, numbering: str | None = None) -> Element:
        """A new child of type ``kind``, after the children already there."""
        child = Element(kind, self, alt=alt, scope=scope, contents=contents,
                        numbering=numbering)
        self.kids.append(child)
        return child

    def walk(self) -> Iterator[Element]:
        """This element and every element under it, in reading order."""
        yield self
        for kid in self.kids:
            if isinstance(kid, Element):
                yield from kid.walk()

    def has_content(self) -> bool:
        """Whether anything drawn belongs to this element or one under it."""
        return any(not isinstance(kid, Element) or kid.has_content() for kid in self.kids)


class StructureTree:
    """The document's structure: elements made while the story is built (so the tree's order
    is the source's reading order, whatever the drawing order), and the content each one
    owns, recorded while pages are drawn."""

    def __init__(self) -> None:
        self.root = Element("Document")
        #: Per page, the element owning each MCID (the ParentTree's arrays).
        self._owners: dict[int, list[Element]] = {}
        self._page_refs: dict[int, Any] = {}
        #: ParentTree keys: a page's, or an annotation's.
        self._page_keys: dict[int, int] = {}
        self._annotation_owners: dict[int, Element] = {}
        self._next_key = 0

    def mark(self, element: Element, page: int, page_ref: Any) -> int:
        """A new MCID on ``page`` for content of ``element``."""
        owners = self._owners.setdefault(page, [])
        if page not in self._page_keys:
            self._page_keys[page] = self._key()
            self._page_refs[page] = page_ref
        owners.append(element)
        mcid = len(owners) - 1
        element.kids.append(ContentRef(page, mcid))
        return mcid

    def annotation_key(self, link: Element) -> int:
        """The /StructParent of a new annotation of ``link``."""
        key = self._key()
        self._annotation_owners[key] = link
        return key

    def annotate(self, link: Element, page: int, page_ref: Any, annotation: Any) -> None:
        """Record that ``annotation`` on ``page`` is part of ``link``."""
        self._page_refs.setdefault(page, page_ref)
        link.kids.append(AnnotationRef(page, annotation))

    def page_key(self, page: int) -> int | None:
        """``page``'s /StructParents, or None when nothing on it is tagged."""
        return self._page_keys.get(page)

    def _key(self) -> int:
        self._next_key += 1
        return self._next_key - 1

    def problems(self) -> list[str]:
        """What keeps the file from claiming PDF/UA (nothing, when the renderer did its job)."""
        found = []
        level = 0
        for element in self.root.walk():
            if element.kind in _HEADINGS:
                # PDF/UA: the first heading is H1 and no level is skipped after it.
                if _HEADINGS[element.kind] > level + 1:
                    found.append(f"heading level {_HEADINGS[element.kind]} follows level "
                                 f"{level}, skipping a level")
                level = _HEADINGS[element.kind]
            if element.kind == "Figure" and not (element.alt or "").strip():
                found.append("a figure has no alternate text")
            if element.kind == "Link" and not any(isinstance(k, AnnotationRef)
                                                  for k in element.kids):
                found.append("a link has no annotation")
        if not self._owners:
            found.append("nothing is tagged")
        return found

    def write(self, document: Any) -> Any:
        """Register the tree's objects with reportlab's ``document``; the StructTreeRoot."""
        self._prune(self.root)
        root_dict = PDFDictionary({"Type": PDFName("StructTreeRoot")})
        root_ref = document.Reference(root_dict)
        # Register every element first: parents and children refer to each other.
        refs: dict[int, Any] = {}
        dicts: dict[int, PDFDictionary] = {}
        for element in self.root.walk():
            dicts[id(element)] = PDFDictionary()
            refs[id(element)] = document.Reference(dicts[id(element)])
        for element in self.root.walk():
            parent = refs[id(element.parent)] if element.parent is not None else root_ref
            dicts[id(element)].dict.update(self._element_entries(element, parent, refs))
        nums: list[Any] = []
        keyed: list[tuple[int, Any]] = [
            (key, PDFArray([refs[id(owner)] for owner in self._owners[page]]))
            for page, key in self._page_keys.items()]
        keyed += [(key, refs[id(link)]) for key, link in self._annotation_owners.items()
                  if id(link) in refs]
        for key, value in sorted(keyed, key=lambda pair: pair[0]):
            nums += [key, value]
        root_dict.dict.update({
            "K": PDFArray([refs[id(self.root)]]),
            "ParentTree": document.Reference(PDFDictionary({"Nums": PDFArray(nums)})),
            "ParentTreeNextKey": self._next_key,
        })
        return root_ref

    def _element_entries(self, element: Element, parent: Any,
                         refs: dict[int, Any]) -> dict[str, Any]:
        entries: dict[str, Any] = {"Type": PDFName("StructElem"), "S": PDFName(element.kind),
                                   "P": parent}
        first_page = next((kid.page for kid in element.kids if isinstance(kid, ContentRef)),
                          None)
        if first_page is not None:
            entries["Pg"] = self._page_refs[first_page]
        kids: list[Any] = []
        for kid in element.kids:
            if isinstance(kid, Element):
                kids.append(refs[id(kid)])
            elif isinstance(kid, ContentRef):
                # A bare MCID means "on the element's /Pg"; another page needs an MCR.
                kids.append(kid.mcid if kid.page == first_page else PDFDictionary({
                    "Type": PDFName("MCR"), "Pg": self._page_refs[kid.page], "MCID": kid.mcid}))
            else:
                kids.append(PDFDictionary({"Type": PDFName("OBJR"), "Obj": kid.annotation,
                                           "Pg": self._page_refs[kid.page]}))
        if kids:  # an empty table cell has none
            entries["K"] = PDFArray(kids)
        if element.alt is not None:
            entries["Alt"] = PDFString(element.alt)
        attributes = []
        if element.scope is not None:
            attributes.append({"O": PDFName("Table"), "Scope": PDFName(element.scope)})
        if element.numbering is not None:
            attributes.append({"O": PDFName("List"),
                               "ListNumbering": PDFName(element.numbering)})
        if element.bbox is not None:
            attributes.append({"O": PDFName("Layout"), "Placement": PDFName("Block"),
                               "BBox": PDFArray([round(v, 2) for v in element.bbox])})
        if attributes:
            entries["A"] = PDFArray([PDFDictionary(a) for a in attributes])
        return entries

    def _prune(self, element: Element) -> None:
        """Drop elements nothing was drawn for (say, a paragraph of only a non-breaking space
        that reportlab skipped), except table cells, which keep the grid regular."""
        for kid in [k for k in element.kids if isinstance(k, Element)]:
            self._prune(kid)
            if not kid.has_content() and kid.kind not in _KEEP_EMPTY:
                element.kids.remove(kid)


# ---------------------------------------------------------------- document metadata


@dataclass(frozen=True)
class DocumentInfo:
    """What the XMP metadata says about the document (the information dictionary agrees)."""

    title: str
    authors: tuple[str, ...]
    subject: str
    keywords: tuple[str, ...]
    language: str
    creator: str
    producer: str
    created: dt.datetime  # naive UTC


def xmp_packet(info: DocumentInfo, pdfua: bool) -> bytes:
    """The XMP metadata packet: Dublin Core title, creators, description, language and
    subjects; producer, tool and dates; and the PDF/UA identification when ``pdfua``."""

    def items(values: tuple[str, ...]) -> str:
        return "".join(f"<rdf:li>{xml_escape(v)}</rdf:li>" for v in values)

    when = info.created.strftime("%Y-%m-%dT%H:%M:%SZ")
    lines = [
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>',
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">',
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
        '<rdf:Description rdf:about=""',
        ' xmlns:dc="http://purl.org/dc/elements/1.1/"',
        ' xmlns:pdf="http://ns.adobe.com/pdf/1.3/"',
        ' xmlns:xmp="http://ns.adobe.com/xap/1.0/"',
        ' xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">',
        "<dc:format>application/pdf</dc:format>",
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{xml_escape(info.title)}</rdf:li>'
        "</rdf:Alt></dc:title>",
        f"<dc:creator><rdf:Seq>{items(info.authors)}</rdf:Seq></dc:creator>",
        f'<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{xml_escape(info.subject)}'
        "</rdf:li></rdf:Alt></dc:description>",
        f"<dc:language><rdf:Bag>{items((info.language,))}</rdf:Bag></dc:language>",
    ]
    if info.keywords:
        lines += [f"<dc:subject><rdf:Bag>{items(info.keywords)}</rdf:Bag></dc:subject>",
                  f"<pdf:Keywords>{xml_escape(', '.join(info.keywords))}</pdf:Keywords>"]
    lines += [
        f"<pdf:Producer>{xml_escape(info.producer)}</pdf:Producer>",
        f"<xmp:CreatorTool>{xml_escape(info.creator)}</xmp:CreatorTool>",
        f"<xmp:CreateDate>{when}</xmp:CreateDate>",
        f"<xmp:ModifyDate>{when}</xmp:ModifyDate>",
        f"<xmp:MetadataDate>{when}</xmp:MetadataDate>",
    ]
    if pdfua:
        lines.append("<pdfuaid:part>1</pdfuaid:part>")
    lines += ["</rdf:Description>", "</rdf:RDF>", "</x:xmpmeta>", '<?xpacket end="w"?>']
    return "\n".join(lines).encode("utf-8")


# ---------------------------------------------------------------- the canvas


class LinkSource(Protocol):
    """What finds the Link element of an annotation made while a paragraph is drawn."""

    def link_for(self, url: str) -> Element | None: ...


class _TaggedPage(PDFPage):  # type: ignore[misc]  # reportlab is untyped
    """A page dictionary that also writes /StructParents and /Tabs. reportlab builds the page
    object inside ``showPage`` with no factory to override, and writes only the keys its class
    lists, so the finished page is given this class."""

    __NoDefault__: ClassVar[list[str]] = [*PDFPage.__NoDefault__, "StructParents", "Tabs"]


def _artifact_unless_marked(draw: Callable[..., Any]) -> Callable[..., Any]:
    """``draw`` (a canvas painting method) wrapped so that what it paints outside any marked
    content becomes an artifact: rules, backgrounds, bars and borders need no tagging code."""

    @functools.wraps(draw)
    def painting(self: TaggingCanvas, *args: Any, **kwargs: Any) -> Any:
        with self.artifact():
            return draw(self, *args, **kwargs)

    return painting


class TaggingCanvas(Canvas):  # type: ignore[misc]  # reportlab is untyped
    """A canvas writing a tagged PDF: content of structure elements in marked-content
    sequences with MCIDs, everything else as /Artifact, link annotations tied to their Link
    elements, and at ``save`` the structure tree, MarkInfo and XMP metadata in the catalog."""

    def __init__(self, *args: Any, tree: StructureTree, info: DocumentInfo,
                 **kwargs: Any) -> None:
        self.tree = tree
        self.info = info
        #: Inside a BDC/BMC this canvas opened (content of an element, or an artifact).
        self._marked = False
        #: The Lbl the next unmarked text object belongs to (a list item's bullet or number).
        self._label: Element | None = None
        #: Where links of the paragraph being drawn find their Link element.
        self._links: LinkSource | None = None
        self._untagged_annotations = 0
        #: Why the file does not claim PDF/UA (set by ``save``; empty when it does).
        self.pdfua_problems: list[str] = []
        # PDF/UA-1 is defined on PDF 1.7 (and /Tabs needs 1.5).
        kwargs["pdfVersion"] = (1, 7)
        super().__init__(*args, **kwargs)

    # ------------------------------------------------------------ marked content

    def new_mcid(self, element: Element) -> int:
        """An MCID on the current page for content of ``element``."""
        # reportlab names pages in order, so the page being drawn is the document's next one.
        return self.tree.mark(element, self.getPageNumber(), self._doc.thisPageRef())

    @contextmanager
    def tagged(self, element: Element) -> Iterator[None]:
        """Everything drawn inside is content of ``element``."""
        if self._marked:
            raise RuntimeError(f"{element.kind} content inside other marked content")
        self.addLiteral(f"/{element.kind} <</MCID {self.new_mcid(element)}>> BDC")
        self._marked = True
        try:
            yield
        finally:
            self.addLiteral("EMC")
            self._marked = False

    @contextmanager
    def artifact(self, kind: str | None = None, subtype: str | None = None) -> Iterator[None]:
        """Everything drawn inside is an artifact, of type ``kind`` ("Pagination", "Layout")
        and ``subtype`` ("Header", "Footer") when given. Inside other marked content this
        adds nothing."""
        if self._marked:
            yield
            return
        if kind is None:
            self.addLiteral("/Artifact BMC")
        else:
            properties = f"/Type /{kind}" + (f" /Subtype /{subtype}" if subtype else "")
            self.addLiteral(f"/Artifact <<{properties}>> BDC")
        self._marked = True
        try:
            yield
        finally:
            self.addLiteral("EMC")
            self._marked = False

    @contextmanager
    def inside_marked_content(self) -> Iterator[None]:
        """Draw without marks of its own: for a form XObject whose every use is shown inside
        marked content already (an artifact of the page that shows it)."""
        marked, self._marked = self._marked, True
        try:
            yield
        finally:
            self._marked = marked

    def expect_label(self, label: Element | None) -> None:
        """The next text object drawn outside marked content is ``label``'s (None: no more)."""
        self._label = label

    def expect_links(self, source: LinkSource | None) -> None:
        """Link annotations made from now on belong to ``source``'s Link elements."""
        self._links = source

    # Painting operators outside marked content are artifacts (see _artifact_unless_marked).
    rect = _artifact_unless_marked(Canvas.rect)
    roundRect = _artifact_unless_marked(Canvas.roundRect)
    line = _artifact_unless_marked(Canvas.line)
    lines = _artifact_unless_marked(Canvas.lines)
    grid = _artifact_unless_marked(Canvas.grid)
    bezier = _artifact_unless_marked(Canvas.bezier)
    arc = _artifact_unless_marked(Canvas.arc)
    ellipse = _artifact_unless_marked(Canvas.ellipse)
    wedge = _artifact_unless_marked(Canvas.wedge)
    circle = _artifact_unless_marked(Canvas.circle)
    drawPath = _artifact_unless_marked(Canvas.drawPath)
    drawImage = _artifact_unless_marked(Canvas.drawImage)
    drawInlineImage = _artifact_unless_marked(Canvas.drawInlineImage)
    doForm = _artifact_unless_marked(Canvas.doForm)
    shade = _artifact_unless_marked(Canvas.shade)

    def drawText(self, text_object: Any) -> None:
        if isinstance(text_object, MarkedText):
            # A paragraph's text marks itself, inside its BT/ET (links split it).
            if self._marked:
                raise RuntimeError("tagged text inside other marked content")
            super().drawText(text_object)
        elif self._label is not None and not self._marked:
            label, self._label = self._label, None
            with self.tagged(label):
                super().drawText(text_object)
        else:
            with self.artifact():
                super().drawText(text_object)

    def linkURL(self, url: str, rect: Any, relative: int = 0, thickness: int = 0,
                color: Any = None, dashArray: Any = None, kind: str = "URI",
                **kw: Any) -> None:
        link = self._links.link_for(url) if self._links is not None else None
        if link is None:
            self._untagged_annotations += 1
            super().linkURL(url, rect, relative, thickness, color, dashArray, kind, **kw)
            return
        kw["StructParent"] = self.tree.annotation_key(link)
        kw["Contents"] = PDFString(link.contents or url)
        super().linkURL(url, rect, relative, thickness, color, dashArray, kind, **kw)
        # linkURL returns nothing: the annotation it made is the page's latest.
        self.tree.annotate(link, self.getPageNumber(), self._doc.thisPageRef(),
                           self._annotationrefs[-1])

    # ------------------------------------------------------------ pages and document

    def showPage(self) -> None:
        number = self.getPageNumber()
        super().showPage()
        page = self._doc.Pages[-1]
        page.__class__ = _TaggedPage
        key = self.tree.page_key(number)
        page.StructParents = key
        # Tab order follows the structure (PDF/UA for pages with annotations; harmless else).
        page.Tabs = PDFName("S")

    def show_pending_page(self) -> None:
        """Finish the page being drawn, if anything is on it (as reportlab's ``save`` does,
        but before the structure is written, since the page's marks belong in it)."""
        if self._code:
            self.showPage()

    def save(self) -> None:
        self.show_pending_page()
        problems = self.tree.problems()
        if self._untagged_annotations:
            problems.append(f"{self._untagged_annotations} link annotations are not tagged")
        self.pdfua_problems = problems
        self.setCatalogEntry("StructTreeRoot", self.tree.write(self._doc))
        self.setCatalogEntry("MarkInfo", PDFDictionary({"Marked": "true"}))
        metadata = PDFStream(PDFDictionary({"Type": PDFName("Metadata"),
                                            "Subtype": PDFName("XML")}),
                             xmp_packet(self.info, pdfua=not problems))
        # No filters (reportlab compresses only page streams), so that metadata readers and
        # validators can read it.
        self.setCatalogEntry("Metadata", metadata)
        super().save()


# ---------------------------------------------------------------- tagged flowables


@dataclass(frozen=True)
class OutlineEntry:
    """A bookmark to a heading: its title, outline level (0 = top) and unique key."""

    title: str
    level: int
    key: str


@dataclass(eq=False)
class ParagraphTags:
    """How a paragraph is tagged: the element its text belongs to, the Lbl of its bullet,
    its bookmark, and the Link elements of its links (made as they are drawn, so they sit
    among the paragraph's text in reading order; shared by the pieces of a split paragraph)."""

    element: Element
    label: Element | None = None
    outline: OutlineEntry | None = None
    #: reportlab's link number -> (URL, link text), read from the paragraph's fragments.
    targets: dict[int, tuple[str, str]] = field(default_factory=dict)
    links: dict[int, Element] = field(default_factory=dict)

    def link(self, number: int) -> Element:
        """The Link element of the paragraph's link ``number``."""
        if number not in self.links:
            url, text = self.targets.get(number, ("", ""))
            self.links[number] = self.element.add("Link", contents=" ".join(text.split())
                                                  or url)
        return self.links[number]

    def link_for(self, url: str) -> Element | None:
        """The Link element of the paragraph's first link to ``url``."""
        for number, (target, _text) in sorted(self.targets.items()):
            if target == url:
                return self.link(number)
        return None


class MarkedText(PDFTextObject):  # type: ignore[misc]  # reportlab is untyped
    """A paragraph's text object that marks its own content: a sequence for the paragraph's
    element, interrupted by one for each link's Link element. The marks are inside BT/ET,
    which PDF allows, because a link can start and end anywhere within the text."""

    def __init__(self, canvas: TaggingCanvas, x: float, y: float, tags: ParagraphTags,
                 schedule: list[tuple[str, int | None]], whole_link: int | None) -> None:
        super().__init__(canvas, x, y)
        self._tagging = canvas
        self._tags = tags
        #: The text reportlab will show, fragment by fragment, with each one's link number.
        self._schedule = schedule
        #: For a paragraph reportlab draws as one fragment: the link it is, if any.
        self._whole_link = whole_link
        self._owner: Element | None = None
        #: Links shown on the current line, and those whose annotations are still to come.
        self._line_links: list[int] = []
        self._pending: list[int] = []

    def _owner_of(self, text: str) -> Element | None:
        """The element ``text`` belongs to, or None to stay in the current sequence."""
        if self._whole_link is not None:
            return self._tags.link(self._whole_link)
        if not self._schedule:
            return None
        expected, link = self._schedule[0]
        if expected != text:
            # reportlab drew something else than planned: keep the text in one sequence
            # rather than guess (links are still tagged, by their URL).
            self._schedule.clear()
            return None
        self._schedule.pop(0)
        if not text:
            return None
        if link is not None:
            if link not in self._line_links:
                self._line_links.append(link)
            return self._tags.link(link)
        return self._tags.element

    def _show(self, text: str) -> None:
        owner = self._owner_of(text) or self._owner or self._tags.element
        if owner is not self._owner:
            if self._owner is not None:
                self._code.append("EMC")
            self._code.append(f"/{owner.kind} <</MCID {self._tagging.new_mcid(owner)}>> BDC")
            self._owner = owner

    def _textOut(self, text: str, TStar: int = 0) -> None:
        self._show(text)
        super()._textOut(text, TStar)
        if TStar:
            # The line is done; reportlab now adds its links' annotations, by link number.
            self._pending += sorted(self._line_links)
            self._line_links = []

    def textOut(self, text: str) -> None:
        self._show(text)
        super().textOut(text)

    def textLine(self, text: str = "") -> None:
        self._show(text)
        super().textLine(text)

    def link_for(self, url: str) -> Element | None:
        """The Link element an annotation for ``url`` made now belongs to."""
        if self._whole_link is not None:
            return self._tags.link(self._whole_link)
        for number in self._pending:
            if self._tags.targets.get(number, ("", ""))[0] == url:
                self._pending.remove(number)
                return self._tags.link(number)
        return self._tags.link_for(url)

    def getCode(self) -> str:
        if self._owner is not None:
            self._code.append("EMC")
            self._owner = None
        return str(super().getCode())


class TaggedParagraph(PdfParagraph):  # type: ignore[misc]  # reportlab is untyped
    """A paragraph whose text is content of a structure element (and whose bullet, if any,
    of a Lbl), with a bookmark when it is a heading. Build it with ``tagged_paragraph``."""

    tags: ParagraphTags | None = None
    _drawn = False
    _marking = False

    def split(self, availWidth: float, availHeight: float) -> list[Any]:
        parts: list[Any] = super().split(availWidth, availHeight)
        for n, part in enumerate(parts):
            if self.tags is not None and isinstance(part, TaggedParagraph):
                # Later pieces have no bullet and are not where the heading starts.
                part.tags = self.tags if n == 0 else replace(self.tags, label=None,
                                                             outline=None)
        return parts

    def draw(self) -> None:
        canvas = self.canv
        tags = self.tags
        if tags is None or not isinstance(canvas, TaggingCanvas):
            super().draw()
            return
        if self._drawn:
            # Drawn a second time: a table's header row repeated on a later page, which is
            # pagination (an artifact), not more content; its links stay the same Links.
            canvas.expect_links(tags)
            try:
                super().draw()
            finally:
                canvas.expect_links(None)
            return
        self._drawn = True
        if tags.outline is not None:
            canvas.bookmarkHorizontal(tags.outline.key, 0, self.height)
            canvas.addOutlineEntry(tags.outline.title, tags.outline.key, tags.outline.level,
                                   closed=False)
        canvas.expect_label(tags.label if self.bulletText else None)
        canvas.expect_links(tags)
        self._marking = True
        try:
            super().draw()
        finally:
            self._marking = False
            canvas.expect_label(None)
            canvas.expect_links(None)

    def beginText(self, x: float, y: float) -> Any:
        if not self._marking or self.tags is None:
            return super().beginText(x, y)
        blocks = self.blPara
        whole_link = None
        schedule: list[tuple[str, int | None]] = []
        if blocks.kind == 0:
            # One fragment for the whole paragraph: it is a link or it is not.
            whole_link = blocks.link[0][0] if getattr(blocks, "link", None) else None
        else:
            for line in blocks.lines:
                for word in line.words:
                    if hasattr(word, "cbDefn"):
                        if word is line.words[-1]:
                            schedule.append(("", None))
                        continue
                    links = getattr(word, "link", None) or []
                    schedule.append((word.text, links[0][0] if links else None))
        text = MarkedText(self.canv, x, y, self.tags, schedule, whole_link)
        self.canv.expect_links(text)
        return text


def tagged_paragraph(text: str, style: Any, element: Element, *, bullet: str | None = None,
                     label: Element | None = None,
                     outline: OutlineEntry | None = None) -> TaggedParagraph:
    """A paragraph of markup ``text`` whose text is ``element``'s content, its ``bullet``
    ``label``'s, and with a bookmark ``outline``."""
    paragraph = TaggedParagraph(text, style, bulletText=bullet)
    targets: dict[int, tuple[str, str]] = {}
    for fragment in paragraph.frags:
        for number, url in getattr(fragment, "link", None) or []:
            previous = targets.get(number, (url, ""))[1]
            targets[number] = (url, previous + getattr(fragment, "text", ""))
    paragraph.tags = ParagraphTags(element, label, outline, targets)
    return paragraph


class TaggedImage(Image):  # type: ignore[misc]  # reportlab is untyped
    """An image that is a Figure element's content, with its box recorded for /BBox."""

    element: Element | None = None

    def draw(self) -> None:
        canvas = self.canv
        if self.element is None or not isinstance(canvas, TaggingCanvas):
            super().draw()
            return
        x0, y0 = canvas.absolutePosition(0, 0)
        x1, y1 = canvas.absolutePosition(self.drawWidth, self.drawHeight)
        self.element.bbox = (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
        with canvas.tagged(self.element):
            super().draw()
