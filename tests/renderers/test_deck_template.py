"""The deck's template: the default sized by the layout, a user's template emptied and
kept, prepared once and copied, and slides added as python-pptx adds them."""

from __future__ import annotations

import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from deck_checks import (
    EMU,
    TITLES,
    check_geometry,
    check_render,
    make_template,
    notes,
    render,
    title_of,
)
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.util import Emu

from kzreport.errors import RenderError
from kzreport.layout import Layout
from kzreport.model import Document
from kzreport.renderers import renderers
from kzreport.renderers._deck_template import add_slide, prepared_deck, slide_layouts

pytest_plugins = ("deck_fixtures",)


def test_widescreen_from_the_layout(deck: Any, layout: Layout) -> None:
    assert deck.slide_width == round(layout.slides.width * EMU)
    assert deck.slide_height == round(layout.slides.height * EMU)
    assert abs(deck.slide_width / deck.slide_height - 16 / 9) < 0.001


def test_default_layouts_are_widened_in_proportion(deck: Any) -> None:
    width = deck.slide_width
    for slide_layout in deck.slide_layouts:
        for placeholder in slide_layout.placeholders:
            assert placeholder.left >= 0 and placeholder.left + placeholder.width <= width
    title = next(p for p in deck.slide_layouts[1].placeholders
                 if p.placeholder_format.type == PP_PLACEHOLDER.TITLE)
    assert title.left / width == pytest.approx(0.05, abs=0.001)
    assert (title.left + title.width) / width == pytest.approx(0.95, abs=0.001)


@pytest.mark.parametrize("rename", [False, True])
def test_a_users_template(seed: Document, layout: Layout, tmp_path: Path,
                          rename: bool) -> None:
    template = make_template(tmp_path / "template.pptx", rename)
    # Through the registry, with the template named by the layout as [files] would.
    path = tmp_path / "seed.pptx"
    problems = renderers()["pptx"].render(seed, replace(layout, template_pptx=template), path)
    assert problems == []
    prs = Presentation(str(path))
    assert len(prs.slides) == 6
    assert "Template sample slide" not in [title_of(s) for s in prs.slides]
    assert not any("Template notes" in notes(s) for s in prs.slides)
    # The template's own 4:3 size, masters and layouts are kept.
    assert (prs.slide_width, prs.slide_height) == (9144000, 6858000)
    assert len(prs.slide_layouts) == 11
    first = {p.placeholder_format.type for p in prs.slides[0].slide_layout.placeholders}
    assert PP_PLACEHOLDER.CENTER_TITLE in first
    content = {p.placeholder_format.type for p in prs.slides[1].slide_layout.placeholders}
    assert PP_PLACEHOLDER.OBJECT in content or PP_PLACEHOLDER.BODY in content
    with zipfile.ZipFile(path) as package:
        names = package.namelist()
        assert len(names) == len(set(names))
        assert sorted(n for n in names if n.startswith("ppt/slides/slide")) == [
            f"ppt/slides/slide{n}.xml" for n in range(1, 7)]
    check_geometry(path, layout)


def test_decks_built_one_after_another_share_nothing(seed: Document, rich: Document,
                                                     layout: Layout, tmp_path: Path) -> None:
    # Every deck of a process starts from one prepared presentation: none may see another's.
    counts = []
    for number, document in enumerate((rich, seed, seed), 1):
        folder = tmp_path / str(number)
        folder.mkdir()
        path, _ = render(document, layout, folder)
        prs = Presentation(str(path))
        counts.append(len(prs.slides))
        titles = [title_of(s) for s in prs.slides]
        assert titles[0] == document.meta.title
        other = rich if document is seed else seed
        assert other.meta.title not in titles
    assert counts[1] == counts[2] == 6


def test_an_edited_template_is_read_again(seed: Document, layout: Layout,
                                          tmp_path: Path) -> None:
    template = tmp_path / "template.pptx"
    sizes = []
    for width in (9144000, 10972800):
        prs = Presentation()
        prs.slide_width = Emu(width)
        prs.save(str(template))
        (tmp_path / str(width)).mkdir()
        path, _ = render(seed, layout, tmp_path / str(width), template=template)
        sizes.append(Presentation(str(path)).slide_width)
    assert sizes == [9144000, 10972800]


def test_a_template_without_title_layouts_is_a_located_error(seed: Document, layout: Layout,
                                                             tmp_path: Path) -> None:
    prs = Presentation()
    for slide_layout in prs.slide_layouts:
        for placeholder in list(slide_layout.placeholders):
            if placeholder.placeholder_format.type in TITLES:
                parent = placeholder._element.getparent()
                assert parent is not None
                parent.remove(placeholder._element)
    template = tmp_path / "untitled.pptx"
    prs.save(str(template))
    with pytest.raises(RenderError, match="no slide layout with a title") as caught:
        render(seed, layout, tmp_path, template=template)
    assert caught.value.problems[0].path == template


def test_an_unreadable_template_is_a_located_error(seed: Document, layout: Layout,
                                                   tmp_path: Path) -> None:
    bad = tmp_path / "bad.pptx"
    bad.write_bytes(b"not a zip")
    with pytest.raises(RenderError) as caught:
        render(seed, layout, tmp_path, template=bad)
    assert caught.value.problems[0].path == bad


def test_libreoffice_opens_a_deck_built_on_a_template(seed: Document, layout: Layout,
                                                      tmp_path: Path) -> None:
    template = make_template(tmp_path / "template.pptx")
    path, _ = render(seed, layout, tmp_path, template=template)
    check_render(path, tmp_path)


# ---------------------------------------------------------------- slides as python-pptx adds them


def relationships(part: Any) -> list[tuple[str, str, str]]:
    return sorted((rel.rId, rel.reltype, rel.target_ref) for rel in part.rels.values())


@pytest.mark.parametrize("user_template", [False, True])
def test_an_added_slide_is_what_add_slide_makes(layout: Layout, tmp_path: Path,
                                                user_template: bool) -> None:
    # The deck adds slides itself (python-pptx's add_slide reads every layout placeholder
    # through XPath): the same slide parts, placeholders, ids, slide list and relationships.
    template = make_template(tmp_path / "template.pptx") if user_template else None
    prepared = prepared_deck(layout, template)
    ours, theirs = prepared.presentation.copy(), prepared.presentation.copy()
    for role in ("title", "content", "content"):
        index = prepared.layouts[role]
        mine = add_slide(ours, slide_layouts(ours)[index], prepared.placeholders[role])
        made = theirs.slides.add_slide(slide_layouts(theirs)[index])
        assert mine.part.partname == made.part.partname
        assert mine.part.blob == made.part.blob
        assert relationships(mine.part) == relationships(made.part)
        # Only the deck's slide counts shape ids on; python-pptx's searches for the largest.
        assert (mine.shapes.turbo_add_enabled, made.shapes.turbo_add_enabled) == (True, False)
    assert ours.part.blob == theirs.part.blob  # the slide list, ids and relationship ids
    assert relationships(ours.part) == relationships(theirs.part)
