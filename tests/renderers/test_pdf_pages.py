"""The PDF's pages: banners, running header and footer, metadata, dates and layout errors."""

from __future__ import annotations

import itertools
import re
import subprocess
import time
from pathlib import Path

import pypdf
import pytest
from pdf_reading import (
    info_of,
    lines_of,
    long_body,
    long_document,
    page_texts,
    page_words,
    paper_pdf,
    pdftotext,
    render,
    squash,
)
from tagged_reading import bare, paper_tagged

from conftest import ROOT, require_tool, write_source
from kzreport.errors import RenderError
from kzreport.labels import fill_label, page_label
from kzreport.layout import Layout
from kzreport.layout_loader import load_layout
from kzreport.model import Document
from kzreport.source import read_source


def test_footer_and_page_numbers_on_every_page(request: pytest.FixtureRequest,
                                               layout: Layout) -> None:
    long_doc, long_pdf = long_document(), paper_pdf("long", request)
    pages = page_texts(long_pdf)
    assert len(pages) >= 4
    assert len(pages) == len(pypdf.PdfReader(long_pdf).pages)
    assert long_doc.meta.disclaimer
    disclaimer = squash(long_doc.meta.disclaimer)
    for number, text in enumerate(pages, 1):
        assert disclaimer in text
        assert text.endswith(page_label(layout, number, len(pages)) + " CUI//SP-PRVCY")


def test_running_header_from_page_two(request: pytest.FixtureRequest, layout: Layout) -> None:
    long_doc, long_pdf = long_document(), paper_pdf("long", request)
    header = squash(fill_label(layout.labels.running_header, long_doc, layout))
    pages = page_texts(long_pdf)
    assert header not in pages[0]
    for text in pages[1:]:
        assert text.startswith("CUI//SP-PRVCY " + header)


def test_footer_banners_and_header_never_overlap_the_body(tmp_path: Path, layout: Layout) -> None:
    # A disclaimer of a word found nowhere else, long enough to take many footer lines.
    front = ("title: Overlap test\nauthors: [X]\ndate: 2024-01-01\nmarking: SECRET//NOFORN\n"
             "disclaimer: " + "zzcaveat " * 160)
    document = read_source(write_source(tmp_path, front, long_body()))
    pdf = render(document, layout, tmp_path)
    header_label = squash(fill_label(layout.labels.running_header, document, layout))
    pages = page_words(pdf)
    assert len(pages) >= 5
    for number, words in enumerate(pages, 1):
        lines = lines_of(words)
        top_banner, *rest, bottom_banner = lines
        assert [w.text for w in top_banner] == [w.text for w in bottom_banner] == [
            "SECRET//NOFORN"]
        header = rest.pop(0) if number > 1 else []
        assert " ".join(w.text for w in header) == (header_label if number > 1 else "")
        page_number = rest.pop()
        assert " ".join(w.text for w in page_number) == page_label(layout, number, len(pages))
        footer = [line for line in rest if all(w.text == "zzcaveat" for w in line)]
        body = rest[: len(rest) - len(footer)]
        assert len(footer) >= 4 and body
        assert footer == rest[len(body):], "the disclaimer is the last thing above the number"
        edges = [top_banner, header, *body, *footer, page_number, bottom_banner]
        boxes = [(min(w.y_min for w in line), max(w.y_max for w in line))
                 for line in edges if line]
        for (_, above_bottom), (below_top, _) in itertools.pairwise(boxes):
            assert above_bottom <= below_top, f"lines overlap on page {number}"
        # The body keeps clear of the disclaimer by more than a line of footer text.
        body_bottom = max(w.y_max for line in body for w in line)
        assert body_bottom + layout.sizes.small < min(w.y_min for w in footer[0])


@pytest.mark.parametrize("marking", ["UNCLASSIFIED", "CUI//SP-PRVCY", "CONFIDENTIAL",
                                     "SECRET//NOFORN", "TOP SECRET", "TOP SECRET//SCI"])
