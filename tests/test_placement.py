"""Each element in its own place: a place holds its elements in order and nothing else, and a
copy of an element elsewhere (the title in the running header, the date in another slide's
footer) never stands in for it, in each format's terms."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from conftest import FIXTURES
from faithful import brief, deck, report
from kzreport.comparison import compare
from kzreport.expectations import Element, Expected, expect, slide_count
from kzreport.extraction import Extraction, PagePart, Shape, Slide
from kzreport.layout import Layout
from kzreport.model import Document
from kzreport.placement import Keyed, in_place, placed
from kzreport.source import read_source

TITLE, DATE, ORG = (Element('the title "Kazakhstan’s Position"', "Kazakhstan’s Position"),
                    Element('the date "3 June 2022"', "3 June 2022"),
                    Element('the organization "CSAG"', "CSAG"))


@pytest.fixture(scope="module")
def marked(layout: Layout) -> Expected:
    """The test deck's paper: organization, subtitle, two authors, a marking, a summary."""
    return expect(read_source(FIXTURES / "pptx-deck.md"), layout)


@pytest.fixture
def rich_expected(rich: Document, layout: Layout) -> Expected:
    return expect(rich, layout)


# ---------------------------------------------------------------- one place


def test_keyed_text_is_normalized_casefolded_and_quotes_what_was_written() -> None:
    keyed = Keyed("Page \0PAGE\0 of  ten\u00ad")
    assert keyed.key == "page\0page\0often"
    assert keyed.after(len("page\0page\0")) == "of  ten\u00ad"
    assert keyed.after(99) == ""


def test_elements_in_order_separators_between_regardless_of_case() -> None:
    assert in_place("CSAG\nKAZAKHSTAN’S POSITION · 3 June 2022", [ORG, TITLE, None, DATE]) == []
    assert in_place("", []) == []


def test_a_missing_element_is_named_and_the_rest_still_checked() -> None:
    assert in_place("CSAG\nUzbekistan’s Position\n3 June 2022", [ORG, TITLE, DATE]) == [
        'the title "Kazakhstan’s Position" is not in']
    assert in_place("CSAG\n3 June 2022", [ORG, TITLE, DATE]) == [
        'the title "Kazakhstan’s Position" is not in']
    # Out of order is out of place.
    assert in_place("Kazakhstan’s Position\nCSAG", [ORG, TITLE]) == [
        'the organization "CSAG" is not in']


def test_a_whole_place_holds_nothing_else_and_quotes_what_it_holds() -> None:
    assert in_place("CSAG (draft)", [ORG]) == ['unexpected text "(draft)" is in']
    assert in_place("Page 2 of 3", []) == ['unexpected text "Page 2 of 3" is in']
    # Text after a title block is the body: fine when the place is not whole.
    assert in_place("CSAG and more", [ORG], whole=False) == []


def test_a_title_block_is_the_start_of_the_text_as_long_as_its_elements() -> None:
    body = "CSAG\nKazakhstan’s Position\n" + "x" * 40 + " 3 June 2022"
    # The date further on (in the body) does not stand in for the title block's.
    assert in_place(body, [ORG, TITLE, DATE], whole=False, limit=True) == [
        'the date "3 June 2022" is not in']


def test_a_label_shortened_with_an_ellipsis_only_where_allowed() -> None:
    running = Element('the running header "Kazakhstan’s Position · 3…"',
                      "Kazakhstan’s Position · 3 June 2022")
    for shortened in ("Kazakhstan’s Position…", "Kazakhstan’s Position ..."):
        assert in_place(shortened, [running], cut=True) == []
        assert in_place(shortened, [running]) != []
    assert in_place("Uzbekistan’s…", [running], cut=True) != []


# ---------------------------------------------------------------- the brief


def parts_of(got: Extraction) -> list[PagePart]:
    assert got.page_parts is not None
    return list(got.page_parts)


