"""The brief's styled template: page, styles, list definitions and empty header and footer parts."""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from kzreport.labels import BULLETS, CAPTION_ALIGNMENT, CAPTION_ITALIC, NUMBER_STYLES
from kzreport.layout import FontFamily, Layout
from kzreport.records import record
from kzreport.renderers import _fit as fit
from kzreport.renderers import _stored_templates as stored_templates
from kzreport.renderers._package import Prototype, TemplateCache, file_digest
from kzreport.renderers._proportions import (
    CODE_LEADING,
    DISPLAY_LEADING,
    FURNITURE_DISTANCE,
    H2_BEFORE,
    H3_BEFORE,
    HEADING_AFTER,
    LEADING,
    TITLE_AFTER,
    Metrics,
)
from kzreport.renderers._reference_docx import keep_styles_only
from kzreport.renderers._wordml import LIST_INDENT_TWIPS, border, element, put, qn, rgb, shade

if TYPE_CHECKING:
    from docx.document import Document as WordDocument


def styled_template(layout: Layout, language: str) -> BriefTemplate:
    """The process's styled blank brief for ``layout`` and ``language`` (and the reference
    document's content), built the first time it is asked for (or, prepared by an earlier
    run, read from the user's cache)."""
    key = (layout, language, file_digest(layout.reference_docx))
    return _TEMPLATES.get(key, lambda: _stored_or_styled(key))


def stored_key(key: tuple[Layout, str, str | None]) -> str:
    """The key of ``key``'s prepared template among the stored ones."""
    import docx
    from lxml import etree

    return stored_templates.entry_key("brief", key, {"python-docx": docx.__version__,
                                                     "lxml": etree.__version__})


def _stored_or_styled(key: tuple[Layout, str, str | None]) -> BriefTemplate:
    from docx import Document as open_document

    full_key = stored_key(key)
    stored = stored_templates.load(full_key)
    if stored is None:
        layout, language, _ = key
        styled = _StyledTemplate(layout, language)
        package = styled.saved()
        # python-docx looks a style's name up by scanning every style each time: map them once.
        data: dict[str, Any] = {
            "style_ids": {name: style.style_id for name, style in styled.styles.items()},
            "lists": list(styled.list_definitions)}
        stored_templates.store(full_key, data, package)
    else:
        data, package = stored
    first, second = data["lists"]
    return BriefTemplate(Prototype(open_document(io.BytesIO(package))), data["style_ids"],
                         (first, second))


