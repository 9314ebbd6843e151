"""The choices every format makes alike, made once in ``labels.py`` and
``renderers/_proportions.py`` (list markers, logo placement, captions, table columns), read back
from all three outputs of one paper."""

from __future__ import annotations

import re
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree
from PIL import Image
from pptx import Presentation

from conftest import FIXTURES, assert_valid_ooxml, require_tool
from kzreport.labels import NUMBER_STYLES, headline_separator, list_marker
from kzreport.layout import Layout
from kzreport.layout_loader import load_layout
from kzreport.model import Document, FootnoteRef, KeyPoint, Span, Table, plain_text
from kzreport.renderers import renderers
from kzreport.renderers._proportions import Metrics, fit_table
from kzreport.source import read_source

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


def test_list_markers_by_depth() -> None:
    assert [list_marker(True, 0, n) for n in (1, 2, 10)] == ["1.", "2.", "10."]
    assert [list_marker(True, 1, n) for n in (1, 2, 26, 27, 53)] == ["a.", "b.", "z.", "aa.",
                                                                      "aaa."]
    assert [list_marker(True, 2, n) for n in (1, 4, 9, 14, 1994)] == ["i.", "iv.", "ix.",
                                                                       "xiv.", "mcmxciv."]
    assert list_marker(True, 3, 2) == "2."  # deeper lists cycle through the styles
    assert list_marker(True, 1, 0) == "0."  # letters have no zero
    assert [list_marker(False, d, 1) for d in range(4)] == ["•", "◦", "▪", "•"]


@pytest.mark.parametrize(("text", "separator"), [
    ((Span("text"),), " "),
    ((Span(": text"),), ""),
    ((), ""),
    # A reference right after the headline would be the headline's: the space keeps a
    # text's opening reference in the text, before punctuation or nothing at all.
    ((FootnoteRef(1), Span(": text")), " "),
    ((FootnoteRef(1),), " "),
])
def test_headline_separator(text: tuple[Span | FootnoteRef, ...], separator: str) -> None:
    assert headline_separator(KeyPoint("Headline", text, (), 1)) == separator


@dataclass(frozen=True)
class Outputs:
    document: Document
    layout: Layout
    docx: Path
    pdf: Path
    pptx: Path


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> Outputs:
    """The one-look fixture in all three formats, on a layout with a logo on the right."""
    folder = tmp_path_factory.mktemp("one-look")
    house = folder / "house"
    house.mkdir()
    Image.new("RGB", (300, 120), (181, 137, 46)).save(house / "logo.png")
    (house / "layout.toml").write_text(
        'inherit = "default"\n[logo]\nfile = "logo.png"\nwidth = "1.2in"\n'
        'placement = "right"\n', encoding="utf-8")
    layout = load_layout(str(house), folder)
    document = read_source(FIXTURES / "one-look.md")
    paths = {}
    for name, renderer in renderers().items():
        paths[name] = folder / f"one-look{renderer.extension}"
        assert renderer.render(document, layout, paths[name]) == []
    assert_valid_ooxml(paths["docx"])
    assert_valid_ooxml(paths["pptx"])
    return Outputs(document, layout, paths["docx"], paths["pdf"], paths["pptx"])


