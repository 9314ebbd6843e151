"""Model text as reportlab paragraph markup, every character checked against its face."""

from __future__ import annotations

from pathlib import Path
from typing import assert_never
from urllib.parse import urlsplit

from reportlab.lib.styles import ParagraphStyle

from kzreport.model import LINK_SCHEMES, Inlines, LineBreak, Span
from kzreport.renderers._common import xml_attribute, xml_escape, xml_safe
from kzreport.renderers._pdf_styles import GlyphCheck, PdfStyles, Role


def is_linkable(url: str | None) -> bool:
    """Whether ``url`` may become a link annotation: only web and e-mail addresses."""
    return bool(url) and urlsplit(url or "").scheme.lower() in LINK_SCHEMES



class Markup:
    """Model text as reportlab paragraph markup: XML-safe and escaped, one explicit face per run,
    and every character checked against the face that will draw it."""

    def __init__(self, styles: PdfStyles, glyphs: GlyphCheck) -> None:
        self.styles = styles
        self.fonts = styles.fonts
        self.glyphs = glyphs

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
        """A paragraph's runs: bold, italic, code, line breaks and links to web/mail addresses."""
        layout = self.styles.layout
        # Monospace looks larger than text of the same size; keep the layout's code/body ratio.
        code_size = style.fontSize * layout.sizes.code / layout.sizes.body
        parts: list[str] = []
        open_link: str | None = None
        for item in inlines:
            match item:
                case LineBreak():
                    parts.append("<br/>")
                case Span():
                    href = item.href if is_linkable(item.href) else None
                    if href != open_link:
                        if open_link is not None:
                            parts.append("</a>")
                        if href is not None:
                            parts.append(f"<a href={xml_attribute(xml_safe(href))} "
                                         f'color="{self.styles.link_color}">')
                        open_link = href
                    font = self.fonts.name("mono" if item.code else role, bold or item.bold,
                                           italic or item.italic)
                    parts.append(self.run(item.text, font, line,
                                          size=code_size if item.code else None))
                case _:
                    assert_never(item)
        if open_link is not None:
            parts.append("</a>")
        return "".join(parts)
