"""kzreport verify end to end on outputs edited in one place: each element of the title block,
the running header, every footer, the marking banners, each slide's footer and the speaker
notes, in each format. Every edit leaves a copy of the text elsewhere (the title and date in the
running header, the date in every other slide's footer), and verify still names the element,
the format and the page or slide."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import FIXTURES, SEED, require_tool
from verify_helpers import (
    built_project,
    copied_project,
    error_lines,
    rewrite,
    slide_with,
    verify,
)

SEED_PAPER = "kazakhstan-position"
#: A paper with everything a title block and the furniture can show: organization, subtitle,
#: two authors, a marking, a summary, a disclaimer; its PDF has two pages, its deck 8 slides.
DECK_PAPER = "pptx-deck"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project with the seed and the test deck's paper under source/, built once."""
    return built_project(tmp_path_factory.mktemp("tampered"),
                         [SEED, FIXTURES / f"{DECK_PAPER}.md"])


@pytest.fixture
def project(built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh copy of the built project, as the current folder, for one test to edit."""
    return copied_project(built, tmp_path, monkeypatch)


def once(old: str, new: str, count: int = 1, occurrence: int = 0) -> Callable[[str], str]:
    """An edit replacing occurrence ``occurrence`` of ``old``, which the text must hold
    ``count`` times, by ``new``."""

    def change(text: str) -> str:
        assert text.count(old) == count, (old, text.count(old))
        at = -1
        for _ in range(occurrence + 1):
            at = text.index(old, at + 1)
        return text[:at] + new + text[at + len(old):]

    return change


def messages(paper: str, fmt: str) -> list[str]:
    """What ``kzreport verify`` says about ``paper``'s output in ``fmt``, without the file name
    and the hint; it must fail, one well-formed line per problem."""
    result = verify(f"source/{paper}.md", "-f", fmt)
    assert result.exit_code == 1, result.output
    output = f"build/{paper}.{fmt}"
    lines = error_lines(result)
    assert all(line.startswith(f"{output}: error: ") for line in lines), lines
    return [line.split(": error: ", 1)[1].rsplit(" — ", 1)[0] for line in lines]


# ---------------------------------------------------------------- the brief


@pytest.mark.parametrize(("paper", "part", "edits", "expected"), [
    # The cases: the title and the date of the title block, while the running header
    # still has them; the running header; the disclaimer in one footer part or in all.
    (SEED_PAPER, "word/document.xml", [once("Kazakhstan’s Position", "Uzbekistan’s Position")],
     ['the title "Kazakhstan’s Position in…" is not in the brief\'s title block']),
    (SEED_PAPER, "word/document.xml", [once("3 June 2022", "4 June 2022")],
     ['the date "3 June 2022" is not in the brief\'s title block']),
    (SEED_PAPER, "word/header2.xml", [once("Kazakhstan’s", "Uzbekistan’s")],
     ['the running header "Kazakhstan’s Position in…" is not in the brief\'s later-page header '
      "(word/header2.xml)"]),
    (SEED_PAPER, "word/footer1.xml", [once("Central Command", "Central Comand")],
     ['the disclaimer "The opinions and conclusi…" is not in the brief\'s first-page footer '
      "(word/footer1.xml)"]),
    (SEED_PAPER, "word/footer2.xml", [once("Central Command", "Central Comand")],
     ['the disclaimer "The opinions and conclusi…" is not in the brief\'s later-page footer '
      "(word/footer2.xml)"]),
    (SEED_PAPER, "word/footer2.xml", [once(" NUMPAGES ", " SECTIONPAGES ")],
     ['the page number "Page {PAGE} of {NUMPAGES}" (Word fields) is not in the brief\'s '
      "later-page footer (word/footer2.xml)"]),
    # Without a title page, the first page shows the later pages' header.
    (SEED_PAPER, "word/document.xml", [once("<w:titlePg/>", "")],
     ['unexpected text "Kazakhstan’s Position in…" is in the brief\'s first-page header '
      "(word/header2.xml)"]),
    (DECK_PAPER, "word/document.xml", [once("COMBINED STRATEGIC", "COMBINED")],
     ['the organization "Combined Strategic Analys…" is not in the brief\'s title block']),
    (DECK_PAPER, "word/document.xml", [once("Fixture for the slide", "Fixture for a slide")],
     ['the subtitle "Fixture for the slide dec…" is not in the brief\'s title block']),
    (DECK_PAPER, "word/document.xml", [once("John Officer", "Joan Officer")],
     ['author "John Officer" is not in the brief\'s title block']),
    (DECK_PAPER, "word/document.xml", [once("Directorate of Plans", "Directorate of Ops")],
     ['the affiliation "Strategic Analysis Group,…" is not in the brief\'s title block']),
    (DECK_PAPER, "word/header1.xml", [once("SECRET//NOFORN", "SECRET//REL")],
     ['the marking "SECRET//NOFORN" is not in the brief\'s first-page header '
      "(word/header1.xml)"]),
    (DECK_PAPER, "word/header2.xml", [once("29 February", "28 February")],
     ['the running header "Kazakhstan Between Moscow…" is not in the brief\'s later-page '
      "header (word/header2.xml)"]),
    (DECK_PAPER, "word/footer2.xml", [once("SECRET//NOFORN", "SECRET//REL")],
     ['the marking "SECRET//NOFORN" is not in the brief\'s later-page footer '
      "(word/footer2.xml)"]),
], ids=["title", "date", "running-header", "first-page-footer", "later-page-footer",
        "page-field", "first-page-running-header", "organization", "subtitle", "author",
        "affiliation", "header-banner", "marked-running-header", "footer-banner"])
def test_the_brief_edited_in_one_place(project: Path, paper: str, part: str,
                                       edits: list[Callable[[str], str]],
                                       expected: list[str]) -> None:
    for edit in edits:
        rewrite(Path(f"build/{paper}.docx"), part, edit)
    assert messages(paper, "docx") == expected


def test_the_disclaimer_in_every_footer_part_of_the_brief(project: Path) -> None:
    for part in ("word/footer1.xml", "word/footer2.xml"):
        rewrite(Path(f"build/{SEED_PAPER}.docx"), part, once("Central Command", "CENTCOM"))
    assert messages(SEED_PAPER, "docx") == [
        f'the disclaimer "The opinions and conclusi…" is not in the brief\'s {pages} footer '
        f"(word/footer{n}.xml)" for n, pages in ((1, "first-page"), (2, "later-page"))]


# ---------------------------------------------------------------- the report


def edit_pdf(pdf: Path, page: int | None, old: str, new: str, count: int = 1,
             occurrence: int = 0) -> None:
    """Show ``new`` for occurrence ``occurrence`` of ``old`` (which must be shown ``count``
    times) in page ``page``'s content stream, or anywhere in the file when None (a form
    XObject): the PDF expanded by qpdf, the string edited where it is written plainly or in
    hex, and the stream lengths fixed with fix-qdf."""
    qpdf, fix = require_tool("qpdf"), require_tool("fix-qdf")
    expanded = pdf.with_suffix(".qdf.pdf")
    subprocess.run([qpdf, "--qdf", "--object-streams=disable", str(pdf), str(expanded)],
                   check=True)
    data = expanded.read_bytes()
    start, end = 0, len(data)
    if page is not None:
        start = data.index(f"%% Contents for page {page}\n".encode())
        end = data.index(b"endstream", start)
    shown = [(m.start(), m.end(), form) for form, pattern in (
        (str.encode, re.escape(old.encode())),
        (lambda text: text.encode().hex().encode(), re.escape(old.encode().hex().encode())))
             for m in re.finditer(pattern, data[start:end])]
    assert len(shown) == count, (old, len(shown))
    at, stop, form = sorted(shown)[occurrence]
    edited = data[:start + at] + form(new) + data[start + stop:]
    fixed = subprocess.run([fix], input=edited, capture_output=True, check=True).stdout
    pdf.write_bytes(fixed)
    expanded.unlink()


def test_a_pdf_expanded_by_qpdf_still_verifies(project: Path) -> None:
    # The harness itself changes nothing verify sees: every failure below is the edit's.
    pdf = Path(f"build/{DECK_PAPER}.pdf")
    edit_pdf(pdf, 1, "29 February 2024", "29 February 2024")
    result = verify(f"source/{DECK_PAPER}.md", "-f", "pdf")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(("page", "old", "new", "count", "occurrence", "expected"), [
    # The date of the title block, while page 2's running header has it.
    (1, "29 February 2024", "28 February 2024", 1, 0,
     'the date "29 February 2024" is not in the title block on page 1'),
    (1, "Kazakhstan Between Moscow and Kyiv: A Test", "Kazakhstam Between Moscow and Kyiv: A Test",
     1, 0, 'the title "Kazakhstan Between Moscow…" is not in the title block on page 1'),
    (1, "COMBINED STRATEGIC", "COMBINED STRATEGIK", 1, 0,
     'the organization "Combined Strategic Analys…" is not in the title block on page 1'),
    (1, "Fixture for the slide", "Fixture for a slide", 1, 0,
     'the subtitle "Fixture for the slide dec…" is not in the title block on page 1'),
    (1, "Directorate of Plans", "Directorate of Ops", 1, 0,
     'the affiliation "Strategic Analysis Group,…" is not in the title block on page 1'),
    (2, "29 February 2024", "28 February 2024", 1, 0,
     'the running header "Kazakhstan Between Moscow…" is not in the header of page 2 of 2'),
    (1, "The views expressed", "The views exposed", 1, 0,
     'the disclaimer "The views expressed are t…" is not in the footer of page 1 of 2'),
    (2, "The views expressed", "The views exposed", 1, 0,
     'the disclaimer "The views expressed are t…" is not in the footer of page 2 of 2'),
    (None, "Page 2 of 2", "Page 1 of 2", 1, 0,
     'the page number "Page 2 of 2" is not in the footer of page 2 of 2'),
    (1, "SECRET//NOFORN", "SECRET//NOFORM", 2, 0,
     'the marking "SECRET//NOFORN" is not in the top banner of page 1 of 2'),
    (2, "SECRET//NOFORN", "SECRET//NOFORM", 2, 1,
     'the marking "SECRET//NOFORN" is not in the bottom banner of page 2 of 2'),
], ids=["date", "title", "organization", "subtitle", "affiliation", "running-header",
        "disclaimer-page-1", "disclaimer-page-2", "page-number", "top-banner", "bottom-banner"])
def test_the_report_edited_in_one_place(project: Path, page: int | None, old: str, new: str,
                                        count: int, occurrence: int, expected: str) -> None:
    edit_pdf(Path(f"build/{DECK_PAPER}.pdf"), page, old, new, count, occurrence)
    assert messages(DECK_PAPER, "pdf") == [expected]


# ---------------------------------------------------------------- the deck


@pytest.mark.parametrize(("paper", "part", "edit", "expected"), [
    # The case: the date in one slide's footer, while every other footer has it.
    (SEED_PAPER, "ppt/slides/slide3.xml", once("3 June 2022", "4 June 2022"),
     'the slide footer "USCENTCOM Combined Strate…" is not in the footer of slide 3'),
    (DECK_PAPER, "ppt/slides/slide4.xml", once(">4 / 8<", ">5 / 8<"),
     'the slide number "4 / 8" is not in the footer of slide 4'),
    (DECK_PAPER, "ppt/slides/slide5.xml", once("Combined Strategic", "Combined"),
     'the slide footer "Combined Strategic Analys…" is not in the footer of slide 5'),
    (DECK_PAPER, "ppt/slides/slide2.xml", once("SECRET//NOFORN", "SECRET//REL", 2, 0),
     'the marking "SECRET//NOFORN" is not in the top banner of slide 2'),
    (DECK_PAPER, "ppt/slides/slide7.xml", once("SECRET//NOFORN", "SECRET//REL", 2, 1),
     'the marking "SECRET//NOFORN" is not in the bottom banner of slide 7'),
    (DECK_PAPER, "ppt/slides/slide1.xml", once("Kazakhstan Between", "Uzbekistan Between"),
     'the title "Kazakhstan Between Moscow…" is not in the title placeholder of slide 1'),
    (DECK_PAPER, "ppt/slides/slide1.xml", once("29 February 2024", "28 February 2024"),
     'the date "29 February 2024" is not in the title block of slide 1'),
    (DECK_PAPER, "ppt/slides/slide1.xml", once("Fixture for the slide", "Fixture for a slide"),
     'the subtitle "Fixture for the slide dec…" is not in the title block of slide 1'),
    (DECK_PAPER, "ppt/slides/slide1.xml", once("John Officer", "Joan Officer"),
     'author "John Officer" is not in the title block of slide 1'),
    (DECK_PAPER, "ppt/slides/slide1.xml", once("Directorate of Plans", "Directorate of Ops"),
     'the affiliation "Strategic Analysis Group,…" is not in the title block of slide 1'),
    (DECK_PAPER, "ppt/slides/slide1.xml", once("Combined Strategic", "Combined"),
     'the organization "Combined Strategic Analys…" is not in the title block of slide 1'),
    (DECK_PAPER, "ppt/notesSlides/notesSlide1.xml", once("Presenter detail", "A detail"),
     'paragraph 2 (line 32) of the source, a detail of key point 1, is not in the notes of '
     'slide 3 or out of order: "Presenter detail paragraph about the balancing act."'),
], ids=["footer-date", "slide-number", "footer-organization", "top-banner", "bottom-banner",
        "title", "title-slide-date", "subtitle", "author", "affiliation", "organization",
        "notes"])
def test_the_deck_edited_in_one_place(project: Path, paper: str, part: str,
                                      edit: Callable[[str], str], expected: str) -> None:
    rewrite(Path(f"build/{paper}.pptx"), part, edit)
    assert messages(paper, "pptx") == [expected]


# ---------------------------------------------------------------- right-to-left marks


@pytest.fixture(scope="module")
def built_arabic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project with the Arabic paper under source/, built once in every format."""
    return built_project(tmp_path_factory.mktemp("rtl"), [FIXTURES / "scripts-arabic.md"])


