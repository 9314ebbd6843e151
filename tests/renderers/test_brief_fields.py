"""The brief's Word fields, read as raw XML and through LibreOffice: numbered captions (SEQ)
bookmarked for cross-references (REF), the filled-in contents (TOC) and the acronym list."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from brief_files import part, render
from conftest import FIXTURES, assert_valid_ooxml, libreoffice_to_pdf, require_tool
from kzreport.build import prepare
from kzreport.renderers._brief_fields import reference_bookmark

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def brief(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("crossrefs")
    document, layout = prepare(FIXTURES / "crossrefs.md", None, folder)
    path = render(document, layout, folder)
    assert_valid_ooxml(path)
    return path


def fields(xml: str) -> list[tuple[str, str]]:
    """Each complex field of ``xml``: (instruction, the result it shows)."""
    found = []
    for field in re.finditer(r'fldCharType="begin"/>.*?fldCharType="end"/>', xml, re.S):
        text = field.group()
        instruction = "".join(re.findall(r"<w:instrText[^>]*>([^<]*)</w:instrText>", text))
        result = text.split('fldCharType="separate"/>', 1)[1]
        found.append((" ".join(instruction.split()),
                      "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", result))))
    return found


def test_captions_number_with_seq_fields_and_references_are_ref_fields(brief: Path) -> None:
    found = [f for f in fields(part(brief, "word/document.xml")) if not f[0].startswith("TOC")]
    trade, shares = reference_bookmark("tbl-trade"), reference_bookmark("tbl-shares")
    figure = reference_bookmark("fig-map")
    assert found == [
        (f"REF {figure} \\h", "Figure 1"), (f"REF {trade} \\h", "Table 1"),
        ("SEQ Figure \\* ARABIC", "1"), ("SEQ Table \\* ARABIC", "1"),
        (f"REF {shares} \\h", "Table 2"), ("SEQ Table \\* ARABIC", "2"),
        (f"REF {trade} \\h", "Table 1"), (f"REF {trade} \\h", "Table 1"),
    ]
    notes = fields(part(brief, "word/footnotes.xml"))
    assert notes == [(f"REF {shares} \\h", "Table 2")]


def test_each_labelled_caption_bookmarks_its_label_and_number(brief: Path) -> None:
    xml = part(brief, "word/document.xml")
    for label, words in (("fig-map", "Figure "), ("tbl-trade", "Table "),
                         ("tbl-shares", "Table ")):
        start = re.search(rf'<w:bookmarkStart w:id="(\d+)" w:name="{reference_bookmark(label)}"/>',
                          xml)
        assert start, label
        inside = xml[start.end():xml.index(f'<w:bookmarkEnd w:id="{start.group(1)}"/>')]
        assert re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", inside)[0] == words
        assert "SEQ " in inside and 'fldCharType="end"' in inside


def test_sections_are_hyperlinks_to_their_headings(brief: Path) -> None:
    xml = part(brief, "word/document.xml")
    assert re.search(r'<w:hyperlink w:anchor="sec_outlook_[0-9a-f]{8}"[^>]*>.*?'
                     r"<w:t>Section 2</w:t>", xml)


def test_the_contents_field_is_filled_in_with_linked_entries(brief: Path) -> None:
    xml = part(brief, "word/document.xml")
    toc = [f for f in fields(xml) if f[0].startswith("TOC")]
    assert toc == [('TOC \\o "1-3" \\h \\z \\u',
                    "BackgroundMembersOutlookKey PointsAcronyms")]
    entries = xml[xml.index('TOC \\o'):xml.index("Acronyms</w:t>")]
    assert entries.count("<w:hyperlink w:anchor=") == 5


def test_libreoffice_shows_the_numbers_contents_and_acronyms(brief: Path, tmp_path: Path
                                                            ) -> None:
    pdf = libreoffice_to_pdf(brief, tmp_path)
    text = " ".join(subprocess.run([require_tool("pdftotext"), str(pdf), "-"],
                                   capture_output=True, text=True, check=True).stdout.split())
    for words in ("Contents Background Members Outlook Key Points Acronyms",
                  "Figure 1 shows its course and Table 1 its volumes", "Section 2 weighs",
                  "Figure 1. The middle corridor", "Table 2. Shares of transit revenue",
                  "Acronyms BRI Belt and Road Initiative EAEU Eurasian Economic Union"):
        assert words in text, words
