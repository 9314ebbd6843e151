"""``kzreport watch``: build, then rebuild what a save made stale, with the workers kept warm."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from kzreport.atomic import TEMP_PREFIX
from kzreport.build import Options, Outcome, build
from kzreport.manifest import MANIFEST_NAME
from kzreport.workers import TaskRunner

if TYPE_CHECKING:
    from watchfiles import Change

#: How long watchfiles waits after a change for more before handing the changes over, in ms.
#: A save is a few writes within a millisecond or two; a paper rebuilds in some 50 ms with warm
#: workers, so the outputs of a save are in place within 100 ms (watchfiles' default is 50).
STEP_MS = 20

#: How long the watcher waits for changes before it says it has none, in ms: its first such
#: answer tells that it is watching.
IDLE_MS = 200

#: Reports the outcomes of a build: the first (every output named), or a rebuild.
Report = Callable[[list[Outcome], bool], None]


def watch(sources: Sequence[Path], options: Options, report: Report,
          ready: Callable[[], None]) -> None:
    """Build ``sources``, then rebuild after every change to a file in a watched folder, until
    Ctrl-C (``KeyboardInterrupt``) or SIGTERM (``SystemExit``) ends it; ``ready`` is called
    once, when the watcher is running.

    The workers load their libraries at once (after the first build, every worker every
    format's) and stay for every build, so a rebuild costs the rendering only; which outputs
    a change made stale is the manifest's to say, as for ``build``. The folders watched are
    each source's folder and its subfolders (where images go before a paper names them), and
    the folder of every file an output was built from (images, layout files, fonts); they are
    worked out again after each build.
    """
    from watchfiles import watch as changes_in

    with TaskRunner(options.jobs, len(sources) * len(options.formats), None) as runner:
        runner.preload(options.formats)  # warm for the first save, whatever is current now
        outcomes = build(sources, options, warm=runner)
        report(outcomes, True)
        runner.warm_up(options.formats)  # each worker then takes any output of a save
        announced = False
        while True:
            folders = watched_folders(outcomes)
            watching = changes_in(*folders, recursive=False, step=STEP_MS,
                                  watch_filter=_Relevant(written_files(outcomes, options.out_dir)),
                                  rust_timeout=IDLE_MS, yield_on_timeout=True)
            started = False
            for changes in watching:
                if started and not changes:
                    continue
                # The first answer, changes or none, says the watcher runs: a save made before
                # it started is caught by building once more (when nothing changed, that costs
                # the hashing of the inputs only).
                started = True
                outcomes = build(sources, options, warm=runner)
                report(outcomes, False)
                if not announced:
                    ready()
                    announced = True
                if watched_folders(outcomes) != folders:
                    break  # a paper now names a file elsewhere: watch again, from there
            else:
                return  # watchfiles stopped on its own (not expected without a stop event)


def watched_folders(outcomes: Iterable[Outcome]) -> frozenset[Path]:
    """The folders to watch for the sources of ``outcomes``, as absolute paths."""
    folders: set[Path] = set()
    for outcome in outcomes:
        home = Path(os.path.abspath(outcome.source.parent))
        folders.add(home)
        folders.update(path.parent for path in outcome.inputs)
        with contextlib.suppress(OSError):  # gone or unreadable: its build says so
            folders.update(entry for entry in home.iterdir()
                           if entry.is_dir() and not entry.name.startswith("."))
    return frozenset(folder for folder in folders if folder.is_dir())


def written_files(outcomes: Iterable[Outcome], out_dir: Path) -> frozenset[str]:
    """The files a build writes itself, whose changes must not start another build."""
    paths = [out_dir / MANIFEST_NAME, *(result.path for outcome in outcomes
                                       for result in outcome.outputs)]
    return frozenset(os.path.abspath(path) for path in paths)


class _Relevant:
    """watchfiles' filter: its default (editors' swap and backup files, version control
    folders) and, besides, kzreport's own outputs, manifest and temporary files."""

    def __init__(self, ignored: frozenset[str]) -> None:
        from watchfiles import DefaultFilter

        self._default = DefaultFilter()
        self._ignored = ignored

    def __call__(self, change: Change, path: str) -> bool:
        return (self._default(change, path) and path not in self._ignored
                and not os.path.basename(path).startswith(TEMP_PREFIX))
