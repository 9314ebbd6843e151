"""Spacing ratios, table columns and the metrics the Word brief and the PDF report share."""

from __future__ import annotations

from collections.abc import Sequence

from kzreport.layout import Layout
from kzreport.model import Inlines, Table, plain_text
from kzreport.records import record
from kzreport.renderers import _fit as fit

# The layout gives sizes and colours; these ratios turn them into spacing, so one layout change
# (e.g. a larger body size) rescales the whole page consistently, alike in the Word brief and
# the PDF report. They live here, in one place.

#: Line height as a multiple of the font size: open enough for continuous reading.
LEADING = 1.32
#: Display text (title, subtitle) is set tighter.
DISPLAY_LEADING = 1.12
#: Code lines are set tight so a listing reads as one block.
CODE_LEADING = 1.25
#: Space after the title, in title sizes; after a byline line, in body sizes.
TITLE_AFTER = 0.25
BYLINE_AFTER = 0.15
#: Space after a body paragraph, in body sizes.
PARAGRAPH_GAP = 0.6
#: Space after a key point, in body sizes: more than a list item, as each is a takeaway.
KEY_POINT_GAP = 0.5
#: Space after the title block, the summary box and tables, in body sizes.
SECTION_GAP = 1.3
#: Space before a level-2 / level-3 heading, in body sizes.
H2_BEFORE = 1.5
H3_BEFORE = 1.1
#: Space after a heading, in body sizes: small, so the heading binds to its text.
HEADING_AFTER = 0.4
#: Indent of one list level, in body sizes.
LIST_INDENT = 1.5
#: Gap between a list marker and its text, in body sizes.
MARKER_GAP = 0.45
#: Space after a list item, in body sizes.
ITEM_GAP = 0.3
#: Inner padding of boxes (title band, summary), in body sizes.
BOX_PADDING = 0.75
#: Padding of table cells and of code blocks, across and down, in body sizes. Table cells
#: must keep some vertical padding: reportlab 5.1 loops forever splitting a table with
#: splitInRow and zero-height padding.
CELL_PADDING_X = 0.6
CELL_PADDING_Y = 0.4
CODE_PADDING_X = 0.7
CODE_PADDING_Y = 0.5
#: Thickness of hairlines, of the rule under the title block, of the summary's accent bar and
#: of a quote's bar, in body sizes.
HAIRLINE = 0.06
STRONG_RULE = 0.14
ACCENT_BAR = 0.28
QUOTE_BAR = 0.14
#: Left indent of a block quote's text from its bar, in body sizes.
QUOTE_INDENT = 1.1
#: The footer sits this share of the bottom margin above the page edge (or the banner), the
#: running header this share of the top margin below it.
FURNITURE_DISTANCE = 0.5
#: Space between the footer rule, the disclaimer and the page number, and around a marking
#: banner's text, in small sizes.
FOOTER_GAP = 0.5
#: A figure is at most this share of the frame height, leaving room for its caption (as in
#: the Word brief).
FIGURE_MAX_HEIGHT = 0.6
#: A chart in the brief and the PDF is this share of its width tall, so they look alike.
CHART_ASPECT = 0.5
#: A PDF footnote's text starts this many of its own sizes in from its number; the short
#: rule above a page's notes is this share of the text column, and the notes may take at
#: most this share of a page's text area before a long note continues on the next page.
NOTE_INDENT = 1.6
NOTE_RULE = 0.3
NOTES_MAX_SHARE = 0.5

# Table columns: fitted here once for the brief and the PDF, so the formats cannot drift apart.

#: Slack added to a column's longest word, in points: Word and LibreOffice round widths and may
#: measure a hair wider than the font's advances.
WORD_SLACK = 1.0


@record
class TableFit:
    """How a table is set: its columns' widths in points (cell padding included, filling the
    width it was given) and the size of its text."""

    widths: tuple[float, ...]
    size: float


