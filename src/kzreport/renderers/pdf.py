"""The PDF report format: registers the ``pdf`` renderer; reportlab loads only when it renders."""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from kzreport.errors import Problem
from kzreport.extraction import Extraction
from kzreport.layout import Layout
from kzreport.model import Document
from kzreport.renderers import register

#: How reportlab's URL pattern (``reportlab.platypus.paragraph.uri_pat``) starts.
REPORTLAB_URI_PATTERN_START = r"(^(?:[a-z0-9\.\-\+]*)://)"


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
    with _uri_pattern_compiled_when_used():
        from kzreport.renderers._pdf_pages import write_pdf
    return write_pdf


class LazyPattern:
    """A regular expression compiled on first use, standing in for the compiled pattern."""

    def __init__(self, pattern: str, flags: int,
                 compile_now: Callable[..., re.Pattern[str]]) -> None:
        self._source = (pattern, flags)
        self._compile_now = compile_now
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> bool:
        """Whether the pattern has been compiled yet."""
        return self._compiled is not None

    def __getattr__(self, name: str) -> Any:
        if self._compiled is None:
            self._compiled = self._compile_now(*self._source)
        return getattr(self._compiled, name)


@contextlib.contextmanager
def _uri_pattern_compiled_when_used() -> Iterator[None]:
    """While reportlab is imported, leave its URL pattern to be compiled on first use.

    reportlab compiles it, case-insensitive over most of Unicode, when its paragraph module
    loads: 60-100 ms, a third of importing reportlab, for a pattern used only to hyphenate
    URLs, which kzreport's PDFs do not. Every other pattern compiles as usual.
    """
    compile_now = re.compile

    def compile_lazily(pattern: Any, flags: int = 0) -> Any:
        if isinstance(pattern, str) and pattern.startswith(REPORTLAB_URI_PATTERN_START):
            return LazyPattern(pattern, flags, compile_now)
        return compile_now(pattern, flags)

    re.compile = compile_lazily
    try:
        yield
    finally:
        re.compile = compile_now


register(PdfRenderer())
