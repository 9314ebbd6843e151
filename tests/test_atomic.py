"""Atomic outputs: temporary files beside their targets, renamed into place, cleaned up when old."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from kzreport.atomic import TEMP_PREFIX, publish, remove_stale_temps, stamps, temp_beside
from kzreport.errors import KzreportError


def test_a_temporary_file_is_made_beside_its_target_and_renamed_over_it(tmp_path: Path) -> None:
    target = tmp_path / "brief.docx"
    target.write_bytes(b"old")
    temp = temp_beside(target)
    assert temp.parent == tmp_path and temp.name.startswith(f"{TEMP_PREFIX}brief.docx.")
    assert temp.suffix == ".tmp" and temp.stat().st_mode & 0o077 == 0  # private until published
    temp.write_bytes(b"new")
    publish(temp, target)
    assert target.read_bytes() == b"new" and not temp.exists()
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask


def test_a_folder_that_cannot_be_written_is_a_clean_error(tmp_path: Path) -> None:
    with pytest.raises(KzreportError) as raised:
        temp_beside(tmp_path / "gone" / "brief.docx")
    assert [str(p) for p in raised.value.problems] == [
        f"{tmp_path / 'gone'}: error: cannot write output: No such file or directory — check "
        "free space, file size limits and permissions of the output folder"]


def test_only_kzreports_own_old_temporary_files_are_removed(tmp_path: Path) -> None:
    old, fresh = tmp_path / f"{TEMP_PREFIX}a.docx.1.tmp", tmp_path / f"{TEMP_PREFIX}a.docx.2.tmp"
    theirs = tmp_path / ".editor-swap.tmp"
    for leftover in (old, fresh, theirs):
        leftover.write_text("left by a killed process")
    for leftover in (old, theirs):
        os.utime(leftover, (time.time() - 3600, time.time() - 3600))
    remove_stale_temps(tmp_path)
    assert not old.exists() and fresh.exists() and theirs.exists()


def test_stamps_tell_a_published_file_from_the_one_it_replaced(tmp_path: Path) -> None:
    target, missing = tmp_path / "out.pdf", tmp_path / "none.pdf"
    target.write_bytes(b"old")
    before = stamps([target, missing])
    assert before[1] is None and stamps([target, missing]) == before
    temp = temp_beside(target)
    temp.write_bytes(b"old")
    publish(temp, target)
    assert stamps([target])[0] not in (None, before[0])
