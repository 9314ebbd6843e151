"""The deck reader: slide faces, notes, links and shapes (name, placeholder type, box) in slide
order, the slide size, and each text frame's geometry and spacing from raw PresentationML,
reached through the format registry."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from kzreport.extraction import Shape
from kzreport.layout import Layout
from kzreport.model import Document
from kzreport.readers.pptx import read_pptx, shape_of, text_frame
from kzreport.renderers import renderers
from readers.conftest import RICH_LINKS

A = "http://schemas.openxmlformats.org/drawingml/2006/main"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"


def shape(body_pr: str, paragraphs: str, size: str = '<a:ext cx="1270000" cy="635000"/>',
          ) -> ET.Element:
    return ET.fromstring(f"""<p:sp xmlns:p="{P}" xmlns:a="{A}">
      <p:nvSpPr><p:cNvPr id="2" name="Body 1"/></p:nvSpPr>
      <p:spPr><a:xfrm><a:off x="0" y="0"/>{size}</a:xfrm></p:spPr>
      <p:txBody>{body_pr}{paragraphs}</p:txBody></p:sp>""")


def test_a_frame_with_its_size_insets_runs_and_spacing() -> None:
    frame = text_frame(shape('<a:bodyPr lIns="0" tIns="12700"/>', """
      <a:p><a:pPr><a:lnSpc><a:spcPts val="2400"/></a:lnSpc></a:pPr>
        <a:r><a:rPr sz="2000" b="1"><a:latin typeface="Carlito"/></a:rPr><a:t>Big</a:t></a:r>
        <a:br/><a:r><a:t>plain</a:t></a:r></a:p>
      <a:p><a:pPr><a:lnSpc><a:spcPct val="90000"/></a:lnSpc>
        <a:spcBef><a:spcPts val="600"/></a:spcBef></a:pPr>
        <a:r><a:rPr i="true"/><a:t>second</a:t></a:r><a:endParaRPr sz="1800"/></a:p>"""), 4)
    assert frame is not None
    assert (frame.slide, frame.name, frame.width, frame.height) == (4, "Body 1", 100.0, 50.0)
    # Named insets in EMU; the others are PowerPoint's defaults (0.1" and 0.05").
    assert frame.insets == (0.0, 7.2, 1.0, 3.6)
    first, second = frame.paragraphs
    assert [(r.text, r.size, r.bold, r.italic, r.typeface) for r in first.runs] == [
        ("Big", 20.0, True, False, "Carlito"), ("\n", None, False, False, None),
        ("plain", None, False, False, None)]
    assert (first.exact_pitch, first.pitch_percent, first.space_before) == (24.0, None, None)
    assert (second.exact_pitch, second.pitch_percent) == (None, 0.9)
    assert (second.space_before, second.end_size, second.runs[0].italic) == (6.0, 18.0, True)


@pytest.mark.parametrize(("body_pr", "paragraphs", "size"), [
    ("<a:bodyPr/>", "<a:p><a:r><a:t>text</a:t></a:r></a:p>", ""),
    ("<a:bodyPr/>", "<a:p><a:r><a:t> </a:t></a:r></a:p><a:p/>",
     '<a:ext cx="1270000" cy="635000"/>'),
], ids=["placed-by-its-layout", "no-text"])
def test_frames_that_cannot_be_measured_or_hold_nothing(body_pr: str, paragraphs: str,
                                                        size: str) -> None:
    assert text_frame(shape(body_pr, paragraphs, size), 1) is None


def test_the_deck_read_back(rich_outputs: Path, rich: Document, layout: Layout) -> None:
    got = read_pptx(rich_outputs / "rich.pptx", layout)
    assert got.title == rich.meta.title
    assert got.author == "Әлия Нұрланқызы; Дәурен Өмірзақов"
    assert got.links == RICH_LINKS - {"https://www.gov.kz/memleket/entities/mfa?lang=en"}
    assert got.flow is None and got.pages == () and got.slides is not None
    # Title, summary, three key points, further reading.
    assert len(got.slides) == 6
    assert got.text == "\n".join(slide.face for slide in got.slides)
    point = got.slides[2]
    assert "Neutrality is rooted in tradition." in point.face
    # The detail bullets are on the slide; the key point has no prose for the notes.
    assert point.notes == ""
    assert "detail bullet one\ndetail bullet two" in point.face
    assert point.links == {"https://example.org/detail"}
    assert got.slides[5].links == {"https://example.org/kz/paper?id=42&lang=kk",
                                   "mailto:analysts@example.org"}
    # Every frame with text, on every slide, with a size to measure against.
    assert {frame.slide for frame in got.frames} == set(range(1, 7))
    assert all(frame.width > 0 and frame.height > 0 and frame.paragraphs
               for frame in got.frames)
    (title,) = [f for f in got.frames if f.slide == 1 and f.name.startswith("Title")]
    assert title.paragraphs[0].runs[0].text == rich.meta.title


def test_a_shape_with_its_placeholder_type_and_box() -> None:
    placed = shape_of(ET.fromstring(f"""<p:sp xmlns:p="{P}" xmlns:a="{A}">
      <p:nvSpPr><p:cNvPr id="2" name="Content 1"/><p:cNvSpPr/><p:nvPr><p:ph idx="1"/></p:nvPr>
      </p:nvSpPr><p:spPr/><p:txBody><a:p><a:r><a:t>one</a:t></a:r></a:p>
      <a:p><a:r><a:t>two</a:t></a:r></a:p></p:txBody></p:sp>"""))
    # A placeholder that names no type is an object placeholder; its layout places it.
    assert placed == Shape("Content 1", "obj", None, "one\ntwo")
    boxed = shape_of(shape("<a:bodyPr/>", "<a:p><a:r><a:t>x</a:t></a:r></a:p>"))
    assert boxed == Shape("Body 1", "", (0.0, 0.0, 100.0, 50.0), "x")
    assert shape_of(shape("<a:bodyPr/>", "<a:p/>")) is None


def test_shapes_banners_and_footers_of_the_test_deck(deck_outputs: Path,
                                                     layout: Layout) -> None:
    got = read_pptx(deck_outputs / "pptx-deck.pptx", layout)
    assert got.slides is not None and got.slide_size is not None
    width, height = got.slide_size
    assert (round(width), height) == (960, 540.0)
    first, second = got.slides[:2]
    assert [(s.placeholder, s.text) for s in first.shapes[:2]] == [
        ("ctrTitle", "Kazakhstan Between Moscow and Kyiv: A Test Deck"),
        ("subTitle", "Fixture for the slide deck renderer")]
    banners = [s for s in second.shapes if s.text == "SECRET//NOFORN"]
    assert [s.box[1] if s.box else None for s in banners] == [0.0, pytest.approx(520.02)]
    footer = [s for s in second.shapes if s.box and s.box[1] == pytest.approx(486.52)]
    assert [s.text for s in footer] == ["Combined Strategic Analysis Group · 29 February 2024",
                                        "2 / 8"]


def test_the_registry_reads_the_deck_with_this_reader(rich_outputs: Path,
                                                      layout: Layout) -> None:
    path = rich_outputs / "rich.pptx"
    assert renderers()["pptx"].read(path, layout) == read_pptx(path, layout)
