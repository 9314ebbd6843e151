"""Tests of kzreport.literal_syntax: text that looks like syntax kzreport does not read."""

from __future__ import annotations

import pytest

from kzreport.literal_syntax import TASK_BOX, lookalikes


@pytest.mark.parametrize(("text", "found"), [
    ("[TOC]", "[TOC]"),
    ("see $E = mc^2$ here", "$E = mc^2$"),
    ("$$x$$", "$$x$$"),
    ("text {#sec-a} more", "{#sec-a}"),
    ("a {.note} b", "{.note}"),
    ("{width=50%}", "{width=50%}"),
    ("a ==marked== word", "==marked=="),
])
def test_syntax_kzreport_does_not_read_is_found(text: str, found: str) -> None:
    assert [match for match, _, _ in lookalikes(text)] == [found]


@pytest.mark.parametrize("text", [
    "It costs $5 and $10.", "a $ b $ c", "x == y", "a = b == c = d", "{braces} in prose",
    "[TOC is short]", "2$ and 3$",
])
def test_ordinary_text_is_not_mistaken_for_syntax(text: str) -> None:
    assert list(lookalikes(text)) == []


def test_each_finding_says_what_it_looks_like_and_how_to_fix_it() -> None:
    [(_, what, fix)] = lookalikes("$x$")
    assert "math" in what and "\\$" in fix


def test_task_boxes() -> None:
    assert TASK_BOX.match("[ ] todo") and TASK_BOX.match("[x] done")
    assert not TASK_BOX.match("[link] text")
