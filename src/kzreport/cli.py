"""The ``kzreport`` command line: parses options and forwards to the build functions."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kzreport import __version__
from kzreport.build import Outcome, build_source, check_source, find_sources
from kzreport.errors import KzreportError, Problem
from kzreport.layout import available_layouts


class _FormatChoice(click.Choice):  # type: ignore[type-arg]
    """The registered formats, looked up only when an option is actually parsed."""

    def __init__(self) -> None:
        super().__init__(())

    def convert(self, value: str, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from kzreport.renderers import renderers

        self.choices = tuple(renderers())
        return str(super().convert(value, param, ctx))


def _report(outcomes: list[Outcome]) -> int:
    for outcome in outcomes:
        for problem in outcome.problems:
            click.echo(str(problem), err=True)
    return 1 if any(o.failed for o in outcomes) else 0


def _sources(sources: tuple[Path, ...]) -> list[Path]:
    try:
        return find_sources(sources, Path.cwd())
    except KzreportError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        sys.exit(1)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kzreport")
def cli() -> None:
    """Turn structured papers into a Word brief, a PDF report and a slide deck."""


@cli.command()
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path, dir_okay=False))
@click.option("-o", "--out", "out_dir", type=click.Path(path_type=Path, file_okay=False),
              default=Path("build"), show_default=True, help="Folder for the outputs.")
@click.option("-f", "--format", "formats", multiple=True, type=_FormatChoice(),
              help="Output format (docx, pdf, pptx); repeat for several. Default: all.")
@click.option("-l", "--layout", "layout", metavar="NAME|PATH",
              help="Layout name or folder (overrides the source's layout: key).")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
def build(sources: tuple[Path, ...], out_dir: Path, formats: tuple[str, ...],
          layout: str | None, strict: bool) -> None:
    """Build SOURCES (default: every source/*.md) into the output folder."""
    from kzreport.renderers import renderers

    chosen = list(dict.fromkeys(formats)) or list(renderers())
    cwd = Path.cwd()
    outcomes = [build_source(s, out_dir, chosen, layout, cwd, strict) for s in _sources(sources)]
    for outcome in outcomes:
        for output in outcome.outputs:
            click.echo(f"wrote {output}")
    sys.exit(_report(outcomes))


@cli.command()
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path, dir_okay=False))
@click.option("-l", "--layout", "layout", metavar="NAME|PATH", help="Layout name or folder.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
def check(sources: tuple[Path, ...], layout: str | None, strict: bool) -> None:
    """Validate SOURCES without writing anything."""
    cwd = Path.cwd()
    outcomes = [check_source(s, layout, cwd) for s in _sources(sources)]
    if strict:
        for outcome in outcomes:
            outcome.problems = [Problem(p.path, p.line, p.message, p.hint, p.column, "error")
                                for p in outcome.problems]
    code = _report(outcomes)
    if code == 0:
        click.echo(f"{len(outcomes)} source(s) OK")
    sys.exit(code)


@cli.command()
def layouts() -> None:
    """List the available layouts and where each comes from."""
    for name, origin, folder in available_layouts(Path.cwd()):
        click.echo(f"{name}\t{origin}\t{folder}")


def main() -> None:
    """Entry point of the ``kzreport`` script."""
    cli(prog_name="kzreport")
