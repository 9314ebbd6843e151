"""A slide's pictures, tables, charts, shape boxes and table cells read from PresentationML."""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile

from kzreport.extraction import TextFrame, Visuals
from kzreport.readers.charts import read_chart
from kzreport.readers.drawing_text import drawing_paragraphs, paragraphs_of
from kzreport.readers.opc import parse, relationships
from kzreport.renderers._common import EMU_PER_PT

_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
_C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
#: A table cell's margins when ``a:tcPr`` names none: 0.1" left/right, 0.05" top/bottom.
CELL_MARGINS_EMU = (91440, 91440, 45720, 45720)


def _name(shape: ET.Element) -> ET.Element | None:
    """The ``p:cNvPr`` of a slide shape (its id, name and description)."""
    return shape.find(f"./*/{_P}cNvPr")


def _box(shape: ET.Element) -> tuple[float, float, float, float] | None:
    """A shape's position and size in points (a graphic frame keeps its ``p:xfrm`` outside
    its shape properties), None when its layout places it."""
    xfrm = shape.find(f"{_P}spPr/{_A}xfrm")
    if xfrm is None:
        xfrm = shape.find(f"{_P}xfrm")
    offset = xfrm.find(f"{_A}off") if xfrm is not None else None
    size = xfrm.find(f"{_A}ext") if xfrm is not None else None
    if offset is None or size is None:
        return None
    return (int(offset.get("x", "0")) / EMU_PER_PT, int(offset.get("y", "0")) / EMU_PER_PT,
            int(size.get("cx", "0")) / EMU_PER_PT, int(size.get("cy", "0")) / EMU_PER_PT)


def read_visuals(package: zipfile.ZipFile, part: str, root: ET.Element,
                 number: int) -> tuple[Visuals, list[TextFrame]]:
    """The visuals of slide ``number`` (part ``part``, parsed as ``root``) and a text frame
    per table cell."""
    targets = {rel.id: rel.target for rel in relationships(package, part)}
    pictures, tables, charts, boxes = [], [], [], []
    frames: list[TextFrame] = []
    tree = root.find(f"{_P}cSld/{_P}spTree")
    for shape in tree if tree is not None else []:
        name = _name(shape)
        box = _box(shape)
        label = name.get("name", "") if name is not None else ""
        if box is not None:
            boxes.append((label, *box))
        if shape.tag == f"{_P}pic" and name is not None:
            pictures.append(name.get("descr", ""))
        table = shape.find(f".//{_A}tbl")
        if table is not None:
            tables.append(_table(table, number, label, frames))
        chart = shape.find(f".//{_C}chart")
        if chart is not None and chart.get(f"{_R}id") in targets:
            data = read_chart(parse(package, targets[chart.get(f"{_R}id", "")]))
            if data is not None:
                charts.append(data)
    return Visuals(tuple(pictures), tuple(tables), tuple(charts), tuple(boxes)), frames


def _table(table: ET.Element, number: int, label: str,
           frames: list[TextFrame]) -> tuple[tuple[str, ...], ...]:
    """The cells' text of ``table`` by row; each cell added to ``frames`` as a text frame as
    wide as its column and as tall as its row, inside its margins."""
    widths = [int(col.get("w", "0")) / EMU_PER_PT for col in table.iter(f"{_A}gridCol")]
    rows = []
    for row in table.findall(f"{_A}tr"):
        height = int(row.get("h", "0")) / EMU_PER_PT
        cells = []
        for index, cell in enumerate(row.findall(f"{_A}tc")):
            body = cell.find(f"{_A}txBody")
            cells.append("\n".join(drawing_paragraphs(body)) if body is not None else "")
            props = cell.find(f"{_A}tcPr")
            margins = tuple(
                int(props.get(a, str(d)) if props is not None else d) / EMU_PER_PT
                for a, d in zip(("marL", "marR", "marT", "marB"), CELL_MARGINS_EMU, strict=True))
            paras = paragraphs_of(body) if body is not None else ()
            if paras and index < len(widths):
                left, right, top, bottom = margins
                frames.append(TextFrame(number, f"{label} cell", widths[index], height,
                                        (left, right, top, bottom), paras))
        rows.append(tuple(cells))
    return tuple(rows)
