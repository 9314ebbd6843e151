"""Helpers for verify's end-to-end tests: the command, its error lines, and outputs edited in
one place."""

from __future__ import annotations

import re
import shutil
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from kzreport.build import Options, build
from kzreport.cli import cli

FORMATS = ("docx", "pdf", "pptx")


def built_project(folder: Path, papers: Sequence[Path], images: Path | None = None) -> Path:
    """``folder`` as a project with ``papers`` (and the ``images`` folder) under source/,
    built in every format into build/."""
    (folder / "source").mkdir()
    for paper in papers:
        shutil.copy(paper, folder / "source")
    if images is not None:
        shutil.copytree(images, folder / "source" / images.name)
    outcomes = build(sorted((folder / "source").glob("*.md")),
                     Options(out_dir=folder / "build", formats=FORMATS, cwd=folder))
    assert not any(o.failed for o in outcomes), [str(p) for o in outcomes for p in o.problems]
    return folder


def copied_project(built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh copy of the ``built`` project, as the current folder, for one test to damage."""
    copy = tmp_path / "project"
    shutil.copytree(built, copy)
    monkeypatch.chdir(copy)
    return copy


def verify(*args: str) -> Result:
    return CliRunner().invoke(cli, ["verify", *args])


def error_lines(result: Result) -> list[str]:
    lines = result.stderr.splitlines()
    assert lines, result.output
    for line in lines:
        assert re.match(r"^\S+: error: .+ — .+$", line), line
    return lines


def rewrite(package: Path, member: str, change: Callable[[str], str]) -> None:
    """Replace ``member`` of the zip ``package`` by ``change`` of its text (which must change)."""
    with zipfile.ZipFile(package) as source:
        entries = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(package, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in entries:
            if info.filename == member:
                text = data.decode("utf-8")
                changed = change(text)
                assert changed != text, f"{member} did not change"
                data = changed.encode("utf-8")
            target.writestr(info, data)


def slide_with(deck: Path, text: str) -> str:
    """The name of the one slide of ``deck`` whose XML holds ``text``."""
    with zipfile.ZipFile(deck) as package:
        names = [n for n in package.namelist()
                 if re.fullmatch(r"ppt/slides/slide\d+\.xml", n)
                 and text in package.read(n).decode("utf-8")]
    assert len(names) == 1, names
    return names[0]


def change_shape(xml: str, text: str, change: Callable[[str], str]) -> str:
    """``xml`` with ``change`` applied to the one ``p:sp`` shape holding ``text``."""
    shapes = re.findall(r"<p:sp>.*?</p:sp>", xml, flags=re.S)
    (shape,) = [s for s in shapes if text in s]
    return xml.replace(shape, change(shape))