def with_part(got: Extraction, index: int, **changes: Any) -> Extraction:
    parts = parts_of(got)
    parts[index] = dataclasses.replace(parts[index], **changes)
    return dataclasses.replace(got, page_parts=tuple(parts))


def test_a_faithful_brief_report_and_deck_are_in_place(marked: Expected,
                                                       rich_expected: Expected) -> None:
    for expected in (marked, rich_expected):
        for extraction in (brief(expected), report(expected), deck(expected)):
            assert list(placed(expected, extraction)) == []


def test_the_title_block_of_the_brief_not_its_running_header(marked: Expected) -> None:
    got = brief(marked)
    assert got.flow is not None
    flow = got.flow.replace("Kazakhstan Between", "Uzbekistan Between", 1)
    assert list(placed(marked, dataclasses.replace(got, flow=flow))) == [
        'the title "Kazakhstan Between Moscow…" is not in the brief\'s title block']


@pytest.mark.parametrize(("index", "where"), [
    (2, "the brief's first-page footer (word/footer1.xml)"),
    (3, "the brief's later-page footer (word/footer2.xml)"),
])
def test_the_disclaimer_in_each_footer_part(marked: Expected, index: int, where: str) -> None:
    got = brief(marked)
    paragraphs = parts_of(got)[index].paragraphs
    changed = with_part(got, index, paragraphs=("Other views.", *paragraphs[1:]))
    assert list(placed(marked, changed)) == [
        f'the disclaimer "The views expressed are t…" is not in {where}']


def test_the_page_number_is_made_of_fields(marked: Expected) -> None:
    got = brief(marked)
    disclaimer, _, banner = parts_of(got)[3].paragraphs
    changed = with_part(got, 3, paragraphs=(disclaimer, "Page 1 of 1", banner))
    assert list(placed(marked, changed)) == [
        'the page number "Page {PAGE} of {NUMPAGES}" (Word fields) is not in the brief\'s '
        "later-page footer (word/footer2.xml)"]


def test_the_first_page_shows_no_running_header(marked: Expected) -> None:
    got = brief(marked)
    later = parts_of(got)[1]
    # Without a title page, the first page shows the later pages' header.
    changed = with_part(got, 0, part=later.part, paragraphs=later.paragraphs)
    assert list(placed(marked, changed)) == [
        'unexpected text "Kazakhstan Between Moscow…" is in the brief\'s first-page header '
        "(word/header2.xml)"]


def test_banners_and_running_header_in_the_headers_a_missing_footer(marked: Expected) -> None:
    got = with_part(brief(marked), 1, paragraphs=("SECRET", "Kazakhstan Between Moscow"))
    got = with_part(got, 2, part=None, paragraphs=())
    assert list(placed(marked, got)) == [
        'the marking "SECRET//NOFORN" is not in the brief\'s later-page header '
        "(word/header2.xml)",
        'the running header "Kazakhstan Between Moscow…" is not in the brief\'s later-page '
        "header (word/header2.xml)",
        'the disclaimer "The views expressed are t…" is not in the brief\'s first-page footer '
        "(none)",
        'the page number "Page {PAGE} of {NUMPAGES}" (Word fields) is not in the brief\'s '
        "first-page footer (none)",
        'the marking "SECRET//NOFORN" is not in the brief\'s first-page footer (none)']


def test_a_marking_without_banner_colours_has_no_banner_in_the_brief(
        marked: Expected) -> None:
    meta = dataclasses.replace(marked.document.meta, marking="RESTRICTED")
    expected = expect(dataclasses.replace(marked.document, meta=meta), marked.layout)
    got = brief(expected)
    assert any("is not in the brief's" in m or "unexpected" in m
               for m in placed(expected, got))
    plain = [dataclasses.replace(part, paragraphs=tuple(p for p in part.paragraphs
                                                        if p != "RESTRICTED"))
             for part in parts_of(got)]
    assert list(placed(expected, dataclasses.replace(got, page_parts=tuple(plain)))) == []


