"""The glyph check before rendering names exactly what the PDF renderer would refuse."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FIXTURES
from kzreport import glyphs
from kzreport.errors import RenderError
from kzreport.glyphs import glyph_problems
from kzreport.layout import Layout
from kzreport.layout_loader import load_layout
from kzreport.renderers import renderers
from kzreport.source import read_source

EVERY_FACE = FIXTURES / "glyphs-every-face.md"
#: Bitstream Vera, shipped with reportlab, has no Cyrillic: a face set in it cannot draw 'Ж'.
LATIN_ONLY = {"regular": "Vera.ttf", "bold": "VeraBd.ttf", "italic": "VeraIt.ttf",
              "bold_italic": "VeraBI.ttf"}
#: Every face the PDF draws with: headings are bold, so the heading family's plain italic
#: face is never used.
FACES = [(role, style) for role in ("body", "heading", "mono") for style in LATIN_ONLY
         if (role, style) != ("heading", "italic")]


def layout_with_latin_only(tmp_path: Path, role: str, style: str) -> Layout:
    """The default layout with one face swapped for a font that lacks Cyrillic."""
    folder = tmp_path / "layouts" / "latin"
    folder.mkdir(parents=True)
    (folder / "layout.toml").write_text(
        f'inherit = "default"\n[fonts.{role}]\nfallback = []\n'
        f'{style} = "package:reportlab/fonts/{LATIN_ONLY[style]}"\n', "utf-8")
    return load_layout("latin", tmp_path)


def pdf_refusal(layout: Layout, tmp_path: Path, source: Path = EVERY_FACE) -> set[str]:
    """What the PDF renderer itself refuses when it draws the every-face paper."""
    with pytest.raises(RenderError) as refused:
        renderers()["pdf"].render(read_source(source), layout, tmp_path / "out.pdf")
    return {str(problem) for problem in refused.value.problems}


@pytest.mark.parametrize(("role", "style"), FACES)
def test_the_check_predicts_every_face_the_pdf_draws(tmp_path: Path, role: str, style: str,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(glyphs, "MAX_GLYPH_PROBLEMS", 1000)
    layout = layout_with_latin_only(tmp_path, role, style)
    predicted = {str(problem) for problem in glyph_problems(read_source(EVERY_FACE), layout)}
    assert predicted, f"the fixture draws nothing in the {role} {style} face"
    assert all(f"({LATIN_ONLY[style]})" in problem for problem in predicted)
    assert predicted == pdf_refusal(layout, tmp_path)


def test_the_default_layout_draws_the_every_face_paper(layout: Layout) -> None:
    assert glyph_problems(read_source(EVERY_FACE), layout) == []


def test_a_face_the_pdf_never_draws_is_not_checked(tmp_path: Path) -> None:
    layout = layout_with_latin_only(tmp_path, "heading", "italic")
    assert glyph_problems(read_source(EVERY_FACE), layout) == []
    renderers()["pdf"].render(read_source(EVERY_FACE), layout, tmp_path / "out.pdf")
    assert (tmp_path / "out.pdf").stat().st_size > 0


def test_the_layouts_own_words_are_checked_and_located_in_the_layout(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(glyphs, "MAX_GLYPH_PROBLEMS", 1000)
    folder = tmp_path / "layouts" / "words"
    folder.mkdir(parents=True)
    (folder / "layout.toml").write_text(
        'inherit = "default"\nmonth_names = ["Қаңтар", "Ақпан", "Наурыз", "Сәуір", "Мамыр", '
        '"Маусым", "Шілде", "Тамыз", "Қыркүйек", "Қазан", "Қараша", "Желтоқсан"]\n'
        '[labels]\nsummary = "Түйін"\n'
        '[fonts.body]\nregular = "package:reportlab/fonts/Vera.ttf"\nfallback = []\n'
        '[fonts.heading]\nbold = "package:reportlab/fonts/VeraBd.ttf"\nfallback = []\n',
        "utf-8")
    layout = load_layout("words", tmp_path)
    document = read_source(EVERY_FACE)
    problems = [str(p) for p in glyph_problems(document, layout)]
    # The month is the paper's (its date, first drawn in the running header, which belongs to
    # the title on line 2); the label is the layout's own.
    assert any(p.startswith(f"{EVERY_FACE}:2: error: character 'М'") for p in problems)
    assert any(p.startswith(f"{folder / 'layout.toml'}: error: character 'Т'") for p in problems)
    # The paper's own problems come first, wherever the layout lives.
    assert problems[0].startswith(str(EVERY_FACE)) and problems[-1].startswith(str(folder))


def test_a_soft_hyphen_and_no_break_space_are_not_missing_glyphs(tmp_path: Path,
                                                                 layout: Layout) -> None:
    source = tmp_path / "shy.md"
    source.write_text(EVERY_FACE.read_text("utf-8").replace(
        "Plain Ж", "Hyphen\u00adation and no\u00a0break"), "utf-8")
    (tmp_path / "pdf-chart.png").write_bytes((FIXTURES / "pdf-chart.png").read_bytes())
    assert glyph_problems(read_source(source), layout) == []


def test_many_missing_characters_are_cut_to_a_count(tmp_path: Path) -> None:
    layout = layout_with_latin_only(tmp_path, "body", "regular")
    source = tmp_path / "cjk.md"
    source.write_text(EVERY_FACE.read_text("utf-8").replace(
        "Plain Ж", "".join(chr(0x4E00 + n) for n in range(30))), "utf-8")
    (tmp_path / "pdf-chart.png").write_bytes((FIXTURES / "pdf-chart.png").read_bytes())
    problems = glyph_problems(read_source(source), layout)
    assert len(problems) == glyphs.MAX_GLYPH_PROBLEMS + 1
    assert problems[-1].message.endswith("more missing characters not shown")


def test_right_to_left_text_passes_the_check_and_the_pdf_sets_it(
        tmp_path: Path, layout: Layout) -> None:
    from pypdf import PdfReader

    source = tmp_path / "ar.md"
    source.write_text(EVERY_FACE.read_text("utf-8").replace("Ж", "نص").replace(
        "Bullet نص", "שלום"), "utf-8")
    (tmp_path / "pdf-chart.png").write_bytes((FIXTURES / "pdf-chart.png").read_bytes())
    assert glyph_problems(read_source(source), layout) == []
    assert renderers()["pdf"].render(read_source(source), layout, tmp_path / "out.pdf") == []
    text = "".join(PdfReader(tmp_path / "out.pdf").pages[0].extract_text().split())
    assert "Plainنص,boldنص," in text and "שלום" in text and "codeblockنص" in text


def test_a_character_in_no_font_of_the_chain_is_named_once_with_its_column(
        tmp_path: Path, layout: Layout) -> None:
    source = tmp_path / "sym.md"
    source.write_text(EVERY_FACE.read_text("utf-8").replace("Plain Ж", "Sign 𓀀 ✓ 😀 ‑")
                      .replace("Bullet Ж", "Again 𓀀"), "utf-8")
    (tmp_path / "pdf-chart.png").write_bytes((FIXTURES / "pdf-chart.png").read_bytes())
    problems = [str(p) for p in glyph_problems(read_source(source), layout)]
    assert problems == [
        f"{source}:17:6: error: character '𓀀' (U+13000) is not in font Calibri "
        "(Carlito-Regular.ttf) nor its fallback fonts Noto Naskh Arabic, DejaVu Sans, Symbola "
        "— replace the character, or use a layout whose fonts cover it"]
