"""Where things go on a slide: margins, content area, footer and banners, all scaling with
the slide."""

from __future__ import annotations

import pytest

from kzreport.renderers import _fit as fit
from kzreport.renderers._deck_geometry import (
    BANNER,
    BANNER_MIN_PT,
    FOOTER_HEIGHT_PT,
    Box,
    Geometry,
)

#: The default layout's 13.333 x 7.5 in widescreen slide, in points.
WIDTH, HEIGHT = 960.0, 540.0


def test_a_box_knows_its_edges_and_its_text_frame() -> None:
    box = Box(10.0, 20.0, 300.0, 40.0)
    assert (box.right, box.bottom) == (310.0, 60.0)
    assert box.frame() == fit.Frame(300.0, 40.0, fit.DEFAULT_INSET_X, fit.DEFAULT_INSET_X,
                                    fit.DEFAULT_INSET_Y, fit.DEFAULT_INSET_Y)
    assert box.frame(22.0, 16.0) == fit.Frame(300.0, 40.0, 22.0, 22.0, 16.0, 16.0)


def test_the_widescreen_slide_without_a_marking() -> None:
    g = Geometry(WIDTH, HEIGHT, 0.0)
    assert g.margin == 48.0
    assert g.content_top == 27.0
    assert g.content_width == WIDTH - 2 * 48.0
    assert g.footer == Box(48.0, HEIGHT - 13.5 - FOOTER_HEIGHT_PT, 864.0, FOOTER_HEIGHT_PT)
    assert g.content_bottom == pytest.approx(g.footer.top - 10.8)


def test_banners_push_the_content_and_the_footer_inwards() -> None:
    banner = round(max(BANNER_MIN_PT, HEIGHT * BANNER), 2)
    plain, marked = Geometry(WIDTH, HEIGHT, 0.0), Geometry(WIDTH, HEIGHT, banner)
    assert marked.content_top == plain.content_top + banner
    assert marked.footer.top == plain.footer.top - banner
    assert marked.footer.bottom < HEIGHT - banner  # clear of the bottom banner
    assert marked.content_top < marked.content_bottom < marked.footer.top


@pytest.mark.parametrize("scale", [0.75, 2.0])
def test_lengths_scale_with_the_slide(scale: float) -> None:
    g, scaled = Geometry(WIDTH, HEIGHT, 0.0), Geometry(WIDTH * scale, HEIGHT * scale, 0.0)
    assert scaled.margin == pytest.approx(g.margin * scale, abs=0.01)
    assert scaled.content_top == pytest.approx(g.content_top * scale, abs=0.01)
    # The footer line keeps its height in points: its text size does not grow with the slide.
    assert scaled.footer.height == g.footer.height == FOOTER_HEIGHT_PT
