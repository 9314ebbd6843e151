"""Benchmark kzreport against Pandoc on this machine, side by side in one run.

Run it with the project's virtual environment (it needs nothing outside the standard library,
PyYAML from the venv and, optionally, pypandoc-binary to find Pandoc)::

    /work/venv/bin/python benchmarks/run.py [--repeats N] [--json PATH] [--profile DIR]

It measures, each as the median of N fresh-process runs after one warm-up run:

1. the seed paper (``source/kazakhstan-position.md``) in docx, pdf and pptx: one
   ``kzreport build`` against three ``pandoc`` processes;
2. a batch of distinct variants of the seed: one ``kzreport build -j J`` call against Pandoc
   producing the same files, ``--pandoc-jobs`` processes at a time (default 2, like-for-like
   with ``-j 2``);
3. a paper ten times longer (body repeated, key points repeated into a dozen);
4. the bare import of python-docx + python-pptx + reportlab and ``kzreport --help``.

It prints a table, the ratios against the project's targets and writes everything as JSON with
``--json``. It is a script, not a test: it lives outside ``tests/`` on purpose.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import importlib.metadata
import importlib.util
import json
import os
import platform
import pstats
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kzreport.atomic import stamps

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "source" / "kazakhstan-position.md"
FORMATS = ("docx", "pdf", "pptx")
LIBRARY_IMPORT = "import docx, pptx, reportlab.platypus"
VERSIONED = ("kzreport", "python-docx", "python-pptx", "reportlab", "Pillow", "PyYAML",
             "markdown-it-py", "click", "lxml", "pypandoc-binary", "typst")

PANDOC_HELP = (
    "Pandoc was not found. Install it into this venv from PyPI (the binary ships inside the "
    "package):\n    {python} -m pip install pypandoc-binary\nor pass --pandoc PATH.")
LATEX_HELP = (
    "The LaTeX engine {engine!r} was not found (Pandoc needs it for PDF). Install it from "
    "Debian's packages:\n    apt-get update\n    DEBIAN_FRONTEND=noninteractive apt-get install -y "
    "--no-install-recommends texlive-latex-base texlive-latex-recommended "
    "texlive-fonts-recommended lmodern\n    (and texlive-xetex for --pdf-engine xelatex, "
    "texlive-luatex for lualatex)")


TYPST_HELP = (
    "Typst was not found (the second peer typesets Pandoc's Typst output with it). Install "
    "the Python binding from PyPI into this venv:\n    {python} -m pip install typst\n"
    "or put the typst executable on PATH, or run with --no-typst.")
#: The Typst compiler of the ``typst`` package from PyPI, as a process of its own.
TYPST_COMPILE = "import sys, typst; typst.compile(sys.argv[1], output=sys.argv[2])"


class BenchError(RuntimeError):
    """A benchmarked command failed, or a tool the benchmark needs is missing."""


# --------------------------------------------------------------------------------------------
# Running and timing commands


CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
CPUS = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


@dataclass
class Run:
    """One timed execution of a group of commands."""

    seconds: float
    max_rss_kb: int
    #: CPU time (user + system) of the measured processes and all their descendants.
    cpu_s: float
    #: CPU time other processes on the machine used meanwhile: the noise in this run.
    foreign_cpu_s: float
    #: Runs discarded before this one because other processes were busy during them.
    retries: int = 0

    @property
    def noise(self) -> float:
        """The share of the machine's CPU capacity that others used during the run."""
        return self.foreign_cpu_s / (self.seconds * CPUS) if self.seconds > 0 else 0.0