def test_marking_banners_use_the_layout_colours(marking: str, tmp_path: Path,
                                                layout: Layout) -> None:
    from PIL import Image as PilImage

    style = layout.marking_style(marking)
    assert style is not None
    source = write_source(tmp_path, f"title: Marked\nauthors: [X]\ndate: 2024-01-01\n"
                          f"marking: {marking}", "Text.\n\n## Key Points\n\n- One.")
    pdf = render(read_source(source), layout, tmp_path)
    tool = require_tool("pdftoppm")
    subprocess.run([tool, "-png", "-r", "36", "-f", "1", "-l", "1", str(pdf),
                    str(tmp_path / "page")], check=True)
    [png] = tmp_path.glob("page*.png")
    with PilImage.open(png) as image:
        rgb = image.convert("RGB")
        expected = tuple(int(style.background[i:i + 2], 16) for i in (0, 2, 4))
        # Left edge of the top and bottom bands: full-width, so no margin there.
        for y in (2, rgb.height - 3):
            pixel = rgb.getpixel((2, y))
            assert isinstance(pixel, tuple)
            assert all(abs(a - b) <= 2 for a, b in zip(pixel, expected, strict=True))
    assert squash(pdftotext(pdf)).count(marking) == 2


def test_metadata(request: pytest.FixtureRequest, rich: Document, seed: Document) -> None:
    rich_pdf, seed_pdf = paper_pdf("rich", request), paper_pdf("seed", request)
    info = info_of(rich_pdf)
    meta = rich.meta
    assert info["/Title"] == meta.title
    assert info["/Author"] == "; ".join(a.name for a in meta.authors)
    assert info["/Subject"] == meta.summary
    assert info["/Keywords"] == ", ".join(meta.keywords)
    assert re.fullmatch(r"kzreport \d+\.\d+\.\d+", info["/Creator"])
    assert "kzreport" in info["/Producer"]
    for value in info.values():
        assert value not in ("anonymous", "unspecified", "untitled")
    assert str(pypdf.PdfReader(rich_pdf).root_object["/Lang"]) == "kk-KZ"
    # Without a summary, the subject is the title.
    assert info_of(seed_pdf)["/Subject"] == seed.meta.title


def test_two_renders_at_different_times_are_identical(request: pytest.FixtureRequest,
                                                      layout: Layout, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    long_doc = long_document()
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first = render(long_doc, layout, tmp_path, "first").read_bytes()
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 86_400 * 400)
    monkeypatch.setenv("TZ", "Asia/Almaty")
    time.tzset()
    try:
        second = render(long_doc, layout, tmp_path, "second").read_bytes()
    finally:
        monkeypatch.undo()
        time.tzset()
    assert first == second
    assert info_of(tmp_path / "first.pdf")["/CreationDate"] == "D:20230314120000+00'00'"


