"""A paper's bibliography: CSL YAML entries as CSL JSON, and styles that cannot be used."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kzreport.bibliography import csl_item, item_problem
from kzreport.errors import SourceError
from kzreport.source import read_source


def test_csl_yaml_entries_become_csl_json() -> None:
    assert csl_item({"id": 7, "type": "book", "issued": dt.date(2021, 5, 4), "volume": 3,
                     "accessed": "2024-01", "author": "World Bank",
                     "editor": [{"family": "Ng"}, "UN"]}) == {
        "id": "7", "type": "book", "issued": {"date-parts": [[2021, 5, 4]]}, "volume": "3",
        "accessed": {"date-parts": [[2024, 1]]}, "author": [{"literal": "World Bank"}],
        "editor": [{"family": "Ng"}, {"literal": "UN"}]}
    assert csl_item({"id": "a", "issued": "spring 2020"})["issued"] == {"literal": "spring 2020"}


@pytest.mark.parametrize(("item", "message"), [
    ("text", "a bibliography entry must be a mapping"),
    ({"type": "book"}, "a bibliography entry has no 'id'"),
    ({"id": " "}, "a bibliography entry has no 'id'"),
    ({"id": "a", "type": ["book"]}, "entry 'a': 'type' must be text"),
])
def test_entries_that_cannot_be_cited(item: object, message: str) -> None:
    problem = item_problem(item)
    assert problem is not None and problem[0] == message


@pytest.mark.parametrize(("style", "message"), [
    ("<style/>", "'s.csl' is not a CSL style"),
    ("<style", "citation style 's.csl' is not valid XML"),
    ('<style xmlns="http://purl.org/net/xbiblio/csl" class="note"><info/></style>',
     "'s.csl' is a dependent CSL style (it only names another)"),
])
def test_a_style_that_cannot_be_used_is_an_error_at_csl(tmp_path: Path, style: str,
                                                         message: str) -> None:
    (tmp_path / "s.csl").write_text(style, encoding="utf-8")
    path = tmp_path / "p.md"
    path.write_text("---\ntitle: T\nauthors: [A]\ndate: 2024-01-02\ncsl: s.csl\nreferences:\n"
                    "  - id: a\n---\n\nText [@a].\n\n## Key Points\n\n- P.\n", encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        read_source(path)
    (problem,) = caught.value.problems
    assert (problem.line, problem.message[:len(message)]) == (5, message)


def _paper(folder: Path, front: str, body: str) -> Path:
    path = folder / "paper.md"
    path.write_text("---\ntitle: T\nauthors:\n  - A\ndate: 2024-01-02\nlanguage: en-US\n"
                    f"{front}---\n\n{body}\n\n## Key Points\n\n- A point.\n", encoding="utf-8")
    return path


BIB = """@book{whole,
  author = {Cooley, Alexander},
  title = {Great Games},
  year = 2012,
}

@misc{empty,
}

@book{untitled,
  author = {Cooley, Alexander},
  year = {2012},
}

@report{undated,
  institution = {World Bank},
  title = {Kazakhstan Economic Update},
}

@misc{uncited,
}
"""


def test_a_cited_bibtex_entry_without_title_or_date_is_a_warning_at_its_line(
        tmp_path: Path) -> None:
    (tmp_path / "refs.bib").write_text(BIB, encoding="utf-8")
    path = _paper(tmp_path, "bibliography: refs.bib\n",
                  "See [@whole; @empty]. Again [@empty]. Then [@untitled] and @undated.")
    document = read_source(path)  # the paper still builds
    bib = tmp_path / "refs.bib"
    assert [str(w) for w in document.warnings] == [
        f"{bib}:7: warning: bibliography entry 'empty' has no author or editor, no title and "
        "no date: it prints without them ('n.d.' for the date) — add author = {…} (or editor), "
        "title = {…} and year = {…} (or date) to the entry",
        f"{bib}:10: warning: bibliography entry 'untitled' has no title: it prints without "
        "it — add title = {…} to the entry",
        f"{bib}:15: warning: bibliography entry 'undated' has no date: it prints without it "
        "('n.d.' for the date) — add year = {…} (or date) to the entry"]
    assert len(document.sources) == 4


def test_thin_csl_json_and_yaml_entries_are_warnings_too(tmp_path: Path) -> None:
    (tmp_path / "refs.json").write_text(
        '[\n  {"id": "whole", "type": "book", "title": "T", "author": [{"family": "F"}],\n'
        '   "issued": {"date-parts": [[2020]]}},\n'
        '  {"id": "bare", "type": "book",\n   "note": ""},\n'
        '  {"id": "soon", "type": "book", "title": "Soon", "issued": {"literal": "forthcoming"}}'
        "\n]\n", encoding="utf-8")
    (tmp_path / "refs.yaml").write_text(
        "references:\n- id: edited\n  type: book\n  editor: Kurosawa\n"
        "- id: old\n  type: book\n  title: Old\n", encoding="utf-8")
    path = _paper(tmp_path, "bibliography:\n  - refs.json\n  - refs.yaml\nreferences:\n"
                  "  - id: inline\n    type: book\n    title: Inline\n",
                  "Cited [@whole; @bare; @soon; @edited; @old; @inline].")
    warnings = [str(w) for w in read_source(path).warnings]
    assert warnings == [
        f"{tmp_path / 'refs.json'}:4: warning: bibliography entry 'bare' has no author or "
        "editor, no title and no date: it prints without them ('n.d.' for the date) — add "
        '"author" (or "editor"), "title" and "issued" to the entry',
        f"{tmp_path / 'refs.yaml'}:2: warning: bibliography entry 'edited' has no title and no "
        "date: it prints without them ('n.d.' for the date) — add title: and issued: to the "
        "entry",
        f"{tmp_path / 'refs.yaml'}:5: warning: bibliography entry 'old' has no date: it prints "
        "without it ('n.d.' for the date) — add issued: to the entry",
        f"{path}:10: warning: bibliography entry 'inline' has no date: it prints without it "
        "('n.d.' for the date) — add issued: to the entry"]
