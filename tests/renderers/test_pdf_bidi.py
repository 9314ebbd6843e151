"""Right-to-left text in the PDF, read back: joined letters, reading order, right alignment."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pypdf
import pytest
from pdf_reading import render
from tagged_reading import actual_leaves, bare, expected_leaves, read_tagged

from conftest import FIXTURES, require_tool
from kzreport.layout import Layout
from kzreport.source import read_source

FONTS = Path(__file__).parents[2] / "src" / "kzreport" / "fonts"
PAPERS = ["scripts-arabic", "scripts-farsi", "scripts-english-names"]


_BUILT: dict[str, Path] = {}


@pytest.fixture(name="built")
def _built_fixture(tmp_path_factory: pytest.TempPathFactory,
                   layout: Layout) -> Callable[[str], Path]:
    """Builds fixture paper ``name``'s PDF (once per session) in its language's layout."""

    def built(name: str) -> Path:
        if name not in _BUILT:
            document = read_source(FIXTURES / f"{name}.md")
            _BUILT[name] = render(document, layout.for_language(document.meta.language),
                                  tmp_path_factory.mktemp(name))
        return _BUILT[name]

    return built


def _pdftotext(path: Path, *args: str) -> str:
    return subprocess.run([require_tool("pdftotext"), *args, str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


def _glyphs(path: Path) -> list[tuple[str, float, float]]:
    """Each piece of text pypdf reads on page 1, in the order written, with where it starts
    (x, y on the page): the PDF writes a right-to-left glyph at a time."""
    found: list[tuple[str, float, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if text.strip():
            found.append((text, tm[4] * cm[0] + tm[5] * cm[2] + cm[4],
                          tm[4] * cm[1] + tm[5] * cm[3] + cm[5]))

    pypdf.PdfReader(path).pages[0].extract_text(visitor_text=visit)
    return found


def _run_of(glyphs: list[tuple[str, float, float]], word: str) -> list[tuple[str, float, float]]:
    """The glyphs that spell ``word`` where it first appears whole."""
    texts = [text for text, _x, _y in glyphs]
    for start in range(len(texts)):
        taken, spelt = start, ""
        while taken < len(texts) and word.startswith(spelt + texts[taken]):
            spelt += texts[taken]
            taken += 1
            if spelt == word:
                return glyphs[start:taken]
    raise AssertionError(f"{word} is not read whole")


def _plain(text: str) -> str:
    """``text`` without whitespace or the embedding marks pdftotext puts around RTL runs."""
    return re.sub(r"[\s\u202a-\u202e\u200e\u200f]", "", text)


@pytest.mark.parametrize("name", PAPERS)
def test_pypdf_reads_the_letters_in_reading_order(name: str,
                                                   built: Callable[[str], Path]) -> None:
    text = _plain(pypdf.PdfReader(built(name)).pages[0].extract_text())
    source = (FIXTURES / f"{name}.md").read_text("utf-8")
    # Whole sentences of the source, Arabic with digits, brackets and Latin acronyms.
    for sentence in {
        "scripts-arabic": ["تحافظ كازاخستان على موقف محايد نسبياً في النزاع (NATO) منذ عام 2022.",
                           "خط أنابيب بحر قزوين (CPC) ينقل نحو 80٪ من صادرات النفط."],
        "scripts-farsi": ["گزارش‌های بانک جهانی (World Bank) این را تأیید می‌کنند.",
                          "سهم روسیه از تجارت آن ۲۰٪ است."],
        "scripts-english-names": ["«صبر تریخ دی خو میوه یې خوږه ده» — patience is bitter",
                                  "The Hebrew press (הארץ) covered the story as well."],
    }[name]:
        assert sentence in source
        assert _plain(sentence) in text


@pytest.mark.parametrize("name", ["scripts-arabic", "scripts-farsi", "scripts-pashto"])
def test_pdftotext_reads_the_paragraphs_in_reading_order(name: str,
                                                          built: Callable[[str], Path]) -> None:
    text = _plain(_pdftotext(built(name)))
    wanted = {"scripts-arabic": "أعلن الرئيس قاسم جومارت توكاييف موقف كازاخستان الرسمي",
              "scripts-farsi": "در یکم مارس ۲۰۲۲ رئیس‌جمهور توکایف موضع رسمی",
              "scripts-pashto": "ولسمشر توکایف د قزاقستان رسمي دریځ اعلان کړ"}[name]
    assert _plain(wanted).replace("\u200c", "") in text.replace("\u200c", "")


@pytest.mark.parametrize("name", PAPERS)
def test_the_structure_tree_holds_the_source_text(name: str, built: Callable[[str], Path],
                                                   layout: Layout) -> None:
    tagged = read_tagged(built(name))
    document = read_source(FIXTURES / f"{name}.md")
    assert [(kind, bare(text)) for kind, text in actual_leaves(tagged)] == [
        (kind, bare(text)) for kind, text in expected_leaves(
            document, layout.for_language(document.meta.language))]
    assert str(tagged.reader.root_object["/Lang"]) == document.meta.language


def test_letters_are_joined(built: Callable[[str], Path], layout: Layout) -> None:
    from reportlab.pdfbase.ttfonts import TTFont

    # Joined Arabic letters take their narrow initial and medial forms: a word is far
    # narrower than its letters set apart (as reportlab sets them without shaping).
    word = "التحليل"  # in the byline's affiliation
    run = _run_of(_glyphs(built("scripts-arabic")), word)
    assert len({round(y) for _t, _x, y in run}) == 1
    apart = TTFont("apart", str(FONTS / "NotoNaskhArabic-Regular.ttf")).stringWidth(
        word[1:], layout.sizes.byline)
    # From the first letter (on the right) to the last (on the left).
    assert 0 < run[0][1] - run[-1][1] < 0.8 * apart


def test_right_to_left_lines_end_at_the_right_margin(built: Callable[[str], Path],
                                                      layout: Layout) -> None:
    glyphs = _glyphs(built("scripts-arabic"))
    right, left = layout.page.width - layout.page.margin_right, layout.page.margin_left
    first = _run_of(glyphs, "مارس")  # on the first line of the first paragraph
    lines: dict[int, list[float]] = {}
    for _text, x, y in glyphs:
        lines.setdefault(round(y), []).append(x)
    line = lines[round(first[0][2])]
    assert right - 8 < max(line) < right  # its first letter, at the right margin
    assert min(x for _t, x, _y in glyphs) > left - 1


def test_a_mirrored_table_reads_its_first_column_first(built: Callable[[str], Path]) -> None:
    glyphs = _glyphs(built("scripts-arabic"))
    first, second = _run_of(glyphs, "المؤشر"), _run_of(glyphs, "القيمة")
    assert min(x for _t, x, _y in first) > max(x for _t, x, _y in second)  # on the right
    assert glyphs.index(first[0]) < glyphs.index(second[0])  # and read first


def test_pdftotext_reads_lam_alef_ligatures_in_reading_order(
        built: Callable[[str], Path]) -> None:
    # Noto Naskh Arabic draws lam-alef as a lam and an alef of no advance over it: each
    # extracts as its own letter, the alef placed where position-ordering readers read it
    # second (with lam-hamza-alef, after a letter, at a word's start).
    path = built("scripts-arabic")
    for text in (_pdftotext(path), pypdf.PdfReader(path).pages[0].extract_text()):
        for word in ("الأولوية", "لأمن", "البلاد", "الاتجاهات", "الاعتراف"):
            assert word in text, word
