"""The PDF report format: registers the ``pdf`` renderer; reportlab loads only when it renders."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

from kzreport.errors import Problem
from kzreport.extraction import Extraction
from kzreport.layout import Layout
from kzreport.model import Document
from kzreport.renderers import register


class PdfRenderer:
    """Lays the paper out as a paged PDF report with reportlab's platypus."""

    name = "pdf"
    extension = ".pdf"
    description = "PDF report"

    def render(self, document: Document, layout: Layout, path: Path) -> list[Problem]:
        return _writer()(document, layout, path)

    def load(self) -> None:
        _writer()

    def read(self, path: Path, layout: Layout) -> Extraction:
        from kzreport.readers.pdf import read_pdf

        return read_pdf(path, layout)


@functools.cache
def _writer() -> Callable[[Document, Layout, Path], list[Problem]]:
    """The PDF writer, imported on first use, so that `kzreport --help` never loads reportlab."""
    from kzreport.lazy_imports import defer_imports

    defer_imports()
    from kzreport.renderers._reportlab_internals import uri_pattern_compiled_when_used

    with uri_pattern_compiled_when_used():
        from kzreport.renderers._pdf_pages import write_pdf
    return write_pdf


register(PdfRenderer())
