"""The deck's slides: a paper's key points, or an information paper's sections."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from conftest import FIXTURES
from kzreport.cli import cli
from kzreport.model import KeyPoints, ListBlock, Paragraph, plain_text
from kzreport.slide_points import is_information_paper, slide_points
from kzreport.source import read_source


def test_an_information_paper_shows_its_sections() -> None:
    document = read_source(FIXTURES / "information-paper.md")
    assert is_information_paper(document)
    assert not any(isinstance(block, KeyPoints) for block in document.blocks)
    points = slide_points(document).points
    assert [p.headline for p in points] == ["The river and its reservoirs", "Who uses the water",
                                            "Agreements since 1991"]
    river, users, agreements = points
    assert plain_text(river.inlines).startswith("The Syr Darya rises")
    # The rest of a section (its later paragraphs, its ### subsections) is its details.
    assert [type(d) for d in river.details] == [Paragraph]
    assert not users.inlines and isinstance(users.details[0], ListBlock)
    assert [type(d).__name__ for d in agreements.details] == ["Heading", "Paragraph"]


def test_a_paper_with_key_points_shows_them() -> None:
    document = read_source(FIXTURES / "paper-russian.md")
    assert not is_information_paper(document)
    assert slide_points(document) is document.key_points
    assert document.key_points.title == "Ключевые моменты"
    assert [p.headline for p in document.key_points.points] == ["Нейтралитет.", "Торговля.",
                                                                None]


def test_information_and_russian_papers_build_and_verify(tmp_path: Path) -> None:
    runner = CliRunner()
    sources = [str(FIXTURES / "information-paper.md"), str(FIXTURES / "paper-russian.md")]
    built = runner.invoke(cli, ["build", *sources, "-o", str(tmp_path)])
    assert built.exit_code == 0, built.output
    checked = runner.invoke(cli, ["verify", *sources, "-o", str(tmp_path)])
    assert checked.exit_code == 0, checked.output
