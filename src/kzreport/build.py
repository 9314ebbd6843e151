"""Build and check papers: validate, skip what is current, render in workers, write atomically."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import math
import os
import shlex
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from kzreport import DEFAULT_OUT_DIR, __version__
from kzreport.errors import KzreportError, Problem, SourceError
from kzreport.glyphs import glyph_problems
from kzreport.layout import FACE_FIELDS, Layout, load_layout
from kzreport.model import Document

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

MANIFEST_NAME = ".kzreport-manifest.json"
MANIFEST_VERSION = 1
#: Temporary outputs start with this, so that a cleanup never touches anyone else's files.
_TEMP_PREFIX = ".kzreport-"


@dataclass(frozen=True)
class Options:
    """What ``kzreport build`` was asked to do."""

    out_dir: Path
    formats: tuple[str, ...]
    layout: str | None = None
    cwd: Path = field(default_factory=Path.cwd)
    strict: bool = False
    force: bool = False
    check_only: bool = False
    jobs: int = 1


@dataclass
class OutputResult:
    """One output file: what happened to it."""

    path: Path
    format: str
    status: str = "pending"  # built, skipped, failed, missing, stale, current
    sha256: str = ""
    milliseconds: int = 0


@dataclass
class Outcome:
    """What happened to one source: its outputs, and the problems found on the way."""

    source: Path
    outputs: list[OutputResult] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(p.severity == "error" for p in self.problems)


def build_command(source: Path, out_dir: Path, layout: str | None) -> str:
    """The ``kzreport build`` command line that rebuilds ``source``'s outputs where they were
    looked for, for hints the user can paste."""
    words = ["kzreport", "build", str(source)]
    if out_dir != DEFAULT_OUT_DIR:
        words += ["-o", str(out_dir)]
    if layout is not None:
        words += ["-l", layout]
    return shlex.join(words)


def find_sources(sources: Sequence[Path], cwd: Path) -> list[Path]:
    """The given sources, or every ``source/*.md`` under ``cwd`` when none are given."""
    if sources:
        return list(sources)
    found = sorted(Path("source").glob("*.md")) if cwd == Path.cwd() else sorted(
        (cwd / "source").glob("*.md"))
    if not found:
        raise SourceError([Problem(cwd / "source", None, "no sources given and no source/*.md "
                                   "found", "pass a paper's .md file or run in a project folder")])
    return found


#: Layouts already loaded in one run, by what names them: (spec, cwd, folder it is relative to).
LayoutCache = dict[tuple[str, Path, Path | None], Layout]


def layout_for(document: Document, spec: str | None, cwd: Path,
               loaded: LayoutCache | None = None) -> Layout:
    """The layout named on the command line, else by the source's ``layout:`` key, else default;
    ``loaded`` keeps the layouts of earlier sources of the same run (a batch in one layout
    reads and validates it once; errors are not kept, so each source reports its own)."""
    key: tuple[str, Path, Path | None]
    if spec is not None:
        key, referrer = (spec, cwd, None), "--layout"
    elif document.meta.layout is not None:
        # A path (or a folder holding a layout.toml) is relative to the source; any other
        # name is a project layout under cwd, else a built-in one.
        key = (document.meta.layout, cwd, document.source.parent)
        referrer = f"{document.source}:{document.lines.get('layout', 1)}"
    else:
        key, referrer = ("default", cwd, None), "layout"
    if loaded is not None and key in loaded:
        return loaded[key]
    layout = load_layout(key[0], cwd, referrer=referrer, base=key[2])
    if loaded is not None:
        loaded[key] = layout
    return layout


def document_problems(document: Document, layout: Layout) -> list[Problem]:
    """Problems that need both the paper and its layout to be seen."""
    problems = glyph_problems(document, layout)
    marking = document.meta.marking
    if marking is not None and layout.marking_style(marking) is None:
        known = ", ".join(layout.markings)
        problems.append(Problem(document.source, document.lines.get("marking"),
                                f"marking '{marking}' has no banner colour in layout "
                                f"'{layout.name}'", f"start it with one of: {known}"))
    return problems


def prepare(source: Path, layout_spec: str | None, cwd: Path,
            loaded: LayoutCache | None = None) -> tuple[Document, Layout]:
    """Parse ``source`` and load its layout (kept in ``loaded``, see ``layout_for``); raise
    ``KzreportError`` listing every problem."""
    from kzreport.source import read_source  # the parser's libraries load only when needed

    document = read_source(source)
    layout = layout_for(document, layout_spec, cwd, loaded)
    problems = document_problems(document, layout)
    if problems:
        raise SourceError(problems)
    return document, layout


def check_sources(sources: Sequence[Path], layout_spec: str | None, cwd: Path,
                  strict: bool = False) -> list[Outcome]:
    """Parse and validate ``sources`` and their layouts without writing anything (refusing, as
    ``build`` would, sources whose outputs share names); ``strict`` makes warnings errors."""
    outcomes = _outcomes(sources)
    loaded: LayoutCache = {}
    for outcome in outcomes:
        if not outcome.failed:
            _validated(outcome, layout_spec, cwd, strict, loaded)
    return outcomes


def _validated(outcome: Outcome, layout_spec: str | None, cwd: Path, strict: bool,
               loaded: LayoutCache) -> tuple[Document, Layout] | None:
    """The paper and layout of ``outcome``'s source when they are valid; else None, with
    every problem (and, ``strict``, every warning) recorded on ``outcome``."""
    from kzreport.lint import accessibility_warnings

    try:
        document, layout = prepare(outcome.source, layout_spec, cwd, loaded)
    except KzreportError as exc:
        outcome.problems.extend(exc.problems)
        return None
    outcome.problems.extend(_strictly(accessibility_warnings(document), strict))
    return None if outcome.failed else (document, layout)


# ---------------------------------------------------------------- the manifest


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


def input_digest(document: Document, layout: Layout, format_name: str) -> dict[str, object]:
    """What an output was built from; an output is current while this stays the same.

    Inputs are named by file name and content, not by absolute path, so a project checked out
    or restored from a CI cache in another folder keeps its outputs current.
    """
    return {
        "format": format_name,
        "kzreport": __version__,
        "source_date_epoch": os.environ.get("SOURCE_DATE_EPOCH", ""),
        "inputs": sorted([p.name, sha256_of(p)] for p in input_files(document, layout)),
    }


def load_manifest(out_dir: Path) -> dict[str, dict[str, object]]:
    """The manifest's entries by output file name; empty when missing or unreadable."""
    try:
        data = json.loads((out_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != MANIFEST_VERSION:
        return {}
    outputs = data.get("outputs")
    return outputs if isinstance(outputs, dict) else {}


def save_manifest(out_dir: Path, entries: dict[str, dict[str, object]]) -> None:
    """Write the manifest atomically, like every other output."""
    text = json.dumps({"version": MANIFEST_VERSION, "outputs": dict(sorted(entries.items()))},
                      indent=2, ensure_ascii=False) + "\n"
    temp = _temp_beside(out_dir / MANIFEST_NAME)
    try:
        temp.write_text(text, encoding="utf-8")
        _publish(temp, out_dir / MANIFEST_NAME)
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


# ---------------------------------------------------------------- building


@dataclass(frozen=True)
class _Task:
    """One output to render in a worker: everything it needs, nothing it must look up."""

    document: Document
    layout: Layout
    format: str
    temp: Path


@dataclass
class _Planned:
    """An output that needs building, with what it is built from."""

    outcome: Outcome
    result: OutputResult
    document: Document
    layout: Layout
    digest: dict[str, object]
    temp: Path | None = None


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


def _render(task: _Task) -> tuple[list[Problem], int]:
    """Render one output into its temporary file (runs in a worker process)."""
    from kzreport.renderers import renderers

    started = time.perf_counter()
    try:
        warnings = renderers()[task.format].render(task.document, task.layout, task.temp)
    except KzreportError as exc:
        return list(exc.problems), 0
    except OSError as exc:
        return [_write_problem(task.temp.parent, exc)], 0
    except Exception as exc:  # a bug must fail one output cleanly, not the whole batch
        return [Problem(task.document.source, None,
                        f"internal error in the {task.format} renderer: {exc!r}"[:300],
                        "please report this as a kzreport bug")], 0
    return warnings, round((time.perf_counter() - started) * 1000)


def _write_problem(folder: Path, exc: OSError) -> Problem:
    return Problem(folder, None, f"cannot write output: {exc.strerror or exc}",
                   "check free space, file size limits and permissions of the output folder")


def build(sources: Sequence[Path], options: Options,
          progress: Callable[[int], None] | None = None) -> list[Outcome]:
    """Build (or with ``check_only``, check) every source; return one outcome per source.

    Each source's outputs are published together or not at all: a source with any error keeps
    its previous outputs untouched. Rendering starts as soon as a source is parsed, so the
    workers render while later sources are still being read. ``progress`` is called with
    counts of outputs done that add up to ``len(sources) * len(options.formats)``.
    """
    _check_source_date_epoch()
    outcomes = _outcomes(sources)
    manifest = load_manifest(options.out_dir)
    loaded: LayoutCache = {}
    planned: list[_Planned] = []
    created = not options.out_dir.exists()
    runner = _TaskRunner(options.jobs, len(outcomes) * len(options.formats), progress)
    current: Outcome | None = None
    if progress and not options.check_only:  # a source named twice is built once
        progress((len(sources) - len(outcomes)) * len(options.formats))
    try:
        with runner:
            if not options.check_only and _surely_builds(outcomes, options, manifest):
                runner.preload(options.formats)
            for current in outcomes:
                new = _plan_source(current, options, manifest, loaded)
                if options.check_only:
                    continue
                if progress:  # what needs no rendering (skipped, failed) is done already
                    progress(len(options.formats) - len(new))
                if new and not planned:
                    _make_folder(options.out_dir)
                    _remove_stale_temps(options.out_dir)
                planned.extend(new)
                for item in new:
                    item.temp = _temp_beside(item.result.path)
                    runner.submit(_Task(item.document, item.layout, item.result.format,
                                        item.temp))
            results = runner.results()
        if planned:
            _publish_sources(planned, results, options, manifest)
    except (KzreportError, OSError) as exc:
        problems = (list(exc.problems) if isinstance(exc, KzreportError)
                    else [_write_problem(options.out_dir, exc)])
        # The sources with outputs under way, and the one being planned when it happened.
        concerned = {id(o): o for o in [*(item.outcome for item in planned), current] if o}
        for outcome in concerned.values():
            outcome.problems.extend(problems)
            for result in outcome.outputs:
                if result.status == "pending":
                    result.status = "failed"
    finally:
        for item in planned:
            if item.temp is not None:
                with contextlib.suppress(OSError):
                    item.temp.unlink()
        if created and planned:  # a failed first build leaves no empty folder (rmdir keeps
            with contextlib.suppress(OSError):  # a full one)
                options.out_dir.rmdir()
    return outcomes


def _surely_builds(outcomes: list[Outcome], options: Options,
                   manifest: dict[str, dict[str, object]]) -> bool:
    """Whether some output will be rendered whatever the sources say: ``--force``, or an
    output that is missing or not in the manifest. Only then do workers start before the
    first source is read; a build with everything current starts none."""
    return options.force or any(
        not target.exists() or target.name not in manifest
        for outcome in outcomes if not outcome.failed
        for target in (_target(outcome.source.stem, name, options) for name in options.formats))


def _plan_source(outcome: Outcome, options: Options, manifest: dict[str, dict[str, object]],
                 loaded: LayoutCache) -> list[_Planned]:
    """Validate ``outcome``'s source and record its outputs; return those that need building."""
    valid = None if outcome.failed else _validated(outcome, options.layout, options.cwd,
                                                   options.strict, loaded)
    new: list[_Planned] = []
    if valid is not None:
        for name in options.formats:
            new.extend(_plan(outcome, *valid, name, options, manifest))
    if outcome.failed and not outcome.outputs:  # every output is accounted for in --json
        outcome.outputs.extend(_failed_outputs(outcome.source, options))
    return new


#: 9999-12-31T23:59:59Z, the last moment the dates of a PDF or an Office package can carry.
MAX_SOURCE_DATE_EPOCH = 253402300799


def _check_source_date_epoch() -> None:
    """Refuse a ``SOURCE_DATE_EPOCH`` that is not a time the outputs can carry, before any
    format reads it (reportlab reads it on its own)."""
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if raw and not (raw.isdigit() and int(raw) <= MAX_SOURCE_DATE_EPOCH):
        raise KzreportError([Problem("SOURCE_DATE_EPOCH", None, f"not a time stamp: {raw!r}",
                                     "set it to whole seconds since 1970, e.g. "
                                     "$(git log -1 --format=%ct), or unset it")])


def _outcomes(sources: Sequence[Path]) -> list[Outcome]:
    """One outcome per source, in their first order: a file named twice is built once (a link
    under another name makes outputs of that name, so it counts as another source), and
    sources whose outputs would share names are failed."""
    seen: set[tuple[Path, str]] = set()
    outcomes = []
    for source in sources:
        key = (source.resolve(), source.stem)
        if key not in seen:
            seen.add(key)
            outcomes.append(Outcome(source))
    _refuse_shared_outputs(outcomes)
    return outcomes


def _refuse_shared_outputs(outcomes: list[Outcome]) -> None:
    """Fail every source whose outputs would have the same names as another's (``a/x.md`` and
    ``b/x.md`` both make ``x.docx``): one would silently overwrite the other."""
    by_stem: dict[str, list[Outcome]] = {}
    for outcome in outcomes:
        # casefold, deliberately conservative: on Windows and macOS file systems X.docx and
        # x.docx are the same file, and the same build must behave alike everywhere.
        by_stem.setdefault(outcome.source.stem.casefold(), []).append(outcome)
    for group in by_stem.values():
        for outcome in group if len(group) > 1 else ():
            others = ", ".join(str(o.source) for o in group if o is not outcome)
            outcome.problems.append(Problem(
                outcome.source, None, f"its outputs would have the same names as those of "
                f"{others}", "rename one of the sources, or build them in separate runs with "
                "different -o folders"))


def _target(stem: str, format_name: str, options: Options) -> Path:
    """Where the output of format ``format_name`` for a source named ``stem`` goes."""
    from kzreport.renderers import renderers

    return options.out_dir / f"{stem}{renderers()[format_name].extension}"


def _failed_outputs(source: Path, options: Options) -> list[OutputResult]:
    """The outputs of a source that failed before any could be planned."""
    return [OutputResult(_target(source.stem, name, options), name, status="failed")
            for name in options.formats]


def _plan(outcome: Outcome, document: Document, layout: Layout, name: str, options: Options,
          manifest: dict[str, dict[str, object]]) -> Iterator[_Planned]:
    """Record one output of a source and yield it when it needs building."""
    target = _target(document.stem, name, options)
    result = OutputResult(target, name)
    outcome.outputs.append(result)
    if target.is_dir():
        # Found now, not when renaming: by then the source's other outputs would be in place.
        result.status = "failed"
        outcome.problems.append(Problem(target, None, "the output path is a folder",
                                        "remove or rename that folder, or build with -o DIR"))
        return
    digest = input_digest(document, layout, name)
    state = is_current(target, manifest.get(target.name), digest)
    if options.check_only:
        result.status = state
        if state != "current":
            why = "does not exist" if state == "missing" else "is out of date with its inputs"
            outcome.problems.append(Problem(target, None, f"output {why}",
                                            "run " + build_command(outcome.source,
                                                                   options.out_dir,
                                                                   options.layout)))
        return
    if state == "current" and not options.force:
        result.status = "skipped"
        result.sha256 = str(manifest[target.name].get("sha256", ""))
        return
    yield _Planned(outcome, result, document, layout, digest)


_Result = tuple[list[Problem], int] | None


@dataclass
class _Worker:
    """A worker process, the parent's end of its pipe, the formats whose libraries it has
    loaded (or been asked to), those it has finished an output of, and the output it is
    rendering now."""

    process: BaseProcess
    connection: Connection
    formats: set[str] = field(default_factory=set)
    rendered: set[str] = field(default_factory=set)
    task: int | None = None


def _work(connection: Connection) -> None:
    """A worker's life: render each output the parent sends until it sends None or goes; a
    format's name alone asks it to load that format's library (see ``_TaskRunner.preload``)."""
    _start_worker()
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
            connection.send(_render(task))


def _load(format_name: str) -> None:
    from kzreport.renderers import renderers

    # Only a head start: a library that fails to load fails again, and is reported, when
    # the worker renders its first output of that format.
    with contextlib.suppress(Exception):
        renderers()[format_name].load()


class _TaskRunner:
    """Renders outputs as they are planned: here when there is one job (or one output), else in
    worker processes that start with the first output, or before the first source is read
    (``preload``), so that they load their libraries while the sources are still being read.

    Workers specialise, because a format's first output in a process costs as much as several
    more (importing reportlab, python-docx or python-pptx and preparing the template), so
    each library should load in as few workers as the load can be balanced with. A free
    worker takes the oldest waiting output of, in this order of preference:

    1. a format no worker has loaded: someone has to, and the sooner the better;
    2. a format only it has loaded, the one that costs most to start first (see
       ``_start_up``): nobody else can take those without loading them too, and the cheap
       ones are better left waiting for another worker to share;
    3. a format it shares with other workers: these even out the workers' loads at the end;
    4. a format other workers have loaded, when what waits of it is worth loading it again
       (see ``_worth_loading``), the cheapest to start first; it becomes a shared format.

    With ``-j 2`` and the three formats, one worker renders the PDFs and the other the decks
    while the briefs wait, until the first runs out of PDFs and takes the briefs: they, the
    cheapest to start, are what both workers load, and what evens out their loads. The
    offers of all free workers are compared, so an output goes to the worker that prefers it
    most.
    """

    def __init__(self, jobs: int, most: int,
                 progress: Callable[[int], None] | None) -> None:
        self._jobs = min(jobs, most)
        self._progress = progress
        self._tasks: list[_Task] = []
        self._results: list[_Result] = []
        self._unfinished = 0
        #: Outputs not yet sent to a worker, oldest first, by format.
        self._waiting: dict[str, deque[int]] = {}
        self._workers: list[_Worker] = []
        #: Milliseconds of the first output of each format a worker rendered (its start-up
        #: included) and of the latest later one.
        self._first_ms: dict[str, int] = {}
        self._later_ms: dict[str, int] = {}

    def preload(self, formats: Sequence[str]) -> None:
        """Start the workers now, each loading the library of the format it will be given
        first (the first worker the first format, and so on): they import while the parent
        is still reading the sources, on a core that would otherwise wait for the first one.
        """
        if self._jobs <= 1:
            return
        while len(self._workers) < self._jobs:
            worker = self._start()
            name = formats[(len(self._workers) - 1) % len(formats)]
            worker.connection.send(name)
            worker.formats.add(name)

    def submit(self, task: _Task) -> None:
        """Render ``task`` now (one job), or as soon as a worker is free."""
        index = len(self._tasks)
        self._tasks.append(task)
        self._results.append(None)
        self._unfinished += 1
        if self._jobs <= 1:
            self._finish(index, _render(task))
            return
        self._waiting.setdefault(task.format, deque()).append(index)
        self._collect(block=False)
        self._dispatch()

    def results(self) -> list[_Result]:
        """Every output's problems and milliseconds, in the order submitted; None for an output
        whose worker died (that output fails, the rest go on)."""
        while self._unfinished:
            self._collect(block=True)
            self._dispatch()
        return self._results

    def _dispatch(self) -> None:
        """Give free workers the outputs they should take (see the class): the best-placed
        worker first, starting workers up to the number of jobs. Whenever every worker is
        free, some worker takes an output: each waiting format is either loaded by a worker,
        which takes it, or by none (preference 1)."""
        while any(self._waiting.values()):
            offers = [(choice, n, worker) for n, worker in enumerate(self._workers)
                      if worker.task is None and (choice := self._choose(worker)) is not None]
            if offers:
                (_, index), _, worker = min(offers, key=lambda offer: offer[:2])
            elif len(self._workers) < self._jobs and (choice := self._choose(None)):
                index, worker = choice[1], self._start()
            else:
                return
            task = self._tasks[index]
            self._waiting[task.format].popleft()
            worker.formats.add(task.format)
            worker.task = index
            worker.connection.send(task)

    def _choose(self, worker: _Worker | None) -> tuple[int, int] | None:
        """The preference (1 to 4, see the class) and index of the waiting output ``worker``
        (None: a worker yet to start) should take next; None when it should wait."""
        heads = {name: queue[0] for name, queue in self._waiting.items() if queue}
        mine = worker.formats if worker is not None else set()
        elsewhere = set().union(*(w.formats for w in self._workers if w is not worker))
        fresh = [index for name, index in heads.items() if name not in mine | elsewhere]
        if fresh:
            return 1, min(fresh)
        own = [(-self._start_up(name), index) for name, index in heads.items()
               if name in mine - elsewhere]
        if own:
            return 2, min(own)[1]
        shared = [index for name, index in heads.items() if name in mine]
        if shared:
            return 3, min(shared)
        loadable = [(self._start_up(name), index) for name, index in heads.items()
                    if self._worth_loading(name)]
        return (4, min(loadable)[1]) if loadable else None

    def _start_up(self, name: str) -> float:
        """The milliseconds a worker's first output of format ``name`` cost over a later one
        (its library and template); infinite until both have been measured, as a format
        about to be measured may well be the dearest."""
        first, later = self._first_ms.get(name), self._later_ms.get(name)
        return math.inf if first is None or later is None else max(0, first - later)

    def _worth_loading(self, name: str) -> bool:
        """Whether another worker should load format ``name``: when the outputs of it still
        waiting take longer than twice its start-up, so that sharing them gains more than the
        start-up costs. Without timings yet, yes."""
        start_up = self._start_up(name)
        waiting = len(self._waiting[name])
        return start_up == math.inf or waiting * self._later_ms[name] > 2 * start_up

    def _start(self) -> _Worker:
        import multiprocessing

        context = multiprocessing.get_context()
        parent_end, child_end = context.Pipe()
        process = context.Process(target=_work, args=(child_end,), daemon=True)
        process.start()
        child_end.close()
        self._workers.append(_Worker(process, parent_end))
        return self._workers[-1]

    def _collect(self, block: bool) -> None:
        """Take the results of the workers that have finished (waiting for one if ``block``)."""
        from multiprocessing.connection import wait

        busy = {w.connection: w for w in self._workers if w.task is not None}
        if not busy:
            return
        for connection in wait(list(busy), timeout=None if block else 0):
            worker = busy[connection]  # type: ignore[index]  # wait() returns what it is given
            assert worker.task is not None
            try:
                result: _Result = worker.connection.recv()
            except (EOFError, OSError):  # the worker died (killed, out of memory)
                result = None
                self._workers.remove(worker)
                worker.process.join()
                worker.connection.close()
            self._time(worker, self._tasks[worker.task].format, result)
            self._finish(worker.task, result)
            worker.task = None

    def _time(self, worker: _Worker, name: str, result: _Result) -> None:
        """Record how long ``worker`` took for an output of format ``name`` (see
        ``_worth_loading``); failed outputs, which report no time, tell nothing."""
        if result is None or not result[1]:
            return
        if name in worker.rendered:
            self._later_ms[name] = result[1]
        else:
            worker.rendered.add(name)
            self._first_ms.setdefault(name, result[1])

    def _finish(self, index: int, result: _Result) -> None:
        self._results[index] = result
        self._unfinished -= 1
        if self._progress:
            self._progress(1)

    def __enter__(self) -> _TaskRunner:
        return self

    def __exit__(self, *_: object) -> None:
        # Also on Ctrl-C, SIGTERM or an error: running outputs end (workers ignore Ctrl-C) and
        # their results are read, so that no worker blocks writing one; none start, and no
        # worker is left behind.
        try:
            while any(worker.task is not None for worker in self._workers):
                self._collect(block=True)
        finally:
            for worker in self._workers:
                with contextlib.suppress(OSError):
                    worker.connection.send(None)
            for worker in self._workers:
                worker.process.join()
                worker.connection.close()
            self._workers.clear()


def _publish_sources(planned: list[_Planned], results: list[_Result],
                     options: Options, manifest: dict[str, dict[str, object]]) -> None:
    """Rename each fully successful source's outputs into place and record them."""
    by_source: dict[int, list[tuple[_Planned, tuple[list[Problem], int] | None]]] = {}
    for item, returned in zip(planned, results, strict=True):
        by_source.setdefault(id(item.outcome), []).append((item, returned))
    for group in by_source.values():
        outcome = group[0][0].outcome
        for item, returned in group:
            if returned is None:
                outcome.problems.append(Problem(item.result.path, None, "the worker process "
                                                "building this output died",
                                                "run the build again"))
                continue
            problems, item.result.milliseconds = returned
            outcome.problems.extend(_strictly(problems, options.strict))
        for item, _ in group:
            if outcome.failed or item.temp is None:
                item.result.status = "failed"
                continue
            item.result.sha256 = sha256_of(item.temp)
            _publish(item.temp, item.result.path)
            item.result.status = "built"
            manifest[item.result.path.name] = {
                "source": str(outcome.source), "format": item.result.format,
                "sha256": item.result.sha256, "built_from": item.digest}
    if any(item.result.status == "built" for item in planned):
        save_manifest(options.out_dir, manifest)


def _strictly(problems: list[Problem], strict: bool) -> list[Problem]:
    """``problems`` with warnings turned into errors when ``strict``."""
    if not strict:
        return problems
    return [replace(p, severity="error") for p in problems]


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise KzreportError([Problem(folder, None, f"cannot create output folder: "
                                     f"{exc.strerror}", "choose another folder with -o")]) from None


def _temp_beside(target: Path) -> Path:
    """A fresh temporary file in ``target``'s folder, so the final rename is atomic."""
    try:
        handle, name = tempfile.mkstemp(prefix=f"{_TEMP_PREFIX}{target.name}.", suffix=".tmp",
                                        dir=target.parent)
    except OSError as exc:
        raise KzreportError([_write_problem(target.parent, exc)]) from None
    os.close(handle)
    return Path(name)


def _publish(temp: Path, target: Path) -> None:
    """Give ``temp`` ordinary permissions and rename it over ``target`` in one step."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(temp, 0o666 & ~umask)
    os.replace(temp, target)


def _remove_stale_temps(folder: Path) -> None:
    """Delete temporary files left by a build that was killed (only kzreport's own, and only
    old ones: a concurrent build into the same folder may still be writing fresh ones)."""
    for leftover in folder.glob(f"{_TEMP_PREFIX}*.tmp"):
        with contextlib.suppress(OSError):
            if time.time() - leftover.stat().st_mtime > 60:
                leftover.unlink()
