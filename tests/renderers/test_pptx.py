"""The deck renderer end to end: registered, lazy, slides in order, properties, reproducible,
reopened with python-pptx and rendered by LibreOffice."""

from __future__ import annotations

import re
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
from deck_checks import body, check_geometry, check_render, make_template, render, title_of
from PIL import Image
from pptx import Presentation

from conftest import (
    FIXTURES,
    ROOT,
    SEED,
    libreoffice_to_pdf,
    package_parts,
    require_tool,
    write_source,
)
from kzreport.build import Options, build
from kzreport.errors import Problem
from kzreport.labels import author_names
from kzreport.layout import Layout
from kzreport.layout_loader import load_layout
from kzreport.model import Document, plain_text
from kzreport.renderers import renderers
from kzreport.renderers._common import build_timestamp

pytest_plugins = ("deck_fixtures",)


def test_registered_beside_the_others() -> None:
    renderer = renderers()["pptx"]
    assert (renderer.name, renderer.extension) == ("pptx", ".pptx")
    assert renderer.description


def test_importing_the_renderer_does_not_import_python_pptx() -> None:
    code = ("import sys, kzreport.renderers.pptx; "
            "print(sorted(m for m in ('pptx', 'reportlab', 'PIL') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


def test_seed_slides_in_order(seed: Document, seed_deck: Any) -> None:
    titles = [title_of(slide) for slide in seed_deck.slides]
    # Action titles: a key point's first sentence when it fits two title lines (the second
    # and fourth are one long sentence each, so they keep the layout's label).
    first, third = (plain_text(seed.key_points.points[n].inlines).split(".")[0] + "."
                    for n in (0, 2))
    assert titles == [seed.meta.title, " ".join(first.split()), "Key Point 2 of 4",
                      " ".join(third.split()), "Key Point 4 of 4", "Further Reading"]
    for point, slide in zip(seed.key_points.points, list(seed_deck.slides)[1:5], strict=True):
        shown = " ".join(f"{title_of(slide)} {body(slide).text_frame.text}".split())
        if title_of(slide).startswith("Key Point"):
            shown = " ".join(body(slide).text_frame.text.split())
        assert shown == " ".join(plain_text(point.inlines).split())


def test_every_slide_of_the_test_deck_in_order(deck: Any) -> None:
    titles = [title_of(slide) for slide in deck.slides]
    assert titles[0] == "Kazakhstan Between Moscow and Kyiv: A Test Deck"
    assert titles[1] == "Bottom Line Up Front"
    assert titles[2] == "Kazakhstan balances carefully."
    assert titles[3].startswith("This headline runs to thirty words")
    assert titles[4] == "Kazakhstan keeps a careful distance from both sides of the war."
    assert titles[5] == "Kazakhstan balances carefully. (2)"
    assert titles[6] == "A key point that is only a headline."
    assert titles[7] == "Further Reading"
    assert len(titles) == len(set(titles)) == 8


def test_geometry_and_measured_fit(deck_file: Path, layout: Layout) -> None:
    check_geometry(deck_file, layout)


def test_kazakh_paper_on_the_briefing_layout(rich: Document, tmp_path: Path) -> None:
    briefing = load_layout("briefing", ROOT)
    path, problems = render(rich, briefing, tmp_path)
    assert problems == []
    prs = Presentation(str(path))
    assert title_of(prs.slides[0]) == rich.meta.title
    assert title_of(prs.slides[-1]) == "References"
    assert str(prs.slides[1].background.fill.fore_color.rgb) == briefing.colors.slide_background
    with zipfile.ZipFile(path) as package:
        slide = package.read("ppt/slides/slide2.xml").decode("utf-8")
    assert 'lang="kk-KZ"' in slide
    check_geometry(path, briefing)


def test_core_properties(deck_file: Path, deck: Any, deck_doc: Document) -> None:
    props = deck.core_properties
    assert props.title == deck_doc.meta.title
    assert props.author == author_names(deck_doc) == "Jane Analyst; John Officer"
    assert props.subject == " ".join((deck_doc.meta.summary or "").split())
    assert props.keywords == "Kazakhstan, neutrality, deck"
    assert props.language == "en-GB"
    when = build_timestamp(deck_doc)
    assert props.created == props.modified == props.last_printed == when
    assert props.last_modified_by.startswith("kzreport")
    assert props.revision == 1
    with zipfile.ZipFile(deck_file) as package:
        everything = b"".join(package.read(n) for n in package.namelist())
        app = package.read("docProps/app.xml").decode("utf-8")
    for stale in (b"Steve Canny", b"2013-", b"python-pptx", b"Macintosh"):
        assert stale not in everything
    assert "<Slides>8</Slides>" in app and "<Notes>1</Notes>" in app


def test_two_renders_at_different_times_are_byte_identical(
        deck_doc: Document, layout: Layout, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a").mkdir()
    first, _ = render(deck_doc, layout, tmp_path / "a")
    later = time.time() + 3 * 86400 + 7  # zip entry times would differ, were they kept
    monkeypatch.setattr(time, "time", lambda: later)
    (tmp_path / "b").mkdir()
    second, _ = render(deck_doc, layout, tmp_path / "b")
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(second) as package:
        assert {info.date_time for info in package.infolist()} == {
            build_timestamp(deck_doc).timetuple()[:6]}


def test_strict_build_turns_the_warning_into_an_error(tmp_path: Path) -> None:
    source = FIXTURES / "pptx-overflow.md"
    (outcome,) = build([source], Options(tmp_path / "out", ("pptx",), cwd=ROOT, strict=True))
    assert outcome.failed
    assert any(p.severity == "error" and "does not fit on its slide" in p.message
               for p in outcome.problems)
    assert not (tmp_path / "out" / "pptx-overflow.pptx").exists()
    (lenient,) = build([source], Options(tmp_path / "out", ("pptx",), cwd=ROOT))
    assert not lenient.failed
    assert (tmp_path / "out" / "pptx-overflow.pptx").is_file()


def test_libreoffice_renders_every_word_inside_its_box(deck_file: Path, tmp_path: Path) -> None:
    check_render(deck_file, tmp_path)


def test_libreoffice_renders_the_overflowing_point_inside_its_box(
        overflow: tuple[Document, Path, list[Problem]], tmp_path: Path) -> None:
    check_render(overflow[1], tmp_path)


def test_the_seed_deck_through_the_command_line(tmp_path: Path) -> None:
    require_tool("soffice")
    result = subprocess.run([sys.executable, "-m", "kzreport", "build", str(SEED), "-o",
                             str(tmp_path), "-f", "pptx", "--strict"],
                            capture_output=True, text=True, cwd=ROOT, check=False)
    assert result.returncode == 0, result.stderr
    check_render(tmp_path / "kazakhstan-position.pptx", tmp_path)


#: Every part a deck may hold: what kzreport writes, on python-pptx's template or a user's.
DECK_PARTS = re.compile(
    r"\[Content_Types\]\.xml|_rels/\.rels|docProps/(app|core)\.xml"
    r"|ppt/(_rels/)?presentation\.xml(\.rels)?|ppt/(presProps|viewProps|tableStyles)\.xml"
    r"|ppt/theme/theme\d+\.xml"
    r"|ppt/(slideMasters|slideLayouts|slides|notesSlides|notesMasters)/(_rels/)?"
    r"(slideMaster|slideLayout|slide|notesSlide|notesMaster)\d+\.xml(\.rels)?"
    r"|ppt/media/image\d+\.(png|jpe?g)")


def test_every_part_of_a_deck_is_one_kzreport_writes(deck_file: Path, seed: Document,
                                                     tmp_path: Path) -> None:
    # A logo brings the one media part a deck may have.
    folder = tmp_path / "branded"
    folder.mkdir()
    Image.new("RGB", (30, 12), (27, 54, 93)).save(folder / "logo.png")
    (folder / "layout.toml").write_text(
        'inherit = "default"\n[logo]\nfile = "logo.png"\nwidth = "1in"\n', encoding="utf-8")
    branded, _ = render(seed, load_layout(str(folder), ROOT), tmp_path)
    for path in (deck_file, branded):
        names = package_parts(path)
        assert [n for n in names if not DECK_PARTS.fullmatch(n)] == [], path
    assert any(n.startswith("ppt/media/") for n in package_parts(branded))


def test_a_users_template_loses_its_printer_settings(seed: Document, layout: Layout,
                                                    tmp_path: Path) -> None:
    template = make_template(tmp_path / "template.pptx")
    with zipfile.ZipFile(template) as package:  # python-pptx's template has them: so has ours
        assert "ppt/printerSettings/printerSettings1.bin" in package.namelist()
    path, problems = render(seed, layout, tmp_path, template=template)
    assert problems == []
    names = package_parts(path)
    assert not [n for n in names if "printerSettings" in n]
    with zipfile.ZipFile(path) as package:
        assert b"printerSettings" not in package.read("ppt/_rels/presentation.xml.rels")
        assert b"printerSettings" not in package.read("[Content_Types].xml")
    assert len(Presentation(str(path)).slides) == 6
    libreoffice_to_pdf(path, tmp_path)


@pytest.mark.parametrize("name", ["pptx-overflow.md", "pptx-crowded.md", "pptx-dozen.md",
                                  "deck-visuals.md", "information-paper.md", "rich.md"])
def test_check_reports_every_warning_build_reports(name: str, tmp_path: Path) -> None:
    from kzreport.build import check_sources

    source = FIXTURES / name
    (outcome,) = build([source], Options(tmp_path / "out", ("docx", "pdf", "pptx"), cwd=ROOT,
                                         force=True))
    (checked,) = check_sources([source], None, ROOT)
    assert not outcome.failed and not checked.failed
    assert sorted(map(str, checked.problems)) == sorted(map(str, outcome.problems))
    if name == "pptx-crowded.md":  # every slide but the key point's is over full
        assert {re.split(r" do(?:es)? not fit", p.message)[0] for p in outcome.problems} >= {
            "the subtitle", "the summary", "the disclaimer", "the further-reading links"}


def test_check_reports_a_title_too_long_for_the_title_slide(tmp_path: Path) -> None:
    from kzreport.build import check_sources

    title = "A Careful Balance Of Trade, Security And Neutrality, " * 30
    source = write_source(tmp_path, f"title: {title}\nauthors: [A]\ndate: 2024-03-01\n"
                          "language: en-US\n", "## Key Points\n\n- One.\n")
    (outcome,) = build([source], Options(tmp_path / "out", ("pptx",), cwd=tmp_path))
    (checked,) = check_sources([source], None, tmp_path)
    assert [p.message for p in outcome.problems] == ["the title does not fit on the title slide"]
    assert list(map(str, checked.problems)) == list(map(str, outcome.problems))