def test_a_brief_without_its_right_to_left_marks_is_named(
        built_arabic: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copied_project(built_arabic, tmp_path, monkeypatch)
    assert verify("source/scripts-arabic.md", "-f", "docx").exit_code == 0
    rewrite(Path("build/scripts-arabic.docx"), "word/document.xml",
            lambda xml: xml.replace("<w:bidi/>", "").replace("<w:rtl/>", ""))
    found = messages("scripts-arabic", "docx")
    assert any(m.startswith("paragraph 1 (line 14) of the source runs right to left, but "
                            "the output does not mark its paragraph so") for m in found), found
    assert any(m.startswith("right-to-left text ") and "in a run not marked right-to-left"
               in m for m in found), found


def test_a_deck_without_its_right_to_left_marks_is_named(
        built_arabic: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copied_project(built_arabic, tmp_path, monkeypatch)
    assert verify("source/scripts-arabic.md", "-f", "pptx").exit_code == 0
    deck = Path("build/scripts-arabic.pptx")
    slide = slide_with(deck, "تتجنب أستانا")
    rewrite(deck, slide, lambda xml: xml.replace(' rtl="1"', ""))
    found = set(messages("scripts-arabic", "pptx"))
    assert any("key point 1 (line 30) of the source runs right to left" in m
               for m in found), found
