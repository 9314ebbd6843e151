"""The face the PDF draws each text in, and the characters those faces lack (no reportlab)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import assert_never

from kzreport.assets import font_characters
from kzreport.errors import Problem
from kzreport.labels import BULLETS, fill_label
from kzreport.layout import FontFamily, Layout
from kzreport.model import (
    Blocks,
    CodeBlock,
    Document,
    Figure,
    Heading,
    Inlines,
    KeyPoints,
    ListBlock,
    Paragraph,
    Quote,
    Rule,
    Table,
    spans,
)

#: At most this many missing characters are listed: a paper in an uncovered script would
#: otherwise list thousands, and the first ones tell the story.
MAX_GLYPH_PROBLEMS = 20
#: Hebrew, Arabic, Syriac, Thaana, N'Ko and their presentation forms: reportlab neither
#: reorders nor joins them.
RIGHT_TO_LEFT = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
#: Every digit a number (a page, a figure, a list item) may be drawn with.
DIGITS = "0123456789"


@dataclass(frozen=True)
class Face:
    """One face of the layout: its family's role and its style."""

    role: str  # "body", "heading" or "mono"
    bold: bool = False
    italic: bool = False

    def family(self, layout: Layout) -> FontFamily:
        """The layout's family for this face's role."""
        family: FontFamily = getattr(layout.fonts, self.role)
        return family

    def file(self, layout: Layout) -> Path:
        """The TrueType file that draws this face."""
        return self.family(layout).face(self.bold, self.italic)


_BODY, _BODY_BOLD, _HEADING_BOLD = Face("body"), Face("body", True), Face("heading", True)


@dataclass(frozen=True)
class DrawnText:
    """A text the PDF draws, the face it is drawn in, and where it comes from."""

    text: str
    face: Face
    line: int | None
    #: The layout file for the layout's own words; None for the paper's text.
    where: Path | None = None


def missing_glyph(char: str, family: FontFamily, file: Path, path: Path,
                  line: int | None) -> Problem:
    """The problem of a character that face ``file`` of ``family`` has no glyph for."""
    return Problem(path, line, f"character '{char}' (U+{ord(char):04X}) is not in font "
                   f"{family.name} ({file.name})",
                   "replace the character, or use a layout whose fonts cover it")


def limited(problems: list[Problem], source: Path) -> list[Problem]:
    """``problems`` sorted top to bottom, the paper's before the layout's (a line's in the order
    they were found), cut to ``MAX_GLYPH_PROBLEMS`` with a count of the rest."""
    ordered = sorted(problems, key=lambda p: (p.path != source, str(p.path), p.line or 0))
    if len(ordered) <= MAX_GLYPH_PROBLEMS:
        return ordered
    more = len(ordered) - MAX_GLYPH_PROBLEMS
    return [*ordered[:MAX_GLYPH_PROBLEMS],
            Problem(source, None, f"{more} more missing characters not shown",
                    "fix the ones above and run again")]


def glyph_problems(document: Document, layout: Layout) -> list[Problem]:
    """Each character the PDF would draw in a face that lacks it (once per character, face
    and line), and the first right-to-left text: it would print as empty boxes or in the
    wrong order, so it is an error before anything renders."""
    problems: list[Problem] = []
    seen: set[tuple[str, Path, Path, int | None]] = set()
    covered: dict[Path, frozenset[str]] = {}  # by file: read_font stats the file per call
    right_to_left_seen = False
    for drawn in drawn_texts(document, layout):
        path = drawn.where or document.source
        rtl = RIGHT_TO_LEFT.search(drawn.text)
        if rtl and not right_to_left_seen:
            right_to_left_seen = True
            problems.append(Problem(path, drawn.line, f"right-to-left text ('{rtl.group()}', "
                                    f"U+{ord(rtl.group()):04X}) cannot be set yet: the PDF "
                                    "would print its letters unjoined and left to right",
                                    "write this paper in a left-to-right script"))
        file = drawn.face.file(layout)
        if file not in covered:
            covered[file] = font_characters(file)
        missing = set(drawn.text).difference(covered[file])
        for char in drawn.text if missing else ():  # in the order they come
            key = (char, file, path, drawn.line)
            if char not in missing or key in seen:
                continue
            seen.add(key)
            problems.append(missing_glyph(char, drawn.face.family(layout), file, path,
                                          drawn.line))
    return limited(problems, document.source)


