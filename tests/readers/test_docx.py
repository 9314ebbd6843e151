"""The Word reader: paragraphs from raw WordprocessingML with fields marked, body apart from
running heads and footers, the header and footer each kind of page of each section shows, core
properties and hyperlinks, reached through the format registry."""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from kzreport.expectations import normalize
from kzreport.extraction import PagePart, field_mark
from kzreport.labels import fill_label, page_label
from kzreport.layout import Layout
from kzreport.model import Document
from kzreport.readers.docx import page_parts, paragraphs, read_docx
from kzreport.renderers import renderers
from readers.conftest import RICH_LINKS

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"


def test_paragraphs_in_document_order_with_breaks_tabs_and_text_boxes() -> None:
    root = ET.fromstring(f"""<w:body xmlns:w="{W}" xmlns:mc="{MC}">
      <w:p><w:r><w:t>one</w:t><w:br/><w:t>two</w:t><w:tab/><w:t>a</w:t><w:noBreakHyphen/>
        <w:t>b</w:t></w:r>
        <w:r><mc:AlternateContent><mc:Choice><w:txbxContent><w:p><w:r><w:t>boxed</w:t></w:r>
          </w:p></w:txbxContent></mc:Choice>
          <mc:Fallback><w:p><w:r><w:t>boxed again</w:t></w:r></w:p></mc:Fallback>
        </mc:AlternateContent></w:r></w:p>
      <w:tbl><w:tr><w:tc><w:p><w:r><w:t>cell</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
      <mc:Fallback><w:p><w:r><w:t>never</w:t></w:r></w:p></mc:Fallback>
    </w:body>""")
    assert paragraphs(root) == ["one\ntwo\ta-b", "boxed", "cell"]


def test_fields_are_marked_in_place_of_their_last_result() -> None:
    root = ET.fromstring(f"""<w:body xmlns:w="{W}">
      <w:p><w:r><w:t>Page </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r>
        <w:r><w:instrText> page \\* MERGEFORMAT </w:instrText></w:r>
        <w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>7</w:t></w:r>
        <w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t> of </w:t></w:r>
        <w:fldSimple w:instr=" NUMPAGES "><w:r><w:t>9</w:t></w:r></w:fldSimple></w:p>
      <w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>IF </w:instrText>
        </w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r>
        <w:r><w:instrText>PAGE</w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>
        <w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t>after</w:t></w:r></w:p>
    </w:body>""")
    # A field inside another is part of its instruction; one without a result is marked too.
    assert paragraphs(root) == [f"Page {field_mark('PAGE')} of {field_mark('NUMPAGES')}",
                                f"{field_mark('IF')}after"]
    assert field_mark("") == "\0\0"


def _sections_package(path: Path, even: bool) -> zipfile.ZipFile:
    """A brief of two sections: the first with a title page, its own first-page header and
    default footer; the second naming only a default header."""
    rel = '<Relationship Id="{}" Type="{}/{}" Target="{}"/>'
    office = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("_rels/.rels", f'<Relationships xmlns="{PKG}">'
                         + rel.format("rId1", office, "officeDocument", "word/document.xml")
                         + "</Relationships>")
        package.writestr("word/_rels/document.xml.rels", f'<Relationships xmlns="{PKG}">' + "".join(
            rel.format(rid, office, kind, target) for rid, kind, target in (
                ("rId1", "header", "header1.xml"), ("rId2", "footer", "footer1.xml"),
                ("rId3", "header", "header2.xml"), ("rId4", "settings", "settings.xml")))
            + "</Relationships>")
        package.writestr("word/settings.xml", f'<w:settings xmlns:w="{W}">'
                         + ("<w:evenAndOddHeaders/>" if even else "") + "</w:settings>")
        for name, text in (("header1", "First header"), ("footer1", "Footer"),
                           ("header2", "Second section header")):
            package.writestr(f"word/{name}.xml", f'<w:hdr xmlns:w="{W}"><w:p><w:r><w:t>{text}'
                             "</w:t></w:r></w:p></w:hdr>")
        package.writestr("word/document.xml", f"""<w:document xmlns:w="{W}" xmlns:r="{R}">
          <w:body><w:p><w:pPr><w:sectPr><w:headerReference w:type="first" r:id="rId1"/>
            <w:footerReference w:type="default" r:id="rId2"/><w:titlePg/></w:sectPr></w:pPr>
            </w:p>
          <w:sectPr><w:headerReference w:type="default" r:id="rId3"/>
            <w:titlePg w:val="false"/></w:sectPr></w:body></w:document>""")
    return zipfile.ZipFile(path)