@dataclass
class Measurement:
    """The repeated runs of one benchmark case."""

    key: str
    label: str
    #: Jobs run ``parallel`` at a time; the commands of one job run one after another (Pandoc
    #: writing Typst, then Typst compiling it).
    jobs: list[list[list[str]]]
    parallel: int
    prepare: Callable[[], None] | None = None
    runs: list[Run] = field(default_factory=list)
    note: str = ""
    #: Variables set for this case's processes only.
    env: dict[str, str] = field(default_factory=dict)

    @property
    def commands(self) -> list[list[str]]:
        """Every command of every job."""
        return [command for job in self.jobs for command in job]

    @property
    def median(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def best(self) -> float:
        return min(r.seconds for r in self.runs)

    @property
    def max_rss_mb(self) -> float:
        return max(r.max_rss_kb for r in self.runs) / 1024

    def summary(self) -> dict[str, Any]:
        """The measurement as JSON-ready data."""
        seconds = [r.seconds for r in self.runs]
        return {"label": self.label, "median_s": self.median, "min_s": min(seconds),
                "max_s": max(seconds), "runs_s": seconds, "peak_rss_mb": self.max_rss_mb,
                "cpu_s_median": statistics.median(r.cpu_s for r in self.runs),
                "noise_max": max(r.noise for r in self.runs),
                "retries": sum(r.retries for r in self.runs),
                "parallel_processes": self.parallel, "process_count": len(self.commands),
                "first_command": self.commands[0], "note": self.note}


def child_env(work: Path, bytecode: str) -> dict[str, str]:
    """The environment of every measured process.

    With ``bytecode="cached"`` (the default) ``PYTHONDONTWRITEBYTECODE`` is dropped and
    ``PYTHONPYCACHEPREFIX`` points into the work folder, so the warm-up run compiles every
    module once and the timed runs load bytecode, as after a normal ``pip install`` -- without
    writing ``__pycache__`` folders into the repository. ``as-is`` keeps this shell's setting.
    """
    env = dict(os.environ)
    if bytecode == "cached":
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    return env


def busy_seconds() -> float:
    """CPU seconds the whole machine has been busy since boot (all cores; 0 if unknown)."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]
    except OSError:
        return 0.0
    values = [int(v) for v in fields]
    return (sum(values) - values[3] - values[4]) / CLOCK_TICKS  # all but idle and iowait


def wait_until_quiet(threshold: float, limit: float) -> None:
    """Wait (at most ``limit`` seconds) until others use under ``threshold`` of the CPUs."""
    deadline = time.monotonic() + limit
    while True:
        before = busy_seconds()
        time.sleep(0.5)
        if (busy_seconds() - before) / (0.5 * CPUS) < threshold or time.monotonic() > deadline:
            return


def spawn(command: Sequence[str], cwd: Path, env: dict[str, str] | None) -> tuple[int, float]:
    """Run ``command`` to completion in a fresh process; return its peak RSS (KiB) and CPU s.

    The child is reaped with ``os.wait4`` so its own resource usage (which covers every
    descendant it waited for: Pandoc's LaTeX run, kzreport's worker processes) is read exactly,
    rather than as a high-water mark shared by all children of this script.
    """
    with tempfile.TemporaryFile() as stderr:
        try:
            process = subprocess.Popen(command, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                                       stdout=subprocess.DEVNULL, stderr=stderr)
        except OSError as exc:
            raise BenchError(f"cannot run {command[0]}: {exc.strerror}") from None
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            stderr.seek(0)
            tail = stderr.read().decode("utf-8", "replace")[-2000:]
            raise BenchError(f"command failed with exit status {process.returncode}: "
                             f"{' '.join(command)}\n{tail}")
    return int(usage.ru_maxrss), usage.ru_utime + usage.ru_stime


def run_group(jobs: Sequence[Sequence[Sequence[str]]], cwd: Path, parallel: int,
              env: dict[str, str] | None = None) -> Run:
    """Run every job (``parallel`` at a time; a job's commands one after another) and time the
    whole group, wall clock."""
    busy = busy_seconds()
    start = time.perf_counter()
    if parallel <= 1:
        usages = [spawn(command, cwd, env) for job in jobs for command in job]
    else:
        with ThreadPoolExecutor(max_workers=parallel) as pool:
            usages = [usage for done in pool.map(
                lambda job: [spawn(command, cwd, env) for command in job], jobs)
                for usage in done]
    seconds = time.perf_counter() - start
    cpu = sum(u[1] for u in usages)
    foreign = max(0.0, busy_seconds() - busy - cpu)
    return Run(seconds, max(u[0] for u in usages), cpu, foreign)


@dataclass
class Schedule:
    """How the runs are laid out and guarded against other load on the machine."""

    cwd: Path
    env: dict[str, str]
    repeats: int
    #: Share of the CPUs others may use before a run is waited for or repeated.
    quiet: float = 0.1
    #: Seconds to wait for quiet before a run, and attempts per run when others interfered.
    wait: float = 30.0
    attempts: int = 3

    def run(self, measurements: Sequence[Measurement]) -> None:
        """Warm every case up once, then time them in rounds: round r runs each case once.

        Interleaving the cases spreads any burst of outside load over all of them instead of
        skewing one; a run during which others used more than ``quiet`` of the CPUs is repeated
        (up to ``attempts`` times, keeping the quietest).
        """
        print(f"warm-up ({len(measurements)} cases) ...", flush=True)
        for measurement in measurements:
            self._once(measurement)
        for round_number in range(1, self.repeats + 1):
            print(f"round {round_number}/{self.repeats} ...", end="", flush=True)
            for measurement in measurements:
                tries = []
                for _ in range(max(1, self.attempts)):
                    wait_until_quiet(self.quiet, self.wait)
                    tries.append(self._once(measurement))
                    if tries[-1].noise <= self.quiet:
                        break
                best = min(tries, key=lambda r: r.noise)
                best.retries = len(tries) - 1
                measurement.runs.append(best)
                print(".", end="", flush=True)
            print()

    def _once(self, measurement: Measurement) -> Run:
        if measurement.prepare is not None:
            measurement.prepare()
        return run_group(measurement.jobs, self.cwd, measurement.parallel,
                         self.env | measurement.env)


def both(first: Callable[[], None], second: Callable[[], None]) -> Callable[[], None]:
    """A ``prepare`` step that runs two."""
    def prepare() -> None:
        first()
        second()
    return prepare


def fresh_folder(folder: Path) -> Callable[[], None]:
    """A ``prepare`` step that empties ``folder`` so every run builds from nothing."""
    def prepare() -> None:
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
    return prepare


# --------------------------------------------------------------------------------------------
# Inputs: the seed, its variants, the long paper and Pandoc's view of each


@dataclass
class Paper:
    """A kzreport source split into the parts the benchmark varies."""

    meta: dict[str, Any]
    paragraphs: list[str]
    key_points: list[str]

    @classmethod
    def read(cls, path: Path) -> Paper:
        """Split ``path`` into front matter, body paragraphs and key-point items."""
        text = path.read_text(encoding="utf-8")
        match = re.match(r"---\n(.*?)\n---\n(.*)", text, re.S)
        if match is None:
            raise BenchError(f"{path}: no YAML front matter")
        meta = yaml.safe_load(match.group(1))
        body, _, points = match.group(2).partition("## Key Points")
        items = re.split(r"^- ", points.strip(), flags=re.M)
        return cls(meta, [p.strip() for p in body.split("\n\n") if p.strip()],
                   [item.rstrip() for item in items if item.strip()])

    def kzreport_text(self) -> str:
        """The paper as a kzreport source."""
        front = yaml.safe_dump(self.meta, allow_unicode=True, sort_keys=False, width=100)
        points = "\n".join(f"- {item}" for item in self.key_points)
        return f"---\n{front}---\n\n" + "\n\n".join(self.paragraphs) + \
            f"\n\n## Key Points\n\n{points}\n"

    def pandoc_text(self) -> str:
        """The same paper for Pandoc: its metadata keys mapped, the rest moved into the body.

        ``authors`` becomes ``author`` (name, affiliation), ``language`` becomes ``lang`` and
        ``summary`` becomes ``abstract``; ``organization`` opens the body, ``links`` become a
        "Further reading" list and the ``disclaimer`` closes it, so both tools typeset the same
        content.
        """
        meta = self.meta
        authors = [a if isinstance(a, str) else ", ".join(filter(None, (a.get("name"),
                                                                        a.get("affiliation"))))
                   for a in meta.get("authors", [])]
        mapped: dict[str, Any] = {"title": meta["title"], "author": authors,
                                  "date": str(meta["date"])}
        for ours, theirs in (("subtitle", "subtitle"), ("keywords", "keywords"),
                             ("language", "lang"), ("summary", "abstract")):
            if ours in meta:
                mapped[theirs] = meta[ours]
        head = [f"*{meta['organization']}*"] if meta.get("organization") else []
        tail = []
        if meta.get("links"):
            tail.append("## Further reading\n\n" + "\n".join(
                f"- [{link['label']}]({link['url']})" for link in meta["links"]))
        if meta.get("disclaimer"):
            tail.append(f"*{meta['disclaimer']}*")
        front = yaml.safe_dump(mapped, allow_unicode=True, sort_keys=False, width=100)
        points = "\n".join(f"- {item}" for item in self.key_points)
        return (f"---\n{front}---\n\n" + "\n\n".join(head + self.paragraphs)
                + f"\n\n## Key Points\n\n{points}\n\n" + "\n\n".join(tail) + "\n")

    def variant(self, number: int) -> Paper:
        """A distinct paper: its own title and date, its paragraphs and key points shuffled."""
        rng = random.Random(number)
        meta = dict(self.meta)
        meta["title"] = f"{meta['title']} — Brief {number:02d}"
        meta["date"] = meta["date"] + dt.timedelta(days=number)
        paragraphs, points = list(self.paragraphs), list(self.key_points)
        rng.shuffle(paragraphs)
        rng.shuffle(points)
        return Paper(meta, paragraphs, points)

    def longer(self, factor: int, points: int) -> Paper:
        """The body repeated ``factor`` times and the key points cycled up to ``points``."""
        meta = dict(self.meta)
        meta["title"] = f"{meta['title']} (×{factor})"
        cycled = [self.key_points[i % len(self.key_points)] for i in range(points)]
        return Paper(meta, self.paragraphs * factor, cycled)


def write_pair(paper: Paper, stem: str, folder: Path) -> tuple[Path, Path]:
    """Write ``paper`` as ``folder/kz/STEM.md`` and ``folder/pandoc/STEM.md``."""
    kz, pandoc = folder / "kz" / f"{stem}.md", folder / "pandoc" / f"{stem}.md"
    for path, text in ((kz, paper.kzreport_text()), (pandoc, paper.pandoc_text())):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return kz, pandoc


# --------------------------------------------------------------------------------------------
# Tools


@dataclass
class Tools:
    """The executables being compared and what the installed kzreport can do."""

    python: str
    kzreport: str
    pandoc: str
    pdf_engine: str
    pdf_engine_note: str = ""
    #: The command that compiles ``IN.typ OUT.pdf``: the typst executable's ``compile``, or
    #: Python with the ``typst`` package; empty with ``--no-typst``.
    typst: list[str] = field(default_factory=list)
    kz_formats: tuple[str, ...] = ()
    has_jobs: bool = False
    has_force: bool = False
    has_watch: bool = False

    def kz_build(self, sources: Sequence[Path], out: Path, jobs: int | None = None,
                 formats: Sequence[str] | None = None) -> list[str]:
        """A ``kzreport build`` command line for ``sources`` into ``out``."""
        command = [self.kzreport, "build", *map(str, sources), "-o", str(out)]
        for name in formats if formats is not None else self.kz_formats:
            command += ["-f", name]
        if jobs is not None and self.has_jobs:
            command += ["-j", str(jobs)]
        if self.has_force:
            command.append("--force")
        return command

    def pandoc_commands(self, source: Path, out: Path,
                        formats: Sequence[str] = FORMATS) -> list[list[str]]:
        """One ``pandoc`` process per format for ``source``, writing into ``out``."""
        commands = []
        for name in formats:
            command = [self.pandoc, str(source), "-o", str(out / f"{source.stem}.{name}")]
            if name == "pdf":
                command.append(f"--pdf-engine={self.pdf_engine}")
            commands.append(command)
        return commands

    def typst_jobs(self, source: Path, out: Path, paper: Paper,
                   formats: Sequence[str] = FORMATS) -> list[list[list[str]]]:
        """The second peer, Pandoc + Typst: ``pandoc`` for the docx and the pptx, and for the
        PDF ``pandoc -t typst`` then Typst compiling that (one job of two processes)."""
        jobs = [[command] for command in self.pandoc_commands(
            source, out, [name for name in formats if name != "pdf"])]
        if "pdf" in formats:
            typ, pdf = out / f"{source.stem}.typ", out / f"{source.stem}.pdf"
            jobs.append([[self.pandoc, str(source), "-s", "-t", "typst", "-o", str(typ),
                          *typst_keywords(paper)], [*self.typst, str(typ), str(pdf)]])
        return jobs


def typst_keywords(paper: Paper) -> list[str]:
    """Pandoc 3.9's Typst template writes each keyword into Typst code as bare markup
    (``keywords: (Central Asia, ...)``), which Typst refuses; the same keywords given as
    variables holding Typst strings go into the PDF's metadata as the pdflatex peer's do."""
    return [argument for keyword in paper.meta.get("keywords", [])
            for argument in ("-V", "keywords=" + json.dumps(str(keyword), ensure_ascii=False))]


def find_typst(python: str) -> list[str]:
    """The typst executable on PATH, else the ``typst`` package in this Python."""
    found = shutil.which("typst")
    if found is not None:
        return [found, "compile"]
    if importlib.util.find_spec("typst") is None:
        raise BenchError(TYPST_HELP.format(python=python))
    return [python, "-c", TYPST_COMPILE]


def find_pandoc(given: str | None) -> str:
    """Pandoc from ``--pandoc``, the pypandoc-binary package, or ``PATH``."""
    if given:
        if shutil.which(given) is None:
            raise BenchError(f"--pandoc {given}: no such executable\n"
                             + PANDOC_HELP.format(python=sys.executable))
        return given
    spec = importlib.util.find_spec("pypandoc")
    if spec is not None and spec.submodule_search_locations:
        for folder in spec.submodule_search_locations:
            candidate = Path(folder) / "files" / "pandoc"
            if candidate.is_file() and os.access(candidate, os.X_OK):
                return str(candidate)
    found = shutil.which("pandoc")
    if found is None:
        raise BenchError(PANDOC_HELP.format(python=sys.executable))
    return found


def find_tools(args: argparse.Namespace, work: Path) -> Tools:
    """Locate kzreport, Pandoc and the LaTeX engine; ask kzreport what it supports."""
    kzreport = args.kzreport or shutil.which("kzreport", path=str(Path(sys.executable).parent)) \
        or shutil.which("kzreport")
    if kzreport is None:
        raise BenchError("kzreport was not found: install the project into this venv "
                         f"({sys.executable} -m pip install -e .) or pass --kzreport PATH")
    tools = Tools(sys.executable, kzreport, find_pandoc(args.pandoc), args.pdf_engine)
    if not args.no_typst:
        tools.typst = find_typst(sys.executable)
    tools.has_watch = "watch" in capture([kzreport, "--help"]).split()
    help_text = capture([kzreport, "build", "--help"])
    tools.has_jobs = "--jobs" in help_text
    tools.has_force = "--force" in help_text
    listed = capture([sys.executable, "-c", "from kzreport.renderers import renderers; "
                      "print(' '.join(renderers()))"]).split()
    tools.kz_formats = tuple(name for name in FORMATS if name in listed)
    choose_pdf_engine(tools, work)
    return tools


def choose_pdf_engine(tools: Tools, work: Path) -> None:
    """Pick Pandoc's LaTeX engine: pdflatex unless it cannot typeset the seed, then xelatex."""
    candidates = ["pdflatex", "xelatex"] if tools.pdf_engine == "auto" else [tools.pdf_engine]
    present = [engine for engine in candidates if shutil.which(engine)]
    if not present:
        raise BenchError(LATEX_HELP.format(engine=candidates[0]))
    source = work / "engine-probe.md"
    source.write_text(Paper.read(SEED).pandoc_text(), encoding="utf-8")
    failures = []
    for engine in present:
        tools.pdf_engine = engine
        try:
            spawn(tools.pandoc_commands(source, work, ["pdf"])[0], work, None)
        except BenchError as exc:
            failures.append(f"{engine} failed: {str(exc).splitlines()[-1]}")
            continue
        tools.pdf_engine_note = "; ".join(failures) or f"{engine} typesets the seed's Unicode"
        return
    raise BenchError("no LaTeX engine could typeset the seed:\n" + "\n".join(failures)
                     + "\n" + LATEX_HELP.format(engine="xelatex"))


def capture(command: Sequence[str]) -> str:
    """The standard output of a short command, or '' when it fails."""
    try:
        return subprocess.run(command, capture_output=True, text=True, check=False,
                              timeout=120).stdout
    except OSError:
        return ""


# --------------------------------------------------------------------------------------------
# The benchmark


@dataclass
class Target:
    """One ratio the project promises, and how this run compares."""

    name: str
    ratio: float
    limit: float
    numerator: str
    denominator: str
    #: The same ratio from each side's fastest run: the estimate least touched by outside load.
    best_ratio: float
    complete: bool = True

    @property
    def met(self) -> bool:
        return self.ratio <= self.limit

    def verdict(self) -> str:
        """``yes``/``NO`` with how far the ratio is from its limit."""
        if not self.complete:
            return "n/a (kzreport lacks a format or -j)"
        if self.met:
            return f"yes ({(1 - self.ratio / self.limit) * 100:.0f}% headroom)"
        return f"NO ({(self.ratio / self.limit - 1) * 100:.0f}% over)"


def process_cpu_seconds(pid: int) -> float:
    """CPU seconds (user + system) used so far by process ``pid`` and its living children (a
    watch's workers); 0 when /proc cannot tell."""
    total = 0.0
    with contextlib.suppress(OSError, ValueError, IndexError):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
        for task in Path(f"/proc/{pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                total += process_cpu_seconds(int(child))
    return total


def all_changed(paths: Sequence[Path], before: list[tuple[int, int] | None]) -> bool:
    """Whether every file has been replaced since ``before`` was taken."""
    return all(now != then for now, then in zip(stamps(paths), before, strict=True))


def wait_for(condition: Callable[[], bool], limit: float, what: str) -> None:
    """Poll ``condition`` every millisecond until it holds; BenchError after ``limit`` s."""
    deadline = time.perf_counter() + limit
    while not condition():
        if time.perf_counter() > deadline:
            raise BenchError(f"timed out after {limit:.0f} s waiting for {what}")
        time.sleep(0.001)


def default_sigint() -> None:
    """In a child before it runs: SIGINT raises KeyboardInterrupt again."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def measure_watch(tools: Tools, paper: Paper, work: Path, env: dict[str, str],
                  schedule: Schedule, edits: int) -> Measurement:
    """``kzreport watch`` on the seed: after its first build, the source is saved ``edits``
    times (two untimed first), alternating between two versions of its first paragraph, and
    each time the seconds from the save until every output has been renamed into place
    (polled every millisecond) are recorded. Ctrl-C then stops it; its output folder must
    hold no temporary file."""
    source, _ = write_pair(paper, "watched", work / "watch")
    out = work / "watch" / "out"
    shutil.rmtree(out, ignore_errors=True)
    edited = Paper(paper.meta, [paper.paragraphs[0] + " This sentence was added.",
                                *paper.paragraphs[1:]], paper.key_points)
    texts = [edited.kzreport_text(), paper.kzreport_text()]
    targets = [out / f"watched.{name}" for name in tools.kz_formats]
    command = [tools.kzreport, "watch", str(source), "-o", str(out)]
    measurement = Measurement("kz_watch", "kzreport watch: the seed's outputs rewritten after "
                              "a save (warm workers)", [[command]], 1)
    print(f"watch ({edits} saves) ", end="", flush=True)
    with tempfile.TemporaryFile() as log:
        # Ctrl-C as from a terminal, even when this script runs where SIGINT is ignored (a
        # background job of a script), which its children would inherit.
        process = subprocess.Popen(command, cwd=work, env=env, stdin=subprocess.DEVNULL,
                                   stdout=log, stderr=log, preexec_fn=default_sigint)
        try:
            wait_for(lambda: None not in stamps(targets), 120, "watch's first build")
            time.sleep(1.0)  # the watcher starts after the first build
            for number in range(edits + 2):
                before = stamps(targets)
                wait_until_quiet(schedule.quiet, schedule.wait)
                busy, cpu = busy_seconds(), process_cpu_seconds(process.pid)
                start = time.perf_counter()
                source.write_text(texts[number % 2], encoding="utf-8")
                wait_for(functools.partial(all_changed, targets, before), 30, "a rebuild")
                seconds = time.perf_counter() - start
                used = process_cpu_seconds(process.pid) - cpu
                if number >= 2:
                    measurement.runs.append(Run(seconds, 0, used,
                                                max(0.0, busy_seconds() - busy - used)))
                print(".", end="", flush=True)
                time.sleep(0.3)  # let the watch print and settle before the next save
        except BenchError as exc:
            log.seek(0)
            raise BenchError(f"{exc}; kzreport watch printed:\n"
                             f"{log.read().decode('utf-8', 'replace')[-2000:]}") from None
        finally:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    print()
    left = sorted(p.name for p in out.glob(".kzreport-*.tmp"))
    measurement.note = (f"after Ctrl-C: exit status {process.returncode}, temporary files "
                        f"left: {', '.join(left) or 'none'}")
    return measurement


def benchmark(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    """Generate the inputs, run every measurement and compute the targets' ratios."""
    tools = find_tools(args, work)
    seed = Paper.read(SEED)
    complete = tools.kz_formats == FORMATS
    print(f"kzreport formats: {' '.join(tools.kz_formats) or 'none'}; -j: {tools.has_jobs}; "
          f"--force: {tools.has_force}; pandoc PDF engine: {tools.pdf_engine} "
          f"({tools.pdf_engine_note})")
    if not tools.kz_formats:
        raise BenchError("kzreport has no output format registered")

    seed_kz, seed_pd = write_pair(seed, SEED.stem, work / "seed")
    long_paper = seed.longer(args.long_factor, args.long_points)
    long_kz, long_pd = write_pair(long_paper, "long-paper", work / "long")
    variants = [seed.variant(n) for n in range(1, args.batch + 1)]
    batch = [write_pair(paper, f"paper-{n:02d}", work / "batch")
             for n, paper in enumerate(variants, 1)]
    out = work / "out"
    results: dict[str, Measurement] = {}

    def case(key: str, label: str, commands: list[list[str]], parallel: int = 1,
             note: str = "", jobs: list[list[list[str]]] | None = None) -> None:
        results[key] = Measurement(key, label, jobs or [[c] for c in commands], parallel,
                                   fresh_folder(out / key), note=note)

    kz_all = "+".join(tools.kz_formats)
    case("python_startup", "python -c pass (interpreter start)", [[tools.python, "-c", "pass"]])
    case("import_libs", f"python -c '{LIBRARY_IMPORT}'", [[tools.python, "-c", LIBRARY_IMPORT]])
    case("kz_help", "kzreport --help", [[tools.kzreport, "--help"]])
    case("kz_seed", f"kzreport seed ({kz_all}, default -j)",
         [tools.kz_build([seed_kz], out / "kz_seed")])
    # kzreport keeps prepared templates in the user's cache (XDG_CACHE_HOME): the warm-up
    # stores them and kz_seed reads them, as every run after a user's first does; this case
    # starts each run from an empty cache, as the very first run does (an installed wheel
    # then finds the built-in layouts' templates in the package; an editable one prepares).
    fresh_cache = work / "empty-cache"
    results["kz_seed_first"] = Measurement(
        "kz_seed_first", f"kzreport seed ({kz_all}, default -j), empty template cache",
        [[tools.kz_build([seed_kz], out / "kz_seed_first")]], 1,
        both(fresh_folder(out / "kz_seed_first"), fresh_folder(fresh_cache)),
        env={"XDG_CACHE_HOME": str(fresh_cache)})
    if tools.has_jobs:
        case("kz_seed_j1", f"kzreport seed ({kz_all}, -j 1)",
             [tools.kz_build([seed_kz], out / "kz_seed_j1", jobs=1)])
    for name in tools.kz_formats:
        case(f"kz_seed_{name}", f"kzreport seed, {name} only",
             [tools.kz_build([seed_kz], out / f"kz_seed_{name}", formats=[name])])
    case("pd_seed", "pandoc seed (docx+pdf+pptx, 3 processes)",
         tools.pandoc_commands(seed_pd, out / "pd_seed"))
    for name in FORMATS:
        case(f"pd_seed_{name}", f"pandoc seed, {name} only",
             tools.pandoc_commands(seed_pd, out / f"pd_seed_{name}", [name]))
    if tools.typst:
        case("pt_seed", "pandoc+typst seed (docx, pptx; typst source, compile: 4 processes)",
             [], jobs=tools.typst_jobs(seed_pd, out / "pt_seed", seed))
        case("pt_seed_pdf", "pandoc+typst seed, pdf only (2 processes)", [],
             jobs=tools.typst_jobs(seed_pd, out / "pt_seed_pdf", seed, ["pdf"]))
    case("kz_long", f"kzreport long paper ({kz_all}, default -j)",
         [tools.kz_build([long_kz], out / "kz_long")])
    case("pd_long", "pandoc long paper (3 processes)",
         tools.pandoc_commands(long_pd, out / "pd_long"))
    if tools.typst:
        case("pt_long", "pandoc+typst long paper (4 processes)", [],
             jobs=tools.typst_jobs(long_pd, out / "pt_long", long_paper))
    jobs_note = "" if tools.has_jobs else "kzreport has no -j yet: ran with its default"
    case("kz_batch", f"kzreport {args.batch} papers, one call, -j {args.jobs}",
         [tools.kz_build([kz for kz, _ in batch], out / "kz_batch", jobs=args.jobs)],
         note=jobs_note)
    pandoc_batch = [c for _, pd in batch for c in tools.pandoc_commands(pd, out / "pd_batch")]
    case("pd_batch", f"pandoc {args.batch} papers, {len(pandoc_batch)} processes, "
         f"{args.pandoc_jobs} at a time", pandoc_batch, parallel=args.pandoc_jobs)
    if tools.typst:
        typst_batch = [job for (_, pd), paper in zip(batch, variants, strict=True)
                       for job in tools.typst_jobs(pd, out / "pt_batch", paper)]
        case("pt_batch", f"pandoc+typst {args.batch} papers, {len(typst_batch)} jobs "
             f"({sum(map(len, typst_batch))} processes), {args.pandoc_jobs} at a time", [],
             parallel=args.pandoc_jobs, jobs=typst_batch)
    if args.pandoc_sequential and args.pandoc_jobs != 1:
        case("pd_batch_seq", f"pandoc {args.batch} papers, {len(pandoc_batch)} processes, "
             "sequential", [c for _, pd in batch for c in
                            tools.pandoc_commands(pd, out / "pd_batch_seq")])

    schedule = Schedule(work, child_env(work, args.bytecode), args.repeats, args.quiet,
                        args.wait, args.attempts)
    started = time.monotonic()
    schedule.run(list(results.values()))
    if tools.has_watch and args.watch_edits:
        results["kz_watch"] = measure_watch(tools, seed, work, schedule.env, schedule,
                                            args.watch_edits)
    elapsed = time.monotonic() - started

    def target(name: str, top: str, bottom: str, limit: float, ok: bool = True) -> Target:
        return Target(name, results[top].median / results[bottom].median, limit, top, bottom,
                      results[top].best / results[bottom].best, complete and ok)

    targets = [
        target("one paper, 3 formats: kzreport / pandoc", "kz_seed", "pd_seed", 0.6),
        target("one paper, 3 formats: kzreport / bare import of the 3 libraries", "kz_seed",
               "import_libs", 1.8),
        target("kzreport --help / one full build", "kz_help", "kz_seed", 0.25),
        target(f"{args.batch} papers: kzreport -j {args.jobs} / pandoc "
               f"({args.pandoc_jobs} at a time)", "kz_batch", "pd_batch", 0.12, tools.has_jobs),
        target(f"{args.long_factor}x body: kzreport long / seed", "kz_long", "kz_seed", 6.0),
    ]
    if tools.typst:
        targets += [
            target("one paper, 3 formats: kzreport / pandoc+typst", "kz_seed", "pt_seed", 1.0),
            target(f"{args.batch} papers: kzreport -j {args.jobs} / pandoc+typst "
                   f"({args.pandoc_jobs} at a time)", "kz_batch", "pt_batch", 0.35,
                   tools.has_jobs),
        ]
    if "kz_watch" in results:
        watch = results["kz_watch"]
        targets.append(Target("watch: seconds from a save to the seed's outputs rewritten",
                              watch.median, 0.1, "kz_watch", "", watch.best, complete))
    median = {key: m.median for key, m in results.items()}
    info = {
        "pandoc long / seed": median["pd_long"] / median["pd_seed"],
        "kzreport seed -j 1 / default -j": (median["kz_seed_j1"] / median["kz_seed"]
                                            if "kz_seed_j1" in median else None),
        "kzreport batch seconds per paper": median["kz_batch"] / args.batch,
        "pandoc batch seconds per paper": median["pd_batch"] / args.batch,
        "kzreport batch: extra seconds per paper after the first":
            (median["kz_batch"] - median["kz_seed"]) / max(1, args.batch - 1),
        "kzreport seed minus bare import (s)": median["kz_seed"] - median["import_libs"],
        "bare import minus interpreter start (s)": (median["import_libs"]
                                                    - median["python_startup"]),
    }
    if "pt_seed" in median:
        info["one paper, empty template cache: kzreport / pandoc+typst"] = (
            median["kz_seed_first"] / median["pt_seed"])
        info["pandoc+typst seed / pandoc (pdflatex) seed"] = median["pt_seed"] / median["pd_seed"]
        info["pandoc+typst long / seed"] = median["pt_long"] / median["pt_seed"]
    if "pd_batch_seq" in median:
        info["kzreport batch / pandoc batch sequential"] = (median["kz_batch"]
                                                            / median["pd_batch_seq"])
    return {"machine": machine(tools), "tools": asdict(tools), "repeats": args.repeats,
            "bytecode": args.bytecode,
            "env_PYTHONDONTWRITEBYTECODE": os.environ.get("PYTHONDONTWRITEBYTECODE"),
            "batch_size": args.batch, "kz_jobs": args.jobs, "pandoc_jobs": args.pandoc_jobs,
            "long_factor": args.long_factor, "long_key_points": args.long_points,
            "quiet_threshold": args.quiet, "wall_seconds": elapsed,
            "measurements": {key: m.summary() for key, m in results.items()},
            "targets": [asdict(t) | {"met": t.met, "verdict": t.verdict()} for t in targets],
            "info": info, "_objects": (results, targets)}


# --------------------------------------------------------------------------------------------
# Reporting


def machine(tools: Tools) -> dict[str, Any]:
    """The machine, the tools and the library versions the numbers were taken with."""
    cpu = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    versions: dict[str, str | None] = {}
    for name in VERSIONED:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = None
    commit = capture(["git", "-C", str(REPO), "describe", "--always", "--dirty"]).strip()
    return {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "nproc": len(os.sched_getaffinity(0)), "cpu_model": cpu,
        "free_h": capture(["free", "-h"]).strip(), "platform": platform.platform(),
        "python": platform.python_version(),
        "pandoc": capture([tools.pandoc, "--version"]).splitlines()[0:1],
        "pdf_engine": capture([tools.pdf_engine, "--version"]).splitlines()[0:1],
        "versions": versions, "kzreport_commit": commit,
    }


def print_report(report: dict[str, Any]) -> None:
    """The results table, the targets and the informative ratios."""
    results, targets = report["_objects"]
    print()
    print(f"{'measurement':<56} {'median s':>8} {'min s':>7} {'max s':>7} {'CPU s':>6} "
          f"{'peak MB':>7} {'noise':>5}")
    for m in results.values():
        seconds = [r.seconds for r in m.runs]
        cpu = statistics.median(r.cpu_s for r in m.runs)
        noise = max(r.noise for r in m.runs)
        print(f"{m.label:<56} {m.median:>8.3f} {min(seconds):>7.3f} {max(seconds):>7.3f} "
              f"{cpu:>6.2f} {m.max_rss_mb:>7.1f} {noise:>5.0%}")
        if m.note:
            print(f"    note: {m.note}")
    print("(CPU s: user+system of the measured processes; noise: the largest share of the "
          "machine's CPUs other processes used during a kept run)")
    noisy = sum(r.noise > report["quiet_threshold"] for m in results.values() for r in m.runs)
    if noisy:
        print(f"WARNING: other processes used more than {report['quiet_threshold']:.0%} of the "
              f"CPUs during {noisy} kept run(s) even after waiting and retrying: those times are "
              "inflated; rerun on a quiet machine.")
    print()
    print(f"{'target (ratio of medians; best = ratio of fastest runs)':<66} {'ratio':>6} "
          f"{'best':>6} {'limit':>6}  met")
    for t in targets:
        print(f"{t.name:<66} {t.ratio:>6.3f} {t.best_ratio:>6.3f} {t.limit:>6.2f}  "
              f"{t.verdict()}")
    print()
    for name, value in report["info"].items():
        if value is not None:
            print(f"{name:<66} {value:>6.3f}")


# --------------------------------------------------------------------------------------------
# Profiling (--profile DIR)


def profile(python: str, kzreport: str, out: Path, work: Path, bytecode: str,
            batch: int) -> None:
    """Profile kzreport into ``out``: ``-X importtime`` of a build and of ``--help``, cProfile
    of one seed build and of a ``batch``-paper build, both in one process (``-j 1``)."""
    out.mkdir(parents=True, exist_ok=True)
    env = child_env(work, bytecode)
    seed = Paper.read(SEED)
    seed_kz, _ = write_pair(seed, SEED.stem, work / "profile-src")
    papers = [write_pair(seed.variant(n), f"paper-{n:02d}", work / "profile-src")[0]
              for n in range(1, batch + 1)]
    options = ["-o", str(work / "profile-out"), "--force"]
    if "--jobs" in capture([kzreport, "build", "--help"]):
        options += ["-j", "1"]  # keep the rendering in the profiled process
    build = ["-m", "kzreport", "build", str(seed_kz), *options]
    help_command = [python, "-X", "importtime", "-m", "kzreport", "--help"]
    subprocess.run([python, *build], cwd=work, env=env, capture_output=True, check=False)
    subprocess.run(help_command, cwd=work, env=env, capture_output=True, check=False)
    logs = {}
    for name, command in (("build", [python, "-X", "importtime", *build]),
                          ("help", help_command)):
        logs[name] = subprocess.run(command, cwd=work, env=env, capture_output=True, text=True,
                                    check=False).stderr
        (out / f"importtime-{name}.txt").write_text(logs[name], encoding="utf-8")
    lines = []
    for name in ("build", "help"):
        lines.append(f"== kzreport {name}: top-level imports by cumulative time (-X importtime) ==")
        lines += [f"{us / 1000:8.1f} ms  {module}" for us, module in top_imports(logs[name])[:12]]
        lines.append("")
    cumulative: dict[str, dict[str, float]] = {}
    for name, arguments, count in (("seed", build, 1),
                                   ("batch", ["-m", "kzreport", "build", *map(str, papers),
                                              *options], batch)):
        stats_file = out / f"{name}.prof"
        subprocess.run([python, "-m", "cProfile", "-o", str(stats_file), *arguments], cwd=work,
                       env=env, capture_output=True, check=False)
        stats = pstats.Stats(str(stats_file))
        total = stats.total_tt  # type: ignore[attr-defined]
        lines.append(f"== cProfile, {count} paper(s), -j 1: {total * 1000:.0f} ms profiled "
                     f"(cProfile slows Python code down); own time by package ==")
        lines += [f"{seconds * 1000:8.1f} ms  {owner}" for owner, seconds in by_package(stats)[:12]]
        lines.append(f"{import_seconds(stats) * 1000:8.1f} ms  inside imports (cumulative time "
                     "of importlib's _find_and_load)")
        cumulative[name] = top_functions(stats)
        lines.append("")
    lines.append("== one seed build: kzreport functions by cumulative time ==")
    lines += [f"{ct * 1000:8.1f} ms  {where}" for where, ct in
              sorted(cumulative["seed"].items(), key=lambda i: -i[1])
              if where.startswith("kzreport/")][:25]
    lines.append(f"\n== each further paper in a {batch}-paper build: marginal cumulative time, "
                 f"(batch - seed) / {batch - 1} ==")
    marginal = {where: (ct - cumulative["seed"].get(where, 0.0)) / max(1, batch - 1)
                for where, ct in cumulative["batch"].items()}
    lines += [f"{ct * 1000:8.1f} ms  {where}"
              for where, ct in sorted(marginal.items(), key=lambda i: -i[1])[:30]]
    lines.append("")
    text = "\n".join(lines)
    (out / "summary.txt").write_text(text, encoding="utf-8")
    print(text)
    print(f"profile data in {out} (open the .prof files with python -m pstats)")


def top_imports(log: str) -> list[tuple[int, str]]:
    """(cumulative microseconds, module) for each top-level import in an importtime log."""
    found = []
    for line in log.splitlines():
        match = re.match(r"import time:\s+\d+ \|\s+(\d+) \| (\s*)(\S+)", line)
        if match and not match.group(2):
            found.append((int(match.group(1)), match.group(3)))
    return sorted(found, reverse=True)


def by_package(stats: pstats.Stats) -> list[tuple[str, float]]:
    """Own (not cumulative) time summed by the package each function belongs to."""
    totals: dict[str, float] = {}
    for (filename, _, _), (_, _, own, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        totals[package_of(filename)] = totals.get(package_of(filename), 0.0) + own
    return sorted(totals.items(), key=lambda item: item[1], reverse=True)


def import_seconds(stats: pstats.Stats) -> float:
    """Cumulative time inside ``import`` statements (recursion is counted once by cProfile)."""
    return sum(cumulative for (filename, _, name), (_, _, _, cumulative, _)
               in stats.stats.items()  # type: ignore[attr-defined]
               if name == "_find_and_load" and filename.startswith("<frozen"))


def package_of(filename: str) -> str:
    """A readable owner for a profiled file: a package, the standard library or built-ins."""
    if filename == "~":
        return "(built-in functions: I/O, C code, compile)"
    if filename.startswith("<frozen"):
        return "(import machinery)"
    path = Path(filename)
    if "site-packages" in path.parts:
        return path.parts[path.parts.index("site-packages") + 1].removesuffix(".py")
    if "kzreport" in path.parts:
        rest = path.parts[path.parts.index("kzreport") + 1:]
        return "kzreport/" + "/".join(rest)
    return "(standard library)"


def top_functions(stats: pstats.Stats) -> dict[str, float]:
    """Cumulative seconds by function, without the import machinery and the CLI's entry
    layers, keyed ``path:line name`` (paths from the package folder)."""
    found = {}
    for (filename, line, name), (_, _, _, cumulative, _) in stats.stats.items():  # type: ignore[attr-defined]
        if package_of(filename).startswith("(") or name in ("<module>", "main", "invoke",
                                                             "__call__"):
            continue
        short = filename.split("site-packages/", 1)[-1].split("src/", 1)[-1]
        found[f"{short}:{line} {name}"] = cumulative
    return found


# --------------------------------------------------------------------------------------------
# Entry point


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--repeats", type=int, default=5,
                        help="timed runs per measurement (median reported; one extra warm-up)")
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    parser.add_argument("--batch", type=int, default=20, help="papers in the batch")
    parser.add_argument("-j", "--jobs", type=int, default=2,
                        help="kzreport -j for the batch")
    parser.add_argument("--pandoc-jobs", type=int, default=2,
                        help="pandoc processes run at a time for the batch (default 2, "
                             "like-for-like with -j 2)")
    parser.add_argument("--pandoc-sequential", action="store_true",
                        help="also time the pandoc batch one process at a time")
    parser.add_argument("--quiet", type=float, default=0.1,
                        help="share of the CPUs other processes may use during a run before it "
                             "is waited for and repeated (default 0.1)")
    parser.add_argument("--wait", type=float, default=30.0,
                        help="seconds to wait for the machine to become quiet before a run")
    parser.add_argument("--attempts", type=int, default=3,
                        help="tries per run while other processes interfere (quietest kept)")
    parser.add_argument("--long-factor", type=int, default=10, help="body repetitions")
    parser.add_argument("--long-points", type=int, default=12, help="key points in the long paper")
    parser.add_argument("--pdf-engine", default="auto",
                        help="Pandoc's LaTeX engine (auto: pdflatex, else xelatex)")
    parser.add_argument("--pandoc", help="the pandoc executable (default: pypandoc-binary's)")
    parser.add_argument("--no-typst", action="store_true",
                        help="leave out the second peer, Pandoc + Typst (typst from PyPI)")
    parser.add_argument("--watch-edits", type=int, default=15, metavar="N",
                        help="saves timed in kzreport watch (0: skip; default 15)")
    parser.add_argument("--kzreport", help="the kzreport executable (default: next to python)")
    parser.add_argument("--bytecode", choices=("cached", "as-is"), default="cached",
                        help="cached: let the warm-up compile every module once (as after "
                             "pip install); as-is: keep PYTHONDONTWRITEBYTECODE from this shell")
    parser.add_argument("--keep", type=Path, help="generate inputs/outputs here and keep them")
    parser.add_argument("--profile", type=Path, metavar="DIR",
                        help="only profile, into DIR: -X importtime of a build and of "
                             "--help, cProfile of a seed build and of a batch build (-j 1)")
    parser.add_argument("--profile-batch", type=int, default=5, metavar="N",
                        help="papers in the profiled batch build (default 5)")
    return parser.parse_args(argv)


@contextlib.contextmanager
def workspace(keep: Path | None) -> Iterator[Path]:
    """The folder for generated inputs and outputs: ``--keep``'s, or a temporary one."""
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        yield keep.resolve()
        return
    with tempfile.TemporaryDirectory(prefix="kzreport-bench-") as folder:
        yield Path(folder)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark (or the profile) and report; 2 when a tool is missing or fails."""
    args = parse_args(argv)
    try:
        with workspace(args.keep) as work:
            if args.profile is not None:
                kzreport = args.kzreport or str(Path(sys.executable).parent / "kzreport")
                profile(sys.executable, kzreport, args.profile.resolve(), work, args.bytecode,
                        args.profile_batch)
                return 0
            report = benchmark(args, work)
    except BenchError as exc:
        print(f"\nerror: {exc}", file=sys.stderr)
        return 2
    print_report(report)
    if args.json is not None:
        data = {key: value for key, value in report.items() if not key.startswith("_")}
        args.json.write_text(json.dumps(data, indent=2, default=str) + "\n", encoding="utf-8")
        print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
