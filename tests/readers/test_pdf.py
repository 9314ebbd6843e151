"""The PDF reader: text per page with the running header told apart by position, link
annotations and document information, reached through the format registry."""

from __future__ import annotations

from pathlib import Path

from kzreport.expectations import normalize
from kzreport.layout import Layout
from kzreport.model import Document
from kzreport.readers.pdf import read_pdf
from kzreport.renderers import renderers
from readers.conftest import RICH_LINKS


def test_the_report_read_back(rich_outputs: Path, rich: Document, layout: Layout) -> None:
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
    # The second page's running header (title · date) is in its text but above its body.
    header = normalize(f"{rich.meta.title} · {layout.format_date(rich.meta.date)}")
    assert header in normalize(got.pages[1].text)
    assert header not in second
    # The footer is below the body and stays in it (the comparison takes it out).
    assert "Page2of2" in second


def test_the_registry_reads_the_report_with_this_reader(rich_outputs: Path,
                                                        layout: Layout) -> None:
    path = rich_outputs / "rich.pdf"
    assert renderers()["pdf"].read(path, layout) == read_pdf(path, layout)
