"""The standard-library TrueType reader: character maps, and damaged fonts refused, not crashed."""

from __future__ import annotations

import struct
import time
from pathlib import Path

import pytest

from kzreport.assets import FontFileError, font_characters, read_font

#: numberOfHMetrics sits at byte 34 of hhea; one (advance, lsb) pair follows in hmtx.
HHEA = bytes(34) + struct.pack(">H", 1)
HMTX = struct.pack(">Hh", 500, 0)


def format_4(first: int, last: int, glyph: int) -> bytes:
    """A format-4 subtable mapping ``first``..``last`` to consecutive glyphs from ``glyph``."""
    ends, starts = (last, 0xFFFF), (first, 0xFFFF)
    deltas, offsets = ((glyph - first) & 0xFFFF, 1), (0, 0)
    # format, length, language, segCountX2 (two segments: ours and the closing 0xFFFF), and
    # the binary-search hints, which readers ignore
    body = struct.pack(">7H", 4, 0, 0, 4, 0, 0, 0)
    body += struct.pack(">2H", *ends) + b"\0\0" + struct.pack(">2H", *starts)
    body += struct.pack(">2H", *deltas) + struct.pack(">2H", *offsets)
    return body


def format_12(*groups: tuple[int, int, int]) -> bytes:
    """A format-12 subtable of (first, last, first glyph) groups."""
    header = struct.pack(">HHIII", 12, 0, 16 + 12 * len(groups), 0, len(groups))
    return header + b"".join(struct.pack(">III", *group) for group in groups)


def cmap(platform: int, encoding: int, subtable: bytes) -> bytes:
    """A cmap table holding one subtable."""
    return struct.pack(">HHHHI", 0, 1, platform, encoding, 12) + subtable


def font(path: Path, tables: dict[str, bytes], cut: int = 0) -> Path:
    """A TrueType file of ``tables`` (the required ones filled in when not given), its last
    ``cut`` bytes removed."""
    tables = {"head": bytes(54), "hhea": HHEA, "hmtx": HMTX, "glyf": b"\0" * 4,
              "loca": b"\0" * 4, **tables}
    directory = struct.pack(">IHHHH", 0x00010000, len(tables), 0, 0, 0)
    offset = 12 + 16 * len(tables)
    body = b""
    for tag, data in sorted(tables.items()):
        directory += tag.encode("latin-1") + struct.pack(">III", 0, offset + len(body), len(data))
        body += data + bytes(-len(data) % 4)
    data = directory + body
    path.write_bytes(data[:len(data) - cut])
    return path


def test_a_bmp_map_under_the_unicode_platform_is_read(tmp_path: Path) -> None:
    path = font(tmp_path / "f.ttf", {"cmap": cmap(0, 3, format_4(0x41, 0x43, 1))})
    assert {"A", "B", "C"} <= font_characters(path)
    assert read_font(path).cmap[0x42] == 2
    assert "D" not in font_characters(path)


def test_a_full_unicode_map_reaches_past_the_bmp(tmp_path: Path) -> None:
    path = font(tmp_path / "f.ttf", {"cmap": cmap(3, 10, format_12((0x1F680, 0x1F681, 7)))})
    assert read_font(path).cmap == {0x1F680: 7, 0x1F681: 8}


@pytest.mark.parametrize("groups", [
    ((0x50, 0x40, 1),),  # first after last
    ((0, 0x10FFFF, 1), (0, 0x10FFFF, 1)),  # the whole of Unicode twice: hours of looping
    ((0x110000, 0x110001, 1),),  # past Unicode
])
def test_a_crafted_full_unicode_map_is_refused_at_once(tmp_path: Path,
                                                       groups: tuple[tuple[int, int, int]]) -> None:
    path = font(tmp_path / "f.ttf", {"cmap": cmap(3, 10, format_12(*groups))})
    started = time.monotonic()
    with pytest.raises(FontFileError, match="damaged"):
        read_font(path)
    assert time.monotonic() - started < 5  # a guard against a hang, not a benchmark


@pytest.mark.parametrize(("tables", "cut"), [
    ({"head": bytes(20)}, 0),
    ({"hhea": bytes(30)}, 0),
    ({"hmtx": b""}, 0),
    ({"hhea": bytes(34) + struct.pack(">H", 9)}, 0),  # nine advances promised, one given
    ({"hhea": bytes(34) + struct.pack(">H", 0)}, 0),
    ({"OS/2": bytes(40)}, 0),
    ({}, 3),  # the last table runs past the end of the file
])
def test_a_font_with_tables_cut_short_is_refused(tmp_path: Path, tables: dict[str, bytes],
                                                 cut: int) -> None:
    path = font(tmp_path / "f.ttf", {"cmap": cmap(3, 1, format_4(0x41, 0x43, 1)), **tables},
                cut=cut)
    with pytest.raises(FontFileError, match="damaged"):
        read_font(path)


def test_a_font_without_a_unicode_map_is_refused(tmp_path: Path) -> None:
    path = font(tmp_path / "f.ttf", {"cmap": cmap(1, 0, format_4(0x41, 0x43, 1))})
    with pytest.raises(FontFileError, match="without a Unicode character map"):
        read_font(path)


def test_a_bmp_map_pointing_past_its_glyph_array_is_refused_when_read(tmp_path: Path) -> None:
    subtable = bytearray(format_4(0x41, 0x43, 1))
    struct.pack_into(">H", subtable, 16 + 3 * 4, 400)  # the first segment's idRangeOffset
    path = font(tmp_path / "f.ttf", {"cmap": cmap(3, 1, bytes(subtable))})
    with pytest.raises(FontFileError, match="cut short"):
        read_font(path)


def test_a_fonts_map_is_expanded_only_when_asked(tmp_path: Path) -> None:
    # a layout names a font for every script; a paper's text asks for one or two of them
    path = font(tmp_path / "f.ttf", {"cmap": cmap(3, 1, format_4(0x41, 0x43, 1))})
    face = read_font(path)
    assert "cmap" not in vars(face)
    assert "B" in face.characters
    assert vars(face)["cmap"][0x42] == 2