def docx_part(path: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(path) as package:
        return etree.fromstring(package.read(name))


def pdf_lines(path: Path) -> list[str]:
    tool = require_tool("pdftotext")
    text = subprocess.run([tool, "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def val(element: etree._Element, path: str) -> str:
    """The ``w:val`` of the child at ``path`` (``w:`` prefixes) of ``element``."""
    found = element.find(path.replace("w:", W))
    assert found is not None
    return str(found.get(f"{W}val"))


#: Word's number formats the brief uses, for the first few numbers.
WORD_NUMBERS = {"decimal": ["1", "2", "3"], "lowerLetter": ["a", "b", "c"],
                "lowerRoman": ["i", "ii", "iii"]}


def brief_markers(path: Path) -> dict[str, str]:
    """Each numbered paragraph's text and the marker Word shows for it (its level's number
    format applied to its position in the list)."""
    body, numbering = docx_part(path, "word/document.xml"), docx_part(path, "word/numbering.xml")
    abstract_of = {num.get(f"{W}numId"): val(num, "w:abstractNumId")
                   for num in numbering.iter(f"{W}num")}
    formats = {(a.get(f"{W}abstractNumId"), lvl.get(f"{W}ilvl")): val(lvl, "w:numFmt")
               for a in numbering.iter(f"{W}abstractNum") for lvl in a.iter(f"{W}lvl")}
    counters: dict[tuple[str, str], int] = {}
    markers = {}
    for paragraph in body.iter(f"{W}p"):
        num_pr = paragraph.find(f"{W}pPr/{W}numPr")
        if num_pr is None:
            continue
        num_id, level = val(num_pr, "w:numId"), val(num_pr, "w:ilvl")
        # A deeper level restarts when a shallower one counts on, as Word numbers them.
        for key in [k for k in counters if k[0] == num_id and int(k[1]) > int(level)]:
            del counters[key]
        counters[num_id, level] = counters.get((num_id, level), 0) + 1
        text = "".join(t.text or "" for t in paragraph.iter(f"{W}t"))
        number_format = formats[abstract_of[num_id], level]
        markers[text] = ("bullet" if number_format == "bullet" else
                         WORD_NUMBERS[number_format][counters[num_id, level] - 1] + ".")
    return markers


def test_nested_numbered_lists_are_marked_alike(outputs: Outputs) -> None:
    expected = {"First step": list_marker(True, 0, 1), "sub step two": list_marker(True, 1, 2),
                "deep step one": list_marker(True, 2, 1), "Second step": list_marker(True, 0, 2),
                "road second": list_marker(True, 1, 2)}
    assert expected == {"First step": "1.", "sub step two": "b.", "deep step one": "i.",
                        "Second step": "2.", "road second": "b."}
    brief = brief_markers(outputs.docx)
    assert {text: brief[text] for text in expected} == expected
    lines = pdf_lines(outputs.pdf)
    for text, marker in expected.items():
        assert f"{marker} {text}" in lines
    # A key point's numbered details are on its slide, numbered by PowerPoint itself.
    assert slide_markers(outputs.pptx)["road second"] == "b."


#: PowerPoint's numbering schemes by the Word number format each stands for.
AUTONUM = {"arabicPeriod": "decimal", "alphaLcPeriod": "lowerLetter",
           "romanLcPeriod": "lowerRoman"}


def slide_markers(path: Path) -> dict[str, str]:
    """Each numbered slide paragraph's text and the marker PowerPoint draws for it."""
    out = {}
    for slide in Presentation(str(path)).slides:
        for paragraph in slide.element.iter(f"{A}p"):
            number = paragraph.find(f"{A}pPr/{A}buAutoNum")
            if number is None:
                continue
            style = NUMBER_STYLES.index(AUTONUM[number.get("type")])
            text = "".join(t.text or "" for t in paragraph.iter(f"{A}t"))
            out[text] = list_marker(True, style, int(number.get("startAt", "1")))
    return out


def pdf_image_boxes(path: Path) -> list[tuple[float, float]]:
    """The left and right edge, in points, of every image drawn on the first page (the
    transformation matrix followed through ``q``/``Q`` and ``cm``)."""
    import pypdf

    page = pypdf.PdfReader(path).pages[0]
    boxes = []
    matrix, saved = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0], []
    for operands, operator in pypdf.generic.ContentStream(page.get_contents(), page.pdf
                                                          ).operations:
        if operator == b"q":
            saved.append(matrix)
        elif operator == b"Q":
            matrix = saved.pop()
        elif operator == b"cm":
            a, b, c, d, e, f = (float(x) for x in operands)
            m = matrix
            matrix = [a * m[0] + b * m[2], a * m[1] + b * m[3], c * m[0] + d * m[2],
                      c * m[1] + d * m[3], e * m[0] + f * m[2] + m[4], e * m[1] + f * m[3] + m[5]]
        elif operator == b"Do":
            boxes.append((matrix[4], matrix[4] + matrix[0]))
    return boxes


def test_the_logo_sits_where_the_layout_places_it(outputs: Outputs) -> None:
    assert outputs.layout.logo is not None and outputs.layout.logo.placement == "right"
    # The brief: the logo's paragraph is right-aligned.
    body = docx_part(outputs.docx, "word/document.xml")
    drawing = next(body.iter("{*}drawing"))
    paragraph = next(drawing.iterancestors(f"{W}p"))
    assert val(paragraph, "w:pPr/w:jc") == "right"
    # The PDF: the logo ends at the band's right edge, past the middle of the page.
    page = outputs.layout.page
    left, right = pdf_image_boxes(outputs.pdf)[0]  # the logo is drawn first
    assert left > page.width / 2
    assert right == pytest.approx(page.width - page.margin_right, abs=0.5)
    # The deck: the logo on the title slide's right half.
    deck = Presentation(str(outputs.pptx))
    picture = next(s for s in deck.slides[0].shapes if s.shape_type == 13)  # PICTURE
    assert picture.left > deck.slide_width / 2


def pdf_words(path: Path) -> list[tuple[int, float, float, str]]:
    """Every word of the PDF: its page, left and right edge in points, and text."""
    tool = require_tool("pdftotext")
    html = subprocess.run([tool, "-bbox", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    words = []
    for n, page in enumerate(html.split("<page ")[1:], 1):
        for left, right, text in re.findall(
                r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>',
                page):
            words.append((n, float(left), float(right), text))
    return words


def test_captions_are_centred_italics_under_their_figure(outputs: Outputs) -> None:
    styles = docx_part(outputs.docx, "word/styles.xml")
    caption = next(s for s in styles.iter(f"{W}style") if s.get(f"{W}styleId") == "Caption")
    assert val(caption, "w:pPr/w:jc") == "center"
    assert caption.find(f"{W}rPr/{W}i") is not None
    body = docx_part(outputs.docx, "word/document.xml")
    paragraphs = list(body.iter(f"{W}p"))
    at = next(n for n, p in enumerate(paragraphs)
              if "Figure 1." in "".join(t.text or "" for t in p.iter(f"{W}t")))
    assert val(paragraphs[at], "w:pPr/w:pStyle") == "Caption"
    assert next(paragraphs[at - 1].iter("{*}drawing"), None) is not None  # below its figure
    # The PDF: the caption's line is centred on the text column, and set in italics.
    page = outputs.layout.page
    words = pdf_words(outputs.pdf)
    start = next(n for n, w in enumerate(words) if w[3] == "Figure")
    line = words[start:start + len(["Figure", "1.", "Regional", "trade", "volumes,", "2018–2022"])]
    assert line[-1][3] == "2018–2022"
    middle = (line[0][1] + line[-1][2]) / 2
    assert middle == pytest.approx((page.margin_left + page.width - page.margin_right) / 2,
                                   abs=1.0)
    fonts = subprocess.run([require_tool("pdffonts"), str(outputs.pdf)], capture_output=True,
                           text=True, check=True).stdout
    # Nothing else in the paper is italic: these faces are the caption's.
    assert "Carlito-BoldItalic" in fonts and "Carlito-Italic" in fonts


def test_the_subtitle_and_title_are_set_as_in_the_pdf(outputs: Outputs) -> None:
    styles = docx_part(outputs.docx, "word/styles.xml")
    for style in styles.iter(f"{W}style"):
        if style.get(f"{W}styleId") in ("Title", "Subtitle", "Caption", "Heading2"):
            # No letter spacing, kerning or outline numbering the PDF does not have.
            assert style.find(f"{W}rPr/{W}spacing") is None
            assert style.find(f"{W}rPr/{W}kern") is None
            assert style.find(f"{W}pPr/{W}numPr") is None


def test_table_columns_are_fitted_alike_and_keep_words_whole(outputs: Outputs) -> None:
    page = outputs.layout.page
    column = page.width - page.margin_left - page.margin_right
    padding = Metrics.of(outputs.layout).cell_padding_x
    tables = [b for b in outputs.document.blocks if isinstance(b, Table)]
    wide = tables[1]
    fitted = fit_table(wide, outputs.layout, column, 2 * padding)
    assert fitted.size < outputs.layout.sizes.body  # ten columns: set smaller, not broken
    # The brief: fixed columns of the fitted widths, its cells' text at the fitted size.
    body = docx_part(outputs.docx, "word/document.xml")
    grid = list(body.iter(f"{W}tblGrid"))[1]
    assert [int(str(c.get(f"{W}w"))) for c in grid] == [round(w * 20) for w in fitted.widths]
    word_table = list(body.iter(f"{W}tbl"))[1]
    layout_type = word_table.find(f"{W}tblPr/{W}tblLayout")
    assert layout_type is not None and layout_type.get(f"{W}type") == "fixed"
    sizes = {val(r, "w:rPr/w:sz") for r in word_table.iter(f"{W}r")}
    assert sizes == {str(round(fitted.size * 2))}
    # The PDF: each header cell starts where the fitted widths put it.
    words = pdf_words(outputs.pdf)
    headers = [plain_text(cell) for cell in wide.header]
    start = next(n for n in range(len(words))
                 if [w[3] for w in words[n:n + len(headers)]] == headers)
    lefts = [w[1] for w in words[start:start + len(headers)]]
    expected = [page.margin_left + padding + sum(fitted.widths[:c]) for c in range(len(headers))]
    assert lefts == pytest.approx(expected, abs=0.5)
    # No word of the table is broken: each is found whole in the PDF's text.
    texts = {w[3] for w in words}
    for row in (wide.header, *wide.rows):
        for cell in row:
            assert set(plain_text(cell).split()) <= texts


def test_the_title_band_and_summary_box_are_padded_alike(outputs: Outputs) -> None:
    metrics, colors = Metrics.of(outputs.layout), outputs.layout.colors
    body = docx_part(outputs.docx, "word/document.xml")
    paragraphs = list(body.iter(f"{W}p"))
    title = next(p for p in paragraphs if p.find(f"{W}pPr/{W}pStyle") is not None
                 and val(p, "w:pPr/w:pStyle") == "Title")
    summary = next(p for p in paragraphs if "Corridors matter more" in
                   "".join(str(t) for t in p.itertext()))
    for paragraph, fill, sides in ((title, colors.title_band, ("top", "left", "bottom", "right")),
                                   (summary, colors.summary_background, ("top", "bottom",
                                                                         "right"))):
        for side in sides:
            edge = paragraph.find(f"{W}pPr/{W}pBdr/{W}{side}")
            assert edge is not None, side
            # Borders in the box's own colour: padding, as the PDF's boxes have.
            assert edge.get(f"{W}color") == fill
            assert int(str(edge.get(f"{W}space"))) == round(metrics.box_padding)
