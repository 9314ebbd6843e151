"""Shared test helpers: paths to fixtures, the default layout, real-client tool checks and the
Office schema check."""

from __future__ import annotations

import functools
import importlib.machinery
import importlib.util
import os
import posixpath
import re
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Mapping
from dataclasses import fields, is_dataclass, replace
from pathlib import Path
from types import ModuleType
from typing import Any, NoReturn

import pytest
from hypothesis import settings

from kzreport.layout import Layout
from kzreport.layout_loader import load_layout
from kzreport.model import Citation, Document, Inline, merge_spans
from kzreport.source import read_source

# The suite's prepared templates go to a cache of its own (every worker and subprocess the
# tests start inherits it), not to the user's: the tests make many throwaway layouts.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="kzreport-tests-cache-")

# Hypothesis draws new examples every run, in CI too: the property tests find real bugs (the
# Markdown writer's) and the same examples every run would stop finding new ones, so the 'ci'
# profile Hypothesis loads when it detects CI keeps its settings but not derandomize. A failure
# prints its falsifying example (a drawn paper's text, ready for a regression test) and, with
# print_blob, a @reproduce_failure line that replays it exactly. (Re-registering the active
# profile reloads it.)
settings.register_profile("default", settings.get_profile("default"), print_blob=True)
settings.register_profile("ci", settings.get_profile("ci"), derandomize=False, print_blob=True)

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED = ROOT / "source" / "kazakhstan-position.md"
CHART = FIXTURES / "pdf-chart.png"


def require_tool(name: str) -> str:
    """The path of command ``name``; skip the test when it is missing, unless
    ``KZREPORT_REQUIRE_TOOLS=1`` (as in CI), where a missing tool fails the test."""
    found = shutil.which(name)
    if found:
        return found
    _missing(f"{name} is not installed (apt-get install poppler-utils qpdf libreoffice-nogui)")


def _missing(message: str) -> NoReturn:
    """Skip the test for want of a tool, or fail it when ``KZREPORT_REQUIRE_TOOLS=1``."""
    if tools_required():
        pytest.fail(message + " and KZREPORT_REQUIRE_TOOLS=1 requires it")
    pytest.skip(message)


def tools_required() -> bool:
    """Whether a missing tool fails the tests instead of skipping them (as in CI)."""
    return os.environ.get("KZREPORT_REQUIRE_TOOLS") == "1"


#: The environment variable that names the Office schema validator script.
VALIDATOR_VARIABLE = "KZREPORT_OOXML_VALIDATE"
#: Where the validator sits in the ``shared/`` folder beside (or above) the checkout.
VALIDATOR_IN_SHARED = Path("shared", "tools", "ooxml-validate")


def find_ooxml_validator(start: Path = ROOT,
                         environ: Mapping[str, str] = os.environ) -> Path | None:
    """The ECMA-376 validator script: ``$KZREPORT_OOXML_VALIDATE`` when set, else the first
    ``shared/tools/ooxml-validate`` in ``start`` or a folder above it (CI copies ``shared/``
    beside the clone; a git worktree sits deeper below it)."""
    if configured := environ.get(VALIDATOR_VARIABLE):
        return Path(configured)
    return next((script for folder in (start, *start.parents)
                 if (script := folder / VALIDATOR_IN_SHARED).is_file()), None)


class OoxmlValidator:
    """The validator script imported into this process once, so each schema is compiled once
    for the whole session instead of once per file."""

    def __init__(self, script: Path) -> None:
        loader = importlib.machinery.SourceFileLoader("ooxml_validate", str(script))
        spec = importlib.util.spec_from_loader(loader.name, loader)
        assert spec is not None
        self.module: ModuleType = importlib.util.module_from_spec(spec)
        loader.exec_module(self.module)
        self.known_namespaces: set[str] = self.module.known_namespaces()

    def problems(self, path: Path) -> list[str]:
        """Every schema problem of the package at ``path``, each as the validator names it:
        ``file:part:line: message``."""
        return [str(problem) for problem in self.module.validate(path, self.known_namespaces)]


@functools.cache
def _load_ooxml_validator(script: Path) -> OoxmlValidator:
    if not script.is_file():  # named by the variable: a mistake, never a reason to skip
        pytest.fail(f"{VALIDATOR_VARIABLE}={script}: no such file")
    return OoxmlValidator(script)


