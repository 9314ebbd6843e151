"""What a reader finds in a built output, in terms common to every format, for ``verify``."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    """One PDF page: all its text, and the text below the top margin (no running header)."""

    text: str
    body: str


@dataclass(frozen=True)
class Slide:
    """One slide: the text on its face, its speaker notes and its hyperlink targets."""

    face: str
    notes: str
    links: frozenset[str]


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
    #: The footnotes' texts in the order of their references, for formats that keep notes
    #: apart from the text (None: the notes are in the pages' or the slides' text).
    notes: tuple[str, ...] | None = None
