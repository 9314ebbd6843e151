"""Comparing two papers' content as a round trip must keep it: lines and paths aside."""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

from kzreport.model import Blocks, Document, Footnote, Metadata


def comparable(value: object) -> object:
    """``value`` (model objects, nested) as plain data without source lines or footnote labels
    (a brief numbers its notes; their labels stay in the source), each image path replaced by
    the digest of the file's bytes, so that a moved image compares equal."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__, tuple(
            (f.name, comparable(getattr(value, f.name))) for f in dataclasses.fields(value)
            if f.name != "line" and not (isinstance(value, Footnote) and f.name == "label")))
    if isinstance(value, tuple | list):
        return tuple(comparable(v) for v in value)
    if isinstance(value, Path):
        try:
            return "sha256:" + hashlib.sha256(value.read_bytes()).hexdigest()
        except OSError:
            return str(value)
    return value


def content(document: Document) -> tuple[object, object, object]:
    """The metadata, blocks and footnotes of ``document`` in comparable form."""
    return comparable(document.meta), comparable(document.blocks), \
        comparable(document.footnotes)


def differences(expected: tuple[Metadata, Blocks, tuple[Footnote, ...]],
                got: Document) -> list[str]:
    """Where ``got`` differs from ``expected``: each metadata field by name, each top-level
    block by its position, the footnotes (empty when they are the same)."""
    meta, blocks, footnotes = expected
    out = [f"'{f.name}'" for f in dataclasses.fields(meta)
           if comparable(getattr(meta, f.name)) != comparable(getattr(got.meta, f.name))]
    if comparable(footnotes) != comparable(got.footnotes):
        out.append("the footnotes")
    mine, theirs = comparable(blocks), comparable(got.blocks)
    assert isinstance(mine, tuple) and isinstance(theirs, tuple)
    for n, (a, b) in enumerate(zip(mine, theirs, strict=False), 1):
        if a != b:
            out.append(f"block {n}")
    if len(mine) != len(theirs):
        out.append(f"{len(mine)} blocks written, {len(theirs)} read back")
    return out
