"""Tests of kzreport.crossrefs: Quarto's labels and references are read, numbered and put in
the layout's words; unknown and repeated labels are located errors; other ``@`` text stays."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import FIXTURES
from kzreport.crossrefs import localized
from kzreport.layout_loader import load_layout
from kzreport.model import CrossRef, Figure, Inlines, Paragraph, Span, Table, plain_text, walk
from source_helpers import FRONT, KEY_POINTS, paper, problems_of, write

TABLE = "| A | B |\n|---|---|\n| 1 | 2 |\n"


def refs(inlines: Inlines) -> list[CrossRef]:
    return [item for item in inlines if isinstance(item, CrossRef)]


def with_image(folder: Path) -> Path:
    (folder / "images").mkdir(exist_ok=True)
    shutil.copy(FIXTURES / "images" / "chart.png", folder / "images" / "chart.png")
    return folder


def test_labels_number_figures_tables_and_sections_in_reading_order(tmp_path: Path) -> None:
    body = ("\n## Intro {#sec-intro}\n\nSee @fig-map, @tbl-b and @Sec-deep.\n\n"
            '![Map](images/chart.png "First")\n\n'
            '![Map](images/chart.png "Second"){#fig-map}\n\n'
            f"{TABLE}\n: Uncounted? no, captioned {{#tbl-a}}\n\n{TABLE}\nTable: Second {{#tbl-b}}\n"
            "\n### Deep {#sec-deep}\n\nText.\n" + KEY_POINTS)
    document = paper(with_image(tmp_path), body)
    found = refs(document.blocks[1].inlines)  # type: ignore[union-attr]
    assert [(r.target, r.kind, r.number) for r in found] == [
        ("fig-map", "fig", "2"), ("tbl-b", "tbl", "2"), ("sec-deep", "sec", "1.1")]
    figures = [b for b in walk(document.blocks) if isinstance(b, Figure)]
    assert [f.anchor for f in figures] == ["", "fig-map"]
    tables = [b for b in walk(document.blocks) if isinstance(b, Table)]
    assert [t.anchor for t in tables] == ["tbl-a", "tbl-b"]
    assert plain_text(tables[1].caption) == "Second"
    assert document.references


def test_references_read_in_the_layouts_words_once_the_layout_is_known(tmp_path: Path) -> None:
    document = paper(tmp_path, "\n## Intro {#sec-intro}\n\nAs @sec-intro says.\n" + KEY_POINTS)
    english = localized(document, load_layout("default", tmp_path))
    assert plain_text(english.blocks[1].inlines) == "As Section 1 says."  # type: ignore[union-attr]
    arabic = localized(document, load_layout("default", tmp_path).for_language("ar"))
    assert "القسم 1" in plain_text(arabic.blocks[1].inlines)  # type: ignore[union-attr]


def test_references_in_footnotes_and_key_points_are_numbered(tmp_path: Path) -> None:
    body = ("\n## Intro {#sec-intro}\n\nText.[^1]\n\n[^1]: See @sec-intro.\n\n"
            "## Key Points\n\n- As @sec-intro shows.\n")
    document = paper(tmp_path, body)
    assert refs(document.footnotes[0].paragraphs[0].inlines)[0].number == "1"
    assert refs(document.key_points.points[0].inlines)[0].number == "1"


def test_quartos_bracketed_form_prints_as_the_bare_one(tmp_path: Path) -> None:
    document = paper(tmp_path, "\n## Intro {#sec-intro}\n\nAs [@sec-intro] says; "
                     "[@sec-intro and more] stays.\n" + KEY_POINTS)
    english = localized(document, load_layout("default", tmp_path))
    assert plain_text(english.blocks[1].inlines) == (  # type: ignore[union-attr]
        "As Section 1 says; [Section 1 and more] stays.")


def test_other_at_signs_stay_text(tmp_path: Path) -> None:
    body = ("\nMail a@fig-x.org, cite @smith2020, write \\@fig-x or `@tbl-y`; "
            "[@fig-z link](https://example.org).\n" + KEY_POINTS)
    document = paper(tmp_path, body)
    block = document.blocks[0]
    assert isinstance(block, Paragraph) and not refs(block.inlines)
    assert "@smith2020" in plain_text(block.inlines) and not document.references


def test_an_unknown_label_names_the_nearest(tmp_path: Path) -> None:
    path = write(tmp_path, FRONT + "\n## A {#sec-background}\n\nSee\n@sec-backgrond.\n"
                 + KEY_POINTS)
    problems = problems_of(path)
    assert len(problems) == 1 and problems[0].line == 11
    assert "'@sec-backgrond'" in problems[0].message and "'sec-background'" in problems[0].message


def test_a_repeated_label_is_an_error(tmp_path: Path) -> None:
    body = (f"\n## A {{#sec-a}}\n\n{TABLE}\n: T {{#tbl-a}}\n\n{TABLE}\n: U {{#tbl-a}}\n"
            + KEY_POINTS)
    problems = problems_of(write(tmp_path, FRONT + body))
    assert [p.message for p in problems] == ["label 'tbl-a' is used twice (first on line 10)"]


def test_a_labelled_figure_needs_a_caption_and_a_usable_label(tmp_path: Path) -> None:
    body = "\n![Map](images/chart.png){#fig-map}\n\n![Map](images/chart.png \"C\"){#tbl-x}\n"
    problems = problems_of(write(with_image(tmp_path), FRONT + body + KEY_POINTS))
    assert [p.line for p in problems] == [10, 8]
    assert "'#tbl-x' is not a figure label" in problems[0].message
    assert "has no caption" in problems[1].message


def test_pandocs_figure_sizes_and_classes_are_warned_about_and_ignored(tmp_path: Path) -> None:
    body = ("\n![Map](images/chart.png \"C\"){#fig-map width=50% .wide}\n\nSee @fig-map.\n\n"
            "![Map](images/chart.png \"D\"){height=\"3 cm\"}\n")
    document = paper(with_image(tmp_path), body)
    figures = [b for b in walk(document.blocks) if isinstance(b, Figure)]
    assert [f.anchor for f in figures] == ["fig-map", ""]
    assert [w.message.split(" has no effect")[0] for w in document.warnings
            if "figure attribute" in w.message] == [
        "figure attribute 'width=50%'", "figure attribute '.wide'",
        "figure attribute 'height=\"3 cm\"'"]


def test_a_table_caption_label_beside_a_chart_class(tmp_path: Path) -> None:
    body = f"\n{TABLE}\n: Revenue {{#tbl-rev .chart-pie}}\n\nSee @tbl-rev.\n" + KEY_POINTS
    document = paper(tmp_path, body)
    table = document.blocks[0]
    assert isinstance(table, Table) and table.anchor == "tbl-rev" and table.chart is not None
    assert isinstance(document.blocks[1], Paragraph)
    assert document.blocks[1].inlines[1] == CrossRef("tbl-rev", "tbl", "1")
    assert document.blocks[1].inlines[0] == Span("See ")


def test_a_repeated_section_label_is_one_error(tmp_path: Path) -> None:
    body = "\n## A {#sec-a}\n\n## B {#sec-a}\n\nSee @sec-a.\n" + KEY_POINTS
    problems = problems_of(write(tmp_path, FRONT + body))
    assert [p.message for p in problems] == ["heading identifier '#sec-a' is used twice"]
