"""Word files other tools write, imported: Pandoc's (from small Markdown papers, converted
by the Pandoc that pypandoc-binary ships, once per run) and LibreOffice's (a brief saved
again by it): every paragraph's text kept, the constructs recognised, the warnings as
documented in docs/import.md."""

from __future__ import annotations

import dataclasses
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, _missing, require_tool
from kzreport.build import Options, build
from kzreport.importing import import_paper
from kzreport.importing.roundtrip import content
from kzreport.model import (
    CodeBlock,
    DefinitionList,
    Document,
    Figure,
    Heading,
    KeyPoints,
    ListBlock,
    Paragraph,
    Quote,
    Span,
    Table,
    inline_contents,
    plain_text,
    walk,
)
from kzreport.readers.docx import paragraphs
from kzreport.source import read_source

PANDOC_PAPERS = FIXTURES / "import"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def pandoc_docx(paper: str, folder: Path) -> Path:
    """``tests/fixtures/import/PAPER.md`` as Pandoc writes it to Word."""
    try:
        import pypandoc
    except ImportError:
        _missing("pypandoc-binary is not installed (pip install '.[test]')")
    out = folder / f"{paper}.docx"
    pypandoc.convert_file(str(PANDOC_PAPERS / f"{paper}.md"), "docx", outputfile=str(out),
                          extra_args=[f"--resource-path={PANDOC_PAPERS}"])
    return out


def imported(docx: Path, folder: Path) -> tuple[Document, list[str]]:
    out = folder / "source" / (docx.stem + ".md")
    warnings = import_paper(docx, out, None, folder)
    return read_source(out), [w.message for w in warnings]


def word_texts(docx: Path) -> list[str]:
    """Every non-empty paragraph of the body and the footnotes, whitespace collapsed."""
    with zipfile.ZipFile(docx) as package:
        parts = [n for n in package.namelist() if n in ("word/document.xml",
                                                         "word/footnotes.xml")]
        texts = [t for n in parts for t in paragraphs(ET.fromstring(package.read(n)))]
    return [" ".join(t.split()) for t in texts if t.strip()]


def paper_text(document: Document) -> str:
    """All the text the imported paper holds, whitespace collapsed."""
    meta = document.meta
    pieces = [meta.title, meta.subtitle or "", meta.summary or "",
              *(a.name for a in meta.authors)]
    pieces += [plain_text(inlines) for _, inlines in inline_contents(document.blocks)]
    for block in walk(document.blocks):
        if isinstance(block, CodeBlock):
            pieces.append(block.text)
        elif isinstance(block, Figure):
            pieces += [block.alt, block.caption or ""]
        elif isinstance(block, KeyPoints):
            pieces.append(block.title)
            pieces += [f"{p.headline or ''} {plain_text(p.inlines)}" for p in block.points]
    for note in document.footnotes:
        pieces += [plain_text(p.inlines) for p in note.paragraphs]
    return " ".join(" ".join(pieces).split())


def assert_every_paragraph_kept(docx: Path, document: Document, besides: set[str]) -> None:
    held = paper_text(document)
    lost = [t for t in word_texts(docx) if t not in held and t not in besides]
    assert lost == []


@pytest.fixture(scope="module")
def pandoc_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pandoc")


def test_a_pandoc_paper_with_headings_lists_tables_notes_and_figures(pandoc_folder: Path) -> None:
    docx = pandoc_docx("pandoc-paper", pandoc_folder)
    document, warnings = imported(docx, pandoc_folder / "paper")
    meta = document.meta
    assert (meta.title, meta.subtitle, [a.name for a in meta.authors], str(meta.date),
            meta.language) == ("Water in the Aral Basin", "A briefing", ["Dana Analyst"],
                               "2023-04-01", "en-GB")
    blocks = list(walk(document.blocks))
    assert [(b.level, plain_text(b.inlines)) for b in blocks if isinstance(b, Heading)] == [
        (2, "Introduction"), (3, "Causes")]
    lists = [b for b in blocks if isinstance(b, ListBlock)]
    assert lists[0].ordered and not lists[1].ordered  # the bullets nested in the numbers
    (table,) = [b for b in blocks if isinstance(b, Table)]
    assert plain_text(table.caption) == "Withdrawals by country"
    assert table.alignments == (None, "right")
    (figure,) = [b for b in blocks if isinstance(b, Figure)]
    assert figure.alt == "A map of the basin"  # Pandoc's caption is the alt text
    assert any(isinstance(b, Quote) for b in blocks)
    assert any(isinstance(b, CodeBlock) and b.text == "code block" for b in blocks)
    (note,) = document.footnotes
    assert [plain_text(p.inlines) for p in note.paragraphs] == [
        "Micklin, 2007. See also the atlas.", "A second paragraph of the note."]
    links = {s.href for _, inlines in inline_contents(document.blocks) for s in inlines
             if isinstance(s, Span) and s.href}
    assert links == {"https://example.org/aral"}
    # The paper has no key points: an information paper, which imports without a warning.
    assert warnings == []
    assert_every_paragraph_kept(docx, document, {"2023-04-01"})


