"""Checks of the files outputs embed or build from (images, fonts, Office templates)."""

from __future__ import annotations

import re
import struct
from collections.abc import Collection
from dataclasses import field
from functools import cached_property, lru_cache
from pathlib import Path

from kzreport.records import record

#: Images above this many pixels are refused as likely decompression bombs.
MAX_IMAGE_PIXELS = 40_000_000
#: The image formats every output format can embed, by Pillow's name for them.
IMAGE_FORMATS = {"PNG": "png", "JPEG": "jpeg", "GIF": "gif", "BMP": "bmp", "TIFF": "tiff"}
#: cmap subtables that map Unicode, best first: (platform, encoding) of full Unicode, then BMP.
_UNICODE_CMAPS = ((3, 10), (0, 6), (0, 4), (3, 1), (0, 3), (0, 2), (0, 1), (0, 0))
#: Characters no face is asked to draw: line layout, and the soft hyphen, which the PDF drops
#: (or draws as a hyphen where it breaks a line) and Office applications hide.
_NOT_DRAWN = frozenset("\n\r\t\u00ad")
#: Tables every font needs: to map characters, to measure them, and to embed their outlines.
_REQUIRED_TABLES = ("cmap", "head", "hhea", "hmtx", "glyf", "loca")
#: The fewest bytes of the fixed-size tables that are read field by field.
_MIN_TABLE_SIZES = {"head": 54, "hhea": 36, "OS/2": 78}
#: More mapped codes than Unicode has means overlapping ranges: a damaged or hostile font.
_MAX_CODES = 0x110000


def image_problem(path: Path) -> str | None:
    """What is wrong with the image file at ``path``, or None when it can be embedded."""
    from PIL import Image  # only papers with figures (and layouts with logos) pay for Pillow

    try:
        with Image.open(path) as image:
            if image.format == "MPO":
                return "is a multi-picture JPEG (MPO) from a camera, which cannot be embedded"
            if image.format not in IMAGE_FORMATS:
                return f"is in {image.format} format, which cannot be embedded"
            if image.format == "JPEG" and not {"jfif", "exif"} & image.info.keys():
                # Word's reader (python-docx's, too) knows JPEGs only by these headers; an
                # Adobe CMYK JPEG from a print workflow has neither.
                return ("is a JPEG without a JFIF or Exif header (an Adobe or CMYK JPEG), "
                        "which Word cannot embed")
            if image.width * image.height > MAX_IMAGE_PIXELS:
                return f"is {image.width}×{image.height} pixels, too large to embed safely"
            image.verify()
    except Image.DecompressionBombError:
        return "is too large to embed safely (decompression bomb)"
    except Exception:  # Pillow raises many types for damaged files; all mean "unreadable"
        return "is damaged or not an image"
    return None


class FontFileError(ValueError):
    """A font file that is not a TrueType font kzreport can read."""


@record
class FontFile:
    """A TrueType font's bytes, its table directory and its character map, read with the
    standard library only: ``check`` can see which characters would print as empty boxes, and
    the deck measures text, without loading reportlab."""

    data: bytes = field(repr=False)
    #: (offset, length) of each table by its four-letter tag.
    tables: dict[str, tuple[int, int]] = field(repr=False)
    #: Where the Unicode character map subtable starts in ``data``, and its format (4 or 12):
    #: checked when the font is read, expanded into ``cmap`` only when a text asks, since a
    #: layout names a font for every script and most papers are set in one or two of them.
    cmap_at: int
    cmap_format: int

    @cached_property
    def cmap(self) -> dict[int, int]:
        """The glyph of each code point the font maps (never glyph 0, the "missing" glyph)."""
        expand = _format_4 if self.cmap_format == 4 else _format_12
        return expand(self.data, self.cmap_at)

    @cached_property
    def characters(self) -> frozenset[str]:
        """The characters the font can show (see ``drawable``); kept, since every paper of a
        batch checks its text against the same few fonts."""
        return drawable(self.cmap.keys())

    def table(self, tag: str) -> bytes:
        """The bytes of table ``tag``; ``FontFileError`` when the font has none."""
        if tag not in self.tables:
            raise FontFileError(f"a font without a '{tag}' table")
        offset, length = self.tables[tag]
        return self.data[offset:offset + length]


