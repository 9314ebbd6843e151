"""The layout model: one TOML file (plus assets beside it) that styles every output format."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import field, fields, replace
from pathlib import Path

from kzreport.records import record

LAYOUT_FILE = "layout.toml"
#: Paper sizes by name, portrait (width, height) in points.
PAGE_SIZES_PT = {"A4": (595.2756, 841.8898), "LETTER": (612.0, 792.0), "LEGAL": (612.0, 1008.0),
                 "A5": (419.5276, 595.2756)}
ORIENTATIONS = ("portrait", "landscape")
POINTS_PER_UNIT = {"pt": 1.0, "mm": 72 / 25.4, "cm": 72 / 2.54, "in": 72.0}
#: The brief's styles a reference document may set (``[files] reference_styles`` names those it
#: does): not the title block's nor the running header's and footer's, which the layout always
#: sets, so that they stay legible whatever the reference document's styles are.
TEMPLATE_STYLES = ("Normal", "Heading 2", "Heading 3", "Quote", "Caption", "List Paragraph",
                   "Code Block", "footnote text", "footnote reference", "Hyperlink")
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
DATE_TOKENS = ("d", "dd", "Month", "Mon", "MON", "m", "mm", "yy", "yyyy")


#: The ``FontFamily`` field holding each style's file, by (bold, italic).
FACE_FIELDS = {(False, False): "regular", (True, False): "bold", (False, True): "italic",
               (True, True): "bold_italic"}


@record
class FontFamily:
    """A font family: the name Office shows, the four TTF files that embed and measure it, and
    the families that draw, in that order, the characters its own files lack."""

    name: str
    regular: Path
    bold: Path
    italic: Path
    bold_italic: Path
    fallback: tuple[FontFamily, ...] = ()

    def chain(self) -> tuple[FontFamily, ...]:
        """This family, then its fallback families."""
        return (self, *self.fallback)

    def face(self, bold: bool = False, italic: bool = False) -> Path:
        """The file of the face in that style."""
        path: Path = getattr(self, FACE_FIELDS[(bold, italic)])
        return path


@record
class Fonts:
    """The three families a document uses."""

    body: FontFamily
    heading: FontFamily
    mono: FontFamily


@record
class Page:
    """Printed page geometry, in points."""

    size: str
    width: float
    height: float
    margin_top: float
    margin_bottom: float
    margin_left: float
    margin_right: float
    #: ``portrait`` or ``landscape``: width and height are already swapped for landscape.
    orientation: str = "portrait"

    def landscape(self) -> Page:
        """This page turned to landscape (itself when it is already), each margin kept at its
        edge: the page a portrait paper's wide table is set on."""
        if self.orientation == "landscape":
            return self
        return replace(self, width=self.height, height=self.width, orientation="landscape")


@record
class Slides:
    """Slide geometry in points and the range of text sizes fitting may choose from."""

    width: float
    height: float
    body_max: float
    body_min: float
    title_max: float
    title_min: float
    #: Whether a key point's slide shows its footnotes in a small line at its foot (they are
    #: in its speaker notes either way).
    footnote_line: bool = True
    #: A key point's nested bullet list goes on its slide as sub-bullets (else to the notes).
    detail_bullets: bool = True
    #: A key point without a bold headline is titled by its first sentence when that fits.
    action_titles: bool = True
    #: An agenda slide listing the key points after the title slide (``toc: true`` in a
    #: paper shows one too).
    agenda: bool = False


@record
class Sizes:
    """Text sizes in points."""

    title: float
    subtitle: float
    byline: float
    heading2: float
    heading3: float
    body: float
    caption: float
    small: float
    code: float
    #: The smallest a wide table's text is set before a word may break in its cells.
    table_minimum: float


@record
class Colors:
    """Colours as upper-case ``RRGGBB`` hex strings."""

    text: str
    primary: str
    accent: str
    muted: str
    link: str
    rule: str
    summary_background: str
    table_header_background: str
    table_header_text: str
    table_stripe: str
    title_band: str
    title_band_text: str
    slide_background: str


