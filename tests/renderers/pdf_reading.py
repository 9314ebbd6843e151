"""Helpers the PDF tests share: rendering (each shared paper once per test session) and
reading a PDF back with pypdf and poppler (pdftotext)."""

from __future__ import annotations

import functools
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import assert_never

import pypdf
import pytest

from conftest import FIXTURES, require_tool, write_source
from kzreport.layout import Layout
from kzreport.model import (
    CodeBlock,
    DefinitionList,
    Document,
    Figure,
    Heading,
    KeyPoints,
    ListBlock,
    PageBreak,
    Paragraph,
    Quote,
    Rule,
    Span,
    walk,
)
from kzreport.model import Table as TableBlock
from kzreport.renderers import renderers
from kzreport.source import read_source

LONG = FIXTURES / "pdf-long.md"
LONG_WORDS = FIXTURES / "pdf-long-words.md"
CONSTRUCTS = FIXTURES / "pandoc-constructs.md"


def render(document: Document, layout: Layout, folder: Path, name: str | None = None) -> Path:
    """``document`` rendered into ``folder``, with no warnings."""
    path = folder / f"{name or document.stem}.pdf"
    assert renderers()["pdf"].render(document, layout, path) == []
    return path


#: The papers most tests read: the seed, the rich, long, Pandoc constructs, deck visuals and
#: wide-table (landscape pages) fixtures, and ``table_document``.
PAPERS = ["seed", "rich", "long", "table", "constructs", "visuals", "wide"]
#: More lines than one paragraph of a code block holds (``CODE_CHUNK_LINES``).
CODE = "\n".join(f"codeline{n} = {n}" for n in range(130))


@functools.cache
def long_document() -> Document:
    """The long fixture: several pages, a figure, links, a marking and a disclaimer."""
    return read_source(LONG)


def table_document(folder: Path) -> Document:
    """A table over several pages (its header row repeats), a cell taller than a page, links
    in cells, a link that wraps over lines, and a code block set in several paragraphs."""
    rows = "\n".join(f"| Row {n} [site {n}](https://example.org/r{n}) | value {n} |"
                     for n in range(90))
    tall = " ".join(f"cellword{n}" for n in range(900))
    link = "[" + " ".join(f"linkword{n}" for n in range(40)) + "](https://example.org/long)"
    body = (f"## Opening\n\n{'An intro sentence. ' * 60}{link} and after.\n\n"
            f"| Countryheader | Valueheader |\n|---|---|\n{rows}\n|  | empty first cell |\n\n"
            f"| Cell | Tall |\n|---|---|\n| a | {tall} |\n\n```\n{CODE}\n```\n\n"
            "## Key Points\n\n- One.")
    return read_source(write_source(folder, "title: Tables\nauthors: [X]\ndate: 2024-01-01",
                                    body))


@functools.cache
def constructs_document() -> Document:
    """The fixture using every Pandoc construct: footnotes (in text, a table, a quote, key
    points), definition lists, links to headings, strikethrough, sub- and superscript and a
    page break."""
    return read_source(CONSTRUCTS)


_table: list[Document] = []


def paper(name: str, request: pytest.FixtureRequest) -> Document:
    """Shared paper ``name``, one of ``PAPERS``."""
    if name == "long":
        return long_document()
    if name == "constructs":
        return constructs_document()
    if name == "visuals":  # captioned tables, charts and figures in key points
        return read_source(FIXTURES / "deck-visuals.md")
    if name == "wide":  # a landscape page among portrait ones, a note on it
        return read_source(FIXTURES / "wide-table.md")
    if name == "table":
        if not _table:
            _table.append(table_document(
                request.getfixturevalue("tmp_path_factory").mktemp("table")))
        return _table[0]
    document: Document = request.getfixturevalue(name)  # the session's seed and rich fixtures
    return document


_rendered: dict[str, Path] = {}


def paper_pdf(name: str, request: pytest.FixtureRequest) -> Path:
    """Shared paper ``name`` rendered with the default layout, once per test session however
    many test modules read it."""
    if name not in _rendered:
        _rendered[name] = render(paper(name, request), request.getfixturevalue("layout"),
                                 request.getfixturevalue("tmp_path_factory").mktemp(name))
    return _rendered[name]


def long_body() -> str:
    """The body of the long fixture (everything after its front matter)."""
    return LONG.read_text(encoding="utf-8").split("\n---\n", 1)[1]


def pdftotext(path: Path, *options: str) -> str:
    tool = require_tool("pdftotext")
    result = subprocess.run([tool, *options, str(path), "-"], capture_output=True, text=True,
                            check=True)
    return result.stdout


def page_texts(path: Path) -> list[str]:
    """Each page's text, whitespace squashed."""
    pages = len(pypdf.PdfReader(path).pages)
    return [squash(pdftotext(path, "-f", str(n), "-l", str(n))) for n in range(1, pages + 1)]


def squash(text: str) -> str:
    return " ".join(text.split())


@dataclass(frozen=True)
class Word:
    text: str
    x_min: float
    y_min: float
    x_max: float
    y_max: float


def page_words(path: Path) -> list[list[Word]]:
    """Every word of every page with its box (poppler: points, y growing downwards)."""
    html = pdftotext(path, "-bbox")
    pages = []
    for page in re.findall(r"<page [^>]*>(.*?)</page>", html, re.S):
        pages.append([Word(m.group(5), *(float(m.group(i)) for i in range(1, 5)))
                      for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" '
                                           r'xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
                                           page)])
    return pages


def lines_of(words: list[Word]) -> list[list[Word]]:
    """``words`` grouped into lines, top to bottom."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.y_min, w.x_min)):
        if lines and abs(lines[-1][0].y_min - word.y_min) < 1:
            lines[-1].append(word)
        else:
            lines.append([word])
    return lines


def source_links(document: Document) -> list[str]:
    """Every link URL of the paper: the body's spans, then the front matter's links."""
    urls: list[str] = []
    for block in walk(document.blocks):
        match block:
            case Heading() | Paragraph():
                inline_groups = [block.inlines]
            case KeyPoints():
                inline_groups = [point.inlines for point in block.points]
            case TableBlock():
                inline_groups = [*block.header, *(cell for row in block.rows for cell in row)]
            case ListBlock() | Quote():
                inline_groups = []  # their blocks are walked next
            case DefinitionList():
                inline_groups = [entry.term for entry in block.items]
            case CodeBlock() | Rule() | Figure() | PageBreak():
                inline_groups = []  # no inline content, so no links
            case _:
                assert_never(block)
        for inlines in inline_groups:
            hrefs = [i.href for i in inlines if isinstance(i, Span) and i.href]
            urls.extend(h for n, h in enumerate(hrefs) if n == 0 or hrefs[n - 1] != h)
    return urls + [link.url for link in document.meta.links]


def link_uris(path: Path) -> list[str]:
    uris = []
    for page in pypdf.PdfReader(path).pages:
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            assert annotation["/Subtype"] == "/Link"
            uris.append(str(annotation["/A"]["/URI"]))
    return uris


def info_of(path: Path) -> dict[str, str]:
    """The document information dictionary, values as text."""
    info = pypdf.PdfReader(path).metadata
    assert info is not None
    return {key: str(value) for key, value in info.items()}

