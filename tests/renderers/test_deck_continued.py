"""Slide text too long for its slide, cut where the next slide goes on."""

from __future__ import annotations

from kzreport.layout import Layout
from kzreport.model import Document
from kzreport.renderers._deck_continued import cut_par, split_to_fit
from kzreport.renderers._deck_geometry import Box, Geometry
from kzreport.renderers._deck_text import Deck, Par, Run


def _deck(seed: Document, layout: Layout) -> Deck:
    return Deck(None, seed, layout, Geometry(960.0, 540.0, 0.0), None)


def test_a_paragraph_is_cut_at_a_space_its_runs_keeping_their_style(layout: Layout) -> None:
    par = Par((Run("One two "), Run("three four", bold=True), Run(" five")), "000000",
              layout.fonts.body, bullet="•", space_before=0.5)
    first, second = cut_par(par, len("One two three"))
    assert [(r.text, r.bold) for r in first.runs] == [("One two ", False), ("three", True)]
    assert [(r.text, r.bold) for r in second.runs] == [("four", True), (" five", False)]
    # The first part keeps the marker; the second goes on without one.
    assert first.bullet == "•" and second.bullet is None and second.space_before == 0.0


def test_what_fits_stays_and_the_rest_goes_on(seed: Document, layout: Layout) -> None:
    deck = _deck(seed, layout)
    words = " ".join(f"word{n}" for n in range(400))
    pars = [Par((Run("A short opening."),), "000000", layout.fonts.body),
            Par((Run(words),), "000000", layout.fonts.body)]
    box = Box(0, 0, 600, 200)
    shown, rest = split_to_fit(deck, pars, box, layout.slides.body_min)
    assert shown[0] == pars[0] and len(shown) == 2 and len(rest) == 1
    text = "".join(r.text for r in shown[1].runs) + " " + "".join(r.text for r in rest[0].runs)
    assert text == words  # every word once, in order
    assert split_to_fit(deck, pars[:1], box, layout.slides.body_min) == (pars[:1], [])
    # Not one word fits: nothing is shown, everything goes on.
    assert split_to_fit(deck, pars, Box(0, 0, 600, 5), layout.slides.body_min) == ([], pars)
