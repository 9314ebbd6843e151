"""The accessibility lint behind ``kzreport check``."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from kzreport.cli import cli
from kzreport.lint import accessibility_warnings
from kzreport.source import parse_source

FRONT = "---\ntitle: T\nauthors: [A]\ndate: 2024-01-02\nlanguage: en-US\n---\n"
KEY_POINTS = "\n## Key Points\n\n- One point.\n"


def warnings_for(body: str, tmp_path: Path, front: str = FRONT) -> list[str]:
    source = tmp_path / "paper.md"
    source.write_text(front + body + KEY_POINTS, encoding="utf-8")
    return [str(w) for w in accessibility_warnings(parse_source(source.read_text(), source))]


def test_a_clean_paper_has_no_warnings(tmp_path: Path) -> None:
    assert warnings_for("See [the full report](https://example.org/r).\n", tmp_path) == []


@pytest.mark.parametrize("text", ["here", "Click here", "click here!", "more", "this link"])
def test_vague_link_text(text: str, tmp_path: Path) -> None:
    found = warnings_for(f"Read it [{text}](https://example.org/).\n", tmp_path)
    assert len(found) == 1
    assert found[0].startswith(f"{tmp_path / 'paper.md'}:7: warning: link text")
    assert "does not describe its target" in found[0]


def test_bare_url_as_link_text(tmp_path: Path) -> None:
    found = warnings_for("See <https://example.org/a/very/long/path>.\n", tmp_path)
    assert len(found) == 1 and "bare URL" in found[0]


def test_vague_further_reading_label(tmp_path: Path) -> None:
    front = FRONT.replace("---\n", "---\nlinks:\n  - label: here\n    url: https://x.org/\n", 1)
    found = warnings_for("Body.\n", tmp_path, front)
    assert len(found) == 1 and ":2: warning: link text 'here'" in found[0]


def test_alt_text_that_is_the_file_name(tmp_path: Path) -> None:
    Image.new("RGB", (4, 4)).save(tmp_path / "chart.png")
    found = warnings_for("![chart.png](chart.png)\n", tmp_path)
    assert len(found) == 1 and "alt text of image 'chart.png' is its file name" in found[0]
    assert warnings_for("![Bar chart of exports](chart.png)\n", tmp_path) == []


def test_alt_text_that_is_the_images_path(tmp_path: Path) -> None:
    (tmp_path / "images").mkdir()
    Image.new("RGB", (4, 4)).save(tmp_path / "images" / "chart.png")
    found = warnings_for("![images/chart.png](images/chart.png)\n", tmp_path)
    assert len(found) == 1 and "alt text of image 'chart.png' is its file name" in found[0]


def test_heading_that_skips_a_level(tmp_path: Path) -> None:
    found = warnings_for("### Straight to level three\n\nText.\n", tmp_path)
    assert len(found) == 1 and ":7: warning: heading level 3 follows level 1" in found[0]
    assert warnings_for("## Two\n\n### Three\n\nText.\n", tmp_path) == []


def test_table_without_header_text(tmp_path: Path) -> None:
    found = warnings_for("|   |   |\n|---|---|\n| a | b |\n", tmp_path)
    assert len(found) == 1 and "table has no header row" in found[0]


def test_missing_language(tmp_path: Path) -> None:
    found = warnings_for("Body.\n", tmp_path, FRONT.replace("language: en-US\n", ""))
    assert len(found) == 1 and "does not declare its language" in found[0]


def test_check_warns_and_strict_fails(tmp_path: Path) -> None:
    source = tmp_path / "paper.md"
    source.write_text(FRONT + "Read it [here](https://example.org/).\n" + KEY_POINTS,
                      encoding="utf-8")
    runner = CliRunner()
    relaxed = runner.invoke(cli, ["check", str(source)])
    assert relaxed.exit_code == 0 and "warning: link text 'here'" in relaxed.output
    strict = runner.invoke(cli, ["check", "--strict", str(source)])
    assert strict.exit_code == 1 and "error: link text 'here'" in strict.output
    build = runner.invoke(cli, ["build", "--strict", "-f", "docx", "-o", str(tmp_path / "out"),
                                str(source)])
    assert build.exit_code == 1 and not (tmp_path / "out" / "paper.docx").exists()


def test_links_in_footnotes_are_checked_too(tmp_path: Path) -> None:
    found = warnings_for("A claim.[^a]\n\n[^a]: See [here](https://example.org/).\n", tmp_path)
    assert len(found) == 1
    assert found[0].startswith(f"{tmp_path / 'paper.md'}:9: warning: link text 'here'")


def test_a_landscape_table_must_be_at_the_top_level(tmp_path: Path) -> None:
    table = "| A | B |\n|---|---|\n| 1 | 2 |\n\n: Wide {.landscape}\n"
    assert warnings_for(table, tmp_path) == []
    nested = "- An item.\n\n" + "".join(f"  {line}\n" if line else "\n"
                                        for line in table.splitlines())
    (warning,) = warnings_for(nested, tmp_path)
    assert ":9: warning: a {.landscape} table inside a list, quote or key point stays on a " \
        "portrait page — move the table out to the paper's top level" in warning
