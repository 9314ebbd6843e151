"""Figures, tables and charts on key point slides: where they go, what they carry, and that
they fit, read back with python-pptx, verify's reader and LibreOffice."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from deck_checks import check_geometry, check_render, notes, render, texts, title_of
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.enum.shapes import MSO_SHAPE_TYPE

from conftest import FIXTURES, assert_valid_ooxml
from kzreport.comparison import compare
from kzreport.expectations import expect
from kzreport.layout import Layout
from kzreport.model import Document
from kzreport.readers.pptx import read_pptx
from kzreport.source import read_source
from source_helpers import FRONT, write


@pytest.fixture(scope="module")
def visuals_doc() -> Document:
    return read_source(FIXTURES / "deck-visuals.md")


@pytest.fixture(scope="module")
def visuals_file(visuals_doc: Document, layout: Layout,
                 tmp_path_factory: pytest.TempPathFactory) -> Path:
    path, problems = render(visuals_doc, layout, tmp_path_factory.mktemp("visuals"))
    assert problems == []
    assert_valid_ooxml(path)
    return path


@pytest.fixture(scope="module")
def slides(visuals_file: Path) -> list[Any]:
    return list(Presentation(str(visuals_file)).slides)


def kinds(slide: Any) -> list[Any]:
    return [shape.shape_type for shape in slide.shapes if not shape.has_text_frame]


def test_a_figure_sits_on_its_key_points_slide_with_alt_text_and_caption(
        slides: list[Any]) -> None:
    slide = slides[2]
    (picture,) = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert picture.element.find(".//{*}cNvPr").get("descr") == (
        "Bar chart of transit cargo volumes rising from 2021 to 2023")
    assert "Figure 1. Transit cargo volumes" in texts(slide)
    # The picture keeps its aspect ratio (480 x 240 pixels) and the text sits above or
    # beside it, whichever shows it larger.
    assert abs(picture.width / picture.height - 2.0) < 0.01
    body = next(s for s in slide.shapes if "Middle Corridor now carries" in
                (s.text_frame.text if s.has_text_frame else ""))
    assert body.top + body.height <= picture.top or body.left + body.width <= picture.left
    assert notes(slide) == ("The notes keep this prose detail for the presenter.\n"
                            "1 Kazakhstan Temir Zholy, annual reports 2021–2023.")


def test_a_table_is_a_native_table_with_the_layouts_header_and_sizes(
        slides: list[Any], layout: Layout) -> None:
    slide = slides[3]
    (frame,) = [s for s in slide.shapes if s.has_table]
    table = frame.table
    assert [[cell.text for cell in row.cells] for row in table.rows] == [
        ["Port", "Berths", "Capacity (Mt)"], ["Aktau", "12", "19.0"], ["Kuryk", "6", "6.0"],
        ["Baku", "14", "25.0"]]
    header = table.cell(0, 0)
    assert str(header.fill.fore_color.rgb) == layout.colors.table_header_background
    sizes = {run.font.size.pt for row in table.rows for cell in row.cells
             for p in cell.text_frame.paragraphs for run in p.runs}
    assert len(sizes) == 1 and layout.slides.body_min <= sizes.pop() <= layout.slides.body_max
    # The detail bullets are on the slide too; the notes hold only the footnote.
    assert "Aktau expands its container terminal" in " ".join(texts(slide))
    assert notes(slide) == "2 Announced by the port operator in 2024; the berth opens in 2026."


def test_a_chart_is_native_with_the_tables_data_and_the_palette(
        slides: list[Any], layout: Layout) -> None:
    slide = slides[4]
    assert title_of(slide) == "Share of cargo by route."
    (frame,) = [s for s in slide.shapes if s.has_chart]
    chart = frame.chart
    assert chart.chart_type == XL_CHART_TYPE.PIE
    assert list(chart.plots[0].categories) == ["Middle Corridor", "Northern route", "Other"]
    (series,) = chart.series
    assert series.name == "Share (%)" and list(series.values) == [62.0, 30.0, 8.0]
    colors = [str(point.format.fill.fore_color.rgb) for point in
              (series.points[i] for i in range(3))]
    assert colors == list(layout.chart_colors[:3])
    assert frame.element.find(".//{*}cNvPr").get("descr") == (
        "Pie chart: Cargo share by route, 2023. Middle Corridor: Share (%) 62; "
        "Northern route: Share (%) 30; Other: Share (%) 8.")
    # The caption keeps its footnote's number; the note is in the line at the slide's foot.
    assert "Table 2. Cargo share by route, 20233" in texts(slide)
    assert "3 Shares of tonnage, not of value." in texts(slide)


@pytest.mark.parametrize(("number", "note"), [
    (2, "1 Kazakhstan Temir Zholy, annual reports 2021–2023."),
    (3, "2 Announced by the port operator in 2024; the berth opens in 2026."),
    (4, "3 Shares of tonnage, not of value.")], ids=["figure", "table", "chart"])
def test_the_footnotes_line_sits_below_the_visuals_and_the_text(slides: list[Any],
                                                                number: int, note: str) -> None:
    """A key point with a figure, a table or a chart and footnotes shows both: the line of
    notes under everything the slide's body holds and above its footer, overlapping none."""
    slide = slides[number]
    (line,) = [s for s in slide.shapes if s.has_text_frame and s.text_frame.text == note]
    others = [s for s in slide.shapes if s.shape_id != line.shape_id]
    assert any(not s.has_text_frame for s in others), "the slide shows its visual"
    above = [s for s in others if s.top < line.top]
    assert all(s.top + s.height <= line.top for s in above), [s.name for s in above]
    below = [s for s in others if s.top >= line.top]
    assert below and all(line.top + line.height <= s.top for s in below)  # the footer


