"""Word charts imported as tables of their data with their ``{.chart-KIND}`` class."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from xml.etree import ElementTree as ET

from kzreport.extraction import ChartData
from kzreport.importing.docx import Grid, Para
from kzreport.importing.found import Run, plain_found
from kzreport.labels import number_text
from kzreport.model import CHART_KINDS, Table
from kzreport.readers.charts import read_chart
from kzreport.table_captions import parse_number, table_chart

#: The note a chart found alone gets: a chart part holds no name for its category column.
UNNAMED = ("chart kept as the table of its data, its first column unnamed — name it (a chart "
           "does not carry the name of its categories)")


def chart_grid(root: ET.Element | None, number: int) -> Grid | None:
    """The chart part ``root`` as a table of its data marked with its kind (categories down
    the first column, a column per series), None when it holds no bar, column, line or pie
    chart."""
    data = read_chart(root) if root is not None else None
    if data is None or not data.series:
        return None
    rows = [["", *(name for name, _ in data.series)]]
    for index, category in enumerate(data.categories):
        rows.append([category, *(number_text(values[index]) if index < len(values) else ""
                                 for _, values in data.series)])
    return Grid(number, [[[Run(text)] if text else [] for text in row] for row in rows], True,
                [None] + ["right"] * len(data.series), [UNNAMED], chart=data.kind)


def _data(grid: Grid) -> ChartData | None:
    """What a chart of ``grid``'s table would show (None: a cell is not a number)."""
    texts = [[plain_found(cell).strip() for cell in row] for row in grid.rows]
    if len(texts) < 2 or any(len(row) != len(texts[0]) for row in texts):
        return None
    series = []
    for column in range(1, len(texts[0])):
        values = [parse_number(row[column]) for row in texts[1:]]
        if any(v is None for v in values):
            return None
        series.append((texts[0][column], tuple(v for v in values if v is not None)))
    return ChartData("", tuple(row[0] for row in texts[1:]), tuple(series))


def merge_charts(blocks: list[Para | Grid]) -> list[Para | Grid]:
    """``blocks`` with each chart joined to the data table printed right after it (as the
    brief prints it): the table takes the chart's kind and keeps its own text, the chart
    goes; the empty paragraph that held a chart goes too, so a caption above it is the
    table's caption."""
    out: list[Para | Grid] = []
    for n, block in enumerate(blocks):
        following = blocks[n + 1] if n + 1 < len(blocks) else None
        if isinstance(block, Para) and not block.content and isinstance(following, Grid) \
                and following.chart and block.numbering is None:
            continue
        if isinstance(block, Grid) and block.chart and isinstance(following, Grid) \
                and not following.chart and _data(block) is not None:
            mine, theirs = _data(block), _data(following)
            if theirs is not None and mine is not None and (
                    theirs.categories, theirs.series) == (mine.categories, mine.series):
                following.chart = block.chart
                continue
        out.append(block)
    return out


def charted(table: Table, kind: str, warn: Callable[[str], None]) -> Table:
    """``table`` with the chart of kind ``kind`` a source would draw of it, or without one
    (and a warning) when its data cannot be that chart."""
    chart, why = table_chart(table, kind) if kind in CHART_KINDS else (None, "unknown kind")
    if chart is None:
        warn(f"{kind} chart kept as a table without its chart class: {why} — fix the data "
             f"and add {{.chart-{kind}}} to its caption")
        return table
    return replace(table, chart=chart)
