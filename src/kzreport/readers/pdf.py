"""The PDF report read back with pypdf: text per page, link annotations, document info."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from kzreport.extraction import Extraction, Page
from kzreport.layout import Layout

# pypdf logs what it repairs ("EOF marker not found") to stderr; verify reports a damaged
# output itself, in one line.
logging.getLogger("pypdf").addHandler(logging.NullHandler())
logging.getLogger("pypdf").propagate = False


def read_pdf(path: Path, layout: Layout) -> Extraction:
    """The text (per page, with positions telling the running header apart), link annotations
    and document information of a PDF, read with pypdf."""
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    pages: list[Page] = []
    links: set[str] = set()
    for page in reader.pages:
        # The running header and a top marking banner sit in the top margin; the body never
        # starts above it. (The footer cannot be told apart this way: see comparison._flow.)
        top = float(page.mediabox.top) - layout.page.margin_top
        text: list[str] = []
        body: list[str] = []

        def visit(chunk: Any, cm: Any, tm: Any, font: Any, size: Any,
                  text: list[str] = text, body: list[str] = body, top: float = top) -> None:
            text.append(chunk)
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            if y <= top:
                body.append(chunk)

        page.extract_text(visitor_text=visit)
        pages.append(Page("".join(text), "".join(body)))
        annotations = page.get("/Annots")
        for reference in annotations.get_object() if annotations is not None else []:
            annotation = reference.get_object()
            action = annotation.get("/A")
            action = action.get_object() if action is not None else None
            # Internal links (/GoTo, e.g. a table of contents) are not hyperlinks of the paper.
            if (annotation.get("/Subtype") == "/Link" and action is not None
                    and action.get("/S") == "/URI" and action.get("/URI") is not None):
                links.add(str(action["/URI"]))
    info = reader.metadata
    title = str(info["/Title"]) if info is not None and "/Title" in info else None
    author = str(info["/Author"]) if info is not None and "/Author" in info else None
    return Extraction("\n".join(p.text for p in pages), title, author, frozenset(links),
                      pages=tuple(pages))
