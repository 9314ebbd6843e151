"""What an import finds in a foreign document, and the one walk to model inlines."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar, assert_never

from kzreport.model import LINK_SCHEMES, Inline, Inlines, LineBreak, Span
from kzreport.source_checks import ILLEGAL_CHARS

_T = TypeVar("_T")
#: Receives one warning message about the paragraph being converted.
Warn = Callable[[str], None]


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class Break:
    """A line break inside a paragraph."""


@dataclass(frozen=True)
class PageBreak:
    """A page break inside or before a paragraph."""


@dataclass(frozen=True)
class Note:
    """A footnote or endnote, with the text of its paragraphs."""

    kind: str
    paragraphs: tuple[tuple[Found, ...], ...]


@dataclass(frozen=True)
class Kept:
    """Text of something the source cannot hold (an equation, a symbol, a field, a text box):
    its text stays, and ``what`` is the warning."""

    text: str
    what: str


Found = Run | Break | PageBreak | Note | Kept


@dataclass(frozen=True)
class Image:
    """A picture in the text: its part name (None when linked, not embedded) and descriptions."""

    part: str | None
    alt: str
    title: str


# ---------------------------------------------------------------- found text to model inlines

#: Issue 17 brings strikethrough, sub/superscript, footnotes, internal links and page breaks
#: to the model; until then each is kept as plain text (or left out, for a page break) and
#: warned about, in the one ``match`` below.
_UNTIL_SOURCE_HAS = "the source format has no {} yet"


def model_inlines(found: Sequence[Found], warn: Warn) -> Inlines:
    """``found`` as model inlines, in the form a parser of the written source gives back."""
    out: list[Inline] = []
    for item in found:
        match item:
            case Run():
                if item.strike:
                    warn(f"strikethrough '{_words(item.text)}' kept as plain text — "
                         + _UNTIL_SOURCE_HAS.format("strikethrough"))
                if item.vertical is not None:
                    warn(f"{item.vertical}script '{_words(item.text)}' kept as ordinary text — "
                         + _UNTIL_SOURCE_HAS.format(f"{item.vertical}script"))
                href = item.href
                if item.anchor is not None:
                    warn(f"link to '{item.anchor}' inside the document kept as plain text — "
                         + _UNTIL_SOURCE_HAS.format("internal links"))
                if href is not None and not _web_link(href):
                    warn(f"link to '{href[:80]}' kept as plain text — only http, https and "
                         "mailto addresses can be links")
                    href = None
                out.append(Span(item.text, item.bold, item.italic, item.code, href))
            case Break():
                out.append(LineBreak())
            case PageBreak():
                warn("page break left out — " + _UNTIL_SOURCE_HAS.format("page breaks"))
            case Note():
                text = " ".join(_plain(p) for p in item.paragraphs).strip()
                warn(f"{item.kind} '{_words(text)}' kept in parentheses where it was referenced "
                     "— " + _UNTIL_SOURCE_HAS.format(f"{item.kind}s"))
                if text:
                    out.append(Span(f" ({text})"))
            case Kept():
                warn(item.what)
                out.append(Span(item.text))
            case _:
                assert_never(item)
    return tidy(out)


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
    neighbours of one formatting joined, bold and italic never starting or ending with white
    space (Markdown cannot say that; a space's weight does not show), no white space at the
    paragraph's ends or around a line break, and no break at either end."""
    spans = [i for i in inlines if isinstance(i, Span)]
    count = 0  # spans seen so far
    pieces: list[Inline] = []
    for item in inlines:
        match item:
            case Span():
                count += 1
                text = clean_text(item.text)
                if item.code or not (item.bold or item.italic):
                    pieces.append(Span(text, item.bold, item.italic, item.code, item.href))
                    continue
                # White space where bold or italic begins or ends keeps only the formatting
                # that goes on past it (a delimiter cannot stand next to a space).
                before = spans[count - 2] if count > 1 else None
                after = spans[count] if count < len(spans) else None
                core = text.strip()
                lead = text[:len(text) - len(text.lstrip())]
                trail = text[len(text.rstrip()):] if core else ""
                pieces += [Span(lead, *_kept(item, before), False, item.href),
                           Span(core, item.bold, item.italic, False, item.href),
                           Span(trail, *_kept(item, after), False, item.href)]
            case LineBreak():
                pieces.append(item)
            case _:
                assert_never(item)
    # White space after a break or at either end of the paragraph does not survive Markdown.
    lines: list[list[Span]] = [[]]
    for item in pieces:
        if isinstance(item, LineBreak):
            lines.append([])
        else:
            lines[-1].append(item)
    kept = [_strip_line(line) for line in lines]
    while kept and not kept[0]:
        kept.pop(0)
    while kept and not kept[-1]:
        kept.pop()
    while kept and not kept[-1][-1].code:  # the first span of a line is never blank
        last = kept[-1][-1]
        if text := last.text.rstrip():
            kept[-1][-1] = Span(text, last.bold, last.italic, False, last.href)
            break
        kept[-1].pop()
    out: list[Inline] = []
    for n, line in enumerate(kept):
        if n:
            out.append(LineBreak())
        out.extend(line)
    return tuple(out)


def _kept(span: Span, neighbour: Span | None) -> tuple[bool, bool]:
    """The bold and italic of ``span`` that its ``neighbour`` goes on with."""
    if neighbour is None:
        return False, False
    return span.bold and neighbour.bold, span.italic and neighbour.italic


def _strip_line(spans: list[Span]) -> list[Span]:
    """``spans`` joined where their formatting agrees, without empty ones or white space at
    the start (code keeps its spaces)."""
    merged: list[Span] = []
    for span in spans:
        if not span.text:
            continue
        last = merged[-1] if merged else None
        if last is not None and (last.bold, last.italic, last.code, last.href) == (
                span.bold, span.italic, span.code, span.href):
            merged[-1] = Span(last.text + span.text, span.bold, span.italic, span.code, span.href)
        else:
            merged.append(span)
    while merged and not merged[0].code and not merged[0].text.strip():
        merged.pop(0)
    if merged and not merged[0].code:
        first = merged[0]
        merged[0] = Span(first.text.lstrip(), first.bold, first.italic, False, first.href)
    return merged