@record
class BriefTemplate:
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
            keep_styles_only(self.word)
        else:
            _drop_table_styles(self.word)
        _drop_styles_with_effects(self.word)
        _brief_settings(self.word)
        self.styles: dict[str, Any] = {s.name: s for s in self.word.styles if s.name}
        if reference is not None:
            # Other tools capitalize Word's own lower-case names ("Footnote Text"): the same
            # style, not one to add again.
            for name, style in list(self.styles.items()):
                self.styles.setdefault(name.lower(), style)
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

    def saved(self) -> bytes:
        """The styled document as a package, to open again for each brief to copy."""
        buffer = io.BytesIO()
        self.word.save(buffer)
        return buffer.getvalue()

    def _style_document(self) -> None:
        from docx.enum.section import WD_ORIENT
        from docx.enum.style import WD_STYLE_TYPE
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Pt

        layout, fonts, sizes, colors = self.layout, self.layout.fonts, self.layout.sizes, \
            self.layout.colors
        m = self.metrics
        section = self.word.sections[0]
        page = layout.page
        section.orientation = (WD_ORIENT.LANDSCAPE if page.orientation == "landscape"
                               else WD_ORIENT.PORTRAIT)
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
        language = self.language
        put(run_defaults, element("w:rFonts", ascii=fonts.body.name, hAnsi=fonts.body.name,
                                  cs=fonts.body.name, eastAsia=fonts.body.name))
        put(run_defaults, element("w:lang", val=language, eastAsia=language, bidi=language))

        def configure(name: str, typeface: FontFamily, size: float, color: str, bold: bool = False,
                      italic: bool = False, before: float = 0, after: float = 6,
                      leading: float = LEADING) -> Any:
            if name not in self.styles:
                # A user's reference document may lack a style; base it on Normal.
                added = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
                added.base_style = self.styles["Normal"]
                self.styles[name] = added
            elif self.layout.reference_docx is not None:
                if name in self.layout.reference_styles:
                    return None  # the reference document's own style wins
                _drop_own_formatting(self.styles[name].element)
            style = self.styles[name]
            family = typeface.name
            style.font.name = family
            # Themed fonts in the template would override the name for some scripts.
            r_fonts = style.element.get_or_add_rPr().find(qn("w:rFonts"))
            if r_fonts is not None:
                for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                    r_fonts.attrib.pop(qn(attr), None)
                r_fonts.set(qn("w:cs"), family)
                r_fonts.set(qn("w:eastAsia"), family)
            _drop_template_typography(style.element)
            style.font.size = Pt(size)
            style.font.color.rgb = rgb(color)
            style.font.bold = bold
            style.font.italic = italic
            # Complex scripts (Arabic, Hebrew, ...) get the same size and emphasis.
            style.font.cs_bold, style.font.cs_italic = bold, italic
            put(style.element.get_or_add_rPr(), element("w:szCs", val=str(round(size * 2))))
            fmt = style.paragraph_format
            fmt.space_before, fmt.space_after = Pt(before), Pt(after)
            # Word's spacing is a multiple of the font's own line height; this one gives the
            # same baseline-to-baseline distance as the PDF's leading.
            fmt.line_spacing = round(leading / fit.load_metrics(typeface.regular).line_box, 3)
            return style

        body = configure("Normal", fonts.body, sizes.body, colors.text, after=m.paragraph_gap)
        if body is not None:
            body.paragraph_format.widow_control = True
        title = configure("Title", fonts.heading, sizes.title, colors.primary, bold=True,
                          after=TITLE_AFTER * sizes.title, leading=DISPLAY_LEADING)
        if title is not None:
            title.element.get_or_add_pPr().remove_all("w:pBdr")
            # The title is the outline's level 1, above the sections' Heading 2.
            put(title.element.get_or_add_pPr(), element("w:outlineLvl", val="0"))
        configure("Subtitle", fonts.heading, sizes.subtitle, colors.muted,
                  after=TITLE_AFTER * sizes.title)
        for level, size, before in ((2, sizes.heading2, H2_BEFORE), (3, sizes.heading3, H3_BEFORE)):
            heading = configure(f"Heading {level}", fonts.heading, size, colors.primary,
                                bold=True, before=before * sizes.body,
                                after=HEADING_AFTER * sizes.body, leading=DISPLAY_LEADING)
            if heading is not None:
                heading.paragraph_format.keep_with_next = True
        quote = configure("Quote", fonts.body, sizes.body, colors.muted, italic=True,
                          after=m.paragraph_gap)
        if quote is not None:
            quote.paragraph_format.left_indent = Pt(m.quote_indent)
            quote.paragraph_format.right_indent = Pt(m.quote_indent)
            border(quote.element.get_or_add_pPr(),
                   {"left": (colors.accent, m.quote_bar, m.quote_indent / 2)})
        caption = configure("Caption", fonts.body, sizes.caption, colors.muted,
                            italic=CAPTION_ITALIC, before=m.item_gap, after=m.section_gap)
        if caption is not None:
            caption.paragraph_format.alignment = getattr(WD_ALIGN_PARAGRAPH,
                                                         CAPTION_ALIGNMENT.upper())
        configure("Footer", fonts.body, sizes.small, colors.muted, after=0)
        # Word's own (lower-case) names, so Word treats them as its built-in footnote styles.
        configure("footnote text", fonts.body, sizes.small, colors.text, after=m.item_gap)
        configure("Header", fonts.body, sizes.small, colors.muted, after=0)
        configure("List Paragraph", fonts.body, sizes.body, colors.text, after=m.item_gap)
        code = configure("Code Block", fonts.mono, sizes.code, colors.text,
                         after=m.paragraph_gap, leading=CODE_LEADING)
        if code is not None:
            shade(code.element.get_or_add_pPr(), colors.summary_background)
        self._hyperlink_style()
        self._footnote_reference_style()

    def _footnote_reference_style(self) -> None:
        from docx.enum.style import WD_STYLE_TYPE

        if self._referenced("footnote reference"):
            return
        style = self.word.styles.add_style("footnote reference", WD_STYLE_TYPE.CHARACTER)
        self.styles["footnote reference"] = style
        style.font.superscript = True

    def _hyperlink_style(self) -> None:
        from docx.enum.style import WD_STYLE_TYPE

        # The default template has no Hyperlink character style; Word expects one.
        if self._referenced("Hyperlink"):
            return
        style = self.word.styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
        self.styles["Hyperlink"] = style
        style.font.color.rgb = rgb(self.layout.colors.link)
        style.font.underline = True

    def _referenced(self, name: str) -> bool:
        """Whether character style ``name`` is there already, the reference document's to set
        (else the layout's definition replaces its)."""
        style = self.styles.get(name)
        if style is None:
            return False
        if self.layout.reference_docx is None or name in self.layout.reference_styles:
            return True
        self.word.styles.element.remove(style.element)
        for alias in [key for key, value in self.styles.items() if value is style]:
            del self.styles[alias]
        return False

    def _define_numbering(self) -> tuple[str, str]:
        """Add one bullet and one numbered multi-level list definition; return their ids."""
        numbering = self.word.part.numbering_part.element
        ids = []
        for offset, ordered in ((900, False), (901, True)):
            abstract = element("w:abstractNum", abstractNumId=str(offset))
            abstract.append(element("w:multiLevelType", val="hybridMultilevel"))
            for level in range(9):
                lvl = element("w:lvl", ilvl=str(level))
                lvl.append(element("w:start", val="1"))
                if ordered:
                    lvl.append(element("w:numFmt",
                                       val=NUMBER_STYLES[level % len(NUMBER_STYLES)]))
                    lvl.append(element("w:lvlText", val=f"%{level + 1}."))
                else:
                    lvl.append(element("w:numFmt", val="bullet"))
                    lvl.append(element("w:lvlText", val=BULLETS[level % len(BULLETS)]))
                lvl.append(element("w:lvlJc", val="left"))
                ppr = element("w:pPr")
                indent = LIST_INDENT_TWIPS * (level + 1)
                ppr.append(element("w:ind", left=str(indent), hanging=str(LIST_INDENT_TWIPS)))
                lvl.append(ppr)
                if not ordered:
                    rpr = element("w:rPr")
                    rpr.append(element("w:color", val=self.layout.colors.accent))
                    lvl.append(rpr)
                abstract.append(lvl)
            # Abstract definitions must precede every w:num in numbering.xml.
            first_num = numbering.find(qn("w:num"))
            if first_num is not None:
                first_num.addprevious(abstract)
            else:
                numbering.append(abstract)
            ids.append(str(offset))
        return ids[0], ids[1]