def test_sections_after_the_first_are_named_and_show_the_running_header(
        marked: Expected) -> None:
    got = brief(marked)
    later = [dataclasses.replace(part, section=2) for part in parts_of(got)]
    messages = list(placed(marked, dataclasses.replace(got, page_parts=(*parts_of(got),
                                                                        *later))))
    assert messages == [
        "the running header \"Kazakhstan Between Moscow…\" is not in section 2's first-page "
        "header (word/header1.xml)"]


# ---------------------------------------------------------------- the report


def with_page(got: Extraction, number: int, **changes: str) -> Extraction:
    pages = list(got.pages)
    pages[number - 1] = dataclasses.replace(pages[number - 1], **changes)
    return dataclasses.replace(got, pages=tuple(pages))


def test_the_report_title_block_on_page_one_not_in_the_header(marked: Expected) -> None:
    got = report(marked)
    body = got.pages[0].body.replace("29 February 2024", "28 February 2024")
    assert list(placed(marked, with_page(got, 1, body=body))) == [
        'the date "29 February 2024" is not in the title block on page 1']


def test_each_region_of_each_page(marked: Expected) -> None:
    got = report(marked)
    second = got.pages[1]
    got = with_page(got, 2, header=second.header.replace("29", "28"),
                    top_banner="SECRET//REL", footer=second.footer.replace("2 of 2", "1 of 2"))
    got = with_page(got, 1, header="Kazakhstan Between Moscow")
    assert list(placed(marked, got)) == [
        'unexpected text "Kazakhstan Between Moscow" is in the header of page 1 of 2',
        'the marking "SECRET//NOFORN" is not in the top banner of page 2 of 2',
        'the running header "Kazakhstan Between Moscow…" is not in the header of page 2 of 2',
        'the page number "Page 2 of 2" is not in the footer of page 2 of 2']


def test_a_mismatch_on_every_page_is_one_line(marked: Expected) -> None:
    got = report(marked)
    for number in (1, 2):
        got = with_page(got, number, bottom_banner="", footer=got.pages[number - 1].footer
                        .replace("The views", "Our views"))
    assert list(placed(marked, got)) == [
        'the disclaimer "The views expressed are t…" is not in the footer of pages 1, 2 of 2',
        'the marking "SECRET//NOFORN" is not in the bottom banner of pages 1, 2 of 2']


# ---------------------------------------------------------------- the deck


def with_shape(got: Extraction, slide: int, name: str, text: str) -> Extraction:
    assert got.slides is not None
    slides = list(got.slides)
    shapes = tuple(dataclasses.replace(s, text=text) if s.name == name else s
                   for s in slides[slide - 1].shapes)
    slides[slide - 1] = dataclasses.replace(slides[slide - 1], shapes=shapes)
    return dataclasses.replace(got, slides=tuple(slides))


def test_the_date_in_one_slide_footer(marked: Expected) -> None:
    got = with_shape(deck(marked), 3, "TextBox 3",
                     "Combined Strategic Analysis Group · 28 February 2024")
    assert list(placed(marked, got)) == [
        'the slide footer "Combined Strategic Analys…" is not in the footer of slide 3']


def test_the_slide_number_and_a_shortened_footer(marked: Expected) -> None:
    got = with_shape(deck(marked), 4, "TextBox 4", "3 / 8")
    got = with_shape(got, 5, "TextBox 3", "Combined Strategic…")
    assert list(placed(marked, got)) == [
        'the slide number "4 / 8" is not in the footer of slide 4']


def test_the_footer_is_the_lowest_row_of_text_boxes(marked: Expected) -> None:
    got = deck(marked)
    assert got.slides is not None
    # A text box placed lower than the footer is the footer row now: the footer is not there.
    slides = list(got.slides)
    low = Shape("TextBox 9", "", (48.0, 500.0, 100.0, 10.0), "note")
    slides[1] = dataclasses.replace(slides[1], shapes=(*slides[1].shapes, low))
    assert list(placed(marked, dataclasses.replace(got, slides=tuple(slides)))) == [
        'the slide footer "Combined Strategic Analys…" is not in the footer of slide 2',
        'the slide number "2 / 8" is not in the footer of slide 2']


