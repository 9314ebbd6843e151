"""What the format renderers genuinely share: safe text, bylines, labels and reproducible zips."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import os
import re
import struct
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from kzreport import __version__
from kzreport.errors import Problem, RenderError
from kzreport.layout import Layout
from kzreport.model import Document, Figure, KeyPoint, plain_text, walk

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
#: List markers by nesting depth (deeper lists cycle through them), alike in every format.
BULLETS = ("•", "◦", "▪")
#: English Metric Units per point: the unit of every length in an Office package.
EMU_PER_PT = 12700
#: 1980-01-01, the earliest time a zip entry can carry.
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
#: 2107-12-31 23:59:58, the latest time a zip entry can carry (its year is 7 bits from 1980).
_ZIP_END = (2107, 12, 31, 23, 59, 58)


_Template = TypeVar("_Template")
_Copied = TypeVar("_Copied")
_Key = TypeVar("_Key")
_Value = TypeVar("_Value")


class TemplateCache(Generic[_Template]):
    """A renderer's prepared starting point (a styled blank document, a themed deck), built
    once per process for each key: every paper of a batch in the same layout starts from the
    same one. Values are shared between papers, so they must never change: a ``Prototype``
    (each paper works on its own copy) or plain immutable data."""

    def __init__(self, size: int = 4) -> None:
        self._size = size
        #: (key, prepared value), the most recently used first; keys are compared with ``==``
        #: because a layout (which holds dicts) cannot be hashed.
        self._entries: list[tuple[object, _Template]] = []

    def get(self, key: object, build: Callable[[], _Template]) -> _Template:
        """The value for ``key``, built by ``build`` the first time."""
        found = next((index for index, (known, _) in enumerate(self._entries) if known == key),
                     None)
        if found is None:
            self._entries.insert(0, (key, build()))
        else:
            self._entries.insert(0, self._entries.pop(found))
        del self._entries[self._size:]
        return self._entries[0][1]


class Prototype(Generic[_Copied]):
    """A library's freshly opened package that no paper uses itself: each gets a deep copy.

    Copying the object graph is two to three times cheaper than parsing the package's parts
    again, and as safe: the original is never handed out, so nothing one paper changes can
    reach the next. It must be copied untouched, as opened: the libraries cache objects that
    point into an element tree, and a deep copy of such a cache would point into a copy of
    its own instead of the new tree.
    """

    def __init__(self, opened: _Copied) -> None:
        self._opened = opened

    def copy(self) -> _Copied:
        """A new, independent copy of the package as it was opened."""
        return copy.deepcopy(self._opened)


def file_digest(path: Path | None) -> str | None:
    """The sha256 of ``path``'s content, so that a cache keyed on it notices an edit (a time
    stamp might not: two saves within the file system's clock tick look alike)."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest() if path is not None else None
    except OSError:  # the renderer reports an unreadable template when it opens it
        return None


