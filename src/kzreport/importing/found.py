"""What an import finds in a foreign document, and the one walk to model inlines."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TypeVar, assert_never

from kzreport.model import (
    LINK_SCHEMES,
    Citation,
    CrossRef,
    Footnote,
    FootnoteRef,
    Inline,
    Inlines,
    LineBreak,
    Paragraph,
    Script,
    Span,
    merge_spans,
)
from kzreport.records import record
from kzreport.source_checks import ILLEGAL_CHARS

_T = TypeVar("_T")
#: Receives one warning message about the paragraph being converted.
Warn = Callable[[str], None]


@record
class Run:
    """A run of text as the document formats it; ``strike`` and ``vertical`` (``"super"`` or
    ``"sub"``) are what Word says, whether or not the source can hold them."""

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    href: str | None = None
    #: A link to a bookmark inside the document.
    anchor: str | None = None
    strike: bool = False
    vertical: str | None = None


@record
class Break:
    """A line break inside a paragraph."""


@record
class PageBreak:
    """A page break inside or before a paragraph."""


@record
class Note:
    """A footnote or endnote, with the text of its paragraphs."""

    kind: str
    paragraphs: tuple[tuple[Found, ...], ...]
    #: The source's label, when the brief carried it (a bookmark on the reference).
    label: str = ""


@record
class Kept:
    """Text of something the source cannot hold (an equation, a symbol, a field, a text box):
    its text stays, and ``what`` is the warning."""

    text: str
    what: str


Found = Run | Break | PageBreak | Note | Kept


@record
class Image:
    """A picture in the text: its part name (None when linked, not embedded) and descriptions."""

    part: str | None
    alt: str
    title: str


# ---------------------------------------------------------------- found text to model inlines


class Notes:
    """The footnotes met while converting a document's text, in the order met: a reference
    is a note of its own, as in the source (``renumbered`` puts them in reading order)."""

    def __init__(self) -> None:
        self.notes: list[Footnote] = []

    def refer(self, note: Note, warn: Warn) -> FootnoteRef | None:
        """A reference to ``note`` (its paragraphs kept), or None for a note without text."""
        if note.kind != "footnote":
            warn(f"{note.kind} '{_words(_note_text(note))}' made a footnote — the source has "
                 "footnotes only")
        paragraphs = tuple(Paragraph(inlines, 0) for p in note.paragraphs
                           if (inlines := model_inlines(p, warn)))
        if not paragraphs:
            warn(f"an empty {note.kind} left out")
            return None
        self.notes.append(Footnote(len(self.notes) + 1, note.label, paragraphs, 0))
        return FootnoteRef(len(self.notes))


def model_inlines(found: Sequence[Found], warn: Warn, notes: Notes | None = None) -> Inlines:
    """``found`` as model inlines, in the form a parser of the written source gives back;
    footnotes go to ``notes`` (without it, as in a footnote's own text, their text is kept in
    parentheses). Links to bookmarks keep the bookmark's name (``#name``) until the headings'
    identifiers are known."""
    out: list[Inline] = []
    for item in found:
        match item:
            case Run():
                script: Script = "super" if item.vertical == "super" else \
                    "sub" if item.vertical == "sub" else None
                if script is not None and item.code:
                    warn(f"{script}script '{_words(item.text)}' kept as ordinary code — the "
                         f"source has no {script}script in code")
                    script = None
                href = item.href
                if item.anchor is not None:
                    href = "#" + item.anchor
                elif href is not None and not _web_link(href):
                    warn(f"link to '{href[:80]}' kept as plain text — only http, https and "
                         "mailto addresses can be links")
                    href = None
                out.append(Span(item.text, item.bold, item.italic, item.code, href, item.strike,
                                script))
            case Break():
                out.append(LineBreak())
            case PageBreak():
                warn("page break inside a line of text left out — the source breaks pages "
                     "between paragraphs")
            case Note():
                reference = notes.refer(item, warn) if notes is not None else None
                if reference is not None:
                    out.append(reference)
                elif notes is None and (text := _note_text(item)):
                    warn(f"{item.kind} '{_words(text)}' inside a note kept in parentheses — a "
                         "footnote holds no notes")
                    out.append(Span(f" ({text})"))
            case Kept():
                warn(item.what)
                out.append(Span(item.text))
            case _:
                assert_never(item)
    return tidy(out)


def _note_text(note: Note) -> str:
    return " ".join(_plain(p) for p in note.paragraphs).strip()


def _plain(found: Sequence[Found]) -> str:
    """The text of ``found`` as one line (the text of a note's paragraph)."""
    parts: list[str] = []
    for item in found:
        match item:
            case Run() | Kept():
                parts.append(item.text)
            case Break():
                parts.append(" ")
            case PageBreak():
                pass  # no text
            case Note():
                parts.append(" (" + " ".join(_plain(p) for p in item.paragraphs) + ")")
            case _:
                assert_never(item)
    return " ".join("".join(parts).split())


def plain_found(found: Sequence[Found]) -> str:
    """The text of ``found``, whitespace collapsed (for titles, bylines, warnings)."""
    return _plain(found)


def _web_link(href: str) -> bool:
    scheme = href.split(":", 1)[0].lower() if ":" in href else ""
    return scheme in LINK_SCHEMES


def normalize_link(href: str) -> str:
    """``href`` as the source's parser stores a link in the text (percent-encoded where it
    must be; front matter links are kept as written)."""
    from markdown_it.common.normalize_url import normalizeLink

    if href.startswith("#"):  # a heading's identifier, kept as text
        return href
    return str(normalizeLink(href.strip()))


def with_normalized_links(value: _T) -> _T:
    """``value`` (blocks, nested) with every span's link as the parser will store it."""
    if isinstance(value, Span):
        return dataclasses.replace(value, href=normalize_link(value.href)) \
            if value.href is not None else value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(value, **{
            f.name: with_normalized_links(getattr(value, f.name))
            for f in dataclasses.fields(value) if f.init})
    if isinstance(value, tuple):
        return tuple(with_normalized_links(v) for v in value)  # type: ignore[return-value]
    return value


def _words(text: str, count: int = 6) -> str:
    """The first few words of ``text``, to say where something is."""
    words = text.split()
    return " ".join(words[:count]) + ("…" if len(words) > count else "")


def clean_text(text: str) -> str:
    """``text`` composed (NFC) and without the characters a source may not hold; line and
    paragraph separators become spaces."""
    text = unicodedata.normalize("NFC", text)
    text = re.sub("[\r\n\u2028\u2029\x0b\x0c]", " ", text)
    return ILLEGAL_CHARS.sub("", text)


def tidy(inlines: Sequence[Inline]) -> Inlines:
    """``inlines`` as the source's parser would give them back: clean text, no empty spans,
    neighbours of one formatting joined, bold, italic and strikethrough never starting or
    ending with white space (Markdown cannot say that; a space's weight does not show), no
    white space at the paragraph's ends or around a line break (but in code or a sub- or
    superscript), and no break at either end."""
    spans = [i for i in inlines if isinstance(i, Span)]
    count = 0  # spans seen so far
    pieces: list[Inline] = []
    for item in inlines:
        match item:
            case Span():
                count += 1
                text = clean_text(item.text)
                if item.code or item.script or not (item.bold or item.italic or item.strike):
                    pieces.append(replace(item, text=text))
                    continue
                # White space where bold, italic or strikethrough begins or ends keeps only
                # the formatting that goes on past it (a delimiter cannot stand by a space).
                before = spans[count - 2] if count > 1 else None
                after = spans[count] if count < len(spans) else None
                core = text.strip()
                lead = text[:len(text) - len(text.lstrip())]
                trail = text[len(text.rstrip()):] if core else ""
                pieces += [_kept(replace(item, text=lead), before), replace(item, text=core),
                           _kept(replace(item, text=trail), after)]
            case LineBreak() | FootnoteRef() | CrossRef():
                pieces.append(item)
            case Citation():
                pass  # a marker only, and import never makes one (a brief's are their text)
            case _:
                assert_never(item)
    # White space after a break or at either end of the paragraph does not survive Markdown.
    lines: list[list[Span | FootnoteRef | CrossRef]] = [[]]
    for item in pieces:
        if isinstance(item, LineBreak):
            lines.append([])
        elif not isinstance(item, Citation):
            lines[-1].append(item)
    kept = [_strip_line(line) for line in lines]
    while kept and not kept[0]:
        kept.pop(0)
    while kept and not kept[-1]:
        kept.pop()
    while kept:  # the last line ends with text, never white space (code keeps its spaces)
        last = kept[-1][-1]
        if not isinstance(last, Span) or last.code or last.script:
            break
        if text := last.text.rstrip():
            kept[-1][-1] = replace(last, text=text)
            break
        kept[-1].pop()
        if not kept[-1]:
            kept.pop()
    out: list[Inline] = []
    for n, line in enumerate(kept):
        if n:
            out.append(LineBreak())
        out.extend(line)
    return tuple(out)


def _kept(span: Span, neighbour: Span | None) -> Span:
    """``span`` (white space) with only the bold, italic and strikethrough its ``neighbour``
    goes on with."""
    if neighbour is None:
        return replace(span, bold=False, italic=False, strike=False)
    return replace(span, bold=span.bold and neighbour.bold,
                   italic=span.italic and neighbour.italic,
                   strike=span.strike and neighbour.strike)


_Piece = Span | FootnoteRef | CrossRef


def _strip_line(items: list[_Piece]) -> list[_Piece]:
    """``items`` with spans joined where their formatting agrees, without empty ones or white
    space at the start (code keeps its spaces)."""
    merged = merge_spans(items)
    while merged and isinstance(first := merged[0], Span) and not first.code \
            and not first.script:  # a sub/superscript keeps its (escaped) spaces
        if text := first.text.lstrip():
            merged[0] = replace(first, text=text)
            break
        merged.pop(0)
    return merged
