"""Comparing what an output holds with its source: each kind of mismatch gives its message,
a faithful output gives none, and text frames are re-measured for overflow."""

from __future__ import annotations

import dataclasses

import pytest

from kzreport.comparison import compare, excerpt, find_in_order, overflow
from kzreport.expectations import Chunk, Expected, expect
from kzreport.extraction import Extraction, Page, Slide, TextFrame, TextPara, TextRun
from kzreport.layout import Layout
from kzreport.model import Document


@pytest.fixture
def expected(rich: Document, layout: Layout) -> Expected:
    return expect(rich, layout)


def front(expected: Expected) -> list[str]:
    """The title block's texts, each printed once."""
    meta = expected.document.meta
    return [meta.title, meta.subtitle or "", *(a.name for a in meta.authors),
            *(a.affiliation or "" for a in meta.authors), expected.date,
            meta.organization or ""]


def brief(expected: Expected) -> Extraction:
    """What a faithful brief of ``expected`` reads as: front, summary, body, furniture."""
    meta = expected.document.meta
    flow = "\n".join([*front(expected), meta.summary or "",
                      *(chunk.text for chunk in expected.chunks),
                      *(link.label for link in meta.links), meta.disclaimer or ""])
    return Extraction(flow, meta.title, "; ".join(a.name for a in meta.authors),
                      expected.links, flow=flow)


def deck(expected: Expected) -> Extraction:
    """What a faithful deck of ``expected`` reads as: title, summary, point and closing slides
    (details the slide may show on its face, the rest in the notes)."""
    meta = expected.document.meta
    further = frozenset(link.url for link in meta.links)
    slides = [Slide("\n".join(front(expected)), "", frozenset()),
              Slide(meta.summary or "", "", frozenset()),
              *(Slide("\n".join([point.headline or "", point.text,
                                 *(d.text for d in point.details if d.on_slide)]),
                      "\n".join(d.text for d in point.details if not d.on_slide), frozenset())
                for point in expected.points),
              Slide("\n".join([*(link.label for link in meta.links), meta.disclaimer or ""]),
                    "", further)]
    return Extraction("\n".join(s.face for s in slides), meta.title,
                      "; ".join(a.name for a in meta.authors), expected.deck_links,
                      slides=tuple(slides))


def test_excerpt_is_one_short_line() -> None:
    assert excerpt("short\n text") == "short text"
    assert excerpt("The Astana Process began in January 2017") == "The Astana Process began…"


def test_find_in_order_reports_missing_and_out_of_order_chunks() -> None:
    one, two, three = (Chunk(f"chunk {n}", n, text) for n, text in
                       enumerate(("alpha beta", "gamma", "delta"), 1))
    assert list(find_in_order("alphabetagammadelta", [one, two, three])) == []
    assert list(find_in_order("gammaalphabetadelta", [one, two, three])) == [two]
    # A missing chunk does not move the search on.
    assert list(find_in_order("alphabetadelta", [one, two, three])) == [two]


def test_a_faithful_brief_and_deck_compare_clean(expected: Expected) -> None:
    assert compare(expected, brief(expected)) == []
    assert compare(expected, deck(expected)) == []


def test_a_chunk_missing_from_the_flow(expected: Expected) -> None:
    got = brief(expected)
    assert got.flow is not None
    flow = got.flow.replace("detail bullet two", "detail bullet 2")
    assert compare(expected, dataclasses.replace(got, flow=flow)) == [
        'list item 8 (line 60) of the source is missing or out of order: "detail bullet two"']


def test_front_matter_and_properties(expected: Expected) -> None:
    got = brief(expected)
    meta = expected.document.meta
    text = got.text.replace(meta.subtitle or "", "").replace(expected.date, "2023")
    messages = compare(expected, dataclasses.replace(got, text=text, title=None,
                                                     author="Somebody Else"))
    assert messages == [
        "the title property is missing",
        'the author property "Somebody Else" lacks author "Әлия Нұрланқызы"',
        'the author property "Somebody Else" lacks author "Дәурен Өмірзақов"',
        'the subtitle "Сараптамалық шолу (Analyt…" is not in the text',
        'the date "7 November 2023" is not in the text']


