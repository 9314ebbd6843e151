"""Builds fit for CI: atomic, incremental, reproducible, batched, and light to start."""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from conftest import FIXTURES, SEED
from kzreport import renderers as registry
from kzreport.build import MANIFEST_NAME, Options, build
from kzreport.errors import Problem
from kzreport.renderers import renderers

ALL_FORMATS = tuple(renderers())


def kzreport(*args: str, cwd: Path, env: dict[str, str] | None = None,
             ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kzreport", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300, check=False)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A folder with the seed and the rich paper under source/."""
    (tmp_path / "source").mkdir()
    shutil.copy(SEED, tmp_path / "source")
    shutil.copy(FIXTURES / "rich.md", tmp_path / "source")
    shutil.copytree(FIXTURES / "images", tmp_path / "source" / "images")
    return tmp_path


def options(project: Path, **changes: object) -> Options:
    settings: dict[str, object] = {"out_dir": project / "build", "formats": ("docx",),
                                   "cwd": project}
    settings.update(changes)
    return Options(**settings)  # type: ignore[arg-type]


def sources(project: Path) -> list[Path]:
    return sorted((project / "source").glob("*.md"))


def test_second_build_skips_and_force_rebuilds(project: Path) -> None:
    first = build(sources(project), options(project))
    assert [r.status for o in first for r in o.outputs] == ["built", "built"]
    again = build(sources(project), options(project))
    assert [r.status for o in again for r in o.outputs] == ["skipped", "skipped"]
    forced = build(sources(project), options(project, force=True))
    assert [r.status for o in forced for r in o.outputs] == ["built", "built"]
    manifest = json.loads((project / "build" / MANIFEST_NAME).read_text())
    entry = manifest["outputs"]["kazakhstan-position.docx"]
    assert entry["sha256"] == sha(project / "build" / "kazakhstan-position.docx")
    assert any(k.endswith("kazakhstan-position.md") for k in entry["built_from"]["inputs"])
    assert any(k.endswith("Carlito-Regular.ttf") for k in entry["built_from"]["inputs"])
    assert any(k.endswith("layout.toml") for k in entry["built_from"]["inputs"])


def test_check_passes_when_current_and_names_stale_outputs(project: Path) -> None:
    result = kzreport("build", "--check", "-f", "docx", cwd=project)
    assert result.returncode == 1 and "kazakhstan-position.docx: error: output does not exist" \
        in result.stderr
    assert not (project / "build").exists()  # --check writes nothing
    assert kzreport("build", "-f", "docx", cwd=project).returncode == 0
    assert kzreport("build", "--check", "-f", "docx", cwd=project).returncode == 0
    seed = project / "source" / "kazakhstan-position.md"
    seed.write_text(seed.read_text(encoding="utf-8").replace("Tokayev", "Tokaev"), "utf-8")
    result = kzreport("build", "--check", "-f", "docx", cwd=project)
    assert result.returncode == 1
    assert "kazakhstan-position.docx: error: output is out of date" in result.stderr
    assert "rich.docx" not in result.stderr
    image = project / "source" / "images" / "chart.png"
    image.write_bytes(image.read_bytes() + b"\0")
    assert "rich.docx: error: output is out of date" in kzreport(
        "build", "--check", "-f", "docx", cwd=project).stderr


def test_a_broken_source_keeps_its_previous_outputs(project: Path) -> None:
    assert kzreport("build", cwd=project).returncode == 0
    before = {p.name: p.read_bytes() for p in (project / "build").iterdir()}
    seed = project / "source" / "kazakhstan-position.md"
    seed.write_text(seed.read_text(encoding="utf-8").replace("## Key Points", "# Key Points"),
                    "utf-8")
    result = kzreport("build", "--force", cwd=project)
    assert result.returncode == 1
    assert "level-1 heading" in result.stderr and "Traceback" not in result.stderr
    after = {p.name: p.read_bytes() for p in (project / "build").iterdir()}
    for name, data in before.items():
        if name.startswith("kazakhstan-position"):
            assert after[name] == data
    assert not [p for p in (project / "build").iterdir() if p.name.endswith(".tmp")]


def test_outputs_are_identical_whatever_the_clock_zone_locale_and_hash_seed(
        project: Path) -> None:
    runs = []
    for tz, seed, locale in (("UTC", "1", "C"), ("Asia/Almaty", "4242", "C.UTF-8")):
        env = {**os.environ, "TZ": tz, "PYTHONHASHSEED": seed, "LC_ALL": locale}
        env.pop("SOURCE_DATE_EPOCH", None)
        out = f"out-{seed}"
        assert kzreport("build", "-o", out, "-j", "1", cwd=project, env=env).returncode == 0
        runs.append({p.name: sha(p) for p in (project / out).glob("*.*") if p.suffix != ".json"})
        time.sleep(1.1)  # a second apart, so a stamped clock time would differ
    assert runs[0] == runs[1]
    assert len(runs[0]) == 2 * len(ALL_FORMATS)


def test_source_date_epoch_sets_the_timestamps(project: Path) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    assert kzreport("build", "-f", "docx", cwd=project, env=env).returncode == 0
    docx_path = project / "build" / "kazakhstan-position.docx"
    with zipfile.ZipFile(docx_path) as package:
        assert {i.date_time for i in package.infolist()} == {(2023, 11, 14, 22, 13, 20)}
        assert b"2023-11-14T22:13:20Z" in package.read("docProps/core.xml")


def test_batch_with_one_bad_source_builds_the_others(project: Path) -> None:
    (project / "source" / "broken.md").write_text("---\ntitle: x\n---\n", "utf-8")
    result = kzreport("build", "-j", "2", "--json", cwd=project)
    assert result.returncode == 1
    summary = json.loads(result.stdout)
    statuses = {Path(o["path"]).name: o["status"] for o in summary["outputs"]}
    assert statuses == {f"{stem}{renderers()[f].extension}": "built"
                        for stem in ("kazakhstan-position", "rich") for f in ALL_FORMATS}
    assert all(len(o["sha256"]) == 64 for o in summary["outputs"])
    assert any("broken.md:2: error: front matter has no 'authors'" in p
               for p in summary["problems"])


class _DyingRenderer:
    """A format whose worker process dies, as when the OOM killer or kill -9 strikes."""

    name = "dying"
    extension = ".dying"
    description = "test only"

    def render(self, document: object, layout: object, path: Path) -> list[Problem]:
        os.kill(os.getpid(), signal.SIGKILL)
        return []


def test_a_killed_worker_fails_its_source_and_keeps_previous_outputs(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    renderers()  # load the built-in formats before adding the dying one for this test only
    monkeypatch.setitem(registry._registry, "dying", _DyingRenderer())
    assert not build(sources(project), options(project))[0].failed
    docx_path = project / "build" / "kazakhstan-position.docx"
    before = docx_path.read_bytes()
    outcomes = build(sources(project), options(project, formats=("docx", "dying"), jobs=2,
                                              force=True))
    assert all(o.failed for o in outcomes)
    assert any("worker process" in p.message for o in outcomes for p in o.problems)
    assert docx_path.read_bytes() == before
    assert not list((project / "build").glob("*.dying"))
    assert not list((project / "build").glob(".*.tmp"))


def test_an_output_folder_that_cannot_be_created(project: Path) -> None:
    (project / "blocker").write_text("a file, not a folder")
    result = kzreport("build", "-f", "docx", "-o", "blocker/out", cwd=project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "cannot create output folder" in result.stderr


def test_a_full_disk_is_a_clean_error(project: Path) -> None:
    assert kzreport("build", "-f", "docx", cwd=project).returncode == 0
    docx_path = project / "build" / "kazakhstan-position.docx"
    before = docx_path.read_bytes()
    result = subprocess.run(
        ["bash", "-c", f"ulimit -f 8; exec {sys.executable} -m kzreport build --force -f docx"],
        cwd=project, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 1, result.stderr
    assert "cannot write output" in result.stderr and "Traceback" not in result.stderr
    assert docx_path.read_bytes() == before
    assert not list((project / "build").glob(".*.tmp"))


def test_kill_9_never_leaves_a_broken_output(project: Path) -> None:
    assert kzreport("build", cwd=project).returncode == 0
    good = {p: p.read_bytes() for p in (project / "build").glob("*.*") if p.suffix != ".json"}
    rng = random.Random(7)
    for _ in range(4):
        process = subprocess.Popen([sys.executable, "-m", "kzreport", "build", "--force"],
                                   cwd=project, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(rng.uniform(0.2, 2.5))
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        for path, data in good.items():
            # Builds are reproducible, so an output is either the old bytes or the same new ones.
            assert path.read_bytes() == data


@pytest.mark.parametrize("command", [["--help"], ["check", "source/kazakhstan-position.md"],
                                     ["build", "--help"]])
def test_start_up_imports_no_writer_library(project: Path, command: list[str]) -> None:
    code = ("import sys\nfrom kzreport.cli import cli\n"
            "try:\n    cli(" + repr(command) + ")\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('docx', 'pptx', 'reportlab') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], cwd=project, capture_output=True,
                            text=True, check=True)
    assert result.stdout.strip().splitlines()[-1] == "[]"
