"""The slide deck, reopened with python-pptx, re-measured, and rendered by LibreOffice."""

from __future__ import annotations

import re
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.util import Emu

from conftest import FIXTURES, ROOT, SEED, libreoffice_to_pdf, package_parts, require_tool
from kzreport.build import Options, build
from kzreport.errors import Problem, RenderError
from kzreport.labels import author_names
from kzreport.layout import Layout, load_layout
from kzreport.model import Document, plain_text
from kzreport.renderers import _fit as fit
from kzreport.renderers import renderers
from kzreport.renderers._common import build_timestamp
from kzreport.renderers.pptx import render_deck, unique_titles
from kzreport.source import read_source

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
        boxes = [rect(shape) for shape in text_shapes(slide)]
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


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def deck_doc() -> Document:
    return read_source(FIXTURES / "pptx-deck.md")


@pytest.fixture(scope="module")
def deck_file(deck_doc: Document, layout: Layout,
              tmp_path_factory: pytest.TempPathFactory) -> Path:
    path, problems = render(deck_doc, layout, tmp_path_factory.mktemp("deck"))
    assert problems == []
    return path


@pytest.fixture(scope="module")
def deck(deck_file: Path) -> Any:
    return Presentation(str(deck_file))


@pytest.fixture(scope="module")
def seed_deck(seed: Document, layout: Layout, tmp_path_factory: pytest.TempPathFactory) -> Any:
    path, problems = render(seed, layout, tmp_path_factory.mktemp("seed"))
    assert problems == []
    return Presentation(str(path))


@pytest.fixture(scope="module")
def overflow(layout: Layout, tmp_path_factory: pytest.TempPathFactory,
             ) -> tuple[Document, Path, list[Problem]]:
    document = read_source(FIXTURES / "pptx-overflow.md")
    path, problems = render(document, layout, tmp_path_factory.mktemp("overflow"))
    return document, path, problems


# ---------------------------------------------------------------- the format


def test_registered_beside_the_others() -> None:
    renderer = renderers()["pptx"]
    assert (renderer.name, renderer.extension) == ("pptx", ".pptx")
    assert renderer.description


