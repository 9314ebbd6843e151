"""What a reader finds in a built output, in terms common to every format, for ``verify``."""

from __future__ import annotations

from kzreport.records import record


def field_mark(instruction: str) -> str:
    """How a reader writes a field (Word's ``PAGE``, ``NUMPAGES``) in the text it extracts: its
    name between NUL characters, which no XML text can hold, so no typed text passes for it."""
    name = instruction.split()[0].upper() if instruction.split() else ""
    return f"\0{name}\0"


@record
class Page:
    """One PDF page: all its text, and the text of each of its regions. The page furniture is
    what the PDF marks as pagination artifacts: its running header and footer by their
    subtypes, the marking banners at the top and at the bottom of the page; the body is the
    rest."""

    text: str
    body: str
    header: str = ""
    footer: str = ""
    top_banner: str = ""
    bottom_banner: str = ""


@record
class Shape:
    """A shape with text on a slide: its name, its placeholder type ("" when it is none), its
    box in points (None when its layout places it) and its text."""

    name: str
    placeholder: str
    box: tuple[float, float, float, float] | None  # left, top, width, height
    text: str


@record
class ChartData:
    """A chart read back from its part: its kind, categories and named series of values."""

    kind: str
    categories: tuple[str, ...]
    series: tuple[tuple[str, tuple[float, ...]], ...]


@record
class Visuals:
    """What a slide shows besides text: pictures (by description), tables (their cells' text
    by row) and charts, and every shape's box (left, top, width, height, in points)."""

    pictures: tuple[str, ...] = ()
    tables: tuple[tuple[tuple[str, ...], ...], ...] = ()
    charts: tuple[ChartData, ...] = ()
    boxes: tuple[tuple[str, float, float, float, float], ...] = ()


@record
class Slide:
    """One slide: the text on its face, its speaker notes, its hyperlink targets, the shapes
    holding its text, in the slide's order, and its visuals."""

    face: str
    notes: str
    links: frozenset[str]
    shapes: tuple[Shape, ...] = ()
    visuals: Visuals = Visuals()


@record
class PagePart:
    """A header or footer that pages of a Word file show: of which section, on which pages
    (``first``, ``default`` or ``even``, as Word names them), the part it is read from (None
    when those pages show none) and its paragraphs."""

    kind: str  # header or footer
    section: int
    pages: str
    part: str | None
    paragraphs: tuple[str, ...]


@record
class TextRun:
    """A run of slide text with the character properties that decide its width."""

    text: str
    size: float | None
    bold: bool
    italic: bool
    typeface: str | None


@record
class TextPara:
    """A slide paragraph with the spacing written for it (None: PowerPoint's default)."""

    runs: tuple[TextRun, ...]
    end_size: float | None
    exact_pitch: float | None
    pitch_percent: float | None
    space_before: float | None
    space_before_percent: float | None
    #: The left margin (``marL``) the paragraph's lines start at, in points.
    indent: float = 0.0


@record
class TextFrame:
    """A text frame on a slide: its shape's size and insets, in points, and its paragraphs."""

    slide: int
    name: str
    width: float
    height: float
    insets: tuple[float, float, float, float]  # left, right, top, bottom
    paragraphs: tuple[TextPara, ...]


@record(frozen=False)
class Extraction:
    """What one output holds, read back from the file, in terms common to every format."""

    #: All text, in reading order (title, byline and running heads included).
    text: str
    title: str | None
    author: str | None
    links: frozenset[str]
    #: The body in reading order, for formats that carry the whole paper (None: they don't).
    flow: str | None = None
    #: Per page, for paged formats.
    pages: tuple[Page, ...] = ()
    #: Per slide, for decks (None: not a deck).
    slides: tuple[Slide, ...] | None = None
    frames: tuple[TextFrame, ...] = ()
    #: A deck's slide size in points (width, height).
    slide_size: tuple[float, float] | None = None
    #: The headers and footers each page of a Word file shows (None: not a Word file).
    page_parts: tuple[PagePart, ...] | None = None
    #: The footnotes' texts in the order of their references, for formats that keep notes
    #: apart from the text (None: the notes are in the pages' or the slides' text).
    notes: tuple[str, ...] | None = None
    #: For each footnote a tagged PDF holds, in reading order: the page of its reference and
    #: the page its text starts on (None where the structure tree does not tell).
    note_pages: tuple[tuple[int | None, int | None], ...] = ()
    #: The text on landscape pages of a paged output whose first pages are portrait (a
    #: portrait paper's wide tables); None for a deck.
    landscape: str | None = None
    #: Each paragraph's text and whether the output marks it right-to-left (Word's
    #: ``w:bidi``, PowerPoint's ``rtl="1"``); None where the format has no such mark (the
    #: PDF, whose right-to-left text is checked by reading it in order).
    directions: tuple[tuple[str, bool], ...] | None = None
    #: Right-to-left text in runs the output does not mark right-to-left (Word's ``w:rtl``).
    unmarked_runs: tuple[str, ...] = ()
    #: The charts a flowing document shows, in reading order (None: the reader reads none).
    charts: tuple[ChartData, ...] | None = None
    #: The instructions of the caption-number and cross-reference fields of a Word body, in
    #: order (None: not a Word file).
    fields: tuple[str, ...] | None = None
