"""The renderers' shared helpers: the per-process template cache and its file digests."""

from __future__ import annotations

import os
from functools import partial
from pathlib import Path

from kzreport.renderers._common import TemplateCache, file_digest


def test_a_template_is_built_once_per_key() -> None:
    cache: TemplateCache[bytes] = TemplateCache()
    built: list[str] = []

    def build(name: str) -> bytes:
        built.append(name)
        return name.encode()

    assert cache.get(("a", 1), lambda: build("a")) == b"a"
    assert cache.get(("a", 1), lambda: build("again")) == b"a"
    # Keys are compared by equality, not identity: a layout unpickled in a worker is equal.
    assert cache.get(("a", int("1")), lambda: build("again")) == b"a"
    assert cache.get(("b", 1), lambda: build("b")) == b"b"
    assert built == ["a", "b"]


def test_the_least_recently_used_template_is_dropped() -> None:
    cache: TemplateCache[str] = TemplateCache(size=2)
    built: list[str] = []

    def build(name: str) -> str:
        built.append(name)
        return name

    for name in ("a", "b", "a", "c", "a", "b"):
        cache.get(name, partial(build, name))
    # "b" was the least recently used when "c" came, so it had to be built again.
    assert built == ["a", "b", "c", "b"]


def test_a_file_digest_changes_with_the_content_alone(tmp_path: Path) -> None:
    path = tmp_path / "reference.docx"
    path.write_bytes(b"one")
    first = file_digest(path)
    path.write_bytes(b"two")
    os.utime(path, ns=(1, 1))
    second = file_digest(path)
    os.utime(path, ns=(2, 2))
    assert first != second == file_digest(path)
    assert file_digest(None) is None
    assert file_digest(tmp_path / "missing.docx") is None
