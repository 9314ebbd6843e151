"""The model's shared walks, and the proof that every walk over its kinds is exhaustive."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kzreport.model import (
    CodeBlock,
    Figure,
    Heading,
    KeyPoint,
    KeyPoints,
    LineBreak,
    ListBlock,
    ListItem,
    Paragraph,
    Quote,
    Rule,
    Span,
    Table,
    inline_contents,
    links,
    plain_text,
    spans,
    walk,
)

SRC = Path(__file__).resolve().parents[1] / "src"


def test_spans_give_a_hard_break_as_a_newline() -> None:
    inlines = (Span("a", bold=True), LineBreak(), Span("b", href="https://x.org/"))
    assert [span.text for span in spans(inlines)] == ["a", "\n", "b"]
    assert plain_text(inlines) == "a\nb"


def test_neighbouring_spans_with_one_target_are_one_link() -> None:
    inlines = (Span("see "), Span("the ", href="https://a.org/"),
               Span("report", bold=True, href="https://a.org/"), Span(" and "),
               Span("this", href="https://b.org/"), LineBreak(), Span("too", href="https://b.org/"))
    assert links(inlines) == [("the report", "https://a.org/"), ("this", "https://b.org/"),
                              ("too", "https://b.org/")]


def test_walks_reach_every_nested_block_and_run_of_inlines() -> None:
    deep = Paragraph((Span("deep"),), 9)
    blocks = (
        Heading(2, (Span("h"),), 1),
        Quote((ListBlock(False, (ListItem((deep,), 8),), 7),), 6),
        Table(((Span("head"),),), (((Span("cell"),),),), (None,), 10),
        CodeBlock("code", 11), Rule(12), Figure(Path("f.png"), "alt", "caption", 13),
        KeyPoints("Key Points", (KeyPoint("Headline", (Span("point"),),
                                          (Paragraph((Span("detail"),), 15),), 14),), 14),
    )
    assert deep in list(walk(blocks))
    assert [(line, plain_text(inlines)) for line, inlines in inline_contents(blocks)] == [
        (1, "h"), (9, "deep"), (10, "head"), (10, "cell"), (14, "point"), (15, "detail")]


# ---------------------------------------------------------------- exhaustive by type check

#: The modules (under src/kzreport) that mypy must name when a kind is added to each union:
#: every walk over blocks (the deck walks them only for speaker notes) and over inlines. The
#: lint, verify and the glyph check read inlines through the model's one inline walk
#: (``spans``), so a new inline kind names that walk and each renderer's own.
MUST_NAME = {
    "ProbeBlock": {
        # source_checks.py names blocks in messages (moved from body.py for its line limit)
        "model.py", "source.py", "source_checks.py", "lint.py", "glyphs.py", "expectations.py",
        "renderers/docx.py", "renderers/_pdf_story.py", "renderers/_deck_notes.py",
        "importing/markdown.py",
    },
    "ProbeInline": {
        "model.py", "body.py",
        "renderers/docx.py", "renderers/_pdf_markup.py", "renderers/_deck_text.py",
        "importing/markdown.py", "importing/found.py",
    },
}

_PROBES = '''

@dataclass(frozen=True)
class ProbeBlock:
    """A block kind no walk knows yet."""

    line: int


@dataclass(frozen=True)
class ProbeInline:
    """An inline kind no walk knows yet."""

    text: str
'''


def _mypy_named_modules(tmp_path: Path) -> dict[str, set[str]]:
    """Copy the package, add a probe kind to the ``Block`` and ``Inline`` unions, type-check
    the copy strictly and return, for each probe, the modules mypy reports it in."""
    package = tmp_path / "src" / "kzreport"
    shutil.copytree(SRC / "kzreport", package,
                    ignore=shutil.ignore_patterns("__pycache__", "builtin_layouts"))
    model = package / "model.py"
    text = model.read_text(encoding="utf-8")
    inline_union = re.compile(r"^Inline = (.+)$", re.M)
    block_union = re.compile(r"^Block = (.+)$", re.M)
    assert inline_union.search(text) and block_union.search(text), "the unions moved"
    text = inline_union.sub(r"Inline = \1 | ProbeInline", text)
    text = block_union.sub(r"Block = \1 | ProbeBlock", text)
    anchor = "# ---------------------------------------------------------------- inline content\n"
    assert anchor in text
    model.write_text(text.replace(anchor, anchor + _PROBES), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-error-summary", "--show-traceback",
         "--cache-dir", str(tmp_path / "cache"), "--config-file", "",
         "--ignore-missing-imports", str(package)],
        cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False)
    named: dict[str, set[str]] = {probe: set() for probe in MUST_NAME}
    for line in result.stdout.splitlines():
        where = line.split(":", 1)[0]
        for probe in named:
            if probe in line and where.startswith("src/kzreport/"):
                named[probe].add(where.removeprefix("src/kzreport/"))
    assert result.returncode in (0, 1), result.stdout + result.stderr
    return named


@pytest.fixture(scope="module")
def named(tmp_path_factory: pytest.TempPathFactory) -> dict[str, set[str]]:
    return _mypy_named_modules(tmp_path_factory.mktemp("probe"))


@pytest.mark.parametrize("probe", sorted(MUST_NAME))
def test_a_new_kind_makes_the_type_checker_name_every_walk(
        probe: str, named: dict[str, set[str]]) -> None:
    missing = MUST_NAME[probe] - named[probe]
    assert not missing, f"mypy did not name {sorted(missing)} for {probe}: {sorted(named[probe])}"
