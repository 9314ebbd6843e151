"""Published plain text read as a paper: title, bylines, date, bullets, links, disclaimer."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

from kzreport.errors import KzreportError, Problem
from kzreport.importing.assemble import Paper, Report, key_points_section
from kzreport.importing.found import clean_text
from kzreport.importing.lists import ListTree
from kzreport.importing.titles import BYLINE, Labels, byline_authors, is_byline, parse_date
from kzreport.model import Heading, Link, Paragraph, Span
from kzreport.records import record

#: Plain text larger than this is not a paper (a source may hold 1,000,000 bytes).
MAX_TEXT_BYTES = 1_000_000
#: Bullets of published text, by nesting level where it tells.
_BULLET = re.compile(r"^(?P<indent>\s*)(?P<mark>[•◦▪·‣∙●○■□\-*–+]|(?P<n>\d{1,9})[.)])\s+"
                     r"(?P<text>\S.*)$")
_NESTED_MARKS = {"◦": 1, "○": 1, "▪": 2, "■": 2, "□": 2}
#: "Read the complete paper here." — a link whose address the text does not carry.
_HERE = re.compile(r"^(?P<label>\S.{1,100}?)\s+here\s*[.!]?$", re.IGNORECASE)
#: "Label: https://..." or a label followed by its address.
_ADDRESSED = re.compile(r"^(?P<label>\S.{0,100}?)\s*[:–—-]?\s+(?P<url>(https?://|mailto:)\S+)$")
_DISCLAIMER = re.compile(r"^(disclaimer\s*:|the (opinions|views)\b.*\bexpressed\b|"
                         r".*\bdo(es)? not (necessarily )?(reflect|represent)\b)", re.IGNORECASE)
#: The address written for a link the text names but does not give; each one is reported.
PLACEHOLDER_URL = "https://example.invalid/fill-in-link-{n}"


def read_text(path: Path, labels: Labels, report: Report) -> Paper:
    """The paper in the plain text file at ``path``."""
    lines = _decode(path, report).split("\n")

    def alone(line: str, units: list[tuple[int, str]]) -> bool:
        # Only in the title block: in the body, "By contrast, ..." goes on its paragraph.
        line = line.strip()
        return (is_byline(line) or parse_date(line, labels) is not None) and \
            _title_block([(n, " ".join(t.split())) for n, t in units], labels, True).end \
            >= len(units)

    units = _units(lines, alone)
    paper = Paper()
    if not units:
        raise KzreportError([Problem(path, 1, "the file holds no text",
                                     "import a file with the paper's text")])
    paper.title = units[0][1]
    front = _title_block(units, labels)
    i, paper.subtitle, paper.date = front.end, front.subtitle, front.date
    paper.authors = byline_authors(("", text) for text in front.bylines)
    tree = ListTree()
    links: list[Link] = []
    disclaimer: list[str] = []
    for n, (number, text) in enumerate(units[i:], i):
        following = units[n + 1][1] if n + 1 < len(units) else None
        bullet = _BULLET.match(text)
        if labels.is_key_points(text):
            tree.add_block(0, Heading(2, (Span(text.rstrip(":").strip()),), number))
        elif bullet:
            ordered = bullet["n"] is not None
            level = _NESTED_MARKS.get(bullet["mark"], len(bullet["indent"].expandtabs(4)) // 2)
            tree.add_item(level, "ordered" if ordered else "bullets", ordered,
                          int(bullet["n"] or 1), Paragraph((Span(bullet["text"]),), number),
                          number)
        elif (addressed := _ADDRESSED.match(text)) and len(text.split()) <= 15:
            links.append(Link(addressed["label"].rstrip(" :"), addressed["url"]))
        elif (here := _HERE.match(text)) and len(text.split()) <= 15:
            url = PLACEHOLDER_URL.format(n=len(links) + 1)
            links.append(Link(here["label"], url))
            report(number, text, f"the text names a link but not its address; {url} written "
                   "in its place — put the real address in the source's links")
        elif following is None and _DISCLAIMER.match(text):
            disclaimer.append(re.sub(r"^disclaimer\s*:\s*", "", text, flags=re.IGNORECASE))
        elif _heading(text, following):
            tree.add_block(0, Heading(2, (Span(text),), number))
        else:
            tree.add_block(0, Paragraph((Span(text),), number))
    paper.blocks = key_points_section(tree.finish(), labels, report)
    paper.links = tuple(links)
    paper.disclaimer = " ".join(disclaimer) or None
    return paper


@record
class _TitleBlock:
    """What the units under the title say, and where the body starts."""

    end: int
    subtitle: str | None
    bylines: tuple[str, ...]
    date: dt.date | None


def _title_block(units: list[tuple[int, str]], labels: Labels,
                 open_end: bool = False) -> _TitleBlock:
    """The subtitle, bylines and date under the title (``units[0]``), up to the first unit of
    the body (``end``). With ``open_end``, ``units`` are the text read so far: a byline label
    last in them is in the title block, its name yet to come."""
    i = 1
    subtitle, date = None, None
    bylines: list[str] = []
    while i < len(units):
        text = units[i][1]
        if is_byline(text):
            bylines.append(text)
        elif BYLINE.fullmatch(text + " ") and (i + 1 < len(units) or open_end):
            i += 1  # "Prepared by:" alone on its line, the name on the next
            bylines += [units[i][1]] if i < len(units) else []
        elif date is None and (found := parse_date(text, labels)) is not None:
            date = found
        elif i == 1 and len(text.split()) <= 15 and not text.endswith((".", "!", "?")):
            subtitle = text
        else:
            break
        i += 1
    return _TitleBlock(i, subtitle, tuple(bylines), date)


def _decode(path: Path, report: Report) -> str:
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_TEXT_BYTES + 1)
    except OSError as exc:
        raise KzreportError([Problem(path, 1, f"cannot read file: {exc.strerror}",
                                     "check the path and its permissions")]) from None
    if len(raw) > MAX_TEXT_BYTES:
        raise KzreportError([Problem(path, 1, f"the file is over {MAX_TEXT_BYTES:,} bytes",
                                     "import one paper at a time")])
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = raw.decode("utf-16", errors="replace")
    elif b"\x00" in raw:
        raise KzreportError([Problem(path, 1, "the file is binary, not text or a Word "
                                     "document", "import a .docx or a UTF-8 .txt file")])
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp1252", errors="replace")
            report(None, "", "the file is not UTF-8; read as Windows-1252 — check accented "
                   "letters and quotes")
    return clean_text_lines(text)


def clean_text_lines(text: str) -> str:
    """``text`` with Unix line ends and, on each line, only characters a source may hold."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufffd", "")
    return "\n".join(clean_text(line) for line in text.split("\n"))


