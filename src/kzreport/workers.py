"""Rendering outputs: here with one job, else in worker processes on pipes, as the schedule says."""

from __future__ import annotations

import contextlib
import gc
import os
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from kzreport.atomic import write_problem
from kzreport.errors import KzreportError, Problem
from kzreport.layout import Layout
from kzreport.model import Document
from kzreport.records import record
from kzreport.scheduling import Schedule

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess


@record
class Task:
    """One output to render in a worker: everything it needs, nothing it must look up."""

    document: Document
    layout: Layout
    format: str
    temp: Path


#: An output's problems and milliseconds; None when its worker died.
Result = tuple[list[Problem], int] | None


def default_jobs(formats: int) -> int:
    """The workers of a build not told ``-j``: one per CPU and, when there is more than one,
    at least one per format. A worker that renders two formats in turn leaves a core idle
    while it loads the second library; a worker of its own for each format lets the system
    share the cores out among all of them (one paper in three formats: a tenth less wall
    time on two cores, in A/B runs), and loads each library once."""
    cpus = os.cpu_count() or 1
    return cpus if cpus == 1 else max(cpus, formats)


def resume_collection() -> None:
    """Collect garbage again, once a process has imported what it needs.

    ``build`` and ``watch`` start with the cyclic collector off (``gc.disable``), as the
    forked workers then do: importing the parser and the writer libraries makes hundreds of
    thousands of objects that live as long as the process, and collecting while they are
    made only walks them again and again (and in a worker copies every page they are on).
    Here what exists is frozen (never walked again, so a worker keeps sharing those pages
    with the parent) and collecting resumes for what the outputs make: the parent after its
    first source, a worker after its first library or output. Nothing when it was on."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def handle_build_signals() -> None:
    """Set up the building process: "file too large" (``ulimit -f``) becomes an ordinary
    OSError, and SIGTERM (CI's timeout) unwinds like Ctrl-C, so that temporary outputs are
    removed and workers stopped instead of the process vanishing mid-write."""
    import signal

    _ignore_file_size_signal()
    signal.signal(signal.SIGTERM, _terminated)


def _ignore_file_size_signal() -> None:
    import signal

    if hasattr(signal, "SIGXFSZ"):
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)


def _terminated(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)


def _start_worker() -> None:
    """A worker finishes its output whatever the terminal sends the process group: the parent
    takes Ctrl-C and SIGTERM, cancels what has not started and removes the temporary files."""
    import signal

    _ignore_file_size_signal()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def render_task(task: Task) -> tuple[list[Problem], int]:
    """Render one output into its temporary file; return its problems and milliseconds (0 when
    it failed)."""
    from kzreport.renderers import renderer

    started = time.perf_counter()
    try:
        warnings = renderer(task.format).render(task.document, task.layout, task.temp)
    except KzreportError as exc:
        return list(exc.problems), 0
    except OSError as exc:
        return [write_problem(task.temp.parent, exc)], 0
    except Exception as exc:  # a bug must fail one output cleanly, not the whole batch
        return [Problem(task.document.source, None,
                        f"internal error in the {task.format} renderer: {exc!r}"[:300],
                        "please report this as a kzreport bug")], 0
    return warnings, round((time.perf_counter() - started) * 1000)


def serve(connection: Connection) -> None:
    """Render each output the parent sends until it sends None or goes; a format's name alone
    asks to load that format's library (see ``TaskRunner.preload``), and is not answered."""
    while True:
        try:
            task = connection.recv()
        except EOFError:  # the parent is gone
            return
        if task is None:
            return
        if isinstance(task, str):
            _load(task)
        else:
            connection.send(render_task(task))
        resume_collection()  # its library is imported now


def _work(connection: Connection, others: list[Connection]) -> None:
    """A worker process's life. ``others``: the parent's ends of its own pipe and of the
    pipes to the workers started before it, which a forked process inherits; closed at once,
    so that when the parent dies (even by SIGKILL) every worker reads the end of its pipe
    and exits, instead of keeping its own and the others' pipes open forever."""
    for other in others:
        other.close()
    _start_worker()
    serve(connection)


def _load(format_name: str) -> None:
    from kzreport.renderers import renderer

    # Only a head start: a library that fails to load fails again, and is reported, when
    # the worker renders its first output of that format.
    with contextlib.suppress(Exception):
        renderer(format_name).load()


@record(frozen=False)
class _Worker:
    """A worker process, the parent's end of its pipe, and the output it is rendering now."""

    process: BaseProcess
    connection: Connection
    task: int | None = None


class TaskRunner:
    """Renders outputs as they are planned: here when there is one job (or one output), else in
    worker processes that start with the first output, or before the first source is read
    (``preload``), so that they load their libraries while the sources are still being read.
    Which worker renders which output is the ``Schedule``'s to say: workers specialise by
    format. Used as a context manager, it stops its workers on leaving; ``watch`` keeps one
    for many builds (``another_build``), so that its workers stay warm."""

    def __init__(self, jobs: int, most: int,
                 progress: Callable[[int], None] | None) -> None:
        self._jobs = min(jobs, most)
        self._progress = progress
        self._tasks: list[Task] = []
        self._results: list[Result] = []
        self._unfinished = 0
        self._schedule = Schedule(self._jobs)
        #: The worker processes by their number in the schedule.
        self._workers: dict[int, _Worker] = {}

    @contextlib.contextmanager
    def another_build(self, progress: Callable[[int], None] | None) -> Iterator[TaskRunner]:
        """This runner, with its warm workers, for one more build: it starts with no outputs,
        and on leaving (also on Ctrl-C) waits for the outputs being rendered, but keeps its
        workers."""
        self._progress = progress
        self._tasks, self._results, self._unfinished = [], [], 0
        try:
            yield self
        finally:
            self._drain()

    def preload(self, formats: Sequence[str]) -> None:
        """Start the workers now, each loading the library of the format it will be given
        first: they import while the parent is still reading the sources, on a core that
        would otherwise wait for the first one."""
        if self._jobs <= 1:
            return
        for number, name in self._schedule.start_ahead(formats):
            self._start(number).connection.send(name)

    def warm_up(self, formats: Sequence[str]) -> None:
        """Have every worker load every format's library now, while nothing waits (``watch``
        after its first build), so that no save waits for one; with one job, load them here."""
        if self._jobs <= 1:
            for name in formats:
                _load(name)
            return
        for number, name in self._schedule.start_ahead(formats):
            self._start(number).connection.send(name)
        for number, worker in self._workers.items():
            for name in self._schedule.load_everywhere(number, formats):
                worker.connection.send(name)

    def submit(self, task: Task) -> None:
        """Render ``task`` now (one job), or as soon as a worker is free."""
        index = len(self._tasks)
        self._tasks.append(task)
        self._results.append(None)
        self._unfinished += 1
        if self._jobs <= 1:
            self._finish(index, render_task(task))
            return
        self._schedule.wait(index, task.format)
        self._collect(block=False)
        self._dispatch()

    def results(self) -> list[Result]:
        """Every output's problems and milliseconds, in the order submitted; None for an output
        whose worker died (that output fails, the rest go on)."""
        while self._unfinished:
            self._collect(block=True)
            self._dispatch()
        return self._results

    def _dispatch(self) -> None:
        """Send the outputs the schedule assigns, starting the workers it starts."""
        for assignment in self._schedule.assign():
            worker = (self._start(assignment.worker) if assignment.starts
                      else self._workers[assignment.worker])
            worker.task = assignment.output
            worker.connection.send(self._tasks[assignment.output])

    def _start(self, number: int) -> _Worker:
        import multiprocessing

        from kzreport.renderers import load_shared

        load_shared()  # once here rather than in each worker
        context = multiprocessing.get_context()
        parent_end, child_end = context.Pipe()
        others = [parent_end, *(worker.connection for worker in self._workers.values())]
        process = context.Process(target=_work, args=(child_end, others), daemon=True)
        process.start()
        child_end.close()
        self._workers[number] = _Worker(process, parent_end)
        return self._workers[number]

    def _collect(self, block: bool) -> None:
        """Take the results of the workers that have finished (waiting for one if ``block``)."""
        from multiprocessing.connection import wait

        busy = {w.connection: number for number, w in self._workers.items() if w.task is not None}
        if not busy:
            return
        for connection in wait(list(busy), timeout=None if block else 0):
            number = busy[connection]  # type: ignore[index]  # wait() returns what it is given
            worker = self._workers[number]
            assert worker.task is not None
            result: Result = None
            try:
                result = worker.connection.recv()
            except (EOFError, OSError):  # the worker died (killed, out of memory)
                del self._workers[number]
                self._schedule.lost(number)
                worker.process.join()
                worker.connection.close()
            else:
                self._schedule.finished(number, result[1])
            self._finish(worker.task, result)
            worker.task = None

    def _finish(self, index: int, result: Result) -> None:
        self._results[index] = result
        self._unfinished -= 1
        if self._progress:
            self._progress(1)

    def __enter__(self) -> TaskRunner:
        return self

    def _drain(self) -> None:
        """Wait for the outputs being rendered; start no more. Also on Ctrl-C, SIGTERM or an
        error: running outputs end (workers ignore Ctrl-C) and their results are read, so that
        no worker blocks writing one."""
        while any(worker.task is not None for worker in self._workers.values()):
            self._collect(block=True)
        for waiting in self._schedule.waiting.values():
            waiting.clear()

    def __exit__(self, *_: object) -> None:
        # No worker is left behind.
        try:
            self._drain()
        finally:
            for worker in self._workers.values():
                with contextlib.suppress(OSError):
                    worker.connection.send(None)
            for worker in self._workers.values():
                worker.process.join()
                worker.connection.close()
            self._workers.clear()
