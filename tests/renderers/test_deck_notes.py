"""Speaker notes: a key point's details, every kind of block, on its slide's notes only."""

from __future__ import annotations

import re
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from deck_checks import notes, render, texts
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.oxml.ns import qn

from kzreport.layout import Layout
from kzreport.model import (
    Blocks,
    CodeBlock,
    Definition,
    DefinitionList,
    Document,
    Figure,
    Heading,
    KeyPoint,
    KeyPoints,
    ListBlock,
    ListItem,
    PageBreak,
    Paragraph,
    Quote,
    Rule,
    Span,
    Table,
    plain_text,
)
from kzreport.renderers._deck_notes import note_lines
from kzreport.source import read_source

pytest_plugins = ("deck_fixtures",)


def test_prose_details_are_notes_and_bullets_are_on_the_face(deck: Any) -> None:
    slide = deck.slides[2]
    assert notes(slide).split("\n") == ["Presenter detail paragraph about the balancing act."]
    body = next(shape for shape in slide.shapes if shape.has_text_frame
                and "First detail bullet" in shape.text_frame.text)
    paragraphs = body.element.findall(f".//{qn('a:p')}")[1:]
    bullets = [("".join(t.text for t in p.iter(qn("a:t"))), p.find(f".//{qn('a:buChar')}"),
                p.find(f".//{qn('a:buAutoNum')}")) for p in paragraphs]
    assert [text for text, _, _ in bullets] == [
        "First detail bullet for the notes", "Nested detail bullet for the notes",
        "Second detail bullet for the notes", "Numbered detail one", "Numbered detail two"]
    # Details sit one list deep under their key point: marked as in the brief, PDF and notes.
    assert [c.get("char") if c is not None else (n.get("type"), n.get("startAt"))
            for _, c, n in bullets] == ["◦", "▪", "◦", ("alphaLcPeriod", "1"),
                                        ("alphaLcPeriod", "2")]
    face = " ".join(" ".join(texts(s)) for s in deck.slides)
    assert "Presenter detail paragraph" not in face
    assert not any(notes(s) for i, s in enumerate(deck.slides) if i != 2)


def test_detail_bullets_stay_in_the_notes_when_the_layout_says_so(
        deck_doc: Document, layout: Layout, tmp_path: Path) -> None:
    plain = replace(layout, slides=replace(layout.slides, detail_bullets=False))
    path, problems = render(deck_doc, plain, tmp_path)
    assert problems == []
    slide = Presentation(str(path)).slides[2]
    assert notes(slide).split("\n") == [
        "Presenter detail paragraph about the balancing act.",
        # Details sit one list deep under their key point: marked as in the brief and PDF.
        "◦ First detail bullet for the notes",
        "▪ Nested detail bullet for the notes",
        "◦ Second detail bullet for the notes",
        "a. Numbered detail one",
        "b. Numbered detail two",
    ]
    levels = [p.level for p in slide.notes_slide.notes_text_frame.paragraphs]
    assert levels == [0, 0, 1, 0, 0, 0]
    assert "First detail bullet" not in " ".join(texts(slide))


def test_notes_carry_every_kind_of_detail(layout: Layout, tmp_path: Path) -> None:
    (tmp_path / "images").mkdir()
    Image.new("RGB", (40, 20), (200, 10, 10)).save(tmp_path / "images" / "chart.png")
    source = tmp_path / "details.md"
    source.write_text(
        "---\ntitle: Details\nauthors: [A. Author]\ndate: 2024-03-04\nlanguage: en-US\n"
        "---\n\n![A red bar](images/chart.png \"Trade, 2022\")\n\n## Key Points\n\n"
        "- The point.\n\n"
        "  > A quoted **remark**.\n\n"
        "  ```\n  def f():\n      return 1\n  ```\n\n"
        "  | Year | Votes |\n  |------|------:|\n  | 2022 | 141 |\n\n"
        "  ![A blue bar](images/chart.png \"Votes, 2022\")\n",
        encoding="utf-8")
    path, problems = render(read_source(source), layout, tmp_path)
    assert problems == []
    slide = Presentation(str(path)).slides[1]
    frame = slide.notes_slide.notes_text_frame
    # The table and the figure are on the slide; the prose stays in the notes.
    assert [p.text for p in frame.paragraphs] == ["A quoted remark.", "def f():", "    return 1"]
    assert [shape.shape_type for shape in slide.shapes if not shape.has_text_frame] == [
        MSO_SHAPE_TYPE.TABLE, MSO_SHAPE_TYPE.PICTURE]
    assert frame.paragraphs[0].level == 1  # a quote is indented like a nested item
    assert frame.paragraphs[0].runs[1].font.bold is True
    assert all(r.font.size.pt == 12 for p in frame.paragraphs for r in p.runs)
    assert "remark" not in " ".join(texts(slide))


