"""A table's chart as a native Office chart and workbook, alike in the deck and the brief."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, cast

from kzreport.layout import Layout
from kzreport.model import Chart
from kzreport.renderers._package import restamped_workbook

if TYPE_CHECKING:
    from lxml.etree import _Element as XmlElement

_C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
#: python-pptx's chart types by the source's chart kind: bars run across, columns stand up.
CHART_TYPES = {"bar": "BAR_CLUSTERED", "column": "COLUMN_CLUSTERED", "line": "LINE_MARKERS",
               "pie": "PIE"}


def chart_type(chart: Chart) -> Any:
    """python-pptx's ``XL_CHART_TYPE`` member for ``chart``'s kind."""
    from pptx.enum.chart import XL_CHART_TYPE

    return getattr(XL_CHART_TYPE, CHART_TYPES[chart.kind])


def chart_data(chart: Chart) -> Any:
    """python-pptx's ``CategoryChartData`` of ``chart``: its categories, then each series in
    the table's column order."""
    from pptx.chart.data import CategoryChartData

    data: Any = cast(Any, CategoryChartData)()  # python-pptx leaves it untyped
    data.categories = chart.categories
    for series in chart.series:
        data.add_series(series.name, series.values)
    return data


def style_chart(target: Any, chart: Chart, layout: Layout, size: float) -> None:
    """Give python-pptx chart ``target`` the layout's look: series (or a pie's slices) in the
    palette's colours in order, text in the body font at ``size`` points, a legend when
    there is more than one series or a pie, and no title (the caption is the title)."""
    from pptx.enum.chart import XL_LEGEND_POSITION
    from pptx.util import Pt

    palette = layout.chart_colors
    target.has_title = False
    target.font.size = Pt(size)
    target.font.name = layout.fonts.body.name
    target.font.color.rgb = rgb(layout.colors.text)
    target.has_legend = len(chart.series) > 1 or chart.kind == "pie"
    if target.has_legend:
        target.legend.position = XL_LEGEND_POSITION.BOTTOM
        target.legend.include_in_layout = False
    plot = target.plots[0]
    if chart.kind == "pie":
        for index, point in enumerate(plot.series[0].points):
            point.format.fill.solid()
            point.format.fill.fore_color.rgb = rgb(palette[index % len(palette)])
        return
    for index, series in enumerate(plot.series):
        color = rgb(palette[index % len(palette)])
        if chart.kind == "line":
            series.smooth = False
            series.format.line.color.rgb = color
            series.format.line.width = Pt(2.5)
            series.marker.format.fill.solid()
            series.marker.format.fill.fore_color.rgb = color
            series.marker.format.line.color.rgb = color
        else:
            series.format.fill.solid()
            series.format.fill.fore_color.rgb = color
    if chart.kind == "bar":  # bars list the first category on top, as the table does
        target.category_axis.reverse_order = True
    gridlines = target.value_axis.major_gridlines.format.line
    gridlines.color.rgb = rgb(layout.colors.rule)


def unsigned_axis_ids(chart_space: XmlElement) -> None:
    """Write ``chart_space``'s axis ids as the unsigned numbers the schema wants: python-pptx's
    chart templates carry negative ones (``-2068027336``), which Office reads as their
    32-bit unsigned value, so that value is written and the axes stay paired alike."""
    for tag in ("axId", "crossAx"):
        for node in chart_space.iter(f"{{{_C}}}{tag}"):
            node.set("val", str(int(node.get("val", "0")) % 2**32))


def rgb(color: str) -> Any:
    """Layout colour ``RRGGBB`` as python-pptx's ``RGBColor``."""
    from pptx.dml.color import RGBColor

    return cast(Any, RGBColor)(*bytes.fromhex(color))  # its constructor is untyped


def chart_space(chart: Chart, layout: Layout, size: float,
                stamp: dt.datetime) -> tuple[XmlElement, bytes]:
    """``chart`` as a styled ``c:chartSpace`` (without its ``c:externalData``, which names
    the workbook by the relationship its package gives it) and its data as an embedded
    workbook stamped ``stamp``: what python-pptx's ``add_chart`` makes, for a package that is
    not a deck (the brief)."""
    from kzreport.renderers._pptx_internals import detached_chart

    data = chart_data(chart)
    element, target = detached_chart(data.xml_bytes(chart_type(chart)))
    style_chart(target, chart, layout, size)
    unsigned_axis_ids(element)
    return element, restamped_workbook(data.xlsx_blob, stamp)