def fit_table(table: Table, layout: Layout, available: float, padding: float) -> TableFit:
    """Columns for ``table`` in ``available`` points, alike in every format: the widths its
    caption asks for (``widths="1 3 2"``), else content-fitted (``share_columns``). When the
    longest words do not fit their columns, the text is set smaller, down to the layout's
    ``table_minimum`` size, and only then may a word longer than its column be broken.
    ``padding`` is a cell's padding left plus right."""
    body = layout.sizes.body
    natural, longest = _measure(table, layout, body, padding)
    widths = share_columns(natural, longest, available, table.widths)
    # How much smaller the text must be (its widths scale with the size; the padding does not)
    # for each longest word to fit its given column, or for all of them to fit side by side.
    ratio = 1.0
    if table.widths:
        ratio = min((w - padding) / (m - padding) for w, m in zip(widths, longest, strict=True))
    elif sum(longest) > available:
        ratio = (available - padding * len(longest)) / (sum(longest) - padding * len(longest))
    if ratio >= 1:
        return TableFit(tuple(widths), body)
    size = max(layout.sizes.table_minimum, min(body, body * ratio))
    size = int(size * 4) / 4  # quarter points, which Word's half-points round well
    natural, longest = _measure(table, layout, size, padding)
    return TableFit(tuple(share_columns(natural, longest, available, table.widths)), size)


def _measure(table: Table, layout: Layout, size: float,
             padding: float) -> tuple[list[float], list[float]]:
    """Each column's natural width (its longest line) and its longest word, padding included,
    the header set bold."""
    columns = len(table.header)
    natural, longest = [padding] * columns, [padding] * columns
    rows: Sequence[Sequence[Inlines]] = (table.header, *table.rows)
    for r, row in enumerate(rows):
        face = fit.load_metrics(layout.fonts.body.face(bold=r == 0))
        for c, cell in enumerate(row[:columns]):
            text = plain_text(cell)
            natural[c] = max(natural[c], padding + max(
                face.width(line, size) for line in text.split("\n")))
            longest[c] = max(longest[c], padding + WORD_SLACK + max(
                (face.width(word, size) for word in text.split()), default=0.0))
    return natural, longest


def share_columns(natural: Sequence[float], longest: Sequence[float], available: float,
                  hints: Sequence[float] = ()) -> list[float]:
    """Column widths filling ``available`` (the one way every format shares a table's width):
    in the proportions of ``hints`` when the paper gives them; else from each column's
    natural width and its longest word: by natural width when all fit; else each keeps its
    longest word (when even those do not fit side by side, each as much of it as a fair
    share allows: only words longer than that are broken) and the room left goes by how
    much more each would take."""
    columns = len(natural)
    if hints:
        return [hint * available / sum(hints) for hint in hints]
    if sum(natural) <= available:
        return [width * available / sum(natural) for width in natural]
    minimum = list(longest)
    if sum(longest) > available:
        cap = _fair_cap(longest, available)
        minimum = [min(width, cap) for width in longest]
    extra = [max(n - m, 0.0) for n, m in zip(natural, minimum, strict=True)]
    spare = available - sum(minimum)
    if sum(extra) == 0:
        return [m + spare / columns for m in minimum]
    return [m + spare * e / sum(extra) for m, e in zip(minimum, extra, strict=True)]


def _fair_cap(longest: Sequence[float], available: float) -> float:
    """The largest width ``cap`` such that columns as wide as their longest word, none wider
    than ``cap``, fill ``available``: the narrow columns keep their words whole, the others
    share what is left equally."""
    rest, left = available, len(longest)
    for width in sorted(longest):
        share = rest / left
        if width > share:
            return share
        rest, left = rest - width, left - 1
    return max(longest)


@record
class Metrics:
    """Spacing in points, derived from the layout's body size by the ratios above."""

    paragraph_gap: float
    section_gap: float
    list_indent: float
    marker_gap: float
    item_gap: float
    box_padding: float
    cell_padding_x: float
    cell_padding_y: float
    code_padding_x: float
    code_padding_y: float
    hairline: float
    strong_rule: float
    accent_bar: float
    quote_bar: float
    quote_indent: float

    @classmethod
    def of(cls, layout: Layout) -> Metrics:
        unit = layout.sizes.body
        return cls(PARAGRAPH_GAP * unit, SECTION_GAP * unit, LIST_INDENT * unit,
                   MARKER_GAP * unit, ITEM_GAP * unit, BOX_PADDING * unit,
                   CELL_PADDING_X * unit, CELL_PADDING_Y * unit, CODE_PADDING_X * unit,
                   CODE_PADDING_Y * unit, HAIRLINE * unit, STRONG_RULE * unit, ACCENT_BAR * unit,
                   QUOTE_BAR * unit, QUOTE_INDENT * unit)
