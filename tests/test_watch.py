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
from kzreport.watch import STEP_S, Poller, relevant, watched_folders, written_files

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
    out = tmp_path / "out"
    outcome = Outcome(tmp_path / "a.md", [OutputResult(out / "a.pdf", "pdf")])
    ignored = written_files([outcome], out)
    assert relevant(str(tmp_path / "a.md"), ignored)
    assert relevant(str(tmp_path / "chart.png"), ignored)
    for path in (out / "a.pdf", out / MANIFEST_NAME, out / ".kzreport-a.pdf.x1y2.tmp",
                 tmp_path / ".a.md.swp", tmp_path / "a.md~", tmp_path / ".#a.md",
                 tmp_path / "#a.md#", tmp_path / "4913", tmp_path / ".git"):
        assert not relevant(str(path), ignored), path


class Saves:
    """A poller's clock: each step it sleeps runs the next of the scripted saves (none when
    the script is done), and it counts the steps."""

    def __init__(self, *saves: Callable[[], object]) -> None:
        self.saves, self.steps = list(saves), 0

    def __call__(self, seconds: float) -> None:
        assert seconds == STEP_S
        self.steps += 1
        assert self.steps < 100, "the poller never saw the save"
        if self.saves:
            self.saves.pop(0)()


def poller_on(tmp_path: Path, saves: Saves) -> tuple[Poller, Path]:
    """A poller on a paper that was built from ``a.md`` and ``images/chart.png``."""
    (tmp_path / "images").mkdir()
    source, image = tmp_path / "a.md", tmp_path / "images" / "chart.png"
    source.write_text("# A\n", encoding="utf-8")
    image.write_bytes(b"png")
    out = tmp_path / "out"
    out.mkdir()
    outcome = Outcome(source, [OutputResult(out / "a.pdf", "pdf")], inputs=[source, image])
    return Poller([outcome], out, time.time_ns() + 10**9, saves), source


def test_a_save_by_rename_is_one_change_once_its_writes_are_over(tmp_path: Path) -> None:
    # An editor's save: a swap file first, then a temporary file renamed over the source
    # (same size, same time: only the inode tells), then a backup written after it.
    def rename() -> None:
        (tmp_path / "a.md.tmp1").write_text("# B\n", encoding="utf-8")
        os.utime(tmp_path / "a.md.tmp1", ns=(stat.st_atime_ns, stat.st_mtime_ns))
        os.replace(tmp_path / "a.md.tmp1", tmp_path / "a.md")

    saves = Saves(lambda: (tmp_path / ".a.md.swp").write_bytes(b"swap"), rename,
                  lambda: (tmp_path / "a.md~").write_bytes(b"# A\n"))
    poller, source = poller_on(tmp_path, saves)
    stat = source.stat()
    poller.wait_for_save()
    # Seen after the rename (the swap file is no change), returned after one quiet look
    # (the backup file is no change either).
    assert saves.steps == 3 and not saves.saves
    assert source.read_text(encoding="utf-8") == "# B\n"


def test_a_save_in_several_writes_is_one_change(tmp_path: Path) -> None:
    def write(text: str) -> Callable[[], object]:
        return lambda: (tmp_path / "a.md").write_text(text, encoding="utf-8")

    saves = Saves(write(""), write("# A, longer"), write("# A, longer still\n"))
    poller, _ = poller_on(tmp_path, saves)
    poller.wait_for_save()
    assert saves.steps == 4 and not saves.saves


def test_swap_files_and_its_own_outputs_alone_change_nothing(tmp_path: Path) -> None:
    saves = Saves()
    poller, _ = poller_on(tmp_path, saves)
    (tmp_path / ".a.md.swp").write_bytes(b"swap")
    (tmp_path / "a.md~").write_bytes(b"backup")
    (tmp_path / "out" / "a.pdf").write_bytes(b"%PDF")
    (tmp_path / "out" / MANIFEST_NAME).write_text("{}", encoding="utf-8")
    assert not poller.changed()


def test_a_new_file_in_a_watched_folder_and_an_input_written_in_place_are_changes(
        tmp_path: Path) -> None:
    poller, _ = poller_on(tmp_path, Saves())
    (tmp_path / "images" / "map.png").write_bytes(b"png")
    assert poller.changed()
    assert not poller.changed()
    (tmp_path / "images" / "chart.png").write_bytes(b"png, redrawn")
    assert poller.changed()
    (tmp_path / "images" / "chart.png").unlink()
    assert poller.changed()


def test_a_file_written_while_its_build_ran_is_built_again(tmp_path: Path) -> None:
    # The poller first looks at an input after the build that named it: written after that
    # build started, it may have been saved after the build read it.
    saves = Saves()
    poller, source = poller_on(tmp_path, saves)
    layout = tmp_path / "layout.toml"
    layout.write_text("", encoding="utf-8")
    poller.follow([Outcome(source, inputs=[source, layout])], time.time_ns() - 10**9)
    poller.wait_for_save()
    assert saves.steps == 1


@pytest.mark.parametrize("argument", ["--help", "-h"])
def test_watch_has_help(argument: str) -> None:
    result = subprocess.run([sys.executable, "-m", "kzreport", "watch", argument],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0
    assert "rebuild" in result.stdout and "--out" in result.stdout
