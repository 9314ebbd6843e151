"""Prepared templates kept between runs: kept whole, found only under their full key, never
from a damaged entry or a folder others control, and the same outputs from them."""

from __future__ import annotations

import dataclasses
import hashlib
import multiprocessing
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import SEED
from kzreport.layout import Layout
from kzreport.renderers import _stored_templates as stored


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh user cache; the folder entries go to."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "kzreport" / "templates"


def key(layout: Layout, **versions: str) -> str:
    return stored.entry_key("brief", (layout, "en-US", None), versions or {"python-docx": "1"})


def test_an_entry_comes_back_as_stored_in_a_private_folder(cache: Path, layout: Layout) -> None:
    stored.store(key(layout), {"lists": ["1", "2"]}, b"PK package")
    assert stored.load(key(layout)) == ({"lists": ["1", "2"]}, b"PK package")
    assert cache.stat().st_mode & 0o777 == 0o700
    # no temporary file left (the code digest's memo may be there, see below)
    assert [path.suffix for path in cache.iterdir() if path.suffix != ".memo"] == [".kzt"]


def test_the_key_holds_every_setting_the_language_the_template_and_the_versions(
        layout: Layout, monkeypatch: pytest.MonkeyPatch) -> None:
    other_colors = dataclasses.replace(layout.colors, primary="123456")
    keys = {
        key(layout),
        key(dataclasses.replace(layout, colors=other_colors)),
        key(dataclasses.replace(layout, page=dataclasses.replace(layout.page, width=500.0))),
        stored.entry_key("brief", (layout, "kk-KZ", None), {"python-docx": "1"}),
        stored.entry_key("brief", (layout, "en-US", "digest of a reference.docx"),
                         {"python-docx": "1"}),
        stored.entry_key("deck", (layout, "en-US", None), {"python-docx": "1"}),
        key(layout, **{"python-docx": "2"}),
    }
    monkeypatch.setattr(stored, "code_digest", lambda: "other code")
    keys.add(key(layout))
    assert len(keys) == 8


def test_every_layout_setting_is_in_the_key() -> None:
    # The key holds the layout's repr: a setting left out of it would let two layouts share
    # a prepared template.
    import kzreport.layout as module

    classes = [value for value in vars(module).values()
               if isinstance(value, type) and dataclasses.is_dataclass(value)]
    assert Layout in classes
    for cls in classes:
        for field in dataclasses.fields(cls):
            assert field.repr, f"{cls.__name__}.{field.name} is left out of repr()"


def _package_copy(tmp_path: Path) -> tuple[Path, Callable[[], str]]:
    """A copy of kzreport's package, and a function that asks a new process for its code
    digest (with a user cache of its own)."""
    copy = tmp_path / "kzreport"
    shutil.copytree(Path(stored.__file__).resolve().parents[1], copy,
                    ignore=shutil.ignore_patterns("__pycache__"))

    def digest() -> str:
        return subprocess.run(
            [sys.executable, "-c", "from kzreport.renderers._stored_templates import "
             "code_digest; print(code_digest())"],
            env=dict(os.environ, PYTHONPATH=str(tmp_path), XDG_CACHE_HOME=str(tmp_path / "c")),
            cwd=tmp_path, check=True, capture_output=True, text=True).stdout.strip()

    return copy, digest


def test_the_code_digest_changes_with_any_edit_of_kzreport_whatever_its_version(
        tmp_path: Path) -> None:
    copy, digest = _package_copy(tmp_path)
    before = digest()
    assert before == stored.code_digest()  # the copy is this very code
    with (copy / "labels.py").open("a", encoding="utf-8") as handle:
        handle.write("# an edit\n")
    assert digest() not in (before, "")


def test_the_code_digest_is_remembered_while_no_module_changes_size_or_time(
        tmp_path: Path) -> None:
    copy, digest = _package_copy(tmp_path)
    before = digest()
    [memo] = (tmp_path / "c" / "kzreport" / "templates").glob("code-*.memo")
    signature, remembered = memo.read_text(encoding="ascii").split()
    assert remembered == before
    memo.write_text(f"{signature} {'0' * 64}\n", encoding="ascii")
    assert digest() == "0" * 64  # taken from the memo, not hashed again
    module = copy / "labels.py"
    text = module.read_text(encoding="utf-8")
    module.write_text(text.replace("every", "evary", 1), encoding="utf-8")
    assert len(module.read_bytes()) == len(text.encode())
    os.utime(module, ns=(1, 1))  # an edit of the same size: its time tells
    assert digest() not in (before, "0" * 64)
    memo.write_text("damaged", encoding="ascii")
    assert len(digest()) == 64


@pytest.mark.parametrize("damage", ["flip", "truncate", "empty", "other key", "not json"])
def test_a_damaged_or_foreign_entry_is_not_used(cache: Path, layout: Layout,
                                                damage: str) -> None:
    stored.store(key(layout), {"lists": ["1", "2"]}, b"PK package")
    [entry] = cache.iterdir()
    raw = entry.read_bytes()
    if damage == "flip":
        entry.write_bytes(raw[:-3] + bytes([raw[-3] ^ 1]) + raw[-2:])
    elif damage == "truncate":
        entry.write_bytes(raw[:-1])
    elif damage == "empty":
        entry.write_bytes(b"")
    elif damage == "other key":  # a whole, valid entry of another key under this name
        stored.store(key(layout, other="1"), {"lists": ["x", "y"]}, b"other")
        other = next(path for path in cache.iterdir() if path != entry)
        os.replace(other, entry)
    else:
        body = b"\xff\xff\x00\x00not json"
        entry.write_bytes(stored.MAGIC + hashlib.sha256(body).digest() + body)
    assert stored.load(key(layout)) is None
    stored.store(key(layout), {"lists": ["1", "2"]}, b"PK package")  # prepared again
    assert stored.load(key(layout)) == ({"lists": ["1", "2"]}, b"PK package")


