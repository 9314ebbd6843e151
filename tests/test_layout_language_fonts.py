"""A language's own faces and line spacing: Urdu in Nastaliq, in every format."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pypdf
import pytest

from conftest import FIXTURES
from kzreport.build import Options, build
from kzreport.layout import Layout
from kzreport.layout_loader import load_layout
from test_layout_loader import problems, write_layout

NASTALIQ, NASKH = "Noto Nastaliq Urdu", "Noto Naskh Arabic"


def test_urdu_papers_draw_arabic_script_in_nastaliq_with_more_room(layout: Layout) -> None:
    urdu = layout.for_language("ur-PK")
    for role in ("body", "heading", "mono"):
        names = [f.name for f in getattr(urdu.fonts, role).fallback]
        assert NASTALIQ in names and NASKH not in names, role
        assert len(names) == len(getattr(layout.fonts, role).fallback)
    assert urdu.leading == 1.7
    for other in ("ar", "fa", "ps", "en"):  # Naskh, at the layout's own spacing
        assert layout.for_language(other).fonts.body.fallback[0].name == NASKH
        assert layout.for_language(other).leading == 1.0


def test_the_pdf_leads_by_the_languages_multiple(layout: Layout) -> None:
    from kzreport.renderers._pdf_styles import PdfFonts, PdfStyles

    urdu_layout = layout.for_language("ur")
    own = PdfStyles(layout, PdfFonts(layout))
    urdu = PdfStyles(urdu_layout, PdfFonts(urdu_layout), rtl=True)
    for name in ("body", "title", "heading2", "footnote"):
        assert getattr(urdu, name).leading == pytest.approx(1.7 * getattr(own, name).leading)


def test_unknown_families_and_spacing_out_of_range_are_located_errors(tmp_path: Path) -> None:
    write_layout(tmp_path / "mine", 'inherit = "default"\n[languages.ur.script]\n'
                 'fonts = { arabic = "nastaleeq", missing = "sans" }\nleading = 9\n')
    found = problems(str(tmp_path / "mine"), tmp_path)
    assert any("unknown font family 'nastaleeq'" in p for p in found), found
    assert any("unknown font family 'missing'" in p for p in found), found
    assert not any("body" in p for p in found)  # the families a swap may name: fallbacks
    assert any("languages.ur.script.leading" in p and "between 1 and 3" in p for p in found)
    write_layout(tmp_path / "typo", 'inherit = "default"\n[languages.ur.script]\nleadin = 2\n')
    assert any("leadin" in p for p in problems(str(tmp_path / "typo"), tmp_path))


def test_an_urdu_paper_names_and_embeds_nastaliq_in_every_format(tmp_path: Path) -> None:
    source = FIXTURES / "scripts-urdu.md"
    [outcome] = build([source], Options(out_dir=tmp_path, formats=("docx", "pdf", "pptx"),
                                        cwd=tmp_path))
    assert not outcome.failed, outcome.problems
    with zipfile.ZipFile(tmp_path / "scripts-urdu.docx") as brief:
        assert f'w:cs="{NASTALIQ}"' in brief.read("word/document.xml").decode("utf-8")
    with zipfile.ZipFile(tmp_path / "scripts-urdu.pptx") as deck:
        slide = deck.read("ppt/slides/slide3.xml").decode("utf-8")
        assert f'<a:cs typeface="{NASTALIQ}"/>' in slide and NASKH not in slide
    pages = pypdf.PdfReader(tmp_path / "scripts-urdu.pdf").pages
    fonts = {str(font.get_object()["/BaseFont"]) for page in pages
             for font in page["/Resources"]["/Font"].values()}  # type: ignore[index]
    assert any("NotoNastaliqUrdu" in name for name in fonts)
    assert not any("NotoNaskh" in name for name in fonts)


def test_the_builtin_layouts_load_with_it(tmp_path: Path) -> None:
    assert load_layout("briefing", tmp_path).for_language("ur").leading == 1.7
