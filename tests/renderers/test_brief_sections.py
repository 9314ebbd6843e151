"""The brief's landscape sections for a portrait paper's wide tables (``_brief_sections``)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pypdf

from brief_files import part, render
from conftest import FIXTURES, libreoffice_to_pdf, write_source
from kzreport.layout import Layout
from kzreport.readers.docx import page_parts
from kzreport.source import read_source

WIDE = FIXTURES / "wide-table.md"
TABLE = "| A | B |\n|---|---|\n| 1 | 2 |\n\n: Wide {.landscape}\n"


def sections(path: Path) -> list[str]:
    return re.findall(r"<w:sectPr\b.*?</w:sectPr>", part(path, "word/document.xml"))


def test_a_wide_table_has_a_landscape_section_between_portrait_ones(layout: Layout,
                                                                    tmp_path: Path) -> None:
    brief = render(read_source(WIDE), layout, tmp_path)
    first, turned, last = sections(brief)
    assert 'w:orient="landscape"' in turned and 'w:w="16838" w:h="11906"' in turned
    assert 'w:w="11906" w:h="16838"' in first and 'w:w="11906" w:h="16838"' in last
    # Only the title's page is a first page of its own; every section shows the same header
    # and footer parts (the running header, the disclaimer and the page number).
    assert ["<w:titlePg/>" in s for s in (first, turned, last)] == [True, False, False]
    references = [re.findall(r'<w:(?:header|footer)Reference [^>]*/>', s) for s in sections(brief)]
    assert references[0] == references[1] == references[2]
    # The heading before the table turns with it; the table is in the landscape section.
    document = part(brief, "word/document.xml")
    start = document.index("Register of crossings")
    assert document.index(first) < start < document.index("REF-2024-00125") < document.index(
        turned)
    with zipfile.ZipFile(brief) as package:
        root = ET.fromstring(package.read("word/document.xml"))
        shown = page_parts(package, "word/document.xml", root)
    footers = [p for p in shown if p.kind == "footer" and p.section == 2]
    # Its first page too shows the later pages' footer (the title page's has no page number).
    assert len({p.part for p in footers}) == 1
    assert all("The views are the authors' own." in p.paragraphs for p in footers)


def test_libreoffice_turns_the_same_pages_the_pdf_does(layout: Layout, tmp_path: Path) -> None:
    brief = render(read_source(WIDE), layout, tmp_path)
    pages = pypdf.PdfReader(libreoffice_to_pdf(brief, tmp_path)).pages
    assert [float(p.mediabox.width) > float(p.mediabox.height) for p in pages] == [
        False, True, False]


def test_a_paper_ending_on_a_landscape_table_ends_there(layout: Layout, tmp_path: Path) -> None:
    document = read_source(write_source(
        tmp_path, "title: T\nauthors: [A]\ndate: 2024-01-02\nlanguage: en-US",
        "## Key Points\n\n- One.\n\n## Annex\n\n" + TABLE))
    brief = render(document, layout, tmp_path)
    first, last = sections(brief)
    assert "<w:titlePg/>" in first and 'w:orient="landscape"' not in first
    assert 'w:orient="landscape"' in last and "<w:titlePg/>" not in last
    pages = pypdf.PdfReader(libreoffice_to_pdf(brief, tmp_path)).pages
    assert [float(p.mediabox.width) > float(p.mediabox.height) for p in pages] == [False, True]


def test_landscape_tables_in_a_row_share_their_pages(layout: Layout, tmp_path: Path) -> None:
    # A page break where the pages turn is the turn's own: no page is left blank.
    document = read_source(write_source(
        tmp_path, "title: T\nauthors: [A]\ndate: 2024-01-02\nlanguage: en-US",
        f"Text.\n\n\\newpage\n\n{TABLE}\n{TABLE}\n\\newpage\n\nMore text.\n\n"
        "## Key Points\n\n- One.\n"))
    brief = render(document, layout, tmp_path)
    assert len(sections(brief)) == 3
    pages = pypdf.PdfReader(libreoffice_to_pdf(brief, tmp_path)).pages
    assert [float(p.mediabox.width) > float(p.mediabox.height) for p in pages] == [
        False, True, False]
