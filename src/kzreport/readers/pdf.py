"""The PDF report read back with pypdf: text per page and region, links, document info."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kzreport.extraction import Extraction, Page
from kzreport.layout import Layout

# pypdf logs what it repairs ("EOF marker not found") to stderr; verify reports a damaged
# output itself, in one line.
logging.getLogger("pypdf").addHandler(logging.NullHandler())
logging.getLogger("pypdf").propagate = False

#: The regions of a page: the body, and the page furniture a tagged PDF marks as pagination
#: artifacts (ISO 32000-1, 14.8.2.2), the header and footer by their subtypes.
BODY, HEADER, FOOTER, BANNER = "body", "header", "footer", "banner"
_SUBTYPES = {"/Header": HEADER, "/Footer": FOOTER}


def _region(operator: bytes, operands: list[Any], outer: str) -> str:
    """The region of what a marked-content sequence begun by ``operator`` holds: a pagination
    artifact's (a banner without a subtype), else the region it is in."""
    if operator != b"BDC" or len(operands) < 2 or operands[0] != "/Artifact":
        return outer
    properties = operands[1]
    properties = properties.get_object() if hasattr(properties, "get_object") else properties
    if not hasattr(properties, "get") or properties.get("/Type") != "/Pagination":
        return outer
    return _SUBTYPES.get(str(properties.get("/Subtype")), BANNER)


def read_page(page: Any) -> Page:
    """The text of ``page``, all of it and by region; a banner is the top one when it is drawn
    in the upper half of the page."""
    middle = float(page.mediabox.bottom) + float(page.mediabox.height) / 2
    regions: list[str] = []  # of the marked-content sequences open, innermost last
    text: list[str] = []
    found: dict[str, list[str]] = {region: [] for region in (BODY, HEADER, FOOTER)}
    banners: dict[bool, list[str]] = {True: [], False: []}

    def marked(operator: bytes, operands: Any, cm: Any, tm: Any) -> None:
        if operator in (b"BDC", b"BMC"):
            regions.append(_region(operator, operands, regions[-1] if regions else BODY))
        elif operator == b"EMC" and regions:
            regions.pop()

    def visit(chunk: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        # pypdf hands text over when its text object or position ends, before the EMC that
        # closes its marked content.
        text.append(chunk)
        region = regions[-1] if regions else BODY
        if region == BANNER:
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            banners[y > middle].append(chunk)
        else:
            found[region].append(chunk)

    page.extract_text(visitor_operand_before=marked, visitor_text=visit)
    return Page("".join(text), "".join(found[BODY]), "".join(found[HEADER]),
                "".join(found[FOOTER]), "".join(banners[True]), "".join(banners[False]))


def read_pdf(path: Path, layout: Layout) -> Extraction:
    """The text (per page, and per region of each page), link annotations and document
    information of a PDF, read with pypdf."""
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    pages: list[Page] = []
    links: set[str] = set()
    turned: list[bool] = []
    for page in reader.pages:
        pages.append(read_page(page))
        turned.append(float(page.mediabox.width) > float(page.mediabox.height))
        annotations = page.get("/Annots")
        for reference in annotations.get_object() if annotations is not None else []:
            annotation = reference.get_object()
            action = annotation.get("/A")
            action = action.get_object() if action is not None else None
            # Internal links (/GoTo, e.g. a table of contents) are not hyperlinks of the paper.
            if (annotation.get("/Subtype") == "/Link" and action is not None
                    and action.get("/S") == "/URI" and action.get("/URI") is not None):
                links.add(str(action["/URI"]))
    pages_by_object = {page.indirect_reference.idnum: number
                       for number, page in enumerate(reader.pages, 1)
                       if page.indirect_reference is not None}
    root = reader.root_object.get("/StructTreeRoot")
    note_pages = tuple(_note_pages(root, pages_by_object)) if root is not None else ()
    info = reader.metadata
    title = str(info["/Title"]) if info is not None and "/Title" in info else None
    author = str(info["/Author"]) if info is not None and "/Author" in info else None
    # The body text of landscape pages, when the first is portrait (a paper's wide tables).
    landscape = [page.body for page, wide in zip(pages, turned, strict=True)
                 if wide and not turned[0]]
    return Extraction("\n".join(p.text for p in pages), title, author, frozenset(links),
                      pages=tuple(pages), note_pages=note_pages, landscape="\n".join(landscape))


def _kids(element: Any) -> list[Any]:
    kids = element.get("/K")
    if kids is None:
        return []
    return [kid.get_object() for kid in (kids if isinstance(kids, list) else [kids])]


#: How deep the structure tree is read: a damaged file may loop.
_MAX_DEPTH = 64


def _first_page(element: Any, pages: dict[int, int], depth: int = 0) -> int | None:
    """The number of the page that shows the first content of a structure element (or of a
    marked-content or object reference): its own /Pg, else its first kid's."""
    if not hasattr(element, "get") or depth > _MAX_DEPTH:
        return None
    if "/Pg" in element:
        return pages.get(getattr(element.raw_get("/Pg"), "idnum", -1))
    for kid in _kids(element):
        page = _first_page(kid, pages, depth + 1)
        if page is not None:
            return page
    return None


def _note_pages(element: Any, pages: dict[int, int],
                depth: int = 0) -> Iterator[tuple[int | None, int | None]]:
    """For each Note of the structure tree, in reading order: the page of the reference (the
    Link right before it, as the PDF tags a footnote) and the page its text starts on."""
    if depth > _MAX_DEPTH:
        return
    kids = _kids(element)
    for index, kid in enumerate(kids):
        if not hasattr(kid, "get"):
            continue
        if kid.get("/S") == "/Note":
            before: Any = kids[index - 1] if index else None
            reference = _first_page(before, pages) \
                if hasattr(before, "get") and before.get("/S") == "/Link" else None
            yield reference, _first_page(kid, pages)
        else:
            yield from _note_pages(kid, pages, depth + 1)
