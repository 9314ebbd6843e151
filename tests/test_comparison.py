"""Comparing what an output holds with its source: each kind of mismatch gives its message,
a faithful output gives none, and text frames are re-measured for overflow (each element's
own place is tested in test_placement)."""

from __future__ import annotations

import dataclasses
import textwrap

import pytest

from faithful import brief, deck
from kzreport.comparison import compare, find_in_order, overflow
from kzreport.expectations import Chunk, Expected, expect
from kzreport.extraction import (
    Extraction,
    Page,
    PagePart,
    TextFrame,
    TextPara,
    TextRun,
    Visuals,
)
from kzreport.labels import fill_label, page_label
from kzreport.layout import Layout
from kzreport.model import Document


@pytest.fixture
def expected(rich: Document, layout: Layout) -> Expected:
    return expect(rich, layout)


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
    assert got.flow is not None
    flow = got.flow.replace(meta.subtitle or "", "").replace(expected.date, "2023", 1)
    messages = compare(expected, dataclasses.replace(got, flow=flow, title=None,
                                                     author="Somebody Else"))
    assert messages == [
        "the title property is missing",
        'the author property "Somebody Else" lacks author "Әлия Нұрланқызы"',
        'the author property "Somebody Else" lacks author "Дәурен Өмірзақов"',
        'the subtitle "Сараптамалық шолу (Analyt…" is not in the brief\'s title block',
        'the date "7 November 2023" is not in the brief\'s title block']


def test_summary_and_link_labels_in_the_body(expected: Expected) -> None:
    got = brief(expected)
    meta = expected.document.meta
    assert got.flow is not None and meta.summary is not None
    flow = got.flow.replace(meta.summary, "").replace("Write to the authors", "Mail us")
    # A running header or a footer holding them does not count: only the body.
    parts = (*(got.page_parts or ()), PagePart("header", 2, "first", "word/header3.xml",
                                               (meta.summary, "Write to the authors")))
    messages = compare(expected, dataclasses.replace(got, flow=flow, page_parts=parts))
    assert [m for m in messages if "section 2" not in m] == [
        'the summary "Қазақстан бейтараптықты с…" is not in the body',
        'the link label "Write to the authors" is not in the body']


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


def test_the_flow_of_pages_is_their_bodies_without_their_furniture(expected: Expected) -> None:
    meta, layout = expected.document.meta, expected.layout
    text = brief(expected).flow or ""
    # A paragraph runs over the page break, past the first page's footer.
    cut = text.index("Independence in") + len("Independence")
    running = fill_label(layout.labels.running_header, expected.document, layout)
    pages = tuple(Page(f"{body}\n{meta.disclaimer}\nPage {n} of 2", body, header,
                       f"{meta.disclaimer}\nPage {n} of 2")
                  for n, (body, header) in enumerate(((text[:cut], ""), (text[cut:], running)),
                                                     1))
    got = Extraction(text, meta.title, "; ".join(a.name for a in meta.authors),
                     expected.links, pages=pages)
    assert compare(expected, got) == []
    second = dataclasses.replace(pages[1], footer=pages[1].footer.replace(meta.disclaimer or "",
                                                                          ""))
    assert compare(expected, dataclasses.replace(got, pages=(pages[0], second))) == [
        'the disclaimer "Пікірлер авторларға тиесі…" is not in the footer of page 2 of 2']


def test_a_deck_missing_a_key_point_slide(expected: Expected) -> None:
    got = deck(expected)
    assert got.slides is not None
    slides = (*got.slides[:4], got.slides[5])  # key point 3's slide is gone
    assert compare(expected, dataclasses.replace(got, slides=slides)) == [
        # The closing slide, now fifth, still says it is the sixth of six.
        'the slide number "5 / 6" is not in the footer of slide 5',
        "the deck has 5 slide(s), not 6 (a title slide, a summary slide, 3 key point slide(s), "
        "a closing slide)",
        'key point 3 (line 62) is not on slide 5: "A point without a headlin…"']


def test_a_shape_off_its_slide(expected: Expected) -> None:
    got = deck(expected)
    assert got.slides is not None and got.slide_size is not None
    width, height = got.slide_size
    inside = Visuals(boxes=(("Picture 5", 48.0, 120.0, width - 96.0, 200.0),))
    outside = Visuals(boxes=(("Table 6", 48.0, height - 100.0, 200.0, 120.0),))
    slides = list(got.slides)
    slides[2] = dataclasses.replace(slides[2], visuals=inside)
    slides[3] = dataclasses.replace(slides[3], visuals=outside)
    assert compare(expected, dataclasses.replace(got, slides=tuple(slides))) == [
        "slide 4: 'Table 6' runs outside the slide"]


def test_a_deck_losing_a_detail_bullet_and_further_reading(expected: Expected) -> None:
    got = deck(expected)
    assert got.slides is not None
    point, closing = got.slides[2], got.slides[5]
    leaked = dataclasses.replace(point, face=point.face.replace("detail bullet one", ""), notes="")
    relabelled = dataclasses.replace(closing, face=closing.face.replace("Write to the authors",
                                                                        "Mail us"),
                                     links=frozenset({"mailto:analysts@example.org"}))
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


# ---------------------------------------------------------------- footnotes


@pytest.fixture
def noted(layout: Layout) -> Expected:
    from conftest import FIXTURES
    from kzreport.source import read_source

    return expect(read_source(FIXTURES / "pandoc-constructs.md"), layout)


