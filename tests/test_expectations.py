"""What a source says its outputs must hold: chunks in reading order, key points, links."""

from __future__ import annotations

from pathlib import Path

from conftest import write_source
from kzreport.expectations import excerpt, expect, normalize
from kzreport.layout import Layout
from kzreport.model import Document
from kzreport.source import read_source


def test_normalize_drops_whitespace_and_invisible_marks_and_folds_compatibility_forms() -> None:
    assert normalize(" con\u00adcate\u200bna-\ntion\t of \ufb01les ") == "concatena-tionoffiles"


def test_excerpt_is_one_short_line() -> None:
    assert excerpt("short\n text") == "short text"
    assert excerpt("The Astana Process began in January 2017") == "The Astana Process began…"


def test_the_title_block_and_furniture_each_element_named(rich: Document,
                                                          layout: Layout) -> None:
    expected = expect(rich, layout)
    block, furniture = expected.title_block, expected.furniture
    assert block.title.what == 'the title "Қазақстан және аймақтық қ…"'
    assert block.date.what == 'the date "7 November 2023"'
    assert [(name.what, affiliation.what if affiliation else None)
            for name, affiliation in block.bylines] == [
        ('author "Әлия Нұрланқызы"', 'the affiliation "Қауіпсіздік зерттеулері о…"'),
        ('author "Дәурен Өмірзақов"', None)]
    assert furniture.marking is None
    assert furniture.running_header is not None
    assert furniture.running_header.text == f"{rich.meta.title}  ·  7 November 2023"
    assert furniture.slide_footer is not None
    assert furniture.slide_footer.what.startswith('the slide footer "Орталық Азия')


def test_chunks_follow_reading_order_and_number_each_kind_from_one(rich: Document,
                                                                   layout: Layout) -> None:
    chunks = expect(rich, layout).chunks
    labels = [chunk.label for chunk in chunks]
    assert labels[:5] == ["paragraph 1", "heading 1", "paragraph 2", "heading 2", "list item 1"]
    # Nested list items are counted with their parents; a quote's paragraph is a paragraph.
    by_label = {chunk.label: chunk for chunk in chunks}
    assert by_label["list item 5"].text == "deeply nested number"
    assert by_label["list item 5"].line == 36
    assert by_label["paragraph 3"].text.startswith("A quoted statement")
    assert by_label["cell 2 of row 2 of table 1"].text == "OSCE summit in Astana"
    assert by_label["code block 1"].text == "code block line one\n    indented line two"
    # Inline formatting is gone, a hard break is a newline.
    assert "hard break here\non a second line" in by_label["paragraph 1"].text
    assert labels[-2:] == ["paragraph 4", "paragraph 5"]


def test_key_points_give_chunks_and_points_with_their_details(rich: Document,
                                                              layout: Layout) -> None:
    expected = expect(rich, layout)
    labels = [chunk.label for chunk in expected.chunks]
    start = labels.index("heading 3")
    assert expected.chunks[start].text == "Key Points"
    assert labels[start + 1:start + 5] == ["the headline of key point 1", "key point 1",
                                           "list item 7", "list item 8"]
    first, second, third = expected.points
    assert (first.number, first.line, first.headline) == (1, 56, "Neutrality is rooted in "
                                                          "tradition.")
    assert [(d.label, d.line, d.text) for d in first.details] == [
        ("list item 7", 59, "detail bullet one"), ("list item 8", 60, "detail bullet two")]
    assert second.details == () and third.headline is None
    assert third.text == "A point without a headline but with code and emphasis."


def test_links_of_the_paper_and_of_the_deck(rich: Document, layout: Layout) -> None:
    expected = expect(rich, layout)
    further = {"https://example.org/kz/paper?id=42&lang=kk", "mailto:analysts@example.org"}
    assert expected.links == {"https://www.gov.kz/memleket/entities/mfa?lang=en",
                              "https://example.org/detail", *further}
    # The deck carries the key points with their details, not the body.
    assert expected.deck_links == {"https://example.org/detail", *further}
    assert expected.date == layout.format_date(rich.meta.date)


def test_rules_and_empty_cells_give_no_chunk_and_a_figure_its_caption(tmp_path: Path,
                                                                      layout: Layout) -> None:
    source = write_source(tmp_path, "title: T\nauthors: [A]\ndate: 2024-01-01", """
Before.

---

![A chart of nothing](pdf-chart.png "Caption of the chart")

| Head | |
|------|---|
| | cell |

> - quoted item
>
>   > deeper quote

## Key Points

- One.
""")
    expected = expect(read_source(source), layout)
    assert [(chunk.label, chunk.text) for chunk in expected.chunks] == [
        ("paragraph 1", "Before."),
        ("figure caption 1", "Figure 1. Caption of the chart"),
        ("cell 1 of row 1 of table 1", "Head"),
        ("cell 2 of row 2 of table 1", "cell"),
        ("list item 1", "quoted item"),
        ("paragraph 2", "deeper quote"),
        ("heading 1", "Key Points"),
        ("key point 1", "One."),
    ]
