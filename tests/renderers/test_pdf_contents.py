"""The PDF's contents page and cross-references, read back with pypdf: each contents line
links to its heading and names the page the heading is on; references link to captions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pypdf
import pytest
from deck_checks import pdf_words
from tagged_reading import Node, outline_entries, read_tagged

from conftest import FIXTURES, write_source
from kzreport.build import prepare
from kzreport.renderers import renderers


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("crossrefs")
    document, layout = prepare(FIXTURES / "crossrefs.md", None, folder)
    path = folder / "crossrefs.pdf"
    assert renderers()["pdf"].render(document, layout, path) == []
    return path


def links(reader: pypdf.PdfReader, index: int) -> list[tuple[int, float]]:
    """Where the link annotations of page ``index`` go, in order: (page, top)."""
    numbers = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages, 1)
               if page.indirect_reference is not None}
    out = []
    for annotation in reader.pages[index].get("/Annots") or []:
        destination = annotation.get_object()["/Dest"]
        out.append((numbers[destination[0].idnum], round(float(destination[3]), 1)))
    return out


def headings(reader: pypdf.PdfReader) -> dict[str, tuple[int, float]]:
    """(page, top) of each heading, by its bookmark's title."""
    found = {}

    def visit(items: list[Any]) -> None:
        for item in items:
            if isinstance(item, list):
                visit(item)
            else:
                found[str(item.title)] = ((reader.get_destination_page_number(item) or 0) + 1,
                                          round(float(item.top), 1))

    visit(reader.outline)
    return found


def test_the_contents_page_names_the_page_of_every_heading(pdf: Path) -> None:
    reader = pypdf.PdfReader(pdf)
    first = " ".join(reader.pages[0].extract_text().split())
    pages = {title: page for _, title, page in outline_entries(reader)}
    lines = [f"{title} {pages[title]}" for title in
             ("Background", "Members", "Outlook", "Key Points", "Acronyms")]
    assert "Contents " + " ".join(lines) in first
    assert pages["Background"] == 2 and pages["Acronyms"] == 3
    places = headings(reader)
    assert links(reader, 0) == [places[title] for title in (
        "Background", "Members", "Outlook", "Key Points", "Acronyms")]


def test_references_link_to_their_captions_and_headings(pdf: Path) -> None:
    reader = pypdf.PdfReader(pdf)
    places = headings(reader)
    found = links(reader, 1)
    # Figure 1, Table 1 (the captions, on this page), Section 2, Section 1, Table 2 (next page)
    assert [page for page, _ in found][:5] == [2, 2, 3, 2, 3]
    assert found[2:4] == [places["Outlook"], places["Background"]]
    assert found[0][1] < places["Background"][1]  # below the heading: the caption


def test_the_contents_are_a_toc_of_tocis_and_captions_carry_their_labels(pdf: Path) -> None:
    tagged = read_tagged(pdf)
    (toc,) = tagged.find("TOC")
    assert [" ".join(tagged.text_of(item).split()) for item in toc.kids
            if isinstance(item, Node)] == [
        "Background 2", "Members 2", "Outlook 3", "Key Points 3", "Acronyms 3"]
    captions = [" ".join(tagged.text_of(node).split()) for node in tagged.find("Caption")]
    assert captions == ["Figure 1. The middle corridor", "Table 1. Freight on the route",
                        "Table 2. Shares of transit revenue"]


def test_a_right_to_left_papers_contents_are_mirrored(tmp_path: Path) -> None:
    front = "title: ممر النقل\nauthors: [أحمد]\ndate: 2024-03-01\nlanguage: ar\ntoc: true"
    body = "\n## الخلفية\n\nنص.\n\n### Latin heading\n\nنص.\n\n## Key Points\n\n- نقطة.\n"
    source = write_source(tmp_path, front, body)
    document, layout = prepare(source, None, tmp_path)
    path = tmp_path / "paper.pdf"
    assert renderers()["pdf"].render(document, layout, path) == []
    words = pdf_words(path)[0]
    numbers = [box for box, word in words if word == "2" and box.top < layout.page.height / 2]
    assert len(numbers) == 3
    # The numbers at the left margin, every line's text ending at the right one, the
    # subsection's indented from it.
    assert all(abs(box.left - layout.page.margin_left) < 1 for box in numbers)
    right = layout.page.width - layout.page.margin_right
    ends = [right - max(box.right for box, _ in words if box.top == number.top
                        and box.left > number.right) for number in numbers]
    assert ends[0] < 1 and ends[2] < 1 and ends[1] > 10
