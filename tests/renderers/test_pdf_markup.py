"""The PDF's inline markup: escaped text, every character drawn, links where the source has them."""

from __future__ import annotations

from pathlib import Path

import pytest
from pdf_reading import link_uris, long_document, paper_pdf, pdftotext, render, source_links, squash

from conftest import write_source
from kzreport.layout import Layout
from kzreport.model import Document, Paragraph, plain_text
from kzreport.source import read_source

KAZAKH_LETTERS = "Әә Ғғ Ққ Ңң Өө Ұұ Үү Һһ Іі"


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


def test_kazakh_cyrillic_and_typography_extract_as_text(request: pytest.FixtureRequest,
                                                        tmp_path: Path, layout: Layout) -> None:
    rich_pdf = paper_pdf("rich", request)
    text = pdftotext(rich_pdf)
    for expected in ("Қазақстан", "«Көпвекторлы»", "Нұрланқызы", "Өмірзақов", "“curly”",
                     "‘single’", "«guillemets»", "dashes – and —", "café", "naïve"):
        assert expected in text
    source = write_source(tmp_path, "title: Әліпби\nauthors: [Ұлан]\ndate: 2024-01-01",
                          f"Letters: {KAZAKH_LETTERS}.\n\n## Key Points\n\n- Қазақстан.")
    assert f"Letters: {KAZAKH_LETTERS}." in squash(pdftotext(render(read_source(source),
                                                                    layout, tmp_path)))


def test_link_annotations_are_exactly_the_source_links(request: pytest.FixtureRequest,
                                                       rich: Document) -> None:
    rich_pdf = paper_pdf("rich", request)
    long_doc = long_document()
    long_pdf = paper_pdf("long", request)
    for document, pdf in ((rich, rich_pdf), (long_doc, long_pdf)):
        expected = source_links(document)
        assert expected
        assert sorted(link_uris(pdf)) == sorted(expected)
    assert "https://example.org/kz/paper?id=42&lang=kk" in link_uris(rich_pdf)