@record
class Charts:
    """How tables marked as charts are drawn: their series colours, in order, and whether
    the brief and the PDF print the chart's data table under it."""

    palette: tuple[str, ...] = ()
    data_table: bool = True


@record
class Labels:
    """The words outputs print around the paper's text; ``{...}`` fields are filled in."""

    summary: str
    further_reading: str
    disclaimer: str
    page: str
    key_point: str
    figure: str
    running_header: str
    slide_footer: str
    #: A table caption's label; a reference to a table (``@tbl-x``) prints it up to ``{n}``.
    table: str = "Table {n}."
    #: What a reference to a section (``@sec-x``) prints.
    section: str = "Section {n}"
    #: The table of contents' heading (``toc: true``).
    contents: str = "Contents"
    #: The heading of the list of the front matter's ``acronyms``.
    acronyms: str = "Acronyms"
    #: The heading of the list of sources a paper cites.
    sources: str = "Sources"
    #: The name of the Key Points heading, which papers in this language are read with.
    key_points: str = "Key Points"
    #: The title of a slide that continues one too long for a single slide.
    continued: str = "{title} (cont.)"


@record
class Logo:
    """An image printed on the title block (and deck title slide) of every output."""

    path: Path
    width: float
    placement: str  # "left" or "right" of the title block


@record
class MarkingStyle:
    """Banner colours for one handling-marking level."""

    background: str
    text: str


@record
class Language:
    """The words and date style a layout uses for papers in one language."""

    labels: Labels
    month_names: tuple[str, ...]
    date_format: str
    #: Fallback families to draw with instead, by the name of the family each replaces
    #: (Urdu's Nastaliq in place of the Naskh face).
    fonts: Mapping[str, FontFamily] = field(default_factory=dict)
    #: The multiple of the layout's line spacing this language's script needs.
    leading: float = 1.0
    #: Other names of the Key Points heading in this language (besides ``labels.key_points``).
    key_points_headings: tuple[str, ...] = ()


@record
class Layout:
    """A resolved layout: every style a renderer may use."""

    name: str
    folder: Path
    files: tuple[Path, ...]
    description: str
    date_format: str
    #: The twelve month names ``{Month}``, ``{Mon}`` and ``{MON}`` are taken from.
    month_names: tuple[str, ...]
    page: Page
    slides: Slides
    fonts: Fonts
    sizes: Sizes
    colors: Colors
    labels: Labels
    markings: Mapping[str, MarkingStyle]
    #: A Word document whose styles, theme and page setup the brief starts from.
    reference_docx: Path | None = None
    #: The styles whose own definition in ``reference_docx`` wins over the layout's.
    reference_styles: tuple[str, ...] = ()
    #: A PowerPoint file whose masters, layouts and theme the deck starts from.
    template_pptx: Path | None = None
    logo: Logo | None = None
    #: Labels, month names, date format, faces and line spacing by primary language subtag
    #: (``ar``, ``fa``, ``ur``).
    languages: Mapping[str, Language] = field(default_factory=dict)
    charts: Charts = Charts()
    #: The multiple of the paged formats' line spacing (``for_language`` sets it).
    leading: float = 1.0
    #: Other names of the Key Points heading (besides ``labels.key_points``); for a paper's
    #: language (see ``for_language``) its own names come first, then the layout's.
    key_points_headings: tuple[str, ...] = ()

    def for_language(self, tag: str) -> Layout:
        """This layout with the labels, month names, date format, fallback faces and line
        spacing of language ``tag``'s primary subtag, when the layout has them."""
        words = self.languages.get(tag.split("-")[0].lower())
        if words is None:
            return self
        fonts = self.fonts
        if words.fonts:
            fonts = Fonts(*(replace(family, fallback=tuple(words.fonts.get(f.name, f)
                                                           for f in family.fallback))
                            for family in (fonts.body, fonts.heading, fonts.mono)))
        return replace(self, labels=words.labels, month_names=words.month_names or self.month_names,
                       date_format=words.date_format, fonts=fonts, leading=words.leading,
                       key_points_headings=(*words.key_points_headings, self.labels.key_points,
                                            *self.key_points_headings))

    def is_key_points(self, heading: str) -> bool:
        """Whether ``heading`` names the Key Points section: in this layout's language or in
        any other it has words for (so a paper whose ``language`` is unset or wrong still
        reads as it did), case, spacing and a closing colon aside."""
        return heading_key(heading) in self.key_points_names

    @property
    def key_points_names(self) -> frozenset[str]:
        """Every name of the Key Points heading this layout knows, as ``heading_key`` has it."""
        names = [self.labels.key_points, *self.key_points_headings]
        for words in self.languages.values():
            names += [words.labels.key_points, *words.key_points_headings]
        return frozenset(heading_key(name) for name in names)

    @property
    def chart_colors(self) -> tuple[str, ...]:
        """The colours of a chart's series (or a pie's slices), in order, repeating when a
        chart has more: the layout's palette, else its primary, accent, link and muted
        colours."""
        colors = self.colors
        return self.charts.palette or (colors.primary, colors.accent, colors.link, colors.muted)

    @property
    def assets(self) -> tuple[Path, ...]:
        """Asset files the layout uses besides its TOML files and fonts."""
        found = (self.reference_docx, self.template_pptx, self.logo.path if self.logo else None)
        return tuple(p for p in found if p is not None)

    def format_date(self, date: dt.date) -> str:
        """``date`` written in this layout's date format, independent of the locale."""
        return format_date(self.date_format, date, self.month_names)

    def marking_style(self, marking: str) -> MarkingStyle | None:
        """The banner style for ``marking``: the table entry matching most of its leading
        ``//`` components (``SECRET//NOFORN`` is SECRET, ``TOP SECRET//SCI`` has its own)."""
        parts = [p.strip().upper() for p in marking.split("//")]
        for n in range(len(parts), 0, -1):
            style = self.markings.get("//".join(parts[:n]))
            if style is not None:
                return style
        return None


