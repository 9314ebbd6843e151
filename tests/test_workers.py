"""The task runner and its worker processes: real processes, test formats that log what they do."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kzreport import renderers as registry
from kzreport.errors import Problem, RenderError
from kzreport.layout import Layout
from kzreport.model import Document
from kzreport.renderers import renderers
from kzreport.workers import (
    Task,
    TaskRunner,
    default_jobs,
    render_task,
    resume_collection,
    serve,
)


class _LoggingRenderer:
    """A test format that writes its name into each output and logs, with the process id,
    every load and render; ``fails`` makes its load raise, ``outcome`` its render."""

    extension = ".log"
    description = "test only"

    def __init__(self, name: str, log: Path, fails: bool = False,
                 outcome: BaseException | None = None) -> None:
        self.name, self.log, self.fails, self.outcome = name, log, fails, outcome

    def _note(self, what: str) -> None:
        with self.log.open("a", encoding="utf-8") as handle:
            handle.write(f"{what} {self.name} {os.getpid()}\n")

    def render(self, document: Document, layout: Layout, path: Path) -> list[Problem]:
        self._note("render")
        if self.outcome is not None:
            raise self.outcome
        path.write_text(self.name, encoding="utf-8")
        return []

    def load(self) -> None:
        self._note("load")
        if self.fails:
            raise ImportError("no such library")


class _DyingRenderer(_LoggingRenderer):
    """A format whose worker process dies, as when the OOM killer or kill -9 strikes."""

    def render(self, document: Document, layout: Layout, path: Path) -> list[Problem]:
        os.kill(os.getpid(), signal.SIGKILL)
        return []


@pytest.fixture
def log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A log that the test formats ``a`` and ``b`` (and ``dying``) write, registered for this
    test only (worker processes are forked, so they see them too)."""
    path = tmp_path / "log"
    renderers()  # load the built-in formats before adding these
    for renderer in (_LoggingRenderer("a", path), _LoggingRenderer("b", path),
                     _DyingRenderer("dying", path)):
        monkeypatch.setitem(registry._registry, renderer.name, renderer)
    return path


def logged(log: Path) -> list[tuple[str, str, int]]:
    """What the test formats did: (load or render, format, process id), in order."""
    lines = log.read_text(encoding="utf-8").split() if log.exists() else []
    return [(what, name, int(pid)) for what, name, pid in zip(*[iter(lines)] * 3, strict=True)]


def tasks(seed: Document, layout: Layout, folder: Path, *formats: str) -> list[Task]:
    return [Task(seed, layout, name, folder / f"{n}.{name}") for n, name in enumerate(formats)]


def test_one_job_renders_here_in_the_order_submitted(
        seed: Document, layout: Layout, tmp_path: Path, log: Path) -> None:
    done: list[int] = []
    with TaskRunner(jobs=1, most=3, progress=done.append) as runner:
        for task in tasks(seed, layout, tmp_path, "a", "b", "a"):
            runner.submit(task)
        results = runner.results()
    assert [result and result[0] for result in results] == [[], [], []]
    assert logged(log) == [("render", name, os.getpid()) for name in ("a", "b", "a")]
    assert [(tmp_path / f"{n}.{name}").read_text() for n, name in enumerate("aba")] == list("aba")
    assert done == [1, 1, 1] and multiprocessing.active_children() == []


def test_workers_started_ahead_load_their_first_formats_and_are_given_them(
        seed: Document, layout: Layout, tmp_path: Path, log: Path) -> None:
    with TaskRunner(jobs=2, most=10, progress=None) as runner:
        runner.preload(("a", "b"))
        for task in tasks(seed, layout, tmp_path, "b", "a", "b", "a"):
            runner.submit(task)
        results = runner.results()
    assert multiprocessing.active_children() == []  # every worker has been stopped
    assert all(result is not None and result[0] == [] for result in results)
    events = logged(log)
    first_loads: dict[int, str] = {}
    first_renders: dict[int, str] = {}
    for what, name, pid in events:
        (first_loads if what == "load" else first_renders).setdefault(pid, name)
    # Each worker loaded its own format ahead and was given it first; later outputs may go to
    # either worker, as the schedule weighs their timings (which vary with the machine's load).
    assert sorted(first_loads.values()) == ["a", "b"] and os.getpid() not in first_loads
    assert first_renders == first_loads
    assert sorted(name for what, name, _ in events if what == "render") == sorted("abab")


def test_a_runner_kept_for_several_builds_keeps_its_warm_workers(
        seed: Document, layout: Layout, tmp_path: Path, log: Path) -> None:
    with TaskRunner(jobs=2, most=2, progress=None) as runner:
        with runner.another_build(None):
            for task in tasks(seed, layout, tmp_path, "a", "b"):
                runner.submit(task)
            assert all(result == ([], result[1]) for result in runner.results() if result)
        # The first build may have started one worker or two (a worker done with "a" may
        # take "b" rather than wait for a second to start): warming up starts them all.
        runner.warm_up(("a", "b"))  # every worker loads every format
        workers = set(multiprocessing.active_children())
        done: list[int] = []
        with runner.another_build(done.append):
            for task in tasks(seed, layout, tmp_path, "b", "a"):
                runner.submit(task)
            assert len(runner.results()) == 2 and done == [1, 1]
        assert set(multiprocessing.active_children()) == workers and len(workers) == 2
    assert multiprocessing.active_children() == []
    # Each worker had both formats loaded (by rendering or warming up) before the second
    # build, and no other process rendered or loaded any.
    for worker in workers:
        assert {name for _, name, pid in logged(log) if pid == worker.pid} == {"a", "b"}
    assert {pid for _, _, pid in logged(log)} == {worker.pid for worker in workers}


