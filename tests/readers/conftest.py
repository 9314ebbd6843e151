"""The rich paper built once in every format, and the test deck's paper (it has a marking) as a
PDF and a deck, for the readers to read back."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES
from kzreport.build import Options, build

#: Every hyperlink of the rich paper: two in the body, two further-reading links.
RICH_LINKS = frozenset({"https://www.gov.kz/memleket/entities/mfa?lang=en",
                        "https://example.org/detail",
                        "https://example.org/kz/paper?id=42&lang=kk",
                        "mailto:analysts@example.org"})


@pytest.fixture(scope="session")
def rich_outputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding rich.docx, rich.pdf and rich.pptx, freshly built."""
    project = tmp_path_factory.mktemp("readers")
    shutil.copy(FIXTURES / "rich.md", project)
    shutil.copytree(FIXTURES / "images", project / "images")
    outcomes = build([project / "rich.md"], Options(out_dir=project / "out",
                                                    formats=("docx", "pdf", "pptx"), cwd=project))
    assert not any(o.failed for o in outcomes), [str(p) for o in outcomes for p in o.problems]
    return project / "out"


@pytest.fixture(scope="session")
def deck_outputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding pptx-deck.pdf and pptx-deck.pptx, freshly built."""
    project = tmp_path_factory.mktemp("readers-deck")
    outcomes = build([FIXTURES / "pptx-deck.md"], Options(out_dir=project,
                                                          formats=("pdf", "pptx"), cwd=project))
    assert not any(o.failed for o in outcomes), [str(p) for o in outcomes for p in o.problems]
    return project
