"""The ``kzreport`` command line: parses options and forwards to the build functions."""

from __future__ import annotations

import contextlib
import gc
import json
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from kzreport import DEFAULT_OUT_DIR, __version__
from kzreport.errors import KzreportError, Problem

# The build, the layouts and the registry load inside the commands that use them, so that
# ``kzreport --help`` costs little more than click itself.
if TYPE_CHECKING:
    from kzreport.build import Outcome


class _FormatChoice(click.Choice):  # type: ignore[type-arg]
    """The registered formats, looked up only when ``-f`` is parsed or its help shown."""

    def __init__(self) -> None:
        super().__init__(())

    @property  # type: ignore[override]
    def choices(self) -> Sequence[str]:
        from kzreport.renderers import format_names

        return format_names()

    @choices.setter
    def choices(self, _value: Sequence[str]) -> None:
        pass  # click's __init__ assigns the (empty) list given above


@contextlib.contextmanager
def _collection_paused() -> Iterator[None]:
    """``build`` and ``watch`` import the parser and the writers with the cyclic garbage
    collector off; each of their processes resumes it once it has imported what it needs
    (``workers.resume_collection``), and it is back on here whatever happened."""
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _echo_problems(problems: Iterable[Problem]) -> None:
    for problem in problems:
        click.echo(str(problem), err=True)


def _report(outcomes: list[Outcome]) -> int:
    _echo_problems(p for outcome in outcomes for p in outcome.problems)
    return 1 if any(o.failed for o in outcomes) else 0


def _sources(sources: tuple[Path, ...]) -> list[Path]:
    from kzreport.build import find_sources

    try:
        return find_sources(sources, Path.cwd())
    except KzreportError as exc:
        _echo_problems(exc.problems)
        sys.exit(1)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kzreport")
def cli() -> None:
    """Turn structured papers into a Word brief, a PDF report and a slide deck."""


Command = Callable[..., None]


def _outputs_options(out_help: str) -> Callable[[Command], Command]:
    """SOURCES and the -o, -f and -l options, which name the same outputs in build and verify."""
    decorators = (
        click.argument("sources", nargs=-1, type=click.Path(path_type=Path, dir_okay=False)),
        click.option("-o", "--out", "out_dir", type=click.Path(path_type=Path, file_okay=False),
                     default=DEFAULT_OUT_DIR, show_default=True, help=out_help),
        click.option("-f", "--format", "formats", multiple=True, type=_FormatChoice(),
                     help="Output format; repeat for several. Default: all."),
        click.option("-l", "--layout", "layout", metavar="NAME|PATH",
                     help="Layout name or folder (overrides the source's layout: key)."),
    )

    def apply(command: Command) -> Command:
        for decorator in reversed(decorators):
            command = decorator(command)
        return command

    return apply


@cli.command()
@_outputs_options("Folder for the outputs.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--force", is_flag=True, help="Rebuild outputs even when they are up to date.")
@click.option("--check", "check_only", is_flag=True,
              help="Write nothing; exit 1 naming every missing or out-of-date output.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: number of CPUs, at least one per format).")
@click.option("--json", "as_json", is_flag=True, help="Print a machine-readable summary.")
def build(sources: tuple[Path, ...], out_dir: Path, formats: tuple[str, ...],
          layout: str | None, strict: bool, force: bool, check_only: bool, jobs: int | None,
          as_json: bool) -> None:
    """Build SOURCES (default: every source/*.md) into the output folder."""
    with _collection_paused():
        _build(sources, out_dir, formats, layout, strict, force, check_only, jobs, as_json)


def _build(sources: tuple[Path, ...], out_dir: Path, formats: tuple[str, ...],
           layout: str | None, strict: bool, force: bool, check_only: bool, jobs: int | None,
           as_json: bool) -> None:
    from kzreport.build import Options
    from kzreport.build import build as run_build
    from kzreport.renderers import format_names
    from kzreport.workers import default_jobs, handle_build_signals

    handle_build_signals()
    paths = _sources(sources)
    chosen = tuple(dict.fromkeys(formats)) or format_names()
    options = Options(out_dir=out_dir, formats=chosen, layout=layout, strict=strict, force=force,
                      check_only=check_only, jobs=jobs or default_jobs(len(chosen)))
    try:
        if sys.stderr.isatty() and not as_json and not check_only:
            with click.progressbar(length=len(paths) * len(options.formats), label="building",
                                   file=sys.stderr) as bar:
                outcomes = run_build(paths, options, bar.update)
        else:
            outcomes = run_build(paths, options)
    except KzreportError as exc:  # a problem with the whole run, not with one source
        _echo_problems(exc.problems)
        sys.exit(1)
    if as_json:
        click.echo(json.dumps(_summary(outcomes), indent=2, ensure_ascii=False))
    else:
        for outcome in outcomes:
            for output in outcome.outputs:
                if output.status in ("built", "skipped"):
                    click.echo(f"{output.status} {output.path}")
    sys.exit(_report(outcomes))


@cli.command()
@_outputs_options("Folder for the outputs.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes, kept warm (default: number of CPUs, at least one per "
                   "format).")
def watch(sources: tuple[Path, ...], out_dir: Path, formats: tuple[str, ...],
          layout: str | None, strict: bool, jobs: int | None) -> None:
    """Build SOURCES, then rebuild what changed each time a source, an image or a layout file
    is saved. Ctrl-C stops."""
    with _collection_paused():
        _watch(sources, out_dir, formats, layout, strict, jobs)


