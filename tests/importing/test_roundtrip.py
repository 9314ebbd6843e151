"""The proven round trip: build a paper's brief, import the brief, and the imported source has
the same document model as the original (every fixture on every built-in layout, and generated
papers); the outputs built from the imported source pass ``verify`` against the original."""

from __future__ import annotations

import dataclasses
import shutil
import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from PIL import Image

from conftest import FIXTURES, SEED, as_printed
from kzreport.build import Options, build
from kzreport.errors import SourceError
from kzreport.importing import import_paper
from kzreport.importing.found import tidy
from kzreport.importing.markdown import write_source
from kzreport.importing.roundtrip import content
from kzreport.model import (
    Alignment,
    Author,
    Block,
    Blocks,
    CodeBlock,
    Definition,
    DefinitionList,
    Document,
    Figure,
    Footnote,
    FootnoteRef,
    Heading,
    Inline,
    KeyPoint,
    KeyPoints,
    LineBreak,
    Link,
    ListBlock,
    ListItem,
    Metadata,
    PageBreak,
    Paragraph,
    Quote,
    Rule,
    Script,
    Span,
    Table,
    source_line,
    walk,
)
from kzreport.source import parse_source, read_source
from kzreport.verify import verify

# crossrefs.md is left out: its cross-references, contents and acronym list come back as
# their text (docs/import.md).
PAPERS = [*sorted(p for p in FIXTURES.glob("*.md") if p.name != "crossrefs.md"), SEED]


def round_trip(source: Path, work: Path, layout: str, formats: tuple[str, ...] = ("docx",)
               ) -> tuple[Document, Path]:
    """Build ``source``'s brief with ``layout``, import it; the imported paper (its layout key
    cleared: the import writes the one it was given) and its folder."""
    project = work / "project"
    project.mkdir()
    outcomes = build([source], Options(out_dir=work / "built", formats=("docx",), layout=layout,
                                       cwd=project))
    assert not any(o.failed for o in outcomes), [str(p) for o in outcomes for p in o.problems]
    imported = project / "source" / source.name
    warnings = import_paper(work / "built" / f"{source.stem}.docx", imported, layout, project)
    assert not [w for w in warnings if "reads back differently" in w.message], warnings
    document = read_source(imported)
    assert document.meta.layout == layout
    return dataclasses.replace(document, meta=dataclasses.replace(document.meta, layout=None)), \
        imported


def as_the_brief_carries(document: Document) -> Document:
    """``document`` without what its brief cannot carry back (docs/import.md): citations, as
    it prints their formatted text and the Sources section (a heading and paragraphs); column
    widths, which the brief cannot tell from content-fitted ones."""
    if document.sources:
        printed = as_printed(document)
        line = source_line(document)
        sources: Blocks = (Heading(2, (Span("Sources"),), line, "sources"),
                           *(Paragraph(source.inlines, line) for source in document.sources))
        document = dataclasses.replace(printed, blocks=(*printed.blocks, *sources))

    def unwidth(block: Block) -> Block:
        return dataclasses.replace(block, widths=()) if isinstance(block, Table) else block

    blocks = tuple(unwidth(b) if not isinstance(b, KeyPoints) else dataclasses.replace(
        b, points=tuple(dataclasses.replace(p, details=tuple(unwidth(d) for d in p.details))
                        for p in b.points)) for b in document.blocks)
    return dataclasses.replace(document, blocks=blocks)


@pytest.mark.parametrize("layout", ["default", "briefing"])
@pytest.mark.parametrize("source", PAPERS, ids=lambda p: p.name)
def test_build_import_gives_the_same_paper(source: Path, layout: str, tmp_path: Path) -> None:
    imported, _ = round_trip(source, tmp_path, layout)
    original = as_the_brief_carries(read_source(source))
    assert content(imported) == content(original)
    # Footnote labels come back too (an inline note has none, and comes back numbered).
    assert [(n.number, n.label) for n in imported.footnotes if n.label and
            original.footnotes[n.number - 1].label] == [
        (n.number, n.label) for n in original.footnotes if n.label]


def test_only_citations_and_widths_are_taken_out_of_the_comparison() -> None:
    """The exclusions change only the fixtures that cite or give column widths."""
    for path in PAPERS:
        document = read_source(path)
        widths = any(isinstance(b, Table) and b.widths for b in walk(document.blocks))
        assert (content(as_the_brief_carries(document)) != content(document)) == (
            widths or bool(document.sources))


@pytest.mark.parametrize("source", [FIXTURES / "rich.md", FIXTURES / "pandoc-constructs.md",
                                    FIXTURES / "deck-visuals.md", FIXTURES / "charts.md", SEED],
                         ids=lambda p: p.name)
def test_outputs_built_from_the_import_verify_against_the_original(source: Path,
                                                                   tmp_path: Path) -> None:
    _, imported = round_trip(source, tmp_path, "default")
    again = tmp_path / "again"
    outcomes = build([imported], Options(out_dir=again, formats=("docx", "pdf", "pptx"),
                                         cwd=imported.parent))
    assert not any(o.failed for o in outcomes)
    report = verify([source], again, (), None, tmp_path)
    assert not report.failed, [str(p) for p in report.problems]


