"""The PDF reader: text per page and per region (body, running header, footer, marking banners
by the artifacts the PDF marks them as), link annotations and document information, reached
through the format registry."""

from __future__ import annotations

from pathlib import Path

from kzreport.expectations import normalize
from kzreport.labels import page_label
from kzreport.layout import Layout
from kzreport.model import Document
from kzreport.readers.pdf import read_pdf
from kzreport.renderers import renderers
from readers.conftest import RICH_LINKS


def test_the_report_read_back(rich_outputs: Path, rich: Document, layout: Layout) -> None:
    layout = layout.for_language(rich.meta.language)  # a Kazakh paper: the Kazakh labels
    got = read_pdf(rich_outputs / "rich.pdf", layout)
    assert got.title == rich.meta.title
    assert got.author == "Әлия Нұрланқызы; Дәурен Өмірзақов"
    assert got.links == RICH_LINKS
    assert got.flow is None and got.slides is None
    assert len(got.pages) == 2
    assert got.text == "\n".join(page.text for page in got.pages)
    first, second = (normalize(page.body) for page in got.pages)
    assert normalize("The Astana Process began in January 2017") in first
    assert normalize("Final paragraph after a rule.") in second
    # The second page's running header (title · date) is in its text, in its own region.
    header = normalize(f"{rich.meta.title} · {layout.format_date(rich.meta.date)}")
    assert header in normalize(got.pages[1].text)
    assert header not in second
    assert [normalize(page.header) for page in got.pages] == ["", header]
    # Each footer holds the disclaimer and the page number, and no body does.
    disclaimer = normalize(rich.meta.disclaimer or "")
    assert [normalize(page.footer) for page in got.pages] == [
        disclaimer + normalize(page_label(layout, n, 2)) for n in (1, 2)]
    assert not any(normalize(page_label(layout, n, 2)) in body
                   for n, body in ((1, first), (2, second)))
    assert [(page.top_banner, page.bottom_banner) for page in got.pages] == [("", "")] * 2


def test_marking_banners_top_and_bottom_of_every_page(deck_outputs: Path,
                                                      layout: Layout) -> None:
    got = read_pdf(deck_outputs / "pptx-deck.pdf", layout)
    assert len(got.pages) == 2
    for page in got.pages:
        assert (page.top_banner.strip(), page.bottom_banner.strip()) == ("SECRET//NOFORN",) * 2
        assert "SECRET" not in page.body + page.header + page.footer


def test_the_registry_reads_the_report_with_this_reader(rich_outputs: Path,
                                                        layout: Layout) -> None:
    path = rich_outputs / "rich.pdf"
    assert renderers()["pdf"].read(path, layout) == read_pdf(path, layout)
