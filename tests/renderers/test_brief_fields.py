"""The brief's Word fields, read as raw XML and through LibreOffice: numbered captions (SEQ)
bookmarked for cross-references (REF), the filled-in contents (TOC) and the acronym list."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest

from brief_files import part, render
from conftest import FIXTURES, assert_valid_ooxml, libreoffice_to_pdf, require_tool, write_source
from kzreport.build import prepare
from kzreport.renderers._brief_fields import reference_bookmark

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
#: The front matter of the small papers written here.
FRONT = 'title: "T"\nauthors:\n  - A. Analyst\ndate: 2024-01-01'


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


def test_a_brief_with_contents_asks_word_to_update_its_fields(brief: Path) -> None:
    settings = part(brief, "word/settings.xml")
    assert settings.count('<w:updateFields w:val="true"/>') == 1
    # CT_Settings puts it after the view and proofing settings, before the compatibility ones.
    assert settings.index("<w:updateFields") < settings.index("<w:compat>")


def test_only_a_brief_with_contents_asks_and_the_template_keeps_no_trace(tmp_path: Path
                                                                         ) -> None:
    body = "## Background\n\nText.\n\n## Outlook\n\nMore text."
    briefs = {}
    # The paper with contents first: the one after it starts from the same prepared template.
    for name, toc in (("with", "toc: true"), ("without", ""), ("empty", "toc: true")):
        source = write_source(tmp_path, f"{FRONT}\n{toc}",
                              "Only a paragraph." if name == "empty" else body, name)
        document, layout = prepare(source, None, tmp_path)
        briefs[name] = part(render(document, layout, tmp_path), "word/settings.xml")
    assert "updateFields" in briefs["with"]
    assert "updateFields" not in briefs["without"]
    assert "updateFields" not in briefs["empty"]  # no headings: no contents to update


def test_a_reference_document_without_settings_gets_valid_ones(tmp_path: Path) -> None:
    house = tmp_path / "house"
    house.mkdir()
    reference = house / "reference.docx"
    with zipfile.ZipFile(FIXTURES / "reference-docs" / "pandoc.docx") as original, \
            zipfile.ZipFile(reference, "w") as copy:
        for item in original.infolist():
            data = original.read(item)
            if item.filename == "word/settings.xml":
                continue
            if item.filename == "word/_rels/document.xml.rels":
                data = re.sub(rb'<Relationship [^>]*Target="settings.xml"\s*/>', b"", data)
            if item.filename == "[Content_Types].xml":
                data = re.sub(rb'<Override PartName="/word/settings.xml"[^>]*/>', b"", data)
            copy.writestr(item, data)
    assert b"settings" not in zipfile.ZipFile(reference).read("word/_rels/document.xml.rels")
    (house / "layout.toml").write_text(
        'inherit = "default"\n[files]\nreference_docx = "reference.docx"\n', encoding="utf-8")
    source = write_source(tmp_path, f"{FRONT}\ntoc: true\nlayout: house",
                          "## Background\n\nText.")
    document, layout = prepare(source, None, tmp_path)
    path = render(document, layout, tmp_path)
    assert '<w:updateFields w:val="true"/>' in part(path, "word/settings.xml")
    assert_valid_ooxml(path)