# ---------------------------------------------------------------- generated papers

WORDS = st.text(string.ascii_letters + string.digits + "ҚқӘәІіҮүҰұӨө’—«»()/.,;:!?-", min_size=1,
                max_size=12)
URLS = st.sampled_from(["https://example.org/a", "https://example.org/q?x=1&y=(2)",
                        "mailto:a@example.org", "http://example.kz/қазақ"])


#: Links to the generated papers' headings (``papers`` names its sections so).
TARGETS = st.sampled_from(["#section-0", "#section-1", "#sub", "#key-points"])


@st.composite
def inlines(draw: st.DrawFn, breaks: bool = True, notes: bool = True) -> tuple[Inline, ...]:
    out: list[Inline] = []
    for _ in range(draw(st.integers(1, 6))):
        if breaks and out and draw(st.integers(0, 9)) == 0:
            out.append(LineBreak())
        if notes and draw(st.integers(0, 7)) == 0:
            out.append(FootnoteRef(draw(st.integers(1, 3))))  # one of numbered_notes' three
        words = " ".join(draw(st.lists(WORDS, min_size=1, max_size=4)))
        code = draw(st.integers(0, 5)) == 0
        script: Script = None if code else draw(st.sampled_from([None] * 6 + ["sub", "super"]))
        if script is not None:
            words = words.replace(" ", "")
        bold, italic, strike = draw(st.booleans()), draw(st.booleans()), \
            draw(st.integers(0, 5)) == 0
        # A space between spans is plain: the weight of a space does not show in Word, and
        # Markdown cannot always write it (docs/import.md).
        out.append(Span(words, bold, italic, code, href := draw(st.none() | URLS | TARGETS),
                        strike, script))
        if draw(st.booleans()):
            out.append(Span(" ", href=href))
    return tidy(out) or (Span("text"),)


def numbered_notes(body: tuple[Block, ...], draw: st.DrawFn) -> tuple[tuple[Block, ...],
                                                                        tuple[Footnote, ...]]:
    """``body`` with its references numbered in reading order, each a note of its own (one or
    two paragraphs, as Word's footnotes in the brief)."""
    from kzreport.importing.references import numbered

    notes = [Footnote(n, "", tuple(Paragraph(draw(inlines(notes=False)), 1)
                                   for _ in range(draw(st.integers(1, 2)))), 1)
             for n in range(1, 4)]
    return numbered(body, notes)


@st.composite
def blocks(draw: st.DrawFn, depth: int, image: Path) -> list[Block]:
    """Blocks as a brief can hold them: tables, figures and rules at the top level, quotes of
    paragraphs, headings that do not skip a level."""
    out: list[Block] = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.integers(0, 9 if depth == 0 else 3))
        if kind <= 1:
            out.append(Paragraph(draw(inlines()), 1))
        elif kind == 2 and depth < 3:
            items = tuple(ListItem(tuple(draw(blocks(depth + 1, image))), 1)
                          for _ in range(draw(st.integers(1, 3))))
            ordered = draw(st.booleans())
            out.append(ListBlock(ordered, items, 1, draw(st.integers(0, 20)) if ordered else 1))
        elif kind == 3:
            out.append(CodeBlock(draw(st.text(string.printable.strip() + " \n", max_size=40)
                                      ).strip("\n"), 1))
        elif kind == 4:
            out.append(Quote(tuple(Paragraph(draw(inlines()), 1)
                                   for _ in range(draw(st.integers(1, 2)))), 1))
        elif kind == 5:
            width = draw(st.integers(1, 3))
            header = tuple(tuple(Span(s.text, False, s.italic, s.code, s.href)
                                 for s in draw(inlines(False)) if isinstance(s, Span))
                           for _ in range(width))
            rows = tuple(tuple(draw(inlines(False)) for _ in range(width))
                         for _ in range(draw(st.integers(0, 3))))
            aligns: tuple[Alignment, ...] = tuple(
                draw(st.sampled_from([None, "left", "center", "right"])) for _ in range(width))
            out.append(Table(header, rows, aligns, 1))
        elif kind == 6:
            out.append(Figure(image, draw(WORDS), draw(st.sampled_from(["", "A caption"])), 1))
        elif kind == 7:
            out.append(Rule(1))
        elif kind == 8 and depth == 0:
            out.append(PageBreak(1))
        elif kind == 9 and depth == 0:
            # A brief writes a term bold and each definition's paragraphs indented alike, so
            # one definition of paragraphs per term (docs/import.md).
            out.append(DefinitionList(tuple(Definition(
                tuple(dataclasses.replace(s, bold=False) for s in draw(inlines(False))
                      if isinstance(s, Span)) or (Span("term"),),
                (tuple(Paragraph(draw(inlines()), 1)
                       for _ in range(draw(st.integers(1, 2)))),), 1)
                for _ in range(draw(st.integers(1, 2)))), 1))
        else:
            out.append(Paragraph(draw(inlines()), 1))
    # A quote right after a quote would join it in the brief, a rule or table closes a list
    return [b for n, b in enumerate(out) if not (isinstance(b, Quote) and n and
                                                  isinstance(out[n - 1], Quote))]


