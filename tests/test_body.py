"""Tests of kzreport.body: the Markdown body becomes the right blocks, inlines, figures and
key points, and every malformed construct is refused at its line."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image

from conftest import SEED
from kzreport.model import (
    CodeBlock,
    DefinitionList,
    Figure,
    Heading,
    KeyPoints,
    LineBreak,
    ListBlock,
    PageBreak,
    Paragraph,
    Quote,
    Rule,
    Span,
    Table,
    plain_text,
    walk,
)
from kzreport.source import read_source
from source_helpers import (
    FRONT,
    KEY_POINTS,
    paper,
    problems_of,
    the_problem,
    write,
)


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


def test_the_deepest_allowed_nesting_keeps_every_word(tmp_path: Path) -> None:
    lists = "".join("  " * i + f"- level {i}\n" for i in range(12))
    document = paper(tmp_path, "\n" + lists + "\n" + "> " * 24 + "deep quote\n\nFinal words.\n\n"
                     "## Key Points\n\n- One.\n")
    texts = [plain_text(b.inlines) for b in walk(document.blocks) if isinstance(b, Paragraph)]
    assert "level 11" in texts and "deep quote" in texts and "Final words." in texts


def test_the_longest_paragraph_and_word_allowed(tmp_path: Path) -> None:
    body = " ".join(["word"] * 4999) + " " + "x" * 2000
    document = paper(tmp_path, "\n" + body + "\n\n## Key Points\n\n- One.\n")
    assert len(plain_text(document.blocks[0].inlines).split()) == 5000  # type: ignore[union-attr]


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


def test_markdown_in_a_figures_caption_is_a_warning_not_printed_silently(
        tmp_path: Path) -> None:
    """A caption is the image's title, plain text: emphasis, citations, cross-references and
    notes in it would print as written, so each is a warning; plain text and an e-mail address
    are not."""
    png(tmp_path / "map.png")
    caption = "The *route* after @cooley2012 [p. 4], see @tbl-cargo and `code`[^1]"
    document = paper(tmp_path, f'\n![A map](map.png "{caption}")\n\n'
                     '![A map](map.png "Plain caption, by me@example.com (2022)")\n'
                     + KEY_POINTS)
    found = [w.message.split("'")[1] for w in document.warnings if w.line == 8]
    assert found == ["*route*", "@cooley2012", "@tbl-cargo", "`code`", "[^1]"]
    assert all("figure's caption" in w.message for w in document.warnings)
    assert [w.line for w in document.warnings] == [8] * 5


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


def test_a_note_in_a_headline_stays_where_it_is_written() -> None:
    from kzreport.body import split_headline
    from kzreport.model import Citation, FootnoteRef

    note, cited = FootnoteRef(1), Citation(("smith2020",))
    # At the end of the bold phrase (Pandoc drops the space before a note citation) ...
    assert split_headline((Span("Astana hedges", bold=True), cited, note,
                           Span(": body text."))) == (
        "Astana hedges", (Span("Astana hedges", bold=True), cited, note), (Span(": body text."),))
    # ... inside it, the headline going on after it, printed plain and bold ...
    assert split_headline((Span("Balance ", bold=True), Span("now", bold=True, italic=True),
                           note, Span(" holds.", bold=True), Span(" Oil pays."))) == (
        "Balance now holds.", (Span("Balance now", bold=True), note,
                               Span(" holds.", bold=True)), (Span("Oil pays."),))
    # ... an author-date citation's text is bold in a bold phrase, else it cites from the text,
    # and a point opening with a note has no headline.
    assert split_headline((Span("Hedges", bold=True), cited, Span(" (Smith 2020) says."))) == (
        "Hedges", (Span("Hedges", bold=True),), (cited, Span("(Smith 2020) says.")))
    assert split_headline((note, Span("Bold", bold=True), Span(" text."))) == (
        None, (), (note, Span("Bold", bold=True), Span(" text.")))


# ====================================================================== bad input


@pytest.mark.parametrize(("block", "named"), [
    ("Text.", "a paragraph"), ("### Sub", "a heading"), ("> Quoted.", "a quote"),
    ("    code", "a code block"), ("| A |\n|---|\n| 1 |", "a table"),
    ("![A map](map.png)", "a figure"), ("***", "a rule"),
])
def test_key_points_not_starting_with_a_bullet_list_name_what_they_start_with(
        tmp_path: Path, block: str, named: str) -> None:
    png(tmp_path / "map.png")
    problem = the_problem(write(tmp_path, FRONT + "\n## Key Points\n\n" + block + "\n"))
    assert problem.line == 10
    assert problem.message == f"the Key Points section starts with {named}, not a bullet list"


@pytest.mark.parametrize(("body", "line"), [
    ("".join("  " * i + f"- level {i}\n" for i in range(13)), 20),
    ("> " * 25 + "deep quote\n", 8),
])
def test_nesting_too_deep_is_an_error_not_silently_dropped_text(tmp_path: Path, body: str,
                                                                  line: int) -> None:
    path = write(tmp_path, FRONT + "\n" + body + "\nAfter.\n\n## Key Points\n\n- One.\n")
    problem = the_problem(path)
    assert problem.line == line and "nested too deeply" in problem.message


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


# ====================================================================== Pandoc's extensions


def test_strikethrough_subscript_and_superscript(tmp_path: Path) -> None:
    document = paper(tmp_path, "~~Old~~ H~2~O and km^3^, not a~b c~d.\n" + KEY_POINTS)
    first = document.blocks[0]
    assert isinstance(first, Paragraph)
    assert first.inlines == (Span("Old", strike=True), Span(" H"), Span("2", script="sub"),
                             Span("O and km"), Span("3", script="super"),
                             Span(", not a~b c~d."))


def test_definition_lists(tmp_path: Path) -> None:
    document = paper(tmp_path, "IWRM\n:   Integrated *water* management.\n\n"
                     "ICWC\n:   A commission.\n\n    It meets quarterly.\n" + KEY_POINTS)
    [glossary] = [b for b in document.blocks if isinstance(b, DefinitionList)]
    assert [plain_text(item.term) for item in glossary.items] == ["IWRM", "ICWC"]
    assert [[plain_text(p.inlines) for p in d if isinstance(p, Paragraph)]
            for item in glossary.items for d in item.definitions] == [
        ["Integrated water management."], ["A commission.", "It meets quarterly."]]
    assert (glossary.line, glossary.items[1].line) == (7, 10)


@pytest.mark.parametrize("command", ["\\newpage", "\\pagebreak", "{{< pagebreak >}}"])
def test_a_page_break_alone_on_its_line(tmp_path: Path, command: str) -> None:
    document = paper(tmp_path, f"Before.\n\n{command}\n\nAfter.\n" + KEY_POINTS)
    assert isinstance(document.blocks[1], PageBreak) and document.blocks[1].line == 9


def test_headings_get_pandoc_identifiers_and_links_inside_the_paper(tmp_path: Path) -> None:
    document = paper(tmp_path, "See [the method](#method) and [data](#data-sources).\n\n"
                     "## Data Sources\n\n## How we worked {#method .unnumbered}\n"
                     + KEY_POINTS)
    headings = [b for b in walk(document.blocks) if isinstance(b, Heading)]
    assert [(plain_text(h.inlines), h.anchor) for h in headings] == [
        ("Data Sources", "data-sources"), ("How we worked", "method")]
    assert document.key_points.anchor == "key-points"
    assert document.warnings == ()


def test_a_link_to_no_heading_is_an_error_naming_the_nearest(tmp_path: Path) -> None:
    problem = the_problem(write(tmp_path, FRONT + "See [it](#metods).\n\n## Methods\n"
                                + KEY_POINTS))
    assert problem.line == 7
    assert problem.message == ("link target '#metods' is not a heading of this paper; the "
                               "nearest identifier is '#methods'")


def test_heading_attributes_that_do_nothing_are_warnings(tmp_path: Path) -> None:
    document = paper(tmp_path, "## Scope {#scope .wide lang=kk}\n" + KEY_POINTS)
    assert [w.message for w in document.warnings] == [
        "heading attribute '.wide' has no effect", "heading attribute 'lang=kk' has no effect"]


@pytest.mark.parametrize(("text", "found"), [
    ("[TOC]", "[TOC]"), ("Energy $E=mc^2$ here.", "$E=mc^2$"),
    ("A ==highlight==.", "==highlight=="), ("Text {.class} here.", "{.class}"),
])
def test_text_that_looks_like_unsupported_syntax_is_a_warning(tmp_path: Path, text: str,
                                                              found: str) -> None:
    document = paper(tmp_path, text + "\n" + KEY_POINTS)
    [warning] = document.warnings
    assert warning.line == 7 and warning.message.startswith(f"'{found}' looks like")
    assert warning.severity == "warning" and "\\" in warning.hint


@pytest.mark.parametrize("text", ["\\[TOC]", "It costs \\$5 and \\$10.", "A \\==b==.",
                                  "`$x$` in code", "Text \\{.class} here."])
def test_escaped_lookalikes_are_not_reported(tmp_path: Path, text: str) -> None:
    assert paper(tmp_path, text + "\n" + KEY_POINTS).warnings == ()


def test_task_boxes_are_warnings(tmp_path: Path) -> None:
    document = paper(tmp_path, "- [ ] To do\n- [x] Done\n- \\[ ] escaped\n" + KEY_POINTS)
    assert [(w.line, w.message) for w in document.warnings] == [
        (7, "task box '[ ]' would print as text"), (8, "task box '[x]' would print as text")]


def test_cells_beyond_the_header_are_a_warning_naming_them(tmp_path: Path) -> None:
    document = paper(tmp_path, "| a | b |\n|---|---|\n| 1 | 2 | extra \\| cell | more |\n"
                     "| 3 | 4 |\n" + KEY_POINTS)
    [warning] = document.warnings
    assert warning.line == 9
    assert warning.message == ("table row has 4 cells but the header 2: 'extra | cell | more' "
                               "is dropped")
