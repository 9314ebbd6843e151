"""Model text as reportlab paragraph markup, every character checked against its face."""

from __future__ import annotations

from pathlib import Path
from typing import assert_never
from urllib.parse import urlsplit

from reportlab.lib.styles import ParagraphStyle

from kzreport.anchors import bookmark_name
from kzreport.labels import footnote_mark
from kzreport.model import (
    LINK_SCHEMES,
    Citation,
    CrossRef,
    FootnoteRef,
    Inlines,
    LineBreak,
    Span,
    internal_target,
)
from kzreport.renderers._common import xml_attribute, xml_escape, xml_safe
from kzreport.renderers._pdf_styles import GlyphCheck, PdfStyles, Role


def is_linkable(url: str | None) -> bool:
    """Whether ``url`` may become a link annotation: only web and e-mail addresses."""
    return bool(url) and urlsplit(url or "").scheme.lower() in LINK_SCHEMES


#: How the named destination at a footnote's text starts; its number follows.
NOTE_DESTINATION = "kzreport-note-"


def note_destination(number: int) -> str:
    """The named destination at footnote ``number``'s text, which its reference links to."""
    return f"{NOTE_DESTINATION}{number}"


def reference_destination(number: int) -> str:
    """The named destination at footnote ``number``'s reference, which its number links to."""
    return f"kzreport-noteref-{number}"


def _target(span: Span) -> str | None:
    """Where ``span`` links in the PDF: a web or mail address, or ``#`` and a heading's
    bookmark for a link inside the paper."""
    anchor = internal_target(span.href)
    if anchor is not None:
        return "#" + bookmark_name(anchor)
    return span.href if is_linkable(span.href) else None



class Markup:
    """Model text as reportlab paragraph markup: XML-safe and escaped, one explicit face per run,
    and every character checked against the face that will draw it."""

    def __init__(self, styles: PdfStyles, glyphs: GlyphCheck) -> None:
        self.styles = styles
        self.fonts = styles.fonts
        self.glyphs = glyphs
        #: The footnotes referenced by the markup made since ``take_references``.
        self._references: list[int] = []

    def take_references(self) -> list[int]:
        """The numbers of the footnotes referenced since the last call, in order."""
        taken, self._references = self._references, []
        return taken

    def run(self, text: str, font: str, line: int | None, *, size: float | None = None,
            color_hex: str | None = None, where: Path | None = None) -> str:
        """``text`` set in face ``font`` (optionally resized and recoloured), each character
        its face lacks in the first of the face's fallback fonts that has it."""
        text = xml_safe(text)
        self.glyphs.check(text, font, line, where)
        extra = ""
        if size is not None:
            extra += f' size="{size:.2f}"'
        if color_hex is not None:
            extra += f' color="#{color_hex}"'
        if not self.fonts.lacking(font, text):
            return f'<font face="{font}"{extra}>{xml_escape(text)}</font>'
        return "".join(f'<font face="{self.fonts.fallback(font, index or 0)}"{extra}>'
                       f"{xml_escape(piece)}</font>"
                       for piece, index in self.fonts.chain(font).runs(text))

    def inlines(self, inlines: Inlines, style: ParagraphStyle, role: Role, line: int | None, *,
                bold: bool = False, italic: bool = False) -> str:
        """A paragraph's runs: bold, italic, code, strikethrough, raised and lowered text, line
        breaks, links to web/mail addresses and to headings, and footnote references (the
        number, raised, linking to the note, with a destination the note links back to)."""
        layout = self.styles.layout
        # Monospace looks larger than text of the same size; keep the layout's code/body ratio.
        code_size = style.fontSize * layout.sizes.code / layout.sizes.body
        parts: list[str] = []
        open_link: str | None = None
        for item in inlines:
            match item:
                case LineBreak():
                    parts.append("<br/>")
                case FootnoteRef():
                    if open_link is not None:
                        parts.append("</a>")
                        open_link = None
                    self._references.append(item.number)
                    mark = self.run(footnote_mark(item.number), self.fonts.name("body"), line)
                    parts.append(f'<a name="{reference_destination(item.number)}"/>'
                                 f'<a href="#{note_destination(item.number)}" '
                                 f'color="{self.styles.link_color}"><super>{mark}</super></a>')
                case Citation():
                    pass  # a marker: the formatted citation follows as spans or a note
                case Span() | CrossRef():
                    if isinstance(item, CrossRef):  # a link to the label's destination
                        item = Span(item.text or item.number, bold=bold, italic=italic,
                                    href=f"#{item.target}")
                    href = _target(item)
                    if href != open_link:
                        if open_link is not None:
                            parts.append("</a>")
                        if href is not None:
                            parts.append(f"<a href={xml_attribute(xml_safe(href))} "
                                         f'color="{self.styles.link_color}">')
                        open_link = href
                    font = self.fonts.name("mono" if item.code else role, bold or item.bold,
                                           italic or item.italic)
                    text = self.run(item.text, font, line, size=code_size if item.code else None)
                    if item.script is not None:
                        text = f"<{item.script}>{text}</{item.script}>"
                    parts.append(f"<strike>{text}</strike>" if item.strike else text)
                case _:
                    assert_never(item)
        if open_link is not None:
            parts.append("</a>")
        return "".join(parts)
