"""PDF footnotes (``_pdf_notes``): each at the foot of the page that refers to it, below a
short rule, linked both ways, tagged as a Note with a Lbl, a long one continued."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pypdf
import pytest
from pdf_reading import paper_pdf, render
from tagged_reading import Node, Tagged, paper_tagged

from conftest import write_source
from kzreport.layout import Layout
from kzreport.readers.pdf import read_pdf
from kzreport.source import read_source


def _links(path: Path) -> list[tuple[int, str, float, int, float]]:
    """(page, contents, rect top, destination page, destination y) of every internal link."""
    reader = pypdf.PdfReader(path)
    pages = {page.indirect_reference.idnum: n  # type: ignore[union-attr]
             for n, page in enumerate(reader.pages, 1)}
    found = []
    for number, page in enumerate(reader.pages, 1):
        for ref in page.get("/Annots") or []:
            annotation: Any = ref.get_object()
            if "/Dest" in annotation:
                target = annotation["/Dest"]
                found.append((number, str(annotation["/Contents"]),
                              float(annotation["/Rect"][3]), pages[target[0].idnum],
                              float(target[3])))
    return found


def test_each_note_is_at_the_foot_of_the_page_that_refers_to_it_linked_both_ways(
        request: pytest.FixtureRequest) -> None:
    links = _links(paper_pdf("constructs", request))
    document = request.getfixturevalue("layout")
    assert isinstance(document, Layout)
    foot = document.page.height / 3
    notes = [link for link in links if link[1].isdigit()]
    # For every number: the reference (in the text) goes to the note on its own page, at the
    # foot; the note's number goes back up to the reference.
    numbers = sorted({int(link[1]) for link in notes})
    assert numbers == list(range(1, 8))
    for n in numbers:
        forward = [link for link in notes if link[1] == str(n) and link[4] < foot]
        back = [link for link in notes if link[1] == str(n) and link[2] < foot]
        assert len(forward) == 1 and len(back) == 1, (n, notes)
        (page, _, top, to_page, to_y), (back_page, _, back_top, back_to, back_y) = (
            forward[0], back[0])
        assert to_page == page == back_page == back_to
        assert abs(to_y - back_top) < 1 and abs(back_y - top) < 12


def test_links_to_headings_go_to_them(request: pytest.FixtureRequest) -> None:
    links = {(page, contents): (to_page, y) for page, contents, _, to_page, y
             in _links(paper_pdf("constructs", request))}
    # "Method" is on page 1, "Terms used" (after the page break) at the top of page 2.
    assert links[(1, "method described below")][0] == 1
    assert links[(1, "glossary")][0] == 2
    assert links[(2, "method")] == links[(1, "method described below")]


def test_notes_are_notes_with_a_label_in_the_text_after_their_reference(
        request: pytest.FixtureRequest) -> None:
    tagged: Tagged = paper_tagged("constructs", request)
    notes = tagged.find("Note")
    assert len(notes) == 7
    parents = {id(kid): node for node in tagged.root.walk() for kid in node.kids}
    for number, note in enumerate(notes, 1):
        label, *paragraphs = [kid for kid in note.kids if isinstance(kid, Node)]
        assert label.kind == "Lbl" and [k.kind for k in label.kids if isinstance(k, Node)] == [
            "Link"]
        assert tagged.text_of(label).strip() == str(number)
        assert paragraphs and {p.kind for p in paragraphs} == {"P"}
        holder = parents[id(note)]
        assert holder.kind in ("P", "TD")
        kinds = [k.kind if isinstance(k, Node) else "content" for k in holder.kids]
        # the reference's Link comes right before the Note
        assert kinds[kinds.index("Note") - 1] == "Link"


def test_a_long_note_continues_on_the_next_page(layout: Layout, tmp_path: Path) -> None:
    words = " ".join(f"noteword{n}" for n in range(900))
    body = (f"Opening text.[^long] {'More of the body. ' * 40}\n\n[^long]: {words} END.\n\n"
            "## Key Points\n\n- One.")
    document = read_source(write_source(tmp_path, "title: Notes\nauthors: [X]\n"
                                        "date: 2024-01-01", body))
    reader = pypdf.PdfReader(render(document, layout, tmp_path))
    texts = [page.extract_text().split() for page in reader.pages]
    assert "noteword0" in texts[0] and "Opening" in texts[0]
    # The note starts on the page that refers to it and continues, in order, on the next
    # pages (which, after the last of the text, it fills).
    assert len(texts) == 2 and "END." in texts[1]
    noted = [word for page in texts for word in page if word.startswith("noteword")]
    assert noted == [f"noteword{n}" for n in range(900)]


def test_a_split_paragraphs_notes_go_with_the_piece_that_refers_to_them(
        layout: Layout, tmp_path: Path) -> None:
    words = " ".join(f"bodyword{n}" for n in range(700))
    body = (f"Early.[^early] {words} late.[^late]\n\n[^early]: EARLYNOTE.\n\n"
            "[^late]: LATENOTE.\n\n## Key Points\n\n- One.")
    document = read_source(write_source(tmp_path, "title: Notes\nauthors: [X]\n"
                                        "date: 2024-01-01", body))
    reader = pypdf.PdfReader(render(document, layout, tmp_path))
    texts = [page.extract_text() for page in reader.pages]
    late = next(n for n, text in enumerate(texts) if "late." in text)
    assert late > 0, "the paragraph should run over a page"
    assert "EARLYNOTE" in texts[0] and "LATENOTE" in texts[late]
    assert "LATENOTE" not in texts[0]


def test_a_long_tables_notes_go_on_the_page_of_their_row(layout: Layout, tmp_path: Path) -> None:
    rows = "\n".join(f"| row{n} | {'value' + str(n) + ('.[^late]' if n == 110 else '')} |"
                     for n in range(120))
    body = (f"Before.\n\n| Name | Value[^head] |\n|---|---|\n{rows}\n\n"
            "[^head]: HEADNOTE.\n\n[^late]: LATENOTE.\n\n## Key Points\n\n- One.")
    document = read_source(write_source(tmp_path, "title: Notes\nauthors: [X]\n"
                                        "date: 2024-01-01", body))
    pdf = render(document, layout, tmp_path)
    texts = [page.extract_text() for page in pypdf.PdfReader(pdf).pages]
    late = next(n for n, text in enumerate(texts) if "value110" in text)
    assert late > 0, "the table should run over a page"
    assert "HEADNOTE" in texts[0] and "LATENOTE" in texts[late]
    assert all("LATENOTE" not in text for n, text in enumerate(texts) if n != late)
    # The header row repeated on later pages does not take its note again.
    assert sum("HEADNOTE" in text for text in texts) == 1
    # verify's reader finds each note on its reference's page.
    assert read_pdf(pdf, layout).note_pages == ((1, 1), (late + 1, late + 1))