def test_every_kind_of_block_has_its_note_lines() -> None:
    text = (Span("Text"),)
    blocks: Blocks = (
        Paragraph(text, 1),
        Heading(3, (Span("Heading"),), 2),
        ListBlock(True, (ListItem((Paragraph(text, 3), ListBlock(False, (
            ListItem((Paragraph((Span("Nested"),), 4),), 4),), 4)), 3),
            ListItem((CodeBlock("x = 1", 5),), 5)), 3, start=3),
        Quote((Paragraph((Span("Quoted"),), 6),), 6),
        CodeBlock("a\n\tb", 7),
        CodeBlock("", 8),
        Table(((Span("Year"),), (Span("Votes"),)), (((Span("2022"),), (Span(" 141 "),)),),
              ("left", "right"), 9),
        Figure(Path("chart.png"), "Alt", "", 10),
        Rule(11),
        KeyPoints("Key Points", (KeyPoint(None, text, (Paragraph(text, 13),), 13),), 12),
    )
    lines = [(depth, marker, plain_text(inlines), bold) for depth, marker, inlines, bold
             in note_lines(blocks, 0, lambda figure: f"Figure {figure.line}.")]
    assert lines == [
        (0, "", "Text", False),
        (0, "", "Heading", True),
        # A key point's details sit one list deep, so their lists are marked as in the brief.
        (0, "c. ", "Text", False),
        (1, "▪ ", "Nested", False),
        (0, "d. ", "", False),  # an item that opens with no paragraph: a marker of its own
        (1, "", "x = 1", False),
        (1, "", "Quoted", False),
        (0, "", "a", False),
        (0, "", "\tb", False),
        (0, "", "", False),
        (0, "", "Year | Votes", False),
        (0, "", "2022 | 141", False),
        (0, "", "[Figure 10. Alt]", False),
        (0, "", "———", False),
        # The Key Points section is only ever a top-level block: it makes no note lines.
    ]


# ---------------------------------------------------------------- footnotes


def _constructs_deck(layout: Layout, folder: Path) -> Any:
    from conftest import FIXTURES

    folder.mkdir(parents=True, exist_ok=True)
    path, problems = render(read_source(FIXTURES / "pandoc-constructs.md"), layout, folder)
    assert problems == []
    return Presentation(str(path))


def test_a_key_points_footnotes_follow_its_details_in_the_notes(layout: Layout,
                                                                tmp_path: Path) -> None:
    deck = _constructs_deck(layout, tmp_path)
    first, second = deck.slides[2], deck.slides[3]
    assert notes(first).split("\n") == [
        "6 Agreement on Cooperation in the Management of Water Resources, Almaty, 1992."]
    # The detail bullet is on the slide; its note follows in the notes all the same.
    assert notes(second).split("\n") == ["7 Based on station data for 2000–2020."]
    plain = replace(layout, slides=replace(layout.slides, detail_bullets=False))
    second = _constructs_deck(plain, tmp_path / "plain").slides[3]
    assert notes(second).split("\n") == [
        "◦ Details in notes with a note of their own.7",
        "7 Based on station data for 2000–2020."]


def test_the_key_points_own_notes_are_a_small_line_at_the_foot_of_its_slide(
        layout: Layout, tmp_path: Path) -> None:
    deck = _constructs_deck(layout, tmp_path)
    face = texts(deck.slides[2])
    assert "6 Agreement on Cooperation in the Management of Water Resources, Almaty, 1992." in face
    # The reference is a raised number in the key point's text.
    with zipfile.ZipFile(tmp_path / "pandoc-constructs.pptx") as package:
        xml = package.read("ppt/slides/slide3.xml").decode("utf-8")
    assert re.findall(r'<a:rPr [^>]*baseline="30000"[^>]*>.*?<a:t>([^<]*)</a:t>', xml) == ["6"]
    # A detail bullet on the slide brings its note to the line; one in the notes does not.
    assert "7 Based on station data for 2000–2020." in texts(deck.slides[3])
    plain = replace(layout, slides=replace(layout.slides, detail_bullets=False))
    second = _constructs_deck(plain, tmp_path / "plain").slides[3]
    assert not any("station data" in text for text in texts(second))


def test_the_line_of_notes_is_a_layout_setting(layout: Layout, tmp_path: Path) -> None:
    from dataclasses import replace

    quiet = replace(layout, slides=replace(layout.slides, footnote_line=False))
    deck = _constructs_deck(quiet, tmp_path)
    assert not any("Agreement on Cooperation" in text for text in texts(deck.slides[2]))
    assert "Agreement on Cooperation" in notes(deck.slides[2])


def test_definition_lists_and_page_breaks_in_notes() -> None:
    blocks: Blocks = (DefinitionList((Definition((Span("IWRM"),), (
        (Paragraph((Span("Water as one system."),), 2),),), 1),), 1), PageBreak(3))
    lines = [(depth, plain_text(inlines), bold)
             for depth, _, inlines, bold in note_lines(blocks, 0, lambda figure: "")]
    assert lines == [(0, "IWRM", True), (1, "Water as one system.", False)]


def test_acronyms_go_to_the_last_slides_notes_and_table_captions_to_notes(
        tmp_path: Path) -> None:
    from conftest import FIXTURES
    from kzreport.build import prepare

    document, layout = prepare(FIXTURES / "crossrefs.md", None, tmp_path)
    path, _ = render(document, layout, tmp_path)
    last = Presentation(str(path)).slides[-1]
    assert notes(last).split("\n")[-4:] == [
        "Acronyms", "BRI — Belt and Road Initiative", "EAEU — Eurasian Economic Union",
        "TITR — Trans-Caspian International Transport Route"]
    table = Table(((Span("A"),),), (((Span("1"),),),), (None,), 3, caption=(Span("Cap"),))
    lines = [plain_text(inlines) for _, _, inlines, _ in
             note_lines((table,), 0, lambda visual: "Table 7.")]
    assert lines == ["[Table 7. Cap]", "A", "1"]