def drawn_texts(document: Document, layout: Layout) -> Iterator[DrawnText]:
    """Every text the PDF draws, in the face that draws it: the PDF renderer sets the same
    faces (and checks them again as it draws)."""
    meta, lines, layout_file = document.meta, document.lines, layout.files[0]
    # Page furniture: banners, footer, running header.
    if meta.marking:
        yield DrawnText(meta.marking, _HEADING_BOLD, lines.get("marking"))
    if meta.disclaimer:
        yield DrawnText(meta.disclaimer, _BODY, lines.get("disclaimer"))
    yield DrawnText(page_label_characters(layout), _BODY, None, layout_file)
    yield DrawnText(fill_label(layout.labels.running_header, document, layout), _BODY,
                    lines.get("title"))
    # Title block and summary.
    if meta.organization:
        yield DrawnText(meta.organization.upper(), _HEADING_BOLD, lines.get("organization"))
    yield DrawnText(meta.title, _HEADING_BOLD, lines.get("title"))
    if meta.subtitle:
        yield DrawnText(meta.subtitle, Face("heading"), lines.get("subtitle"))
    for author in meta.authors:
        yield DrawnText(author.name, _BODY_BOLD, lines.get("authors"))
        if author.affiliation:
            yield DrawnText(", " + author.affiliation, _BODY, lines.get("authors"))
    yield DrawnText(layout.format_date(meta.date), _BODY, lines.get("date"))
    if meta.summary:
        yield DrawnText(layout.labels.summary + ": ", _HEADING_BOLD, None, layout_file)
        yield DrawnText(meta.summary, _BODY, lines.get("summary"))
    yield from _blocks(document.blocks, layout, depth=0, italic=False)
    if meta.links:
        yield DrawnText(layout.labels.further_reading, _HEADING_BOLD, None, layout_file)
        line = lines.get("links")
        yield DrawnText(BULLETS[0], _BODY, line)
        for link in meta.links:
            yield DrawnText(link.label, _BODY, line)


def page_label_characters(layout: Layout) -> str:
    """The characters a page label (``Page {page} of {pages}``) may be drawn with."""
    return re.sub(r"\{\w*\}", "", layout.labels.page) + DIGITS


def _blocks(blocks: Blocks, layout: Layout, depth: int, italic: bool) -> Iterator[DrawnText]:
    for block in blocks:
        match block:
            case Heading():
                yield from _inlines(block.inlines, "heading", block.line, bold=True,
                                    italic=False)
            case Paragraph():
                yield from _inlines(block.inlines, "body", block.line, bold=False,
                                    italic=italic)
            case ListBlock():
                if block.ordered:
                    numbers = range(block.start, block.start + len(block.items))
                    yield DrawnText("".join(f"{n}." for n in numbers), _BODY, block.line)
                else:
                    yield DrawnText(BULLETS[depth % len(BULLETS)], _BODY, block.line)
                for item in block.items:
                    yield from _blocks(item.blocks, layout, depth + 1, italic)
            case Quote():
                yield from _blocks(block.blocks, layout, depth, italic=True)
            case CodeBlock():
                yield DrawnText(block.text.replace("\t", " "), Face("mono"), block.line)
            case Table():
                yield from _inlines(block.caption, "body", block.line, bold=False, italic=False)
                for cell in block.header:
                    yield from _inlines(cell, "body", block.line, bold=True, italic=False)
                for row in block.rows:
                    for cell in row:
                        yield from _inlines(cell, "body", block.line, bold=False,
                                            italic=False)
            case Figure():
                yield DrawnText(layout.labels.figure.format(n="") + DIGITS, _BODY_BOLD, None,
                                layout.files[0])
                yield DrawnText(block.caption, _BODY, block.line)
            case KeyPoints():
                yield DrawnText(block.title, _HEADING_BOLD, block.line)
                yield DrawnText(BULLETS[0], _BODY, block.line)
                for point in block.points:
                    if point.headline:
                        yield DrawnText(point.headline, _BODY_BOLD, point.line)
                    yield from _inlines(point.inlines, "body", point.line, bold=False,
                                        italic=False)
                    yield from _blocks(point.details, layout, 1, italic)
            case Rule():
                pass  # a line, no text
            case _:
                assert_never(block)


def _inlines(inlines: Inlines, role: str, line: int, *, bold: bool,
             italic: bool) -> Iterator[DrawnText]:
    for span in spans(inlines):
        face = Face("mono" if span.code else role, bold or span.bold, italic or span.italic)
        yield DrawnText(span.text, face, line)
