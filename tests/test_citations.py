"""Citations in a paper: Pandoc's syntax, the bibliography's keys, notes and author-date styles,
the Sources list, and every problem located."""

from __future__ import annotations

import builtins
import json
from pathlib import Path
from typing import Any

import pytest

from conftest import FIXTURES
from kzreport.citations import CiteItem, find_citations
from kzreport.errors import SourceError
from kzreport.model import Citation, FootnoteRef, Paragraph, Span, plain_text, walk
from kzreport.source import parse_source, read_source

REFS = FIXTURES / "citations"


def paper(folder: Path, body: str, front: str = "bibliography: refs.json\n") -> Path:
    """A paper in ``folder`` citing the fixture's sources (copied beside it)."""
    for name in ("refs.json", "refs.bib"):
        (folder / name).write_text((REFS / name).read_text(encoding="utf-8"), encoding="utf-8")
    path = folder / "paper.md"
    path.write_text("---\ntitle: T\nauthors:\n  - A\ndate: 2024-01-02\nlanguage: en-US\n"
                    f"{front}---\n\n{body}\n\n## Key Points\n\n- A point.\n", encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(SourceError) as caught:
        read_source(path)
    return [str(p) for p in caught.value.problems]


def paragraphs(path: Path) -> list[Paragraph]:
    return [b for b in walk(read_source(path).blocks) if isinstance(b, Paragraph)]


# ---------------------------------------------------------------- syntax


def test_pandoc_citation_syntax() -> None:
    text = ("As [see @a, p. 12; -@b, ch. 3 and more] and @c [pp. 3-5] show; "
            "me@example.com @{odd key} [@d, and passim] [not @ a citation]")
    found = find_citations(text)
    assert [(f.narrative, f.items) for f in found] == [
        (False, (CiteItem("a", "see ", "", "page", "12"),
                 CiteItem("b", "", " and more", "chapter", "3", suppress_author=True))),
        (True, (CiteItem("c", label="page", locator="3-5"),)),
        (True, (CiteItem("odd key"),)),
        (False, (CiteItem("d", suffix=", and passim"),)),
    ]
    assert text[found[1].start:found[1].end] == "@c [pp. 3-5]"


def test_locator_labels_as_russian_and_german_papers_write_them() -> None:
    found = find_citations("[@a, с. 35] [@b, гл. 2] [@c, S. 12-14] [@d, Bd. 3] [@e, № 7]")
    assert [(f.items[0].label, f.items[0].locator, f.items[0].suffix) for f in found] == [
        ("page", "35", ""), ("chapter", "2", ""), ("page", "12-14", ""), ("volume", "3", ""),
        ("number", "7", "")]


def test_keys_end_before_trailing_punctuation() -> None:
    assert [f.items[0].key for f in find_citations("By @smith:2004.a. Then @x_1, @y-2;")] == [
        "smith:2004.a", "x_1", "y-2"]


# ---------------------------------------------------------------- the notes style


def test_notes_style_citations_are_footnotes_numbered_with_the_papers_own() -> None:
    document = read_source(FIXTURES / "citations.md")
    first = next(b for b in walk(document.blocks) if isinstance(b, Paragraph))
    refs = [i.number for i in first.inlines if isinstance(i, FootnoteRef)]
    assert refs == [1, 2, 3, 4]
    assert [i.keys for i in first.inlines if isinstance(i, Citation)] == [
        ("cooley2012",), ("laruelle2018", "eia2023"), ("cooley2012",), ("tokayev2022",)]
    # The reference follows the punctuation the citation stood before, as Pandoc puts it.
    assert plain_text(first.inlines).startswith("Kazakhstan balances its neighbours. Its")
    # A narrative citation names the author in the text, the note holds the citation.
    assert "As Alexander Cooley argues" in plain_text(first.inlines)
    notes = {n.number: plain_text(n.paragraphs[0].inlines) for n in document.footnotes}
    assert notes[1] == ("Alexander Cooley, Great Games, Local Rules: The New Great Power "
                        "Contest in Central Asia (New York: Oxford University Press, 2012), 12.")
    assert notes[2].startswith("See Marlène Laruelle and Sébastien Peyrouse,")
    assert "chap. 3" in notes[2]
    assert notes[3].startswith("Cooley, Great Games")  # the short form, cited before
    # The hand-written note keeps its place among the citations' notes; a citation inside
    # it is printed in it, not in a note of its own.
    assert notes[5].startswith("A note by the author, numbered with the citations Cooley,")
    assert len(document.footnotes) == 7


def test_sources_are_the_entries_cited_in_the_styles_order_with_links() -> None:
    document = read_source(FIXTURES / "citations.md")
    assert [s.key for s in document.sources] == ["cooley2012", "laruelle2018", "tokayev2022",
                                                 "eia2023"]
    hrefs = [span.href for s in document.sources for span in s.inlines
             if isinstance(span, Span) and span.href]
    assert hrefs == ["https://doi.org/10.1080/02634937.2018.1440069",
                     "https://www.eia.gov/international/analysis/country/KAZ"]
    # The bibliography files are inputs of the build: a change to one rebuilds the outputs.
    assert {REFS / "refs.bib", REFS / "refs.json"} <= {p.resolve() for p in document.assets}


# ---------------------------------------------------------------- the author-date style


def test_author_date_citations_are_printed_in_place() -> None:
    document = read_source(FIXTURES / "citations-author-date.md")
    first = next(b for b in walk(document.blocks) if isinstance(b, Paragraph))
    text = plain_text(first.inlines)
    assert "neighbours (Cooley 2012, 12). Its policy" in text
    assert "(see Laruelle and Peyrouse 2018, chap. 3; U.S. Energy Information " \
           "Administration 2023)" in text
    assert "As Cooley (2012, 14) argues" in text  # narrative: the author in the text
    assert "himself (2022)." in text  # [-@key]: the author suppressed
    assert "me@example.com" in text  # an address is no citation
    assert not any(isinstance(i, FootnoteRef) for i in first.inlines)
    assert [n.number for n in document.footnotes] == [1]  # only the hand-written one


def test_a_shipped_style_file_given_by_path(tmp_path: Path) -> None:
    style = (Path(__file__).parents[1] / "src/kzreport/csl/chicago-author-date.csl")
    (tmp_path / "my.csl").write_text(style.read_text(encoding="utf-8"), encoding="utf-8")
    path = paper(tmp_path, "Cited [@eia2023].", "bibliography: refs.json\ncsl: my.csl\n")
    document = read_source(path)
    assert "Cited (U.S. Energy Information Administration 2023)." in plain_text(
        paragraphs(path)[0].inlines)
    assert (tmp_path / "my.csl") in document.assets


def test_inline_references_and_yaml_dates(tmp_path: Path) -> None:
    path = paper(tmp_path, "Said [@x].", "csl: chicago-author-date\nreferences:\n"
                 "  - id: x\n    type: book\n    title: A Book\n    author: [World Bank]\n"
                 "    issued: 2021-05-04\n")
    assert "Said (World Bank 2021)." in plain_text(paragraphs(path)[0].inlines)
    assert plain_text(read_source(path).sources[0].inlines).startswith("World Bank. 2021.")


# ---------------------------------------------------------------- problems


def test_an_unknown_key_is_located_and_the_nearest_suggested(tmp_path: Path) -> None:
    path = paper(tmp_path, "Text\nand [see @eia2032, p. 3].")
    assert problems(path) == [f"{path}:11:10: error: unknown citation key 'eia2032' — did you "
                              "mean 'eia2023'?"]


def test_citing_without_a_bibliography(tmp_path: Path) -> None:
    path = paper(tmp_path, "Cited [@a]. Follow @kzgov online.", front="")
    assert problems(path) == [f"{path}:9:8: error: citation of 'a' but the paper has no "
                              "bibliography — add 'bibliography: refs.bib' (or .json) to the "
                              "front matter"]
    fine = paper(tmp_path, "Follow @kzgov online, or write \\@x.", front="")
    warnings = [str(w) for w in read_source(fine).warnings]
    assert warnings == [f"{fine}:9:8: warning: '@kzgov' looks like a citation but the paper "
                        "has no bibliography; it prints as is — add 'bibliography: FILE' to the "
                        "front matter, or write \\@kzgov"]


def test_a_missing_bibliography_is_an_error_on_its_front_matter_line(tmp_path: Path) -> None:
    path = paper(tmp_path, "Cited [@a].", "bibliography:\n  - refs.json\n  - gone.bib\n")
    assert problems(path) == [f"{path}:7: error: bibliography file 'gone.bib' does not exist "
                              "— give its path relative to the paper's folder"]


@pytest.mark.parametrize(("name", "text", "where", "message"), [
    ("bad.bib", "@book{a,\n  title = {x\n", 1, "invalid BibTeX: entry 'a' is never closed"),
    ("bad.json", '[\n  {"id": "a",\n   "type": "book",,}\n]', 3, "invalid CSL JSON: Expecting"),
    ("bad.yaml", "- id: a\n  title: [x\n", 3, "invalid YAML"),
    ("bad.json", '[{"type": "book"}]', 1, "a bibliography entry has no 'id'"),
])
def test_a_bibliography_that_does_not_parse_names_its_file_and_line(
        tmp_path: Path, name: str, text: str, where: int, message: str) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")
    path = paper(tmp_path, "Cited [@a].", f"bibliography: {name}\n")
    found = problems(path)
    assert len(found) == 1
    assert found[0].startswith(f"{tmp_path / name}:{where}: error: {message}"), found


def test_an_unknown_style(tmp_path: Path) -> None:
    path = paper(tmp_path, "Cited [@eia2023].", "bibliography: refs.json\ncsl: apa\n")
    assert problems(path) == [f"{path}:8: error: citation style 'apa' does not exist — give "
                              "its path relative to the paper's folder, or name a shipped "
                              "style: chicago-note-bibliography, chicago-author-date"]


def test_without_citeproc_one_located_error_says_how_to_install(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = builtins.__import__

    def no_citeproc(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.startswith("citeproc") or name == "kzreport.citeproc_format":
            raise ImportError(name)
        return real(name, *args, **kwargs)

    monkeypatch.delitem(__import__("sys").modules, "kzreport.citeproc_format", raising=False)
    monkeypatch.setattr(builtins, "__import__", no_citeproc)
    path = paper(tmp_path, "Cited [@eia2023] twice [@eia2023].")
    assert problems(path) == [f"{path}:10:8: error: citations need citeproc-py, which is not "
                              "installed — install it with: pip install 'kzreport[citations]'"]


def test_a_paper_without_citations_never_loads_citeproc(tmp_path: Path) -> None:
    import subprocess
    import sys
    code = ("import sys; from pathlib import Path; from kzreport.source import read_source; "
            f"read_source(Path({str(FIXTURES / 'rich.md')!r})); "
            "print(json.dumps(sorted(m for m in sys.modules if m.startswith('citeproc'))))")
    out = subprocess.run([sys.executable, "-c", "import json; " + code], capture_output=True,
                         text=True, check=True).stdout
    assert json.loads(out) == []


def test_parse_source_keeps_citations_unchecked_when_the_front_matter_fails(
        tmp_path: Path) -> None:
    text = ("---\ntitle: T\nauthors: A\ndate: 2024-01-02\n---\n\nCited [@a].\n\n"
            "## Key Points\n\n- A point.\n")
    with pytest.raises(SourceError) as caught:
        parse_source(text, tmp_path / "p.md")
    assert [p.message for p in caught.value.problems] == [
        "authors must be a list, not a single text"]


def test_an_entry_citeproc_cannot_read_is_a_located_error(tmp_path: Path) -> None:
    (tmp_path / "odd.json").write_text(json.dumps([{"id": "a", "type": "book", "title": "T",
                                                    "author": [{"family": 5}]}]),
                                       encoding="utf-8")
    path = paper(tmp_path, "Text [@a].", "bibliography: odd.json\n")
    found = problems(path)
    assert found[0].startswith(f"{path}:10:7: error: citation of 'a' could not be formatted: ")
    assert "check the entry's fields in the bibliography" in found[0]


def test_a_list_of_sources_citeproc_cannot_sort_is_a_problem(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kzreport.citeproc_format import Formatter

    def broken(self: Formatter) -> None:
        raise ValueError("cannot sort")

    monkeypatch.setattr(Formatter, "sources", broken)
    path = paper(tmp_path, "Text [@eia2023].")
    assert problems(path) == [f"{path}: error: the list of sources could not be formatted: "
                              "cannot sort — check the cited entries' fields in the bibliography"]
