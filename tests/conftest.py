"""Shared test helpers: paths to fixtures, the default layout, and real-client tool checks."""

from __future__ import annotations

import os
import posixpath
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from kzreport.layout import Layout, load_layout
from kzreport.model import Document
from kzreport.source import read_source

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
    message = f"{name} is not installed (apt-get install poppler-utils qpdf libreoffice-nogui)"
    if os.environ.get("KZREPORT_REQUIRE_TOOLS") == "1":
        pytest.fail(message + " and KZREPORT_REQUIRE_TOOLS=1 requires it")
    pytest.skip(message)


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