def test_source_date_epoch_sets_the_dates(seed: Document, layout: Layout, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    info = info_of(render(seed, layout, tmp_path))
    assert info["/CreationDate"] == info["/ModDate"] == "D:20231114221320+00'00'"


def test_the_briefing_layout_restyles_everything(request: pytest.FixtureRequest,
                                                 tmp_path: Path) -> None:
    long_doc = long_document()
    pdf = render(long_doc, load_layout("briefing", ROOT), tmp_path)
    pages = page_texts(pdf)
    for number, text in enumerate(pages, 1):
        # pdftotext joins "1 / 6" when the spaces are narrow; compare without spaces.
        assert text.replace(" ", "").endswith(f"{number}/{len(pages)}CUI//SP-PRVCY")
    assert "BLUF: Kazakhstan keeps its distance" in pages[0]
    assert "14 MAR 23" in pages[0]


def test_a_title_block_taller_than_a_page_is_a_plain_reproducible_error(tmp_path: Path,
                                                                        layout: Layout) -> None:
    authors = "".join(f"  - name: Author {n}\n    affiliation: Department {n}\n"
                      for n in range(60))
    source = write_source(tmp_path, f"title: Crowd\nauthors:\n{authors}date: 2022-06-03",
                          "Body.\n\n## Key Points\n\n- One.")
    with pytest.raises(RenderError) as refused:
        render(read_source(source), layout, tmp_path)
    (problem,) = refused.value.problems
    assert problem.message == ("cannot lay out the PDF: a table (or the title block) is too "
                               "large to fit on page 2")


def test_page_furniture_is_artifact(request: pytest.FixtureRequest, layout: Layout) -> None:
    long_tagged, long_doc = paper_tagged("long", request), long_document()
    meta = long_doc.meta
    assert meta.marking and meta.disclaimer
    header = fill_label(layout.labels.running_header, long_doc, layout)
    pages = len(long_tagged.pages)
    for n, page in enumerate(long_tagged.pages, 1):
        artifacts = "".join(s.text for s in page.sequences if s.tag == "Artifact")
        furniture = [meta.marking, meta.marking, header if n > 1 else "", meta.disclaimer,
                     page_label(layout, n, pages)]
        assert bare(artifacts) == bare("".join(furniture)), f"page {n}"
        # The running header and the footer say what they are.
        headers = "".join(s.text for s in page.sequences if s.subtype == "Header")
        footers = "".join(s.text for s in page.sequences if s.subtype == "Footer")
        assert bare(headers) == bare(header if n > 1 else "")
        assert bare(footers) == bare(meta.disclaimer + page_label(layout, n, pages))


WIDE_TABLE = "| A | B |\n|---|---|\n| 1 | 2 |\n\n: Wide {.landscape}\n"


def test_a_wide_table_goes_on_a_landscape_page_with_its_furniture(layout: Layout,
                                                                  tmp_path: Path) -> None:
    from kzreport.readers.pdf import read_page

    pdf = render(read_source(ROOT / "tests" / "fixtures" / "wide-table.md"), layout, tmp_path)
    pages = pypdf.PdfReader(pdf).pages
    assert [float(p.mediabox.width) > float(p.mediabox.height) for p in pages] == [
        False, True, False]
    turned = read_page(pages[1])
    assert "Register of crossings" in turned.body and "REF-2024-00125" in turned.body
    assert turned.header.startswith("Border Crossings")
    assert "The views are the authors' own." in turned.footer and "Page 2 of 3" in turned.footer
    # The note of a row on the landscape page is at its foot, above the footer.
    assert "Snow closed the pass" in turned.body
    words = page_words(pdf)[1]
    note, footer, table = (next(w for w in words if w.text == text)
                           for text in ("Snow", "views", "REF-2024-00125"))
    assert table.y_max < note.y_min < note.y_max < footer.y_min


def test_a_paper_ending_on_a_landscape_table_ends_there(layout: Layout, tmp_path: Path) -> None:
    document = read_source(write_source(
        tmp_path, "title: T\nauthors: [A]\ndate: 2024-01-02\nlanguage: en-US",
        "## Key Points\n\n- One.\n\n## Annex\n\n" + WIDE_TABLE))
    pages = pypdf.PdfReader(render(document, layout, tmp_path)).pages
    assert [float(p.mediabox.width) > float(p.mediabox.height) for p in pages] == [False, True]


def test_landscape_tables_in_a_row_share_their_pages(layout: Layout, tmp_path: Path) -> None:
    # A page break where the pages turn is the turn's own: no page is left blank.
    document = read_source(write_source(
        tmp_path, "title: T\nauthors: [A]\ndate: 2024-01-02\nlanguage: en-US",
        f"Text.\n\n\\newpage\n\n{WIDE_TABLE}\n{WIDE_TABLE}\n\\newpage\n\nMore text.\n\n"
        "## Key Points\n\n- One.\n"))
    pages = pypdf.PdfReader(render(document, layout, tmp_path)).pages
    assert [float(p.mediabox.width) > float(p.mediabox.height) for p in pages] == [
        False, True, False]
