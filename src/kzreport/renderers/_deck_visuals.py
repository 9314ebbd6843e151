"""Figures, tables and charts on a key point's slide: each measured into a box, then drawn."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from kzreport.labels import (
    CAPTION_ALIGNMENT,
    CAPTION_ITALIC,
    chart_description,
    figure_label,
    figure_numbers,
    table_label,
    table_numbers,
)
from kzreport.model import Chart, Figure, Table, plain_text
from kzreport.records import record
from kzreport.renderers import _fit as fit
from kzreport.renderers._common import build_timestamp
from kzreport.renderers._deck_geometry import Box
from kzreport.renderers._deck_text import Deck, Par, Run, clean, runs
from kzreport.renderers._drawingml import (
    emu,
    non_visual_properties,
    textbox,
    write,
    write_paragraphs,
)
from kzreport.renderers._office_charts import (
    chart_data,
    chart_type,
    rgb,
    style_chart,
    unsigned_axis_ids,
)
from kzreport.renderers._package import restamped_workbook
from kzreport.renderers._pptx_internals import cell_text_body, chart_space
from kzreport.renderers._proportions import share_columns

#: The space between a caption and its picture, table or chart.
CAPTION_GAP_PT = 6.0
#: A chart is drawn no wider than this many times its height (a flat chart reads badly).
CHART_MAX_ASPECT = 2.0
#: A table cell's inner margins, across and down, in multiples of the table's text size.
CELL_PAD = (0.4, 0.15)
#: Taken off a cell's measured width for the rounding of its margins and column widths.
_HAIR = 0.01
#: DrawingML's paragraph alignments by the names ``labels`` gives them.
_ALIGNMENTS = {"left": "l", "center": "ctr", "right": "r"}


@record
class Placed:
    """A visual measured into a box: the area it shows at (what arrangements compare) and how
    to draw it there."""

    area: float
    draw: Callable[[Any], None]


Visual = Figure | Table


def caption_text(deck: Deck, block: Visual) -> tuple[Run, ...]:
    """The caption a visual shows, as in the brief and the PDF (``labels``' caption style):
    ``Figure N.`` or ``Table N.`` and the caption, for a visual that has one."""
    if isinstance(block, Figure):
        if not block.caption:
            return ()
        label = figure_label(deck.layout, figure_numbers(deck.document)[block])
        return (Run(label, bold=True, italic=CAPTION_ITALIC),
                Run(" " + clean(block.caption), italic=CAPTION_ITALIC))
    if not block.caption:
        return ()
    label = table_label(deck.layout, table_numbers(deck.document)[block])
    return (Run(label + " ", bold=True, italic=CAPTION_ITALIC),
            *(replace(run, italic=run.italic or CAPTION_ITALIC) for run in runs(block.caption)))


def place(deck: Deck, block: Visual, box: Box) -> Placed | None:
    """``block`` fitted into ``box`` with its caption, or None when it cannot be shown there
    at the layout's smallest slide text size."""
    caption = caption_text(deck, block)
    size = deck.layout.slides.body_min
    par = Par(caption, deck.layout.colors.muted, deck.layout.fonts.body,
              align=_ALIGNMENTS[CAPTION_ALIGNMENT])
    caption_height = 0.0
    if any(run.text.strip() for run in caption):
        needed, _ = fit.measure([deck.measure(par)], size, box.frame().inner_width)
        caption_height = round(needed + 2 * fit.DEFAULT_INSET_Y + 0.5, 2)
    rest = box.height - caption_height - (CAPTION_GAP_PT if caption_height else 0.0)
    if rest <= 0:
        return None
    if isinstance(block, Figure):
        return _figure(deck, block, box, par, caption_height, rest)
    top = box.top + (caption_height + CAPTION_GAP_PT if caption_height else 0.0)
    area = Box(box.left, top, box.width, rest)
    caption_box = Box(box.left, box.top, box.width, caption_height)
    if block.chart is not None:
        return _chart(deck, block.chart, plain_text(block.caption), area, par, caption_box)
    return _table(deck, block, area, par, caption_box)


def _caption(deck: Deck, slide: Any, box: Box, par: Par) -> None:
    if box.height > 0:
        write(deck, slide, textbox(slide, box), box, [par], deck.layout.slides.body_min)


def _figure(deck: Deck, figure: Figure, box: Box, par: Par, caption_height: float,
            room: float) -> Placed:
    """The picture as large as ``box`` allows beside its caption, centred; its alt text is
    the picture's description."""
    from PIL import Image

    with Image.open(figure.path) as image:
        aspect = image.width / image.height
    width = min(box.width, room * aspect)
    height = width / aspect
    left = box.left + (box.width - width) / 2
    top = box.top + (room - height) / 2

    def draw(slide: Any) -> None:
        picture = slide.shapes.add_picture(str(figure.path), emu(left), emu(top), emu(width),
                                           emu(height))
        non_visual_properties(picture.element).set("descr", figure.alt)
        _caption(deck, slide, Box(box.left, top + height + CAPTION_GAP_PT, box.width,
                                  caption_height), par)

    return Placed(width * height, draw)


def _chart(deck: Deck, chart: Chart, caption: str, area: Box, par: Par,
           caption_box: Box) -> Placed:
    """A native chart (editable in PowerPoint) of the table's data centred in ``area``, no
    wider than ``CHART_MAX_ASPECT`` times its height, under its caption."""
    width = min(area.width, area.height * CHART_MAX_ASPECT)
    left = area.left + (area.width - width) / 2  # centred in its share, like a figure

    def draw(slide: Any) -> None:
        frame = slide.shapes.add_chart(chart_type(chart), emu(left), emu(area.top),
                                       emu(width), emu(area.height), chart_data(chart))
        style_chart(frame.chart, chart, deck.layout, deck.layout.slides.body_min)
        unsigned_axis_ids(chart_space(frame.chart))
        workbook = frame.chart_part.chart_workbook
        if workbook.xlsx_part is not None:
            workbook.update_from_xlsx_blob(restamped_workbook(
                workbook.xlsx_part.blob, build_timestamp(deck.document)))
        non_visual_properties(frame.element).set("descr", chart_description(chart, caption))
        _caption(deck, slide, Box(left, caption_box.top, width, caption_box.height), par)

    return Placed(width * area.height, draw)


# ---------------------------------------------------------------- tables


@record
class TableFit:
    """A table measured at one text size: its column widths and row heights, in points."""

    size: float
    columns: tuple[float, ...]
    rows: tuple[float, ...]


def cell_pars(deck: Deck, table: Table) -> list[list[Par]]:
    """Each cell of ``table`` (header row first) as the paragraph it is written as."""
    layout = deck.layout
    aligns = {"center": "ctr", "right": "r"}
    out = []
    for number, row in enumerate((table.header, *table.rows)):
        color = layout.colors.table_header_text if number == 0 else layout.colors.text
        out.append([Par(runs(cell, bold=number == 0), color, layout.fonts.body,
                        align=aligns.get(table.alignments[index] or "", "l"))
                    for index, cell in enumerate(row)])
    return out


def fit_table(deck: Deck, table: Table, width: float, height: float) -> TableFit | None:
    """The largest text size, from the layout's largest to its smallest slide body size, at
    which ``table`` fits ``width`` by ``height`` points: columns share the width by their
    content (no column narrower than its longest word), every cell wraps at its column's
    width and each row is as tall as its tallest cell. None when nothing fits."""
    s = deck.layout.slides
    cells = [[fit.Measured(deck.measure(par)) for par in row] for row in cell_pars(deck, table)]
    for size in fit.sizes(s.body_max, s.body_min, 0.5):
        pad_x, pad_y = (2 * pad * size for pad in CELL_PAD)
        columns = _columns(cells, size, width, pad_x, table.widths)
        if columns is None:
            continue
        # A cell's inner width as written: its margins rounded to EMU may take a hair more.
        rows = tuple(max(cell.count(size, columns[index] - pad_x - _HAIR)
                         * fit.line_pitch(cell.para, size)
                         for index, cell in enumerate(row)) + pad_y for row in cells)
        if sum(rows) <= height:
            return TableFit(size, columns, rows)
    return None


def _columns(cells: list[list[fit.Measured]], size: float, width: float, pad: float,
             hints: tuple[float, ...]) -> tuple[float, ...] | None:
    """Column widths filling ``width``, shared as the brief and the PDF share theirs
    (``_proportions.share_columns``, in the proportions of the paper's ``hints`` when it
    gives them); None when the longest words do not fit their columns."""
    count = len(cells[0])
    least = [pad + max(row[i].longest_word(size) for row in cells) for i in range(count)]
    natural = [max(pad + fit.text_width(row[i].para.pieces, size * row[i].para.scale)
                   for row in cells) for i in range(count)]
    natural = [max(n, m) for n, m in zip(natural, least, strict=True)]
    if sum(least) > width:
        return None  # a smaller size may fit; the deck breaks no word
    columns = share_columns(natural, least, width, hints)
    if hints and any(column < word for column, word in zip(columns, least, strict=True)):
        return None  # a column the paper made narrow: its longest word needs a smaller size
    return tuple(columns)


def _table(deck: Deck, table: Table, area: Box, par: Par, caption_box: Box) -> Placed | None:
    """A native PowerPoint table in ``area``, fitted by measurement, or None when it does not
    fit at the layout's smallest slide text size."""
    fitted = fit_table(deck, table, area.width, area.height)
    if fitted is None:
        return None

    def draw(slide: Any) -> None:
        draw_table(deck, slide, table, fitted, Box(area.left, area.top, area.width,
                                                   sum(fitted.rows)))
        _caption(deck, slide, caption_box, par)

    return Placed(area.width * sum(fitted.rows), draw)


def draw_table(deck: Deck, slide: Any, table: Table, fitted: TableFit, box: Box) -> None:
    """Write ``table`` at ``box`` as measured in ``fitted``: the header row in the layout's
    header colours, body rows striped, every cell's text at the fitted size."""
    colors = deck.layout.colors
    frame = slide.shapes.add_table(len(table.rows) + 1, len(table.header), emu(box.left),
                                   emu(box.top), emu(box.width), emu(box.height))
    grid = frame.table
    grid.first_row = True
    grid.horz_banding = False
    for index, width in enumerate(fitted.columns):
        grid.columns[index].width = emu(width)
    pad_x, pad_y = (pad * fitted.size for pad in CELL_PAD)
    pars = cell_pars(deck, table)
    for number, row in enumerate(grid.rows):
        row.height = emu(fitted.rows[number])
        fill = (colors.table_header_background if number == 0
                else colors.table_stripe if number % 2 == 0 else colors.slide_background)
        for index, cell in enumerate(row.cells):
            cell.margin_left = cell.margin_right = emu(pad_x)
            cell.margin_top = cell.margin_bottom = emu(pad_y)
            cell.fill.solid()
            cell.fill.fore_color.rgb = rgb(fill)
            write_paragraphs(deck, cell_text_body(cell), slide.part, [pars[number][index]],
                             fitted.size)
    if table.caption:  # the table's own cells are what a screen reader reads
        non_visual_properties(frame.element).set("descr", plain_text(table.caption))

