"""``kzreport watch``: a real watching process on a temporary folder, and the folders it watches."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from conftest import write_source
from kzreport.atomic import stamps
from kzreport.build import Outcome, OutputResult
from kzreport.manifest import MANIFEST_NAME
from kzreport.watch import _Relevant, watched_folders, written_files

FRONT = "title: Watched paper\nauthors: [A. Writer]\ndate: 2024-01-01\nlanguage: en-US"
BODY = """
The first paragraph.

![A chart of nothing](pdf-chart.png "Caption of the chart")

## Key Points

- **Watching works.** Saves rebuild the outputs.
"""
FORMATS = ("docx", "pdf", "pptx")
#: Generous bounds for a loaded machine: a test that waits longer fails instead of hanging.
FIRST_BUILD_S, REBUILD_S = 120.0, 60.0


def wait_until(condition: Callable[[], bool], limit: float, what: str,
               process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + limit
    while not condition():
        assert process.poll() is None, f"watch ended while waiting for {what}:\n" + \
            log.read_text(encoding="utf-8", errors="replace")
        assert time.monotonic() < deadline, f"no {what} within {limit:.0f} s:\n" + \
            log.read_text(encoding="utf-8", errors="replace")
        time.sleep(0.02)


def document_text(path: Path) -> str:
    with zipfile.ZipFile(path) as package:
        return package.read("word/document.xml").decode("utf-8")


def test_watch_rebuilds_on_saves_reports_errors_and_stops_cleanly_on_ctrl_c(
        tmp_path: Path) -> None:
    source = write_source(tmp_path, FRONT, BODY)
    out = tmp_path / "out"
    outputs = [out / f"paper.{name}" for name in FORMATS]
    log = tmp_path / "watch.log"
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    with log.open("wb") as handle:
        process = subprocess.Popen([sys.executable, "-m", "kzreport", "watch", str(source),
                                    "-o", str(out)], cwd=tmp_path, env=env,
                                   stdin=subprocess.DEVNULL, stdout=handle, stderr=handle)
    try:
        wait_until(lambda: "watching for changes" in log.read_text(encoding="utf-8"),
                   FIRST_BUILD_S, "first build", process, log)
        assert None not in stamps(outputs)

        # A save rebuilds every output, with the new text.
        before = stamps(outputs)
        source.write_text(source.read_text(encoding="utf-8").replace(
            "The first paragraph.", "The first paragraph, saved again."), encoding="utf-8")
        wait_until(lambda: all(a != b for a, b in zip(stamps(outputs), before, strict=True)),
                   REBUILD_S, "rebuild after the source was saved", process, log)
        assert "saved again" in document_text(out / "paper.docx")

        # An error is one located line; the watch goes on and the outputs stay as they were.
        good, before = source.read_text(encoding="utf-8"), stamps(outputs)
        source.write_text(good.replace("title: Watched paper\n", ""), encoding="utf-8")
        wait_until(lambda: f"{source.name}:" in log.read_text(encoding="utf-8")
                   and "error:" in log.read_text(encoding="utf-8"),
                   REBUILD_S, "the error line", process, log)
        assert stamps(outputs) == before
        [line] = [line for line in log.read_text(encoding="utf-8").splitlines()
                  if "error:" in line]
        assert "title" in line and " — " in line

        # Fixed (with a change: the content built last would be current), then an image
        # saved: both rebuild.
        source.write_text(good.replace("saved again", "fixed"), encoding="utf-8")
        wait_until(lambda: all(a != b for a, b in zip(stamps(outputs), before, strict=True)),
                   REBUILD_S, "rebuild after the error was fixed", process, log)
        before = stamps(outputs)
        Image.new("RGB", (40, 30), "red").save(tmp_path / "pdf-chart.png")
        wait_until(lambda: all(a != b for a, b in zip(stamps(outputs), before, strict=True)),
                   REBUILD_S, "rebuild after the image was saved", process, log)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            code = process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
    text = log.read_text(encoding="utf-8")
    assert code == 0, text
    assert "Traceback" not in text
    assert sorted(path.name for path in out.iterdir()) == sorted(
        [MANIFEST_NAME, *(path.name for path in outputs)])  # no temporary file left


def test_the_folders_watched_are_each_sources_its_subfolders_and_every_inputs(
        tmp_path: Path) -> None:
    (tmp_path / "paper").mkdir()
    (tmp_path / "paper" / "images").mkdir()
    (tmp_path / "paper" / ".git").mkdir()
    (tmp_path / "layouts" / "mine").mkdir(parents=True)
    source = tmp_path / "paper" / "a.md"
    outcome = Outcome(source, inputs=[source, tmp_path / "layouts" / "mine" / "layout.toml"])
    failed = Outcome(tmp_path / "elsewhere" / "b.md")  # its folder is gone: nothing to watch
    assert watched_folders([outcome, failed]) == {
        tmp_path / "paper", tmp_path / "paper" / "images", tmp_path / "layouts" / "mine"}


def test_its_own_outputs_manifest_and_temporary_files_start_no_build(tmp_path: Path) -> None:
    from watchfiles import Change

    out = tmp_path / "out"
    outcome = Outcome(tmp_path / "a.md", [OutputResult(out / "a.pdf", "pdf")])
    relevant = _Relevant(written_files([outcome], out))
    assert relevant(Change.modified, str(tmp_path / "a.md"))
    assert relevant(Change.added, str(tmp_path / "chart.png"))
    for ignored in (out / "a.pdf", out / MANIFEST_NAME, out / ".kzreport-a.pdf.x1y2.tmp",
                    tmp_path / ".a.md.swp"):
        assert not relevant(Change.modified, str(ignored)), ignored


@pytest.mark.parametrize("argument", ["--help", "-h"])
def test_watch_has_help(argument: str) -> None:
    result = subprocess.run([sys.executable, "-m", "kzreport", "watch", argument],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0
    assert "rebuild" in result.stdout and "--out" in result.stdout
