"""A layout's words per language: every shipped language's labels, and a language a project
layout adds, Key Points heading included."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import fields
from pathlib import Path

import pytest

from conftest import write_source
from kzreport.build import prepare
from kzreport.errors import LayoutError
from kzreport.layout import Labels
from kzreport.layout_loader import builtin_folder, load_layout
from kzreport.model import KeyPoints

#: Labels whose words are the same in every language (field templates, no words).
_NO_WORDS = {"running_header", "slide_footer"}


@pytest.mark.parametrize("tag", ["ar", "fa", "ps", "ur", "ru", "kk", "uk", "de", "fr", "es",
                                 "it"])
def test_every_shipped_language_has_every_printed_label(tag: str, tmp_path: Path) -> None:
    data = tomllib.loads((builtin_folder() / "default" / "layout.toml").read_text("utf-8"))
    table = data["languages"][tag]
    assert {f.name for f in fields(Labels)} - _NO_WORDS <= set(table["labels"])
    assert len(table["month_names"]) == 12 and "date_format" in table
    layout = load_layout("default", tmp_path)
    words = layout.for_language(tag)
    assert words.labels.summary != layout.labels.summary
    assert words.labels.key_points != layout.labels.key_points
    assert words.is_key_points(words.labels.key_points)
    assert words.is_key_points("Key Points")  # the layout's own name is known in any language


def test_pashto_and_urdu_words(tmp_path: Path) -> None:
    layout = load_layout("default", tmp_path)
    urdu, pashto = layout.for_language("ur-PK"), layout.for_language("ps-AF")
    assert urdu.labels.key_points == "اہم نکات" and pashto.labels.key_points == "مهم ټکي"
    assert urdu.format_date(dt.date(2022, 6, 3)) == "3 جون 2022"
    assert pashto.format_date(dt.date(2022, 5, 3)) == "3 مۍ 2022"


def test_russian_and_kazakh_dates(tmp_path: Path) -> None:
    layout = load_layout("default", tmp_path)
    assert layout.for_language("ru").format_date(dt.date(2022, 6, 3)) == "3 июня 2022 г."
    assert layout.for_language("kk-KZ").format_date(dt.date(2022, 6, 3)) == \
        "2022 жылғы 3 маусым"


def test_a_project_layout_adds_a_language(tmp_path: Path) -> None:
    folder = tmp_path / "layouts" / "polish"
    folder.mkdir(parents=True)
    (folder / "layout.toml").write_text(
        'inherit = "default"\n[languages.pl]\nkey_points_headings = ["Wnioski"]\n'
        '[languages.pl.labels]\nkey_points = "Najważniejsze punkty"\n'
        'continued = "{title} (cd.)"\nsummary = "Podsumowanie"\n', encoding="utf-8")
    for heading in ("Najważniejsze punkty", "wnioski:"):
        source = write_source(tmp_path, "title: T\nauthors: [A]\ndate: 2022-06-03\n"
                              "language: pl-PL\nlayout: polish\nsummary: S.\n",
                              f"## {heading}\n\n- Jeden.\n- Dwa.\n")
        document, layout = prepare(source, None, tmp_path)
        section = document.key_points
        assert isinstance(section, KeyPoints) and len(section.points) == 2
        assert layout.labels.summary == "Podsumowanie"
        assert layout.labels.continued == "{title} (cd.)"
        assert layout.labels.figure == "Figure {n}."  # not given: the layout's own


@pytest.mark.parametrize(("text", "message"), [
    ('[languages.pl]\nkey_points_headings = ["A", 3]\n', "must list heading names"),
    ('key_points_headings = "Findings"\n', "must be a list"),
    ('[languages.pl.labels]\ncontinued = "{title} ({n})"\n', "unknown field '{n}'"),
    ('[labels]\nkey_points = "Key {n}"\n', "unknown field '{n}'"),
])
def test_bad_language_settings_are_located_errors(tmp_path: Path, text: str,
                                                  message: str) -> None:
    folder = tmp_path / "layouts" / "bad"
    folder.mkdir(parents=True)
    (folder / "layout.toml").write_text('inherit = "default"\n' + text, encoding="utf-8")
    with pytest.raises(LayoutError) as caught:
        load_layout("bad", tmp_path)
    assert any(message in str(p) for p in caught.value.problems), caught.value.problems


def test_a_russian_paper_prints_russian_labels_in_every_format(tmp_path: Path) -> None:
    import zipfile

    from click.testing import CliRunner
    from pypdf import PdfReader

    from conftest import FIXTURES
    from kzreport.cli import cli

    built = CliRunner().invoke(cli, ["build", str(FIXTURES / "paper-russian.md"), "-o",
                                     str(tmp_path)])
    assert built.exit_code == 0, built.output

    def package_text(path: Path) -> str:
        """The text of every text element (w:t, a:t) of the package's XML parts."""
        with zipfile.ZipFile(path) as package:
            xml = "".join(package.read(n).decode("utf-8") for n in package.namelist()
                          if n.endswith(".xml"))
        return " ".join(re.findall(r"<[wa]:t(?: [^>]*)?>([^<]*)<", xml))

    brief, deck = package_text(tmp_path / "paper-russian.docx"), package_text(
        tmp_path / "paper-russian.pptx")
    pdf = " ".join(page.extract_text() for page in PdfReader(tmp_path / "paper-russian.pdf").pages)
    for words in ("3 июня 2022 г.", "Главный вывод", "Дополнительные материалы"):
        assert words in brief and words in pdf and words in deck, words
    # The brief's number is a SEQ field's result, a text element of its own.
    assert re.search(r"Рисунок\s+1\s*\.", brief) and "Рисунок 1." in pdf
    assert "Страница" in brief and "Страница 1 из 1" in pdf
    assert "Ключевой момент 3 из 3" in deck
    for english in ("Bottom Line", "Further Reading", "Figure", "Page ", "Key Point", "June"):
        assert english not in pdf and english not in deck and english not in brief, english


@pytest.mark.parametrize(("name", "words"), [
    ("labels-urdu.md", ("اہم نکات", "خلاصہ", "مزید مطالعہ", "صفحہ", "12 فروری 2024")),
    ("labels-pashto.md", ("مهم ټکي", "لنډیز", "نور لوستل", "مخ", "3 مۍ 2024")),
])
def test_urdu_and_pashto_papers_read_their_heading_and_print_their_labels(
        name: str, words: tuple[str, ...], tmp_path: Path) -> None:
    import zipfile

    from click.testing import CliRunner

    from conftest import FIXTURES
    from kzreport.cli import cli
    from kzreport.source import read_source

    heading, *labels = words
    document = read_source(FIXTURES / name)
    assert document.key_points.title == heading and len(document.key_points.points) == 2
    built = CliRunner().invoke(cli, ["build", str(FIXTURES / name), "-o", str(tmp_path),
                                     "-f", "docx"])
    assert built.exit_code == 0, built.output
    with zipfile.ZipFile(tmp_path / name.replace(".md", ".docx")) as package:
        xml = "".join(package.read(n).decode("utf-8") for n in package.namelist()
                      if n.endswith(".xml"))
    # Runs split the text where the script or the direction changes: compared without spaces.
    text = "".join("".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)<", xml)).split())
    for label in labels:
        assert "".join(label.split()) in text, label
