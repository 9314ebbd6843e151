"""The deck's hand-written DrawingML, pinned against the XML python-pptx itself writes for the
same shape on the same slide."""

from __future__ import annotations

from typing import Any

import pytest
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE

from kzreport.layout import Layout
from kzreport.renderers._deck_geometry import Box
from kzreport.renderers._deck_template import add_slide, prepared_deck, slide_layouts
from kzreport.renderers._drawingml import (
    a_tag,
    background,
    emu,
    non_visual_properties,
    p_tag,
    rectangle,
    textbox,
)

#: python-pptx's colour class, whose methods carry no type hints.
RGB: Any = RGBColor
BOXES = (Box(36.5, 72.25, 300.0, 40.0), Box(0.0, 500.0, 960.0, 40.0))


@pytest.fixture
def slides(layout: Layout) -> tuple[Any, Any]:
    """Two like slides on the prepared default deck: one added by the deck's ``add_slide``
    for our writing, one by python-pptx's own ``add_slide`` for python-pptx's."""
    prepared = prepared_deck(layout, None)
    ours, theirs = prepared.presentation.copy(), prepared.presentation.copy()
    index = prepared.layouts["content"]
    return (add_slide(ours, slide_layouts(ours)[index], prepared.placeholders["content"]),
            theirs.slides.add_slide(slide_layouts(theirs)[index]))


def at(box: Box) -> tuple[Any, Any, Any, Any]:
    return emu(box.left), emu(box.top), emu(box.width), emu(box.height)


def test_a_text_box_is_what_add_textbox_writes(slides: tuple[Any, Any]) -> None:
    ours, theirs = slides
    for box in BOXES:  # two, so the second id is counted on as python-pptx counts
        textbox(ours, box)
        theirs.shapes.add_textbox(*at(box))
    # Nothing to normalise: the same elements, attributes, ids ("TextBox 3") and order.
    assert ours.part.blob == theirs.part.blob


def test_a_rectangle_is_what_add_shape_writes_less_the_theme_style(
        slides: tuple[Any, Any]) -> None:
    ours, theirs = slides
    for box in BOXES:
        shape = rectangle(ours, box, "1b365d")
        # Ours carries Office's decorative mark, which python-pptx has no API for: check it,
        # then take it off for the comparison.
        (ext_list,) = non_visual_properties(shape)
        assert ext_list.tag == a_tag("extLst")
        (ext,) = ext_list
        assert ext.get("uri") == "{C183D7F6-B498-43B3-948B-1728B52AA6E4}"
        assert [(mark.tag, dict(mark.attrib)) for mark in ext] == [
            ("{http://schemas.microsoft.com/office/drawing/2017/decorative}decorative",
             {"val": "1"})]
        non_visual_properties(shape).remove(ext_list)

        added = theirs.shapes.add_shape(MSO_SHAPE.RECTANGLE, *at(box))
        added.fill.solid()
        added.fill.fore_color.rgb = RGB.from_string("1B365D")
        added.line.fill.background()
        # python-pptx gives every autoshape the theme's style (``p:style``: accent outline,
        # shadow, light text), which ours leaves out on purpose so only its fill shows.
        style = added.element.find(p_tag("style"))
        assert style is not None
        added.element.remove(style)
    assert ours.part.blob == theirs.part.blob


def test_a_background_is_what_the_background_fill_writes(slides: tuple[Any, Any]) -> None:
    ours, theirs = slides
    background(ours, "f5f1e8")
    theirs.background.fill.solid()
    theirs.background.fill.fore_color.rgb = RGB.from_string("F5F1E8")
    assert ours.part.blob == theirs.part.blob


def _deck_runs(name: str, tmp_path: Any) -> list[Any]:
    """Every ``a:r`` of the slides of fixture ``name``'s deck, built in its own language."""
    import zipfile

    from lxml import etree

    from conftest import FIXTURES, ROOT, assert_valid_ooxml
    from kzreport.build import layout_for
    from kzreport.renderers import renderers
    from kzreport.source import read_source

    document = read_source(FIXTURES / f"{name}.md")
    path = tmp_path / f"{name}.pptx"
    renderers()["pptx"].render(document, layout_for(document, None, ROOT), path)
    assert_valid_ooxml(path)
    with zipfile.ZipFile(path) as package:
        return [run for member in sorted(package.namelist())
                if member.startswith("ppt/slides/slide")
                for run in etree.fromstring(package.read(member)).iter(f"{{{_A}}}r")]


_A = "http://schemas.openxmlformats.org/drawingml/2006/main"


def test_right_to_left_paragraphs_and_runs_name_their_direction_and_typeface(
        tmp_path: Any) -> None:
    runs = _deck_runs("scripts-arabic", tmp_path)
    arabic = [r for r in runs if (r.findtext(f"{{{_A}}}t") or "").startswith("تتجنب")]
    assert arabic
    for run in arabic:
        properties = run.find(f"{{{_A}}}rPr")
        assert properties.get("lang") == "ar"
        assert properties.find(f"{{{_A}}}cs").get("typeface") == "Noto Naskh Arabic"
        assert properties.find(f"{{{_A}}}latin").get("typeface") == "Noto Naskh Arabic"
        paragraph = run.getparent().find(f"{{{_A}}}pPr")
        assert paragraph.get("rtl") == "1" and paragraph.get("algn") == "r"


def test_a_symbol_the_font_lacks_is_its_own_run_in_the_fallback_typeface(tmp_path: Any) -> None:
    runs = _deck_runs("scripts-symbols", tmp_path)
    faces = {r.findtext(f"{{{_A}}}t"): r.find(f"{{{_A}}}rPr/{{{_A}}}latin").get("typeface")
             for r in runs}
    assert faces["👍"] == "Symbola"
    assert faces.get("✓") == "DejaVu Sans" or faces.get("✓.") == "DejaVu Sans"
    assert all(face == "Calibri" for text, face in faces.items() if text and text.isascii())