def test_importing_the_renderer_does_not_import_python_pptx() -> None:
    code = ("import sys, kzreport.renderers.pptx; "
            "print(sorted(m for m in ('pptx', 'reportlab', 'PIL') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


def test_widescreen_from_the_layout(deck: Any, layout: Layout) -> None:
    assert deck.slide_width == round(layout.slides.width * EMU)
    assert deck.slide_height == round(layout.slides.height * EMU)
    assert abs(deck.slide_width / deck.slide_height - 16 / 9) < 0.001


# ---------------------------------------------------------------- slides and titles


def test_seed_slides_in_order(seed: Document, seed_deck: Any) -> None:
    titles = [title_of(slide) for slide in seed_deck.slides]
    assert titles == [seed.meta.title, "Key Point 1 of 4", "Key Point 2 of 4",
                      "Key Point 3 of 4", "Key Point 4 of 4", "Further Reading"]
    for point, slide in zip(seed.key_points.points, list(seed_deck.slides)[1:5], strict=True):
        assert " ".join(body(slide).text_frame.text.split()) == " ".join(
            plain_text(point.inlines).split())


def test_every_slide_of_the_test_deck_in_order(deck: Any) -> None:
    titles = [title_of(slide) for slide in deck.slides]
    assert titles[0] == "Kazakhstan Between Moscow and Kyiv: A Test Deck"
    assert titles[1] == "Bottom Line Up Front"
    assert titles[2] == "Kazakhstan balances carefully."
    assert titles[3].startswith("This headline runs to thirty words")
    assert titles[4] == "Key Point 3 of 5"
    assert titles[5] == "Kazakhstan balances carefully. (2)"
    assert titles[6] == "A key point that is only a headline."
    assert titles[7] == "Further Reading"
    assert len(titles) == len(set(titles)) == 8


def test_titles_unique_and_never_empty() -> None:
    assert unique_titles(["A", "a", "A", "", " ", "A (2)"]) == [
        "A", "a (2)", "A (3)", "—", "— (2)", "A (2) (2)"]


def test_title_slide_has_the_whole_byline(deck: Any) -> None:
    shown = " ".join(" ".join(texts(deck.slides[0])).split())
    for part in ("Fixture for the slide deck renderer", "Jane Analyst",
                 "Strategic Analysis Group, Directorate of Plans", "John Officer",
                 "Combined Strategic Analysis Group", "29 February 2024"):
        assert part in shown
    assert deck.slides[0].slide_layout.name == "Title Slide"


def test_summary_slide(deck: Any) -> None:
    text = " ".join(body(deck.slides[1]).text_frame.text.split())
    assert text == ("Kazakhstan keeps a neutral line on the war while protecting its own "
                    "security. Expect continued multi-vector balancing between Moscow, "
                    "Beijing and the West.")


def test_no_summary_and_no_closing_slide_when_the_source_has_none(
        layout: Layout, tmp_path: Path) -> None:
    document = read_source(FIXTURES / "pptx-dozen.md")
    path, problems = render(document, layout, tmp_path)
    assert problems == []
    prs = Presentation(str(path))
    assert [title_of(s) for s in prs.slides] == ["A Dozen Key Points"] + [
        f"Point number {n}." for n in range(1, 13)]
    # A headline is the title, so the key point's number moves to a label above it.
    assert "KEY POINT 12 OF 12" in texts(prs.slides[12])
    check_geometry(path, layout)


def test_key_point_text_keeps_bold_italic_and_links(deck: Any) -> None:
    slide = deck.slides[2]
    by_text = {run.text: run for run in body(slide).text_frame.paragraphs[0].runs}
    assert by_text["good"].font.bold is True
    assert by_text["protects"].font.italic is True
    assert by_text["security"].hyperlink.address == "https://example.org/security"
    assert by_text["It keeps "].font.bold is False
    assert "Kazakhstan balances carefully." not in body(slide).text_frame.text


def test_a_key_point_of_only_a_headline_has_no_body(deck: Any) -> None:
    slide = deck.slides[6]
    kinds = [s.placeholder_format.type for s in slide.placeholders]
    assert kinds == [PP_PLACEHOLDER.TITLE]


def test_closing_slide_links_and_disclaimer(deck: Any) -> None:
    slide = deck.slides[7]
    links = {run.text: run.hyperlink.address for run in runs(slide) if run.hyperlink.address}
    assert links == {
        "The complete paper": "https://example.org/paper",
        "https://example.org/paper": "https://example.org/paper",
        "Write to the authors": "mailto:authors@example.org",
        "authors@example.org": "mailto:authors@example.org",
    }
    assert any("the authors' own" in text for text in texts(slide))


# ---------------------------------------------------------------- notes


def test_details_are_notes_not_face(deck: Any) -> None:
    slide = deck.slides[2]
    lines = notes(slide).split("\n")
    assert lines == [
        "Presenter detail paragraph about the balancing act.",
        "• First detail bullet for the notes",
        "• Nested detail bullet for the notes",
        "• Second detail bullet for the notes",
        "1. Numbered detail one",
        "2. Numbered detail two",
    ]
    levels = [p.level for p in slide.notes_slide.notes_text_frame.paragraphs]
    assert levels == [0, 0, 1, 0, 0, 0]
    face = " ".join(" ".join(texts(s)) for s in deck.slides)
    for line in lines:
        assert line.lstrip("•12. ") not in face
    assert not any(notes(s) for i, s in enumerate(deck.slides) if i != 2)


def test_notes_carry_every_kind_of_detail(layout: Layout, tmp_path: Path) -> None:
    (tmp_path / "images").mkdir()
    Image.new("RGB", (40, 20), (200, 10, 10)).save(tmp_path / "images" / "chart.png")
    source = tmp_path / "details.md"
    source.write_text(
        "---\ntitle: Details\nauthors: [A. Author]\ndate: 2024-03-04\nlanguage: en-US\n"
        "---\n\n![A red bar](images/chart.png \"Trade, 2022\")\n\n## Key Points\n\n"
        "- The point.\n\n"
        "  > A quoted **remark**.\n\n"
        "  ```\n  def f():\n      return 1\n  ```\n\n"
        "  | Year | Votes |\n  |------|------:|\n  | 2022 | 141 |\n\n"
        "  ![A blue bar](images/chart.png \"Votes, 2022\")\n",
        encoding="utf-8")
    path, problems = render(read_source(source), layout, tmp_path)
    assert problems == []
    slide = Presentation(str(path)).slides[1]
    frame = slide.notes_slide.notes_text_frame
    assert [p.text for p in frame.paragraphs] == [
        "A quoted remark.", "def f():", "    return 1", "Year | Votes", "2022 | 141",
        "[Figure 2. Votes, 2022]"]
    assert frame.paragraphs[0].level == 1  # a quote is indented like a nested item
    assert frame.paragraphs[0].runs[1].font.bold is True
    assert all(r.font.size.pt == 12 for p in frame.paragraphs for r in p.runs)
    assert "remark" not in " ".join(texts(slide))


# ---------------------------------------------------------------- text properties


def test_every_run_has_an_explicit_size_and_key_points_are_at_least_16pt(
        deck: Any, layout: Layout) -> None:
    for slide in deck.slides:
        for run in runs(slide):
            assert run.font.size is not None
    for slide in list(deck.slides)[2:7]:
        for shape in slide.placeholders:
            if shape.placeholder_format.type in (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT):
                assert all(r.font.size.pt >= layout.slides.body_min
                           for p in shape.text_frame.paragraphs for r in p.runs)


def test_long_key_point_and_long_headline_fit_within_their_ranges(deck: Any,
                                                                   layout: Layout) -> None:
    long_body = body(deck.slides[4])
    assert len(long_body.text_frame.text.split()) >= 130
    size = long_body.text_frame.paragraphs[0].runs[0].font.size.pt
    assert layout.slides.body_min <= size < layout.slides.body_max
    headline = deck.slides[3].shapes.title
    assert len(headline.text_frame.text.split()) == 30
    title_size = headline.text_frame.paragraphs[0].runs[0].font.size.pt
    assert layout.slides.title_min <= title_size < layout.slides.title_max


def test_fonts_and_languages_on_every_run(deck_file: Path, layout: Layout) -> None:
    with zipfile.ZipFile(deck_file) as package:
        slides = [n for n in package.namelist() if re.fullmatch(r"ppt/(slides|notesSlides)/"
                                                                  r"\w+\.xml", n)]
        for name in slides:
            xml = package.read(name).decode("utf-8")
            properties = re.findall(r"<a:rPr\b[^>]*>", xml)
            assert properties, name
            for element in properties:
                assert 'lang="en-GB"' in element and 'sz="' in element, (name, element)
            faces_used = set(re.findall(r'<a:latin typeface="([^"]+)"', xml))
            assert faces_used <= {layout.fonts.body.name, layout.fonts.heading.name}


def test_geometry_and_measured_fit(deck_file: Path, layout: Layout) -> None:
    check_geometry(deck_file, layout)


def test_footer_and_slide_numbers(deck: Any) -> None:
    total = len(deck.slides)
    for number, slide in enumerate(deck.slides, 1):
        shown = texts(slide)
        if number == 1:
            assert not any(re.fullmatch(r"\d+ / \d+", t) for t in shown)
            continue
        assert f"{number} / {total}" in shown
        assert "Combined Strategic Analysis Group · 29 February 2024" in shown


def test_marking_banners_top_and_bottom_never_over_content(deck: Any, layout: Layout) -> None:
    style = layout.marking_style("SECRET//NOFORN")
    assert style is not None
    height = deck.slide_height / EMU
    for slide in deck.slides:
        banners = [s for s in slide.shapes if s.has_text_frame
                   and s.text_frame.text == "SECRET//NOFORN"]
        assert sorted(round(rect(b).top) for b in banners) == [0, round(height - 20)]
        for banner in banners:
            assert str(banner.fill.fore_color.rgb) == style.background
            paragraph = banner.text_frame.paragraphs[0]
            assert paragraph.alignment is not None and paragraph.alignment.name == "CENTER"
            assert str(paragraph.runs[0].font.color.rgb) == style.text
            for shape in slide.shapes:
                if shape not in banners:
                    assert not rect(banner).overlaps(rect(shape)), shape.name


@pytest.mark.parametrize(("marking", "background", "text"), [
    ("UNCLASSIFIED", "007A33", "FFFFFF"), ("CUI", "502B85", "FFFFFF"),
    ("CONFIDENTIAL", "0033A0", "FFFFFF"), ("SECRET//NOFORN", "C8102E", "FFFFFF"),
    ("TOP SECRET", "FF8C00", "000000"), ("TOP SECRET//SCI", "FCE83A", "000000")])
def test_every_marking_level_on_every_slide(seed: Document, layout: Layout, tmp_path: Path,
                                            marking: str, background: str, text: str) -> None:
    marked = replace(seed, meta=replace(seed.meta, marking=marking))
    path, _ = render(marked, layout, tmp_path)
    deck = Presentation(str(path))
    assert deck.slide_height is not None
    height = deck.slide_height / EMU
    for slide in deck.slides:
        banners = sorted((s for s in slide.shapes if s.has_text_frame
                          and s.text_frame.text == marking), key=lambda s: int(s.top))
        assert [round(rect(b).top) for b in banners] == [0, round(height - 20)]
        for banner in banners:
            assert str(banner.fill.fore_color.rgb) == background
            assert str(banner.text_frame.paragraphs[0].runs[0].font.color.rgb) == text


def test_no_marking_no_banners(seed_deck: Any) -> None:
    top = [s for s in seed_deck.slides[1].shapes if s.top == 0 and s.height < 30 * EMU]
    assert top == []


# ---------------------------------------------------------------- properties, reproducibility


def test_core_properties(deck_file: Path, deck: Any, deck_doc: Document) -> None:
    props = deck.core_properties
    assert props.title == deck_doc.meta.title
    assert props.author == author_names(deck_doc) == "Jane Analyst; John Officer"
    assert props.subject == " ".join((deck_doc.meta.summary or "").split())
    assert props.keywords == "Kazakhstan, neutrality, deck"
    assert props.language == "en-GB"
    when = build_timestamp(deck_doc)
    assert props.created == props.modified == props.last_printed == when
    assert props.last_modified_by.startswith("kzreport")
    assert props.revision == 1
    with zipfile.ZipFile(deck_file) as package:
        everything = b"".join(package.read(n) for n in package.namelist())
        app = package.read("docProps/app.xml").decode("utf-8")
    for stale in (b"Steve Canny", b"2013-", b"python-pptx", b"Macintosh"):
        assert stale not in everything
    assert "<Slides>8</Slides>" in app and "<Notes>1</Notes>" in app


def test_two_renders_at_different_times_are_byte_identical(
        deck_doc: Document, layout: Layout, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a").mkdir()
    first, _ = render(deck_doc, layout, tmp_path / "a")
    later = time.time() + 3 * 86400 + 7  # zip entry times would differ, were they kept
    monkeypatch.setattr(time, "time", lambda: later)
    (tmp_path / "b").mkdir()
    second, _ = render(deck_doc, layout, tmp_path / "b")
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(second) as package:
        assert {info.date_time for info in package.infolist()} == {
            build_timestamp(deck_doc).timetuple()[:6]}


# ---------------------------------------------------------------- fitting at the limits


def test_overlong_key_point_warns_and_still_stays_in_its_box(
        overflow: tuple[Document, Path, list[Problem]], layout: Layout) -> None:
    document, path, problems = overflow
    point = document.key_points.points[1]
    assert problems == [Problem(document.source, point.line,
                                "key point 2 does not fit on its slide at 16 pt",
                                "shorten it or move detail into sub-bullets",
                                severity="warning")]
    check_geometry(path, layout)
    slide = Presentation(str(path)).slides[2]
    assert body(slide).text_frame.paragraphs[0].runs[0].font.size.pt < 16


def test_strict_build_turns_the_warning_into_an_error(tmp_path: Path) -> None:
    source = FIXTURES / "pptx-overflow.md"
    (outcome,) = build([source], Options(tmp_path / "out", ("pptx",), cwd=ROOT, strict=True))
    assert outcome.failed
    assert any(p.severity == "error" and "does not fit on its slide" in p.message
               for p in outcome.problems)
    assert not (tmp_path / "out" / "pptx-overflow.pptx").exists()
    (lenient,) = build([source], Options(tmp_path / "out", ("pptx",), cwd=ROOT))
    assert not lenient.failed
    assert (tmp_path / "out" / "pptx-overflow.pptx").is_file()


def test_a_key_point_too_long_even_for_the_floor_is_refused(layout: Layout,
                                                            tmp_path: Path) -> None:
    text = FIXTURES.joinpath("pptx-overflow.md").read_text(encoding="utf-8")
    # Under the parser's 5,000 words, far over what a slide holds at the floor size.
    huge = text.replace("- A short first point.", "- " + "Words upon words. " * 1600)
    source = tmp_path / "huge.md"
    source.write_text(huge, encoding="utf-8")
    with pytest.raises(RenderError, match="not even at 6 pt"):
        render(read_source(source), layout, tmp_path)


HEADLINE = ("This headline is far too long for any slide title because it keeps going with "
            "clause after clause, adding qualifications, caveats, remarks and asides, so that "
            "even at the smallest title size it needs three or four lines, which the deck must "
            "report and still lay out without letting a word escape from the title box")


def test_a_headline_over_two_lines_grows_its_zone_and_warns(layout: Layout,
                                                            tmp_path: Path) -> None:
    source = tmp_path / "headline.md"
    source.write_text("---\ntitle: Headline Stress\nauthors: [A. Author]\ndate: 2024-03-03\n"
                      "language: en-US\n---\n\n## Key Points\n\n"
                      f"- **{HEADLINE}.** The body follows below the rule.\n", encoding="utf-8")
    document = read_source(source)
    path, problems = render(document, layout, tmp_path)
    assert problems == [Problem(source, document.key_points.points[0].line,
                                "key point 1's headline does not fit on two lines at 20 pt",
                                "shorten the headline", severity="warning")]
    slide = Presentation(str(path)).slides[1]
    title = slide.shapes.title
    assert title.text_frame.paragraphs[0].runs[0].font.size.pt == layout.slides.title_min
    assert rect(body(slide)).top > rect(title).bottom
    check_geometry(path, layout)
    check_render(path, tmp_path)


# ---------------------------------------------------------------- other inputs


def test_kazakh_paper_on_the_briefing_layout(rich: Document, tmp_path: Path) -> None:
    briefing = load_layout("briefing", ROOT)
    path, problems = render(rich, briefing, tmp_path)
    assert problems == []
    prs = Presentation(str(path))
    assert title_of(prs.slides[0]) == rich.meta.title
    assert title_of(prs.slides[-1]) == "References"
    assert str(prs.slides[1].background.fill.fore_color.rgb) == briefing.colors.slide_background
    with zipfile.ZipFile(path) as package:
        slide = package.read("ppt/slides/slide2.xml").decode("utf-8")
    assert 'lang="kk-KZ"' in slide
    check_geometry(path, briefing)


def test_logo_on_the_title_slide(seed: Document, tmp_path: Path) -> None:
    folder = tmp_path / "branded"
    folder.mkdir()
    Image.new("RGB", (300, 120), (27, 54, 93)).save(folder / "logo.png")
    (folder / "layout.toml").write_text(
        'inherit = "default"\n[logo]\nfile = "logo.png"\nwidth = "2in"\nplacement = "right"\n',
        encoding="utf-8")
    branded = load_layout(str(folder), ROOT)
    path, _ = render(seed, branded, tmp_path)
    slide = Presentation(str(path)).slides[0]
    pictures = [s for s in slide.shapes if s.shape_type is not None
                and s.shape_type.name == "PICTURE"]
    assert len(pictures) == 1
    logo = rect(pictures[0])
    assert logo.right - logo.left == pytest.approx(144, abs=0.1)
    assert not any(logo.overlaps(rect(s)) for s in text_shapes(slide))
    check_geometry(path, branded)


# ---------------------------------------------------------------- templates


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


@pytest.mark.parametrize("rename", [False, True])
def test_a_users_template(seed: Document, layout: Layout, tmp_path: Path,
                          rename: bool) -> None:
    template = make_template(tmp_path / "template.pptx", rename)
    # Through the registry, with the template named by the layout as [files] would.
    path = tmp_path / "seed.pptx"
    problems = renderers()["pptx"].render(seed, replace(layout, template_pptx=template), path)
    assert problems == []
    prs = Presentation(str(path))
    assert len(prs.slides) == 6
    assert "Template sample slide" not in [title_of(s) for s in prs.slides]
    assert not any("Template notes" in notes(s) for s in prs.slides)
    # The template's own 4:3 size, masters and layouts are kept.
    assert (prs.slide_width, prs.slide_height) == (9144000, 6858000)
    assert len(prs.slide_layouts) == 11
    first = {p.placeholder_format.type for p in prs.slides[0].slide_layout.placeholders}
    assert PP_PLACEHOLDER.CENTER_TITLE in first
    content = {p.placeholder_format.type for p in prs.slides[1].slide_layout.placeholders}
    assert PP_PLACEHOLDER.OBJECT in content or PP_PLACEHOLDER.BODY in content
    with zipfile.ZipFile(path) as package:
        names = package.namelist()
        assert len(names) == len(set(names))
        assert sorted(n for n in names if n.startswith("ppt/slides/slide")) == [
            f"ppt/slides/slide{n}.xml" for n in range(1, 7)]
    check_geometry(path, layout)


#: Every part a deck may hold: what kzreport writes, on python-pptx's template or a user's.
DECK_PARTS = re.compile(
    r"\[Content_Types\]\.xml|_rels/\.rels|docProps/(app|core)\.xml"
    r"|ppt/(_rels/)?presentation\.xml(\.rels)?|ppt/(presProps|viewProps|tableStyles)\.xml"
    r"|ppt/theme/theme\d+\.xml"
    r"|ppt/(slideMasters|slideLayouts|slides|notesSlides|notesMasters)/(_rels/)?"
    r"(slideMaster|slideLayout|slide|notesSlide|notesMaster)\d+\.xml(\.rels)?"
    r"|ppt/media/image\d+\.(png|jpe?g)")


def test_every_part_of_a_deck_is_one_kzreport_writes(deck_file: Path, seed: Document,
                                                     tmp_path: Path) -> None:
    # A logo brings the one media part a deck may have.
    folder = tmp_path / "branded"
    folder.mkdir()
    Image.new("RGB", (30, 12), (27, 54, 93)).save(folder / "logo.png")
    (folder / "layout.toml").write_text(
        'inherit = "default"\n[logo]\nfile = "logo.png"\nwidth = "1in"\n', encoding="utf-8")
    branded, _ = render(seed, load_layout(str(folder), ROOT), tmp_path)
    for path in (deck_file, branded):
        names = package_parts(path)
        assert [n for n in names if not DECK_PARTS.fullmatch(n)] == [], path
    assert any(n.startswith("ppt/media/") for n in package_parts(branded))


def test_a_users_template_loses_its_printer_settings(seed: Document, layout: Layout,
                                                    tmp_path: Path) -> None:
    template = make_template(tmp_path / "template.pptx")
    with zipfile.ZipFile(template) as package:  # python-pptx's template has them: so has ours
        assert "ppt/printerSettings/printerSettings1.bin" in package.namelist()
    path, problems = render(seed, layout, tmp_path, template=template)
    assert problems == []
    names = package_parts(path)
    assert not [n for n in names if "printerSettings" in n]
    with zipfile.ZipFile(path) as package:
        assert b"printerSettings" not in package.read("ppt/_rels/presentation.xml.rels")
        assert b"printerSettings" not in package.read("[Content_Types].xml")
    assert len(Presentation(str(path)).slides) == 6
    libreoffice_to_pdf(path, tmp_path)


def test_decks_built_one_after_another_share_nothing(seed: Document, rich: Document,
                                                     layout: Layout, tmp_path: Path) -> None:
    # Every deck of a process starts from one prepared presentation: none may see another's.
    counts = []
    for number, document in enumerate((rich, seed, seed), 1):
        folder = tmp_path / str(number)
        folder.mkdir()
        path, _ = render(document, layout, folder)
        prs = Presentation(str(path))
        counts.append(len(prs.slides))
        titles = [title_of(s) for s in prs.slides]
        assert titles[0] == document.meta.title
        other = rich if document is seed else seed
        assert other.meta.title not in titles
    assert counts[1] == counts[2] == 6


def test_an_edited_template_is_read_again(seed: Document, layout: Layout,
                                          tmp_path: Path) -> None:
    template = tmp_path / "template.pptx"
    sizes = []
    for width in (9144000, 10972800):
        prs = Presentation()
        prs.slide_width = Emu(width)
        prs.save(str(template))
        (tmp_path / str(width)).mkdir()
        path, _ = render(seed, layout, tmp_path / str(width), template=template)
        sizes.append(Presentation(str(path)).slide_width)
    assert sizes == [9144000, 10972800]


def test_a_template_without_title_layouts_is_a_located_error(seed: Document, layout: Layout,
                                                             tmp_path: Path) -> None:
    prs = Presentation()
    for slide_layout in prs.slide_layouts:
        for placeholder in list(slide_layout.placeholders):
            if placeholder.placeholder_format.type in TITLES:
                parent = placeholder._element.getparent()
                assert parent is not None
                parent.remove(placeholder._element)
    template = tmp_path / "untitled.pptx"
    prs.save(str(template))
    with pytest.raises(RenderError, match="no slide layout with a title") as caught:
        render(seed, layout, tmp_path, template=template)
    assert caught.value.problems[0].path == template


def test_default_layouts_are_widened_in_proportion(deck: Any) -> None:
    width = deck.slide_width
    for slide_layout in deck.slide_layouts:
        for placeholder in slide_layout.placeholders:
            assert placeholder.left >= 0 and placeholder.left + placeholder.width <= width
    title = next(p for p in deck.slide_layouts[1].placeholders
                 if p.placeholder_format.type == PP_PLACEHOLDER.TITLE)
    assert title.left / width == pytest.approx(0.05, abs=0.001)
    assert (title.left + title.width) / width == pytest.approx(0.95, abs=0.001)


def test_an_unreadable_template_is_a_located_error(seed: Document, layout: Layout,
                                                   tmp_path: Path) -> None:
    bad = tmp_path / "bad.pptx"
    bad.write_bytes(b"not a zip")
    with pytest.raises(RenderError) as caught:
        render(seed, layout, tmp_path, template=bad)
    assert caught.value.problems[0].path == bad


# ---------------------------------------------------------------- LibreOffice


def test_libreoffice_renders_every_word_inside_its_box(deck_file: Path, tmp_path: Path) -> None:
    check_render(deck_file, tmp_path)


def test_libreoffice_renders_the_overflowing_point_inside_its_box(
        overflow: tuple[Document, Path, list[Problem]], tmp_path: Path) -> None:
    check_render(overflow[1], tmp_path)


def test_libreoffice_opens_a_deck_built_on_a_template(seed: Document, layout: Layout,
                                                      tmp_path: Path) -> None:
    template = make_template(tmp_path / "template.pptx")
    path, _ = render(seed, layout, tmp_path, template=template)
    check_render(path, tmp_path)


def test_the_seed_deck_through_the_command_line(tmp_path: Path) -> None:
    require_tool("soffice")
    result = subprocess.run([sys.executable, "-m", "kzreport", "build", str(SEED), "-o",
                             str(tmp_path), "-f", "pptx", "--strict"],
                            capture_output=True, text=True, cwd=ROOT, check=False)
    assert result.returncode == 0, result.stderr
    check_render(tmp_path / "kazakhstan-position.pptx", tmp_path)


def test_a_closing_slide_without_links_is_titled_by_the_disclaimer_label(
        layout: Layout, tmp_path: Path) -> None:
    source = tmp_path / "plain.md"
    source.write_text("---\ntitle: Plain\nauthors: [A]\ndate: 2024-01-02\norganization: Plain\n"
                      "disclaimer: Views are the author's own.\n---\n\nText.\n\n"
                      "## Key Points\n\n- One.\n", "utf-8")
    path, problems = render(read_source(source), layout, tmp_path)
    assert problems == []
    titles = [title_of(s) for s in Presentation(str(path)).slides]
    assert titles == ["Plain", "Key Point 1 of 1", layout.labels.disclaimer]


@pytest.mark.parametrize("count", [10, 24])
def test_many_authors_keep_every_name_and_affiliation_on_the_title_slide(
        tmp_path: Path, layout: Layout, count: int) -> None:
    authors = "".join(f"  - name: Author Number {n}\n    affiliation: Department {n} of a "
                      "Ministry, City\n" for n in range(count))
    source = tmp_path / "crowd.md"
    source.write_text(f"---\ntitle: Many Authors\nauthors:\n{authors}date: 2022-06-03\n"
                      "language: en\n---\n\nBody.\n\n## Key Points\n\n- One.\n", "utf-8")
    path, _problems = render(read_source(source), layout, tmp_path)
    check_geometry(path, layout)
    title_slide = " ".join(texts(Presentation(str(path)).slides[0]))
    for n in range(count):
        assert f"Author Number {n}" in title_slide
        assert f"Department {n} of a Ministry, City" in title_slide
