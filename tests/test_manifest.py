"""The manifest: what each output was built from, saved atomically, and read back forgivingly."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, SEED
from kzreport import __version__
from kzreport.layout import Layout
from kzreport.manifest import (
    MANIFEST_NAME,
    MANIFEST_VERSION,
    input_digest,
    input_files,
    is_current,
    load_manifest,
    save_manifest,
    sha256_of,
)
from kzreport.model import Document
from kzreport.source import read_source


def test_a_file_is_hashed_again_once_it_changes(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"one")
    assert sha256_of(path) == hashlib.sha256(b"one").hexdigest()
    path.write_bytes(b"three")  # another size, so a cached digest would be wrong
    assert sha256_of(path) == hashlib.sha256(b"three").hexdigest()


def test_the_inputs_are_the_source_its_images_the_layout_files_and_every_font_face(
        rich: Document, layout: Layout) -> None:
    files = input_files(rich, layout)
    assert files == sorted(set(files)) and all(f.is_absolute() for f in files)
    names = {f.name for f in files}
    assert {"rich.md", "chart.png", "layout.toml"} <= names
    faces = {family.regular.name for family in (layout.fonts.body, layout.fonts.heading,
                                                layout.fonts.mono)}
    assert faces <= names and "Carlito-Regular.ttf" in names


def test_the_digest_names_inputs_by_file_name_and_content(
        seed: Document, layout: Layout, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    digest = input_digest(seed, layout, "pdf")
    assert {key: digest[key] for key in ("format", "kzreport", "source_date_epoch")} == {
        "format": "pdf", "kzreport": __version__, "source_date_epoch": "1700000000"}
    assert [SEED.name, sha256_of(SEED)] in digest["inputs"]  # type: ignore[operator]
    assert input_digest(seed, layout, "docx") != digest
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert input_digest(seed, layout, "pdf")["source_date_epoch"] == ""


def test_a_saved_manifest_is_read_back_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    entries: dict[str, dict[str, object]] = {"b.pdf": {"sha256": "2"}, "a.docx": {"sha256": "1"}}
    save_manifest(tmp_path, entries)
    assert load_manifest(tmp_path) == entries
    saved = json.loads((tmp_path / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert saved["version"] == MANIFEST_VERSION and list(saved["outputs"]) == ["a.docx", "b.pdf"]
    assert [p.name for p in tmp_path.iterdir()] == [MANIFEST_NAME]
    assert (tmp_path / MANIFEST_NAME).stat().st_mode & 0o777 == 0o666 & ~_umask()


@pytest.mark.parametrize("text", [None, "not json", "[]", '{"version": 0, "outputs": {}}',
                                  f'{{"version": {MANIFEST_VERSION}, "outputs": []}}'])
def test_a_manifest_missing_unreadable_or_of_another_version_is_empty(
        tmp_path: Path, text: str | None) -> None:
    if text is not None:
        (tmp_path / MANIFEST_NAME).write_text(text, encoding="utf-8")
    assert load_manifest(tmp_path) == {}


def test_an_output_is_current_only_when_built_from_the_same_inputs_and_unchanged(
        tmp_path: Path) -> None:
    target = tmp_path / "x.docx"
    digest: dict[str, object] = {"format": "docx", "inputs": [["x.md", "1"]]}
    assert is_current(target, None, digest) == "missing"
    target.write_bytes(b"built")
    entry: dict[str, object] = {"sha256": sha256_of(target), "built_from": digest}
    assert is_current(target, entry, digest) == "current"
    assert is_current(target, None, digest) == "stale"
    assert is_current(target, entry, {**digest, "inputs": [["x.md", "2"]]}) == "stale"
    target.write_bytes(b"edited by hand")
    assert is_current(target, entry, digest) == "stale"


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


def test_a_papers_bibliography_and_style_files_are_inputs(layout: Layout,
                                                           tmp_path: Path) -> None:
    names = {f.name for f in input_files(read_source(FIXTURES / "citations.md"), layout)}
    assert {"citations.md", "refs.bib", "refs.json"} <= names
    shutil.copytree(FIXTURES / "citations", tmp_path / "citations")
    (tmp_path / "mine.csl").write_bytes(
        (Path(__file__).parents[1] / "src/kzreport/csl/chicago-author-date.csl").read_bytes())
    paper = tmp_path / "paper.md"
    paper.write_text((FIXTURES / "citations.md").read_text(encoding="utf-8").replace(
        "date: 2024-05-01\n", "date: 2024-05-01\ncsl: mine.csl\n"), encoding="utf-8")
    before = input_digest(read_source(paper), layout, "pdf")
    assert "mine.csl" in {f.name for f in input_files(read_source(paper), layout)}
    with (tmp_path / "citations/refs.bib").open("a", encoding="utf-8") as bib:
        bib.write("\n@misc{unused, title = {Not cited}}\n")
    assert input_digest(read_source(paper), layout, "pdf") != before
