"""The PDF report format: registers the ``pdf`` renderer; reportlab loads only when it renders."""

from __future__ import annotations

import contextlib
import functools
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from kzreport.errors import Problem
from kzreport.layout import Layout
from kzreport.model import Document
from kzreport.renderers import register

if TYPE_CHECKING:
    from kzreport.extraction import Extraction


class PdfRenderer:
    """Lays the paper out as a paged PDF report with reportlab's platypus."""

    name = "pdf"
    extension = ".pdf"
    description = "PDF report"

    def render(self, document: Document, layout: Layout, path: Path) -> list[Problem]:
        return _writer()(document, layout, path)

    def load(self) -> None:
        _writer()

    def preflight(self, document: Document, layout: Layout) -> list[Problem]:
        """Nothing: everything this format would report, validation and the lint report."""
        return []

    def read(self, path: Path, layout: Layout) -> Extraction:
        from kzreport.readers.pdf import read_pdf

        return read_pdf(path, layout)


@functools.cache
def _writer() -> Callable[[Document, Layout, Path], list[Problem]]:
    """The PDF writer, imported on first use, so that `kzreport --help` never loads reportlab."""
    from kzreport.lazy_imports import defer_imports

    defer_imports()
    with _harfbuzz_left_unloaded():
        from kzreport.renderers._reportlab_internals import (
            uri_pattern_compiled_when_used,
            write_astral_characters_as_surrogate_pairs,
        )

        with uri_pattern_compiled_when_used():
            from kzreport.renderers._pdf_pages import write_pdf
    from kzreport.renderers._pdf_shaping import SHAPED_TEXT

    write_astral_characters_as_surrogate_pairs(SHAPED_TEXT)
    return write_pdf


@contextlib.contextmanager
def _harfbuzz_left_unloaded() -> Iterator[None]:
    """While reportlab is imported, keep it from importing uharfbuzz.

    reportlab's ``ttfonts`` imports uharfbuzz as it loads, if it can (30 ms, more on a cold
    start), for a shaping path kzreport does not use: kzreport shapes right-to-left text
    itself (``_pdf_shaping``) and imports uharfbuzz only for a paragraph that needs it, so
    papers without such text do not pay for it. A ``None`` in ``sys.modules`` makes that
    import fail as if uharfbuzz were absent; the entry goes afterwards.
    """
    if "uharfbuzz" in sys.modules:
        yield
        return
    sys.modules["uharfbuzz"] = None  # type: ignore[assignment]
    try:
        yield
    finally:
        del sys.modules["uharfbuzz"]


register(PdfRenderer())
