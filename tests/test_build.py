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
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from conftest import FIXTURES, SEED
from kzreport import renderers as registry
from kzreport.build import Options, build
from kzreport.errors import Problem
from kzreport.layout import Layout
from kzreport.layout_loader import load_layout
from kzreport.manifest import MANIFEST_NAME
from kzreport.renderers import renderers
from kzreport.workers import TaskRunner

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
    inputs = dict(entry["built_from"]["inputs"])
    assert inputs["kazakhstan-position.md"] == sha(project / "source" / "kazakhstan-position.md")
    assert {"Carlito-Regular.ttf", "layout.toml"} <= set(inputs)


def test_a_source_saved_while_its_build_read_it_is_built_again(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # watch builds while the writer edits: a save after the build hashed the source and
    # before it read it must leave the outputs stale, not current with the older text.
    import kzreport.source

    source = project / "source" / "rich.md"
    read = kzreport.source.read_source

    def saved_meanwhile(path: Path, *args: Any) -> Any:
        if path.name == source.name:
            source.write_text(source.read_text(encoding="utf-8") + "\nSaved meanwhile.\n",
                              encoding="utf-8")
        return read(path, *args)

    monkeypatch.setattr(kzreport.source, "read_source", saved_meanwhile)
    build([source], options(project))
    monkeypatch.setattr(kzreport.source, "read_source", read)
    again = build([source], options(project))
    assert [r.status for o in again for r in o.outputs] == ["built"]
    assert [r.status for o in build([source], options(project)) for r in o.outputs] == [
        "skipped"]


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
    assert statuses == {f"{stem}{renderers()[f].extension}": "failed" if stem == "broken"
                        else "built" for stem in ("broken", "kazakhstan-position", "rich")
                        for f in ALL_FORMATS}
    assert all(len(o["sha256"]) == 64 for o in summary["outputs"] if o["status"] == "built")
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

    def load(self) -> None:
        pass


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


def test_top_level_help_loads_neither_the_build_nor_the_formats(project: Path) -> None:
    code = ("import sys\nfrom kzreport.cli import cli\n"
            "try:\n    cli(['--help'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.startswith('kzreport.')))")
    result = subprocess.run([sys.executable, "-c", code], cwd=project, capture_output=True,
                            text=True, check=True)
    # errors.Problem is a record: the cheap module that makes records comes along
    assert result.stdout.strip().splitlines()[-1] == ("['kzreport.cli', 'kzreport.errors', "
                                                      "'kzreport.records']")


# ---------------------------------------------------------------- inputs that collide or mislead


def paper(folder: Path, name: str, body: str = "Text.", front: str = "") -> Path:
    """A small valid paper ``name`` in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(f"---\ntitle: T\nauthors: [A]\ndate: 2024-01-01\n{front}---\n\n{body}\n\n"
                    "## Key Points\n\n- One.\n", encoding="utf-8")
    return path


def test_two_sources_with_the_same_name_are_refused_not_overwritten(tmp_path: Path) -> None:
    first, second = paper(tmp_path / "a", "brief.md"), paper(tmp_path / "b", "Brief.md")
    outcomes = build([first, second], options(tmp_path))
    assert all(o.failed for o in outcomes)
    assert [str(p) for p in outcomes[0].problems] == [
        f"{first}: error: its outputs would have the same names as those of {second} — rename "
        "one of the sources, or build them in separate runs with different -o folders"]
    assert not (tmp_path / "build").exists()


def test_an_output_path_that_is_a_folder_fails_the_source_before_anything_is_published(
        tmp_path: Path) -> None:
    source = paper(tmp_path, "brief.md")
    (tmp_path / "build" / "brief.pptx").mkdir(parents=True)
    [outcome] = build([source], options(tmp_path, formats=ALL_FORMATS))
    assert [str(p) for p in outcome.problems if p.severity == "error"] == [
        f"{tmp_path / 'build' / 'brief.pptx'}: error: the output path is a folder — remove or "
        "rename that folder, or build with -o DIR"]
    assert sorted(p.name for p in (tmp_path / "build").iterdir()) == ["brief.pptx"]


def test_check_refuses_sources_whose_outputs_would_share_names(tmp_path: Path) -> None:
    first, second = paper(tmp_path / "a", "brief.md"), paper(tmp_path / "b", "brief.md")
    result = kzreport("check", str(first), str(second), cwd=tmp_path)
    assert result.returncode == 1
    assert f"{first}: error: its outputs would have the same names as those of {second}" \
        in result.stderr


def test_a_link_under_another_name_is_built_under_that_name(tmp_path: Path) -> None:
    source = paper(tmp_path, "brief.md")
    alias = tmp_path / "handout.md"
    alias.symlink_to(source)
    outcomes = build([source, alias], options(tmp_path))
    assert [o.source for o in outcomes] == [source, alias]
    assert (tmp_path / "build" / "brief.docx").is_file()
    assert (tmp_path / "build" / "handout.docx").is_file()


def test_the_same_source_named_twice_builds_once(tmp_path: Path) -> None:
    source = paper(tmp_path, "brief.md")
    seen: list[int] = []
    outcomes = build([source, tmp_path / "." / "brief.md"], options(tmp_path),
                     progress=seen.append)
    assert len(outcomes) == 1 and not outcomes[0].failed
    assert [r.status for r in outcomes[0].outputs] == ["built"]
    assert sum(seen) == 2  # two sources named, one format: the progress bar ends full


def test_progress_counts_skipped_outputs_too(project: Path) -> None:
    build(sources(project), options(project))
    seen: list[int] = []
    build(sources(project), options(project, formats=ALL_FORMATS), progress=seen.append)
    assert sum(seen) == len(sources(project)) * len(ALL_FORMATS)


def test_cleanup_removes_only_kzreports_own_old_temporary_files(tmp_path: Path) -> None:
    out = tmp_path / "build"
    out.mkdir()
    ours, theirs = out / ".kzreport-brief.docx.abc.tmp", out / ".editor-swap.tmp"
    for leftover in (ours, theirs):
        leftover.write_text("left by a killed process")
        os.utime(leftover, (time.time() - 3600, time.time() - 3600))
    build([paper(tmp_path, "brief.md")], options(tmp_path))
    assert not ours.exists() and theirs.exists()


def test_a_character_the_font_lacks_is_refused_before_rendering(tmp_path: Path,
                                                                 layout: Layout) -> None:
    source = paper(tmp_path, "emoji.md", body="Fine text.\n\nA sign 𓀀 and `код 漢`.",
                   front="organization: Org 𓀁\n")
    result = kzreport("check", str(source), cwd=tmp_path)
    assert result.returncode == 1
    body, heading, mono = layout.fonts.body, layout.fonts.heading, layout.fonts.mono
    fix = " — replace the character, or use a layout whose fonts cover it"
    fallback = " nor its fallback fonts Noto Naskh Arabic, DejaVu Sans, Symbola"
    # The organization is printed in the heading family's bold face; a character is located
    # at its line and column, and only a character no font of the chain has is refused.
    assert result.stderr.splitlines() == [
        f"{source}:5:19: error: character '𓀁' (U+13001) is not in font {heading.name} "
        f"({heading.bold.name}){fallback}{fix}",
        f"{source}:10:8: error: character '𓀀' (U+13000) is not in font {body.name} "
        f"({body.regular.name}){fallback}{fix}",
        f"{source}:10:19: error: character '漢' (U+6F22) is not in font {mono.name} "
        f"({mono.regular.name}) nor its fallback fonts DejaVu Sans, Noto Naskh Arabic, "
        f"Symbola{fix}"]
    # Every format refuses it, even one whose application would substitute a font.
    built = kzreport("build", "-f", "docx", str(source), cwd=tmp_path)
    assert built.returncode == 1 and built.stderr == result.stderr
    assert not (tmp_path / "build").exists()


def test_kazakh_curly_quotes_and_guillemets_pass_the_glyph_check(tmp_path: Path) -> None:
    source = paper(tmp_path, "kk.md", body="Қазақстан «Ұлттық» — “quoted” ‘text’ é ñ, a\u00a0b.")
    assert kzreport("check", str(source), cwd=tmp_path).returncode == 0


def test_a_layout_path_in_a_source_is_relative_to_the_source_and_inherits_from_cwd(
        tmp_path: Path) -> None:
    # The project's own 'house' layout is found from the working folder, even when the layout
    # that inherits it was named by a path relative to the source.
    house = tmp_path / "layouts" / "house"
    house.mkdir(parents=True)
    (house / "layout.toml").write_text('inherit = "default"\n[labels]\n'
                                       'further_reading = "House Reading"\n', "utf-8")
    mine = tmp_path / "papers" / "style"
    mine.mkdir(parents=True)
    (mine / "layout.toml").write_text('inherit = "house"\n', "utf-8")
    source = paper(tmp_path / "papers", "brief.md", front="layout: ./style\n")
    from kzreport.build import prepare

    _, layout = prepare(source, None, tmp_path)
    assert layout.folder == mine.resolve()
    assert layout.labels.further_reading == "House Reading"


def test_a_layout_folder_beside_the_source_is_found_by_its_bare_name(tmp_path: Path) -> None:
    beside = tmp_path / "papers" / "sublay"
    beside.mkdir(parents=True)
    (beside / "layout.toml").write_text('inherit = "briefing"\n', "utf-8")
    source = paper(tmp_path / "papers", "brief.md", front="layout: sublay\n")
    from kzreport.build import prepare

    _, layout = prepare(source, None, tmp_path)
    assert layout.folder == beside.resolve() and layout.page.size == "Letter"


def test_a_project_moved_to_another_folder_stays_current(project: Path, tmp_path: Path) -> None:
    assert not any(o.failed for o in build(sources(project), options(project)))
    moved = tmp_path / "elsewhere"
    shutil.copytree(project, moved)  # copytree keeps mtimes; content decides anyway
    outcomes = build(sources(moved), options(moved, check_only=True))
    assert [r.status for o in outcomes for r in o.outputs] == ["current", "current"]


def test_hints_repeat_the_output_folder_and_layout(project: Path) -> None:
    source = "source/kazakhstan-position.md"
    result = kzreport("build", "--check", "-o", "out dir", "-l", "briefing", "-f", "docx",
                      source, cwd=project)
    assert result.returncode == 1
    assert result.stderr.strip().endswith(
        f"run kzreport build {source} -o 'out dir' -l briefing")
    verified = kzreport("verify", "-o", "out dir", "-f", "docx", source, cwd=project)
    assert verified.returncode == 1
    assert verified.stderr.strip().endswith(f"build it with kzreport build {source} -o 'out dir'")


@pytest.mark.parametrize("epoch", ["abc", "1.5", "-1", "253402300800"])
def test_a_source_date_epoch_that_is_no_time_is_one_clean_error(tmp_path: Path,
                                                                 epoch: str) -> None:
    source = paper(tmp_path, "brief.md")
    result = kzreport("build", str(source), cwd=tmp_path,
                      env={**os.environ, "SOURCE_DATE_EPOCH": epoch})
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"SOURCE_DATE_EPOCH: error: not a time stamp: {epoch!r} — set it to whole seconds "
        "since 1970, e.g. $(git log -1 --format=%ct), or unset it"]
    assert not (tmp_path / "build").exists()


def test_dates_past_what_a_zip_entry_can_carry_still_build(tmp_path: Path) -> None:
    source = paper(tmp_path, "far.md")
    source.write_text(source.read_text("utf-8").replace("2024-01-01", "9999-12-31"), "utf-8")
    [outcome] = build([source], options(tmp_path, formats=ALL_FORMATS))
    assert not outcome.failed, outcome.problems
    with zipfile.ZipFile(tmp_path / "build" / "far.docx") as package:
        assert {info.date_time[0] for info in package.infolist()} == {2107}


@pytest.mark.parametrize("sent", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupted_build_stops_cleanly_and_leaves_no_temporary_files(
        tmp_path: Path, sent: signal.Signals) -> None:
    code = "\n".join(f"line {n} = {n}" for n in range(4000))
    papers = [paper(tmp_path, f"long{n}.md", body=f"```\n{code}\n```") for n in range(4)]
    process = subprocess.Popen([sys.executable, "-m", "kzreport", "build", "-j", "2",
                                *map(str, papers)], cwd=tmp_path, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    time.sleep(1.5)
    os.killpg(process.pid, sent)  # as a terminal's Ctrl-C or CI's timeout reach the group
    _out, err = process.communicate(timeout=120)  # never hangs
    assert "Traceback" not in err
    out_dir = tmp_path / "build"
    leftovers = [p.name for p in out_dir.iterdir() if p.name.startswith(".kzreport-")
                 and p.name.endswith(".tmp")] if out_dir.exists() else []
    assert leftovers == []


def test_a_failed_first_build_leaves_no_empty_output_folder(tmp_path: Path) -> None:
    # Sixty authors make a title block taller than a page: the PDF fails as it is laid out.
    authors = "".join(f"  - name: Author {n}\n    affiliation: Department {n}\n"
                      for n in range(60))
    source = paper(tmp_path, "crowd.md")
    source.write_text(source.read_text("utf-8").replace("authors: [A]\n",
                                                        "authors:\n" + authors), "utf-8")
    [outcome] = build([source], options(tmp_path, formats=("pdf",)))
    assert outcome.failed
    assert not (tmp_path / "build").exists()


def test_a_batch_reads_each_layout_once_and_each_source_reports_its_own_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    def counting(spec: str, *args: Any, **kwargs: Any) -> Layout:
        calls.append(spec)
        return load_layout(spec, *args, **kwargs)

    monkeypatch.setattr("kzreport.build.load_layout", counting)
    good = [paper(tmp_path, f"brief-{n}.md") for n in range(3)]
    bad = [paper(tmp_path, f"odd-{n}.md", front="layout: missing-layout\n") for n in range(2)]
    outcomes = build([*good, *bad], options(tmp_path, formats=("docx",)))
    assert calls.count("default") == 1
    assert calls.count("missing-layout") == 2  # a failure is not kept: each says its own line
    assert [o.failed for o in outcomes] == [False] * 3 + [True] * 2
    for outcome, source in zip(outcomes[3:], bad, strict=True):
        assert [p.path for p in outcome.problems] == [f"{source}:5"]


def test_workers_start_early_only_when_some_output_will_surely_be_built(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    preloaded: list[tuple[str, ...]] = []
    original = TaskRunner.preload

    def preload(runner: TaskRunner, formats: Sequence[str]) -> None:
        preloaded.append(tuple(formats))
        original(runner, formats)

    monkeypatch.setattr(TaskRunner, "preload", preload)
    build(sources(project), options(project, jobs=2))  # nothing built yet
    build(sources(project), options(project, jobs=2))  # everything current
    build(sources(project), options(project, jobs=2, force=True))
    (project / "build" / "rich.docx").unlink()
    outcomes = build(sources(project), options(project, jobs=2))
    assert preloaded == [("docx",)] * 3
    assert not any(o.failed for o in outcomes)
    assert (project / "build" / "rich.docx").exists()


def test_check_json_gives_the_sha256_of_current_outputs(project: Path) -> None:
    assert kzreport("build", "-f", "docx", cwd=project).returncode == 0
    result = kzreport("build", "-f", "docx", "--check", "--json", cwd=project)
    assert result.returncode == 0, result.stderr
    outputs = json.loads(result.stdout)["outputs"]
    assert {o["status"] for o in outputs} == {"current"}
    for output in outputs:
        digest = hashlib.sha256((project / output["path"]).read_bytes()).hexdigest()
        assert output["sha256"] == digest


def test_a_marking_without_a_colour_says_how_the_layout_adds_one(tmp_path: Path) -> None:
    from kzreport.build import document_problems
    from kzreport.source import read_source

    # From a folder without layouts/, "default" is the built-in one, wherever it is installed.
    layout = load_layout("default", tmp_path)

    text = SEED.read_text(encoding="utf-8").replace("---\n", "---\nmarking: RESTRICTED//EYES\n", 1)
    (tmp_path / "paper.md").write_text(text, encoding="utf-8")
    (problem,) = document_problems(read_source(tmp_path / "paper.md"), layout)
    assert "has no banner colour" in problem.message
    # The built-in layout lives inside the package: the user's own layout inherits it.
    assert problem.hint.endswith('or add [markings."RESTRICTED"] with background and text '
                                 'colours to layouts/NAME/layout.toml with inherit = "default"')
    house = tmp_path / "house"
    house.mkdir()
    (house / "layout.toml").write_text('inherit = "default"\n', encoding="utf-8")
    own = load_layout(str(house), tmp_path)
    (problem,) = document_problems(read_source(tmp_path / "paper.md"), own)
    assert problem.hint.endswith(f"colours to {house / 'layout.toml'}")


# ---------------------------------------------------------------- check reports what build does


def test_check_reports_every_warning_build_gives(tmp_path: Path) -> None:
    from kzreport.build import check_sources

    source = FIXTURES / "pptx-overflow.md"
    [built] = build([source], Options(out_dir=tmp_path, formats=("docx", "pdf", "pptx"),
                                      cwd=FIXTURES))
    [checked] = check_sources([source], None, FIXTURES)
    assert [str(p) for p in built.problems]
    assert [str(p) for p in checked.problems] == [str(p) for p in built.problems]
    [strict] = check_sources([source], None, FIXTURES, strict=True)
    assert strict.failed and {p.severity for p in strict.problems} == {"error"}


def test_check_reports_the_parsers_warnings(tmp_path: Path) -> None:
    from kzreport.build import check_sources

    source = tmp_path / "paper.md"
    source.write_text("---\ntitle: T\nauthors: [A]\ndate: 2024-01-01\nlanguage: en\n---\n\n"
                      "[TOC]\n\n## Key Points\n\n- One.\n", encoding="utf-8")
    [checked] = check_sources([source], None, tmp_path)
    assert [(p.line, p.severity) for p in checked.problems] == [(8, "warning")]
    assert check_sources([source], None, tmp_path, strict=True)[0].failed
