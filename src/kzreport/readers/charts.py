"""A DrawingML chart part read back as data: its kind, categories and series of values."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from kzreport.extraction import ChartData

_C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
#: The plot elements of the chart kinds kzreport writes; a bar chart's direction tells bar
#: (across) from column (upright).
_PLOTS = {"barChart": "bar", "lineChart": "line", "pieChart": "pie"}


def _points(node: ET.Element | None) -> list[str]:
    """The cached values of a category or value reference, in point order."""
    if node is None:
        return []
    points = sorted(node.iter(f"{_C}pt"), key=lambda pt: int(pt.get("idx", "0")))
    return [pt.findtext(f"{_C}v", "") for pt in points]


def read_chart(root: ET.Element) -> ChartData | None:
    """The data of chart part ``root`` (a ``c:chartSpace``), None when it holds no plot
    kzreport writes."""
    area = root.find(f"{_C}chart/{_C}plotArea")
    if area is None:
        return None
    for tag, kind in _PLOTS.items():
        plot = area.find(f"{_C}{tag}")
        if plot is None:
            continue
        if kind == "bar":
            direction = plot.find(f"{_C}barDir")
            kind = "column" if direction is not None and direction.get("val") == "col" else "bar"
        categories: tuple[str, ...] = ()
        series = []
        for ser in plot.findall(f"{_C}ser"):
            categories = tuple(_points(ser.find(f"{_C}cat")))
            name = "".join(_points(ser.find(f"{_C}tx")))
            values = tuple(float(v) for v in _points(ser.find(f"{_C}val")) if v)
            series.append((name, values))
        return ChartData(kind, categories, tuple(series))
    return None
