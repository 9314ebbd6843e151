"""Tests of kzreport.table_captions: Pandoc's table captions beside a table, the chart class
on them, the chart's data, and every malformed chart refused at its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from kzreport.model import Chart, Paragraph, Series, Span, Table, plain_text
from kzreport.table_captions import parse_number
from source_helpers import FRONT, KEY_POINTS, paper, the_problem, write

TABLE = "| Year | Rail | Road |\n|---|--:|--:|\n| 2021 | 1,250 | 0.5 |\n| 2022 | −3 | 40% |\n"


def tables(folder: Path, body: str) -> list[Table]:
    return [b for b in paper(folder, body + KEY_POINTS).blocks if isinstance(b, Table)]


@pytest.mark.parametrize("body", [
    f"\n{TABLE}\n: Cargo **by** year\n",
    f"\n{TABLE}\nTable: Cargo **by** year\n",
    f"\n: Cargo **by** year\n\n{TABLE}",
    f"\ntable: Cargo **by** year\n\n{TABLE}",
])
def test_a_caption_after_or_before_the_table_is_its_caption(tmp_path: Path, body: str) -> None:
    document = paper(tmp_path, body + KEY_POINTS)
    (table,) = [b for b in document.blocks if isinstance(b, Table)]
    assert table.caption == (Span("Cargo "), Span("by", bold=True), Span(" year"))
    assert table.chart is None
    assert not any(isinstance(b, Paragraph) and "Cargo" in plain_text(b.inlines)
                   for b in document.blocks)


def test_the_caption_after_wins_and_the_one_before_stays_a_paragraph(tmp_path: Path) -> None:
    document = paper(tmp_path, f"\n: Before\n\n{TABLE}\n: After\n" + KEY_POINTS)
    (table,) = [b for b in document.blocks if isinstance(b, Table)]
    assert plain_text(table.caption) == "After"
    assert plain_text(document.blocks[0].inlines) == ": Before"  # type: ignore[union-attr]


def test_a_paragraph_opening_with_a_colon_but_no_space_is_no_caption(tmp_path: Path) -> None:
    (table,) = tables(tmp_path, f"\n{TABLE}\n:Not a caption\n")
    assert table.caption == ()


@pytest.mark.parametrize(("kind", "expected"), [("column", "column"), ("bar", "bar"),
                                                ("line", "line")])
def test_a_chart_class_reads_the_table_as_data(tmp_path: Path, kind: str, expected: str) -> None:
    (table,) = tables(tmp_path, f"\n{TABLE}\n: Cargo {{.chart-{kind}}}\n")
    assert plain_text(table.caption) == "Cargo"
    assert table.chart == Chart(expected, ("2021", "2022"),  # type: ignore[arg-type]
                                (Series("Rail", (1250.0, -3.0)), Series("Road", (0.5, 40.0))))


def test_a_captions_attributes_are_read_not_warned_about(tmp_path: Path) -> None:
    """The look-alike check sees ``{.chart-column}`` while the caption is still a paragraph;
    once the caption reads it, no warning remains. Braces in a paragraph that is no caption
    still warn."""
    document = paper(tmp_path, f"\n{TABLE}\n: Cargo {{.chart-column}}\n" + KEY_POINTS)
    assert document.warnings == ()
    alone = paper(tmp_path, "\n: Cargo {.chart-column}\n" + KEY_POINTS)
    [warning] = alone.warnings
    assert warning.message.startswith("'{.chart-column}' looks like Pandoc attributes")



def test_a_second_brace_group_on_a_caption_is_warned_about_where_attributes_are_read(
        tmp_path: Path) -> None:
    """Only the last ``{…}`` of a caption is its attributes: the warning about the one before
    it names the places attributes are read (a caption among them) and asks for one group."""
    document = paper(tmp_path, f'\n{TABLE}\n: Cargo {{#tbl-cargo}} {{widths="1 2 1"}}\n'
                     + KEY_POINTS)
    [warning] = document.warnings
    assert warning.message.startswith("'{#tbl-cargo}' looks like Pandoc attributes")
    assert "table's caption" in warning.message and "one '{…}'" in (warning.hint or "")


def test_a_pie_chart_and_a_chart_in_a_key_point(tmp_path: Path) -> None:
    body = ("\n## Key Points\n\n- Share.\n\n  | Route | Share |\n  |---|---|\n  | North | 30 |\n"
            "  | South | 70 |\n\n  : Routes {.chart-pie}\n")
    point = paper(tmp_path, body).key_points.points[0]
    (table,) = point.details
    assert isinstance(table, Table) and table.chart is not None
    assert table.chart.kind == "pie" and table.chart.series == (Series("Share", (30.0, 70.0)),)


@pytest.mark.parametrize(("caption", "message"), [
    (": Cargo {.chart-pie}", "a pie chart shows one series, the table has 2"),
    (": Cargo {#tbl:cargo .chart-bar}", "table caption attribute '#tbl:cargo' is not supported"),
    (": Cargo {.chart-radar}", "table caption attribute '.chart-radar' is not supported"),
])
def test_charts_the_data_cannot_make_are_refused(tmp_path: Path, caption: str,
                                                 message: str) -> None:
    problem = the_problem(write(tmp_path, FRONT + f"\n{TABLE}\n{caption}\n" + KEY_POINTS))
    assert problem.line == 13 and problem.message == message


@pytest.mark.parametrize(("caption", "landscape", "widths"), [
    (": Cargo {.landscape}", True, ()),
    (': Cargo {widths="1 3 2"}', False, (1.0, 3.0, 2.0)),
    (": Cargo {.landscape widths='1 2.5 1'}", True, (1.0, 2.5, 1.0)),
    (": Cargo {widths=2,1,1 .landscape}", True, ()),  # refused: see below
])
def test_a_wide_tables_landscape_page_and_column_widths(tmp_path: Path, caption: str,
                                                        landscape: bool,
                                                        widths: tuple[float, ...]) -> None:
    path = write(tmp_path, FRONT + f"\n{TABLE}\n{caption}\n" + KEY_POINTS)
    if "," in caption:
        assert the_problem(path).message == (
            'widths="2,1,1" does not give the table\'s 3 columns each a positive width')
        return
    (table,) = tables(tmp_path, f"\n{TABLE}\n{caption}\n")
    assert (table.landscape, table.widths, plain_text(table.caption)) == (landscape, widths,
                                                                           "Cargo")


@pytest.mark.parametrize("widths", ["1 2", "1 0 1", "1 -2 1", "a b c", "1 2 3 4", "1 inf 1"])
def test_widths_that_do_not_fit_the_table_are_refused(tmp_path: Path, widths: str) -> None:
    problem = the_problem(write(tmp_path, FRONT + f'\n{TABLE}\n: Cargo {{widths="{widths}"}}\n'
                                + KEY_POINTS))
    assert problem.line == 13
    assert problem.message == (f'widths="{widths}" does not give the table\'s 3 columns each '
                               "a positive width")
    assert problem.hint == 'write 3 numbers, e.g. widths="1 1 1"'


def test_a_cell_that_is_not_a_number_is_refused_at_the_caption(tmp_path: Path) -> None:
    table = "| Year | Rail |\n|---|---|\n| 2021 | n/a |\n"
    problem = the_problem(write(tmp_path, FRONT + f"\n{table}\n: Rail {{.chart-line}}\n"
                                + KEY_POINTS))
    assert problem.line == 12
    assert problem.message == "cell 2 of row 1 of the chart's table, 'n/a', is not a number"


@pytest.mark.parametrize(("text", "value"), [
    ("1,250", 1250.0), ("1 250.5", 1250.5), ("−3", -3.0), ("+2", 2.0), ("40%", 40.0),
    (".5", 0.5), ("12", 12.0), ("", None), ("n/a", None), ("1,25", None), ("-", None),
    ("1.2.3", None), ("%", None)])
def test_numbers_as_tables_write_them(text: str, value: float | None) -> None:
    assert parse_number(text) == value
