"""What the format renderers genuinely share: XML-safe text, lengths, time stamps, images."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

from kzreport.layout import Layout
from kzreport.model import Blocks, Document, Heading, PageBreak, Table

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
#: English Metric Units per point: the unit of every length in an Office package.
EMU_PER_PT = 12700


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


def build_timestamp(document: Document) -> dt.datetime:
    """The time stamped into outputs: ``SOURCE_DATE_EPOCH`` when set, else the paper's date,
    so that builds are reproducible by default (naive UTC, as the Office libraries want)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).replace(tzinfo=None)
    return dt.datetime.combine(document.meta.date, dt.time(12, 0))


def outline_level(level: int, previous: int) -> int:
    """The level a heading gets in an output: its own, but never more than one below the
    previous heading's (the title is level 1), so that outlines, navigation panes and PDF tags
    never skip a level (a '###' straight after the title becomes level 2)."""
    return min(level, previous + 1)


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


def on_landscape_pages(blocks: Blocks, layout: Layout) -> tuple[bool, ...]:
    """Which of the paper's top-level ``blocks`` the brief and the PDF set on landscape pages:
    each table whose caption asks for it, with the headings right before it (a heading stays
    with what follows); none when the paper's pages are landscape already."""
    if layout.page.orientation == "landscape":
        return (False,) * len(blocks)
    turned = [isinstance(block, Table) and block.landscape for block in blocks]
    for index in range(len(blocks) - 2, -1, -1):
        if isinstance(blocks[index], Heading) and turned[index + 1]:
            turned[index] = True
    return tuple(turned)


def breaks_in_turns(blocks: Blocks, turned: tuple[bool, ...]) -> frozenset[int]:
    """The indexes of the page breaks (``\\newpage``) right where the pages turn, to or from
    landscape: the turn starts a new page already, so writing them too would leave a page
    blank."""
    return frozenset(index for index, block in enumerate(blocks) if isinstance(block, PageBreak)
                     and ((index + 1 < len(blocks) and turned[index + 1])
                          or (index > 0 and turned[index - 1])))
