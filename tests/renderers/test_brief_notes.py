"""The Word brief's footnotes part and the other Pandoc constructs, read back as raw XML,
with python-docx and through LibreOffice."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest

from brief_files import part, render
from conftest import FIXTURES, assert_valid_ooxml, libreoffice_to_pdf, require_tool
from kzreport.layout import Layout
from kzreport.model import Document, plain_text
from kzreport.source import read_source

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def constructs() -> Document:
    return read_source(FIXTURES / "pandoc-constructs.md")


@pytest.fixture(scope="module")
def constructs_docx(constructs: Document, layout: Layout,
                    tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = render(constructs, layout, tmp_path_factory.mktemp("constructs"))
    assert_valid_ooxml(path)
    return path


def test_word_footnotes_hold_each_note_in_order_with_its_number(
        constructs: Document, constructs_docx: Path) -> None:
    notes = part(constructs_docx, "word/footnotes.xml")
    body = part(constructs_docx, "word/document.xml")
    assert re.findall(r'<w:footnoteReference w:id="(\d+)"/>', body) == [
        str(n) for n in range(1, 8)]
    ids = re.findall(r'<w:footnote (?:w:type="(\w+)" )?w:id="(-?\d+)"', notes)
    assert ids == [("separator", "-1"), ("continuationSeparator", "0"),
                   *(("", str(n)) for n in range(1, 8))]
    texts = [re.sub(r"<[^>]+>", "", chunk) for chunk in re.split(r'<w:footnote w:id="\d+">',
                                                                  notes)[1:]]
    for note, text in zip(constructs.footnotes, texts, strict=True):
        assert "".join(text.split()) == "".join(
            "".join(plain_text(p.inlines) for p in note.paragraphs).split())
    assert notes.count("<w:footnoteRef/>") == 7
    assert 'w:pStyle w:val="footnotetext"' in notes
    # A note's link relates from the footnotes part, not from the body.
    rels = part(constructs_docx, "word/_rels/footnotes.xml.rels")
    assert 'Target="https://www.fao.org/aquastat/"' in rels
    assert '<w:footnotePr><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>' in part(
        constructs_docx, "word/settings.xml")


def test_footnote_styles_are_words_own(constructs_docx: Path) -> None:
    styles = part(constructs_docx, "word/styles.xml")
    assert re.search(r'w:styleId="footnotereference".*?<w:vertAlign w:val="superscript"/>',
                     styles, re.S)
    assert '<w:name w:val="footnote text"/>' in styles


def test_a_brief_without_notes_has_no_footnotes_part(seed: Document, layout: Layout,
                                                     tmp_path: Path) -> None:
    with zipfile.ZipFile(render(seed, layout, tmp_path)) as package:
        assert "word/footnotes.xml" not in package.namelist()


def test_strike_sub_superscript_bookmarks_internal_links_and_the_page_break(
        constructs_docx: Path) -> None:
    body = part(constructs_docx, "word/document.xml")
    assert re.search(r"<w:strike/></w:rPr><w:t>Earlier estimates</w:t>", body)
    assert re.search(r'<w:vertAlign w:val="subscript"/></w:rPr><w:t>2</w:t>', body)
    assert re.search(r'<w:vertAlign w:val="superscript"/></w:rPr><w:t>3</w:t>', body)
    bookmarks = re.findall(r'<w:bookmarkStart w:id="\d+" w:name="(\w+)"/>', body)
    anchors = re.findall(r'<w:hyperlink w:anchor="(\w+)"', body)
    assert anchors and set(anchors) <= set(bookmarks)
    assert anchors[0] == "method"
    assert body.count('<w:br w:type="page"/>') == 1


def test_libreoffice_prints_the_notes_at_the_foot_of_their_pages(
        constructs_docx: Path, tmp_path: Path) -> None:
    pdf = libreoffice_to_pdf(constructs_docx, tmp_path)
    text = subprocess.run([require_tool("pdftotext"), "-layout", str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    first, second = text.split("\f")[:2]
    assert "Micklin" in first and "negotiator" in first  # notes 2 and 5, on page 1
    assert "Agreement on Cooperation" in second and "Terms used" in second  # after the break
