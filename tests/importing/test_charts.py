"""Word charts imported as tables of their data with their chart class: a brief's chart with
its data table, a chart alone (as a brief without data tables or Word writes it), and charts
the source cannot draw."""

from __future__ import annotations

from pathlib import Path

import pytest

from importing.test_docx import imported
from importing.word_files import BULLETS, REL, p
from kzreport.model import Table, walk
from kzreport.source import read_source

C_NS = 'xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart"'
HEAD = p("Ports", "Title") + p("By: A. Author") + p("2022-06-03")
TAIL = p("Key Points", "Heading1") + p("A point.", "ListBullet")
STYLES = ('<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
          '<w:style w:styleId="Title"><w:name w:val="Title"/></w:style>'
          '<w:style w:styleId="Heading1"><w:name w:val="heading 1"/></w:style>'
          '<w:style w:styleId="Caption"><w:name w:val="caption"/></w:style>'
          '<w:style w:styleId="ListBullet"><w:name w:val="List Bullet"/><w:pPr><w:numPr>'
          '<w:numId w:val="1"/></w:numPr></w:pPr></w:style></w:styles>')
#: A chart drawn inline, as Word writes it: its part is related from the document.
DRAWING = ('<w:p><w:r><w:drawing><wp:inline><wp:extent cx="5486400" cy="3200400"/>'
           '<wp:docPr id="1" name="Chart 1"/><a:graphic><a:graphicData uri="http://schemas.'
           f'openxmlformats.org/drawingml/2006/chart"><c:chart {C_NS} r:id="rChart"/>'
           '</a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>')


def series(name: str, categories: list[str], values: list[str], numeric: bool = False) -> str:
    """A ``c:ser`` with cached name, categories (as text, or as numbers as Word writes years)
    and values, as Word writes one."""
    ref = "numRef" if numeric else "strRef"
    cache = "numCache" if numeric else "strCache"
    cats = "".join(f'<c:pt idx="{n}"><c:v>{c}</c:v></c:pt>' for n, c in enumerate(categories))
    vals = "".join(f'<c:pt idx="{n}"><c:v>{v}</c:v></c:pt>' for n, v in enumerate(values))
    return (f'<c:ser><c:idx val="0"/><c:order val="0"/><c:tx><c:strRef><c:f>Sheet1!$B$1</c:f>'
            f'<c:strCache><c:ptCount val="1"/><c:pt idx="0"><c:v>{name}</c:v></c:pt>'
            f'</c:strCache></c:strRef></c:tx><c:cat><c:{ref}><c:f>Sheet1!$A$2:$A$9</c:f>'
            f'<c:{cache}><c:ptCount val="{len(categories)}"/>{cats}</c:{cache}></c:{ref}>'
            f'</c:cat><c:val><c:numRef><c:f>Sheet1!$B$2:$B$9</c:f><c:numCache>'
            f'<c:ptCount val="{len(values)}"/>{vals}</c:numCache></c:numRef></c:val></c:ser>')


def chart_part(plot: str) -> bytes:
    return (f'<c:chartSpace {C_NS}><c:chart><c:plotArea>{plot}</c:plotArea></c:chart>'
            '</c:chartSpace>').encode()


def import_chart(tmp_path: Path, plot: str, before: str = "",
                 after: str = "") -> tuple[str, list[str]]:
    text, warnings = imported(
        tmp_path, HEAD + before + DRAWING + after + TAIL, styles=STYLES, numbering=BULLETS,
        parts={"word/charts/chart1.xml": chart_part(plot)},
        rels=(("rChart", REL + "chart", "charts/chart1.xml", False),))
    return text, [w.message for w in warnings]


def test_a_chart_alone_comes_back_as_its_data_with_its_class(tmp_path: Path) -> None:
    plot = ('<c:barChart><c:barDir val="bar"/>'
            + series("Capacity (Mt)", ["Aktau", "Kuryk"], ["19", "6.5"])
            + series("Berths", ["Aktau", "Kuryk"], ["12", "1250"]).replace(
                '<c:idx val="0"/><c:order val="0"/>', '<c:idx val="1"/><c:order val="1"/>')
            + "</c:barChart>")
    text, warnings = import_chart(tmp_path, plot, before=p("Port capacity", "Caption"))
    assert ("|  | Capacity (Mt) | Berths |\n|---|---:|---:|\n| Aktau | 19 | 12 |\n"
            "| Kuryk | 6\\.5 | 1,250 |\n\n: Port capacity {.chart-bar}") in text
    (table,) = [b for b in walk(read_source(tmp_path / "source" / "paper.md").blocks)
                if isinstance(b, Table)]
    assert table.chart is not None and table.chart.series[1].values == (12.0, 1250.0)
    assert warnings == ['paragraph 5 ("Capacity (Mt) Berths"): chart kept as the table of its '
                        "data, its first column unnamed — name it (a chart does not carry the "
                        "name of its categories)"]


def test_a_chart_with_its_data_table_after_it_is_that_table(tmp_path: Path) -> None:
    """As a brief prints it: the table keeps its own text (its first column's name), takes
    the chart's kind, and the chart adds nothing; the caption above the chart is its own."""
    plot = ('<c:lineChart>' + series("Trains", ["2021", "2022"], ["42", "40"], numeric=True)
            + "</c:lineChart>")
    table = ('<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Year</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r>'
             '<w:t>Trains</w:t></w:r></w:p></w:tc></w:tr><w:tr><w:tc><w:p><w:r><w:t>2021</w:t>'
             '</w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>42.0</w:t></w:r></w:p></w:tc></w:tr>'
             '<w:tr><w:tc><w:p><w:r><w:t>2022</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r>'
             '<w:t>40</w:t></w:r></w:p></w:tc></w:tr></w:tbl>')
    text, warnings = import_chart(tmp_path, plot, before=p("Trains a year", "Caption"),
                                  after=table)
    assert "| Year | Trains |\n|---|---|\n| 2021 | 42\\.0 |\n| 2022 | 40 |\n\n" \
           ": Trains a year {.chart-line}" in text
    assert warnings == []


@pytest.mark.parametrize(("plot", "says"), [
    ("<c:areaChart>" + series("A", ["x"], ["1"]) + "</c:areaChart>", "chart left out"),
    ("<c:pieChart>" + series("A", ["x", "y"], ["1", "-2"]) + "</c:pieChart>",
     "pie chart kept as a table without its chart class: a pie chart cannot show the "
     "negative value '-2'"),
])
def test_a_chart_the_source_cannot_draw_is_reported(tmp_path: Path, plot: str,
                                                    says: str) -> None:
    _, warnings = import_chart(tmp_path, plot)
    assert any(says in w for w in warnings), warnings
