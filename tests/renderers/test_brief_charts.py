"""The brief's native Word charts: the package parts Word needs, the deck's data and palette,
the data table switch, and readers that did not write them (python-docx, LibreOffice, verify)."""

from __future__ import annotations

import io
import re
import subprocess
import time
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import docx
import pytest

from conftest import FIXTURES, ROOT, assert_valid_ooxml, libreoffice_to_pdf, require_tool
from kzreport.build import Options, build
from kzreport.comparison import compare, wanted_chart
from kzreport.expectations import expect
from kzreport.layout import Layout
from kzreport.layout_loader import load_layout
from kzreport.readers.charts import read_chart
from kzreport.readers.docx import read_docx
from kzreport.source import read_source
from verify_helpers import rewrite

PAPER = FIXTURES / "charts.md"
CHART = "http://schemas.openxmlformats.org/drawingml/2006/chart"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def built(folder: Path, layout: str = "default", formats: tuple[str, ...] = ("docx",)) -> Path:
    outcomes = build([PAPER], Options(out_dir=folder, formats=formats, layout=layout,
                                      cwd=ROOT, force=True))
    assert not any(o.failed for o in outcomes)
    return folder / "charts.docx"


@pytest.fixture(scope="module")
def brief(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built(tmp_path_factory.mktemp("brief-charts"))


@pytest.fixture(scope="module")
def no_tables(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Layout]:
    """The paper built in every format with a layout that leaves the data tables out."""
    folder = tmp_path_factory.mktemp("no-tables")
    (folder / "house").mkdir()
    (folder / "house" / "layout.toml").write_text(
        'inherit = "default"\n[charts]\ndata_table = false\n', "utf-8")
    built(folder, str(folder / "house"), ("docx", "pdf", "pptx"))
    return folder, load_layout(str(folder / "house"), folder)


def test_each_chart_is_a_chart_part_with_its_workbook(brief: Path) -> None:
    with zipfile.ZipFile(brief) as package:
        names = package.namelist()
        types = package.read("[Content_Types].xml").decode()
        rels = package.read("word/_rels/document.xml.rels").decode()
        body = package.read("word/document.xml").decode()
        assert [n for n in names if n.startswith("word/charts/chart")] == [
            f"word/charts/chart{n}.xml" for n in range(1, 6)]
        for n in range(1, 6):
            assert (f'PartName="/word/charts/chart{n}.xml" ContentType="application/vnd.'
                    'openxmlformats-officedocument.drawingml.chart+xml"') in types
            assert f'/relationships/chart" Target="charts/chart{n}.xml"' in rels
            chart_rels = package.read(f"word/charts/_rels/chart{n}.xml.rels").decode()
            assert (f'Type="{RELS}/package" Target="../embeddings/Microsoft_Excel_Sheet{n}.xlsx"'
                    in chart_rels)
            root = ET.fromstring(package.read(f"word/charts/chart{n}.xml"))
            external = root.find(f"{{{CHART}}}externalData")
            assert external is not None and external.get(f"{{{RELS}}}id") == "rId1"
            # The workbook Word's Edit Data opens holds the table's numbers.
            with zipfile.ZipFile(io.BytesIO(package.read(
                    f"word/embeddings/Microsoft_Excel_Sheet{n}.xlsx"))) as workbook:
                assert "xl/worksheets/sheet1.xml" in workbook.namelist()
        assert 'Extension="xlsx"' in types
    # Inline in the body, each referring to its part.
    inline = re.findall(r'<a:graphicData uri="' + CHART + r'"><c:chart r:id="(rId\d+)"/>', body)
    assert len(inline) == 5
    assert 'descr="Line chart: Crossings per month. Jan: Ferries 10, Trains 42, Trucks 7.5;' \
        in body
    assert_valid_ooxml(brief)


def test_the_brief_shows_the_decks_chart(brief: Path, tmp_path: Path, layout: Layout) -> None:
    """The same series, order, numbers and palette as the deck's chart of the same table."""
    built(tmp_path, formats=("pptx",))
    area = f"{{{CHART}}}chart/{{{CHART}}}plotArea"
    with zipfile.ZipFile(tmp_path / "charts.pptx") as deck, zipfile.ZipFile(brief) as word:
        # The deck shows the key points' pie and line charts, the brief's charts 4 and 5.
        for number in (1, 2):
            deck_area = ET.fromstring(deck.read(f"ppt/charts/chart{number}.xml")).find(area)
            word_area = ET.fromstring(word.read(f"word/charts/chart{number + 3}.xml")).find(area)
            assert word_area is not None and deck_area is not None
            assert ET.tostring(word_area) == ET.tostring(deck_area)
            line = ET.tostring(word_area).decode()
    document = read_source(PAPER)
    got = [read_chart(ET.fromstring(zipfile.ZipFile(brief).read(f"word/charts/chart{n}.xml")))
           for n in range(1, 6)]
    assert got == [wanted_chart(t) for t in expect(document, layout).charts]
    # The line chart's two series (each line and its markers) in the palette's order.
    colors = re.findall(r'srgbClr val="(\w+)"', line)
    assert list(dict.fromkeys(colors))[:2] == list(layout.chart_colors[:2])


def test_python_docx_reopens_the_brief_with_its_charts(brief: Path) -> None:
    word = docx.Document(str(brief))
    charts = [rel.target_part for rel in word.part.rels.values()
              if rel.reltype.endswith("/chart")]
    assert len(charts) == 5
    assert all(any(r.reltype.endswith("/package") for r in part.rels.values())
               for part in charts)


def test_libreoffice_draws_the_charts_without_the_data_tables(
        no_tables: tuple[Path, Layout], tmp_path: Path) -> None:
    folder, _ = no_tables
    with zipfile.ZipFile(folder / "charts.docx") as package:
        assert "<w:tbl>" not in package.read("word/document.xml").decode()
    pdf = libreoffice_to_pdf(folder / "charts.docx", tmp_path)
    text = subprocess.run([require_tool("pdftotext"), str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    # Legends and axis labels: only a drawn chart shows them now.
    for label in ("Rail (Mt)", "Road (Mt)", "Ferries", "Trucks", "Kuryk", "Feb"):
        assert label in text


def test_without_data_tables_every_output_verifies(no_tables: tuple[Path, Layout]) -> None:
    folder, layout = no_tables
    document = read_source(PAPER)
    from kzreport.readers.pdf import read_pdf

    assert compare(expect(document, layout), read_docx(folder / "charts.docx", layout)) == []
    pdf = read_pdf(folder / "charts.pdf", layout)
    assert compare(expect(document, layout), pdf) == []
    # A one-series chart has no legend: its header is printed only in its data table.
    assert "Capacity (Mt)" not in pdf.text
    # With the default layout, the PDF lacks the tables verify now expects.
    default = compare(expect(document, load_layout("default", ROOT)), pdf)
    assert any("cell 1 of row 1 of table 1" in m for m in default)


@pytest.mark.parametrize(("old", "new", "message"), [
    ("<c:v>1.9</c:v>", "<c:v>9.1</c:v>", "chart 1 is a column chart of other data"),
    ('<c:barDir val="col"/>', '<c:barDir val="bar"/>', "chart 1 is a bar chart of other data"),
    ("<c:v>Road (Mt)</c:v>", "<c:v>Sea (Mt)</c:v>", "not the column chart of the table at line"),
])
def test_verify_reads_the_briefs_charts_back(brief: Path, tmp_path: Path, layout: Layout,
                                             old: str, new: str, message: str) -> None:
    copy = tmp_path / "charts.docx"
    copy.write_bytes(brief.read_bytes())
    rewrite(copy, "word/charts/chart1.xml", lambda xml: xml.replace(old, new, 1))
    messages = compare(expect(read_source(PAPER), layout), read_docx(copy, layout))
    assert any(message in m for m in messages), messages


def test_a_chart_left_out_of_the_brief_is_reported(brief: Path, tmp_path: Path,
                                                  layout: Layout) -> None:
    copy = tmp_path / "charts.docx"
    copy.write_bytes(brief.read_bytes())

    def without_last_chart(xml: str) -> str:
        start = xml.rindex("<w:drawing ", 0, xml.rindex("<c:chart "))
        return xml[:start] + xml[xml.index("</w:drawing>", start) + len("</w:drawing>"):]

    rewrite(copy, "word/document.xml", without_last_chart)
    messages = compare(expect(read_source(PAPER), layout), read_docx(copy, layout))
    assert "the line chart of the table at line 50 is missing" in messages


def test_a_brief_with_charts_is_byte_reproducible(brief: Path, tmp_path: Path) -> None:
    # XlsxWriter stamps the workbook with the current time; the brief restamps it.
    time.sleep(1.1)
    assert built(tmp_path).read_bytes() == brief.read_bytes()
