"""Published plain text, as the example paper first came: the import differs from the paper's
source only in what the text does not carry (organization, keywords, the links' addresses)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from conftest import FIXTURES, SEED
from kzreport.importing import import_paper
from kzreport.importing.roundtrip import content
from kzreport.importing.text import PLACEHOLDER_URL
from kzreport.model import Document, Link, Paragraph, plain_text
from kzreport.source import read_source

TEXT = FIXTURES / "import" / "kazakhstan-position.txt"


def test_the_example_paper_from_its_published_text(tmp_path: Path) -> None:
    out = tmp_path / "source" / "kazakhstan-position.md"
    warnings = import_paper(TEXT, out, None, tmp_path)
    imported, original = read_source(out), read_source(SEED)
    placeholders = [PLACEHOLDER_URL.format(n=n) for n in (1, 2)]
    assert [link.url for link in imported.meta.links] == placeholders
    # Each placeholder is reported on its line, to be filled in.
    assert [(w.line, placeholders[n] in w.message) for n, w in enumerate(warnings)] == [
        (22, True), (24, True)]
    assert all(w.message.startswith(f"line {w.line} (") for w in warnings)
    expected = dataclasses.replace(
        original.meta, organization=None, keywords=(),
        links=tuple(Link(link.label, url) for link, url in zip(original.meta.links,
                                                               placeholders, strict=True)))
    assert content(imported) == content(dataclasses.replace(original, meta=expected))


def test_hard_wrapped_text_with_nested_bullets_and_a_heading(tmp_path: Path) -> None:
    text = tmp_path / "paper.txt"
    text.write_text("A Title\nBy: Jane Doe; John Roe, Staff\n2024-02-29\n\nBackground\n\n"
                    "A paragraph of published text, hard-wrapped as e-mail is,\n"
                    "over two lines.\n\nKey Points:\n\n• First point\n"
                    "  ◦ a detail\n• Second point\n\nFull text: https://example.org/p\n",
                    encoding="utf-8")
    out = tmp_path / "paper.md"
    assert import_paper(text, out, None, tmp_path) == []
    document = read_source(out)
    assert [(a.name, a.affiliation) for a in document.meta.authors] == [
        ("Jane Doe", None), ("John Roe", "Staff")]
    assert document.meta.links == (Link("Full text", "https://example.org/p"),)
    assert [len(p.details) for p in document.key_points.points] == [1, 0]
    assert "hard-wrapped as e-mail is, over two lines." in out.read_text(encoding="utf-8")


def test_a_long_byline_then_the_date_in_wrapped_text_are_two_lines(tmp_path: Path) -> None:
    # A byline of 40 characters or more is no short line, yet the date under it is its own.
    text = tmp_path / "paper.txt"
    text.write_text("A Title\n\nBy: Dana Analyst, Central Asia Branch; Sam Writer, J5\n"
                    "By: Third Author, Another Long Affiliation Name\n3 June 2024\n\n"
                    "A paragraph.\n\nKey Points:\n• A point.\n", encoding="utf-8")
    out = tmp_path / "paper.md"
    assert import_paper(text, out, None, tmp_path) == []
    document = read_source(out)
    assert [(a.name, a.affiliation) for a in document.meta.authors] == [
        ("Dana Analyst", "Central Asia Branch"), ("Sam Writer", "J5"),
        ("Third Author", "Another Long Affiliation Name")]
    assert str(document.meta.date) == "2024-06-03"


def imported_text(folder: Path, text: str) -> Document:
    """The paper imported, without a warning, from plain ``text``."""
    path = folder / "paper.txt"
    path.write_text(text, encoding="utf-8")
    out = folder / "paper.md"
    assert import_paper(path, out, None, folder) == []
    return read_source(out)


@pytest.mark.parametrize("label", ["Prepared by:", "Prepared by", "PREPARED BY:", "Author:",
                                   "Authors:", "Written by", "written by:", "By:"])
def test_staff_paper_bylines_name_the_authors(tmp_path: Path, label: str) -> None:
    document = imported_text(tmp_path, f"A Title\n{label} Dana Analyst, J5; Sam Writer\n"
                             "3 June 2024\n\nA paragraph.\n")
    assert [(a.name, a.affiliation) for a in document.meta.authors] == [
        ("Dana Analyst", "J5"), ("Sam Writer", None)]
    assert str(document.meta.date) == "2024-06-03"
    assert [plain_text(b.inlines) for b in document.blocks if isinstance(b, Paragraph)] == [
        "A paragraph."]


@pytest.mark.parametrize("label", ["Prepared by:", "Authors:", "Written by"])
def test_a_byline_label_alone_takes_the_name_under_it(tmp_path: Path, label: str) -> None:
    document = imported_text(tmp_path, f"A Title\n\n{label}\nDana Analyst, Central Asia "
                             "Branch\n2024-06-03\n\nA paragraph.\n")
    assert [(a.name, a.affiliation) for a in document.meta.authors] == [
        ("Dana Analyst", "Central Asia Branch")]


@pytest.mark.parametrize("line", ["Prepared for: The Commander", "Authors of the plan"])
def test_lines_that_only_look_like_bylines_are_not_authors(tmp_path: Path, line: str) -> None:
    # Under the title, where a byline would be: a subtitle, not an author.
    document = imported_text(tmp_path, f"A Title\n{line}\nBy: Dana Analyst\n2024-06-03\n\n"
                             "A paragraph.\n")
    assert [a.name for a in document.meta.authors] == ["Dana Analyst"]
    assert document.meta.subtitle == line


def test_by_inside_a_wrapped_paragraph_goes_on_with_it(tmp_path: Path) -> None:
    # A byline starts a line of its own in the title block only: in the body, a wrapped line
    # opening "By contrast" or "Prepared by the staff" (or a date alone) is the paragraph's.
    document = imported_text(
        tmp_path, "A Title\nBy: Dana Analyst, Central Asia Branch of the Staff College\n"
        "3 June 2024\n\nThe ministry published its first plan for the water sector in 2019,\n"
        "By contrast, the ministry of energy published nothing at all that year, and\n"
        "Prepared by the staff, the second plan was shorter than the first one was,\n"
        "June 2022.\n")
    assert [(a.name, a.affiliation) for a in document.meta.authors] == [
        ("Dana Analyst", "Central Asia Branch of the Staff College")]
    assert str(document.meta.date) == "2024-06-03"
    assert [plain_text(b.inlines) for b in document.blocks if isinstance(b, Paragraph)] == [
        "The ministry published its first plan for the water sector in 2019, By contrast, the "
        "ministry of energy published nothing at all that year, and Prepared by the staff, the "
        "second plan was shorter than the first one was, June 2022."]


def test_a_byline_under_a_long_wrapped_title_is_still_a_line_of_its_own(tmp_path: Path) -> None:
    document = imported_text(
        tmp_path, "Water Sharing in Central Asia: Risks and Opportunities for the\n"
        "Next Decade of Cooperation\nBy: Dana Analyst, Central Asia Branch of the Staff\n"
        "Prepared by: Sam Writer\n3 June 2024\n\nA paragraph.\n")
    assert document.meta.title == ("Water Sharing in Central Asia: Risks and Opportunities "
                                   "for the Next Decade of Cooperation")
    assert [(a.name, a.affiliation) for a in document.meta.authors] == [
        ("Dana Analyst", "Central Asia Branch of the Staff"), ("Sam Writer", None)]
    assert str(document.meta.date) == "2024-06-03"


def test_a_first_paragraph_opening_by_is_no_byline(tmp_path: Path) -> None:
    document = imported_text(tmp_path, "A Title\nBy: Dana Analyst\n3 June 2024\n\n"
                             "By 2030, the ministry plans a surplus.\n\n"
                             "By contrast, the region does not.\n")
    assert [a.name for a in document.meta.authors] == ["Dana Analyst"]
    assert [plain_text(b.inlines) for b in document.blocks if isinstance(b, Paragraph)] == [
        "By 2030, the ministry plans a surplus.", "By contrast, the region does not."]
