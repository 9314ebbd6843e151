"""The Word brief: python-docx, styled from the layout, with real styles, numbering and fields."""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kzreport.errors import Problem
from kzreport.labels import (
    BULLETS,
    figure_label,
    figure_numbers,
    fill_label,
    headline_separator,
    page_label,
)
from kzreport.layout import Layout
from kzreport.model import (
    Block,
    Blocks,
    CodeBlock,
    Document,
    Figure,
    Heading,
    Inlines,
    KeyPoints,
    LineBreak,
    ListBlock,
    Paragraph,
    Quote,
    Rule,
    Span,
    Table,
)
from kzreport.renderers import _fit as fit
from kzreport.renderers import register
from kzreport.renderers._common import build_timestamp, fitted_size, outline_level, xml_safe
from kzreport.renderers._docx_internals import replace_part_blob
from kzreport.renderers._package import (
    PackageParts,
    Prototype,
    TemplateCache,
    app_properties_xml,
    file_digest,
    set_core_properties,
    write_package,
)
from kzreport.renderers._proportions import (
    BYLINE_AFTER,
    FIGURE_MAX_HEIGHT,
    FOOTER_GAP,
    FURNITURE_DISTANCE,
    H2_BEFORE,
    H3_BEFORE,
    HEADING_AFTER,
    KEY_POINT_GAP,
    LEADING,
    TITLE_AFTER,
    Metrics,
)

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.text.paragraph import Paragraph as WordParagraph
    from lxml.etree import _Element as XmlElement

#: Indentation per list level, in twentieths of a point (0.25 inch).
LIST_INDENT_TWIPS = 360
NUMBER_FORMATS = ("decimal", "lowerLetter", "lowerRoman")


class DocxRenderer:
    """Writes the Word brief."""

    name = "docx"
    extension = ".docx"
    description = "Word brief"

    def render(self, document: Document, layout: Layout, path: Path) -> list[Problem]:
        """Write ``document`` as a .docx file at ``path``."""
        _BriefWriter(document, layout).save(path)
        return []

    def load(self) -> None:
        import docx  # noqa: F401


register(DocxRenderer())


#: Each process's styled blank documents, by layout, language and reference document.
_TEMPLATES: TemplateCache[_Template] = TemplateCache()


def _rgb(hex_color: str) -> Any:
    from docx.shared import RGBColor

    return RGBColor.from_string(hex_color)


def _add_run(paragraph: WordParagraph, text: str) -> Any:
    """``paragraph.add_run(text)``, the same XML without python-docx's character-by-character
    scan for tabs and line breaks (a quarter of a brief's time) when ``text`` has none."""
    if _RUN_BREAKS.search(text):
        return paragraph.add_run(text)
    run = paragraph.add_run()
    if text:
        run._r.add_t(text)
    return run


#: The characters python-docx turns into ``w:tab`` and ``w:br`` elements inside a run.
_RUN_BREAKS = re.compile("[\t\r\n]")


