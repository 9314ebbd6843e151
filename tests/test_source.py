"""Tests of kzreport.source: good papers parse to the right model, and every malformed one is
refused with exactly one located line of the form ``path:line: error: what — how to fix``."""

from __future__ import annotations

import datetime as dt
import os
import re
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image

from kzreport.errors import Problem, SourceError
from kzreport.model import (
    Author,
    CodeBlock,
    Document,
    Figure,
    Heading,
    KeyPoints,
    LineBreak,
    Link,
    ListBlock,
    Paragraph,
    Quote,
    Rule,
    Span,
    Table,
    plain_text,
    walk,
)
from kzreport.source import (
    MAX_PROBLEMS,
    MAX_SOURCE_BYTES,
    parse_source,
    read_source,
    url_problem,
)

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
BAD = FIXTURES / "bad"
SEED = ROOT / "source" / "kazakhstan-position.md"

#: One problem, one line: ``path:line[:column]: error: what — how to fix``.
ERROR_LINE = re.compile(r"^(?P<path>.+?):(?P<line>[1-9]\d*)(?::(?P<column>[1-9]\d*))?: error: "
                        r"(?P<what>\S.*?) — (?P<how>\S.*)$")

FRONT = "---\ntitle: Kazakhstan’s Position\nauthors:\n  - Jane Doe\ndate: 2022-06-03\n---\n"
KEY_POINTS = "\n## Key Points\n\n- The one key point.\n"


def assert_error_line(problem: Problem, path: Path) -> re.Match[str]:
    """``problem`` prints as one well-formed error line about ``path``."""
    text = str(problem)
    match = ERROR_LINE.fullmatch(text)
    assert match, f"not a one-line error: {text!r}"
    assert match["path"] == str(path)
    assert int(match["line"]) == problem.line
    assert "Traceback" not in text
    return match


def problems_of(path: Path) -> tuple[Problem, ...]:
    with pytest.raises(SourceError) as info:
        read_source(path)
    problems = info.value.problems
    assert problems, "a SourceError must carry at least one problem"
    for problem in problems:
        assert_error_line(problem, path)
    return problems


def the_problem(path: Path) -> Problem:
    problems = problems_of(path)
    assert len(problems) == 1, "expected one problem, got:\n" + "\n".join(map(str, problems))
    return problems[0]


def write(folder: Path, text: str, name: str = "paper.md") -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def paper(folder: Path, body: str, front: str = FRONT) -> Document:
    """Parse a paper made of ``front`` and ``body`` written into ``folder``."""
    return read_source(write(folder, front + body))


def png(path: Path, size: tuple[int, int] = (4, 3), fmt: str = "PNG") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, (0, 90, 160)).save(path, fmt)
    return path