def ooxml_validator() -> OoxmlValidator | None:
    """The loaded validator, or None when it is missing; with ``KZREPORT_REQUIRE_TOOLS=1`` a
    missing validator fails the test."""
    script = find_ooxml_validator()
    if script is not None:
        return _load_ooxml_validator(script)
    if tools_required():
        _missing(_VALIDATOR_MISSING)
    return None


def require_ooxml_validator() -> OoxmlValidator:
    """The loaded validator; skip the test when it is missing (fail with
    ``KZREPORT_REQUIRE_TOOLS=1``)."""
    return ooxml_validator() or _missing(_VALIDATOR_MISSING)


_VALIDATOR_MISSING = (f"the Office schema validator is missing: no {VALIDATOR_IN_SHARED} in "
                      f"{ROOT} or a folder above it, and {VALIDATOR_VARIABLE} is not set")


def assert_valid_ooxml(path: Path) -> None:
    """Fail unless the .docx or .pptx at ``path`` is valid against the ECMA-376 schemas, naming
    every problem's part and line. Without the validator this checks nothing (the schema tests
    report the skip) so that a build fixture calling it does not skip every test that uses it;
    with ``KZREPORT_REQUIRE_TOOLS=1`` a missing validator fails."""
    validator = ooxml_validator()
    if validator is None:
        return
    problems = validator.problems(path)
    assert not problems, f"{path} is not valid Office Open XML:\n  " + "\n  ".join(problems)


def write_source(folder: Path, front_matter: str, body: str, name: str = "paper") -> Path:
    """A source file in ``folder``, with the chart beside it for papers that show it."""
    shutil.copy(CHART, folder / CHART.name)
    path = folder / f"{name}.md"
    path.write_text(f"---\n{front_matter.strip()}\n---\n\n{body.strip()}\n", encoding="utf-8")
    return path


def libreoffice_to_pdf(path: Path, out_dir: Path) -> Path:
    """Convert a docx or pptx with LibreOffice; fail the test if it cannot open the file."""
    soffice = require_tool("soffice")
    profile = out_dir / "lo-profile"
    result = subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(out_dir), str(path)],
        capture_output=True, text=True, timeout=240, check=False,
    )
    pdf = out_dir / (path.stem + ".pdf")
    assert result.returncode == 0 and pdf.is_file(), f"LibreOffice failed: {result.stderr}"
    return pdf


def package_parts(path: Path) -> list[str]:
    """Every part of the package at ``path``, after checking that each internal relationship
    targets a part the package has and each content type override names one."""
    with zipfile.ZipFile(path) as package:
        names = package.namelist()
        for rels in (n for n in names if n.endswith(".rels")):
            folder = rels.rsplit("_rels/", 1)[0]
            for target in re.findall(r'<Relationship [^>]*?Target="([^"]+)"(?![^>]*External)',
                                     package.read(rels).decode("utf-8")):
                resolved = (target.lstrip("/") if target.startswith("/")
                            else posixpath.normpath(posixpath.join(folder, target)))
                assert resolved in names, (rels, target)
        types = package.read("[Content_Types].xml").decode("utf-8")
        for override in re.findall(r'PartName="/([^"]+)"', types):
            assert override in names, override
        extensions = {name.rsplit(".", 1)[-1].lower() for name in names}
        for default in re.findall(r'Extension="([^"]+)"', types):
            assert default.lower() in extensions, default
    return names


@pytest.fixture(scope="session")
def layout() -> Layout:
    """The built-in default layout."""
    return load_layout("default", ROOT)


@pytest.fixture(scope="session")
def seed() -> Document:
    """The example paper."""
    return read_source(SEED)


@pytest.fixture(scope="session")
def rich() -> Document:
    """A paper using every construct, with Kazakh Cyrillic in every field."""
    return read_source(FIXTURES / "rich.md")


def as_printed(document: Document) -> Document:
    """``document`` as its outputs print it, which is what the writer writes of a paper that
    cites: the citations' formatted text and notes, without their markers or bibliography."""
    def unmarked(value: Any) -> Any:
        if isinstance(value, tuple):
            items = [unmarked(v) for v in value if not isinstance(v, Citation)]
            if not all(isinstance(item, Inline) for item in items):
                return tuple(items)
            return tuple(merge_spans(items))
        if is_dataclass(value) and not isinstance(value, type):
            return replace(value, **{f.name: unmarked(getattr(value, f.name))
                                     for f in fields(value) if f.name != "meta"})
        return value

    meta = replace(document.meta, bibliography=(), csl=None, references=())
    printed: Document = unmarked(document)
    return replace(printed, meta=meta, sources=())