def xml_safe(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot carry (the parser refuses them already;
    this keeps a renderer from crashing on a string that reached it some other way)."""
    return _XML_ILLEGAL.sub("", text)


def xml_escape(text: str) -> str:
    """``text`` as XML character data: ``&``, ``<`` and ``>`` escaped (what
    ``xml.sax.saxutils.escape`` does; that module imports ``urllib.request`` and with it
    HTTP and e-mail, a tenth of the PDF's start-up)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def xml_attribute(text: str) -> str:
    """``text`` as a double-quoted XML attribute value, quotes included: escaped, with quotes,
    tabs and line breaks as character references so that no parser normalizes them away."""
    escaped = xml_escape(text).replace('"', "&quot;").replace("\t", "&#9;")
    return '"' + escaped.replace("\n", "&#10;").replace("\r", "&#13;") + '"'


def author_names(document: Document) -> str:
    """All author names, separated by semicolons, for document properties."""
    return "; ".join(a.name for a in document.meta.authors)


def build_timestamp(document: Document) -> dt.datetime:
    """The time stamped into outputs: ``SOURCE_DATE_EPOCH`` when set, else the paper's date,
    so that builds are reproducible by default (naive UTC, as the Office libraries want)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).replace(tzinfo=None)
    return dt.datetime.combine(document.meta.date, dt.time(12, 0))


def page_label(layout: Layout, page: int | str, pages: int | str) -> str:
    """The page-number label, e.g. ``Page 2 of 5``."""
    return layout.labels.page.format(page=page, pages=pages)


def key_point_label(layout: Layout, n: int, total: int) -> str:
    """The fallback title of a key point without a headline, e.g. ``Key Point 2 of 4``."""
    return layout.labels.key_point.format(n=n, total=total)


class PackageParts:
    """Collects the parts an Office library's package writer hands to its zip writer (it calls
    ``write(pack_uri, blob)``), so kzreport can zip them once, its own way."""

    def __init__(self) -> None:
        self.entries: dict[str, bytes] = {}

    def write(self, pack_uri: Any, blob: bytes) -> None:
        self.entries[str(pack_uri.membername)] = blob

    def write_parts(self, parts: Iterable[Any]) -> None:
        """Write each part and, when it has any, its relationships, as the libraries' package
        writers do (``_write_parts``), but with each distinct set of relationships serialized
        once per process: a template's layouts, masters and theme relate alike in every
        deck, and building their XML was a tenth of writing one."""
        for part in parts:
            self.write(part.partname, part.blob)
            relationships = part.rels
            if len(relationships):
                self.write(part.partname.rels_uri, _relationships_xml(relationships))


#: Serialized relationship sets by their content (see ``PackageParts.write_parts``), the most
#: recently used last; bounded, since a batch's hyperlinks make sets of their own.
_RELATIONSHIPS_XML: OrderedDict[tuple[object, ...], bytes] = OrderedDict()
_RELATIONSHIPS_XML_MOST = 512


def _relationships_xml(relationships: Any) -> bytes:
    """A part's ``.rels`` item, as its library serializes it, from a cache keyed by the
    relationships' ids, types, targets and modes (and the library: their XML may differ)."""
    key = (type(relationships), *((r.rId, r.reltype, r.target_ref, r.is_external)
                                  for r in relationships.values()))
    xml: bytes = _remembered(_RELATIONSHIPS_XML, key, lambda: relationships.xml,
                             _RELATIONSHIPS_XML_MOST)
    return xml


def _remembered(memo: OrderedDict[_Key, _Value], key: _Key, make: Callable[[], _Value],
                most: int, keep: bool = True) -> _Value:
    """``memo``'s value for ``key``, made by ``make`` the first time and then kept (when
    ``keep``), the least recently used dropped beyond ``most`` values."""
    known = memo.get(key)
    if known is not None:
        memo.move_to_end(key)
        return known
    made = make()
    if keep:
        memo[key] = made
        if len(memo) > most:
            memo.popitem(last=False)
    return made


def write_package(parts: PackageParts, path: Path, when: dt.datetime) -> None:
    """Zip an Office package's parts to ``path`` with fixed metadata.

    The libraries stamp each zip entry with the current time and compress as they go; here
    the entries are written once, in a fixed order with fixed times and modes, so the output
    depends only on its content. ``[Content_Types].xml`` stays first, as Office expects. The
    bytes are those ``zipfile`` writes for the same entries (a test holds them equal).
    """
    year, month, day, hour, minute, second = min(max(when.timetuple()[:6], _ZIP_EPOCH),
                                                  _ZIP_END)
    dos_time = hour << 11 | minute << 5 | second // 2
    dos_date = (year - 1980) << 9 | month << 5 | day
    names = sorted(parts.entries, key=lambda name: (name != "[Content_Types].xml", name))
    chunks: list[bytes] = []
    directory: list[bytes] = []
    offset = 0
    for name in names:
        blob = parts.entries[name]
        crc, deflated = _deflated(blob)
        encoded, flags = ((name.encode("ascii"), 0) if name.isascii()
                          else (name.encode("utf-8"), _UTF8_NAME))
        fields = (_ZIP_VERSION, flags, zlib.DEFLATED, dos_time, dos_date, crc, len(deflated),
                  len(blob), len(encoded))
        chunks += [struct.pack("<4s2H3H3L2H", b"PK\x03\x04", *fields, 0), encoded, deflated]
        directory += [struct.pack("<4s6H3L5H2L", b"PK\x01\x02", _ZIP_VERSION, *fields,
                                  0, 0, 0, 0, _FILE_MODE << 16, offset), encoded]
        offset += 30 + len(encoded) + len(deflated)
    central = b"".join(directory)
    if len(names) > 0xFFFF or offset + len(central) > 0xFFFFFFFF:  # would need ZIP64
        raise RenderError([Problem(path, None, "the output would be larger than 4 GB",
                                   "split the paper or make its figures smaller")])
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(names), len(names), len(central),
                      offset, 0)
    with path.open("wb") as target:
        target.write(b"".join([*chunks, central, end]))


#: Version 2.0 of the zip format (deflate) made and needed; made on MS-DOS (system 0).
_ZIP_VERSION = 20
#: The flag that marks an entry name as UTF-8.
_UTF8_NAME = 0x800
#: rw-r--r--, the mode every entry gets.
_FILE_MODE = 0o644
#: Compressed parts by their content, the most recently used last: a template's styles,
#: theme, masters and layouts are the same in every paper of a batch, so each process
#: compresses them once. Bounded in count and part size (at most 64 MB): figures are
#: rarely shared, and are compressed already.
_DEFLATED: OrderedDict[bytes, tuple[int, bytes]] = OrderedDict()
_DEFLATED_SIZE = 128
_DEFLATED_LARGEST = 512 * 1024


def _deflated(blob: bytes) -> tuple[int, bytes]:
    """The CRC-32 and raw deflate stream of ``blob``, as ``zipfile`` makes them at level 6."""
    def deflate() -> tuple[int, bytes]:
        compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
        return zlib.crc32(blob), compressor.compress(blob) + compressor.flush()

    return _remembered(_DEFLATED, blob, deflate, _DEFLATED_SIZE,
                       keep=len(blob) <= _DEFLATED_LARGEST)


