"""The PDF's fonts, glyph checks and paragraph styles, seen in rendered files."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pdf_reading import LONG_WORDS, lines_of, link_uris, page_words, paper_pdf, pdftotext, render

from conftest import ROOT, require_tool, write_source
from kzreport.build import Options, build
from kzreport.errors import RenderError
from kzreport.layout import Layout
from kzreport.layout_loader import load_layout
from kzreport.source import read_source


def test_fonts_are_embedded_and_subset(request: pytest.FixtureRequest) -> None:
    rich_pdf, long_pdf = paper_pdf("rich", request), paper_pdf("long", request)
    tool = require_tool("pdffonts")
    for pdf in (rich_pdf, long_pdf):
        rows = subprocess.run([tool, str(pdf)], capture_output=True, text=True,
                              check=True).stdout.splitlines()[2:]
        assert rows
        for row in rows:
            name, *_, emb, sub, uni, _obj, _gen = row.split()
            assert (emb, sub, uni) == ("yes", "yes", "yes"), row
            assert re.match(r"[A-Z]{6}\+", name), row


def test_a_character_missing_from_the_font_is_an_error(tmp_path: Path, layout: Layout) -> None:
    source = write_source(tmp_path, "title: Glyphs\nauthors: [X]\ndate: 2024-01-01",
                          "Fine text.\n\nA CJK character 中 here.\n\n## Key Points\n\n- A 𓀀.")
    document = read_source(source)
    with pytest.raises(RenderError) as caught:
        render(document, layout, tmp_path)
    problems = caught.value.problems
    assert [(p.line, p.path) for p in problems] == [(9, source), (13, source)]
    assert "character '中' (U+4E2D) is not in font" in problems[0].message
    assert "U+13000" in problems[1].message
    assert not (tmp_path / "paper.pdf").exists()


def test_a_missing_character_in_the_front_matter_names_its_line(tmp_path: Path) -> None:
    source = write_source(tmp_path, "title: Plain\nauthors: [X]\ndate: 2024-01-01\n"
                          "disclaimer: Views 𓀀 are ours", "Text.\n\n## Key Points\n\n- One.")
    out = tmp_path / "out"
    [outcome] = build([source], Options(out_dir=out, formats=("pdf",), cwd=ROOT))
    assert outcome.failed
    errors = [p for p in outcome.problems if p.severity == "error"]
    assert [(p.line, "U+13000" in p.message) for p in errors] == [(5, True)]
    assert not (out / "paper.pdf").exists()


def test_a_face_is_registered_only_when_a_paper_sets_text_in_it(tmp_path: Path) -> None:
    from reportlab.pdfbase import pdfmetrics

    # A monospaced family of its own files, so no other test has registered it.
    fonts = tmp_path / "layouts" / "vera"
    fonts.mkdir(parents=True)
    vera = Path(pdfmetrics.__file__).parent.parent / "fonts"
    lines = ['inherit = "default"', "[fonts.mono]"]
    for style, file in (("regular", "Vera.ttf"), ("bold", "VeraBd.ttf"),
                        ("italic", "VeraIt.ttf"), ("bold_italic", "VeraBI.ttf")):
        shutil.copy(vera / file, fonts / file)
        lines.append(f'{style} = "{file}"')
    (fonts / "layout.toml").write_text("\n".join(lines) + "\n", "utf-8")
    layout = load_layout("vera", tmp_path)

    from kzreport.renderers._pdf_styles import PdfFonts

    # By kzreport's names for the layout's faces: reportlab gives a face whose PostScript name
    # it has seen before (another test's copy of Vera) the file it read first.
    faces = PdfFonts(layout)._faces

    def mono_faces() -> set[str]:
        registered = set(pdfmetrics.getRegisteredFontNames())
        return {path.name for name, (path, role, _) in faces.items()
                if role == "mono" and name in registered}

    key_points = "## Key Points\n\n- **Point.** Said."
    prose = write_source(tmp_path, "title: Prose\nauthors: [X]\ndate: 2024-01-01",
                         f"Plain and **bold** text.\n\n{key_points}")
    render(read_source(prose), layout, tmp_path)
    assert mono_faces() == set()
    code = write_source(tmp_path, "title: Code\nauthors: [X]\ndate: 2024-01-01",
                        f"Run:\n\n```\nkzreport build paper.md\n```\n\n{key_points}", name="code")
    pdf = render(read_source(code), layout, tmp_path)
    assert mono_faces() == {"Vera.ttf"}
    assert "kzreport build paper.md" in pdftotext(pdf)


def test_long_words_and_urls_stay_inside_the_column(layout: Layout, tmp_path: Path) -> None:
    document = read_source(LONG_WORDS)
    pdf = render(document, layout, tmp_path)
    right = layout.page.width - layout.page.margin_right
    words = [w for page in page_words(pdf) for w in page]
    assert max(w.x_max for w in words) <= right + 0.5
    assert min(w.x_min for w in words) >= layout.page.margin_left - 0.5
    # The long word and URL are broken across lines, not dropped.
    text = "".join(pdftotext(pdf).split())
    assert "Supercalifragilistic" * 6 in text
    url = next(link.url for link in document.meta.links)
    assert len(url) == 200 and url in text
    assert link_uris(pdf).count(url) >= 1


def test_no_heading_ends_a_page(tmp_path: Path, layout: Layout) -> None:
    # Sections of varied lengths turn pages at many different points.
    body = "\n\n".join(f"## Heading {n}\n\n" + f"Sentence {n} of the section. " * (9 + 7 * (n % 5))
                       for n in range(24))
    source = write_source(tmp_path, "title: Keep\nauthors: [X]\ndate: 2024-01-01",
                          body + "\n\n## Key Points\n\n- One.")
    pdf = render(read_source(source), layout, tmp_path)
    pages = page_words(pdf)
    assert len(pages) >= 5
    for number, words in enumerate(pages[:-1], 1):
        lines = lines_of(words)
        last_body_line = " ".join(w.text for w in lines[-2])  # above "Page N of M"
        assert not re.fullmatch(r"Heading \d+", last_body_line), f"page {number}"
        # No orphan: a heading is not followed by just one line of its paragraph.
        assert not re.fullmatch(r"Heading \d+", " ".join(w.text for w in lines[-3]))
