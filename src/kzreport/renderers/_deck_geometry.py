"""Where things go on a slide: the deck's named proportions, boxes and the slide's geometry."""

from __future__ import annotations

from kzreport.records import record
from kzreport.renderers import _fit as fit

#: Fitting below a layout's minimum stops here; text that needs less is refused, not shrunk.
FLOOR_PT = 6.0
#: Speaker notes are read from the presenter view: one comfortable fixed size.
NOTES_PT = 12.0
#: Footer and banner text: small, fitted down to this when a long organization name needs it.
SMALL_MAX_PT, SMALL_MIN_PT = 12.0, 8.0
#: The height of the line of footnotes at the foot of a key point's slide.
SOURCE_LINE_PT = 20.0
#: A title needing more than two lines may take this share of the slide's content height.
TITLE_CAP = 0.45
#: Titles set a little tighter than running text, as two-line headings read better so.
TITLE_LINE_SPACING = 0.92

# ---------------------------------------------------------------- deck proportions
# The layout gives the slide size, the body and title size ranges and the colours; these turn
# them into the deck's geometry. Lengths are shares of the slide's width or height unless
# named _PT; text sizes of secondary text are (largest, smallest) ranges fitting may use;
# spaces between paragraphs are in multiples of the paragraph's own size.

#: Side margins, as a share of the slide width; the content starts this share of its height
#: below the top (or the banner).
MARGIN = 0.05
CONTENT_TOP = 0.05
#: The footer line: its height, its distance from the bottom edge (or banner) and the clear
#: space between it and the content above.
FOOTER_HEIGHT_PT = 20.0
FOOTER_BOTTOM = 0.025
FOOTER_CLEARANCE = 0.02
#: A marking banner: this share of the slide height, never less than BANNER_MIN_PT.
BANNER = 0.037
BANNER_MIN_PT = 18.0
#: The title slide's band (a share of the height between the banners), its inner padding and
#: the accent stripe under it (also the summary panel's edge).
TITLE_BAND = 0.56
TITLE_BAND_PADDING = 0.06
ACCENT_STRIPE_PT = 5.0
#: The title slide's title may be this much larger than the layout's largest title size.
TITLE_SLIDE_SCALE = 1.25
#: Size ranges of the subtitle, the byline block and the closing slide's disclaimer; the
#: largest size of further-reading links and of a key point's number label above its title.
SUBTITLE_PT = (24.0, 16.0)
BYLINE_PT = (22.0, 12.0)
DISCLAIMER_PT = (16.0, 11.0)
LINKS_MAX_PT = 24.0
LABEL_MAX_PT = 14.0
#: Secondary lines (affiliations, organization, date) and link addresses, relative to the
#: size their block is fitted at.
SECONDARY_SCALE = 0.8
ADDRESS_SCALE = 0.7
#: Space above a paragraph, in multiples of its size: a new group (an author, a link), a new
#: paragraph of the same text, a line that belongs to the one above.
GROUP_SPACE = 1.0
PARAGRAPH_SPACE = 0.6
ATTACHED_SPACE = 0.1
#: Gaps between the byline block and the band, and the subtitle and the title.
BYLINE_GAP = 0.045
SUBTITLE_GAP_PT = 6.0
#: The summary panel's inner padding, across and down.
PANEL_INSET_PT = (22.0, 16.0)
#: The accent rule under a content slide's title, and the space below it.
TITLE_RULE_PT = (64.0, 3.0)
TITLE_RULE_GAP_PT = 4.0
BELOW_TITLE = 0.03
#: The hairline over the closing slide's disclaimer, and the space around it.
HAIRLINE_PT = 0.75
HAIRLINE_GAP_PT = 8.0
#: How far a body that does not fit at the smallest size may grow into the margins and gaps,
#: and what it keeps clear above the footer when it does.
OVERFLOW_PT = 6.0
FOOTER_CLEARANCE_PT = 2.0
#: The space between the logo and the text beside it.
LOGO_GAP_PT = 24.0
#: Indent of a notes bullet per nesting level, in inches (notes are read, not designed).
NOTES_INDENT_IN = 0.3


@record
class Box:
    """A rectangle on the slide, in points."""

    left: float
    top: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.left + self.width

    @property
    def bottom(self) -> float:
        return self.top + self.height

    def frame(self, inset_x: float = fit.DEFAULT_INSET_X,
              inset_y: float = fit.DEFAULT_INSET_Y) -> fit.Frame:
        return fit.Frame(self.width, self.height, inset_x, inset_x, inset_y, inset_y)


@record
class Geometry:
    """Where things go on a slide of a given size; every length scales with the slide."""

    width: float
    height: float
    banner: float  # height of each marking banner, 0 without a marking

    @property
    def margin(self) -> float:
        return round(self.width * MARGIN, 2)

    @property
    def content_top(self) -> float:
        return self.banner + round(self.height * CONTENT_TOP, 2)

    @property
    def content_width(self) -> float:
        return self.width - 2 * self.margin

    @property
    def footer(self) -> Box:
        height = FOOTER_HEIGHT_PT
        return Box(self.margin,
                   self.height - self.banner - round(self.height * FOOTER_BOTTOM, 2) - height,
                   self.content_width, height)

    @property
    def content_bottom(self) -> float:
        return self.footer.top - round(self.height * FOOTER_CLEARANCE, 2)
