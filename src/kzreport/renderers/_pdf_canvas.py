"""The tagging canvas: content in marked-content sequences, the rest as artifacts."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol

from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFName, PDFStream, PDFString
from reportlab.pdfgen.canvas import Canvas

from kzreport.renderers._pdf_metadata import DocumentInfo, xmp_packet
from kzreport.renderers._pdf_structure import Element, ParagraphTags, StructureTree
from kzreport.renderers._reportlab_internals import (
    ObservedTextObject,
    add_page_entries,
    latest_annotation,
    link_to_destination,
    page_has_content,
    page_reference,
    pdf_document,
)


class LinkSource(Protocol):
    """What finds the Link element of an annotation made while a paragraph is drawn."""

    def link_for(self, url: str) -> Element | None: ...


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
        #: The page each heading's bookmark is on, by key: the contents' page numbers.
        self.heading_pages: dict[str, int] = {}
        # PDF/UA-1 is defined on PDF 1.7 (and /Tabs needs 1.5).
        kwargs["pdfVersion"] = (1, 7)
        super().__init__(*args, **kwargs)

    # ------------------------------------------------------------ marked content

    def new_mcid(self, element: Element) -> int:
        """An MCID on the current page for content of ``element``."""
        # reportlab names pages in order, so the page being drawn is the document's next one.
        return self.tree.mark(element, self.getPageNumber(), page_reference(self))

    @contextmanager
    def tagged(self, element: Element) -> Iterator[None]:
        """Everything drawn inside is content of ``element``."""
        if self._marked:
            raise RuntimeError(f"{element.kind} content inside other marked content")
        with self._sequence(f"/{element.kind} <</MCID {self.new_mcid(element)}>> BDC"):
            yield

    @contextmanager
    def artifact(self, kind: str | None = None, subtype: str | None = None) -> Iterator[None]:
        """Everything drawn inside is an artifact, of type ``kind`` ("Pagination", "Layout")
        and ``subtype`` ("Header", "Footer") when given. Inside other marked content this
        adds nothing."""
        if self._marked:
            yield
            return
        if kind is None:
            opening = "/Artifact BMC"
        else:
            properties = f"/Type /{kind}" + (f" /Subtype /{subtype}" if subtype else "")
            opening = f"/Artifact <<{properties}>> BDC"
        with self._sequence(opening):
            yield

    @contextmanager
    def _sequence(self, opening: str) -> Iterator[None]:
        """Everything drawn inside is in the marked-content sequence ``opening`` begins."""
        self.addLiteral(opening)
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
        self.tree.annotate(link, self.getPageNumber(), page_reference(self),
                           latest_annotation(self))

    def linkRect(self, contents: str, destinationname: str, Rect: Any = None,
                 addtopage: int = 1, name: Any = None, relative: int = 1, thickness: int = 0,
                 color: Any = None, dashArray: Any = None, **kw: Any) -> None:
        # A link inside the document (to a heading, a footnote or back to its reference).
        link = (self._links.link_for("#" + destinationname) if self._links is not None
                else None)
        if link is None:
            self._untagged_annotations += 1
            super().linkRect(contents, destinationname, Rect, addtopage, name, relative,
                             thickness, color, dashArray, Border="[0 0 0]", **kw)
            return
        self.link_to(link, destinationname, Rect, relative)

    def link_to(self, link: Element, destination: str, rect: Any, relative: int = 1) -> None:
        """An annotation over ``rect`` linking to named ``destination``, belonging to
        ``link``."""
        annotation = link_to_destination(self, destination, rect, relative, {
            "StructParent": self.tree.annotation_key(link),
            "Contents": PDFString(link.contents or destination)})
        self.tree.annotate(link, self.getPageNumber(), page_reference(self), annotation)

    # ------------------------------------------------------------ pages and document

    def showPage(self) -> None:
        number = self.getPageNumber()
        super().showPage()
        # Tab order follows the structure (PDF/UA for pages with annotations; harmless else).
        add_page_entries(self, {"StructParents": self.tree.page_key(number),
                                "Tabs": PDFName("S")})

    def show_pending_page(self) -> None:
        """Finish the page being drawn, if anything is on it (as reportlab's ``save`` does,
        but before the structure is written, since the page's marks belong in it)."""
        if page_has_content(self):
            self.showPage()

    def save(self) -> None:
        self.show_pending_page()
        problems = self.tree.problems()
        if self._untagged_annotations:
            problems.append(f"{self._untagged_annotations} link annotations are not tagged")
        self.pdfua_problems = problems
        self.setCatalogEntry("StructTreeRoot", self.tree.write(pdf_document(self)))
        self.setCatalogEntry("MarkInfo", PDFDictionary({"Marked": "true"}))
        metadata = PDFStream(PDFDictionary({"Type": PDFName("Metadata"),
                                            "Subtype": PDFName("XML")}),
                             xmp_packet(self.info, pdfua=not problems))
        # No filters (reportlab compresses only page streams), so that metadata readers and
        # validators can read it.
        self.setCatalogEntry("Metadata", metadata)
        super().save()


# ---------------------------------------------------------------- paragraph text


class MarkedText(ObservedTextObject):
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

    def showing(self, text: str) -> None:
        owner = self._owner_of(text) or self._owner or self._tags.element
        if owner is not self._owner:
            if self._owner is not None:
                self.add_operator("EMC")
            self.add_operator(f"/{owner.kind} <</MCID {self._tagging.new_mcid(owner)}>> BDC")
            self._owner = owner

    def line_ended(self) -> None:
        # reportlab now adds the line's links' annotations, by link number.
        self._pending += sorted(self._line_links)
        self._line_links = []

    def textOut(self, text: str) -> None:
        self.showing(text)
        super().textOut(text)

    def textLine(self, text: str = "") -> None:
        self.showing(text)
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
            self.add_operator("EMC")
            self._owner = None
        return str(super().getCode())
