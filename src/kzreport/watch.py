"""``kzreport watch``: build, then rebuild what a save made stale, with the workers kept warm."""

from __future__ import annotations

import contextlib
import os
import re
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from kzreport.atomic import TEMP_PREFIX
from kzreport.build import Options, Outcome, build
from kzreport.manifest import MANIFEST_NAME
from kzreport.workers import TaskRunner

#: How often the watched files and folders are looked at, in seconds. The files a paper is
#: built from are few and known, so a look costs a stat of each (microseconds); a save is seen
#: some 5 ms after it on average, and rebuilt once nothing changed for one more step (a save
#: is a few writes within a millisecond or two), so with warm workers (a paper in some 50 ms)
#: the outputs of a save are in place within 100 ms.
STEP_S = 0.01

#: How often every watched folder is listed again even when its own time says it did not
#: change: a file system with coarse timestamps can hide a second new file in the same tick.
RESCAN_S = 1.0

#: Editors' swap, backup and lock files, and version control folders: never a paper's input.
#: (The patterns of watchfiles' default filter, which ``watch`` used before it polled.)
_EDITOR_FILES = re.compile(r"\.sw.$|~$|^\.#|^#.*#$|^\.DS_Store$|^flycheck_|^4913$"
                           r"|\.___jb_\w+___$|\.kate-swp$")
_IGNORED_FOLDERS = frozenset({".git", ".hg", ".svn", "__pycache__", ".venv", ".idea",
                              "node_modules", ".mypy_cache", ".pytest_cache", ".hypothesis"})

#: Reports the outcomes of a build: the first (every output named), or a rebuild.
Report = Callable[[list[Outcome], bool], None]

#: What a look at a file tells of a change: inode (a file renamed over it, as editors save),
#: modification time and size; None when it is missing.
Stamp = tuple[int, int, int] | None


def watch(sources: Sequence[Path], options: Options, report: Report,
          ready: Callable[[], None]) -> None:
    """Build ``sources``, then rebuild after every change to a file they are built from or
    in a watched folder, until Ctrl-C (``KeyboardInterrupt``) or SIGTERM (``SystemExit``) ends
    it; ``ready`` is called once, when the watcher is running.

    The workers load their libraries at once (after the first build, every worker every
    format's) and stay for every build, so a rebuild costs the rendering only; which outputs
    a change made stale is the manifest's to say, as for ``build``. The folders watched are
    each source's folder and its subfolders (where images go before a paper names them), and
    the folder of every file an output was built from (images, layout files, fonts); they are
    worked out again after each build.
    """
    with TaskRunner(options.jobs, len(sources) * len(options.formats), None) as runner:
        runner.preload(options.formats)  # warm for the first save, whatever is current now
        started = time.time_ns()
        outcomes = build(sources, options, warm=runner)
        report(outcomes, True)
        runner.warm_up(options.formats)  # each worker then takes any output of a save
        poller = Poller(outcomes, options.out_dir, started)
        ready()
        while True:
            poller.wait_for_save()
            started = time.time_ns()
            outcomes = build(sources, options, warm=runner)
            report(outcomes, False)
            poller.follow(outcomes, started)