def _units(lines: list[str],
           alone: Callable[[str, list[tuple[int, str]]], bool] = lambda line, units: False
           ) -> list[tuple[int, str]]:
    """The text's paragraphs with their first line numbers. Text with long lines has one
    paragraph a line; hard-wrapped text has paragraphs between blank lines (a bullet, a line
    after a short one, or a line that is ``alone`` after the paragraphs so far — a byline, a
    date in the title block — starts a new one)."""
    wrapped = all(len(line) <= 120 for line in lines) and any(not line.strip() for line in lines)
    units: list[tuple[int, str]] = []
    joining = False
    for number, line in enumerate(lines, 1):
        if not line.strip():
            joining = False
            continue
        # A short line ends its paragraph even in wrapped text: a title, a byline, a date.
        if wrapped and joining and not _BULLET.match(line) and len(lines[number - 2]) >= 40 \
                and not alone(line, units):
            units[-1] = (units[-1][0], units[-1][1] + " " + line.strip())
        else:
            units.append((number, line.rstrip()))
        joining = True
    out = []
    for number, text in units:
        indent = text[:len(text) - len(text.lstrip())] if _BULLET.match(text) else ""
        out.append((number, indent + " ".join(text.split())))
    return out


_CLOSING = (".", ",", ";", ":", "!", "?", "”", '"', "…")


def _heading(text: str, following: str | None) -> bool:
    """Whether a line is a section heading: short, capitalised, without closing punctuation,
    and followed by more text."""
    return (following is not None and not _BULLET.match(text) and len(text.split()) <= 10
            and text[:1].isupper() and not text.endswith(_CLOSING))