def read_font(path: Path) -> FontFile:
    """The TrueType font at ``path`` (cached while the file is unchanged); ``FontFileError``
    when it is not a readable TrueType font."""
    stat = path.stat()
    return _read_font(path, stat.st_size, stat.st_mtime_ns)


def font_characters(path: Path) -> frozenset[str]:
    """The characters the TrueType font at ``path`` can draw (see ``drawable``)."""
    return read_font(path).characters


def drawable(codes: Collection[int]) -> frozenset[str]:
    """The characters a font mapping code points ``codes`` can show: those, the characters no
    face is asked to draw, and the no-break space, which PDF and Office writers draw as a
    space when a font has no glyph of its own for it. As strings, so that a text is checked
    with one set difference."""
    return frozenset(map(chr, codes)) | _NOT_DRAWN | ({"\xa0"} if 0x20 in codes else set())


@lru_cache(maxsize=32)
def _read_font(path: Path, size: int, mtime_ns: int) -> FontFile:
    data = path.read_bytes()
    version = data[:4]
    if version == b"OTTO":
        raise FontFileError("an OpenType-CFF font, which cannot be embedded")
    if version not in (b"\x00\x01\x00\x00", b"true"):
        raise FontFileError("not a TrueType font")
    try:
        (count,) = struct.unpack_from(">H", data, 4)
        tables = {data[12 + 16 * i:16 + 16 * i].decode("latin-1"):
                  struct.unpack_from(">II", data, 20 + 16 * i) for i in range(count)}
        missing = [tag for tag in _REQUIRED_TABLES if tag not in tables]
        if missing:
            raise FontFileError(f"a font without the '{missing[0]}' table of TrueType outlines "
                                "and metrics")
        _check_tables(data, tables)
        return FontFile(data, tables, *_find_cmap(data, tables["cmap"][0]))
    except (struct.error, IndexError):
        raise FontFileError("a damaged font file") from None


def _check_tables(data: bytes, tables: dict[str, tuple[int, int]]) -> None:
    """Refuse a font whose tables lie outside the file or are too short to hold what is read
    from them, so that later readers can slice them without checking."""
    for tag, (offset, length) in tables.items():
        if offset + length > len(data) or length < _MIN_TABLE_SIZES.get(tag, 0):
            raise FontFileError(f"a damaged font file (its '{tag}' table is cut short)")
    hhea_offset = tables["hhea"][0]
    (metrics,) = struct.unpack_from(">H", data, hhea_offset + 34)
    if metrics == 0 or tables["hmtx"][1] < 4 * metrics:
        raise FontFileError("a damaged font file (its 'hmtx' table is cut short)")


def _find_cmap(data: bytes, cmap: int) -> tuple[int, int]:
    """The start and format of the font's best Unicode subtable, its bounds checked, so that
    expanding it later cannot fail."""
    (subtables,) = struct.unpack_from(">H", data, cmap + 2)
    offsets: dict[tuple[int, int], int] = {}
    for i in range(subtables):
        platform, encoding, offset = struct.unpack_from(">HHI", data, cmap + 4 + 8 * i)
        offsets.setdefault((platform, encoding), cmap + offset)
    for key in _UNICODE_CMAPS:
        if key in offsets:
            start = offsets[key]
            (kind,) = struct.unpack_from(">H", data, start)
            if kind == 4:
                _check_format_4(data, start)
                return start, kind
            if kind == 12:
                _check_format_12(data, start)
                return start, kind
    raise FontFileError("a font without a Unicode character map")


_Format4 = tuple[int, tuple[int, ...], tuple[int, ...], tuple[int, ...], tuple[int, ...]]


def _format_4_arrays(data: bytes, start: int) -> _Format4:
    """A format 4 subtable's glyph array offset, and its segments' ends, starts, deltas and
    offsets into that array."""
    (segments2,) = struct.unpack_from(">H", data, start + 6)
    n = segments2 // 2
    return (start + 16 + 3 * segments2,
            struct.unpack_from(f">{n}H", data, start + 14),
            struct.unpack_from(f">{n}H", data, start + 16 + segments2),
            struct.unpack_from(f">{n}h", data, start + 16 + 2 * segments2),
            struct.unpack_from(f">{n}H", data, start + 16 + 3 * segments2))