def test_a_folder_others_may_write_to_or_that_is_not_the_users_is_not_used(
        cache: Path, layout: Layout, monkeypatch: pytest.MonkeyPatch) -> None:
    stored.store(key(layout), {}, b"x")
    cache.chmod(0o777)
    assert stored.cache_folder() is None and stored.load(key(layout)) is None
    cache.chmod(0o700)
    assert stored.load(key(layout)) == ({}, b"x")
    monkeypatch.setattr(os, "getuid", lambda: os.stat(cache).st_uid + 1)
    assert stored.cache_folder() is None and stored.load(key(layout)) is None


def test_without_xdg_cache_home_the_cache_is_under_the_home_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/paths/are/ignored")
    assert stored.cache_folder() == tmp_path / ".cache" / "kzreport" / "templates"


def test_the_entries_written_longest_ago_go_first(cache: Path, layout: Layout,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stored, "MOST_ENTRIES", 3)
    ages = {"0": 10, "1": 20, "2": 1, "3": 30}  # seconds since 1970: "2" is the oldest
    for number, written in ages.items():
        stored.store(key(layout, n=number), {}, b"x")
        os.utime(cache / stored._file_name(key(layout, n=number)), (written, written))
    stored.store(key(layout, n="4"), {}, b"x")  # the fifth: two must go
    assert len(list(cache.glob("*.kzt"))) == 3
    assert [number for number in "01234" if stored.load(key(layout, n=number))] == ["1", "3", "4"]


def _store_many(cache_home: str, full_key: str, number: int) -> None:
    os.environ["XDG_CACHE_HOME"] = cache_home
    for _ in range(30):
        stored.store(full_key, {"writer": number}, bytes([number]) * 50_000)


def test_builds_storing_the_same_entry_at_once_leave_a_whole_one(
        cache: Path, layout: Layout) -> None:
    writers = [multiprocessing.get_context("fork").Process(
        target=_store_many, args=(os.environ["XDG_CACHE_HOME"], key(layout), number))
        for number in range(1, 5)]
    for writer in writers:
        writer.start()
    for _ in range(50):
        found = stored.load(key(layout))
        if found is not None:
            data, package = found
            assert package == bytes([data["writer"]]) * 50_000
    for writer in writers:
        writer.join()
    assert stored.load(key(layout)) is not None
    assert [path.suffix for path in cache.iterdir()] == [".kzt"]


def test_outputs_from_a_stored_template_are_those_from_a_fresh_one(tmp_path: Path) -> None:
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"), SOURCE_DATE_EPOCH="1")
    outputs = {}
    for run in ("prepared", "stored"):
        subprocess.run([sys.executable, "-m", "kzreport", "build", str(SEED), "-o",
                        str(tmp_path / run), "-f", "docx", "-f", "pptx", "-j", "1"],
                       env=env, check=True, capture_output=True)
        outputs[run] = [(tmp_path / run / f"{SEED.stem}{suffix}").read_bytes()
                        for suffix in (".docx", ".pptx")]
    assert len(list((tmp_path / "cache" / "kzreport" / "templates").glob("*.kzt"))) == 2
    assert outputs["prepared"] == outputs["stored"]


def test_a_damaged_shipped_entry_is_not_used(tmp_path: Path, cache: Path, layout: Layout,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    stored.store(key(layout), {"lists": ["1", "2"]}, b"PK package")
    [entry] = cache.iterdir()
    shipped = tmp_path / "shipped"
    shipped.mkdir()
    raw = entry.read_bytes()
    (shipped / entry.name).write_bytes(raw[:-1] + bytes([raw[-1] ^ 1]))
    entry.unlink()
    monkeypatch.setattr(stored, "SHIPPED", shipped)
    assert stored.load(key(layout)) is None
    (shipped / entry.name).write_bytes(raw)
    assert stored.load(key(layout)) == ({"lists": ["1", "2"]}, b"PK package")


def test_the_key_names_the_built_in_layouts_and_the_package_wherever_they_are(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A wheel's entries are prepared in its source tree and read in the installed package.
    import kzreport.layout_loader as loader

    def key_of_default() -> str:
        layout = loader.load_layout("default", tmp_path).for_language("en-US")
        return stored.entry_key("brief", (layout, "en-US", None), {"python-docx": "1"})

    here = key_of_default()
    assert str(loader.builtin_folder()) not in here and "<built-in layouts>" in here
    assert str(Path(stored.__file__).resolve().parents[1]) not in here
    shutil.copytree(loader.builtin_folder(), tmp_path / "elsewhere")
    monkeypatch.setattr(loader, "builtin_folder", lambda: tmp_path / "elsewhere")
    assert key_of_default() == here
