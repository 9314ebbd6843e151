"""The code itself: mypy (strict) and ruff must be clean, as the contributing rules demand."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent))
    if found is None:
        pytest.skip(f"{name} is not installed in this environment (pip install '.[test]')")
    return found


def test_mypy_strict_is_clean() -> None:
    result = subprocess.run([_tool("mypy")], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout


def test_ruff_is_clean() -> None:
    result = subprocess.run([_tool("ruff"), "check", "src", "tests"], cwd=ROOT,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout


#: Modules may grow to about this many lines before they want cutting by concern.
MOST_LINES = 600
SOURCES = sorted((ROOT / "src" / "kzreport").rglob("*.py"))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_module_says_what_it_holds_in_one_line_and_stays_readable(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    first = text.splitlines()[0] if text else ""
    assert first.startswith('"""') and first.endswith('"""') and len(first) > 6, \
        "the module docstring is one line"
    assert text.count("\n") <= MOST_LINES, f"over {MOST_LINES} lines: cut it by concern"
