"""The brief's sections: landscape pages for a portrait paper's wide tables among portrait ones."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from kzreport.renderers._wordml import element, put, qn

if TYPE_CHECKING:
    from docx.document import Document as WordDocument


class Sections:
    """Ends the brief's sections where its pages turn: a section's properties are a copy of
    the body's own (its page size, margins, headers and footers), turned to landscape for a
    landscape section; only the first section has a different first page (the title's)."""

    def __init__(self, word: WordDocument) -> None:
        self.word = word
        self.landscape = False
        self.ended = 0

    def turn(self, landscape: bool) -> None:
        """Start a section of ``landscape`` (or portrait) pages from here, on a new page,
        unless the pages are already so."""
        if landscape == self.landscape:
            return
        body = self.word.element.body
        final = body.find(qn("w:sectPr"))
        assert final is not None
        last = final.getprevious()
        if last is None or last.tag != qn("w:p") or last.find(f"{qn('w:pPr')}/"
                                                              f"{qn('w:sectPr')}") is not None:
            last = element("w:p")  # the section ends with its last paragraph
            final.addprevious(last)
        put(last.get_or_add_pPr(), self._properties(final, self.landscape))
        self.landscape = landscape
        self.ended += 1

    def finish(self) -> None:
        """Make the body's own properties (the last section's) those of the pages it ends on."""
        if not self.ended:
            return
        final = self.word.element.body.find(qn("w:sectPr"))
        assert final is not None
        final.getparent().replace(final, self._properties(final, self.landscape))

    def _properties(self, final: Any, landscape: bool) -> Any:
        """The properties of a section ending now: the body's, turned to ``landscape``; only
        the first section keeps the title page's different first page."""
        properties = copy.deepcopy(final)
        if self.ended:
            for first_page in properties.findall(qn("w:titlePg")):
                properties.remove(first_page)
        size = properties.find(qn("w:pgSz"))
        if landscape and size is not None:
            width, height = size.get(qn("w:w")), size.get(qn("w:h"))
            if width is not None and height is not None and int(width) < int(height):
                size.set(qn("w:w"), height)
                size.set(qn("w:h"), width)
            size.set(qn("w:orient"), "landscape")
        return properties
