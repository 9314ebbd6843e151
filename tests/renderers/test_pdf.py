"""The PDF report, read back with pypdf and poppler (pdftotext, pdffonts) and checked by qpdf."""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pypdf
import pytest

from conftest import CHART, FIXTURES, ROOT, SEED, require_tool, write_source
from kzreport.build import Options, build
from kzreport.errors import RenderError
from kzreport.labels import fill_label, page_label
from kzreport.layout import Layout, load_layout
from kzreport.model import Document, KeyPoints, Paragraph, Span, plain_text, walk
from kzreport.renderers import renderers
from kzreport.source import read_source

LONG = FIXTURES / "pdf-long.md"
LONG_WORDS = FIXTURES / "pdf-long-words.md"
KAZAKH_LETTERS = "Әә Ғғ Ққ Ңң Өө Ұұ Үү Һһ Іі"


def render(document: Document, layout: Layout, folder: Path, name: str | None = None) -> Path:
    path = folder / f"{name or document.stem}.pdf"
    assert renderers()["pdf"].render(document, layout, path) == []
    return path



def long_body() -> str:
    """The body of the long fixture (everything after its front matter)."""
    return LONG.read_text(encoding="utf-8").split("\n---\n", 1)[1]


def pdftotext(path: Path, *options: str) -> str:
    tool = require_tool("pdftotext")
    result = subprocess.run([tool, *options, str(path), "-"], capture_output=True, text=True,
                            check=True)
    return result.stdout


def page_texts(path: Path) -> list[str]:
    """Each page's text, whitespace squashed."""
    pages = len(pypdf.PdfReader(path).pages)
    return [squash(pdftotext(path, "-f", str(n), "-l", str(n))) for n in range(1, pages + 1)]


def squash(text: str) -> str:
    return " ".join(text.split())


@dataclass(frozen=True)
class Word:
    text: str
    x_min: float
    y_min: float
    x_max: float
    y_max: float


def page_words(path: Path) -> list[list[Word]]:
    """Every word of every page with its box (poppler: points, y growing downwards)."""
    html = pdftotext(path, "-bbox")
    pages = []
    for page in re.findall(r"<page [^>]*>(.*?)</page>", html, re.S):
        pages.append([Word(m.group(5), *(float(m.group(i)) for i in range(1, 5)))
                      for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" '
                                           r'xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
                                           page)])
    return pages


def source_links(document: Document) -> list[str]:
    """Every link URL of the paper: the body's spans, then the front matter's links."""
    urls: list[str] = []
    for block in walk(document.blocks):
        inline_groups = []
        if isinstance(block, Paragraph):
            inline_groups.append(block.inlines)
        elif isinstance(block, KeyPoints):
            inline_groups.extend(point.inlines for point in block.points)
        for inlines in inline_groups:
            hrefs = [i.href for i in inlines if isinstance(i, Span) and i.href]
            urls.extend(h for n, h in enumerate(hrefs) if n == 0 or hrefs[n - 1] != h)
    return urls + [link.url for link in document.meta.links]


def link_uris(path: Path) -> list[str]:
    uris = []
    for page in pypdf.PdfReader(path).pages:
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            assert annotation["/Subtype"] == "/Link"
            uris.append(str(annotation["/A"]["/URI"]))
    return uris


def info_of(path: Path) -> dict[str, str]:
    """The document information dictionary, values as text."""
    info = pypdf.PdfReader(path).metadata
    assert info is not None
    return {key: str(value) for key, value in info.items()}


@pytest.fixture(scope="module")
def long_doc() -> Document:
    return read_source(LONG)


