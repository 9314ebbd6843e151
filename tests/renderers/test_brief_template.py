"""The brief's styled template: styles, list definitions, empty page furniture, the cache."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest
from docx.shared import RGBColor

from brief_files import body_texts, part, render
from kzreport.layout import Layout
from kzreport.layout_loader import load_layout
from kzreport.model import Document
from kzreport.renderers._brief_template import styled_template
from kzreport.renderers._docx_internals import declared_child_order
from kzreport.renderers._wordml import qn


def test_one_template_per_layout_and_language(layout: Layout) -> None:
    english = styled_template(layout, "en-US")
    assert styled_template(layout, "en-US") is english
    kazakh = styled_template(layout, "kk-KZ")
    assert kazakh is not english
    languages = [t.document.copy().styles.element.find(
        f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}").get(
        qn("w:val")) for t in (english, kazakh)]
    assert languages == ["en-US", "kk-KZ"]


def test_styles_the_writer_asks_for_are_all_there(layout: Layout) -> None:
    template = styled_template(layout, "en-US")
    word = template.document.copy()
    names = {"Normal", "Title", "Subtitle", "Heading 2", "Heading 3", "Quote", "Caption",
             "Header", "Footer", "List Paragraph", "Code Block", "Hyperlink"}
    assert names <= set(template.style_ids)
    ids = {style.style_id: style.name for style in word.styles}
    assert all(ids[template.style_ids[name]] == name for name in names)


def test_run_defaults_carry_the_layouts_font_and_language_in_schema_order(
        layout: Layout) -> None:
    word = styled_template(layout, "kk-KZ").document.copy()
    defaults = word.styles.element.find(
        f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    fonts = defaults.find(qn("w:rFonts"))
    assert fonts.get(qn("w:ascii")) == fonts.get(qn("w:cs")) == layout.fonts.body.name
    assert len(defaults.findall(qn("w:lang"))) == len(defaults.findall(qn("w:rFonts"))) == 1
    order = [qn(tag) for tag in declared_child_order("w:rPr")]
    tags = [child.tag for child in defaults]
    assert tags == sorted(tags, key=order.index)


def test_list_definitions_precede_every_list(layout: Layout) -> None:
    template = styled_template(layout, "en-US")
    numbering = template.document.copy().part.numbering_part.element
    children = [child.tag for child in numbering]
    abstract = [n.get(qn("w:abstractNumId")) for n in numbering.iterchildren(qn("w:abstractNum"))]
    assert set(template.list_definitions) <= set(abstract)
    if qn("w:num") in children:
        assert children.index(qn("w:num")) > max(
            i for i, tag in enumerate(children) if tag == qn("w:abstractNum"))
    bullet, numbered = (numbering.find(f"{qn('w:abstractNum')}[@{qn('w:abstractNumId')}='{i}']")
                        for i in template.list_definitions)
    assert bullet.find(f"{qn('w:lvl')}/{qn('w:numFmt')}").get(qn("w:val")) == "bullet"
    assert numbered.find(f"{qn('w:lvl')}/{qn('w:numFmt')}").get(qn("w:val")) == "decimal"
    assert len(bullet.findall(qn("w:lvl"))) == len(numbered.findall(qn("w:lvl"))) == 9


def test_header_and_footer_parts_are_made_once_and_empty(layout: Layout) -> None:
    section = styled_template(layout, "en-US").document.copy().sections[0]
    assert section.different_first_page_header_footer
    for story in (section.first_page_header, section.header, section.first_page_footer,
                  section.footer):
        assert not story.is_linked_to_previous
        assert len(story.part.element) == 0


def test_reference_docx_styles_are_used_and_its_content_removed(seed: Document,
                                                                tmp_path: Path) -> None:
    reference = docx.Document()
    reference.styles["Heading 2"].font.color.rgb = RGBColor.from_string("AB1234")
    reference.add_paragraph("SAMPLE CONTENT TO REMOVE")
    folder = tmp_path / "house"
    folder.mkdir()
    reference.save(str(folder / "reference.docx"))
    (folder / "layout.toml").write_text(
        'inherit = "default"\n[files]\nreference_docx = "reference.docx"\n', encoding="utf-8")
    house = load_layout(str(folder), tmp_path)
    word = docx.Document(str(render(seed, house, tmp_path)))
    assert "SAMPLE CONTENT TO REMOVE" not in [p.text for p in word.paragraphs]
    assert word.styles["Heading 2"].font.color.rgb == RGBColor.from_string("AB1234")
    assert word.paragraphs[1].text == seed.meta.title


def test_briefs_built_one_after_another_share_nothing(seed: Document, rich: Document,
                                                       layout: Layout, tmp_path: Path) -> None:
    # Both start from the process's one styled template: the second must not see the first.
    for name in ("1", "2", "3"):
        (tmp_path / name).mkdir()
    first = body_texts(render(rich, layout, tmp_path / "1"))
    second = body_texts(render(seed, layout, tmp_path / "2"))
    assert second == body_texts(render(seed, layout, tmp_path / "3"))
    assert rich.meta.title in first
    assert rich.meta.title not in second and seed.meta.title in second
    numbering = part(tmp_path / "3" / f"{seed.stem}.docx", "word/numbering.xml")
    assert numbering == part(tmp_path / "2" / f"{seed.stem}.docx", "word/numbering.xml")


def test_an_edited_reference_document_is_read_again(seed: Document, tmp_path: Path) -> None:
    folder = tmp_path / "house"
    folder.mkdir()
    (folder / "layout.toml").write_text(
        'inherit = "default"\n[files]\nreference_docx = "reference.docx"\n', encoding="utf-8")
    colors = []
    for color in ("AB1234", "12AB34"):
        reference = docx.Document()
        reference.styles["Heading 2"].font.color.rgb = RGBColor.from_string(color)
        reference.save(str(folder / "reference.docx"))
        house = load_layout(str(folder), tmp_path)
        (tmp_path / color).mkdir()
        word = docx.Document(str(render(seed, house, tmp_path / color)))
        colors.append(word.styles["Heading 2"].font.color.rgb)
    assert colors == [RGBColor.from_string("AB1234"), RGBColor.from_string("12AB34")]


def test_only_the_styles_part_holds_styles(seed: Document, layout: Layout,
                                           tmp_path: Path) -> None:
    seed_docx = render(seed, layout, tmp_path)
    with zipfile.ZipFile(seed_docx) as package:
        names = package.namelist()
    # Word 2010 would prefer a stale stylesWithEffects.xml to the layout's styles.
    assert "word/styles.xml" in names and "word/stylesWithEffects.xml" not in names
    assert "stylesWithEffects" not in part(seed_docx, "word/_rels/document.xml.rels")
    styles = docx.Document(str(seed_docx)).styles
    table_styles = [s for s in styles if s.type == 3]  # WD_STYLE_TYPE.TABLE
    # The template's unused table styles are gone; the default one stays for Word.
    assert [s.name for s in table_styles] == ["Normal Table"]


def test_page_sizes_and_orientations(seed: Document, tmp_path: Path) -> None:
    import pypdf

    from kzreport.renderers import renderers

    for size, orientation, (width, height) in (("Legal", "landscape", (1008, 612)),
                                                 ("A5", "portrait", (419.5, 595.3))):
        folder = tmp_path / f"{size}-{orientation}"
        folder.mkdir()
        (folder / "layout.toml").write_text(
            f'inherit = "default"\n[page]\nsize = "{size}"\norientation = "{orientation}"\n',
            encoding="utf-8")
        layout = load_layout(str(folder), tmp_path)
        assert (round(layout.page.width, 1), round(layout.page.height, 1)) == (width, height)
        page_size = docx.Document(str(render(seed, layout, folder))).sections[0]
        assert page_size.page_width is not None and page_size.page_height is not None
        assert (page_size.page_width.pt, page_size.page_height.pt) == \
            pytest.approx((width, height), abs=0.2)
        document_xml = part(folder / f"{seed.stem}.docx", "word/document.xml")
        assert ('w:orient="landscape"' in document_xml) == (orientation == "landscape")
        pdf = folder / f"{seed.stem}.pdf"
        assert renderers()["pdf"].render(seed, layout, pdf) == []
        box = pypdf.PdfReader(pdf).pages[0].mediabox
        assert (float(box.width), float(box.height)) == pytest.approx((width, height), abs=0.2)
