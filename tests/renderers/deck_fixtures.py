"""The decks the deck tests share, each rendered once per session (a pytest plugin: test
modules name it in ``pytest_plugins``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from deck_checks import render
from pptx import Presentation

from conftest import FIXTURES, assert_valid_ooxml
from kzreport.errors import Problem
from kzreport.layout import Layout
from kzreport.model import Document
from kzreport.source import read_source


@pytest.fixture(scope="session")
def deck_doc() -> Document:
    return read_source(FIXTURES / "pptx-deck.md")


@pytest.fixture(scope="session")
def deck_file(deck_doc: Document, layout: Layout,
              tmp_path_factory: pytest.TempPathFactory) -> Path:
    path, problems = render(deck_doc, layout, tmp_path_factory.mktemp("deck"))
    assert problems == []
    assert_valid_ooxml(path)
    return path


@pytest.fixture(scope="session")
def deck(deck_file: Path) -> Any:
    return Presentation(str(deck_file))


@pytest.fixture(scope="session")
def seed_deck(seed: Document, layout: Layout, tmp_path_factory: pytest.TempPathFactory) -> Any:
    path, problems = render(seed, layout, tmp_path_factory.mktemp("seed"))
    assert problems == []
    assert_valid_ooxml(path)
    return Presentation(str(path))


@pytest.fixture(scope="session")
def overflow(layout: Layout, tmp_path_factory: pytest.TempPathFactory,
             ) -> tuple[Document, Path, list[Problem]]:
    document = read_source(FIXTURES / "pptx-overflow.md")
    path, problems = render(document, layout, tmp_path_factory.mktemp("overflow"))
    return document, path, problems