def test_short_and_numbered_key_points(slides: list[Any]) -> None:
    short = slides[5]
    assert title_of(short) == "Key Point 4 of 5"  # one sentence stays the slide's text
    (text,) = [s for s in short.shapes if s.has_text_frame and s.text_frame.text ==
               "Investment is steady."]
    run = text.text_frame.paragraphs[0].runs[0]
    assert run.font.size.pt > 28  # set larger than body text
    numbered = slides[6]
    assert title_of(numbered) == "Three things to watch:"
    assert kinds(numbered) == []


def test_the_deck_fits_and_verifies(visuals_file: Path, visuals_doc: Document,
                                    layout: Layout, tmp_path: Path) -> None:
    check_geometry(visuals_file, layout)
    check_render(visuals_file, tmp_path)
    assert compare(expect(visuals_doc, layout), read_pptx(visuals_file, layout)) == []


def test_verify_reads_the_visuals_back(visuals_file: Path, layout: Layout) -> None:
    got = read_pptx(visuals_file, layout)
    assert got.slides is not None
    assert got.slides[2].visuals.pictures == (
        "Bar chart of transit cargo volumes rising from 2021 to 2023",)
    assert got.slides[3].visuals.tables[0][0] == ("Port", "Berths", "Capacity (Mt)")
    (chart,) = got.slides[4].visuals.charts
    assert chart.kind == "pie" and chart.series == (("Share (%)", (62.0, 30.0, 8.0)),)
    cells = [f for f in got.frames if f.slide == 4 and f.name.endswith("cell")]
    assert len(cells) == 12


def test_a_table_too_large_for_a_slide_goes_to_the_notes(layout: Layout,
                                                         tmp_path: Path) -> None:
    rows = "".join(f"| Row {n} | {n} |\n" for n in range(40))
    table = "| Name | Value |\n|---|---|\n" + rows
    source = write(tmp_path, FRONT + "\n## Key Points\n\n- The point.\n\n"
                   + "".join("  " + row for row in table.splitlines(True)))
    document = read_source(source)
    path, problems = render(document, layout, tmp_path)
    (problem,) = problems
    assert problem.severity == "warning" and problem.line == 12
    assert "too large for its slide" in problem.message
    slide = Presentation(str(path)).slides[1]
    assert kinds(slide) == []
    assert "Row 39 | 39" in notes(slide)
    assert compare(expect(document, layout), read_pptx(path, layout)) == []


def test_the_charts_workbook_is_stamped_with_the_build_time(visuals_file: Path) -> None:
    # XlsxWriter stamps the current time; the deck must be byte-reproducible all the same.
    with zipfile.ZipFile(visuals_file) as deck:
        (name,) = [n for n in deck.namelist() if n.endswith(".xlsx")]
        with zipfile.ZipFile(io.BytesIO(deck.read(name))) as workbook:
            core = workbook.read("docProps/core.xml").decode()
            times = {info.date_time for info in workbook.infolist()}
    assert core.count("2024-03-15T12:00:00Z") == 2
    assert times == {(1980, 1, 1, 0, 0, 0)}


def test_a_tables_width_hints_set_its_columns_on_the_slide(layout: Layout,
                                                           tmp_path: Path) -> None:
    table = "| Name | Note |\n|---|---|\n| Aktau | Port |\n\n: Ports {widths=\"1 3\"}\n"
    source = write(tmp_path, FRONT + "\n## Key Points\n\n- The point.\n\n"
                   + "".join("  " + row for row in table.splitlines(True)))
    path, problems = render(read_source(source), layout, tmp_path)
    assert problems == []
    (frame,) = [s for s in Presentation(str(path)).slides[1].shapes if s.has_table]
    first, second = (column.width for column in frame.table.columns)
    assert second / first == pytest.approx(3, rel=1e-3)
