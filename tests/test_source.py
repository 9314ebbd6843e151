"""Tests of kzreport.source: good papers parse to the right model, and every malformed one is
refused with exactly one located line of the form ``path:line: error: what — how to fix``."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import FIXTURES
from kzreport.errors import SourceError
from kzreport.model import (
    Author,
    Heading,
    KeyPoints,
    Link,
    Paragraph,
    Span,
    plain_text,
)
from kzreport.source import MAX_SOURCE_BYTES, parse_source, read_source
from source_helpers import (
    FRONT,
    KEY_POINTS,
    assert_error_line,
    paper,
    problems_of,
    the_problem,
    write,
)

BAD = FIXTURES / "bad"


# ====================================================================== good input


def test_kazakh_cyrillic_in_every_field() -> None:
    document = read_source(FIXTURES / "source-kazakh.md")
    meta = document.meta
    assert meta.title == "Қазақстанның Ресей мен Украина арасындағы соғыстағы ұстанымы"
    assert meta.subtitle == "Көпвекторлы сыртқы саясат және бейтараптық"
    assert meta.authors == (Author("Әлия Нұрғалиқызы", "Стратегиялық талдау тобы, Астана"),
                            Author("Бауыржан Өтепов"))
    assert meta.organization == "Орталық Азия зерттеулер орталығы"
    assert meta.summary == ("Қазақстан Ресей мен Украина арасындағы қақтығыста салыстырмалы "
                            "түрде бейтарап ұстанымды сақтайды.")
    assert meta.links == (Link("Толық мақаланы оқу", "https://kk.wikipedia.org/wiki/Қазақстан"),
                          Link("Авторға хат жазу", "mailto:aliya@example.kz"))
    assert meta.disclaimer is not None and meta.disclaimer.startswith("Осы құжатта")
    assert meta.language == "kk-KZ"
    assert meta.keywords == ("Қазақстан", "Ресей", "Украина", "бейтараптық")
    first, heading, second, section = document.blocks
    assert isinstance(first, Paragraph)
    assert Span("Украинадағы", bold=True) in first.inlines
    assert Span("ресми", italic=True) in first.inlines
    assert isinstance(heading, Heading) and plain_text(heading.inlines) == "Тарихи негіздер"
    assert isinstance(second, Paragraph)
    assert any(isinstance(s, Span) and s.text == "Уикипедия" and s.href for s in second.inlines)
    assert isinstance(section, KeyPoints)
    assert [p.headline for p in section.points] == ["Бейтараптық.", None]
    assert plain_text(section.points[0].inlines).startswith("Қазақстан қақтығысқа")


def test_quoted_date_bom_crlf_and_dots_closing_the_front_matter(tmp_path: Path) -> None:
    text = ("\ufeff---\r\ntitle: T\r\nauthors: [A]\r\ndate: '2022-06-03'\r\n...\r\n\r\n"
            "Body.\r\n\r\n## Key Points\r\n\r\n- Point.\r\n")
    path = tmp_path / "paper.md"
    path.write_bytes(text.encode("utf-8"))
    document = read_source(path)
    assert document.meta.date == dt.date(2022, 6, 3)
    assert [b.line for b in document.blocks] == [7, 9]


def test_decomposed_accents_are_composed(tmp_path: Path) -> None:
    document = paper(tmp_path, "\nCafe\u0301 au lait.\n\n## Key Points\n\n- One.\n",
                     front=FRONT.replace("Jane Doe", "Rene\u0301 Doe"))
    assert document.meta.authors[0].name == "René Doe"
    assert plain_text(document.blocks[0].inlines) == "Café au lait."  # type: ignore[union-attr]


def test_line_numbers_after_multi_line_front_matter() -> None:
    document = read_source(FIXTURES / "source-kazakh.md")
    assert [b.line for b in document.blocks] == [28, 31, 33, 36]
    assert document.lines == {"title": 2, "subtitle": 3, "authors": 4, "date": 8,
                              "organization": 9, "summary": 10, "links": 13, "disclaimer": 18,
                              "marking": 19, "language": 20, "keywords": 21}


# ====================================================================== bad input: the corpus


@dataclass(frozen=True)
class BadCase:
    name: str
    line: int
    column: int | None
    says: str


def load_bad_cases() -> list[BadCase]:
    cases = []
    for row in (BAD / "expected.txt").read_text(encoding="utf-8").splitlines():
        if not row.strip() or row.startswith("#"):
            continue
        name, where, says = row.split("\t")
        line, _, column = where.partition(":")
        cases.append(BadCase(name, int(line), int(column) if column else None, says))
    return cases


BAD_CASES = load_bad_cases()


def test_the_corpus_is_complete() -> None:
    listed = [c.name for c in BAD_CASES]
    assert len(listed) == len(set(listed)), "a file is listed twice in expected.txt"
    on_disk = sorted(p.name for p in BAD.glob("*.md"))
    assert sorted(listed) == on_disk, "every bad .md file needs exactly one expected.txt row"
    assert len(listed) >= 45


@pytest.mark.parametrize("case", BAD_CASES, ids=[c.name for c in BAD_CASES])
def test_bad_source_gives_one_located_error(case: BadCase) -> None:
    path = BAD / case.name
    problem = the_problem(path)
    assert case.says in str(problem)
    assert problem.line == case.line, str(problem)
    if case.column is not None:
        assert problem.column == case.column, str(problem)
    assert problem.severity == "error"


@pytest.mark.parametrize("case", BAD_CASES, ids=[c.name for c in BAD_CASES])
def test_bad_text_through_parse_source_raises_only_source_error(case: BadCase) -> None:
    # parse_source gets decoded text; decoding damaged bytes may even repair the file.
    raw = (BAD / case.name).read_bytes()
    try:
        parse_source(raw.decode("utf-8", "replace"), BAD / case.name)
    except SourceError as exc:
        for problem in exc.problems:
            assert_error_line(problem, BAD / case.name)


# ====================================================================== bad input: generated


def test_file_over_the_size_limit(tmp_path: Path) -> None:
    filler = "A paragraph of filler text to make the file large. " * 20 + "\n\n"
    text = FRONT + "\n" + filler * (MAX_SOURCE_BYTES // len(filler) + 1) + KEY_POINTS
    path = write(tmp_path, text)
    assert path.stat().st_size > MAX_SOURCE_BYTES
    problem = the_problem(path)
    assert problem.line == 1
    assert f"over the limit of {MAX_SOURCE_BYTES:,}" in str(problem)
    assert f"{path.stat().st_size:,} bytes" in str(problem)


def test_file_at_the_size_limit_is_read(tmp_path: Path) -> None:
    text = FRONT + "\nBody.\n" + KEY_POINTS
    filler = MAX_SOURCE_BYTES - len(text.encode()) - 2
    paragraphs = ("x" * 98 + "\n\n") * (filler // 100)  # paragraphs of one long-ish word
    text += "\n" + paragraphs + "x" * (filler - len(paragraphs)) + "\n"
    path = write(tmp_path, text)
    assert path.stat().st_size == MAX_SOURCE_BYTES
    assert read_source(path).meta.title == "Kazakhstan’s Position"


def test_source_that_cannot_be_read(tmp_path: Path) -> None:
    for path in (tmp_path / "missing.md", tmp_path):
        with pytest.raises(SourceError) as info:
            read_source(path)
        (problem,) = info.value.problems
        assert "cannot read file" in problem.message and problem.hint


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_source_without_read_permission(tmp_path: Path) -> None:
    path = write(tmp_path, FRONT + KEY_POINTS)
    path.chmod(0)
    with pytest.raises(SourceError, match="cannot read file"):
        read_source(path)


def test_non_utf8_column_counts_characters(tmp_path: Path) -> None:
    path = tmp_path / "paper.md"
    # 'title: Қазақстан' is 16 characters but 25 bytes; then a Latin-1 'é'.
    path.write_bytes("---\ntitle: Қазақстан".encode() + b"\xe9\n" + KEY_POINTS.encode())
    problem = the_problem(path)
    assert (problem.line, problem.column) == (2, 17)
    assert "byte 0xE9" in problem.message


def test_several_problems_are_all_listed_in_source_order(tmp_path: Path) -> None:
    text = ("---\ntitle: T\nauthors: [A]\ndate: 2022-13-01\nsubtitel: S\n---\n\n"
            "# Title again\n\nSee [x](javascript:x).\n" + KEY_POINTS)
    problems = problems_of(write(tmp_path, text))
    assert [(p.line, p.message.split(" ")[0]) for p in problems] == [
        (5, "unknown"), (4, "date"), (8, "level-1"), (10, "'javascript:'")]


def test_only_the_first_control_character_is_reported(tmp_path: Path) -> None:
    problem = the_problem(write(tmp_path, FRONT + "\na\x01b\x02c\n\nd\x03\n" + KEY_POINTS))
    assert (problem.line, problem.column) == (8, 2)
    assert "U+0001" in problem.message


@pytest.mark.parametrize("char", ["\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\x9f", "\ufffe",
                                  "\uffff"])
def test_forbidden_characters_in_the_body(tmp_path: Path, char: str) -> None:
    problem = the_problem(write(tmp_path, FRONT + f"\nBody {char} text.\n" + KEY_POINTS))
    assert (problem.line, problem.column) == (8, 6)
    assert f"U+{ord(char):04X}" in problem.message
