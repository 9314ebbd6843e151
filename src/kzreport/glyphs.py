"""The face the PDF draws each text in, and the characters those faces lack (no reportlab)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import assert_never

from kzreport.apparatus import acronym_blocks
from kzreport.errors import Problem
from kzreport.labels import BULLETS, CAPTION_ITALIC, fill_label, list_marker
from kzreport.layout import FontFamily, Layout
from kzreport.model import (
    Blocks,
    CodeBlock,
    DefinitionList,
    Document,
    Figure,
    Heading,
    Inlines,
    KeyPoints,
    ListBlock,
    PageBreak,
    Paragraph,
    Quote,
    Rule,
    Table,
    source_paragraphs,
    spans,
)
from kzreport.records import record
from kzreport.scripts import FontChain, script_of

#: At most this many missing characters are listed: a paper in an uncovered script would
#: otherwise list thousands, and the first ones tell the story.
MAX_GLYPH_PROBLEMS = 5
#: Every digit a number (a page, a figure, a list item) may be drawn with.
DIGITS = "0123456789"


@record
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


@record
class DrawnText:
    """A text the PDF draws, the face it is drawn in, and where it comes from."""

    text: str
    face: Face
    line: int | None
    #: The layout file for the layout's own words; None for the paper's text.
    where: Path | None = None


def missing_glyph(char: str, family: FontFamily, file: Path, path: Path,
                  line: int | None) -> Problem:
    """The problem of a character that face ``file`` of ``family`` and its fallback families
    have no glyph for, at its first place on or after ``line`` of ``path``."""
    fallback = family.fallback
    others = (f" nor its fallback fonts {', '.join(f.name for f in fallback)}"
              if fallback else "")
    line, column = locate(char, path, line)
    return Problem(path, line, f"character '{char}' (U+{ord(char):04X}) is not in font "
                   f"{family.name} ({file.name}){others}",
                   "replace the character, or use a layout whose fonts cover it", column)


def locate(char: str, path: Path, line: int | None) -> tuple[int | None, int | None]:
    """The line and column of the first ``char`` in ``path`` on or after ``line`` (the line a
    block starts on); ``line`` and no column when it is not found there."""
    if line is None:
        return None, None
    lines = _text_lines(path)
    for number in range(line, min(len(lines), line + 200) + 1):
        column = lines[number - 1].find(char)
        if column >= 0:
            return number, column + 1
    return line, None


def _text_lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []


def limited(problems: list[Problem], source: Path) -> list[Problem]:
    """``problems`` sorted top to bottom, the paper's before the layout's, each character once
    (where it first appears), cut to ``MAX_GLYPH_PROBLEMS`` with a count of the rest."""
    ordered = sorted(problems, key=lambda p: (p.path != source, str(p.path), p.line or 0,
                                              p.column or 0))
    firsts: dict[tuple[str, str], Problem] = {}
    for problem in ordered:  # "character 'X' (U+0058)" and the file: once each
        firsts.setdefault((problem.message.partition(" is not")[0], str(problem.path)), problem)
    ordered = list(firsts.values())
    if len(ordered) <= MAX_GLYPH_PROBLEMS:
        return ordered
    more = len(ordered) - MAX_GLYPH_PROBLEMS
    return [*ordered[:MAX_GLYPH_PROBLEMS],
            Problem(source, None, f"{more} more missing characters not shown",
                    "fix the ones above and run again")]


def glyph_problems(document: Document, layout: Layout) -> list[Problem]:
    """Each character the PDF would draw in a face that, with its fallback fonts, lacks it
    (once per character, where it first appears): it would print as an empty box, so it is an
    error before anything renders."""
    problems: list[Problem] = []
    for drawn in drawn_texts(document, layout):
        family = drawn.face.family(layout)
        missing = FontChain.of(family, drawn.face.bold, drawn.face.italic).missing(drawn.text)
        for char in sorted(missing):
            problems.append(missing_glyph(char, family, drawn.face.file(layout),
                                          drawn.where or document.source, drawn.line))
    return limited(problems, document.source)


def script_fonts(document: Document, layout: Layout) -> list[tuple[str, tuple[str, ...]]]:
    """Each script the outputs draw (letters, and symbols; not digits or punctuation) with the
    font families that draw it, in the order they first appear."""
    found: dict[str, dict[str, None]] = {}
    for drawn in drawn_texts(document, layout):
        chain = FontChain.of(drawn.face.family(layout), drawn.face.bold, drawn.face.italic)
        for piece, index in chain.runs(drawn.text):
            if index is None:
                continue
            for char in dict.fromkeys(piece):
                script = script_of(char)
                if script != "Common":
                    found.setdefault(script, {})[chain.families[index].name] = None
    return [(script, tuple(families)) for script, families in found.items()]


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
    if meta.toc:  # the contents page: its label, and each heading's page number
        yield DrawnText(layout.labels.contents, _HEADING_BOLD, None, layout_file)
        yield DrawnText(DIGITS, _BODY, lines.get("toc"))
    yield from _blocks(document.blocks, layout, depth=0, italic=False)
    yield from _blocks(acronym_blocks(document, layout), layout, depth=0, italic=False)
    if document.footnotes:
        # Each reference's number (raised, in the text's face) and the notes at the page foot.
        yield DrawnText(DIGITS, _BODY, document.footnotes[0].line)
        for note in document.footnotes:
            yield from _blocks(note.paragraphs, layout, depth=0, italic=False)
    if document.sources:
        yield DrawnText(layout.labels.sources, _HEADING_BOLD, None, layout_file)
        yield from _blocks(source_paragraphs(document), layout, depth=0, italic=False)
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
                numbers = range(block.start, block.start + len(block.items))
                yield DrawnText("".join(list_marker(block.ordered, depth, n) for n in numbers),
                                _BODY, block.line)
                for item in block.items:
                    yield from _blocks(item.blocks, layout, depth + 1, italic)
            case Quote():
                yield from _blocks(block.blocks, layout, depth, italic=True)
            case CodeBlock():
                yield DrawnText(block.text.replace("\t", " "), Face("mono"), block.line)
            case Table():
                if block.caption:
                    yield DrawnText(layout.labels.table.format(n="") + DIGITS,
                                    Face("body", True, CAPTION_ITALIC), None, layout.files[0])
                yield from _inlines(block.caption, "body", block.line, bold=False,
                                   italic=CAPTION_ITALIC)
                for cell in block.header:
                    yield from _inlines(cell, "body", block.line, bold=True, italic=False)
                for row in block.rows:
                    for cell in row:
                        yield from _inlines(cell, "body", block.line, bold=False,
                                            italic=False)
            case Figure():
                yield DrawnText(layout.labels.figure.format(n="") + DIGITS,
                                Face("body", True, CAPTION_ITALIC), None, layout.files[0])
                yield DrawnText(block.caption, Face("body", False, CAPTION_ITALIC), block.line)
            case KeyPoints():
                yield DrawnText(block.title, _HEADING_BOLD, block.line)
                yield DrawnText(BULLETS[0], _BODY, block.line)
                for point in block.points:
                    if point.headline:
                        yield DrawnText(point.headline, _BODY_BOLD, point.line)
                    yield from _inlines(point.inlines, "body", point.line, bold=False,
                                        italic=False)
                    yield from _blocks(point.details, layout, 1, italic)
            case DefinitionList():
                for term in block.items:
                    yield from _inlines(term.term, "body", term.line, bold=True, italic=italic)
                    for definition in term.definitions:
                        yield from _blocks(definition, layout, depth + 1, italic)
            case Rule() | PageBreak():
                pass  # a line or a new page, no text
            case _:
                assert_never(block)


def _inlines(inlines: Inlines, role: str, line: int, *, bold: bool,
             italic: bool) -> Iterator[DrawnText]:
    for span in spans(inlines):
        face = Face("mono" if span.code else role, bold or span.bold, italic or span.italic)
        yield DrawnText(span.text, face, line)
