"""The PDF report format: registers the ``pdf`` renderer; reportlab loads only when it renders."""

from __future__ import annotations

from pathlib import Path

from kzreport.errors import Problem
from kzreport.layout import Layout
from kzreport.model import Document
from kzreport.renderers import register


class PdfRenderer:
    """Lays the paper out as a paged PDF report with reportlab's platypus."""

    name = "pdf"
    extension = ".pdf"
    description = "PDF report"

    def render(self, document: Document, layout: Layout, path: Path) -> list[Problem]:
        # Imported here, not at module level, so `kzreport --help` never loads reportlab.
        from kzreport.renderers._pdf_pages import write_pdf

        return write_pdf(document, layout, path)

    def load(self) -> None:
        import kzreport.renderers._pdf_pages  # noqa: F401  # reportlab and its font registry


register(PdfRenderer())
