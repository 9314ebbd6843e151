"""The tagging canvas: a tagged PDF/UA catalog, nothing drawn unmarked, links marked in text."""

from __future__ import annotations

import re
from typing import Any

import pytest
from pdf_reading import PAPERS, paper
from tagged_reading import ObjectItem, Tagged, bare, paper_tagged

from kzreport.model import Document


@pytest.mark.parametrize("name", PAPERS)
def test_the_catalog_declares_a_tagged_pdf_ua_document(name: str,
                                                       request: pytest.FixtureRequest) -> None:
    tagged: Tagged = paper_tagged(name, request)
    document: Document = paper(name, request)
    reader, meta = tagged.reader, document.meta
    catalog: Any = reader.root_object
    assert reader.pdf_header == "%PDF-1.7"
    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert str(catalog["/Lang"]) == meta.language
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    for page in reader.pages:
        assert page.get("/Tabs") == "/S"
    metadata = catalog["/Metadata"]
    assert metadata["/Subtype"] == "/XML" and "/Filter" not in metadata
    xmp = reader.xmp_metadata
    assert xmp is not None
    assert xmp.dc_title == {"x-default": meta.title}
    assert xmp.dc_creator == [a.name for a in meta.authors]
    assert xmp.dc_language == [meta.language]
    assert xmp.pdf_producer is not None and "kzreport" in xmp.pdf_producer
    info = reader.metadata
    assert info is not None and info.creation_date is not None
    assert xmp.xmp_create_date is not None
    assert info.creation_date == xmp.xmp_create_date.replace(tzinfo=info.creation_date.tzinfo)
    raw = metadata.get_data().decode("utf-8")
    assert re.search(r"<pdfuaid:part>1</pdfuaid:part>", raw)


@pytest.mark.parametrize("name", PAPERS)
def test_nothing_is_drawn_outside_marked_content(name: str, request: pytest.FixtureRequest) -> None:
    tagged: Tagged = paper_tagged(name, request)
    for n, page in enumerate(tagged.pages, 1):
        assert page.unmarked == [], f"page {n}"
        assert page.nested == 0, f"page {n}: marked content inside marked content"
        for sequence in page.sequences:
            # Content has an MCID; an artifact has none and nothing else goes without one.
            assert (sequence.tag == "Artifact") == (sequence.mcid is None), sequence


def test_a_link_wrapping_over_lines_is_one_link(request: pytest.FixtureRequest) -> None:
    table_tagged = paper_tagged("table", request)
    [long_link] = [node for node in table_tagged.find("Link")
                   if "linkword0" in table_tagged.text_of(node)]
    annotations = [kid for kid in long_link.kids if isinstance(kid, ObjectItem)]
    assert len(annotations) >= 3  # one per line
    assert bare(table_tagged.text_of(long_link)) == "".join(f"linkword{n}" for n in range(40))