def test_a_dead_worker_fails_only_its_output_and_the_rest_go_on(
        seed: Document, layout: Layout, tmp_path: Path, log: Path) -> None:
    with TaskRunner(jobs=2, most=10, progress=None) as runner:
        for task in tasks(seed, layout, tmp_path, "dying", "a", "a", "b", "a"):
            runner.submit(task)
        results = runner.results()
    assert results[0] is None
    assert all(result is not None and result[0] == [] for result in results[1:])
    assert multiprocessing.active_children() == []


def test_a_runner_left_early_stops_its_workers(
        seed: Document, layout: Layout, tmp_path: Path, log: Path) -> None:
    with pytest.raises(KeyboardInterrupt), TaskRunner(jobs=2, most=10, progress=None) as runner:
        for task in tasks(seed, layout, tmp_path, "a", "b", "a"):
            runner.submit(task)
        raise KeyboardInterrupt
    assert multiprocessing.active_children() == []


def test_a_renderers_failure_becomes_the_problems_of_its_output(
        seed: Document, tmp_path: Path, layout: Layout, monkeypatch: pytest.MonkeyPatch) -> None:
    renderers()
    problem = Problem(seed.source, None, "too tall", "shorten it")
    for name, outcome in (("refused", RenderError([problem])),
                          ("full", OSError(28, "No space left on device")),
                          ("buggy", ZeroDivisionError("division by zero"))):
        monkeypatch.setitem(registry._registry, name,
                            _LoggingRenderer(name, tmp_path / "log", outcome=outcome))
    target = tmp_path / "out" / "x"
    assert render_task(Task(seed, layout, "refused", target)) == ([problem], 0)
    [full], milliseconds = render_task(Task(seed, layout, "full", target))
    assert (str(full), milliseconds) == (
        f"{tmp_path / 'out'}: error: cannot write output: No space left on device — check free "
        "space, file size limits and permissions of the output folder", 0)
    [bug], _ = render_task(Task(seed, layout, "buggy", target))
    assert bug.message == ("internal error in the buggy renderer: "
                           "ZeroDivisionError('division by zero')")


class _Pipe:
    """A worker's end of its pipe: hands out ``incoming``, then reports the parent gone, and
    records what is sent."""

    def __init__(self, *incoming: object) -> None:
        self.incoming = list(incoming)
        self.sent: list[object] = []

    def recv(self) -> object:
        if not self.incoming:
            raise EOFError
        return self.incoming.pop(0)

    def send(self, message: object) -> None:
        self.sent.append(message)


@pytest.mark.parametrize("fails", [False, True])
def test_a_worker_loads_a_format_it_is_named_and_answers_nothing(
        log: Path, monkeypatch: pytest.MonkeyPatch, fails: bool) -> None:
    monkeypatch.setitem(registry._registry, "a", _LoggingRenderer("a", log, fails=fails))
    pipe = _Pipe("a", None, "a")
    serve(pipe)  # type: ignore[arg-type]
    # Once: it stops at None; a failure waits for the first render to be reported.
    assert logged(log) == [("load", "a", os.getpid())]
    assert pipe.sent == []


def test_a_worker_answers_each_output_and_stops_when_the_parent_is_gone(
        seed: Document, layout: Layout, tmp_path: Path, log: Path) -> None:
    first, second = tasks(seed, layout, tmp_path, "a", "b")
    pipe = _Pipe(first, second)
    serve(pipe)  # type: ignore[arg-type]
    assert [answer[0] for answer in pipe.sent] == [[], []]  # type: ignore[index]
    assert [what for what, _, _ in logged(log)] == ["render", "render"]


@pytest.mark.parametrize(("cpus", "formats", "jobs"), [
    (1, 3, 1),  # one core: rendering here, no workers to share it
    (2, 3, 3),  # a worker per format, the cores shared among them
    (2, 1, 2),
    (8, 3, 8),
    (None, 3, 1),  # unknown: as one
])
def test_without_j_each_cpu_and_each_format_gets_a_worker(
        monkeypatch: pytest.MonkeyPatch, cpus: int | None, formats: int, jobs: int) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: cpus)
    assert default_jobs(formats) == jobs


def test_collection_resumes_once_with_what_exists_frozen() -> None:
    import gc

    assert gc.isenabled()
    frozen = gc.get_freeze_count()
    resume_collection()  # on already: nothing
    assert gc.get_freeze_count() == frozen
    gc.disable()
    try:
        kept = [[n] for n in range(1000)]  # made while paused, as a library's objects are
        resume_collection()
        assert gc.isenabled() and gc.get_freeze_count() >= frozen + len(kept)
    finally:
        gc.unfreeze()
        gc.enable()


def test_workers_end_when_their_parent_is_killed(tmp_path: Path) -> None:
    # A parent killed with SIGKILL cannot stop its workers: each must see its pipe close.
    script = """
import os, sys, time
from pathlib import Path
from kzreport.workers import TaskRunner
runner = TaskRunner(jobs=3, most=3, progress=None)
runner.preload(("docx", "pdf", "pptx"))
print(" ".join(str(w.process.pid) for w in runner._workers.values()), flush=True)
time.sleep(60)
"""
    process = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    pids = [int(pid) for pid in process.stdout.readline().split()]
    assert len(pids) == 3
    process.kill()
    process.wait()
    deadline = time.monotonic() + 60  # a worker may be importing its library first
    while any(_alive(pid) for pid in pids):
        assert time.monotonic() < deadline, "workers outlived their killed parent"
        time.sleep(0.1)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"  # a zombie has ended; only its (killed) parent could reap it