def _watch(sources: tuple[Path, ...], out_dir: Path, formats: tuple[str, ...],
           layout: str | None, strict: bool, jobs: int | None) -> None:
    from kzreport.build import Options
    from kzreport.renderers import format_names
    from kzreport.watch import watch as run_watch
    from kzreport.workers import default_jobs, handle_build_signals

    handle_build_signals()
    paths = _sources(sources)
    chosen = tuple(dict.fromkeys(formats)) or format_names()
    options = Options(out_dir=out_dir, formats=chosen, layout=layout, strict=strict,
                      jobs=jobs or default_jobs(len(chosen)))

    def report(outcomes: list[Outcome], first: bool) -> None:
        # After the first build, a source whose outputs were all current says nothing again.
        for outcome in outcomes:
            if first or any(output.status != "skipped" for output in outcome.outputs):
                for output in outcome.outputs:
                    if output.status in ("built", "skipped"):
                        click.echo(f"{output.status} {output.path}")
                _echo_problems(outcome.problems)

    def ready() -> None:
        click.echo("watching for changes; press Ctrl-C to stop", err=True)

    try:
        run_watch(paths, options, report, ready)
    except KzreportError as exc:  # a problem with the whole run (SOURCE_DATE_EPOCH)
        _echo_problems(exc.problems)
        sys.exit(1)
    except KeyboardInterrupt:  # the way to stop watching: no traceback, no error
        sys.exit(0)


def _summary(outcomes: list[Outcome]) -> dict[str, object]:
    return {
        "ok": not any(o.failed for o in outcomes),
        "outputs": [
            {"source": str(o.source), "path": str(r.path), "format": r.format,
             "status": r.status, "sha256": r.sha256, "milliseconds": r.milliseconds}
            for o in outcomes for r in o.outputs
        ],
        "problems": [str(p) for o in outcomes for p in o.problems],
    }


@cli.command()
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path, dir_okay=False))
@click.option("-l", "--layout", "layout", metavar="NAME|PATH", help="Layout name or folder.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
def check(sources: tuple[Path, ...], layout: str | None, strict: bool) -> None:
    """Validate SOURCES without writing anything."""
    from kzreport.build import check_sources

    outcomes = check_sources(_sources(sources), layout, Path.cwd(), strict)
    code = _report(outcomes)
    for outcome in outcomes:
        if outcome.scripts:
            listed = "; ".join(f"{script} in {', '.join(families)}"
                               for script, families in outcome.scripts)
            click.echo(f"{outcome.source}: scripts: {listed}")
    if code == 0:
        click.echo(f"{len(outcomes)} source(s) OK")
    sys.exit(code)


@cli.command()
@_outputs_options("Folder holding the outputs.")
def verify(sources: tuple[Path, ...], out_dir: Path, formats: tuple[str, ...],
           layout: str | None) -> None:
    """Read the built outputs of SOURCES back and check they hold what the sources say."""
    from kzreport.verify import verify as run_verify

    report = run_verify(_sources(sources), out_dir, formats, layout, Path.cwd())
    _echo_problems(report.problems)
    if not report.failed:
        click.echo(f"{report.verified} output(s) verified")
    sys.exit(1 if report.failed else 0)


@cli.command("import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("-o", "--out", "out", type=click.Path(path_type=Path, dir_okay=False),
              help="Source to write (default: source/<FILE's name>.md).")
@click.option("-l", "--layout", "layout", metavar="NAME|PATH",
              help="Layout the brief was built with (its labels and date format are read; "
                   "written as the source's layout).")
@click.option("--force", is_flag=True, help="Replace the output if it exists.")
def import_(file: Path, out: Path | None, layout: str | None, force: bool) -> None:
    """Write a paper's source from a Word document (.docx) or published plain text."""
    from kzreport.importing import import_paper

    target = out or Path("source") / f"{file.stem}.md"
    try:
        warnings = import_paper(file, target, layout, Path.cwd(), force)
    except KzreportError as exc:
        _echo_problems(exc.problems)
        sys.exit(1)
    _echo_problems(warnings)
    click.echo(f"imported {target}")


@cli.group(invoke_without_command=True)
@click.pass_context
def layouts(ctx: click.Context) -> None:
    """List the available layouts and where each comes from."""
    from kzreport.layout_loader import available_layouts

    if ctx.invoked_subcommand is None:
        for name, origin, folder in available_layouts(Path.cwd()):
            click.echo(f"{name}\t{origin}\t{folder}")


@layouts.command("show")
@click.argument("layout", metavar="NAME|PATH")
def layouts_show(layout: str) -> None:
    """Print every resolved setting of a layout."""
    from kzreport.layout import describe_layout
    from kzreport.layout_loader import load_layout

    try:
        for line in describe_layout(load_layout(layout, Path.cwd(), referrer="layouts show")):
            click.echo(line)
    except KzreportError as exc:
        _echo_problems(exc.problems)
        sys.exit(1)


def main() -> None:
    """Entry point of the ``kzreport`` script."""
    try:
        cli(prog_name="kzreport")
    except SystemExit as stop:
        _exit_at_once(stop.code)


def _exit_at_once(code: object) -> None:
    """End the process as ``sys.exit(code)`` would, without freeing every object first: a
    build's parent holds the parser, the layout and the papers, and Python's own exit would
    take each module apart one by one, a fiftieth of a one-paper build spent after its outputs
    are in place. What must happen still does: exit handlers run and the output streams are
    flushed (click has already turned a reader that went away into status 1)."""
    import atexit
    import os

    if code is None or isinstance(code, int):
        status = code or 0
    else:  # sys.exit("message") prints the message and fails
        print(code, file=sys.stderr)
        status = 1
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe or stream
            stream.flush()
    os._exit(status)
