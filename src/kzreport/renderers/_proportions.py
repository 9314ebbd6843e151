"""Spacing ratios the Word brief and the PDF report share, and the metrics they yield."""

from __future__ import annotations

from dataclasses import dataclass

from kzreport.layout import Layout

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
#: A PDF footnote's text starts this many of its own sizes in from its number; the short
#: rule above a page's notes is this share of the text column, and the notes may take at
#: most this share of a page's text area before a long note continues on the next page.
NOTE_INDENT = 1.6
NOTE_RULE = 0.3
NOTES_MAX_SHARE = 0.5


@dataclass(frozen=True)
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