@pytest.fixture(scope="module")
def seed_pdf(seed: Document, layout: Layout, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render(seed, layout, tmp_path_factory.mktemp("seed"))


@pytest.fixture(scope="module")
def rich_pdf(rich: Document, layout: Layout, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render(rich, layout, tmp_path_factory.mktemp("rich"))


@pytest.fixture(scope="module")
def long_pdf(long_doc: Document, layout: Layout,
             tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render(long_doc, layout, tmp_path_factory.mktemp("long"))


# ---------------------------------------------------------------- registration


def test_pdf_is_registered_beside_docx() -> None:
    found = renderers()
    assert found["pdf"].extension == ".pdf"
    assert list(found).index("docx") < list(found).index("pdf")


def test_importing_the_renderer_does_not_load_reportlab() -> None:
    code = ("import sys, kzreport.renderers.pdf; "
            "assert 'reportlab' not in sys.modules, 'reportlab imported at module level'")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_build_writes_the_pdf(tmp_path: Path) -> None:
    [outcome] = build([SEED], Options(out_dir=tmp_path, formats=("pdf",), cwd=ROOT))
    assert not outcome.failed, outcome.problems
    assert [(r.path, r.status) for r in outcome.outputs] == [
        (tmp_path / "kazakhstan-position.pdf", "built")]
    assert (tmp_path / "kazakhstan-position.pdf").read_bytes().startswith(b"%PDF-")


# ---------------------------------------------------------------- content


def test_every_word_of_the_seed_body_key_points_and_disclaimer(seed: Document,
                                                               seed_pdf: Path) -> None:
    words = set(pdftotext(seed_pdf).split())
    expected = [plain_text(b.inlines) for b in seed.blocks if isinstance(b, Paragraph)]
    expected += [plain_text(p.inlines) for p in seed.key_points.points]
    assert seed.meta.disclaimer
    expected.append(seed.meta.disclaimer)
    missing = {w for text in expected for w in text.split()} - words
    assert not missing


def test_body_paragraphs_in_source_order(seed: Document, seed_pdf: Path) -> None:
    text = squash(pdftotext(seed_pdf))
    # A paragraph broken by a page turn has the footer in between: compare its opening words.
    openings = [" ".join(plain_text(b.inlines).split()[:8])
                for b in seed.blocks if isinstance(b, Paragraph)]
    openings += [" ".join(plain_text(p.inlines).split()[:8]) for p in seed.key_points.points]
    positions = [text.index(o) for o in openings]
    assert positions == sorted(positions)


def test_title_block_summary_and_further_reading(rich: Document, rich_pdf: Path,
                                                 layout: Layout) -> None:
    text = squash(pdftotext(rich_pdf))
    meta = rich.meta
    assert meta.subtitle and meta.summary and meta.organization
    order = [meta.organization.upper(), meta.title, meta.subtitle,
             "Әлия Нұрланқызы, Қауіпсіздік зерттеулері орталығы", "Дәурен Өмірзақов",
             layout.format_date(meta.date), f"{layout.labels.summary}: {meta.summary}",
             layout.labels.further_reading, *(link.label for link in meta.links)]
    positions = [text.index(squash(part)) for part in order]
    assert positions == sorted(positions)


def test_figure_caption_is_numbered(long_pdf: Path, layout: Layout) -> None:
    text = squash(pdftotext(long_pdf))
    assert f"{layout.labels.figure.format(n=1)} Crude oil exports by route, 2016–2022" in text


def test_text_is_escaped_for_paragraph_markup(tmp_path: Path, layout: Layout) -> None:
    source = write_source(tmp_path, "title: A < B & C > D\nauthors: [X]\ndate: 2024-01-01",
                          r"Markup-like text: \<b>not bold\</b> & &amp;amp; &lt;i&gt; as typed."
                          "\n\n## Key Points\n\n- 1 < 2 > 0")
    document = read_source(source)
    paragraph = plain_text(next(b for b in document.blocks if isinstance(b, Paragraph)).inlines)
    assert paragraph == "Markup-like text: <b>not bold</b> & &amp; <i> as typed."
    # -raw: the default mode joins words around narrow spaces in the large title.
    text = squash(pdftotext(render(document, layout, tmp_path), "-raw"))
    assert "A < B & C > D" in text
    assert paragraph in text
    assert "1 < 2 > 0" in text


def test_kazakh_cyrillic_and_typography_extract_as_text(rich_pdf: Path, tmp_path: Path,
                                                        layout: Layout) -> None:
    text = pdftotext(rich_pdf)
    for expected in ("Қазақстан", "«Көпвекторлы»", "Нұрланқызы", "Өмірзақов", "“curly”",
                     "‘single’", "«guillemets»", "dashes – and —", "café", "naïve"):
        assert expected in text
    source = write_source(tmp_path, "title: Әліпби\nauthors: [Ұлан]\ndate: 2024-01-01",
                          f"Letters: {KAZAKH_LETTERS}.\n\n## Key Points\n\n- Қазақстан.")
    assert f"Letters: {KAZAKH_LETTERS}." in squash(pdftotext(render(read_source(source),
                                                                    layout, tmp_path)))


# ---------------------------------------------------------------- pages


def test_footer_and_page_numbers_on_every_page(long_doc: Document, long_pdf: Path,
                                               layout: Layout) -> None:
    pages = page_texts(long_pdf)
    assert len(pages) >= 4
    assert len(pages) == len(pypdf.PdfReader(long_pdf).pages)
    assert long_doc.meta.disclaimer
    disclaimer = squash(long_doc.meta.disclaimer)
    for number, text in enumerate(pages, 1):
        assert disclaimer in text
        assert text.endswith(page_label(layout, number, len(pages)) + " CUI//SP-PRVCY")


def test_running_header_from_page_two(long_doc: Document, long_pdf: Path,
                                      layout: Layout) -> None:
    header = squash(fill_label(layout.labels.running_header, long_doc, layout))
    pages = page_texts(long_pdf)
    assert header not in pages[0]
    for text in pages[1:]:
        assert text.startswith("CUI//SP-PRVCY " + header)


def test_table_header_repeats_on_every_page(tmp_path: Path, layout: Layout) -> None:
    rows = "\n".join(f"| Row {n} | value {n} |" for n in range(150))
    source = write_source(tmp_path, "title: Table\nauthors: [X]\ndate: 2024-01-01",
                          f"| Countryheader | Valueheader |\n|---|---|\n{rows}\n\n"
                          "## Key Points\n\n- One.")
    pages = page_texts(render(read_source(source), layout, tmp_path))
    assert len(pages) >= 3
    spanned = [text for text in pages if "Row " in text]
    assert len(spanned) >= 3
    for text in spanned:
        assert "Countryheader Valueheader" in text


def lines_of(words: list[Word]) -> list[list[Word]]:
    """``words`` grouped into lines, top to bottom."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.y_min, w.x_min)):
        if lines and abs(lines[-1][0].y_min - word.y_min) < 1:
            lines[-1].append(word)
        else:
            lines.append([word])
    return lines


def test_footer_banners_and_header_never_overlap_the_body(tmp_path: Path,
                                                          layout: Layout) -> None:
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


def test_long_words_and_urls_stay_inside_the_column(layout: Layout, tmp_path: Path) -> None:
    document = read_source(LONG_WORDS)
    pdf = render(document, layout, tmp_path)
    right = layout.page.width - layout.page.margin_right
    words = [w for page in page_words(pdf) for w in page]
    assert max(w.x_max for w in words) <= right + 0.5
    assert min(w.x_min for w in words) >= layout.page.margin_left - 0.5
    # The long word and URL are broken across lines, not dropped.
    text = "".join(pdftotext(pdf).split())
    assert "Supercalifragilistic" * 6 in text
    url = next(link.url for link in document.meta.links)
    assert len(url) == 200 and url in text
    assert link_uris(pdf).count(url) >= 1


def test_no_heading_ends_a_page(tmp_path: Path, layout: Layout) -> None:
    # Sections of varied lengths turn pages at many different points.
    body = "\n\n".join(f"## Heading {n}\n\n" + f"Sentence {n} of the section. " * (9 + 7 * (n % 5))
                       for n in range(24))
    source = write_source(tmp_path, "title: Keep\nauthors: [X]\ndate: 2024-01-01",
                          body + "\n\n## Key Points\n\n- One.")
    pdf = render(read_source(source), layout, tmp_path)
    pages = page_words(pdf)
    assert len(pages) >= 5
    for number, words in enumerate(pages[:-1], 1):
        lines = lines_of(words)
        last_body_line = " ".join(w.text for w in lines[-2])  # above "Page N of M"
        assert not re.fullmatch(r"Heading \d+", last_body_line), f"page {number}"
        # No orphan: a heading is not followed by just one line of its paragraph.
        assert not re.fullmatch(r"Heading \d+", " ".join(w.text for w in lines[-3]))


@pytest.mark.parametrize("filler", [8, 11, 14, 17, 38])
def test_a_heading_stays_with_the_figure_below_it(filler: int, tmp_path: Path,
                                                   layout: Layout) -> None:
    # Intro lengths that bring the heading to the foot of page 1 or 2 (a figure is not split).
    body = ("Intro sentence here. " * (40 + filler * 9) + "\n\n## Chart heading\n\n"
            '![A chart](pdf-chart.png "The caption")\n\n## Key Points\n\n- One.')
    source = write_source(tmp_path, "title: Figure\nauthors: [X]\ndate: 2024-01-01", body)
    for words in page_words(render(read_source(source), layout, tmp_path))[:-1]:
        assert " ".join(w.text for w in lines_of(words)[-2]) != "Chart heading"


def test_blocks_taller_than_a_page_split_across_pages(tmp_path: Path) -> None:
    cell = " ".join(f"cellword{n}" for n in range(1500))
    code = "\n".join(f"line {n}\twith\ttabs" if n % 7 else "" for n in range(160))
    source = write_source(tmp_path, "title: Tall\nauthors: [X]\ndate: 2024-01-01",
                          f"| Cell | Tall |\n|---|---|\n| a | {cell} |\n\n```\n{code}\n```\n\n"
                          "## Key Points\n\n- One.")
    # In a child process with a time limit: a layout loop must fail the test, not hang it.
    script = ("import sys; from pathlib import Path; from kzreport.layout import load_layout; "
              "from kzreport.source import read_source; from kzreport.renderers import renderers; "
              "renderers()['pdf'].render(read_source(Path(sys.argv[1])), "
              "load_layout('default', Path(sys.argv[3])), Path(sys.argv[2]))")
    pdf = tmp_path / "tall.pdf"
    subprocess.run([sys.executable, "-c", script, str(source), str(pdf), str(ROOT)], check=True,
                   timeout=120)
    pages = page_texts(pdf)
    assert len(pages) >= 5
    text = " ".join(pages)
    assert all(f"cellword{n}" in text for n in (0, 700, 1499))
    # -layout keeps the tab-aligned code lines whole (the default mode reads them as columns).
    assert "line 159 with tabs" in squash(pdftotext(pdf, "-layout"))
    assert sum("Cell Tall" in page for page in pages) >= 3  # the header row repeats


def test_list_items_opening_with_a_block_keep_their_marker(tmp_path: Path,
                                                           layout: Layout) -> None:
    source = write_source(tmp_path, "title: Markers\nauthors: [X]\ndate: 2024-01-01",
                          "1.  ```\n    code opens the item\n    ```\n    then text.\n"
                          "2. ![A chart](pdf-chart.png)\n\n## Key Points\n\n- One.")
    lines = pdftotext(render(read_source(source), layout, tmp_path), "-layout").splitlines()
    assert [line.strip() for line in lines if line.strip() in ("1.", "2.")] == ["1.", "2."]


def test_the_layout_logo_is_drawn_on_the_title_block(tmp_path: Path, seed: Document) -> None:
    folder = tmp_path / "layouts" / "with-logo"
    folder.mkdir(parents=True)
    shutil.copy(CHART, folder / "logo.png")
    (folder / "layout.toml").write_text('inherit = "default"\n\n[logo]\nfile = "logo.png"\n'
                                        'width = "30mm"\nplacement = "right"\n')
    pdf = render(seed, load_layout("with-logo", tmp_path), tmp_path)
    reader = pypdf.PdfReader(pdf)
    [logo] = reader.pages[0].images
    assert all(not page.images for page in reader.pages[1:])
    assert logo.image is not None and logo.image.size == (480, 260)


# ---------------------------------------------------------------- links and metadata


def test_link_annotations_are_exactly_the_source_links(rich: Document, rich_pdf: Path,
                                                       long_doc: Document,
                                                       long_pdf: Path) -> None:
    for document, pdf in ((rich, rich_pdf), (long_doc, long_pdf)):
        expected = source_links(document)
        assert expected
        assert sorted(link_uris(pdf)) == sorted(expected)
    assert "https://example.org/kz/paper?id=42&lang=kk" in link_uris(rich_pdf)


def test_metadata(rich: Document, rich_pdf: Path, seed: Document, seed_pdf: Path) -> None:
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


# ---------------------------------------------------------------- fonts and glyphs


def test_fonts_are_embedded_and_subset(rich_pdf: Path, long_pdf: Path) -> None:
    tool = require_tool("pdffonts")
    for pdf in (rich_pdf, long_pdf):
        rows = subprocess.run([tool, str(pdf)], capture_output=True, text=True,
                              check=True).stdout.splitlines()[2:]
        assert rows
        for row in rows:
            name, *_, emb, sub, uni, _obj, _gen = row.split()
            assert (emb, sub, uni) == ("yes", "yes", "yes"), row
            assert re.match(r"[A-Z]{6}\+", name), row


def test_a_character_missing_from_the_font_is_an_error(tmp_path: Path,
                                                       layout: Layout) -> None:
    source = write_source(tmp_path, "title: Glyphs\nauthors: [X]\ndate: 2024-01-01",
                          "Fine text.\n\nA CJK character 中 here.\n\n## Key Points\n\n- A 🚀.")
    document = read_source(source)
    with pytest.raises(RenderError) as caught:
        render(document, layout, tmp_path)
    problems = caught.value.problems
    assert [(p.line, p.path) for p in problems] == [(9, source), (13, source)]
    assert "character '中' (U+4E2D) is not in font" in problems[0].message
    assert "U+1F680" in problems[1].message
    assert not (tmp_path / "paper.pdf").exists()


def test_a_missing_character_in_the_front_matter_names_its_line(tmp_path: Path) -> None:
    source = write_source(tmp_path, "title: Plain\nauthors: [X]\ndate: 2024-01-01\n"
                          "disclaimer: Views 😀 are ours", "Text.\n\n## Key Points\n\n- One.")
    out = tmp_path / "out"
    [outcome] = build([source], Options(out_dir=out, formats=("pdf",), cwd=ROOT))
    assert outcome.failed
    errors = [p for p in outcome.problems if p.severity == "error"]
    assert [(p.line, "U+1F600" in p.message) for p in errors] == [(5, True)]
    assert not (out / "paper.pdf").exists()


# ---------------------------------------------------------------- file quality


def test_two_renders_at_different_times_are_identical(long_doc: Document, layout: Layout,
                                                      tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
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


def test_qpdf_finds_no_errors(seed_pdf: Path, rich_pdf: Path, long_pdf: Path) -> None:
    tool = require_tool("qpdf")
    for pdf in (seed_pdf, rich_pdf, long_pdf):
        result = subprocess.run([tool, "--check", str(pdf)], capture_output=True, text=True,
                                check=False)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "No syntax or stream encoding errors found" in result.stdout


def test_the_briefing_layout_restyles_everything(long_doc: Document, tmp_path: Path) -> None:
    pdf = render(long_doc, load_layout("briefing", ROOT), tmp_path)
    pages = page_texts(pdf)
    for number, text in enumerate(pages, 1):
        # pdftotext joins "1 / 6" when the spaces are narrow; compare without spaces.
        assert text.replace(" ", "").endswith(f"{number}/{len(pages)}CUI//SP-PRVCY")
    assert "BLUF: Kazakhstan keeps its distance" in pages[0]
    assert "14 MAR 23" in pages[0]


def test_a_headline_closed_by_punctuation_reads_as_in_the_brief(tmp_path: Path,
                                                               layout: Layout) -> None:
    source = write_source(tmp_path, "title: T\nauthors: [A]\ndate: 2024-01-02",
                          "Text.\n\n## Key Points\n\n- **Headline**: text.\n- **Spaced** text.")
    text = squash(pdftotext(render(read_source(source), layout, tmp_path), "-raw"))
    assert "Headline: text." in text and "Spaced text." in text


def test_a_title_block_taller_than_a_page_is_a_plain_reproducible_error(
        tmp_path: Path, layout: Layout) -> None:
    authors = "".join(f"  - name: Author {n}\n    affiliation: Department {n}\n"
                      for n in range(60))
    source = write_source(tmp_path, f"title: Crowd\nauthors:\n{authors}date: 2022-06-03",
                          "Body.\n\n## Key Points\n\n- One.")
    with pytest.raises(RenderError) as refused:
        render(read_source(source), layout, tmp_path)
    (problem,) = refused.value.problems
    assert problem.message == ("cannot lay out the PDF: a table (or the title block) is too "
                               "large to fit on page 2")


def test_reportlab_runs_with_its_c_accelerators() -> None:
    # rl-accel is a dependency: without it, text widths, numbers and stream encoding are
    # computed in Python and a PDF takes half as long again.
    from reportlab.lib import rl_accel

    assert {"instanceStringWidthTTF", "fp_str", "asciiBase85Encode"} <= set(rl_accel._c_funcs)


def test_a_face_is_registered_only_when_a_paper_sets_text_in_it(tmp_path: Path) -> None:
    from reportlab.pdfbase import pdfmetrics

    # A monospaced family of its own files, so no other test has registered it.
    fonts = tmp_path / "layouts" / "vera"
    fonts.mkdir(parents=True)
    vera = Path(pdfmetrics.__file__).parent.parent / "fonts"
    lines = ['inherit = "default"', "[fonts.mono]"]
    for style, file in (("regular", "Vera.ttf"), ("bold", "VeraBd.ttf"),
                        ("italic", "VeraIt.ttf"), ("bold_italic", "VeraBI.ttf")):
        shutil.copy(vera / file, fonts / file)
        lines.append(f'{style} = "{file}"')
    (fonts / "layout.toml").write_text("\n".join(lines) + "\n", "utf-8")
    layout = load_layout("vera", tmp_path)

    from kzreport.renderers._pdf_styles import PdfFonts

    # By kzreport's names for the layout's faces: reportlab gives a face whose PostScript name
    # it has seen before (another test's copy of Vera) the file it read first.
    faces = PdfFonts(layout)._faces

    def mono_faces() -> set[str]:
        registered = set(pdfmetrics.getRegisteredFontNames())
        return {path.name for name, (path, role, _) in faces.items()
                if role == "mono" and name in registered}

    key_points = "## Key Points\n\n- **Point.** Said."
    prose = write_source(tmp_path, "title: Prose\nauthors: [X]\ndate: 2024-01-01",
                         f"Plain and **bold** text.\n\n{key_points}")
    render(read_source(prose), layout, tmp_path)
    assert mono_faces() == set()
    code = write_source(tmp_path, "title: Code\nauthors: [X]\ndate: 2024-01-01",
                        f"Run:\n\n```\nkzreport build paper.md\n```\n\n{key_points}", name="code")
    pdf = render(read_source(code), layout, tmp_path)
    assert mono_faces() == {"Vera.ttf"}
    assert "kzreport build paper.md" in pdftotext(pdf)


def test_reportlab_loads_without_compiling_its_url_pattern_until_used() -> None:
    # A fresh interpreter: this one has loaded reportlab already.
    script = """
import re
compile_before = re.compile
from kzreport.renderers import renderers
renderers()["pdf"].load()
from reportlab.platypus import paragraph
lazy = paragraph.uri_pat
assert re.compile is compile_before, "re.compile is restored"
assert type(lazy).__name__ == "LazyPattern" and not lazy.compiled
uris = ("https://example.com/a/b", "HTTP://Example.org/x", "mailto:x@y.z", "not a url")
with_lazy = [paragraph._uri_split_pairs(uri) for uri in uris]
assert lazy.compiled
paragraph.uri_pat = re.compile(lazy.pattern, lazy.flags)
assert with_lazy == [paragraph._uri_split_pairs(uri) for uri in uris]
assert with_lazy[0] and with_lazy[-1] is None
print("ok")
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.stdout.strip() == "ok", result.stderr


def test_a_lazy_pattern_compiles_once_on_first_use() -> None:
    from kzreport.renderers._reportlab_internals import LazyPattern

    compiled: list[str] = []

    def compile_now(pattern: str, flags: int) -> re.Pattern[str]:
        compiled.append(pattern)
        return re.compile(pattern, flags)

    lazy = LazyPattern("a+b", re.I, compile_now)
    assert not lazy.compiled and compiled == []
    assert lazy.match("AAB") and lazy.search("xab") and lazy.pattern == "a+b"
    assert compiled == ["a+b"]