def test_pandoc_authors_date_abstract_formatting_and_definitions(pandoc_folder: Path) -> None:
    docx = pandoc_docx("pandoc-abstract", pandoc_folder)
    document, warnings = imported(docx, pandoc_folder / "abstract")
    meta = document.meta
    assert [a.name for a in meta.authors] == ["Dana Analyst", "Sam Writer"]
    assert str(meta.date) == "2022-06-03"
    assert meta.summary == "The bottom line: rail grows."
    first = document.blocks[0]
    assert isinstance(first, Paragraph)
    spans = [s for s in first.inlines if isinstance(s, Span)]
    assert [s.text for s in spans if s.code] == ["code"]
    assert [s.text for s in spans if s.strike] == ["strike"]
    assert [(s.text, s.script) for s in spans if s.script] == [("2", "sub"), ("2", "super")]
    (definitions,) = [b for b in document.blocks if isinstance(b, DefinitionList)]
    (item,) = definitions.items
    assert plain_text(item.term) == "Second term"
    assert [plain_text(p.inlines) for d in item.definitions for p in d
            if isinstance(p, Paragraph)] == ["First definition.", "Second paragraph of it."]
    points = [b for b in document.blocks if isinstance(b, KeyPoints)]
    assert [plain_text(p.inlines) for p in points[0].points] == ["First point.",
                                                                 "Second point."]
    assert warnings == []
    # Pandoc's "Abstract" title and the date line are read as what they are.
    assert_every_paragraph_kept(docx, document, {"Abstract", "3 June 2022"})


def test_a_german_pandoc_paper_keeps_its_key_points_and_numbering(pandoc_folder: Path) -> None:
    docx = pandoc_docx("pandoc-german", pandoc_folder)
    document, warnings = imported(docx, pandoc_folder / "german")
    assert document.meta.language == "de-DE"
    (points,) = [b for b in document.blocks if isinstance(b, KeyPoints)]
    assert points.points[0].headline == "Der See schrumpft."
    (numbers,) = [d for p in points.points for d in p.details if isinstance(d, ListBlock)]
    assert numbers.ordered and numbers.start == 3
    assert warnings == []
    assert_every_paragraph_kept(docx, document, {"2022-06-03"})


def test_a_brief_saved_again_by_libreoffice_imports_to_the_same_paper(tmp_path: Path) -> None:
    """LibreOffice rewrites every part (its own styles, numbering and relationships): the
    import still finds the same paper in it."""
    soffice = require_tool("soffice")
    source = FIXTURES / "rich.md"
    outcomes = build([source], Options(out_dir=tmp_path / "built", formats=("docx",),
                                       cwd=ROOT))
    assert not any(o.failed for o in outcomes)
    saved = tmp_path / "saved"
    result = subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
         "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(saved),
         str(tmp_path / "built" / "rich.docx")], capture_output=True, text=True, timeout=240,
        check=False)
    assert result.returncode == 0, result.stderr
    document, warnings = imported(saved / "rich.docx", tmp_path / "project")
    original = read_source(source)
    # LibreOffice joins the keywords with spaces, so where one ends is lost (docs/import.md).
    assert document.meta.keywords == (" ".join(original.meta.keywords),)
    document = dataclasses.replace(document, meta=dataclasses.replace(
        document.meta, keywords=original.meta.keywords))
    assert content(document) == content(original)
    assert warnings == []