def _element(tag: str, **attributes: str) -> XmlElement:
    """A new WordprocessingML element; attribute names are given without the ``w:`` prefix."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    element: XmlElement = OxmlElement(tag)
    for key, value in attributes.items():
        element.set(qn(f"w:{key}"), value)
    return element


#: Schema order of the children of the property elements we add to (OOXML is strict about it).
CHILD_ORDER = {
    "w:pPr": ("w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr",
              "w:widowControl", "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs",
              "w:suppressAutoHyphens", "w:spacing", "w:ind", "w:contextualSpacing", "w:jc",
              "w:outlineLvl", "w:rPr", "w:sectPr"),
    "w:tblPr": ("w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize",
                "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd",
                "w:tblBorders", "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook",
                "w:tblCaption", "w:tblDescription"),
    "w:trPr": ("w:cnfStyle", "w:divId", "w:gridBefore", "w:gridAfter", "w:wBefore", "w:wAfter",
               "w:cantSplit", "w:trHeight", "w:tblHeader", "w:tblCellSpacing", "w:jc", "w:hidden"),
    "w:tcPr": ("w:cnfStyle", "w:tcW", "w:gridSpan", "w:hMerge", "w:vMerge", "w:tcBorders",
               "w:shd", "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign",
               "w:hideMark"),
}


def _put(properties: XmlElement, child: XmlElement) -> None:
    """Set ``child`` in a properties element, replacing its namesake, in schema order."""
    from docx.oxml.ns import qn

    order = [qn(tag) for tag in CHILD_ORDER[properties.prefix + ":" + properties.tag.split("}")[1]]]
    for old in properties.findall(child.tag):
        properties.remove(old)
    later = order[order.index(child.tag) + 1:]
    for sibling in properties.iterchildren():
        if sibling.tag in later:
            sibling.addprevious(child)
            return
    properties.append(child)


def _shade(properties: XmlElement, fill: str) -> None:
    """Give a paragraph or cell properties element a solid background."""
    _put(properties, _element("w:shd", val="clear", color="auto", fill=fill))


def _border(properties: XmlElement, edges: dict[str, tuple[str, float, float]]) -> None:
    """Add paragraph borders: edge -> (colour, width in points, space to the text in points)."""
    borders = _element("w:pBdr")
    for edge, (color, width, space) in edges.items():
        borders.append(_element(f"w:{edge}", val="single", sz=_eighths(width),
                                space=str(min(31, round(space))), color=color))
    _put(properties, borders)


@dataclass(frozen=True)
class _Template:
    """A styled blank brief: the document to copy, its styles' ids by name, and the ids of its
    bullet and numbered list definitions."""

    document: Prototype[WordDocument]
    style_ids: Mapping[str, str]
    list_definitions: tuple[str, str]


class _StyledTemplate:
    """A blank Word document styled by a layout for one language: page size and margins, the
    styles, and a bullet and a numbered list definition. It is the same for every paper, so
    each process builds it once per layout and each brief starts from a copy."""

    def __init__(self, layout: Layout, language: str) -> None:
        from docx import Document as new_document

        self.layout = layout
        self.language = language
        self.metrics = Metrics.of(layout)
        reference = layout.reference_docx
        self.word: WordDocument = new_document(str(reference) if reference else None)
        if reference is not None:
            _remove_sample_content(self.word)
        else:
            _drop_table_styles(self.word)
        _drop_styles_with_effects(self.word)
        _valid_settings(self.word)
        self.styles: dict[str, Any] = {s.name: s for s in self.word.styles if s.name}
        self.list_definitions = self._define_numbering()
        self._style_document()
        self._define_page_furniture()

    def _define_page_furniture(self) -> None:
        """Give the section its own first-page and default headers and footers, empty (a
        reference document's content removed): each brief fills them, and making the four
        parts (python-docx reads each one's template from disk) was a tenth of its time."""
        section = self.word.sections[0]
        section.different_first_page_header_footer = True
        for part in (section.first_page_header, section.header, section.first_page_footer,
                     section.footer):
            part.is_linked_to_previous = False
            _clear(part)

    def packaged(self) -> _Template:
        """The styled document, saved and opened again, for each brief to copy."""
        from docx import Document as open_document

        buffer = io.BytesIO()
        self.word.save(buffer)
        buffer.seek(0)
        # python-docx looks a style's name up by scanning every style each time: map them once.
        style_ids = {name: style.style_id for name, style in self.styles.items()}
        return _Template(Prototype(open_document(buffer)), style_ids, self.list_definitions)

    def _style_document(self) -> None:
        from docx.enum.style import WD_STYLE_TYPE
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.oxml.ns import qn
        from docx.shared import Pt

        layout, fonts, sizes, colors = self.layout, self.layout.fonts, self.layout.sizes, \
            self.layout.colors
        m = self.metrics
        section = self.word.sections[0]
        page = layout.page
        section.page_width, section.page_height = Pt(page.width), Pt(page.height)
        section.top_margin, section.bottom_margin = Pt(page.margin_top), Pt(page.margin_bottom)
        section.left_margin, section.right_margin = Pt(page.margin_left), Pt(page.margin_right)
        section.header_distance = Pt(page.margin_top * FURNITURE_DISTANCE)
        section.footer_distance = Pt(page.margin_bottom * FURNITURE_DISTANCE)

        styles = self.word.styles
        # Proofing language and fonts for every run come from the document defaults.
        defaults = styles.element.find(qn("w:docDefaults"))
        assert defaults is not None
        run_defaults = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
        assert run_defaults is not None
        for old in run_defaults.findall(qn("w:lang")) + run_defaults.findall(qn("w:rFonts")):
            run_defaults.remove(old)
        language = self.language
        run_defaults.insert(0, _element("w:rFonts", ascii=fonts.body.name, hAnsi=fonts.body.name,
                                        cs=fonts.body.name, eastAsia=fonts.body.name))
        run_defaults.append(_element("w:lang", val=language, eastAsia=language, bidi=language))

        def configure(name: str, family: str, size: float, color: str, bold: bool = False,
                      italic: bool = False, before: float = 0, after: float = 6) -> Any:
            if name not in self.styles:
                # A user's reference document may lack a style; base it on Normal.
                added = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
                added.base_style = self.styles["Normal"]
                self.styles[name] = added
            elif self.layout.reference_docx is not None:
                return None  # the reference document's own style wins
            style = self.styles[name]
            style.font.name = family
            # Themed fonts in the template would override the name for some scripts.
            r_fonts = style.element.get_or_add_rPr().find(qn("w:rFonts"))
            if r_fonts is not None:
                for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                    r_fonts.attrib.pop(qn(attr), None)
                r_fonts.set(qn("w:cs"), family)
                r_fonts.set(qn("w:eastAsia"), family)
            style.font.size = Pt(size)
            style.font.color.rgb = _rgb(color)
            style.font.bold = bold
            style.font.italic = italic
            fmt = style.paragraph_format
            fmt.space_before, fmt.space_after = Pt(before), Pt(after)
            return style

        body = configure("Normal", fonts.body.name, sizes.body, colors.text, after=m.paragraph_gap)
        if body is not None:
            # Word's spacing is a multiple of the font's own line height; this one gives the
            # same baseline-to-baseline distance as the PDF's leading.
            body.paragraph_format.line_spacing = round(
                LEADING / fit.load_metrics(fonts.body.regular).line_box, 3)
            body.paragraph_format.widow_control = True
        title = configure("Title", fonts.heading.name, sizes.title, colors.primary, bold=True,
                          after=TITLE_AFTER * sizes.title)
        if title is not None:
            title.element.get_or_add_pPr().remove_all("w:pBdr")
            # The title is the outline's level 1, above the sections' Heading 2.
            _put(title.element.get_or_add_pPr(), _element("w:outlineLvl", val="0"))
        configure("Subtitle", fonts.heading.name, sizes.subtitle, colors.muted,
                  after=TITLE_AFTER * sizes.title)
        for level, size, before in ((2, sizes.heading2, H2_BEFORE), (3, sizes.heading3, H3_BEFORE)):
            heading = configure(f"Heading {level}", fonts.heading.name, size, colors.primary,
                                bold=True, before=before * sizes.body,
                                after=HEADING_AFTER * sizes.body)
            if heading is not None:
                heading.paragraph_format.keep_with_next = True
        quote = configure("Quote", fonts.body.name, sizes.body, colors.muted, italic=True,
                          after=m.paragraph_gap)
        if quote is not None:
            quote.paragraph_format.left_indent = Pt(m.quote_indent)
            quote.paragraph_format.right_indent = Pt(m.quote_indent)
            _border(quote.element.get_or_add_pPr(),
                    {"left": (colors.accent, m.quote_bar, m.quote_indent / 2)})
        caption = configure("Caption", fonts.body.name, sizes.caption, colors.muted,
                            italic=True, before=m.item_gap, after=m.section_gap)
        if caption is not None:
            caption.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        configure("Footer", fonts.body.name, sizes.small, colors.muted, after=0)
        configure("Header", fonts.body.name, sizes.small, colors.muted, after=0)
        configure("List Paragraph", fonts.body.name, sizes.body, colors.text, after=m.item_gap)
        code = configure("Code Block", fonts.mono.name, sizes.code, colors.text,
                         after=m.paragraph_gap)
        if code is not None:
            _shade(code.element.get_or_add_pPr(), colors.summary_background)
        self._hyperlink_style()

    def _hyperlink_style(self) -> None:
        from docx.enum.style import WD_STYLE_TYPE

        # The default template has no Hyperlink character style; Word expects one.
        if "Hyperlink" in self.styles:
            return
        style = self.word.styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
        self.styles["Hyperlink"] = style
        style.font.color.rgb = _rgb(self.layout.colors.link)
        style.font.underline = True

    def _define_numbering(self) -> tuple[str, str]:
        """Add one bullet and one numbered multi-level list definition; return their ids."""
        numbering = self.word.part.numbering_part.element
        ids = []
        for offset, ordered in ((900, False), (901, True)):
            abstract = _element("w:abstractNum", abstractNumId=str(offset))
            abstract.append(_element("w:multiLevelType", val="hybridMultilevel"))
            for level in range(9):
                lvl = _element("w:lvl", ilvl=str(level))
                lvl.append(_element("w:start", val="1"))
                if ordered:
                    lvl.append(_element("w:numFmt", val=NUMBER_FORMATS[level % 3]))
                    lvl.append(_element("w:lvlText", val=f"%{level + 1}."))
                else:
                    lvl.append(_element("w:numFmt", val="bullet"))
                    lvl.append(_element("w:lvlText", val=BULLETS[level % 3]))
                lvl.append(_element("w:lvlJc", val="left"))
                ppr = _element("w:pPr")
                indent = LIST_INDENT_TWIPS * (level + 1)
                ppr.append(_element("w:ind", left=str(indent), hanging=str(LIST_INDENT_TWIPS)))
                lvl.append(ppr)
                if not ordered:
                    rpr = _element("w:rPr")
                    rpr.append(_element("w:color", val=self.layout.colors.accent))
                    lvl.append(rpr)
                abstract.append(lvl)
            # Abstract definitions must precede every w:num in numbering.xml.
            first_num = numbering.find(
                "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}num")
            if first_num is not None:
                first_num.addprevious(abstract)
            else:
                numbering.append(abstract)
            ids.append(str(offset))
        return ids[0], ids[1]


class _BriefWriter:
    """Builds one Word brief on a copy of its layout's styled template, the content in
    reading order."""

    def __init__(self, document: Document, layout: Layout) -> None:
        self.doc = document
        self.layout = layout
        language = document.meta.language
        key = (layout, language, file_digest(layout.reference_docx))
        template = _TEMPLATES.get(key, lambda: _StyledTemplate(layout, language).packaged())
        self.word = template.document.copy()
        self.style_ids = template.style_ids
        self.bullet_abstract, self.number_abstract = template.list_definitions
        self.figures = figure_numbers(document)
        #: Spacing in points, from the layout's sizes by the proportions the PDF shares.
        self.metrics = Metrics.of(layout)
        self.footer_gap = FOOTER_GAP * layout.sizes.small
        #: The level of the last heading written; the title counts as level 1.
        self.heading_level = 1

    def _new_list(self, ordered: bool, start: int) -> str:
        """A fresh list instance, so every numbered list restarts at its own ``start``."""
        numbering = self.word.part.numbering_part.element
        num_id = str(max((int(n.get(_qn("w:numId"))) for n in numbering.iterchildren(
            _qn("w:num"))), default=0) + 1)
        num = _element("w:num", numId=num_id)
        num.append(_element("w:abstractNumId",
                            val=self.number_abstract if ordered else self.bullet_abstract))
        override = _element("w:lvlOverride", ilvl="0")
        override.append(_element("w:startOverride", val=str(start)))
        num.append(override)
        numbering.append(num)
        return num_id

    # ------------------------------------------------------------ text

    def _runs(self, paragraph: WordParagraph, inlines: Inlines) -> None:
        """Add ``inlines`` to ``paragraph`` with their formatting and hyperlinks."""
        from docx.opc.constants import RELATIONSHIP_TYPE

        link_element: XmlElement | None = None
        link_href: str | None = None
        for item in inlines:
            if isinstance(item, LineBreak):
                paragraph.add_run().add_break()
                link_element = link_href = None
                continue
            run = _add_run(paragraph, xml_safe(item.text))
            run.bold = item.bold or None
            run.italic = item.italic or None
            if item.code:
                run.font.name = self.layout.fonts.mono.name
                run.font.size = _pt(self.layout.sizes.code)
            if item.href is None:
                link_element = link_href = None
                continue
            if link_element is None or link_href != item.href:
                rel_id = paragraph.part.relate_to(item.href, RELATIONSHIP_TYPE.HYPERLINK,
                                                  is_external=True)
                link_element = _element("w:hyperlink")
                link_element.set(_qn("r:id"), rel_id)
                link_element.set(_qn("w:history"), "1")
                paragraph._p.append(link_element)
                link_href = item.href
            run._r.get_or_add_rPr().style = self.style_ids["Hyperlink"]
            link_element.append(run._r)

    def add_paragraph(self, text: str = "", style: str | None = None,
                      container: Any = None) -> WordParagraph:
        """A new paragraph of ``text`` at the end of ``container`` (default: the body), in the
        style called ``style``. The style is set by its id: python-docx, given a name or a style
        object, scans every style of the document each time (once the largest cost of a brief)."""
        paragraph: WordParagraph = (container or self.word).add_paragraph()
        if safe_text := xml_safe(text):
            _add_run(paragraph, safe_text)
        if style is not None:
            paragraph._p.get_or_add_pPr().style = self.style_ids[style]
        return paragraph

    def _paragraph(self, inlines: Inlines, style: str | None = None) -> WordParagraph:
        paragraph = self.add_paragraph(style=style)
        self._runs(paragraph, inlines)
        return paragraph

    # ------------------------------------------------------------ document

    def save(self, path: Path) -> None:
        self._properties()
        self._page_furniture()
        self._title_block()
        self._blocks(self.doc.blocks, level=0)
        self._further_reading()
        self._drop_template_leftovers()
        write_package(self._parts(), path, build_timestamp(self.doc))

    def _parts(self) -> PackageParts:
        """The package's parts, serialized as ``Document.save`` would, without its zip."""
        from docx.opc.pkgwriter import PackageWriter

        package = self.word.part.package
        writer: Any = PackageWriter  # its steps take any object with write(pack_uri, blob)
        parts = PackageParts()
        for part in package.parts:
            part.before_marshal()
        writer._write_content_types_stream(parts, package.parts)
        writer._write_pkg_rels(parts, package.rels)
        parts.write_parts(package.parts)
        return parts

    def _properties(self) -> None:
        set_core_properties(self.word.core_properties, self.doc)

    def _drop_template_leftovers(self) -> None:
        """Remove the template's thumbnail and sample custom XML so nothing of python-docx
        remains but the machinery."""
        from docx.opc.constants import RELATIONSHIP_TYPE

        package = self.word.part.package
        for rel_id, rel in list(package.rels.items()):
            if rel.reltype == RELATIONSHIP_TYPE.THUMBNAIL:
                del package.rels[rel_id]
        for rel_id, rel in list(self.word.part.rels.items()):
            if rel.reltype == RELATIONSHIP_TYPE.CUSTOM_XML:
                self.word.part.drop_rel(rel_id)
        replace_part_blob(package, "/docProps/app.xml", app_properties_xml(self.doc, {}))

    def _page_furniture(self) -> None:
        """Headers and footers (the template's, empty): marking banners top and bottom, a
        running header from page 2, and the disclaimer with "Page X of Y" on every page."""
        section = self.word.sections[0]
        running = fill_label(self.layout.labels.running_header, self.doc, self.layout)
        for header, with_running in ((section.first_page_header, False),
                                     (section.header, True)):
            self._banner(header.add_paragraph())
            if with_running and running:
                line = self.add_paragraph(running, "Header", header)
                _border(line._p.get_or_add_pPr(), {"bottom": (
                    self.layout.colors.rule, self.metrics.hairline, self.footer_gap)})
        for footer in (section.first_page_footer, section.footer):
            self._footer(footer)
            self._banner(footer.add_paragraph())
        for part in (section.header, section.first_page_header, section.footer,
                     section.first_page_footer):
            paragraphs = part.paragraphs
            if paragraphs and not paragraphs[0].text and not paragraphs[0].runs:
                paragraphs[0]._p.getparent().remove(paragraphs[0]._p)

    def _banner(self, paragraph: WordParagraph) -> None:
        """The handling-marking banner: centred, bold, in the marking level's colours."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        marking = self.doc.meta.marking
        style = self.layout.marking_style(marking) if marking else None
        if marking is None or style is None:
            return
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_before = _pt(self.footer_gap)
        paragraph.paragraph_format.space_after = _pt(self.footer_gap)
        _shade(paragraph._p.get_or_add_pPr(), style.background)
        run = _add_run(paragraph, xml_safe(marking))
        run.bold = True
        run.font.size = _pt(self.layout.sizes.caption)
        run.font.color.rgb = _rgb(style.text)

    def _footer(self, footer: Any) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        if self.doc.meta.disclaimer:
            disclaimer = self.add_paragraph(self.doc.meta.disclaimer, "Footer", footer)
            disclaimer.paragraph_format.space_after = _pt(self.footer_gap)
            _border(disclaimer._p.get_or_add_pPr(),
                    {"top": (self.layout.colors.rule, self.metrics.hairline, self.footer_gap)})
        numbers = self.add_paragraph(style="Footer", container=footer)
        numbers.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        # "Page X of Y" is a label with two Word fields where the layout puts {page}/{pages}.
        label = page_label(self.layout, "\0PAGE\0", "\0NUMPAGES\0")
        for piece in label.split("\0"):
            if piece in ("PAGE", "NUMPAGES"):
                _field(numbers, piece)
            elif piece:
                _add_run(numbers, piece)

    def _title_block(self) -> None:
        """Organization, title, subtitle, byline and date on the layout's title band."""
        meta, colors, sizes = self.doc.meta, self.layout.colors, self.layout.sizes
        band: list[WordParagraph] = []
        if self.layout.logo is not None:
            band.append(self._logo())
        if meta.organization:
            org = self.word.add_paragraph()
            run = _add_run(org, xml_safe(meta.organization).upper())
            run.font.size = _pt(sizes.caption)
            run.font.color.rgb = _rgb(colors.accent)
            run.bold = True
            band.append(org)
        title = self.add_paragraph(meta.title, "Title")
        band.append(title)
        if meta.subtitle:
            subtitle = self.add_paragraph(meta.subtitle, "Subtitle")
            band.append(subtitle)
        for author in meta.authors:
            byline = self.word.add_paragraph()
            _add_run(byline, xml_safe(author.name)).bold = True
            if author.affiliation:
                _add_run(byline, ", " + xml_safe(author.affiliation))
            band.append(byline)
        band.append(self.word.add_paragraph(self.layout.format_date(meta.date)))
        for paragraph in band:
            paragraph.paragraph_format.keep_with_next = True
            paragraph.paragraph_format.space_after = _pt(BYLINE_AFTER * sizes.body)
            # The band's colour spans the text column; its text takes the band's text colour.
            _shade(paragraph._p.get_or_add_pPr(), colors.title_band)
            for run in paragraph.runs:
                if run.font.color.rgb is None:
                    run.font.color.rgb = _rgb(colors.title_band_text)
        title.paragraph_format.space_after = _pt(TITLE_AFTER * sizes.title)
        m = self.metrics
        _border(band[-1]._p.get_or_add_pPr(), {"bottom": (colors.primary, m.strong_rule,
                                                          m.box_padding)})
        band[-1].paragraph_format.space_after = _pt(m.section_gap)
        band[-1].paragraph_format.keep_with_next = False
        if meta.summary:
            box = self.word.add_paragraph()
            label = _add_run(box, self.layout.labels.summary + ": ")
            label.bold = True
            label.font.color.rgb = _rgb(colors.primary)
            _add_run(box, xml_safe(meta.summary))
            ppr = box._p.get_or_add_pPr()
            _border(ppr, {"left": (colors.primary, m.accent_bar, m.box_padding)})
            _shade(ppr, colors.summary_background)
            box.paragraph_format.left_indent = _pt(m.box_padding)
            box.paragraph_format.space_after = _pt(m.section_gap)

    def _logo(self) -> WordParagraph:
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        logo = self.layout.logo
        assert logo is not None
        paragraph = self.word.add_paragraph()
        paragraph.alignment = (WD_ALIGN_PARAGRAPH.LEFT if logo.placement == "left"
                               else WD_ALIGN_PARAGRAPH.RIGHT)
        shape = paragraph.add_run().add_picture(str(logo.path), width=_pt(logo.width))
        # A logo is decoration: screen readers should skip it.
        shape._inline.docPr.set("descr", "")
        shape._inline.docPr.set("title", "Logo (decorative)")
        return paragraph

    def _blocks(self, blocks: Blocks, level: int) -> None:
        for block in blocks:
            self._block(block, level)

    def _block(self, block: Block, level: int) -> None:
        if isinstance(block, Heading):
            self.heading_level = outline_level(block.level, self.heading_level)
            self._paragraph(block.inlines, f"Heading {self.heading_level}")
        elif isinstance(block, Paragraph):
            paragraph = self._paragraph(block.inlines)
            _indent(paragraph, level)
        elif isinstance(block, ListBlock):
            self._list(block, level)
        elif isinstance(block, Quote):
            for inner in block.blocks:
                if isinstance(inner, Paragraph):
                    _indent(self._paragraph(inner.inlines, "Quote"), level)
                else:
                    self._block(inner, level)
        elif isinstance(block, CodeBlock):
            code = self.add_paragraph(style="Code Block")
            for n, line in enumerate(block.text.split("\n")):
                if n:
                    code.add_run().add_break()
                _add_run(code, xml_safe(line))
            _indent(code, level)
        elif isinstance(block, Rule):
            rule = self.word.add_paragraph()
            _border(rule._p.get_or_add_pPr(), {"bottom": (
                self.layout.colors.rule, self.metrics.hairline, 0)})
        elif isinstance(block, Table):
            self._table(block)
        elif isinstance(block, Figure):
            self._figure(block)
        elif isinstance(block, KeyPoints):
            self._key_points(block)

    def _list(self, block: ListBlock, level: int, num_id: str | None = None) -> None:
        num_id = self._new_list(block.ordered, block.start)
        for item in block.items:
            first, *rest = item.blocks or (Paragraph((), item.line),)
            if isinstance(first, Paragraph):
                paragraph = self._paragraph(first.inlines, "List Paragraph")
            else:
                paragraph = self.add_paragraph(style="List Paragraph")
                rest = [first, *rest]
            _number(paragraph, num_id, level)
            for inner in rest:
                self._block(inner, level + 1)

    def _key_points(self, section: KeyPoints) -> None:
        heading = self.add_paragraph(section.title, "Heading 2")
        heading.paragraph_format.keep_with_next = True
        self.heading_level = 2
        num_id = self._new_list(False, 1)
        for point in section.points:
            paragraph = self.add_paragraph(style="List Paragraph")
            if point.headline:
                head = _add_run(paragraph, xml_safe(point.headline))
                head.bold = True
                head.font.color.rgb = _rgb(self.layout.colors.primary)
                if separator := headline_separator(point):
                    _add_run(paragraph, separator)
            self._runs(paragraph, point.inlines)
            _number(paragraph, num_id, 0)
            paragraph.paragraph_format.space_after = _pt(KEY_POINT_GAP * self.layout.sizes.body)
            self._blocks(point.details, 1)

    def _further_reading(self) -> None:
        links = self.doc.meta.links
        if not links:
            return
        self.add_paragraph(self.layout.labels.further_reading, "Heading 2")
        num_id = self._new_list(False, 1)
        for link in links:
            paragraph = self.add_paragraph(style="List Paragraph")
            self._runs(paragraph, (Span(link.label, href=link.url),))
            _number(paragraph, num_id, 0)

    def _table(self, block: Table) -> None:
        from docx.enum.table import WD_TABLE_ALIGNMENT
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        colors = self.layout.colors
        aligns = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
                  "right": WD_ALIGN_PARAGRAPH.RIGHT}
        table = self.word.add_table(rows=1 + len(block.rows), cols=len(block.header))
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _table_borders(table._tbl, colors.rule, self.metrics)
        # Rows by iteration: python-docx's rows[r] lists every row, quadratic in a long table.
        for r, (row, cells) in enumerate(zip(table.rows, (block.header, *block.rows),
                                             strict=True)):
            if r == 0:
                # Repeat the header row on every page, and mark it as a header for readers.
                _put(row._tr.get_or_add_trPr(), _element("w:cantSplit"))
                _put(row._tr.get_or_add_trPr(), _element("w:tblHeader"))
            for c, inlines in enumerate(cells):
                cell = row.cells[c]
                paragraph = cell.paragraphs[0]
                self._runs(paragraph, inlines)
                paragraph.paragraph_format.space_after = _pt(0)
                alignment = block.alignments[c] if c < len(block.alignments) else None
                if alignment:
                    paragraph.alignment = aligns[alignment]
                tc_pr = cell._tc.get_or_add_tcPr()
                if r == 0:
                    _shade(tc_pr, colors.table_header_background)
                    for run in paragraph.runs:
                        run.bold = True
                        run.font.color.rgb = _rgb(colors.table_header_text)
                elif r % 2 == 0:
                    _shade(tc_pr, colors.table_stripe)
        spacer = self.word.add_paragraph()
        spacer.paragraph_format.space_after = _pt(0)

    def _figure(self, figure: Figure) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Pt

        page = self.layout.page
        width, height = fitted_size(
            figure.path, page.width - page.margin_left - page.margin_right,
            FIGURE_MAX_HEIGHT * (page.height - page.margin_top - page.margin_bottom))
        paragraph = self.word.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.keep_with_next = True
        run = paragraph.add_run()
        shape = run.add_picture(str(figure.path), width=Pt(width), height=Pt(height))
        doc_pr = shape._inline.docPr
        doc_pr.set("descr", xml_safe(figure.alt))
        number = self.figures[figure]
        doc_pr.set("name", f"Figure {number}")
        if figure.caption:
            label = figure_label(self.layout, number)
            caption = self.add_paragraph(style="Caption")
            _add_run(caption, label + " ").bold = True
            _add_run(caption, xml_safe(figure.caption))


def _remove_sample_content(word: WordDocument) -> None:
    """Empty a reference document's body, keeping its final section properties."""
    body = word.element.body
    for child in list(body):
        if child.tag != _qn("w:sectPr"):
            body.remove(child)


def _drop_table_styles(word: WordDocument) -> None:
    """Remove python-docx's template's hundred built-in table styles (nine tenths of its 440 KB
    of styles), keeping the default one: a brief sets its tables' borders itself, and Word
    knows its built-in styles without their definitions (latent styles), so a reader who
    adds a table still finds them all. Parsing, copying and zipping them was most of the time
    a brief took."""
    styles = word.styles.element
    for style in styles.findall(_qn("w:style")):
        if style.get(_qn("w:type")) == "table" and style.get(_qn("w:default")) not in ("1", "true"):
            styles.remove(style)


def _drop_styles_with_effects(word: WordDocument) -> None:
    """Drop the Word 2010 copy of the styles (``stylesWithEffects.xml``): Word 2010 prefers it
    to ``styles.xml``, so it would show the template's styles instead of the layout's; later
    versions and LibreOffice ignore it."""
    for rel_id, rel in list(word.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            word.part.drop_rel(rel_id)


#: The zoom types Word's settings schema knows (``ST_Zoom``).
ZOOM_TYPES = ("none", "fullPage", "bestFit", "textFit")


def _valid_settings(word: WordDocument) -> None:
    """Make the settings part's zoom valid: python-docx's own template writes ``w:zoom`` without
    the ``w:percent`` the schema requires, which Word may call unreadable content. 100 is the
    percentage Word itself writes; a zoom type the schema does not know is dropped."""
    from docx.opc.constants import RELATIONSHIP_TYPE

    try:  # not word.settings, which adds a settings part to a reference document without one
        settings: Any = word.part.part_related_by(RELATIONSHIP_TYPE.SETTINGS)
    except KeyError:
        return
    zoom = settings.element.find(_qn("w:zoom"))
    if zoom is None:
        return
    if zoom.get(_qn("w:percent")) is None:
        zoom.set(_qn("w:percent"), "100")
    kind = zoom.get(_qn("w:val"))
    if kind is not None and kind not in ZOOM_TYPES:
        del zoom.attrib[_qn("w:val")]


def _clear(part: Any) -> None:
    """Empty a header or footer (a reference document may bring its own content)."""
    for child in list(part._element):
        part._element.remove(child)


def _qn(tag: str) -> str:
    from docx.oxml.ns import qn

    return str(qn(tag))


def _pt(value: float) -> Any:
    from docx.shared import Pt

    return Pt(value)


def _indent(paragraph: WordParagraph, level: int) -> None:
    """Indent a non-list paragraph to sit under list level ``level - 1``'s text."""
    if level:
        paragraph.paragraph_format.left_indent = _pt(LIST_INDENT_TWIPS * level / 20)


def _number(paragraph: WordParagraph, num_id: str, level: int) -> None:
    """Attach ``paragraph`` to list ``num_id`` at nesting ``level``."""
    num_pr = _element("w:numPr")
    num_pr.append(_element("w:ilvl", val=str(min(level, 8))))
    num_pr.append(_element("w:numId", val=num_id))
    _put(paragraph._p.get_or_add_pPr(), num_pr)


def _field(paragraph: WordParagraph, instruction: str) -> None:
    """Add a complex field (e.g. ``PAGE``) with a cached value of 1 until Word updates it."""
    from docx.oxml.ns import qn

    for kind in ("begin", "instr", "separate", "value", "end"):
        run = paragraph.add_run()
        if kind == "instr":
            text = _element("w:instrText")
            text.set(qn("xml:space"), "preserve")
            text.text = f" {instruction} "
            run._r.append(text)
        elif kind == "value":
            run.text = "1"
        else:
            run._r.append(_element("w:fldChar", fldCharType=kind))


def _eighths(points: float) -> str:
    """A border width in Word's eighths of a point, within the 2..96 it accepts."""
    return str(min(96, max(2, round(points * 8))))


def _table_borders(table: XmlElement, color: str, metrics: Metrics) -> None:
    properties = table.find(_qn("w:tblPr"))
    assert properties is not None
    borders = _element("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(_element(f"w:{edge}", val="single", sz=_eighths(metrics.hairline),
                                space="0", color=color))
    _put(properties, borders)
    _put(properties, _element("w:tblW", w="5000", type="pct"))
    margins = _element("w:tblCellMar")
    for edge, padding in (("top", metrics.cell_padding_y), ("left", metrics.cell_padding_x),
                          ("bottom", metrics.cell_padding_y), ("right", metrics.cell_padding_x)):
        margins.append(_element(f"w:{edge}", w=str(round(padding * 20)), type="dxa"))  # twips
    _put(properties, margins)