def outline_level(level: int, previous: int) -> int:
    """The level a heading gets in an output: its own, but never more than one below the
    previous heading's (the title is level 1), so that outlines, navigation panes and PDF tags
    never skip a level (a '###' straight after the title becomes level 2)."""
    return min(level, previous + 1)


#: Punctuation that follows a key point's headline without a space ("**Headline**: text").
_CLOSING_PUNCTUATION = tuple(".,:;!?)»”’–—")


def headline_separator(point: KeyPoint) -> str:
    """What goes between a key point's bold headline and its text: a space, unless there is no
    text or it starts with punctuation that closes the headline ("**Headline**: text")."""
    text = plain_text(point.inlines)
    return " " if text and not text.startswith(_CLOSING_PUNCTUATION) else ""


#: Images that do not declare a resolution are taken to be screen images.
DEFAULT_DPI = 96.0


def natural_size(path: Path) -> tuple[float, float]:
    """An image's size in points at its own resolution (``DEFAULT_DPI`` when it declares
    none), so every format shows a figure at the same size."""
    from PIL import Image  # only papers with figures pay for Pillow

    with Image.open(path) as image:
        dpi = image.info.get("dpi", (DEFAULT_DPI, DEFAULT_DPI))[0] or DEFAULT_DPI
        return image.width / float(dpi) * 72, image.height / float(dpi) * 72


def fitted_size(path: Path, width: float, height: float) -> tuple[float, float]:
    """An image's natural size, scaled down (never up) to fit ``width`` x ``height`` points."""
    natural_width, natural_height = natural_size(path)
    scale = min(1.0, width / natural_width, height / natural_height)
    return natural_width * scale, natural_height * scale


def short_title(document: Document) -> str:
    """The title up to its first colon, cut at a word boundary near 60 characters."""
    title = document.meta.title.split(":")[0].strip()
    if len(title) <= 60:
        return title
    return title[:60].rsplit(" ", 1)[0] + "…"


def fill_label(template: str, document: Document, layout: Layout) -> str:
    """A running header or footer label with its ``{field}``s filled from the paper."""
    meta = document.meta
    values = {
        "title": meta.title,
        "short_title": short_title(document),
        "date": layout.format_date(meta.date),
        "organization": meta.organization or "",
        "marking": meta.marking or "",
    }
    # Strip the separator left dangling when a field (say, organization) is empty.
    return template.format(**values).strip(" ·|–—-")


def figure_numbers(document: Document) -> dict[Figure, int]:
    """Each figure's number, counting from 1 in reading order (figures in lists, quotes and
    key-point details included), so every format numbers them alike."""
    figures = [block for block in walk(document.blocks) if isinstance(block, Figure)]
    return {figure: n for n, figure in enumerate(figures, 1)}


def figure_label(layout: Layout, n: int) -> str:
    """The label that opens a figure caption, e.g. ``Figure 2.``."""
    return layout.labels.figure.format(n=n)


def set_app_properties(package: Any, document: Document, counts: dict[str, int]) -> None:
    """Replace an Office package's ``docProps/app.xml`` (extended properties): the template's
    describes its own application, company and counts. ``counts`` are format-specific
    elements such as ``Slides`` (the schema takes its elements in any order)."""
    elements = "".join(f"<{name}>{value}</{name}>" for name, value in counts.items())
    company = xml_escape(" ".join(xml_safe(document.meta.organization or "").split()))
    xml = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
           'extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/'
           f'2006/docPropsVTypes"><Application>kzreport {__version__}</Application>'
           f"<DocSecurity>0</DocSecurity>{elements}<Company>{company}</Company>"
           "<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
           "<HyperlinksChanged>false</HyperlinksChanged><AppVersion>1.0000</AppVersion>"
           "</Properties>")
    for part in package.iter_parts():
        if str(part.partname) == "/docProps/app.xml":
            part._blob = xml.encode("utf-8")


#: Word and PowerPoint refuse core-property strings longer than this.
CORE_PROPERTY_LIMIT = 255


def set_core_properties(properties: Any, document: Document) -> None:
    """Fill the core properties of a python-docx or python-pptx package from the paper, leaving
    nothing of the library's template (its author, its 2013 dates, its descriptions)."""
    meta = document.meta

    def clip(text: str) -> str:
        return " ".join(xml_safe(text).split())[:CORE_PROPERTY_LIMIT]

    properties.title = clip(meta.title)
    properties.author = clip(author_names(document))
    properties.subject = clip(meta.summary or meta.subtitle or meta.title)
    properties.keywords = clip(", ".join(meta.keywords))
    properties.language = meta.language
    properties.comments = clip(meta.summary or "")
    properties.category = clip(meta.marking or "")
    properties.identifier = properties.content_status = properties.version = ""
    properties.last_modified_by = f"kzreport {__version__}"
    properties.revision = 1
    properties.created = properties.modified = properties.last_printed = build_timestamp(document)


# ---------------------------------------------------------------- proportions
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
