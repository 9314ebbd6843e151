"""PDF pages: banners, running header and footer, and the reproducible tagged build."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import reportlab
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Frame, PageTemplate
from reportlab.platypus import Paragraph as PdfParagraph
from reportlab.platypus.doctemplate import BaseDocTemplate
from reportlab.platypus.doctemplate import LayoutError as PlatypusLayoutError

from kzreport import __version__
from kzreport.errors import Problem, RenderError
from kzreport.glyphs import page_label_characters
from kzreport.labels import author_names, fill_label, page_label
from kzreport.layout import Layout, MarkingStyle
from kzreport.model import Document
from kzreport.renderers._common import build_timestamp, on_landscape_pages, xml_safe
from kzreport.renderers._pdf_bidi import BidiParagraph, draw_line, needs_bidi
from kzreport.renderers._pdf_canvas import TaggingCanvas
from kzreport.renderers._pdf_markup import Markup
from kzreport.renderers._pdf_metadata import DocumentInfo
from kzreport.renderers._pdf_notes import NotesFrame, PageNotes
from kzreport.renderers._pdf_story import LANDSCAPE_PAGES, LATER_PAGES, StoryBuilder
from kzreport.renderers._pdf_structure import StructureTree
from kzreport.renderers._pdf_styles import GlyphCheck, PdfFonts, PdfStyles, color
from kzreport.renderers._proportions import (
    FOOTER_GAP,
    FURNITURE_DISTANCE,
    NOTE_RULE,
    NOTES_MAX_SHARE,
)
from kzreport.renderers._reportlab_internals import fix_creation_time
from kzreport.scripts import has_rtl, is_rtl_language

#: Clear space between the header or footer and the body, in body sizes.
FURNITURE_CLEARANCE = 1.0
#: A marking banner's height, in multiples of its text size.
BANNER_HEIGHT = 2.0
#: The body must keep at least this share of the page height; a longer footer is an error.
MIN_BODY_SHARE = 0.35


class PageFurniture:
    """What surrounds the body on every page, measured before layout so that the body frames
    leave room for all of it: marking banners, the running header (from page 2), and the
    footer with the rule, the disclaimer and "Page X of Y"."""

    def __init__(self, document: Document, layout: Layout, styles: PdfStyles,
                 markup: Markup) -> None:
        page, sizes = layout.page, layout.sizes
        self.layout = layout
        self.styles = styles
        fonts = self.fonts = styles.fonts
        lines = document.lines
        layout_file = layout.files[0]
        self.page_width, self.page_height = page.width, page.height
        self.frame_x = page.margin_left
        self.frame_width = page.width - page.margin_left - page.margin_right
        self.text_style = styles.furniture
        self.rule = styles.metrics.hairline
        gap = FOOTER_GAP * sizes.small
        line_height = self.text_style.leading
        clearance = FURNITURE_CLEARANCE * sizes.body

        # Marking banners, full width at the very top and bottom of the page.
        self.marking = document.meta.marking
        self.banner_font = fonts.name("heading", True)
        self.banner_size = sizes.caption
        self.banner_height = 0.0
        self.banner_style: MarkingStyle | None = None
        if self.marking:
            self.banner_style = layout.marking_style(self.marking)
            if self.banner_style is None:
                raise RenderError([Problem(document.source, lines.get("marking"),
                                           f"marking '{self.marking}' has no banner colour in "
                                           f"layout '{layout.name}'",
                                           "start it with one of: " + ", ".join(layout.markings))])
            self.banner_height = BANNER_HEIGHT * self.banner_size
            markup.glyphs.check(self.marking, self.banner_font, lines.get("marking"))

        # Footer: rule, disclaimer wrapped to the frame width, page number. Measured here so
        # the body's frame ends above it on every page, however long the disclaimer is.
        self.disclaimer: Any = None
        disclaimer_height = 0.0
        if document.meta.disclaimer:
            text = markup.run(document.meta.disclaimer, self.text_style.fontName,
                              lines.get("disclaimer"))
            kind = BidiParagraph if needs_bidi(text, self.text_style) else PdfParagraph
            self.disclaimer = kind(text, self.text_style)
            disclaimer_height = self.disclaimer.wrap(self.frame_width, page.height)[1] + gap
        self.page_font = self.text_style.fontName
        markup.glyphs.check(page_label_characters(layout), self.page_font, None, layout_file)
        self.footer_bottom = self.banner_height + FURNITURE_DISTANCE * page.margin_bottom
        self.footer_height = self.rule + gap + disclaimer_height + line_height
        #: The page number's baseline: below the rule and the disclaimer, its ascent down.
        self.number_baseline = (self.footer_bottom + self.footer_height - self.rule - gap
                                - disclaimer_height
                                - pdfmetrics.getAscentDescent(self.page_font,
                                                              self.text_style.fontSize)[0])
        body_bottom = max(page.margin_bottom,
                          self.footer_bottom + self.footer_height + clearance)

        # Running header from page 2: the layout's label, a rule beneath.
        self.header_text = xml_safe(fill_label(layout.labels.running_header, document, layout))
        self.header_text = self._fit(self.header_text, self.page_font, sizes.small,
                                     self.frame_width, fonts)
        markup.glyphs.check(self.header_text, self.page_font, lines.get("title"))
        self.header_top = page.height - self.banner_height - FURNITURE_DISTANCE * page.margin_top
        header_height = line_height + gap + self.rule if self.header_text else 0.0
        later_top = min(page.height - page.margin_top,
                        self.header_top - header_height - clearance)
        first_top = min(page.height - page.margin_top,
                        page.height - self.banner_height - clearance)

        self.first_frame = (self.frame_x, body_bottom, self.frame_width, first_top - body_bottom)
        self.later_frame = (self.frame_x, body_bottom, self.frame_width, later_top - body_bottom)
        self.frame_height = min(first_top, later_top) - body_bottom
        if self.frame_height < MIN_BODY_SHARE * page.height:
            raise RenderError([Problem(document.source, lines.get("disclaimer"),
                                       "the page footer and banners leave too little room for "
                                       "the text", "shorten the disclaimer")])

    @staticmethod
    def _fit(text: str, font: str, size: float, width: float, fonts: PdfFonts) -> str:
        """``text``, cut at a word and ended with an ellipsis if it is wider than ``width``."""
        if pdfmetrics.stringWidth(text, font, size) <= width:
            return text
        # Three dots where the face has no ellipsis: the cut must not print an empty box.
        ellipsis = "…" if fonts.has_glyph(font, "…") else "..."
        words = text.split()
        while words and pdfmetrics.stringWidth(" ".join(words) + ellipsis, font, size) > width:
            words.pop()
        return " ".join(words) + ellipsis

    def draw(self, canvas: TaggingCanvas, page: int) -> None:
        """Draw page ``page``'s furniture, all of it pagination artifacts. Its page number
        ("Page 2 of 7") is a form XObject named ``page_number_form(page)``, which
        ``draw_page_number`` fills in once the page count is known."""
        canvas.saveState()
        if self.banner_style is not None:
            with canvas.artifact("Pagination"):
                self._banner(canvas, self.page_height - self.banner_height, self.banner_style)
                self._banner(canvas, 0.0, self.banner_style)
        size, muted = self.text_style.fontSize, color(self.layout.colors.muted)
        rule_color = color(self.layout.colors.rule)
        left, right = self.frame_x, self.frame_x + self.frame_width
        gap = FOOTER_GAP * self.layout.sizes.small
        ascent = pdfmetrics.getAscentDescent(self.page_font, size)[0]
        if page > 1 and self.header_text:
            with canvas.artifact("Pagination", "Header"):
                baseline = self.header_top - ascent
                canvas.setFillColor(muted)
                # A right-to-left paper's header starts at the right, as its lines do.
                self._text(canvas, right if self.styles.rtl else left, baseline,
                           self.header_text, self.page_font, size, float(self.styles.rtl))
                rule_y = self.header_top - self.text_style.leading - gap
                self._rule(canvas, left, right, rule_y, rule_color)
        with canvas.artifact("Pagination", "Footer"):
            top = self.footer_bottom + self.footer_height
            self._rule(canvas, left, right, top - self.rule / 2, rule_color)
            if self.disclaimer is not None:
                _, height = self.disclaimer.wrapOn(canvas, self.frame_width, self.page_height)
                self.disclaimer.drawOn(canvas, left, top - self.rule - gap - height)
            canvas.doForm(page_number_form(page))
        canvas.restoreState()

    def note_rule(self, canvas: Any, x: float, y: float) -> None:
        """The short rule above a page's footnotes (an artifact, as every rule)."""
        canvas.saveState()
        self._rule(canvas, x, x + NOTE_RULE * self.frame_width, y,
                   color(self.layout.colors.rule))
        canvas.restoreState()

    def draw_page_number(self, canvas: Any, page: int, pages: int) -> None:
        """Draw "Page ``page`` of ``pages``", right-aligned in the footer (into the page's
        form XObject; see ``draw``)."""
        canvas.setFillColor(color(self.layout.colors.muted))
        # At the end of the line: the right, or the left in a right-to-left paper.
        rtl = self.styles.rtl
        self._text(canvas, self.frame_x + (0 if rtl else self.frame_width), self.number_baseline,
                   page_label(self.layout, page, pages), self.page_font,
                   self.text_style.fontSize, 0 if rtl else 1)

    def _text(self, canvas: Any, x: float, baseline: float, text: str, font: str, size: float,
              anchor: float) -> None:
        """Draw one line of ``text`` in ``font`` starting (``anchor`` 0), centred (0.5) or
        ending (1) at ``x``, the characters ``font`` lacks in its fallback fonts."""
        rtl = self.styles.rtl
        if rtl or has_rtl(text):
            runs = [(piece, self.fonts.fallback(font, index or 0))
                    for piece, index in self.fonts.chain(font).runs(text)]
            draw_line(canvas, x, baseline, runs, size, anchor, rtl)
            return
        if not self.fonts.lacking(font, text):
            canvas.setFont(font, size)
            draw = {0: canvas.drawString, 0.5: canvas.drawCentredString}.get(
                anchor, canvas.drawRightString)
            draw(x, baseline, text)
            return
        pieces = [(piece, self.fonts.fallback(font, index or 0))
                  for piece, index in self.fonts.chain(font).runs(text)]
        x -= anchor * sum(self.fonts.width(piece, face, size) for piece, face in pieces)
        for piece, face in pieces:
            canvas.setFont(face, size)
            canvas.drawString(x, baseline, piece)
            x += self.fonts.width(piece, face, size)

    def _rule(self, canvas: Any, left: float, right: float, y: float, rule_color: Any) -> None:
        canvas.setStrokeColor(rule_color)
        canvas.setLineWidth(self.rule)
        canvas.line(left, y, right, y)

    def _banner(self, canvas: Any, bottom: float, style: MarkingStyle) -> None:
        canvas.setFillColor(color(style.background))
        canvas.rect(0, bottom, self.page_width, self.banner_height, stroke=0, fill=1)
        ascent, descent = pdfmetrics.getAscentDescent(self.banner_font, self.banner_size)
        canvas.setFillColor(color(style.text))
        # Centre the text's ink box, not its baseline, in the band.
        baseline = bottom + self.banner_height / 2 - (ascent + descent) / 2
        self._text(canvas, self.page_width / 2, baseline, xml_safe(self.marking or ""),
                   self.banner_font, self.banner_size, 0.5)


