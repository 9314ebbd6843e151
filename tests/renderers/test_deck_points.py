"""A key point's slide plan: action titles from first sentences, and what goes on the slide."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from pptx import Presentation

from kzreport.layout import Layout
from kzreport.model import Document, KeyPoint, LineBreak, Span, plain_text
from kzreport.renderers._deck_geometry import Geometry
from kzreport.renderers._deck_points import first_sentence, plan_point
from kzreport.renderers._deck_text import Deck


@pytest.mark.parametrize(("text", "sentence", "rest"), [
    ("Rail doubled. Ports lag.", "Rail doubled.", "Ports lag."),
    ("The U.S. Army left. Then what?", "The U.S. Army left.", "Then what?"),
    ("Seen e.g. in Aktau. More.", "Seen e.g. in Aktau.", "More."),
    ("Plan A. Plan B.", "Plan A. Plan B.", ""),  # a single letter before a period ends nothing
    ("Will it hold? Yes.", "Will it hold?", "Yes."),
    ("“Neutral.” Officials say so.", "“Neutral.”", "Officials say so."),
    ("One sentence only", "One sentence only", ""),
    ("version 2.5 ships. Then 3.", "version 2.5 ships.", "Then 3."),
    ("Ends here. lower case goes on", "Ends here. lower case goes on", ""),
    ("中国。北京", "中国。", "北京"),
])
def test_first_sentence(text: str, sentence: str, rest: str) -> None:
    got, after = first_sentence((Span(text),))
    assert (got, plain_text(after)) == (sentence, rest)


def test_the_rest_keeps_its_formatting_and_breaks() -> None:
    _, rest = first_sentence((Span("First. Then "), Span("bold", bold=True), LineBreak(),
                              Span("end")))
    assert rest == (Span("Then "), Span("bold", bold=True), LineBreak(), Span("end"))


def deck_for(document: Document, layout: Layout) -> Deck:
    prs = Presentation()
    return Deck(prs, document, layout, Geometry(960.0, 540.0, 0.0), None)


def test_titles_headline_action_or_label(seed: Document, layout: Layout) -> None:
    deck = deck_for(seed, layout)
    point = KeyPoint(None, (Span("Rail doubled. Ports lag."),), (), 1)
    assert plan_point(deck, point, 1, 3).title == "Rail doubled."
    assert plan_point(deck, point, 1, 3).body == (Span("Ports lag."),)
    headline = replace(point, headline="Ports")
    assert plan_point(deck, headline, 1, 3).title == "Ports"
    alone = replace(point, inlines=(Span("Rail doubled."),))
    assert plan_point(deck, alone, 2, 3).title == "Key Point 2 of 3"  # stays the slide's text
    long = replace(point, inlines=(Span("word " * 60 + ". Rest."),))
    assert plan_point(deck, long, 3, 3).title == "Key Point 3 of 3"  # too long for two lines
    off = replace(layout, slides=replace(layout.slides, action_titles=False))
    assert plan_point(deck_for(seed, off), point, 1, 3).title == "Key Point 1 of 3"


def test_a_short_right_to_left_key_point_keeps_to_the_right_edge(layout: Layout,
                                                                 tmp_path: Path) -> None:
    """Balancing narrows a short key point's box; in a right-to-left paper the box keeps the
    right edge, where its lines start under the title."""
    from deck_checks import render

    from conftest import FIXTURES
    from kzreport.source import read_source

    path, _ = render(read_source(FIXTURES / "scripts-arabic.md"), layout, tmp_path)
    slide = Presentation(str(path)).slides[2]
    title = slide.shapes.title
    (body,) = [s for s in slide.placeholders if s.placeholder_format.idx == 1]
    assert body.width < title.width  # narrowed to balance its lines
    assert abs((body.left + body.width) - (title.left + title.width)) <= 12700  # 1 pt
