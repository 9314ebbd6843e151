"""The brief names fallback fonts on the runs that need them and marks right-to-left text."""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree

from conftest import FIXTURES, ROOT, assert_valid_ooxml
from kzreport.build import layout_for
from kzreport.renderers import renderers
from kzreport.source import read_source

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def brief(name: str, tmp_path: Path) -> etree._Element:
    document = read_source(FIXTURES / f"{name}.md")
    path = tmp_path / f"{name}.docx"
    renderers()["docx"].render(document, layout_for(document, None, ROOT), path)
    assert_valid_ooxml(path)
    with zipfile.ZipFile(path) as package:
        return etree.fromstring(package.read("word/document.xml"))


def runs_with(root: etree._Element, text: str) -> list[etree._Element]:
    return [r for r in root.iter(f"{W}r") if r.findtext(f"{W}t") == text]


def test_a_character_the_font_lacks_is_named_in_its_fallback_family(tmp_path: Path) -> None:
    root = brief("scripts-symbols", tmp_path)
    fonts = {r.find(f"{W}rPr/{W}rFonts").get(f"{W}ascii")  # type: ignore[union-attr]
             for text in ("👍", "👍 ") for r in runs_with(root, text)}
    assert fonts == {"Symbola"}
    # Text the body font has keeps the style's font: no run names Calibri.
    assert not [f for f in root.iter(f"{W}rFonts") if f.get(f"{W}ascii") == "Calibri"]


def test_right_to_left_paragraphs_runs_and_tables_in_an_arabic_paper(tmp_path: Path) -> None:
    root = brief("scripts-arabic", tmp_path)
    body = root.find(f"{W}body")
    assert body is not None
    paragraphs = [p for p in body.iter(f"{W}p")
                  if "".join(t.text or "" for t in p.iter(f"{W}t")).strip()]
    bidi = [p.find(f"{W}pPr/{W}bidi") is not None for p in paragraphs]
    # Every paragraph with Arabic runs right to left; only "Key Points" does not.
    assert bidi.count(False) == 1
    [run] = [r for r in body.iter(f"{W}r") if (r.findtext(f"{W}t") or "").startswith("في الأول")]
    properties = run.find(f"{W}rPr")
    assert properties is not None
    assert properties.find(f"{W}rtl") is not None
    assert properties.find(f"{W}rFonts").get(f"{W}cs") == "Noto Naskh Arabic"  # type: ignore[union-attr]
    assert properties.find(f"{W}lang").get(f"{W}bidi") == "ar"  # type: ignore[union-attr]
    assert body.find(f".//{W}tblPr/{W}bidiVisual") is not None


def test_an_arabic_name_in_an_english_paragraph_is_marked_without_its_brackets(
        tmp_path: Path) -> None:
    root = brief("scripts-english-names", tmp_path)
    [name] = runs_with(root, "کابل")
    assert name.find(f"{W}rPr/{W}rtl") is not None
    assert name.find(f"{W}rPr/{W}lang").get(f"{W}bidi") == "ar-SA"  # type: ignore[union-attr]
    [closing] = [r for r in root.iter(f"{W}r") if (r.findtext(f"{W}t") or "").startswith(")")
                 and r.getprevious() is name]
    assert closing.find(f"{W}rPr/{W}rtl") is None
    paragraph = name.getparent()
    assert paragraph is not None and paragraph.find(f"{W}pPr/{W}bidi") is None
    [hebrew] = runs_with(root, "הארץ")
    assert hebrew.find(f"{W}rPr/{W}lang").get(f"{W}bidi") == "he-IL"  # type: ignore[union-attr]