def _check_format_4(data: bytes, start: int) -> None:
    range_at, ends, starts, _deltas, ranges = _format_4_arrays(data, start)
    if sum(max(0, end - begin + 1) for begin, end in zip(starts, ends, strict=True)) > _MAX_CODES:
        raise FontFileError("a damaged font file (its character map overlaps itself)")
    for i, (begin, end, offset) in enumerate(zip(starts, ends, ranges, strict=True)):
        last = min(end, 0xFFFE)  # 0xFFFF is never looked up
        if offset and last >= begin and range_at + 2 * (i + last - begin) + offset + 2 > len(data):
            raise FontFileError("a damaged font file (its character map is cut short)")


def _format_4(data: bytes, start: int) -> dict[int, int]:
    """Segments of 16-bit codes; a code maps through its delta or the glyph array."""
    range_at, ends, starts, deltas, ranges = _format_4_arrays(data, start)
    glyphs = {}
    for i in range(len(ends)):
        for code in range(starts[i], ends[i] + 1):
            if code == 0xFFFF:
                continue
            if ranges[i] == 0:
                glyph = (code + deltas[i]) & 0xFFFF
            else:
                at = range_at + 2 * i + ranges[i] + 2 * (code - starts[i])
                (glyph,) = struct.unpack_from(">H", data, at)
                glyph = (glyph + deltas[i]) & 0xFFFF if glyph else 0
            if glyph:
                glyphs[code] = glyph
    return glyphs


def _format_12_groups(data: bytes, start: int) -> list[tuple[int, int, int]]:
    """A format 12 subtable's groups: first code, last code, glyph of the first."""
    (groups,) = struct.unpack_from(">I", data, start + 12)
    return [struct.unpack_from(">III", data, start + 16 + 12 * i) for i in range(groups)]


def _check_format_12(data: bytes, start: int) -> None:
    total = 0
    for first, last, _glyph in _format_12_groups(data, start):
        total += last - first + 1
        if first > last or last > 0x10FFFF or total > _MAX_CODES:
            raise FontFileError("a damaged font file (its character map is out of range)")


def _format_12(data: bytes, start: int) -> dict[int, int]:
    """Groups of consecutive 32-bit codes mapped to consecutive glyphs."""
    glyphs = {}
    for first, last, glyph in _format_12_groups(data, start):
        for code in range(first, last + 1):
            if glyph + code - first:
                glyphs[code] = glyph + code - first
    return glyphs


#: Parts that carry code or foreign content; a template holding any of them is refused.
UNSAFE_PARTS = re.compile(r"(vbaProject|vbaData|activeX|oleObject|/embeddings/|macrosheets|"
                          r"customUI|attachedTemplate)", re.IGNORECASE)
HYPERLINK_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"


def office_package_problem(path: Path) -> str | None:
    """Why the Office file at ``path`` is unsafe to build from (macros, embedded objects,
    external relationships other than web links), or None when it is clean."""
    import zipfile
    from xml.etree import ElementTree

    try:
        with zipfile.ZipFile(path) as package:
            names = package.namelist()
            for name in names:
                if UNSAFE_PARTS.search(name):
                    return f"contains macros or embedded objects ({name})"
            for name in (n for n in names if n.endswith(".rels")):
                root = ElementTree.fromstring(package.read(name))
                for rel in root:
                    if rel.get("TargetMode") == "External" and rel.get("Type") != HYPERLINK_REL:
                        return f"links to an external resource ({rel.get('Target', '')[:80]})"
                    target = rel.get("Target", "")
                    if rel.get("Type") == HYPERLINK_REL and not re.match(
                            r"(https?|mailto):|#", target, re.IGNORECASE):
                        return f"has a hyperlink to a non-web target ({target[:80]})"
    except (zipfile.BadZipFile, OSError, ElementTree.ParseError, KeyError):
        return "is not a readable Office file"
    return None