class Poller:
    """Watches what ``outcomes`` were built from by looking at it every ``STEP_S``: each
    source and input file, and each watched folder's entries (listed again when the folder's
    own time changes, which a new, removed or renamed file changes, and every ``RESCAN_S``)."""

    def __init__(self, outcomes: Iterable[Outcome], out_dir: Path, since_ns: int,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self._out_dir = out_dir
        self._sleep = sleep
        self._files: dict[str, Stamp] = {}
        self._listings: dict[str, tuple[Stamp, dict[str, Stamp]]] = {}
        self._ignored: frozenset[str] = frozenset()
        self._listed_at = time.monotonic()
        self._pending = False
        self.follow(outcomes, since_ns)

    def follow(self, outcomes: Iterable[Outcome], since_ns: int) -> None:
        """Watch what ``outcomes`` were built from from now on. A file first looked at now
        that was written after ``since_ns`` (when their build started, in ``time.time_ns``)
        may have been saved after the build read it: the next wait ends at once."""
        outcomes = list(outcomes)
        self._ignored = written_files(outcomes, self._out_dir)
        files = {os.path.abspath(path) for outcome in outcomes
                 for path in (outcome.source, *outcome.inputs)}
        fresh: list[Stamp] = []
        known = self._files
        self._files = {}
        for path in sorted(files):
            if path not in known:
                known[path] = _stamp(path)
                fresh.append(known[path])
            self._files[path] = known[path]
        listings = self._listings
        self._listings = {}
        for folder in sorted(watched_folders(outcomes)):
            name = str(folder)
            if name not in listings:
                listings[name] = self._list(folder)
                fresh.extend(listings[name][1].values())
            self._listings[name] = listings[name]
        self._pending |= any(stamp is not None and stamp[1] >= since_ns for stamp in fresh)

    def wait_for_save(self) -> None:
        """Return once something watched changed and then stayed unchanged for a step."""
        pending, self._pending = self._pending, False
        while not self.changed() and not pending:
            self._sleep(STEP_S)
        self._sleep(STEP_S)
        while self.changed():
            self._sleep(STEP_S)

    def changed(self) -> bool:
        """Look at everything watched once; True when anything differs from the last look."""
        changed = False
        for path, before in self._files.items():
            now = _stamp(path)
            if now != before:
                self._files[path] = now
                changed = True
        rescan = time.monotonic() - self._listed_at >= RESCAN_S
        if rescan:
            self._listed_at = time.monotonic()
        for folder, (before, _) in list(self._listings.items()):
            if rescan or _stamp(folder) != before:
                listing = self._list(Path(folder))
                if listing[1] != self._listings[folder][1]:
                    changed = True
                self._listings[folder] = listing
        return changed

    def _list(self, folder: Path) -> tuple[Stamp, dict[str, Stamp]]:
        """The folder's own stamp and a stamp of each entry that can matter to a build
        (subfolders by presence: a watched one is looked at itself)."""
        stamp = _stamp(str(folder))
        entries: dict[str, Stamp] = {}
        with contextlib.suppress(OSError), os.scandir(folder) as scan:
            for entry in scan:
                if not relevant(entry.path, self._ignored):
                    continue
                with contextlib.suppress(OSError):
                    if entry.is_dir():
                        entries[entry.name] = None
                    else:
                        info = entry.stat()
                        entries[entry.name] = (info.st_ino, info.st_mtime_ns, info.st_size)
        return stamp, entries


def _stamp(path: str) -> Stamp:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_ino, info.st_mtime_ns, info.st_size)


def relevant(path: str, ignored: frozenset[str]) -> bool:
    """Whether a change to ``path`` in a watched folder may change an output: not kzreport's
    own outputs, manifest or temporary files, not an editor's swap or backup file, not a
    version control folder."""
    name = os.path.basename(path)
    return (path not in ignored and not name.startswith(TEMP_PREFIX)
            and name not in _IGNORED_FOLDERS and not _EDITOR_FILES.search(name))


def watched_folders(outcomes: Iterable[Outcome]) -> frozenset[Path]:
    """The folders to watch for the sources of ``outcomes``, as absolute paths."""
    folders: set[Path] = set()
    for outcome in outcomes:
        home = Path(os.path.abspath(outcome.source.parent))
        folders.add(home)
        folders.update(Path(os.path.abspath(path.parent)) for path in outcome.inputs)
        with contextlib.suppress(OSError):  # gone or unreadable: its build says so
            folders.update(entry for entry in home.iterdir()
                           if entry.is_dir() and not entry.name.startswith("."))
    return frozenset(folder for folder in folders if folder.is_dir())


def written_files(outcomes: Iterable[Outcome], out_dir: Path) -> frozenset[str]:
    """The files a build writes itself, whose changes must not start another build."""
    paths = [out_dir / MANIFEST_NAME, *(result.path for outcome in outcomes
                                       for result in outcome.outputs)]
    return frozenset(os.path.abspath(path) for path in paths)
