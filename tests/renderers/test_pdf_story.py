"""The PDF's story: every block of the source, in order, and the structure elements tagging it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pypdf
import pytest
from pdf_reading import (
    CODE,
    PAPERS,
    lines_of,
    long_document,
    page_texts,
    page_words,
    paper,
    paper_pdf,
    pdftotext,
    render,
    squash,
)
from tagged_reading import (
    Node,
    ObjectItem,
    Tagged,
    actual_leaves,
    bare,
    expected_leaves,
    outline_entries,
    paper_tagged,
    read_tagged,
)

from conftest import CHART, ROOT, write_source
from kzreport.layout import Layout
from kzreport.layout_loader import load_layout
from kzreport.model import Document, Paragraph, Table, plain_text
from kzreport.renderers import renderers
from kzreport.source import read_source


def test_every_word_of_the_seed_body_key_points_and_disclaimer(request: pytest.FixtureRequest,
                                                               seed: Document) -> None:
    seed_pdf = paper_pdf("seed", request)
    words = set(pdftotext(seed_pdf).split())
    expected = [plain_text(b.inlines) for b in seed.blocks if isinstance(b, Paragraph)]
    expected += [plain_text(p.inlines) for p in seed.key_points.points]
    assert seed.meta.disclaimer
    expected.append(seed.meta.disclaimer)
    missing = {w for text in expected for w in text.split()} - words
    assert not missing


def test_body_paragraphs_in_source_order(request: pytest.FixtureRequest, seed: Document) -> None:
    seed_pdf = paper_pdf("seed", request)
    text = squash(pdftotext(seed_pdf))
    # A paragraph broken by a page turn has the footer in between: compare its opening words.
    openings = [" ".join(plain_text(b.inlines).split()[:8])
                for b in seed.blocks if isinstance(b, Paragraph)]
    openings += [" ".join(plain_text(p.inlines).split()[:8]) for p in seed.key_points.points]
    positions = [text.index(o) for o in openings]
    assert positions == sorted(positions)


def test_title_block_summary_and_further_reading(request: pytest.FixtureRequest, rich: Document,
                                                 layout: Layout) -> None:
    rich_pdf = paper_pdf("rich", request)
    text = squash(pdftotext(rich_pdf))
    meta = rich.meta
    assert meta.subtitle and meta.summary and meta.organization
    order = [meta.organization.upper(), meta.title, meta.subtitle,
             "Әлия Нұрланқызы, Қауіпсіздік зерттеулері орталығы", "Дәурен Өмірзақов",
             layout.format_date(meta.date), f"{layout.labels.summary}: {meta.summary}",
             layout.labels.further_reading, *(link.label for link in meta.links)]
    positions = [text.index(squash(part)) for part in order]
    assert positions == sorted(positions)


def test_figure_caption_is_numbered(request: pytest.FixtureRequest, layout: Layout) -> None:
    long_pdf = paper_pdf("long", request)
    text = squash(pdftotext(long_pdf))
    assert f"{layout.labels.figure.format(n=1)} Crude oil exports by route, 2016–2022" in text


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
    script = ("import sys; from pathlib import Path; "
              "from kzreport.layout_loader import load_layout; "
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


def test_list_items_opening_with_a_block_keep_their_marker(tmp_path: Path, layout: Layout) -> None:
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


def test_a_headline_closed_by_punctuation_reads_as_in_the_brief(tmp_path: Path,
                                                                layout: Layout) -> None:
    source = write_source(tmp_path, "title: T\nauthors: [A]\ndate: 2024-01-02",
                          "Text.\n\n## Key Points\n\n- **Headline**: text.\n- **Spaced** text.")
    text = squash(pdftotext(render(read_source(source), layout, tmp_path), "-raw"))
    assert "Headline: text." in text and "Spaced text." in text


def test_the_seed_structure_at_a_glance(request: pytest.FixtureRequest, seed: Document) -> None:
    seed_tagged = paper_tagged("seed", request)
    body = [b for b in seed.blocks if isinstance(b, Paragraph)]
    kinds = [kid.kind for kid in seed_tagged.root.kids if isinstance(kid, Node)]
    assert seed_tagged.root.kind == "Document"
    assert kinds == ["P", "H1", "P", "P", *["P"] * len(body), "H2", "L", "H2", "L"]
    key_points, further = seed_tagged.find("L")
    assert len(key_points.kids) == len(seed.key_points.points) == 4
    for item in [*key_points.kids, *further.kids]:
        assert isinstance(item, Node) and item.kind == "LI"
        assert [kid.kind for kid in item.kids if isinstance(kid, Node)] == ["Lbl", "LBody"]
    for item in further.kids:
        assert isinstance(item, Node)
        [link] = [node for node in item.walk() if node.kind == "Link"]
        assert any(isinstance(kid, ObjectItem) for kid in link.kids)


@pytest.mark.parametrize("name", PAPERS)
def test_the_tree_read_in_order_is_the_source(name: str, request: pytest.FixtureRequest,
                                              layout: Layout) -> None:
    tagged: Tagged = paper_tagged(name, request)
    document: Document = paper(name, request)
    assert actual_leaves(tagged) == expected_leaves(document, layout)


def test_the_briefing_layout_is_tagged_alike(request: pytest.FixtureRequest,
                                             tmp_path: Path) -> None:
    long_doc = long_document()
    briefing = load_layout("briefing", Path(__file__).resolve().parents[2])
    tagged = read_tagged(render(long_doc, briefing, tmp_path))
    assert actual_leaves(tagged) == expected_leaves(long_doc, briefing)


def test_tables_are_rows_of_header_and_data_cells(request: pytest.FixtureRequest) -> None:
    table_tagged, table_doc = paper_tagged("table", request), paper("table", request)
    [big, tall] = table_tagged.find("Table")
    source = [b for b in table_doc.blocks if isinstance(b, Table)]
    for table, block in zip((big, tall), source, strict=True):
        rows = [kid for kid in table.kids if isinstance(kid, Node)]
        assert [r.kind for r in rows] == ["TR"] * (1 + len(block.rows))
        header, *body = rows
        for cell in header.kids:
            assert isinstance(cell, Node) and cell.kind == "TH"
            assert cell.obj["/A"][0]["/Scope"] == "/Column"
        for row in body:
            assert [c.kind for c in row.kids if isinstance(c, Node)] == ["TD"] * len(block.header)
    # The big table's header row repeats on later pages, as an artifact: its cells have
    # content on the first page only, and the later pages show it outside the tree.
    header_row, *body_rows = [kid for kid in big.kids if isinstance(kid, Node)]
    header_pages = {item.page for item in header_row.content()}
    body_pages = {item.page for row in body_rows for item in row.content()}
    assert len(header_pages) == 1 and len(body_pages) >= 3
    for n in sorted(body_pages - header_pages):
        artifacts = "".join(s.text for s in table_tagged.pages[n - 1].sequences
                            if s.tag == "Artifact")
        assert "CountryheaderValueheader" in bare(artifacts)
    # The cell taller than a page is one TD with content on several pages.
    [_, tall_row] = [kid for kid in tall.kids if isinstance(kid, Node)]
    tall_cell = [c for c in tall_row.kids if isinstance(c, Node)][1]
    assert len({item.page for item in tall_cell.content()}) >= 3


def test_list_labels_are_the_markers(request: pytest.FixtureRequest) -> None:
    rich_tagged = paper_tagged("rich", request)
    labels = [bare(rich_tagged.text_of(node)) for node in rich_tagged.find("Lbl")]
    # The numbered list three deep is numbered i., ii., as in the brief.
    assert labels[:8] == ["1.", "2.", "◦", "◦", "i.", "3.", "•", "◦"]
    for node in rich_tagged.find("L"):
        numbering = node.obj["/A"][0]["/ListNumbering"]
        first = bare(rich_tagged.text_of(next(n for n in node.walk() if n.kind == "Lbl")))
        assert numbering == {"•": "/Disc", "◦": "/Circle", "▪": "/Square", "a.": "/LowerAlpha",
                             "i.": "/LowerRoman"}.get(first, "/Decimal")


def test_a_code_block_set_in_several_paragraphs_is_one_element(
        request: pytest.FixtureRequest) -> None:
    table_tagged = paper_tagged("table", request)
    [code] = [node for node in table_tagged.find("P") if "codeline0" in table_tagged.text_of(node)]
    assert bare(table_tagged.text_of(code)) == bare(CODE)
    assert len(code.content()) >= 4  # one marked-content sequence per part, at least


def test_a_skipped_heading_level_is_tagged_one_below_the_last(tmp_path: Path,
                                                              layout: Layout) -> None:
    source = write_source(tmp_path, "title: Skip\nauthors: [X]\ndate: 2024-01-01",
                          "### Straight to three\n\nText.\n\n## Two\n\n### Three\n\n"
                          "## Key Points\n\n- One.")
    pdf = tmp_path / "skip.pdf"
    warnings = renderers()["pdf"].render(read_source(source), layout, pdf)
    assert warnings == []
    tagged = read_tagged(pdf)
    # A '###' straight after the title becomes H2, like Heading 2 in the Word brief, so the
    # structure never skips a level and the file may claim PDF/UA.
    assert [n.kind for n in tagged.root.walk() if n.kind.startswith("H")] == [
        "H1", "H2", "H2", "H3", "H2"]
    assert [d for d, _, _ in outline_entries(tagged.reader)] == [0, 1, 1, 2, 1]
    metadata: Any = tagged.reader.root_object["/Metadata"]
    assert b"<pdfuaid:part>" in metadata.get_data()


def _pages_of(path: Path, words: list[str]) -> list[set[int]]:
    """For each word, the pages it is printed on."""
    texts = page_texts(path)
    return [{n for n, text in enumerate(texts, 1) if word in text} for word in words]


@pytest.mark.parametrize("fillers", [56, 57, 58])  # 57 put the point alone at a page end
def test_rows_and_key_points_stay_with_what_belongs_to_them(
        fillers: int, layout: Layout, tmp_path: Path) -> None:
    # However much text comes first, a table row never splits across pages, and a key point
    # shares its page with the start of its details.
    filler = "\n\n".join(f"Filler paragraph {n} of the opening." for n in range(fillers))
    rows = "\n".join(f"| Row{n}top | Row{n}first line of text that wraps in its narrow column "
                     f"and onto a second line and a third line here Row{n}end |"
                     for n in range(6))
    body = (f"{filler}\n\n| Name | Remarks |\n|---|---|\n{rows}\n\n"
            f"{filler}\n\n## Key Points\n\n- **Pointheadline.** The point.\n\n"
            "  Detailstart paragraph under the point.\n")
    document = read_source(write_source(tmp_path, "title: Rows\nauthors: [X]\ndate: 2024-01-01",
                                        body))
    path = render(document, layout, tmp_path)
    for n in range(6):
        top, end = _pages_of(path, [f"Row{n}top", f"Row{n}end"])
        assert len(top) == 1 and top == end, n
    point, detail = _pages_of(path, ["Pointheadline", "Detailstart"])
    assert point == detail


def test_a_table_caption_is_set_as_the_briefs_caption_style(layout: Layout,
                                                            tmp_path: Path) -> None:
    from kzreport.labels import CAPTION_ITALIC

    document = read_source(write_source(
        tmp_path, "title: T\nauthors: [A]\ndate: 2024-01-02\nlanguage: en-US",
        "| A | B |\n|---|---|\n| 1 | 2 |\n\n: Plain caption\n\n## Key Points\n\n- One."))
    page: Any = pypdf.PdfReader(render(document, layout, tmp_path)).pages[0]
    fonts = {str(font.get_object()["/BaseFont"]).split("+")[-1]
             for font in page["/Resources"]["/Font"].values()}
    assert any(name.endswith("Italic") for name in fonts) == CAPTION_ITALIC


def test_reportlabs_charts_load_only_for_a_paper_with_a_chart(tmp_path: Path) -> None:
    code = """if True:
        import sys
        from pathlib import Path
        from kzreport.build import prepare
        from kzreport.renderers import renderer
        document, layout = prepare(Path(sys.argv[1]), None, Path.cwd())
        renderer("pdf").render(document, layout, Path(sys.argv[2]))
        print("reportlab.graphics.charts.barcharts" in sys.modules)
    """
    source = ROOT / "source" / "kazakhstan-position.md"
    loaded = subprocess.run([sys.executable, "-c", code, str(source), str(tmp_path / "a.pdf")],
                            check=True, capture_output=True, text=True).stdout
    assert loaded.strip() == "False"
