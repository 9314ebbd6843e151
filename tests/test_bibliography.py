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