def paged(expected: Expected, notes: list[str]) -> Extraction:
    """A one-page PDF of ``expected``'s text with ``notes`` at the foot of its body."""
    meta = expected.document.meta
    body = "\n".join([brief(expected).flow or "", *notes])
    footer = f"{meta.disclaimer or ''}\n{page_label(expected.layout, 1, 1)}"
    page = Page(f"{body}\n{footer}", body, footer=footer)
    return Extraction(page.text, meta.title, "; ".join(a.name for a in meta.authors),
                      expected.links, pages=(page,))


def test_the_pdfs_notes_are_found_numbered_and_in_order(noted: Expected) -> None:
    notes = [f"{note.number} {note.text}" for note in noted.notes]
    assert compare(noted, paged(noted, notes)) == []
    swapped = [notes[1], notes[0], *notes[2:]]
    assert compare(noted, paged(noted, swapped)) == [
        'footnote 2 (line 18) of the source is missing or out of order: "2Micklin, P., "The '
        'Aral Sea Disaster", Annual Review of…"']
    assert compare(noted, paged(noted, notes[:-1])) == [
        'footnote 7 (line 62) of the source is missing or out of order: "7Based on station '
        'data for 2000–2020."']


def test_each_pdf_note_starts_on_the_page_of_its_reference(noted: Expected) -> None:
    notes = [f"{note.number} {note.text}" for note in noted.notes]
    same = tuple((1, 1) for _ in noted.notes)
    assert compare(noted, dataclasses.replace(paged(noted, notes), note_pages=same)) == []
    moved = ((1, 1), (1, 2), *same[2:])
    assert compare(noted, dataclasses.replace(paged(noted, notes), note_pages=moved)) == [
        "footnote 2 (line 18) starts on page 2, its reference is on page 1"]
    untagged = ((None, 1), *same[1:])
    assert compare(noted, dataclasses.replace(paged(noted, notes), note_pages=untagged)) == [
        "footnote 1 (line 17) has no reference tagged as a Link before its Note"]
    assert compare(noted, dataclasses.replace(paged(noted, notes), note_pages=same[1:])) == [
        "the PDF tags 6 footnote(s) after their references, the source has 7"]


def test_word_notes_are_compared_by_reference(noted: Expected) -> None:
    got = paged(noted, [])
    word = dataclasses.replace(got, flow=brief(noted).flow, pages=(),
                               notes=tuple(note.text for note in noted.notes))
    assert compare(noted, word) == []
    fewer = tuple(note.text for note in noted.notes[:-1])
    assert compare(noted, dataclasses.replace(word, notes=fewer))[0] == (
        "the output has 6 footnote reference(s), the source 7")


def test_text_is_expected_in_pieces_between_footnote_references(noted: Expected) -> None:
    pieces = [chunk.text for chunk in noted.chunks if chunk.label == "paragraph 1"]
    assert pieces[:2] == ["Water withdrawals in the Aral basin peaked in the 1980s,",
                          " and the sea lost most of its volume."]


def test_a_wide_table_must_be_on_landscape_pages(layout: Layout) -> None:
    from conftest import FIXTURES
    from kzreport.source import read_source

    wide = expect(read_source(FIXTURES / "wide-table.md"), layout)
    got = dataclasses.replace(brief(wide), notes=tuple(note.text for note in wide.notes))
    assert got.flow is not None
    assert compare(wide, dataclasses.replace(got, landscape=got.flow)) == []
    assert compare(wide, dataclasses.replace(got, landscape="")) == [
        "the table at line 18 is not on landscape pages"]
    assert compare(wide, dataclasses.replace(got, landscape=None)) == []  # a deck: no pages
    plain = expect(read_source(FIXTURES / "one-look.md"), layout)
    shown = brief(plain)
    assert compare(plain, dataclasses.replace(shown, landscape="Steps")) == [
        'the output has landscape pages the source does not ask for: "Steps"']


def test_a_long_paragraph_changed_near_its_end_shows_the_change(noted: Expected) -> None:
    chunk = max(noted.chunks, key=lambda c: len(c.text))
    words = chunk.text.split()
    assert len(chunk.text) > 150 and chunk.text.rindex(words[-3]) > 120
    changed = " ".join([*words[:-3], "CHANGED", *words[-2:]])
    # As a PDF prints it: the paragraph wrapped over lines.
    printed = textwrap.fill(changed, 70)
    body = (brief(noted).flow or "").replace(chunk.text, printed)
    page = Page(body, body)
    notes = [f"{note.number} {note.text}" for note in noted.notes]
    got = dataclasses.replace(paged(noted, notes), pages=(
        dataclasses.replace(page, body="\n".join([body, *notes])),))
    (message,) = [m for m in compare(noted, got) if m.startswith(_quote_of(chunk))]
    shown, source = message.split(" of the source reads ")[1].split(" in the output, not ")
    before = " ".join(words[-6:-3])
    assert shown.startswith('"…') and f"{before} CHANGED {words[-2]}" in shown
    assert source.startswith('"…') and f"{before} {words[-3]} {words[-2]}" in source
    assert "\n" not in message and len(message) < 250


def _quote_of(chunk: Chunk) -> str:
    return f"{chunk.label} (line {chunk.line}) of the source"
