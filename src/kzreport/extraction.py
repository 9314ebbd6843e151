"""What a reader finds in a built output, in terms common to every format, for ``verify``."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    """One PDF page: all its text, and the text below the top margin (no running header)."""

    text: str
    body: str


@dataclass(frozen=True)
class ChartData:
    """A chart read back from its part: its kind, categories and named series of values."""

    kind: str
    categories: tuple[str, ...]
    series: tuple[tuple[str, tuple[float, ...]], ...]


@dataclass(frozen=True)
class Visuals:
    """What a slide shows besides text: pictures (by description), tables (their cells' text
    by row) and charts, and every shape's box (left, top, width, height, in points)."""

    pictures: tuple[str, ...] = ()
    tables: tuple[tuple[tuple[str, ...], ...], ...] = ()
    charts: tuple[ChartData, ...] = ()
    boxes: tuple[tuple[str, float, float, float, float], ...] = ()


@dataclass(frozen=True)
class Slide:
    """One slide: the text on its face, its speaker notes, its hyperlink targets and its
    visuals."""

    face: str
    notes: str
    links: frozenset[str]
    visuals: Visuals = Visuals()


@dataclass(frozen=True)
class TextRun:
    """A run of slide text with the character properties that decide its width."""

    text: str
    size: float | None
    bold: bool
    italic: bool
    typeface: str | None


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class TextFrame:
    """A text frame on a slide: its shape's size and insets, in points, and its paragraphs."""

    slide: int
    name: str
    width: float
    height: float
    insets: tuple[float, float, float, float]  # left, right, top, bottom
    paragraphs: tuple[TextPara, ...]


@dataclass
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
    #: A deck's slide size (width, height) in points.
    slide_size: tuple[float, float] | None = None
