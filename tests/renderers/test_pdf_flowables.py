"""kzreport's own flowables: headings bookmarked as they draw, figures tagged with their box."""

from __future__ import annotations

import re

import pytest
from pdf_reading import PAPERS, long_document
from tagged_reading import Tagged, outline_entries, paper_tagged

from kzreport.model import Document, Figure, walk


@pytest.mark.parametrize("name", PAPERS)
def test_the_outline_is_the_headings(name: str, request: pytest.FixtureRequest) -> None:
    tagged: Tagged = paper_tagged(name, request)
    headings = [node for node in tagged.root.walk() if re.fullmatch(r"H[1-3]", node.kind)]
    expected = []
    depth = -1
    for node in headings:
        depth = min(int(node.kind[1]) - 1, depth + 1)
        expected.append((depth, " ".join(tagged.text_of(node).split()),
                         node.content()[0].page))
    assert outline_entries(tagged.reader) == expected
    assert expected[0][0] == 0 and all(d >= 1 for d, _, _ in expected[1:])


def test_figures_carry_the_source_alt_text(request: pytest.FixtureRequest, rich: Document) -> None:
    long_tagged = paper_tagged("long", request)
    long_doc = long_document()
    rich_tagged = paper_tagged("rich", request)
    for tagged, document in ((long_tagged, long_doc), (rich_tagged, rich)):
        expected = [b.alt for b in walk(document.blocks) if isinstance(b, Figure)]
        figures = tagged.find("Figure")
        assert [f.alt for f in figures] == expected
        for figure in figures:
            [item] = figure.content()
            box = [float(v) for v in figure.obj["/A"][0]["/BBox"]]
            page = tagged.reader.pages[item.page - 1]
            assert 0 <= box[0] < box[2] <= float(page.mediabox.width)
            assert 0 <= box[1] < box[3] <= float(page.mediabox.height)
