"""The Word brief, reopened with python-docx and read as raw XML."""

from __future__ import annotations

import re
import subprocess
import zipfile
from dataclasses import replace
from pathlib import Path

import docx
import pytest
from docx.shared import RGBColor
from docx.text.run import Run

from brief_files import body_texts, part, render
from conftest import (
    FIXTURES,
    SEED,
    assert_valid_ooxml,
    libreoffice_to_pdf,
    package_parts,
    require_tool,
)
from kzreport.layout import Layout
from kzreport.model import Document, KeyPoints, ListBlock, Paragraph, Table, plain_text, walk
from kzreport.source import read_source

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def squash(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def seed_docx(seed: Document, layout: Layout, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = render(seed, layout, tmp_path_factory.mktemp("seed"))
    assert_valid_ooxml(path)
    return path


@pytest.fixture(scope="module")
def rich_docx(rich: Document, layout: Layout, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = render(rich, layout, tmp_path_factory.mktemp("rich"))
    assert_valid_ooxml(path)
    return path


def test_every_paragraph_and_key_point_of_the_seed_in_order(seed: Document,
                                                            seed_docx: Path) -> None:
    texts = [squash(t) for t in body_texts(seed_docx)]
    expected = [squash(plain_text(b.inlines)) for b in seed.blocks if isinstance(b, Paragraph)]
    expected += [squash(plain_text(p.inlines)) for p in seed.key_points.points]
    positions = [texts.index(e) for e in expected]
    assert positions == sorted(positions)
    assert len(expected) == 9


def test_every_word_of_the_seed_text_is_present(seed_docx: Path) -> None:
    seed_text = SEED.read_text(encoding="utf-8").split("---", 2)[2]
    words = set(re.findall(r"\w[\w’-]*", seed_text)) - {"Key", "Points"}
    document_words = set(re.findall(r"\w[\w’-]*", " ".join(body_texts(seed_docx))))
    assert words <= document_words


def test_title_block_and_styles(seed: Document, seed_docx: Path) -> None:
    paragraphs = docx.Document(str(seed_docx)).paragraphs
    by_style = {p.style.name: p.text for p in paragraphs if p.style is not None}
    assert by_style["Title"] == seed.meta.title
    texts = [p.text for p in paragraphs]
    assert "LTC Andrea ZANINI, ITA A, Action Officer, CSAG CCJ5" in texts
    assert "3 June 2022" in texts
    assert [p.text for p in paragraphs if p.style is not None
            and p.style.name == "Heading 2"] == ["Key Points", "Further Reading"]


def test_key_points_are_word_bullets(seed_docx: Path) -> None:
    paragraphs = docx.Document(str(seed_docx)).paragraphs
    listed = [p for p in paragraphs if p._p.find(f"{W}pPr/{W}numPr") is not None]
    assert len(listed) == 4 + 2  # four key points, two further-reading links
    numbering = part(seed_docx, "word/numbering.xml")
    assert 'w:numFmt w:val="bullet"' in numbering


def test_further_reading_links_are_real_hyperlinks(seed: Document, seed_docx: Path) -> None:
    rels = part(seed_docx, "word/_rels/document.xml.rels")
    targets = re.findall(r'Target="([^"]+)" TargetMode="External"', rels)
    assert sorted(targets) == sorted(link.url for link in seed.meta.links)
    xml = part(seed_docx, "word/document.xml")
    labels = re.findall(r"<w:hyperlink [^>]*>.*?</w:hyperlink>", xml)
    assert len(labels) == 2 and "Read the complete paper" in labels[0]


def test_footer_has_disclaimer_and_page_fields(seed: Document, seed_docx: Path) -> None:
    footer = docx.Document(str(seed_docx)).sections[0].footer
    text = "\n".join(p.text for p in footer.paragraphs)
    assert seed.meta.disclaimer is not None and seed.meta.disclaimer in text
    xml = footer._element.xml
    assert re.search(r"<w:instrText[^>]*> PAGE </w:instrText>", xml)
    assert re.search(r"<w:instrText[^>]*> NUMPAGES </w:instrText>", xml)
    assert "Page " in text and " of " in text


def test_core_properties_and_language(seed: Document, seed_docx: Path) -> None:
    props = docx.Document(str(seed_docx)).core_properties
    assert props.title == seed.meta.title
    assert props.author == "LTC Andrea ZANINI"
    assert props.language == "en-US"
    assert props.keywords.startswith("Kazakhstan")
    assert props.created is not None and props.created.year == 2022
    styles = part(seed_docx, "word/styles.xml")
    assert re.search(r'<w:rPrDefault>.*<w:lang w:val="en-US"', styles, re.S)


def test_nothing_of_the_library_template_remains(seed_docx: Path) -> None:
    with zipfile.ZipFile(seed_docx) as package:
        names = package.namelist()
        blob = b"".join(package.read(n) for n in names)
    assert b"python-docx" not in blob
    assert not any("thumbnail" in n or n.startswith("customXml") for n in names)


#: Every part a brief may hold: what kzreport writes on python-docx's template or a reference
#: document (a figure or logo brings media).
BRIEF_PARTS = re.compile(
    r"\[Content_Types\]\.xml|_rels/\.rels|docProps/(app|core)\.xml"
    r"|word/(_rels/)?document\.xml(\.rels)?|word/(styles|settings|webSettings|fontTable|numbering)"
    r"\.xml|word/theme/theme\d+\.xml|word/(_rels/)?(header|footer)\d+\.xml(\.rels)?"
    r"|word/media/image\d+\.(png|jpe?g)")


def test_every_part_of_a_brief_is_one_kzreport_writes(seed_docx: Path, rich_docx: Path) -> None:
    for path in (seed_docx, rich_docx):
        assert [n for n in package_parts(path) if not BRIEF_PARTS.fullmatch(n)] == [], path
    assert any(n.startswith("word/media/") for n in package_parts(rich_docx))


def test_rich_paper_structure(rich: Document, rich_docx: Path) -> None:
    word = docx.Document(str(rich_docx))
    texts = [squash(p.text) for p in word.paragraphs]
    for block in walk(rich.blocks):
        if isinstance(block, Paragraph) and not isinstance(block, KeyPoints):
            assert squash(plain_text(block.inlines)) in texts
    table = word.tables[0]
    source_table = next(b for b in walk(rich.blocks) if isinstance(b, Table))
    assert [c.text for c in table.rows[0].cells] == [plain_text(c) for c in source_table.header]
    assert table.rows[0]._tr.find(f"{W}trPr/{W}tblHeader") is not None
    assert len(table.rows) == 1 + len(source_table.rows)
    headings = {p.text: p.style.name for p in word.paragraphs if p.style is not None}
    assert headings["Background and context"] == "Heading 2"
    assert headings["Timeline"] == "Heading 3"
    assert any(p.style is not None and p.style.name == "Quote" for p in word.paragraphs)
    nested = [p for p in word.paragraphs
              if p._p.findtext(f"{W}pPr/{W}numPr/{W}ilvl") is not None
              and p._p.xpath("string(w:pPr/w:numPr/w:ilvl/@w:val)") == "2"]
    assert [p.text for p in nested] == ["deeply nested number"]
    assert any(isinstance(b, ListBlock) and b.ordered for b in rich.blocks)


def test_figure_has_alt_text_and_caption(rich_docx: Path) -> None:
    xml = part(rich_docx, "word/document.xml")
    assert 'descr="Bar chart of regional trade volumes by year"' in xml
    assert "Regional trade volumes, 2018–2022" in " ".join(body_texts(rich_docx))


def test_kazakh_text_and_language(rich: Document, rich_docx: Path) -> None:
    texts = body_texts(rich_docx)
    assert rich.meta.title in texts
    assert "Әлия Нұрланқызы, Қауіпсіздік зерттеулері орталығы" in texts
    assert 'w:lang w:val="kk-KZ"' in part(rich_docx, "word/styles.xml")


def test_inline_formatting_and_body_links(rich_docx: Path) -> None:
    word = docx.Document(str(rich_docx))
    runs = [r for p in word.paragraphs for r in p.iter_inner_content() if isinstance(r, Run)]
    assert any(r.text == "Astana Process" and r.bold for r in runs)
    assert any(r.text == "January 2017" and r.italic for r in runs)
    assert any(r.text == "ceasefire" and r.font.name == "DejaVu Sans Mono" for r in runs)
    rels = part(rich_docx, "word/_rels/document.xml.rels")
    assert "https://www.gov.kz/memleket/entities/mfa?lang=en" in rels.replace("&amp;", "&")
    assert "mailto:analysts@example.org" in rels


def test_same_input_gives_identical_bytes(seed: Document, layout: Layout, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = render(seed, layout, tmp_path / "a")
    monkeypatch.setenv("TZ", "Asia/Almaty")
    second = render(seed, layout, tmp_path / "b")
    assert first.read_bytes() == second.read_bytes()


def test_libreoffice_opens_the_brief(rich_docx: Path, tmp_path: Path) -> None:
    pdf = libreoffice_to_pdf(rich_docx, tmp_path)
    pdftotext = require_tool("pdftotext")
    text = subprocess.run([pdftotext, str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Қазақстан" in text and "Page 1 of 2" in text


def test_control_characters_never_reach_the_xml(layout: Layout, tmp_path: Path) -> None:
    document = read_source(FIXTURES / "rich.md")
    # The parser refuses control characters; a model built another way may still carry them.
    dirty = replace(document, meta=replace(document.meta, title="Bell\x07 and\x0b tab"))
    path = render(dirty, layout, tmp_path)
    assert docx.Document(str(path)).core_properties.title == "Bell and tab"


@pytest.mark.parametrize(("marking", "fill", "text_color"), [
    ("UNCLASSIFIED", "007A33", "FFFFFF"),
    ("CUI", "502B85", "FFFFFF"),
    ("CONFIDENTIAL", "0033A0", "FFFFFF"),
    ("SECRET//NOFORN", "C8102E", "FFFFFF"),
    ("TOP SECRET", "FF8C00", "000000"),
    ("TOP SECRET//SCI", "FCE83A", "000000"),
])
def test_marking_banner_top_and_bottom_of_every_page(seed: Document, layout: Layout,
                                                      tmp_path: Path, marking: str, fill: str,
                                                      text_color: str) -> None:
    marked = replace(seed, meta=replace(seed.meta, marking=marking))
    section = docx.Document(str(render(marked, layout, tmp_path))).sections[0]
    assert section.different_first_page_header_footer
    for story, position in ((section.first_page_header, 0), (section.header, 0),
                            (section.first_page_footer, -1), (section.footer, -1)):
        banner = story.paragraphs[position]
        assert banner.text == marking
        assert f'w:fill="{fill}"' in banner._p.xml
        assert banner.runs[0].font.color.rgb == RGBColor.from_string(text_color)


def test_running_header_from_page_two(seed: Document, layout: Layout, tmp_path: Path) -> None:
    section = docx.Document(str(render(seed, layout, tmp_path))).sections[0]
    assert [p.text for p in section.first_page_header.paragraphs if p.text] == []
    assert "3 June 2022" in section.header.paragraphs[-1].text
    assert "Kazakhstan’s Position" in section.header.paragraphs[-1].text


def test_headings_never_skip_a_level(layout: Layout, tmp_path: Path) -> None:
    source = tmp_path / "skip.md"
    source.write_text("---\ntitle: T\nauthors: [A]\ndate: 2024-01-02\n---\n\n### Deep first\n\n"
                      "Text.\n\n## Section\n\n### Sub\n\n## Key Points\n\n- One.\n", "utf-8")
    word = docx.Document(str(render(read_source(source), layout, tmp_path)))
    styles = [(p.text, p.style.name) for p in word.paragraphs
              if p.style is not None and p.style.name.startswith("Heading")]
    assert styles == [("Deep first", "Heading 2"), ("Section", "Heading 2"),
                      ("Sub", "Heading 3"), ("Key Points", "Heading 2")]
    assert '<w:outlineLvl w:val="0"/>' in part(tmp_path / "skip.docx", "word/styles.xml")


def test_a_headline_closed_by_punctuation_keeps_it_tight(layout: Layout, tmp_path: Path) -> None:
    source = tmp_path / "colon.md"
    source.write_text("---\ntitle: T\nauthors: [A]\ndate: 2024-01-02\n---\n\nText.\n\n"
                      "## Key Points\n\n- **Headline**: text.\n- **Spaced** text.\n"
                      "- **Alone**\n", "utf-8")
    word = docx.Document(str(render(read_source(source), layout, tmp_path)))
    assert [p.text for p in word.paragraphs][-3:] == ["Headline: text.", "Spaced text.", "Alone"]


def test_a_numbered_list_may_start_at_zero(layout: Layout, tmp_path: Path) -> None:
    source = tmp_path / "zero.md"
    source.write_text("---\ntitle: T\nauthors: [A]\ndate: 2024-01-02\n---\n\n0. Zero\n1. One\n\n"
                      "## Key Points\n\n- One.\n", "utf-8")
    render(read_source(source), layout, tmp_path)
    numbering = part(tmp_path / "zero.docx", "word/numbering.xml")
    assert re.search(r'<w:startOverride w:val="0"/>', numbering), numbering[-600:]


def test_rows_key_points_and_further_reading_keep_together(rich: Document, layout: Layout,
                                                           tmp_path: Path) -> None:
    body = part(render(rich, layout, tmp_path), "word/document.xml")
    rows = re.findall(r"<w:tr[ >].*?</w:tr>", body, flags=re.S)
    assert rows and all("<w:cantSplit/>" in row for row in rows)
    paragraphs = re.findall(r"<w:p[ >].*?</w:p>", body, flags=re.S)

    def kept(text: str) -> bool:
        (found,) = [p for p in paragraphs if text in p]
        return "<w:keepNext/>" in found

    # The first key point has details, the second none.
    assert kept("Neutrality is rooted in tradition.")
    assert not kept("Бейтараптық — дәстүр.")
    # Further reading: every link but the last keeps with the next.
    assert kept("Толық нұсқасы (full text)") and not kept("Write to the authors")
