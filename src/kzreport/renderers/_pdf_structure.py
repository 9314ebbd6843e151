"""The tagged PDF's logical structure: elements in reading order and the objects that write it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import field
from typing import Any, assert_never

from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFString

from kzreport.records import record

#: Structure types whose element stays in the tree even with nothing drawn: a table keeps a
#: regular grid of cells when one of them is empty.
_KEEP_EMPTY = frozenset({"TH", "TD", "TR"})
#: Heading structure types and their levels.
_HEADINGS = {f"H{n}": n for n in range(1, 7)}



@record(frozen=False, eq=False)
class ContentRef:
    """A marked-content sequence: MCID ``mcid`` on page ``page`` (counting from 1)."""

    page: int
    mcid: int


@record(frozen=False, eq=False)
class AnnotationRef:
    """A link annotation on page ``page`` belonging to its Link element."""

    page: int
    annotation: Any  # reportlab's reference to the annotation object


@record(frozen=False, eq=False)
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

    def move_to(self, parent: Element) -> None:
        """Make this element ``parent``'s last child, taking it from where it was."""
        if self.parent is not None:
            self.parent.kids.remove(self)
        self.parent = parent
        parent.kids.append(self)

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
            match kid:
                case Element():
                    kids.append(refs[id(kid)])
                case ContentRef():
                    # A bare MCID means "on the element's /Pg"; another page needs an MCR.
                    kids.append(kid.mcid if kid.page == first_page else PDFDictionary({
                        "Type": PDFName("MCR"), "Pg": self._page_refs[kid.page],
                        "MCID": kid.mcid}))
                case AnnotationRef():
                    kids.append(PDFDictionary({"Type": PDFName("OBJR"), "Obj": kid.annotation,
                                               "Pg": self._page_refs[kid.page]}))
                case _:
                    assert_never(kid)
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


# ---------------------------------------------------------------- paragraphs


@record
class OutlineEntry:
    """A bookmark to a heading: its title, outline level (0 = top) and unique key."""

    title: str
    level: int
    key: str


@record(frozen=False, eq=False)
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
    #: For a footnote's first paragraph, the note's number: its label links back to the
    #: reference.
    note: int | None = None
    #: The Note elements of the footnotes the paragraph refers to, by the URL of the link
    #: from the reference to the note: each moves in after its reference's Link when drawn.
    notes: dict[str, Element] = field(default_factory=dict)

    def link(self, number: int) -> Element:
        """The Link element of the paragraph's link ``number``."""
        if number not in self.links:
            url, text = self.targets.get(number, ("", ""))
            self.links[number] = self.element.add("Link", contents=" ".join(text.split())
                                                  or url)
            note = self.notes.get(url)
            if note is not None:
                note.move_to(self.element)
        return self.links[number]

    def link_for(self, url: str) -> Element | None:
        """The Link element of the paragraph's first link to ``url``."""
        for number, (target, _text) in sorted(self.targets.items()):
            if target == url:
                return self.link(number)
        return None
