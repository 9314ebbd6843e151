"""Prepared templates kept between runs in the user's own cache folder, or shipped in the wheel."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import struct
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from kzreport import __version__

#: Every entry starts with this, then the sha256 of the rest (the body): 4-byte length of the
#: JSON header, the header (the entry's full key and its data), then the package's bytes.
MAGIC = b"KZTEMPL1"
#: Entries kept; the oldest written go first. A prepared template is 20 to 40 KB.
MOST_ENTRIES = 64
#: Entries prepared when the wheel was built (``hatch_build.py``, ``_prepared_ahead``): a
#: user's first run finds them. Read-only, part of the installed package like its code, and
#: checked like any entry (a checkout has none).
SHIPPED = Path(__file__).resolve().parent.parent / "prepared"


def cache_folder() -> Path | None:
    """``$XDG_CACHE_HOME/kzreport/templates`` (else ``~/.cache/...``, on Windows
    ``%LOCALAPPDATA%``): this user's, made private (0700) when new. None (no caching) when
    there is no home, or when the folder is not this user's own or others may write to it: a
    prepared template is only ever read from a folder no one else controls."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        base = os.environ.get("LOCALAPPDATA", "") if sys.platform == "win32" else ""
        if not base:
            try:
                base = str(Path.home() / ".cache")
            except RuntimeError:  # no home folder
                return None
    folder = Path(base) / "kzreport" / "templates"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        status = folder.stat()
    except OSError:
        return None
    if hasattr(os, "getuid") and (status.st_uid != os.getuid() or status.st_mode & 0o022):
        return None
    return folder


@functools.cache
def code_digest() -> str:
    """The sha256 of kzreport's own modules: a template prepared by other code (an upgrade,
    an edited checkout whose version number stayed) is never taken for this code's.

    Reading every module costs a worker about 7 ms, a tenth of its Word or PowerPoint output,
    so the digest is remembered in the user's cache beside the modules' names, sizes and
    modification times, and taken again while those are the same: the rule Python's own
    bytecode cache trusts a compiled module by."""
    package = Path(__file__).resolve().parent.parent
    modules = sorted(_modules(package))
    signature = hashlib.sha256(repr((__version__, modules)).encode()).hexdigest()
    folder = cache_folder()
    memo = None if folder is None else folder / f"code-{_short(str(package))}.memo"
    with contextlib.suppress(OSError, ValueError):
        if memo is not None:
            kept_signature, kept_digest = memo.read_text(encoding="ascii").split()
            if kept_signature == signature and len(kept_digest) == 64:
                int(kept_digest, 16)  # hexadecimal, or ValueError: made again
                return kept_digest
    digest = hashlib.sha256(__version__.encode())
    for name, _size, _mtime in modules:
        digest.update(name.encode() + b"\0")
        digest.update((package / name).read_bytes())
    if memo is not None:
        _write_whole(memo, f"{signature} {digest.hexdigest()}\n".encode("ascii"))
    return digest.hexdigest()


def _modules(folder: Path, prefix: str = "") -> list[tuple[str, int, int]]:
    """Every ``.py`` file under ``folder``: its path from there, size and modification time
    (``os.scandir``, a third of what ``Path.rglob`` and ``stat`` take)."""
    found = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                found.extend(_modules(Path(entry.path), f"{prefix}{entry.name}/"))
            elif entry.name.endswith(".py"):
                status = entry.stat()
                found.append((prefix + entry.name, status.st_size, status.st_mtime_ns))
    return found


def entry_key(kind: str, key: object, libraries: dict[str, str]) -> str:
    """The full key of an entry: its kind, what it was prepared from (the ``repr`` of the
    in-process cache's key: the layout's every setting, the language, the template file's
    digest), the versions of the libraries that wrote it, Python's, and kzreport's code.
    The folders of the built-in layouts and of the package are named, not spelled out, so
    that a wheel's entries, prepared in its source tree, have the installed package's keys
    (the code digest stands for what is in them)."""
    from kzreport.layout_loader import builtin_folder

    described = repr(key).replace(repr(str(builtin_folder()))[1:-1], "<built-in layouts>")
    described = described.replace(repr(str(Path(__file__).resolve().parent.parent))[1:-1],
                                  "<kzreport>")
    return json.dumps({"kind": kind, "key": described, "libraries": libraries,
                       "python": sys.version, "kzreport": code_digest()}, sort_keys=True)


def load(full_key: str) -> tuple[dict[str, Any], bytes] | None:
    """The data and package bytes stored under ``full_key``, shipped with the package or in
    the user's cache; None when there is no entry, or it is damaged, truncated or another
    key's (it is then simply prepared again)."""
    found = _entry(SHIPPED, full_key)
    if found is None:
        folder = cache_folder()
        found = None if folder is None else _entry(folder, full_key)
    return found


def _entry(folder: Path, full_key: str) -> tuple[dict[str, Any], bytes] | None:
    try:
        raw = (folder / _file_name(full_key)).read_bytes()
    except OSError:
        return None
    body = raw[len(MAGIC) + 32:]
    if raw[:len(MAGIC)] != MAGIC or hashlib.sha256(body).digest() != raw[len(MAGIC):][:32]:
        return None
    try:
        (length,) = struct.unpack_from("<L", body)
        header = json.loads(body[4:4 + length])
    except (struct.error, ValueError):
        return None
    if not isinstance(header, dict) or header.get("key") != full_key:
        return None
    data = header.get("data")
    return (data, body[4 + length:]) if isinstance(data, dict) else None


def store(full_key: str, data: dict[str, Any], package: bytes) -> None:
    """Keep ``package`` and its JSON-ready ``data`` under ``full_key``, written whole or not
    at all (builds running at the same time may each write it; the last rename wins). A
    cache that cannot be written only costs the next run the preparing."""
    folder = cache_folder()
    if folder is None:
        return
    header = json.dumps({"key": full_key, "data": data}, sort_keys=True).encode()
    body = struct.pack("<L", len(header)) + header + package
    _write_whole(folder / _file_name(full_key), MAGIC + hashlib.sha256(body).digest() + body)
    _forget_oldest(folder)


def _write_whole(path: Path, data: bytes) -> None:
    """Write ``path`` whole or not at all (builds running at the same time may each write it;
    the last rename wins); a cache that cannot be written only costs a later run the work."""
    with contextlib.suppress(OSError):
        handle, temp = tempfile.mkstemp(prefix=".entry-", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(data)
            os.replace(temp, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp)


def _short(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:40]


def _file_name(full_key: str) -> str:
    return _short(full_key) + ".kzt"


def _forget_oldest(folder: Path) -> None:
    """Delete the entries written longest ago beyond ``MOST_ENTRIES``, and what a run killed
    while writing one left (an hour old: another may be writing it now)."""
    entries = []
    for path in folder.glob("*.kzt"):
        with contextlib.suppress(OSError):
            entries.append((path.stat().st_mtime_ns, path))
    for path in folder.glob(".entry-*.tmp"):
        with contextlib.suppress(OSError):
            if time.time() - path.stat().st_mtime > 3600:
                path.unlink()
    for _, path in sorted(entries, reverse=True)[MOST_ENTRIES:]:
        with contextlib.suppress(OSError):
            path.unlink()