#: Typography python-docx's template gives its built-in styles that the PDF has no
#: counterpart for: letter spacing and kerning (the Subtitle is letter-spaced, the Title
#: tracked), the Subtitle's outline numbering, and spacing suppressed between paragraphs of
#: the same style.
_TEMPLATE_TYPOGRAPHY = {"w:rPr": ("w:spacing", "w:kern"),
                        "w:pPr": ("w:numPr", "w:contextualSpacing")}


def _drop_template_typography(style: Any) -> None:
    """Remove ``_TEMPLATE_TYPOGRAPHY`` from a style kzreport configures, so that the brief
    sets its text as the PDF does."""
    for container, tags in _TEMPLATE_TYPOGRAPHY.items():
        properties = style.find(qn(container))
        if properties is None:
            continue
        for tag in tags:
            for found in properties.findall(qn(tag)):
                properties.remove(found)


def _drop_own_formatting(style: Any) -> None:
    """Remove a reference document's paragraph and run formatting from a style the layout
    sets (the style keeps its name, id and place in the style hierarchy)."""
    for tag in ("w:pPr", "w:rPr"):
        for found in style.findall(qn(tag)):
            style.remove(found)


def _drop_table_styles(word: WordDocument) -> None:
    """Remove python-docx's template's hundred built-in table styles (nine tenths of its 440 KB
    of styles), keeping the default one: a brief sets its tables' borders itself, and Word
    knows its built-in styles without their definitions (latent styles), so a reader who
    adds a table still finds them all. Parsing, copying and zipping them was most of the time
    a brief took."""
    styles = word.styles.element
    for style in styles.findall(qn("w:style")):
        if style.get(qn("w:type")) == "table" and style.get(qn("w:default")) not in ("1", "true"):
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


def _brief_settings(word: WordDocument) -> None:
    """Make the settings part the brief's own: one header and footer for all later pages, and a
    valid zoom (python-docx's own template writes ``w:zoom`` without the ``w:percent`` the
    schema requires, which Word may call unreadable content; 100 is the percentage Word itself
    writes, and a zoom type the schema does not know is dropped)."""
    from docx.opc.constants import RELATIONSHIP_TYPE

    try:  # not word.settings, which adds a settings part to a reference document without one
        settings: Any = word.part.part_related_by(RELATIONSHIP_TYPE.SETTINGS)
    except KeyError:
        return
    # Every page of a brief shows the same header and footer (the first page aside): a
    # reference document's "different odd and even pages" would leave even pages without them.
    for even_and_odd in settings.element.findall(qn("w:evenAndOddHeaders")):
        settings.element.remove(even_and_odd)
    zoom = settings.element.find(qn("w:zoom"))
    if zoom is None:
        return
    if zoom.get(qn("w:percent")) is None:
        zoom.set(qn("w:percent"), "100")
    kind = zoom.get(qn("w:val"))
    if kind is not None and kind not in ZOOM_TYPES:
        del zoom.attrib[qn("w:val")]


def _clear(header_or_footer: Any) -> None:
    """Empty a header or footer (a reference document may bring its own content)."""
    root = header_or_footer.part.element
    for child in list(root):
        root.remove(child)


#: Each process's styled blank documents, by layout, language and reference document.
_TEMPLATES: TemplateCache[BriefTemplate] = TemplateCache()