@pytest.mark.parametrize("even", [False, True])
def test_the_header_and_footer_each_kind_of_page_shows(tmp_path: Path, even: bool) -> None:
    with _sections_package(tmp_path / "sections.docx", even) as package:
        document = ET.fromstring(package.read("word/document.xml"))
        parts = page_parts(package, "word/document.xml", document)
    shown = [(p.section, p.kind, p.pages, p.part, p.paragraphs) for p in parts]
    first, footer = ("word/header1.xml", ("First header",)), ("word/footer1.xml", ("Footer",))
    second = ("word/header2.xml", ("Second section header",))
    none = (None, ())
    # Section 1 has no default header: its later pages show none. Section 2 inherits the
    # footer and, without a title page, its first page shows its default header.
    expected = [(1, "header", "first", *first), (1, "header", "default", *none),
                *([(1, "header", "even", *none)] if even else []),
                (1, "footer", "first", *none), (1, "footer", "default", *footer),
                *([(1, "footer", "even", *none)] if even else []),
                (2, "header", "first", *second), (2, "header", "default", *second),
                *([(2, "header", "even", *none)] if even else []),
                (2, "footer", "first", *footer), (2, "footer", "default", *footer),
                *([(2, "footer", "even", *none)] if even else [])]
    assert shown == expected


def test_the_brief_read_back(rich_outputs: Path, rich: Document, layout: Layout) -> None:
    layout = layout.for_language(rich.meta.language)  # a Kazakh paper: the Kazakh labels
    got = read_docx(rich_outputs / "rich.docx", layout)
    assert got.title == rich.meta.title
    assert got.author == "Әлия Нұрланқызы; Дәурен Өмірзақов"
    assert got.links == RICH_LINKS
    assert got.flow is not None and got.slides is None and got.pages == ()
    flow = normalize(got.flow)
    assert normalize("The Astana Process began in January 2017") in flow
    assert normalize("Final paragraph after a rule.") in flow
    # The footer's disclaimer and page number are in the text, not in the body's flow; the
    # page number is its label around Word's PAGE and NUMPAGES fields.
    number = page_label(layout, field_mark("PAGE"), field_mark("NUMPAGES"))
    assert normalize(rich.meta.disclaimer or "") not in flow
    assert number in got.text and number not in got.flow
    assert got.text.startswith(got.flow)
    # The first page shows its own header (empty: no marking) and footer; later pages show
    # the running header.
    running = fill_label(layout.labels.running_header, rich, layout)
    footer = (rich.meta.disclaimer or "", number, "")
    assert got.page_parts == (
        PagePart("header", 1, "first", "word/header1.xml", ()),
        PagePart("header", 1, "default", "word/header2.xml", (running,)),
        PagePart("footer", 1, "first", "word/footer1.xml", footer),
        PagePart("footer", 1, "default", "word/footer2.xml", footer))


def test_the_registry_reads_the_brief_with_this_reader(rich_outputs: Path,
                                                       layout: Layout) -> None:
    path = rich_outputs / "rich.docx"
    assert renderers()["docx"].read(path, layout) == read_docx(path, layout)


def test_a_package_without_a_main_document(tmp_path: Path, layout: Layout) -> None:
    path = tmp_path / "empty.docx"
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
    with pytest.raises(ValueError, match="no main document part"):
        read_docx(path, layout)
