"""The build manifest: what each output was built from, to tell current outputs from stale ones."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
from pathlib import Path

from kzreport import __version__
from kzreport.atomic import publish, temp_beside
from kzreport.layout import FACE_FIELDS, Layout
from kzreport.model import Document

MANIFEST_NAME = ".kzreport-manifest.json"
MANIFEST_VERSION = 1

#: The manifest's entries by output file name.
Manifest = dict[str, dict[str, object]]


def sha256_of(path: Path) -> str:
    """The hex sha256 of the file at ``path`` (remembered while its size and mtime stay)."""
    stat = path.stat()
    return _sha256_cached(path, stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=512)
def _sha256_cached(path: Path, size: int, mtime_ns: int) -> str:
    # Fonts and layout files are shared by every output of a batch: hash each once.
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def input_files(document: Document, layout: Layout) -> list[Path]:
    """Every file an output of ``document`` depends on: source, images, layout files, fonts."""
    fonts = [family.face(*style) for family in (layout.fonts.body, layout.fonts.heading,
                                                layout.fonts.mono) for style in FACE_FIELDS]
    files = [document.source, *document.assets, *layout.files, *layout.assets, *fonts]
    return sorted({Path(os.path.abspath(f)) for f in files})


def input_digest(document: Document, layout: Layout, format_name: str,
                 source_sha256: str | None = None) -> dict[str, object]:
    """What an output was built from; an output is current while this stays the same.

    Inputs are named by file name and content, not by absolute path, so a project checked out
    or restored from a CI cache in another folder keeps its outputs current. The source is
    read before this is worked out: ``source_sha256``, its hash taken before it was read,
    keeps a source saved in between (``watch``) from passing for the one that was read.
    """
    source = Path(os.path.abspath(document.source))
    return {
        "format": format_name,
        "kzreport": __version__,
        "source_date_epoch": os.environ.get("SOURCE_DATE_EPOCH", ""),
        "inputs": sorted([p.name, source_sha256 if source_sha256 is not None and p == source
                          else sha256_of(p)] for p in input_files(document, layout)),
    }


def load_manifest(out_dir: Path) -> Manifest:
    """The manifest's entries by output file name; empty when missing or unreadable."""
    try:
        data = json.loads((out_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != MANIFEST_VERSION:
        return {}
    outputs = data.get("outputs")
    return outputs if isinstance(outputs, dict) else {}


def save_manifest(out_dir: Path, entries: Manifest) -> None:
    """Write the manifest atomically, like every other output."""
    text = json.dumps({"version": MANIFEST_VERSION, "outputs": dict(sorted(entries.items()))},
                      indent=2, ensure_ascii=False) + "\n"
    temp = temp_beside(out_dir / MANIFEST_NAME)
    try:
        temp.write_text(text, encoding="utf-8")
        publish(temp, out_dir / MANIFEST_NAME)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()


def is_current(target: Path, entry: dict[str, object] | None, digest: dict[str, object]) -> str:
    """``current``, ``missing`` or ``stale`` for ``target`` against its manifest entry."""
    if not target.is_file():
        return "missing"
    if entry is None or entry.get("built_from") != digest:
        return "stale"
    return "current" if entry.get("sha256") == sha256_of(target) else "stale"