@st.composite
def papers(draw: st.DrawFn, image: Path) -> tuple[Metadata, tuple[Block, ...],
                                                 tuple[Footnote, ...]]:
    text = st.text(string.ascii_letters + "Қә ’—:", min_size=1, max_size=30).map(
        lambda t: " ".join(t.split()) or "T")
    meta = Metadata(
        title=draw(text), authors=tuple(Author(draw(text), draw(st.none() | text))
                                        for _ in range(draw(st.integers(1, 2)))),
        date=draw(st.dates()), subtitle=draw(st.none() | text),
        organization=draw(st.none() | text), summary=draw(st.none() | text),
        links=tuple(Link(draw(text), draw(URLS)) for _ in range(draw(st.integers(0, 2)))),
        disclaimer=draw(st.none() | text), marking=draw(st.sampled_from([None, "CUI", "SECRET"])),
        language=draw(st.sampled_from(["en-US", "kk-KZ", "ru"])),
        keywords=tuple(draw(st.lists(st.sampled_from(["a", "Қазақстан", "b c"]), max_size=2,
                                     unique=True))))
    body: list[Block] = []
    for section in range(draw(st.integers(0, 2))):
        body.append(Heading(2, (Span(f"Section {section}"),), 1, f"section-{section}"))
        if draw(st.booleans()):
            body.append(Heading(3, (Span("Sub"),), 1, "sub"))
        body += draw(blocks(0, image))
    # (bold text right after a headline would join it in the brief: docs/import.md)
    points = tuple(KeyPoint(draw(st.none() | text), draw(inlines().filter(
        lambda i: not (isinstance(i[0], Span) and i[0].bold))),
                            tuple(draw(st.sampled_from([[], [Paragraph((Span("detail"),), 1)]]))),
                            1) for _ in range(draw(st.integers(1, 3))))
    at = draw(st.integers(0, len(body)))
    while at < len(body) and (heading := body[at]) and isinstance(heading, Heading) \
            and heading.level == 3:
        at += 1  # a subsection goes on under its section, not under the Key Points
    body.insert(at, KeyPoints("Key Points", points, 1, "key-points"))
    numbered_body, notes = numbered_notes(tuple(body), draw)
    return meta, numbered_body, notes


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_generated_papers_round_trip(data: st.DataObject, tmp_path_factory: pytest.TempPathFactory
                                     ) -> None:
    work = tmp_path_factory.mktemp("generated")
    (work / "images").mkdir()
    image = work / "images" / "dot.png"
    Image.new("RGB", (4, 3), (20, 40, 200)).save(image)
    meta, body, notes = data.draw(papers(image))
    source = work / "paper.md"
    source.write_text(write_source(meta, body, work, notes), encoding="utf-8")
    try:  # (a link to a section the paper does not have is refused: not a paper to test)
        original = parse_source(source.read_text(encoding="utf-8"), source)
    except SourceError:
        assume(False)
        raise
    # Formatting that Markdown itself cannot write back (a generated oddity such as bold
    # spaces at a link's end) is the writer's limit, reported by the import; test_markdown
    # holds the writer to every paper the parser accepts.
    rewritten = parse_source(write_source(original.meta, original.blocks, work,
                                          original.footnotes), source)
    assume(content(rewritten) == content(original))
    imported, _ = round_trip(source, work, "default")
    assert content(imported) == content(original), source.read_text(encoding="utf-8")
    shutil.rmtree(work)


@pytest.mark.parametrize("point", [
    # The smallest generated failures (seed 3): a text that opens with a note's reference
    # and then closing punctuation, or has no more, was printed without the space after the
    # headline, and the reference read back as the headline's.
    "- **Head** [^1]: text.",
    "- **Head** [^1]",
    # A note in the headline and one in the text: the import numbered the text's first.
    "- **Head**[^1] text[^2].",
    "- **Head**[^1] [^2]: text.",
    "- **Head [^1] more** [^2] text.",
])
def test_notes_in_and_after_a_headline_round_trip(point: str, tmp_path: Path) -> None:
    """A footnote reference right after a key point's bold headline is the headline's, one
    after the space is the text's: the brief keeps the two apart and the import reads each
    back where it was, its notes in reading order, the headline's first."""
    source = tmp_path / "paper.md"
    source.write_text("---\ntitle: T\nauthors:\n- A\ndate: 2020-01-01\n---\n\n"
                      f"## Key Points\n\n{point}\n\n## Findings\n\nText.\n\n"
                      "[^1]: A note.\n\n[^2]: B note.\n", encoding="utf-8")
    original = read_source(source)
    imported, _ = round_trip(source, tmp_path, "default")
    assert content(imported) == content(original)
