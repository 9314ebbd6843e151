"""A table's chart as reportlab vector graphics in the layout's palette and fonts."""

from __future__ import annotations

from typing import Any

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.pdfbase.pdfmetrics import stringWidth

from kzreport.labels import number_text
from kzreport.layout import Layout
from kzreport.model import Chart
from kzreport.renderers._pdf_styles import color
from kzreport.renderers._proportions import CHART_ASPECT

#: Room for the category labels (across the bottom, or down the left of a bar chart) and the
#: value labels, in multiples of the text size; the legend's row height likewise.
LABEL_ROOM = 2.2
VALUE_ROOM = 4.0
LEGEND_ROW = 1.8
#: A line's width and its markers' size, in points.
LINE_WIDTH = 2.0
MARKER_SIZE = 6.0


def chart_drawing(chart: Chart, layout: Layout, font: str, width: float) -> Any:
    """A ``Drawing`` ``width`` points wide of ``chart``: series (or a pie's slices) in the
    layout's chart colours in order, labels in ``font`` at the layout's caption size, a
    legend under it when there is more than one series or a pie."""
    size = layout.sizes.caption
    height = round(width * CHART_ASPECT, 2)
    drawing = Drawing(width, height)
    # renderPDF starts every drawing in Helvetica, which would be the one font not embedded.
    drawing.initialFontName, drawing.initialFontSize = font, size
    palette = [color(c) for c in layout.chart_colors]
    legend = len(chart.series) > 1 or chart.kind == "pie"
    names = ([*chart.categories] if chart.kind == "pie" else [s.name for s in chart.series])
    bottom = LEGEND_ROW * size * 1.5 if legend else 0.0
    if chart.kind == "pie":
        pie = Pie()
        side = height - bottom - size
        pie.x, pie.y, pie.width, pie.height = (width - side) / 2, bottom + size / 2, side, side
        pie.data = list(chart.series[0].values)
        pie.direction = "clockwise"
        pie.startAngle = 90  # as PowerPoint and Word draw a pie: from twelve o'clock
        pie.slices.strokeColor = color(layout.colors.slide_background)
        for index in range(len(pie.data)):
            pie.slices[index].fillColor = palette[index % len(palette)]
        drawing.add(pie)
    else:
        plot = _plot(chart, layout, font, size, palette)
        left = (VALUE_ROOM * size if chart.kind != "bar"
                else max(stringWidth(name, font, size) for name in chart.categories) + size)
        plot.x, plot.y = left, bottom + LABEL_ROOM * size
        plot.width = width - left - size
        plot.height = height - plot.y - size
        drawing.add(plot)
    if legend:
        drawing.add(_legend(names, palette, font, size, width))
    return drawing


def _plot(chart: Chart, layout: Layout, font: str, size: float, palette: list[Any]) -> Any:
    """The bar, column or line plot of ``chart`` with its axes styled from the layout."""
    data = [list(series.values) for series in chart.series]
    text, rule = color(layout.colors.text), color(layout.colors.rule)
    plot: Any
    if chart.kind == "line":
        plot = HorizontalLineChart()
        for index in range(len(data)):
            line = plot.lines[index]
            line.strokeColor = palette[index % len(palette)]
            line.strokeWidth = LINE_WIDTH
            line.symbol = makeMarker("FilledCircle", size=MARKER_SIZE,
                                     fillColor=palette[index % len(palette)],
                                     strokeColor=palette[index % len(palette)])
        plot.joinedLines = 1
    else:
        plot = HorizontalBarChart() if chart.kind == "bar" else VerticalBarChart()
        plot.bars.strokeColor = None
        for index in range(len(data)):
            plot.bars[index].fillColor = palette[index % len(palette)]
        if chart.kind == "bar":
            # reportlab stacks categories upwards; the table (and PowerPoint, reversed) list
            # the first on top.
            plot.categoryAxis.reverseDirection = 1
    plot.data = data
    plot.categoryAxis.categoryNames = list(chart.categories)
    values = [v for series in data for v in series]
    plot.valueAxis.valueMin = min(0.0, *values)
    plot.valueAxis.labelTextFormat = number_text
    plot.valueAxis.visibleGrid = 1
    plot.valueAxis.gridStrokeColor = rule
    plot.valueAxis.strokeColor = rule
    plot.categoryAxis.strokeColor = text
    for axis in (plot.valueAxis, plot.categoryAxis):
        axis.labels.fontName = font
        axis.labels.fontSize = size
        axis.labels.fillColor = text
    return plot


def _legend(names: list[str], palette: list[Any], font: str, size: float,
            width: float) -> Any:
    """A one-row legend centred under the chart: a swatch and a name per series or slice."""
    legend = Legend()
    legend.colorNamePairs = [(palette[i % len(palette)], name) for i, name in enumerate(names)]
    legend.fontName = font
    legend.fontSize = size
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.boxAnchor = "s"
    legend.x, legend.y = width / 2, size * 0.5
    legend.dx = legend.dy = size * 0.8
    legend.deltax = max(stringWidth(n, font, size) for n in names) + 3 * size
    legend.strokeColor = None
    return legend
