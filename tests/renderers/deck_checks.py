"""Structural checks the deck tests share: decks reopened with python-pptx, their text
re-measured, and rendered by LibreOffice."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER

from conftest import libreoffice_to_pdf, require_tool
from kzreport.errors import Problem
from kzreport.layout import Layout
from kzreport.model import Document
from kzreport.renderers import _fit as fit
from kzreport.renderers.pptx import render_deck

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
EMU = 12700
TITLES = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)


# ---------------------------------------------------------------- helpers


def render(document: Document, layout: Layout, folder: Path,
           template: Path | None = None) -> tuple[Path, list[Problem]]:
    path = folder / f"{document.stem}.pptx"
    problems = render_deck(document, layout, path, template)
    return path, problems


@dataclass(frozen=True)
class Rect:
    left: float
    top: float
    right: float
    bottom: float

    def contains(self, other: Rect, slack: float = 0.0) -> bool:
        return (other.left >= self.left - slack and other.top >= self.top - slack
                and other.right <= self.right + slack and other.bottom <= self.bottom + slack)

    def overlaps(self, other: Rect) -> bool:
        return (self.left < other.right and other.left < self.right
                and self.top < other.bottom and other.top < self.bottom)


def rect(shape: Any) -> Rect:
    return Rect(shape.left / EMU, shape.top / EMU, (shape.left + shape.width) / EMU,
                (shape.top + shape.height) / EMU)


def title_of(slide: Any) -> str:
    title = slide.shapes.title
    assert title is not None and title.is_placeholder
    assert title.placeholder_format.type in TITLES
    return str(title.text_frame.text)


def texts(slide: Any) -> list[str]:
    return [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]


def text_shapes(slide: Any) -> list[Any]:
    return [s for s in slide.shapes if s.has_text_frame and s.text_frame.text.strip()]


def runs(slide: Any) -> Iterator[Any]:
    for shape in text_shapes(slide):
        for paragraph in shape.text_frame.paragraphs:
            yield from paragraph.runs


def notes(slide: Any) -> str:
    return str(slide.notes_slide.notes_text_frame.text) if slide.has_notes_slide else ""


def body(slide: Any) -> Any:
    for shape in slide.placeholders:
        if shape.placeholder_format.type in (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT):
            return shape
    raise AssertionError("slide has no body placeholder")


def faces(layout: Layout, run: Any) -> fit.FontMetrics:
    family = layout.fonts.mono if run.font.name == layout.fonts.mono.name else (
        layout.fonts.body)
    bold, italic = bool(run.font.bold), bool(run.font.italic)
    path = (family.bold_italic if bold and italic else family.bold if bold
            else family.italic if italic else family.regular)
    return fit.load_metrics(path)


def needed_height(shape: Any, layout: Layout) -> tuple[float, float]:
    """The height ``shape``'s text needs by our own measure, at the sizes and exact line
    spacings written in the file, and the frame's inner height."""
    frame = shape.text_frame
    width = (shape.width - frame.margin_left - frame.margin_right) / EMU
    inner = (shape.height - frame.margin_top - frame.margin_bottom) / EMU
    height = 0.0
    for index, paragraph in enumerate(frame.paragraphs):
        p_pr = paragraph._p.pPr
        pitch = int(p_pr.find(f"{A}lnSpc/{A}spcPts").get("val")) / 100
        before = int(p_pr.find(f"{A}spcBef/{A}spcPts").get("val")) / 100
        # Runs and line breaks in document order, each run measured with its own face.
        pieces = []
        run_iter = iter(paragraph.runs)
        for child in paragraph._p:
            if child.tag == f"{A}r":
                run = next(run_iter)
                pieces.append(fit.Piece(run.text, faces(layout, run)))
            elif child.tag == f"{A}br":
                pieces.append(fit.Piece("\n", fit.load_metrics(layout.fonts.body.regular)))
        size = paragraph.runs[0].font.size.pt if paragraph.runs else 12.0
        para = fit.Para(tuple(pieces), fit.load_metrics(layout.fonts.body.regular))
        height += len(fit.wrap(para, size, width)) * pitch + (before if index else 0.0)
    return height, inner


def check_geometry(path: Path, layout: Layout) -> None:
    """Every shape inside the slide; no two text shapes overlapping; every text frame's text
    within its frame by our own measure, autofit off and word wrap on."""
    prs = Presentation(str(path))
    assert prs.slide_width is not None and prs.slide_height is not None
    page = Rect(0, 0, prs.slide_width / EMU, prs.slide_height / EMU)
    for number, slide in enumerate(prs.slides, 1):
        for shape in slide.shapes:
            assert page.contains(rect(shape), slack=0.01), (number, shape.name)
        written = text_shapes(slide)
        for index, first in enumerate(written):
            for second in written[index + 1:]:
                assert not rect(first).overlaps(rect(second)), (number, first.name, second.name)
        for shape in written:
            body_pr = shape.text_frame._txBody.bodyPr
            assert body_pr.find(f"{A}noAutofit") is not None
            assert body_pr.find(f"{A}normAutofit") is None
            assert body_pr.get("wrap") == "square"
            height, inner = needed_height(shape, layout)
            assert height <= inner + 0.01, (number, shape.name, height, inner)


def pdf_words(pdf: Path) -> list[list[tuple[Rect, str]]]:
    """Every word of every page of ``pdf`` with its box, by poppler's pdftotext."""
    tool = require_tool("pdftotext")
    html = subprocess.run([tool, "-bbox", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    pages = []
    for page in html.split("<page ")[1:]:
        words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                           r'yMax="([\d.]+)">([^<]*)</word>', page)
        pages.append([(Rect(*map(float, w[:4])), w[4]) for w in words])
    return pages


def check_render(path: Path, folder: Path) -> None:
    """LibreOffice opens the deck, makes a page per slide, and draws every word inside the
    text shape that holds it."""
    prs = Presentation(str(path))
    pdf = libreoffice_to_pdf(path, folder)
    pages = pdf_words(pdf)
    assert len(pages) == len(prs.slides)
    for number, (slide, words) in enumerate(zip(prs.slides, pages, strict=True), 1):
        # Words in a table or chart are drawn inside its frame (a table's cells grow with
        # their text, which the verify checks measure cell by cell).
        boxes = [rect(shape) for shape in text_shapes(slide)] + [
            rect(shape) for shape in slide.shapes if shape.has_table or shape.has_chart]
        assert words
        for box, word in words:
            center = Rect((box.left + box.right) / 2, (box.top + box.bottom) / 2,
                          (box.left + box.right) / 2, (box.top + box.bottom) / 2)
            owners = [b for b in boxes if b.contains(center)]
            assert owners, (number, word, "outside every text box")
            # pdftotext's word boxes are font-box tall (1.3 em): allow that above and below.
            slack_y = (box.bottom - box.top) * 0.15
            assert any(b.left - 1 <= box.left and box.right <= b.right + 1
                       and b.top - slack_y <= box.top and box.bottom <= b.bottom + slack_y
                       for b in owners), (number, word, box, owners)


def make_template(path: Path, rename: bool = False) -> Path:
    """python-pptx's default template with a sample slide, as a user's template would have."""
    prs = Presentation()
    sample = prs.slides.add_slide(prs.slide_layouts[1])
    sample.shapes.title.text = "Template sample slide"
    sample.notes_slide.notes_text_frame.text = "Template notes"
    if rename:  # layouts named in another language: found by their placeholders instead
        for index, slide_layout in enumerate(prs.slide_layouts):
            slide_layout._element.cSld.set("name", f"Diapositive {index}")
    prs.save(str(path))
    return path