def png_header_only(path: Path, width: int, height: int) -> Path:
    """A PNG file whose header claims ``width``×``height`` pixels, in a few dozen bytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
                     + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b""))
    return path


# ====================================================================== good input


def test_seed_parses_to_the_expected_metadata() -> None:
    meta = read_source(SEED).meta
    assert meta.title == "Kazakhstan’s Position in the War Between Russia and Ukraine"
    assert meta.authors == (Author("LTC Andrea ZANINI", "ITA A, Action Officer, CSAG CCJ5"),)
    assert meta.date == dt.date(2022, 6, 3)
    assert meta.organization == "USCENTCOM Combined Strategic Analysis Group (CSAG)"
    assert meta.links == (
        Link("Read the complete paper",
             "https://nesa-center.org/kazakhstans-position-in-the-war-between-russia-and-ukraine/"),
        Link("Other USCENTCOM CSAG papers", "https://nesa-center.org/"),
    )
    assert meta.disclaimer is not None
    assert meta.disclaimer.startswith("The opinions and conclusions expressed herein")
    assert meta.disclaimer.endswith("or any other governmental agency.")
    assert "\n" not in meta.disclaimer  # the folded block scalar is one paragraph
    assert meta.language == "en-US"
    assert meta.keywords[:3] == ("Kazakhstan", "Russia", "Ukraine")
    assert (meta.subtitle, meta.summary, meta.marking, meta.layout) == (None, None, None, None)


def test_seed_body_is_five_paragraphs_then_four_key_points() -> None:
    document = read_source(SEED)
    *paragraphs, section = document.blocks
    assert len(paragraphs) == 5
    assert all(isinstance(p, Paragraph) for p in paragraphs)
    assert [p.line for p in paragraphs] == [28, 34, 40, 48, 54]
    first = plain_text(paragraphs[0].inlines)  # type: ignore[union-attr]
    assert first.startswith("On March 1, 2022, Kazakh President Kassym-Jomart Tokayev")
    assert "\n" not in first  # soft breaks are spaces
    assert isinstance(section, KeyPoints)
    assert section.title == "Key Points"
    assert section.line == 66
    assert document.key_points is section
    points = section.points
    assert len(points) == 4
    assert [p.headline for p in points] == [None] * 4
    assert [p.line for p in points] == [68, 72, 75, 78]
    starts = ("Kazakhstan maintains", "The neutrality", "While Kazakhstan", "It is likely")
    for point, start in zip(points, starts, strict=True):
        assert plain_text(point.inlines).startswith(start)
        assert point.details == ()
    assert document.assets == ()
    assert document.stem == "kazakhstan-position"
    assert document.lines["date"] == 6
    assert document.lines["disclaimer"] == 21


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


def test_cyrillic_marking_is_a_marking(tmp_path: Path) -> None:
    text = (FIXTURES / "source-kazakh.md").read_text(encoding="utf-8")
    path = write(tmp_path, text.replace("marking: UNCLASSIFIED", "marking: ҚҰПИЯ ЕМЕС"))
    assert read_source(path).meta.marking == "ҚҰПИЯ ЕМЕС"


def test_every_optional_key(tmp_path: Path) -> None:
    front = FRONT.replace("---\n", "", 1).replace("---\n", "")
    meta = paper(tmp_path, KEY_POINTS, "---\n" + front + (
        "subtitle: A neutral ally?\n"
        "organization: CSAG\n"
        "summary: |\n  One paragraph\n  over two lines.\n"
        "links:\n  - label: Write to us\n    url: mailto:csag@example.org\n"
        "disclaimer: Views are the authors' own.\n"
        "marking: SECRET//NOFORN\n"
        "language: kk-KZ\n"
        "keywords: [Kazakhstan, neutrality]\n"
        "layout: default\n"
        "---\n")).meta
    assert meta.subtitle == "A neutral ally?"
    assert meta.summary == "One paragraph over two lines."
    assert meta.links == (Link("Write to us", "mailto:csag@example.org"),)
    assert meta.marking == "SECRET//NOFORN"
    assert meta.language == "kk-KZ"
    assert meta.keywords == ("Kazakhstan", "neutrality")
    assert meta.layout == "default"


def test_quoted_date_bom_crlf_and_dots_closing_the_front_matter(tmp_path: Path) -> None:
    text = ("\ufeff---\r\ntitle: T\r\nauthors: [A]\r\ndate: '2022-06-03'\r\n...\r\n\r\n"
            "Body.\r\n\r\n## Key Points\r\n\r\n- Point.\r\n")
    path = tmp_path / "paper.md"
    path.write_bytes(text.encode("utf-8"))
    document = read_source(path)
    assert document.meta.date == dt.date(2022, 6, 3)
    assert [b.line for b in document.blocks] == [7, 9]


def test_inline_markup_becomes_spans_and_line_breaks(tmp_path: Path) -> None:
    body = ("\nPlain **bold** *italic* ***both*** `code` **`bold code`** "
            "[a link](https://example.org/a) **[bold link](https://example.org/b)** "
            "<https://example.org/c> [mail](mailto:a@example.org)\n"
            "soft break, hard break\\\n"
            "after a backslash, two spaces  \n"
            "end &amp; \\*escaped\\*.\n" + KEY_POINTS)
    paragraph = paper(tmp_path, body).blocks[0]
    assert isinstance(paragraph, Paragraph)
    assert paragraph.inlines == (
        Span("Plain "),
        Span("bold", bold=True),
        Span(" "),
        Span("italic", italic=True),
        Span(" "),
        Span("both", bold=True, italic=True),
        Span(" "),
        Span("code", code=True),
        Span(" "),
        Span("bold code", bold=True, code=True),
        Span(" "),
        Span("a link", href="https://example.org/a"),
        Span(" "),
        Span("bold link", bold=True, href="https://example.org/b"),
        Span(" "),
        Span("https://example.org/c", href="https://example.org/c"),
        Span(" "),
        Span("mail", href="mailto:a@example.org"),
        Span(" soft break, hard break"),
        LineBreak(),
        Span("after a backslash, two spaces"),
        LineBreak(),
        Span("end & *escaped*."),
    )


def test_table_with_alignment_and_inline_markup(tmp_path: Path) -> None:
    body = ("\n| Country | Votes | Share | Note |\n"
            "|:--------|------:|:-----:|------|\n"
            "| **Kazakhstan** | 0 | 0% | *abstained* |\n"
            "| Russia | 1 | 100% | [vote](https://un.org) |\n" + KEY_POINTS)
    table = paper(tmp_path, body).blocks[0]
    assert isinstance(table, Table)
    assert table.line == 8
    assert table.alignments == ("left", "right", "center", None)
    assert [plain_text(c) for c in table.header] == ["Country", "Votes", "Share", "Note"]
    assert len(table.rows) == 2 and all(len(r) == 4 for r in table.rows)
    assert table.rows[0][0] == (Span("Kazakhstan", bold=True),)
    assert table.rows[0][3] == (Span("abstained", italic=True),)
    assert table.rows[1][3] == (Span("vote", href="https://un.org"),)


def test_nested_lists_keep_order_start_and_nesting(tmp_path: Path) -> None:
    body = ("\n3. Third\n"
            "4. Fourth\n"
            "   - nested bullet\n"
            "     1. deep numbered\n"
            "5. Fifth\n" + KEY_POINTS)
    numbered = paper(tmp_path, body).blocks[0]
    assert isinstance(numbered, ListBlock)
    assert numbered.ordered and numbered.start == 3
    assert [i.line for i in numbered.items] == [8, 9, 12]
    fourth = numbered.items[1]
    assert isinstance(fourth.blocks[0], Paragraph)
    bullets = fourth.blocks[1]
    assert isinstance(bullets, ListBlock) and not bullets.ordered and bullets.start == 1
    deep = bullets.items[0].blocks[1]
    assert isinstance(deep, ListBlock) and deep.ordered and deep.start == 1
    assert plain_text(deep.items[0].blocks[0].inlines) == "deep numbered"  # type: ignore[union-attr]


@pytest.mark.parametrize(("body", "line"), [
    ("".join("  " * i + f"- level {i}\n" for i in range(13)), 20),
    ("> " * 25 + "deep quote\n", 8),
])
def test_nesting_too_deep_is_an_error_not_silently_dropped_text(tmp_path: Path, body: str,
                                                                  line: int) -> None:
    path = write(tmp_path, FRONT + "\n" + body + "\nAfter.\n\n## Key Points\n\n- One.\n")
    problem = the_problem(path)
    assert problem.line == line and "nested too deeply" in problem.message


def test_the_deepest_allowed_nesting_keeps_every_word(tmp_path: Path) -> None:
    lists = "".join("  " * i + f"- level {i}\n" for i in range(12))
    document = paper(tmp_path, "\n" + lists + "\n" + "> " * 24 + "deep quote\n\nFinal words.\n\n"
                     "## Key Points\n\n- One.\n")
    texts = [plain_text(b.inlines) for b in walk(document.blocks) if isinstance(b, Paragraph)]
    assert "level 11" in texts and "deep quote" in texts and "Final words." in texts


@pytest.mark.parametrize("text", ["bell &#7; here", "nul &#0; here", "bad &#xD800; here",
                                  "pasted \ufffd here"])
def test_text_that_would_print_a_replacement_character_is_refused(tmp_path: Path,
                                                                  text: str) -> None:
    problem = the_problem(write(tmp_path, FRONT + "\n" + text + "\n\n## Key Points\n\n- One.\n"))
    assert problem.line == 8 and "U+FFFD" in problem.message


@pytest.mark.parametrize(("body", "says"), [
    (" ".join(["word"] * 5001), "a paragraph of 5001 words"),
    ("x" * 2001, "a word of 2001 characters in a paragraph"),
    ("| A |\n|---|\n| " + "y" * 2001 + " |", "a word of 2001 characters in a paragraph"),
])
def test_text_too_long_to_typeset_in_time_is_refused(tmp_path: Path, body: str,
                                                     says: str) -> None:
    problem = the_problem(write(tmp_path, FRONT + "\n" + body + "\n\n## Key Points\n\n- One.\n"))
    assert problem.line == 8 + 2 * body.startswith("|")  # a cell is located at its row
    assert problem.message == says


def test_the_longest_paragraph_and_word_allowed(tmp_path: Path) -> None:
    body = " ".join(["word"] * 4999) + " " + "x" * 2000
    document = paper(tmp_path, "\n" + body + "\n\n## Key Points\n\n- One.\n")
    assert len(plain_text(document.blocks[0].inlines).split()) == 5000  # type: ignore[union-attr]


def test_a_summary_too_long_to_typeset_is_refused(tmp_path: Path) -> None:
    front = FRONT.replace("---\n", "---\nsummary: " + " ".join(["w"] * 5001) + "\n", 1)
    problem = the_problem(write(tmp_path, front + "\nBody.\n\n## Key Points\n\n- One.\n"))
    assert problem.line == 2 and problem.message == "summary of 5001 words"


def test_decomposed_accents_are_composed(tmp_path: Path) -> None:
    document = paper(tmp_path, "\nCafe\u0301 au lait.\n\n## Key Points\n\n- One.\n",
                     front=FRONT.replace("Jane Doe", "Rene\u0301 Doe"))
    assert document.meta.authors[0].name == "René Doe"
    assert plain_text(document.blocks[0].inlines) == "Café au lait."  # type: ignore[union-attr]


def test_quotes_code_blocks_and_rules(tmp_path: Path) -> None:
    body = ("\n> Quoted *text*.\n>\n> - a list in a quote\n\n"
            "```python\nprint('x')\n\n  indented\n```\n\n"
            "    indented code\n\n"
            "---\n" + KEY_POINTS)
    quote, fenced, indented, rule, _ = paper(tmp_path, body).blocks
    assert isinstance(quote, Quote) and quote.line == 8
    assert isinstance(quote.blocks[0], Paragraph) and isinstance(quote.blocks[1], ListBlock)
    assert fenced == CodeBlock("print('x')\n\n  indented", 12)
    assert indented == CodeBlock("indented code", 18)
    assert rule == Rule(20)


def test_figures_with_caption_and_alt(tmp_path: Path) -> None:
    png(tmp_path / "img" / "map.png")
    Image.new("RGB", (8, 8)).save(tmp_path / "photo.jpg", "JPEG")
    body = ('\n![A map of Kazakhstan](img/map.png "Figure 1: Kazakhstan and its neighbours")\n\n'
            "![A photo of Astana](photo.jpg)\n\n"
            "![  Same map,\nagain  ](./img/../img/map.png)\n" + KEY_POINTS)
    document = paper(tmp_path, body)
    first, second, third, _ = document.blocks
    target = (tmp_path / "img" / "map.png").resolve()
    assert first == Figure(target, "A map of Kazakhstan", "Figure 1: Kazakhstan and its neighbours",
                           8)
    assert second == Figure((tmp_path / "photo.jpg").resolve(), "A photo of Astana", "", 10)
    assert isinstance(third, Figure) and third.alt == "Same map, again" and third.path == target
    assert document.assets == tuple(sorted({target, (tmp_path / "photo.jpg").resolve()}))


def test_symlink_inside_the_folder_is_allowed(tmp_path: Path) -> None:
    png(tmp_path / "real.png")
    (tmp_path / "alias.png").symlink_to(tmp_path / "real.png")
    figure = paper(tmp_path, "\n![Alias](alias.png)\n" + KEY_POINTS).blocks[0]
    assert isinstance(figure, Figure) and figure.path == (tmp_path / "real.png").resolve()


def test_key_points_with_headlines_details_and_content_after(tmp_path: Path) -> None:
    body = ("\nIntro.\n\n"
            "## key points:\n\n"
            "- **Neutral stance.** Kazakhstan keeps *both* sides close.\n\n"
            "  It hosted the Astana Process.\n\n"
            "  - detail one\n"
            "  - detail two\n"
            "- **A bold headline only**\n"
            "- Plain point with **bold** later.\n"
            "- **Bold** and [a link](https://example.org).\n\n"
            "## Conclusion\n\n"
            "After the key points.\n")
    blocks = paper(tmp_path, body).blocks
    intro, section, heading, after = blocks
    assert isinstance(intro, Paragraph)
    assert isinstance(section, KeyPoints)
    assert section.title == "key points"
    first, second, third, fourth = section.points
    assert first.headline == "Neutral stance."
    assert first.inlines == (Span("Kazakhstan keeps "), Span("both", italic=True),
                             Span(" sides close."))
    assert first.line == 12
    paragraph, details = first.details
    assert isinstance(paragraph, Paragraph)
    assert plain_text(paragraph.inlines) == "It hosted the Astana Process."
    assert isinstance(details, ListBlock) and len(details.items) == 2
    assert second.headline == "A bold headline only"
    assert (second.inlines, second.details) == ((), ())
    assert third.headline is None
    assert Span("bold", bold=True) in third.inlines
    assert fourth.headline == "Bold"
    assert fourth.inlines == (Span("and "), Span("a link", href="https://example.org"),
                              Span("."))
    assert isinstance(heading, Heading) and plain_text(heading.inlines) == "Conclusion"
    assert isinstance(after, Paragraph) and after.line == 24


def test_line_numbers_after_multi_line_front_matter() -> None:
    document = read_source(FIXTURES / "source-kazakh.md")
    assert [b.line for b in document.blocks] == [28, 31, 33, 36]
    assert document.lines == {"title": 2, "subtitle": 3, "authors": 4, "date": 8,
                              "organization": 9, "summary": 10, "links": 13, "disclaimer": 18,
                              "marking": 19, "language": 20, "keywords": 21}


@pytest.mark.parametrize("url", [
    "https://example.org/", "http://example.org/a?b=c#d", "mailto:a@example.org",
    "HTTPS://EXAMPLE.ORG/", "https://kk.wikipedia.org/wiki/Қазақстан",
])
def test_allowed_urls(url: str) -> None:
    assert url_problem(url) is None


@pytest.mark.parametrize(("url", "says"), [
    ("javascript:alert(1)", "'javascript:' link"),
    ("JavaScript:alert(1)", "'javascript:' link"),
    ("vbscript:x", "'vbscript:' link"),
    ("file:///etc/passwd", "'file:' link"),
    ("data:text/html,x", "'data:' link"),
    ("ftp://example.org/", "'ftp:' link"),
    ("paper.html", "relative link"),
    ("//example.org/x", "relative link"),
    ("#section", "relative link"),
    ("https://", "has no host"),
    ("http:///x", "has no host"),
    ("mailto:someone", "not an e-mail address"),
    ("https://example.org/a b", "contains spaces"),
    ("http://[::1", "not a valid URL"),
    ("", "has no address"),
])
def test_refused_urls(url: str, says: str) -> None:
    problem = url_problem(url)
    assert problem is not None and says in problem[0]


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


def test_symlinked_image_escaping_the_folder(tmp_path: Path) -> None:
    png(tmp_path / "outside" / "secret.png")
    folder = tmp_path / "paper"
    folder.mkdir()
    (folder / "map.png").symlink_to(tmp_path / "outside" / "secret.png")
    path = write(folder, FRONT + "\n![A map](map.png)\n" + KEY_POINTS)
    problem = the_problem(path)
    assert problem.line == 8
    assert "image 'map.png' is outside the source's folder" in str(problem)


def test_symlinked_folder_escaping_the_folder(tmp_path: Path) -> None:
    png(tmp_path / "outside" / "secret.png")
    folder = tmp_path / "paper"
    folder.mkdir()
    (folder / "figures").symlink_to(tmp_path / "outside", target_is_directory=True)
    path = write(folder, FRONT + "\nText.\n\n![A map](figures/secret.png)\n" + KEY_POINTS)
    problem = the_problem(path)
    assert problem.line == 10
    assert "is outside the source's folder" in str(problem)


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


@pytest.mark.parametrize(("size", "says"), [
    ((100_000, 100_000), "too large to embed safely"),  # Pillow itself calls it a bomb
    ((8_000, 8_000), "is 8000×8000 pixels, too large to embed safely"),  # over our own limit
])
def test_decompression_bomb_png(tmp_path: Path, size: tuple[int, int], says: str) -> None:
    png_header_only(tmp_path / "bomb.png", *size)
    path = write(tmp_path, FRONT + "\n![A map](bomb.png)\n" + KEY_POINTS)
    problem = the_problem(path)
    assert problem.line == 8
    assert says in str(problem)


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "GIF", "BMP", "TIFF"])
def test_embeddable_image_formats(tmp_path: Path, fmt: str) -> None:
    png(tmp_path / f"figure.{fmt.lower()}", fmt=fmt)
    document = paper(tmp_path, f"\n![A figure](figure.{fmt.lower()})\n" + KEY_POINTS)
    assert isinstance(document.blocks[0], Figure)


@pytest.mark.parametrize(("fmt", "says"), [
    ("WEBP", "is in WEBP format, which cannot be embedded"),
    ("MPO", "is a multi-picture JPEG (MPO) from a camera"),
])
def test_image_formats_that_cannot_be_embedded(tmp_path: Path, fmt: str, says: str) -> None:
    frames = [Image.new("RGB", (8, 8), colour) for colour in ("red", "blue")]
    frames[0].save(tmp_path / "figure.img", fmt, save_all=True, append_images=frames[1:])
    problem = the_problem(write(tmp_path, FRONT + "\n![A figure](figure.img)\n" + KEY_POINTS))
    assert problem.line == 8 and says in problem.message


def test_an_adobe_cmyk_jpeg_is_refused_not_crashed_on(tmp_path: Path) -> None:
    Image.new("CMYK", (8, 8)).save(tmp_path / "print.jpg")
    problem = the_problem(write(tmp_path, FRONT + "\n![A figure](print.jpg)\n" + KEY_POINTS))
    assert problem.line == 8 and "without a JFIF or Exif header" in problem.message


def test_truncated_png_is_damaged(tmp_path: Path) -> None:
    data = png(tmp_path / "full.png", (64, 64)).read_bytes()
    (tmp_path / "cut.png").write_bytes(data[: len(data) // 2])
    problem = the_problem(write(tmp_path, FRONT + "\n![A map](cut.png)\n" + KEY_POINTS))
    assert "damaged or not an image" in str(problem)


def test_image_path_with_a_nul_byte_or_too_long(tmp_path: Path) -> None:
    body = "\n![A](a%00.png)\n\n![B](" + "b" * 5000 + ".png)\n" + KEY_POINTS
    first, second = problems_of(write(tmp_path, FRONT + body))
    assert first.line == 8 and "is not a valid file name" in str(first)
    assert "\0" not in str(first) and "\\u0000" in str(first)
    assert second.line == 10 and "is not a valid file name" in str(second)
    assert len(str(second)) < 400


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


def test_problem_count_is_bounded(tmp_path: Path) -> None:
    body = "\n" + "".join(f"# Heading {n}\n\n" for n in range(30)) + KEY_POINTS
    problems = problems_of(write(tmp_path, FRONT + body))
    assert len(problems) == MAX_PROBLEMS + 1
    assert "10 more problems not shown" in str(problems[-1])
    assert problems[-1].line == 8 + 2 * MAX_PROBLEMS


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


def test_yaml_line_numbers_ignore_unicode_line_separators(tmp_path: Path) -> None:
    # YAML breaks lines at U+2028; editors, and so the error, count only real newlines.
    text = ('---\ntitle: "Kazakhstan\u2028Position"\nsubtitle: "x\u2028y"\nauthors: [A]\n'
            "date: 2022-06-03\nfoo: 1\n---\n" + KEY_POINTS)
    problem = the_problem(write(tmp_path, text))
    assert problem.line == 6 and "'foo'" in problem.message