def heading_key(text: str) -> str:
    """``text`` as headings are compared: case folded, spacing collapsed, no closing colon."""
    return " ".join(text.casefold().split()).rstrip(":").rstrip()


def describe_layout(layout: Layout) -> list[str]:
    """Every resolved setting of ``layout`` as ``key = value`` lines, for ``layouts show``."""
    lines = [f"name = {layout.name}", f"folder = {layout.folder}",
             "files = " + ", ".join(str(f) for f in layout.files)]

    def walk(prefix: str, value: object) -> None:
        if hasattr(value, "__dataclass_fields__"):
            for item in fields(value):  # type: ignore[arg-type]
                walk(f"{prefix}.{item.name}" if prefix else item.name,
                     getattr(value, item.name))
        elif isinstance(value, Mapping):
            for key, inner in value.items():
                walk(f'{prefix}."{key}"', inner)
        elif isinstance(value, float):
            lines.append(f"{prefix} = {value:g}")
        elif isinstance(value, tuple) and value and isinstance(value[0], FontFamily):
            lines.append(f"{prefix} = {', '.join(family.name for family in value)}")
        elif isinstance(value, tuple):
            lines.append(f"{prefix} = {', '.join(map(str, value))}")
        elif value is not None and value != "":
            lines.append(f"{prefix} = {value}")

    for item in fields(layout):
        if item.name not in ("name", "folder", "files"):
            walk(item.name, getattr(layout, item.name))
    return lines


def format_date(pattern: str, date: dt.date, months: tuple[str, ...] = MONTHS) -> str:
    """Fill ``pattern``'s ``{token}`` fields from ``date`` (see ``DATE_TOKENS``), with month
    names from ``months`` (English by default)."""
    month = months[date.month - 1]
    values = {
        "d": str(date.day),
        "dd": f"{date.day:02d}",
        "Month": month,
        "Mon": month[:3],
        "MON": month[:3].upper(),
        "m": str(date.month),
        "mm": f"{date.month:02d}",
        "yy": f"{date.year % 100:02d}",
        "yyyy": f"{date.year:04d}",
    }
    return re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), pattern)