def test_properties_office_cut_short_still_match(expected: Expected) -> None:
    meta = expected.document.meta
    long_title = "T" * 300
    document = dataclasses.replace(expected.document,
                                   meta=dataclasses.replace(meta, title=long_title))
    got = dataclasses.replace(brief(expected), title="T" * 255,
                              author=meta.authors[0].name + " " * 255)
    messages = compare(dataclasses.replace(expected, document=document), got)
    assert not [m for m in messages if "property" in m]


def test_links_missing_or_extra(expected: Expected) -> None:
    got = dataclasses.replace(brief(expected), links=expected.links - {
        "https://example.org/detail"} | {"https://elsewhere.example/"})
    assert compare(expected, got) == [
        "link https://example.org/detail of the source is not in the output",
        "link https://elsewhere.example/ in the output is not in the source"]


def test_pages_lose_their_footers_before_the_flow_is_searched(expected: Expected) -> None:
    meta = expected.document.meta
    disclaimer = meta.disclaimer or ""
    text = brief(expected).text
    # A paragraph runs over the page break, past the first page's footer.
    cut = text.index("Independence in") + len("Independence")
    pages = (Page(text[:cut] + f"\n{disclaimer}\nPage 1 of 2", text[:cut] +
                  f"\n{disclaimer}\nPage 1 of 2"),
             Page(text[cut:] + "\nPage 2 of 2", text[cut:] + "\nPage 2 of 2"))
    got = Extraction(text, meta.title, "; ".join(a.name for a in meta.authors),
                     expected.links, pages=pages)
    assert compare(expected, got) == []
    second = pages[1].text.replace(disclaimer, "")
    got = dataclasses.replace(got, pages=(pages[0], Page(second, second)))
    assert compare(expected, got) == ["the disclaimer is missing from page(s) 2 of 2"]


def test_a_deck_missing_a_key_point_slide(expected: Expected) -> None:
    got = deck(expected)
    assert got.slides is not None
    slides = (*got.slides[:4], got.slides[5])  # key point 3's slide is gone
    assert compare(expected, dataclasses.replace(got, slides=slides)) == [
        "the deck has 5 slide(s), not 6 (a title slide, a summary slide, 3 key point slide(s), "
        "a closing slide)",
        'key point 3 (line 62) is not on slide 5: "A point without a headlin…"']


def test_a_deck_losing_a_detail_bullet_and_further_reading(expected: Expected) -> None:
    got = deck(expected)
    assert got.slides is not None
    point, closing = got.slides[2], got.slides[5]
    leaked = Slide(point.face.replace("detail bullet one", ""), "", point.links)
    relabelled = Slide(closing.face.replace("Write to the authors", "Mail us"), "",
                       frozenset({"mailto:analysts@example.org"}))
    slides = (*got.slides[:2], leaked, *got.slides[3:5], relabelled)
    assert compare(expected, dataclasses.replace(got, slides=slides)) == [
        'the link label "Write to the authors" is not in the deck',
        "list item 7 (line 59) of the source, a detail of key point 1, is neither on slide 3 "
        'nor in its notes: "detail bullet one"',
        "further-reading link https://example.org/kz/paper?id=42&lang=kk is not a link on "
        "slide 6",
        'further-reading link "Write to the authors" is not on slide 6']


def frame(size: float, pitch: float, height: float, insets: float = 7.2) -> TextFrame:
    run = TextRun("Kazakhstan maintains a relatively ambiguous position", size, False, False,
                  None)
    para = TextPara((run,), size, pitch, None, None, None)
    return TextFrame(2, "Body", 300.0, height, (insets, insets, 3.6, 3.6), (para, para))


def test_overflow_fits_overflows_overlaps_or_has_no_room(layout: Layout) -> None:
    assert overflow(frame(18, 22, 200), layout) is None
    too_small = overflow(frame(18, 22, 60), layout)
    assert too_small is not None
    assert too_small.startswith("slide 2: the text of 'Body' overflows its box: it needs ")
    assert too_small.endswith("pt, the box has 52.8 pt")
    assert overflow(frame(18, 12, 200), layout) == (
        "slide 2: the lines of 'Body' overlap: 18 pt text on 12 pt lines")
    assert overflow(frame(18, 22, 200, insets=150), layout) == (
        "slide 2: 'Body' has text but no room inside its insets")


def test_frames_are_checked_for_every_output(expected: Expected, layout: Layout) -> None:
    got = dataclasses.replace(deck(expected), frames=(frame(18, 22, 60), frame(18, 22, 200)))
    messages = compare(expected, got)
    assert len(messages) == 1 and "overflows its box" in messages[0]
