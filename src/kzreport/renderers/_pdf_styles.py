"""PDF fonts, glyph checks and paragraph styles, all derived from the layout (imports reportlab)."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path
from typing import Any, Literal

from reportlab.lib.colors import Color, HexColor
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import TableStyle

from kzreport.assets import drawable
from kzreport.errors import Problem, RenderError
from kzreport.glyphs import limited, missing_glyph
from kzreport.labels import CAPTION_ALIGNMENT, CAPTION_ITALIC
from kzreport.layout import FACE_FIELDS, FontFamily, Layout
from kzreport.renderers._proportions import (
    BYLINE_AFTER,
    CODE_LEADING,
    DISPLAY_LEADING,
    H2_BEFORE,
    H3_BEFORE,
    HEADING_AFTER,
    ITEM_GAP,
    KEY_POINT_GAP,
    LEADING,
    NOTE_INDENT,
    TITLE_AFTER,
    Metrics,
)
from kzreport.scripts import FontChain

Role = Literal["body", "heading", "mono"]
ROLES: tuple[Role, ...] = ("body", "heading", "mono")
#: reportlab's paragraph alignments by the names the model and the proportions use.
ALIGNMENTS = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}

def color(hex_rgb: str) -> Color:
    """A reportlab colour from a layout ``RRGGBB`` string."""
    return HexColor("#" + hex_rgb)


# ---------------------------------------------------------------- fonts


#: What each registered face can show, kept as long as reportlab keeps the registration.
_CHARACTERS: dict[str, frozenset[str]] = {}


class PdfFonts:
    """The layout's three families, each face registered with reportlab when first asked for,
    and each registered face's character map.

    Registering a face parses its whole file in Python (a tenth of a second for a family's
    four), and most papers set two or three of the layout's faces: no code, no italics."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self._names: dict[tuple[Role, bool, bool], str] = {}
        #: Each face's file, role and style by name (the first role when families share files).
        self._faces: dict[str, tuple[Path, Role, str]] = {}
        self._registered: set[str] = set()
        for role in ROLES:
            self._name_family(role, getattr(layout.fonts, role))

    def _name_family(self, role: Role, family: FontFamily) -> None:
        # Names derive from the family's files: identical families (body and heading in the
        # default layout) share one registration and are embedded once, and two layouts with
        # different files never collide in reportlab's process-wide registry.
        files = [family.face(*style) for style in FACE_FIELDS]
        digest = hashlib.sha1("\0".join(str(f) for f in files).encode()).hexdigest()[:12]
        names: dict[str, str] = {}
        for (bold, italic), attr in FACE_FIELDS.items():
            name = f"kzreport-{digest}-{attr}"
            self._faces.setdefault(name, (family.face(bold, italic), role, attr))
            self._names[(role, bold, italic)] = name
            names[attr] = name
        # Only maps names to a family's styles; the faces themselves need not be registered yet.
        pdfmetrics.registerFontFamily(names["regular"], normal=names["regular"],
                                      bold=names["bold"], italic=names["italic"],
                                      boldItalic=names["bold_italic"])

    def name(self, role: Role, bold: bool = False, italic: bool = False) -> str:
        """The registered name of ``role``'s face in that style (registering it now if this is
        its first use: every face reportlab sets comes through here)."""
        name = self._names[(role, bold, italic)]
        if name not in self._registered:
            self._register(name)
        return name

    def _register(self, name: str) -> None:
        path, role, attr = self._faces[name]
        if name not in pdfmetrics.getRegisteredFontNames():
            try:
                pdfmetrics.registerFont(TTFont(name, str(path)))
            except Exception as exc:  # reportlab raises TTFError, OSError, struct.error...
                raise RenderError([Problem(
                    self.layout.files[0], None,
                    f"cannot embed font {path.name} ({role} {attr}): {exc}",
                    "use a static TrueType (.ttf) font with glyf outlines")]) from None
        # reportlab reuses an already registered face of the same PostScript name, so the
        # character map must come from the font it will actually draw with.
        if name not in _CHARACTERS:
            _CHARACTERS[name] = drawable(pdfmetrics.getFont(name).face.charToGlyph.keys())
        self._registered.add(name)

    def chain(self, font: str) -> FontChain:
        """The fallback chain of registered face ``font``: its family's, in its style."""
        _path, role, attr = self._faces[font]
        bold, italic = next(style for style, name in FACE_FIELDS.items() if name == attr)
        return FontChain.of(getattr(self.layout.fonts, role), bold, italic)

    def fallback(self, font: str, index: int) -> str:
        """The registered name of the face that draws, in place of face ``font``, the
        characters its chain gives to font ``index`` (registered on first use: papers that
        need no fallback never load one)."""
        if index == 0:
            return font
        chain = self.chain(font)
        path = chain.files[index]
        name = "kzreport-" + hashlib.sha1(str(path).encode()).hexdigest()[:12]
        if name not in self._faces:
            _path, role, attr = self._faces[font]
            self._faces[name] = (path, role, attr)
        if name not in self._registered:
            self._register(name)
        return name

    def has_glyph(self, font: str, char: str) -> bool:
        """Whether face ``font`` can draw ``char`` (its character map has it)."""
        return char in _CHARACTERS[font]

    def lacking(self, font: str, text: str) -> set[str]:
        """The characters of ``text`` that face ``font`` cannot draw."""
        return set(text).difference(_CHARACTERS[font])

    def missing(self, font: str, text: str) -> set[str]:
        """The characters of ``text`` that neither face ``font`` nor its fallbacks can draw."""
        lacking = self.lacking(font, text)
        return self.chain(font).missing("".join(lacking)) if lacking else lacking

    def face_file(self, font: str) -> tuple[FontFamily, Path]:
        """The layout's family of registered face ``font``, and the file it draws with."""
        path, role, _ = self._faces[font]
        return getattr(self.layout.fonts, role), path

    def width(self, text: str, font: str, size: float) -> float:
        """The advance width of ``text`` set in ``font`` at ``size`` points."""
        return float(pdfmetrics.stringWidth(text, font, size))


