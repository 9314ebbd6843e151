"""The PDF's structure tree: each marked-content sequence owned once, the parent tree agreeing."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from pdf_reading import PAPERS, long_document
from pypdf.generic import DictionaryObject
from tagged_reading import ContentItem, ObjectItem, Tagged, bare, paper_tagged

from kzreport.model import Paragraph, plain_text


@pytest.mark.parametrize("name", PAPERS)
def test_every_mcid_is_in_the_tree_once_and_the_parent_tree_agrees(
        name: str, request: pytest.FixtureRequest) -> None:
    tagged: Tagged = paper_tagged(name, request)
    in_streams = Counter((n, s.mcid) for n, page in enumerate(tagged.pages, 1)
                         for s in page.sequences if s.mcid is not None)
    for n, page in enumerate(tagged.pages, 1):
        mcids = [s.mcid for s in page.sequences if s.mcid is not None]
        assert mcids == list(range(len(mcids))), f"page {n}: MCIDs not 0, 1, 2…"
    owners = {(item.page, item.mcid): node for node in tagged.root.walk()
              for item in node.kids if isinstance(item, ContentItem)}
    in_tree = Counter((item.page, item.mcid) for node in tagged.root.walk()
                      for item in node.kids if isinstance(item, ContentItem))
    assert in_tree == in_streams
    assert set(in_tree.values()) == {1}
    for n, page_object in enumerate(tagged.reader.pages, 1):
        mcids = [s.mcid for s in tagged.pages[n - 1].sequences if s.mcid is not None]
        if not mcids:
            continue
        key: Any = page_object["/StructParents"]
        parents = tagged.parent_tree[int(key)].get_object()
        assert [ref.idnum for ref in parents] == [
            owners[(n, mcid)].number for mcid in mcids]
        # The tag of each sequence is its element's type.
        for sequence in tagged.pages[n - 1].sequences:
            if sequence.mcid is not None:
                assert sequence.tag == owners[(n, sequence.mcid)].kind


def test_a_paragraph_split_across_pages_is_one_element(request: pytest.FixtureRequest) -> None:
    long_tagged, long_doc = paper_tagged("long", request), long_document()
    split = [node for node in long_tagged.find("P")
             if len({item.page for item in node.content()}) > 1]
    assert split
    for node in split:
        first, *rest = node.content()
        assert all(item.page != first.page for item in rest)
        # A bare MCID is on the element's /Pg; the other page's is an MCR with its own /Pg.
        assert "/Pg" in node.obj
        kids = node.obj["/K"]
        assert any(isinstance(k.get_object(), DictionaryObject) and "/Pg" in k.get_object()
                   for k in kids if not isinstance(k, int))
    paragraphs = [bare(plain_text(b.inlines)) for b in long_doc.blocks
                  if isinstance(b, Paragraph)]
    assert all(bare(long_tagged.text_of(node)) in paragraphs for node in split)


@pytest.mark.parametrize("name", PAPERS)
def test_links_are_link_elements_with_their_annotations(name: str,
                                                        request: pytest.FixtureRequest) -> None:
    tagged: Tagged = paper_tagged(name, request)
    links = {node.number: node for node in tagged.find("Link")}
    assert links
    annotated = set()
    for page in tagged.reader.pages:
        for ref in page.get("/Annots") or []:
            annotation = ref.get_object()
            link = links[tagged.parent_tree[int(annotation["/StructParent"])].idnum]
            assert ObjectItem(None, ref.idnum) in [
                ObjectItem(None, kid.annotation) for kid in link.kids
                if isinstance(kid, ObjectItem)]
            # The annotation's description is the link's text.
            assert bare(str(annotation["/Contents"])) == bare(tagged.text_of(link))
            annotated.add(link.number)
    # Every Link element has its annotation(s) and its text.
    assert annotated == set(links)
    assert all(tagged.text_of(link) for link in links.values())