def page_number_form(page: int) -> str:
    """The name of the form XObject that shows page ``page``'s number."""
    return f"kzPageNumber{page}"


class ReportCanvas(TaggingCanvas):
    """The tagged canvas that ends each page with its furniture and stamps a fixed creation
    time. "Page 2 of 7" needs the page count before it is known: each page shows a form
    XObject that ``save`` fills in, so the document is laid out only once."""

    def __init__(self, *args: Any, furniture: PageFurniture, notes: PageNotes,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._furniture = furniture
        self._notes = notes
        self.pages_shown = 0
        #: The furniture of each page shown (a landscape page has its own), by page number.
        self.furniture_of: dict[int, PageFurniture] = {}
        # invariant=1 fixes the document /ID; the dates come from the build timestamp (the
        # paper's date, or SOURCE_DATE_EPOCH), in UTC, whatever the clock and time zone.
        fix_creation_time(self, self.info.created)

    def showPage(self) -> None:
        self.pages_shown += 1
        # The page's footnotes after its text; the furniture last, so text extraction meets
        # the body first.
        self._notes.draw(self, self.pages_shown, self._furniture.note_rule)
        self._furniture.draw(self, self.pages_shown)
        self.furniture_of[self.pages_shown] = self._furniture
        super().showPage()

    def use_furniture(self, furniture: PageFurniture) -> None:
        """Give the page being begun ``furniture`` (its page template's)."""
        self._furniture = furniture

    def save(self) -> None:
        self.show_pending_page()
        while self._notes.pending():  # a long last note continues on pages of its own
            self._notes.begin_page(self.pages_shown + 1, self, only_notes=True)
            self.showPage()
        for page in range(1, self.pages_shown + 1):
            furniture = self.furniture_of[page]
            # The form's box is its own page's (a landscape page is wider than the last one).
            self.beginForm(page_number_form(page), 0, 0, furniture.page_width,
                           furniture.page_height)
            with self.inside_marked_content():  # the form is shown in its page's footer artifact
                furniture.draw_page_number(self, page, self.pages_shown)
            self.endForm()
        super().save()


def write_pdf(document: Document, layout: Layout, path: Path) -> list[Problem]:
    """Render ``document`` styled by ``layout`` as a tagged PDF at ``path``."""
    fonts = PdfFonts(layout)
    styles = PdfStyles(layout, fonts, rtl=is_rtl_language(document.meta.language))
    glyphs = GlyphCheck(fonts, document.source)
    markup = Markup(styles, glyphs)
    furniture = PageFurniture(document, layout, styles, markup)
    meta = document.meta
    info = DocumentInfo(
        title=xml_safe(meta.title),
        authors=tuple(xml_safe(a.name) for a in meta.authors),
        subject=xml_safe(meta.summary or meta.title),
        keywords=tuple(xml_safe(k) for k in meta.keywords),
        language=meta.language,
        creator=f"kzreport {__version__}",
        producer=f"kzreport {__version__} (ReportLab {reportlab.Version})",
        created=build_timestamp(document),
    )
    pages: dict[str, int] | None = None
    if document.meta.toc:  # laid out once to learn the pages the contents list
        pages = _lay_out(io.BytesIO(), document, layout, styles, markup, furniture, info,
                         {}, glyphs).heading_pages
    canvas = _lay_out(str(path), document, layout, styles, markup, furniture, info, pages,
                      glyphs)
    return [Problem(document.source, None, f"the PDF does not claim PDF/UA: {problem}",
                    severity="warning") for problem in canvas.pdfua_problems]


def _lay_out(target: Any, document: Document, layout: Layout, styles: PdfStyles,
             markup: Markup, furniture: PageFurniture, info: DocumentInfo,
             pages: dict[str, int] | None, glyphs: GlyphCheck) -> ReportCanvas:
    """Build the story and lay it out into ``target``; the canvas that saved it. ``pages``
    are the contents' page numbers (empty: a placeholder for each, one line either way)."""
    tree = StructureTree()
    # A portrait paper's wide tables go on landscape pages with furniture of their own.
    turned = PageFurniture(document, replace(layout, page=layout.page.landscape()), styles,
                           markup) if any(on_landscape_pages(document.blocks, layout)) else None
    builder = StoryBuilder(document, layout, styles, markup, furniture.frame_width,
                           furniture.frame_height, tree, pages,
                           turned.later_frame[2:] if turned is not None else None)
    story = builder.story()
    x, bottom, width, _ = furniture.later_frame
    notes = PageNotes(x, bottom, width, NOTES_MAX_SHARE * furniture.frame_height,
                      2 * styles.metrics.item_gap + styles.metrics.hairline,
                      furniture.frame_height)
    notes.flowables = builder.notes
    # Every character is checked before anything is drawn: a missing glyph is an error, never
    # an empty box in the output.
    glyphs.raise_if_any()
    made: list[ReportCanvas] = []

    def canvasmaker(*args: Any, **kwargs: Any) -> ReportCanvas:
        made.append(ReportCanvas(*args, tree=tree, info=info, furniture=furniture, notes=notes,
                                 **kwargs))
        return made[-1]

    _build(_template(target, document, layout, styles.fonts, (furniture, turned), info, notes),
           story, canvasmaker, document)
    return made[-1]


def _template(target: Any, document: Document, layout: Layout, fonts: PdfFonts,
              furnitures: tuple[PageFurniture, PageFurniture | None], info: DocumentInfo,
              notes: PageNotes) -> Any:
    """The document template, its pages framed clear of the furniture: the first page, the
    later ones and, for a portrait paper's wide tables, landscape ones."""
    furniture, turned = furnitures
    page = layout.page
    template = BaseDocTemplate(
        target,
        pagesize=(page.width, page.height),
        leftMargin=page.margin_left, rightMargin=page.margin_right,
        topMargin=page.margin_top, bottomMargin=page.margin_bottom,
        title=info.title,
        author=xml_safe(author_names(document)),
        subject=info.subject,
        keywords=list(info.keywords),
        creator=info.creator,
        producer=info.producer,
        lang=info.language,
        displayDocTitle=1,
        # reportlab's default initial font is Helvetica, which would be the one font not
        # embedded; an embedded TrueType face as the initial font keeps every font embedded.
        initialFontName=fonts.name("body"),
        initialFontSize=layout.sizes.body,
        invariant=1,
        pageCompression=1,
    )

    def furnished(chosen: PageFurniture) -> Any:
        return lambda canvas, _document: canvas.use_furniture(chosen)

    templates = [
        PageTemplate("first", [_frame("first", *furniture.first_frame, notes=notes)],
                     autoNextPageTemplate=LATER_PAGES, onPage=furnished(furniture)),
        PageTemplate(LATER_PAGES, [_frame(LATER_PAGES, *furniture.later_frame, notes=notes)],
                     onPage=furnished(furniture)),
    ]
    if turned is not None:
        templates.append(PageTemplate(
            LANDSCAPE_PAGES, [_frame(LANDSCAPE_PAGES, *turned.later_frame, notes=notes)],
            pagesize=(turned.page_width, turned.page_height), onPage=furnished(turned),
            autoNextPageTemplate=LANDSCAPE_PAGES))
    template.addPageTemplates(templates)
    return template


def _build(template: Any, story: list[Any], canvasmaker: Any, document: Document) -> None:
    try:
        template.build(story, canvasmaker=canvasmaker)
    except PlatypusLayoutError as exc:
        raise RenderError([Problem(document.source, None,
                                   f"cannot lay out the PDF: {_too_large(str(exc))}",
                                   "split the oversized table, figure or code block, or "
                                   "shorten the title block's authors and affiliations")]
                          ) from None


#: What reportlab's flowable classes are, in the words of the paper.
_FLOWABLE_KINDS = {"Table": "a table (or the title block)", "TaggedParagraph": "a paragraph",
                   "TaggedImage": "a figure"}


def _too_large(message: str) -> str:
    """reportlab's layout error, without its object addresses (which would make the message
    differ from run to run) and naming what is too large in the paper's terms."""
    kind = re.search(r"Flowable <(\w+)", message)
    page = re.search(r"on page (\d+)", message)
    if kind and page:
        what = _FLOWABLE_KINDS.get(kind.group(1), f"a {kind.group(1)}")
        return f"{what} is too large to fit on page {page.group(1)}"
    return re.sub(r"\s*(at )?0x[0-9A-Fa-f]+", "", message)


def _frame(name: str, x: float, y: float, width: float, height: float,
           notes: PageNotes) -> Any:
    # No padding: the frame is exactly the body area the furniture leaves free; a paper's
    # footnotes take room at its foot (a paper without any has plain frames).
    if not notes.flowables:
        return Frame(x, y, width, height, leftPadding=0, rightPadding=0, topPadding=0,
                     bottomPadding=0, id=name)
    return NotesFrame(x, y, width, height, leftPadding=0, rightPadding=0, topPadding=0,
                      bottomPadding=0, id=name, notes=notes)
