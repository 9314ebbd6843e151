"""Atomic outputs: written to a temporary file beside the target, then renamed over it at once."""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from kzreport.errors import KzreportError, Problem

#: Temporary outputs start with this, so that a cleanup never touches anyone else's files.
TEMP_PREFIX = ".kzreport-"


def write_problem(folder: Path, exc: OSError) -> Problem:
    """The problem of an output that could not be written into ``folder``."""
    return Problem(folder, None, f"cannot write output: {exc.strerror or exc}",
                   "check free space, file size limits and permissions of the output folder")


def temp_beside(target: Path) -> Path:
    """A fresh temporary file in ``target``'s folder, so the final rename is atomic."""
    try:
        handle, name = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{target.name}.", suffix=".tmp",
                                        dir=target.parent)
    except OSError as exc:
        raise KzreportError([write_problem(target.parent, exc)]) from None
    os.close(handle)
    return Path(name)


def publish(temp: Path, target: Path) -> None:
    """Give ``temp`` ordinary permissions and rename it over ``target`` in one step."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(temp, 0o666 & ~umask)
    os.replace(temp, target)


def stamps(paths: Sequence[Path]) -> list[tuple[int, int] | None]:
    """Each file's inode and modification time (None when missing or unreadable): a file
    published over another has a new inode, so two calls tell which were replaced (what the
    watch's tests and benchmark wait for)."""
    found: list[tuple[int, int] | None] = []
    for path in paths:
        try:
            status = path.stat()
        except OSError:
            found.append(None)
        else:
            found.append((status.st_ino, status.st_mtime_ns))
    return found


def remove_stale_temps(folder: Path) -> None:
    """Delete temporary files left by a build that was killed (only kzreport's own, and only
    old ones: a concurrent build into the same folder may still be writing fresh ones)."""
    for leftover in folder.glob(f"{TEMP_PREFIX}*.tmp"):
        with contextlib.suppress(OSError):
            if time.time() - leftover.stat().st_mtime > 60:
                leftover.unlink()
