"""The brief's Word fields: numbered captions (SEQ), cross-references (REF) and contents (TOC)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol

from kzreport.anchors import bookmark_name
from kzreport.apparatus import contents
from kzreport.model import CrossRef, Document
from kzreport.renderers._common import xml_safe
from kzreport.renderers._docx_internals import paragraph_element
from kzreport.renderers._wordml import add_field, add_run, element, field_part, pt, put, qn, rgb

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.text.paragraph import Paragraph as WordParagraph
    from lxml.etree import _Element as XmlElement

    from kzreport.layout import Layout
    from kzreport.renderers._proportions import Metrics

#: Word's sequence names for the two kinds of numbered captions.
SEQUENCES = {"fig": "Figure", "tbl": "Table"}
#: Word's own instruction for a table of contents: outline levels 1-3 (\o, \u: headings by
#: their styles' and paragraphs' outline level), entries as hyperlinks (\h), no tab leader
#: or page number in Web Layout view (\z).
TOC_INSTRUCTION = 'TOC \\o "1-3" \\h \\z \\u'


class Brief(Protocol):
    """What these helpers need of the brief being written."""

    doc: Document
    layout: Layout
    word: WordDocument
    metrics: Metrics
    bookmarks: int
    style_ids: Mapping[str, str]

    def add_paragraph(self, text: str = "", style: str | None = None,
                      container: Any = None) -> WordParagraph: ...


def reference_bookmark(label: str) -> str:
    """The hidden bookmark (``_Ref`` and digits, as Word names those it makes for
    cross-references) around a caption's label and number, which REF fields show."""
    return "_Ref" + str(int(hashlib.sha256(label.encode()).hexdigest()[:8], 16) % 10**9)


def caption(brief: Brief, kind: str, template: str, number: int, anchor: str
            ) -> WordParagraph:
    """A Caption paragraph opened by the layout's bold label (``Figure {n}.``), whose number
    is Word's ``SEQ`` field, the label and number bookmarked when ``anchor`` labels them; the
    caller adds the caption's text."""
    paragraph = brief.add_paragraph(style="Caption")
    before, found, after = template.partition("{n}")
    end = None
    if anchor and found:
        brief.bookmarks += 1
        paragraph_element(paragraph).append(element(
            "w:bookmarkStart", id=str(brief.bookmarks), name=reference_bookmark(anchor)))
        end = element("w:bookmarkEnd", id=str(brief.bookmarks))
    if before:
        add_run(paragraph, xml_safe(before)).bold = True
    if found:
        add_field(paragraph, f"SEQ {SEQUENCES[kind]} \\* ARABIC", str(number)).bold = True
        if end is not None:
            paragraph_element(paragraph).append(end)
    add_run(paragraph, xml_safe(after) + " ").bold = True
    return paragraph


def internal_link(paragraph: WordParagraph, anchor: str) -> XmlElement:
    """A new ``w:hyperlink`` at the end of ``paragraph`` to the bookmark of the heading
    whose identifier is ``anchor``."""
    link = element("w:hyperlink")
    link.set(qn("w:anchor"), bookmark_name(anchor))
    link.set(qn("w:history"), "1")
    paragraph_element(paragraph).append(link)
    return link


def reference(brief: Brief, paragraph: WordParagraph, ref: CrossRef) -> None:
    """A cross-reference: to a figure or table, Word's ``REF`` field to its caption's
    bookmark showing "Figure 2" (kept right by Word's "update fields"); to a section, a
    hyperlink to its heading's bookmark (Word does not number the headings)."""
    text = xml_safe(ref.text or ref.number)
    if ref.kind == "sec":
        link = internal_link(paragraph, ref.target)
        run = add_run(paragraph, text)
        run.element.get_or_add_rPr().style = brief.style_ids["Hyperlink"]
        link.append(run.element)
        return
    result = add_field(paragraph, f"REF {reference_bookmark(ref.target)} \\h", text)
    result.element.get_or_add_rPr().style = brief.style_ids["Hyperlink"]  # looks as a link


def table_of_contents(brief: Brief) -> None:
    """The contents (``toc: true``): the layout's label, then Word's ``TOC`` field whose
    entries are already written — each heading a hyperlink to its bookmark, indented by
    level, without page numbers, which Word and LibreOffice add when they update the field
    (the brief asks Word to, on opening)."""
    entries = contents(brief.doc, brief.layout)
    if not entries:
        return
    layout, metrics = brief.layout, brief.metrics
    title = brief.add_paragraph()
    run = add_run(title, xml_safe(layout.labels.contents))
    run.bold = True
    run.font.size = pt(layout.sizes.heading2)
    run.font.color.rgb = rgb(layout.colors.primary)
    title.paragraph_format.keep_with_next = True
    for n, entry in enumerate(entries):
        paragraph = brief.add_paragraph()
        paragraph.paragraph_format.space_after = pt(metrics.item_gap)
        paragraph.paragraph_format.left_indent = pt((entry.level - 2) * metrics.list_indent)
        if n == 0:  # the field opens in the first entry and closes after the last
            field_part(paragraph, "begin")
            field_part(paragraph, "instr", TOC_INSTRUCTION)
            field_part(paragraph, "separate")
        link = internal_link(paragraph, entry.anchor)
        link.append(add_run(paragraph, xml_safe(entry.text)).element)
        if n == len(entries) - 1:
            field_part(paragraph, "end")
    update_fields_when_opened(brief.word)


def update_fields_when_opened(word: WordDocument) -> None:
    """Ask Word to update the fields when it opens the brief (``w:updateFields``, as Pandoc's
    ``--toc`` does), so the contents get their page numbers. It is set on the paper's own copy
    of the template (``word.settings`` adds python-docx's valid default settings part to a
    reference document without one), never in the shared template: papers without contents
    open without Word's question whether to update."""
    put(word.settings.element, element("w:updateFields", val="true"))
