"""verify's checks of the contents, the agenda, the deck's acronyms and the brief's fields,
on the crossrefs fixture's outputs read back and then altered."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import FIXTURES
from kzreport.build import Options, build, prepare
from kzreport.comparison import compare
from kzreport.expectations import Expected, expect
from kzreport.extraction import Extraction
from kzreport.renderers import renderers
from kzreport.verify_apparatus import fields


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Expected, dict[str, Extraction]]:
    folder = tmp_path_factory.mktemp("crossrefs")
    source = FIXTURES / "crossrefs.md"
    outcomes = build([source], Options(out_dir=folder, formats=("docx", "pdf", "pptx"),
                                       cwd=folder))
    assert not any(o.failed for o in outcomes)
    document, layout = prepare(source, None, folder)
    read = {fmt: renderers()[fmt].read(folder / f"crossrefs.{fmt}", layout)
            for fmt in ("docx", "pdf", "pptx")}
    return expect(document, layout), read


def test_the_outputs_as_built_compare_clean(built: tuple[Expected, dict[str, Extraction]]
                                             ) -> None:
    expected, read = built
    assert {fmt: compare(expected, got) for fmt, got in read.items()} == {
        "docx": [], "pdf": [], "pptx": []}


def test_a_contents_line_naming_the_wrong_page(built: tuple[Expected, dict[str, Extraction]]
                                               ) -> None:
    expected, read = built
    pdf = read["pdf"]
    first = pdf.pages[0]
    wrong = replace(first, body=re.sub(r"Outlook\s+3", "Outlook 2", first.body))
    assert wrong != first
    problems = compare(expected, replace(pdf, pages=(wrong, *pdf.pages[1:])))
    assert problems == ['the contents give page 2 for "Outlook", which is not on it']
    gone = replace(first, body=re.sub(r"Members\s+2", "Members", first.body))
    assert compare(expected, replace(pdf, pages=(gone, *pdf.pages[1:]))) == [
        'the contents line "Members" has no page number']


def test_an_agenda_or_acronym_list_missing_from_the_deck(
        built: tuple[Expected, dict[str, Extraction]]) -> None:
    expected, read = built
    deck = read["pptx"]
    slides = list(deck.slides or ())
    slides[1] = replace(slides[1], face=slides[1].face.replace("Tariffs decide", "Tariffs"))
    slides[-1] = replace(slides[-1], notes=slides[-1].notes.replace("EAEU —", "EAEU:"))
    assert compare(expected, replace(deck, slides=tuple(slides))) == [
        'the headline of key point 2 "Tariffs decide" is not on the agenda slide',
        'the acronym "EAEU" is not in the last slide\'s notes']


def test_fields_are_counted_not_ordered() -> None:
    assert list(fields(["REF a", "SEQ T", "REF a"], ["SEQ T", "REF a", "REF a"])) == []
    assert list(fields(["REF a", "REF a"], ["REF a", "REF b"])) == [
        'the field "REF a" is missing 1 time(s) from the body',
        'the field "REF b" is in the body 1 time(s) more than the source asks']


def test_a_paper_without_contents_expects_its_caption_fields_only(tmp_path: Path) -> None:
    document, layout = prepare(FIXTURES / "rich.md", None, tmp_path)
    assert not document.meta.toc
    assert expect(document, layout).fields == ("SEQ Figure \\* ARABIC",)