def test_banners_at_each_edge_of_each_slide(marked: Expected) -> None:
    got = with_shape(deck(marked), 2, "Rectangle 8", "SECRET")
    got = with_shape(got, 6, "Rectangle 9", "SECRET//NOFO…")  # shortened to fit: allowed
    assert list(placed(marked, got)) == [
        'the marking "SECRET//NOFORN" is not in the top banner of slide 2']


def test_the_title_slide_title_placeholder_and_title_block(marked: Expected) -> None:
    got = with_shape(deck(marked), 1, "Title 1", "Uzbekistan Between Moscow and Kyiv")
    got = with_shape(got, 1, "TextBox 3", "Jane Analyst\nJohn Officer\nCombined Strategic "
                     "Analysis Group\n29 February 2024")
    assert list(placed(marked, got)) == [
        'the title "Kazakhstan Between Moscow…" is not in the title placeholder of slide 1',
        'the affiliation "Strategic Analysis Group,…" is not in the title block of slide 1']


def test_a_deck_without_marking_has_no_banners(rich_expected: Expected) -> None:
    got = deck(rich_expected)
    assert got.slides is not None
    slides = list(got.slides)
    width, height = got.slide_size or (0.0, 0.0)
    stray = Shape("Rectangle 9", "", (0.0, height - 20.0, width, 20.0), "UNCLASSIFIED")
    slides[0] = Slide(slides[0].face, "", frozenset(), (*slides[0].shapes, stray))
    assert list(placed(rich_expected, dataclasses.replace(got, slides=tuple(slides)))) == [
        'unexpected text "UNCLASSIFIED" is in the bottom banner of slide 1']
    assert slide_count(rich_expected) == len(slides)


def test_the_whole_comparison_reports_places_after_properties(marked: Expected) -> None:
    got = with_page(report(marked), 1, footer="")
    assert compare(marked, got) == [
        'the disclaimer "The views expressed are t…" is not in the footer of page 1 of 2',
        'the page number "Page 1 of 2" is not in the footer of page 1 of 2']


def _slide(title: str, text: str, notes: str = "") -> Slide:
    shapes = (Shape("Title 1", "title", None, title), Shape("Body 2", "body", None, text),
              Shape("TextBox 3", "", (0, 500, 100, 10), "1 March 2024"))
    return Slide(f"{title}\n{text}\n1 March 2024", notes, frozenset(), shapes)


def test_continued_slides_are_found_by_their_titles_and_read_as_one() -> None:
    from kzreport.placement import continuations, join_continuations

    slides = [_slide("Title", "Opening"),
              _slide("A long point begins.", "Its text runs", "note"),
              _slide("A long point begins. (cont.)", "on and on"),
              _slide("A long point begins. (cont.) (2)", "to its end."),
              _slide("Another (cont.)", "is no continuation of the slide before")]
    assert continuations(slides, "{title} (cont.)") == {2, 3}
    joined = join_continuations(slides, "{title} (cont.)")
    assert len(joined) == 3 and joined[2] == slides[4]
    point = joined[1]
    # The text runs on from the title (an action title's sentence) across the bodies.
    assert "A long point begins.\nIts text runs\non and on\nto its end." in point.face
    assert point.notes.startswith("note") and len(point.shapes) == 9
    assert continuations(slides, "{title} (suite)") == set()


def test_verify_reads_a_key_point_continued_on_more_slides(tmp_path: Any) -> None:
    from click.testing import CliRunner

    from kzreport.cli import cli

    source = str(FIXTURES / "pptx-overflow.md")
    runner = CliRunner()
    assert runner.invoke(cli, ["build", source, "-o", str(tmp_path), "-f", "pptx"]).exit_code == 0
    checked = runner.invoke(cli, ["verify", source, "-o", str(tmp_path), "-f", "pptx"])
    assert checked.exit_code == 0, checked.output
