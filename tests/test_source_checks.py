"""Tests of kzreport.source_checks: which links are allowed, and how many problems are shown."""

from __future__ import annotations

from pathlib import Path

import pytest

from kzreport.source_checks import MAX_PROBLEMS, url_problem
from source_helpers import (
    FRONT,
    KEY_POINTS,
    problems_of,
    write,
)


@pytest.mark.parametrize("url", [
    "https://example.org/", "http://example.org/a?b=c#d", "mailto:a@example.org",
    "HTTPS://EXAMPLE.ORG/", "https://kk.wikipedia.org/wiki/Қазақстан",
])
def test_allowed_urls(url: str) -> None:
    assert url_problem(url) is None


@pytest.mark.parametrize(("url", "says"), [
    ("javascript:alert(1)", "'javascript:' link"),
    ("JavaScript:alert(1)", "'javascript:' link"),
    ("vbscript:x", "'vbscript:' link"),
    ("file:///etc/passwd", "'file:' link"),
    ("data:text/html,x", "'data:' link"),
    ("ftp://example.org/", "'ftp:' link"),
    ("paper.html", "relative link"),
    ("//example.org/x", "relative link"),
    ("#section", "relative link"),
    ("https://", "has no host"),
    ("http:///x", "has no host"),
    ("mailto:someone", "not an e-mail address"),
    ("https://example.org/a b", "contains spaces"),
    ("http://[::1", "not a valid URL"),
    ("", "has no address"),
])
def test_refused_urls(url: str, says: str) -> None:
    problem = url_problem(url)
    assert problem is not None and says in problem[0]


def test_problem_count_is_bounded(tmp_path: Path) -> None:
    body = "\n" + "".join(f"# Heading {n}\n\n" for n in range(30)) + KEY_POINTS
    problems = problems_of(write(tmp_path, FRONT + body))
    assert len(problems) == MAX_PROBLEMS + 1
    assert "10 more problems not shown" in str(problems[-1])
    assert problems[-1].line == 8 + 2 * MAX_PROBLEMS
