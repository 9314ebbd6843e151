"""Helpers for the Word brief's tests: render a paper, read its paragraphs and raw parts."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx

from kzreport.layout import Layout
from kzreport.model import Document
from kzreport.renderers import renderers


def render(document: Document, layout: Layout, folder: Path) -> Path:
    path = folder / f"{document.stem}.docx"
    assert renderers()["docx"].render(document, layout, path) == []
    return path


def body_texts(path: Path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs]


def part(path: Path, name: str) -> str:
    with zipfile.ZipFile(path) as package:
        return package.read(name).decode("utf-8")
