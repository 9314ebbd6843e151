"""What the format renderers genuinely share: safe text, bylines, labels and reproducible zips."""

from __future__ import annotations

import datetime as dt
import os
import re
import zipfile
from pathlib import Path
from typing import Any

from kzreport import __version__
from kzreport.layout import Layout
from kzreport.model import Document, Figure, KeyPoint, plain_text, walk

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
#: List markers by nesting depth (deeper lists cycle through them), alike in every format.
BULLETS = ("•", "◦", "▪")
#: English Metric Units per point: the unit of every length in an Office package.
EMU_PER_PT = 12700
#: 1980-01-01, the earliest time a zip entry can carry.
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def xml_safe(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot carry (the parser refuses them already;
    this keeps a renderer from crashing on a string that reached it some other way)."""
    return _XML_ILLEGAL.sub("", text)


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


def write_package(parts: PackageParts, path: Path, when: dt.datetime) -> None:
    """Zip an Office package's parts to ``path`` with fixed metadata.

    The libraries stamp each zip entry with the current time and compress as they go; here
    the entries are written once, in a fixed order with fixed times and modes, so the output
    depends only on its content. ``[Content_Types].xml`` stays first, as Office expects.
    """
    stamp = max(when.timetuple()[:6], _ZIP_EPOCH)
    names = sorted(parts.entries, key=lambda name: (name != "[Content_Types].xml", name))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 0
            target.writestr(info, parts.entries[name], compress_type=zipfile.ZIP_DEFLATED,
                            compresslevel=6)


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
    from xml.sax.saxutils import escape

    elements = "".join(f"<{name}>{value}</{name}>" for name, value in counts.items())
    company = escape(" ".join(xml_safe(document.meta.organization or "").split()))
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
