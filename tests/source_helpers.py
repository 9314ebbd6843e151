"""Helpers for the source reader's tests: papers written to disk, and their one-line errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kzreport.errors import Problem, SourceError
from kzreport.model import Document
from kzreport.source import read_source

#: One problem, one line: ``path:line[:column]: error: what — how to fix``.
ERROR_LINE = re.compile(r"^(?P<path>.+?):(?P<line>[1-9]\d*)(?::(?P<column>[1-9]\d*))?: error: "
                        r"(?P<what>\S.*?) — (?P<how>\S.*)$")

FRONT = "---\ntitle: Kazakhstan’s Position\nauthors:\n  - Jane Doe\ndate: 2022-06-03\n---\n"
KEY_POINTS = "\n## Key Points\n\n- The one key point.\n"


def assert_error_line(problem: Problem, path: Path) -> re.Match[str]:
    """``problem`` prints as one well-formed error line about ``path``."""
    text = str(problem)
    match = ERROR_LINE.fullmatch(text)
    assert match, f"not a one-line error: {text!r}"
    assert match["path"] == str(path)
    assert int(match["line"]) == problem.line
    assert "Traceback" not in text
    return match


def problems_of(path: Path) -> tuple[Problem, ...]:
    with pytest.raises(SourceError) as info:
        read_source(path)
    problems = info.value.problems
    assert problems, "a SourceError must carry at least one problem"
    for problem in problems:
        assert_error_line(problem, path)
    return problems


def the_problem(path: Path) -> Problem:
    problems = problems_of(path)
    assert len(problems) == 1, "expected one problem, got:\n" + "\n".join(map(str, problems))
    return problems[0]


def write(folder: Path, text: str, name: str = "paper.md") -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def paper(folder: Path, body: str, front: str = FRONT) -> Document:
    """Parse a paper made of ``front`` and ``body`` written into ``folder``."""
    return read_source(write(folder, front + body))