class GlyphCheck:
    """Collects every character some face cannot draw, located at its source line: the
    renderer's own check of what ``kzreport.glyphs`` predicted before rendering."""

    def __init__(self, fonts: PdfFonts, source: Path) -> None:
        self.fonts = fonts
        self.source = source
        self.problems: list[Problem] = []
        self._seen: set[tuple[str, str, Path, int | None]] = set()

    def check(self, text: str, font: str, line: int | None, where: Path | None = None) -> None:
        """Record the characters of ``text`` that ``font`` and its fallbacks lack, once per
        character, face and line."""
        path = where or self.source
        for char in sorted(self.fonts.missing(font, text)):
            key = (char, font, path, line)
            if key in self._seen:
                continue
            self._seen.add(key)
            family, file = self.fonts.face_file(font)
            self.problems.append(missing_glyph(char, family, file, path, line))

    def raise_if_any(self) -> None:
        """Fail the build when any character would have printed as an empty box."""
        if self.problems:
            raise RenderError(limited(self.problems, self.source))


# ---------------------------------------------------------------- styles


class PdfStyles:
    """Every paragraph style of the PDF, built from the layout's sizes, colours and fonts."""

    def __init__(self, layout: Layout, fonts: PdfFonts, rtl: bool = False) -> None:
        self.layout = layout
        self.fonts = fonts
        #: Whether the paper runs right to left (its styles then say so, but code's).
        self.rtl = rtl
        self.metrics = Metrics.of(layout)
        sizes, colors, m = layout.sizes, layout.colors, self.metrics
        text, primary, muted = color(colors.text), color(colors.primary), color(colors.muted)
        band_text = color(colors.title_band_text)
        self.body = self._style("body", "body", sizes.body, text, spaceAfter=m.paragraph_gap)
        self.list_item = self._style("list_item", "body", sizes.body, text, spaceAfter=m.item_gap,
                                     bulletColor=primary)
        self.key_point = self._style("key_point", "body", sizes.body, text,
                                     spaceAfter=KEY_POINT_GAP * sizes.body, bulletColor=primary)
        self.key_point_kept = ParagraphStyle("key_point_kept", parent=self.key_point,
                                             keepWithNext=1)
        # The title block sits on the title band, so it takes the band's text colour.
        self.kicker = self._style("kicker", "heading", sizes.caption, color(colors.accent),
                                  bold=True, spaceAfter=BYLINE_AFTER * sizes.body)
        self.title = self._style("title", "heading", sizes.title, band_text, bold=True,
                                 leading=sizes.title * DISPLAY_LEADING,
                                 spaceAfter=TITLE_AFTER * sizes.title)
        self.subtitle = self._style("subtitle", "heading", sizes.subtitle, band_text,
                                    leading=sizes.subtitle * LEADING,
                                    spaceAfter=TITLE_AFTER * sizes.title)
        self.byline = self._style("byline", "body", sizes.byline, band_text,
                                  spaceAfter=BYLINE_AFTER * sizes.body)
        self.dateline = self._style("dateline", "body", sizes.byline, band_text)
        self.heading2 = self._style("heading2", "heading", sizes.heading2, primary, bold=True,
                                    keepWithNext=1, leading=sizes.heading2 * DISPLAY_LEADING,
                                    spaceBefore=H2_BEFORE * sizes.body,
                                    spaceAfter=HEADING_AFTER * sizes.body)
        self.heading3 = self._style("heading3", "heading", sizes.heading3, primary, bold=True,
                                    keepWithNext=1, leading=sizes.heading3 * DISPLAY_LEADING,
                                    spaceBefore=H3_BEFORE * sizes.body,
                                    spaceAfter=HEADING_AFTER * sizes.body)
        self.summary = self._style("summary", "body", sizes.body, text)
        self.caption = self._style("caption", "body", sizes.caption, muted,
                                   italic=CAPTION_ITALIC, alignment=ALIGNMENTS[CAPTION_ALIGNMENT],
                                   spaceBefore=ITEM_GAP * sizes.body, spaceAfter=m.section_gap)
        self.cell = self._style("cell", "body", sizes.body, text)
        self.header_cell = self._style("header_cell", "body", sizes.body,
                                       color(colors.table_header_text), bold=True)
        self.furniture = self._style("furniture", "body", sizes.small, muted)
        # A definition list's term: bold, kept with its definition.
        self.term = self._style("term", "body", sizes.body, text, bold=True, keepWithNext=1,
                                spaceAfter=m.item_gap)
        # A footnote: small text, its number hanging in the indent (see _pdf_notes).
        self.footnote = self._style("footnote", "body", sizes.small, text,
                                    spaceAfter=ITEM_GAP * sizes.small,
                                    leftIndent=NOTE_INDENT * sizes.small, bulletIndent=0)
        self.link_color = "#" + colors.link

    @functools.cached_property
    def code(self) -> ParagraphStyle:
        """The style of code blocks, made when a paper has one: only then is the layout's
        monospaced face registered."""
        colors, sizes, m = self.layout.colors, self.layout.sizes, self.metrics
        # A code block is shaded paragraphs that split across pages line by line; the shading
        # reaches past the text by its padding, so the space around the block makes room for it.
        pad_y = m.code_padding_y
        return self._style("code", "mono", sizes.code, color(colors.text),
                           leading=sizes.code * CODE_LEADING,
                           backColor=color(colors.table_stripe),
                           borderPadding=(pad_y, m.code_padding_x, pad_y, m.code_padding_x),
                           leftIndent=m.code_padding_x, rightIndent=m.code_padding_x,
                           spaceBefore=pad_y + m.item_gap,
                           spaceAfter=pad_y + m.paragraph_gap)

    def _style(self, name: str, role: Role, size: float, text_color: Color, *, bold: bool = False,
               italic: bool = False, leading: float | None = None,
               **extra: Any) -> ParagraphStyle:
        font = self.fonts.name(role, bold, italic)
        settings: dict[str, Any] = {
            "fontName": font,
            "fontSize": size,
            # A script that needs more room between lines (Nastaliq) says so by language.
            "leading": (leading if leading is not None else size * LEADING) * self.layout.leading,
            "textColor": text_color,
            "bulletFontName": self.fonts.name("body"),
            "bulletFontSize": size,
            # A single line alone at the top or bottom of a page reads as a layout error.
            "allowWidows": 0,
            "allowOrphans": 0,
            # A word or URL wider than the column is broken rather than run off the page.
            "splitLongWords": 1,
        }
        if self.rtl and role != "mono":
            # Read by BidiParagraph (see _pdf_bidi.needs_bidi), which sets every paragraph of
            # a right-to-left paper; reportlab's own right-to-left wrapping never sees it.
            settings["wordWrap"] = "RTL"
        settings.update(extra)
        return ParagraphStyle(name, **settings)

    def code_part(self, first: bool, last: bool) -> ParagraphStyle:
        """The code style for one paragraph of a block set in several: only the block's ends
        are padded and spaced, so the parts' shading meets edge to edge."""
        if first and last:
            return self.code
        code, pad_x = self.code, self.metrics.code_padding_x
        pad_top, pad_bottom = (code.borderPadding[0] if first else 0,
                               code.borderPadding[2] if last else 0)
        return ParagraphStyle(f"code_{int(first)}{int(last)}", parent=code,
                              borderPadding=(pad_top, pad_x, pad_bottom, pad_x),
                              spaceBefore=code.spaceBefore if first else 0,
                              spaceAfter=code.spaceAfter if last else 0)

    def sized(self, style: ParagraphStyle, size: float) -> ParagraphStyle:
        """``style`` at ``size`` points, its leading in proportion (a table set smaller)."""
        if size == style.fontSize:
            return style
        return ParagraphStyle(f"{style.name}_{size:g}", parent=style, fontSize=size,
                              leading=style.leading * size / style.fontSize,
                              bulletFontSize=size)

    def aligned(self, style: ParagraphStyle, alignment: str | None) -> ParagraphStyle:
        """``style`` with a table column's alignment (left when the source gives none)."""
        code = ALIGNMENTS.get(alignment or "left", TA_LEFT)
        if code == style.alignment:
            return style
        return ParagraphStyle(f"{style.name}_{alignment}", parent=style, alignment=code)


def table_style(styles: PdfStyles, commands: list[tuple[Any, ...]]) -> Any:
    """``commands`` as a table style that also sets the cells' font: a table's default font is
    Helvetica, which reportlab selects while drawing even when every cell holds a paragraph,
    and which would then be the one font not embedded."""
    style = styles.cell
    return TableStyle([("FONT", (0, 0), (-1, -1), style.fontName, style.fontSize,
                        style.leading), *commands])
