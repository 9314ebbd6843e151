"""Build and check papers: validate, skip what is current, render in workers, write atomically."""

from __future__ import annotations

import contextlib
import os
import shlex
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import field, replace
from pathlib import Path

from kzreport import DEFAULT_OUT_DIR
from kzreport.atomic import publish, remove_stale_temps, temp_beside, write_problem
from kzreport.errors import KzreportError, Problem, SourceError
from kzreport.glyphs import glyph_problems, script_fonts
from kzreport.layout import Layout
from kzreport.layout_loader import builtin_folder, load_layout
from kzreport.manifest import (
    Manifest,
    input_digest,
    input_files,
    is_current,
    load_manifest,
    save_manifest,
    sha256_of,
)
from kzreport.model import Document, Metadata
from kzreport.records import record
from kzreport.workers import Result, Task, TaskRunner, resume_collection


@record
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


@record(frozen=False)
class OutputResult:
    """One output file: what happened to it."""

    path: Path
    format: str
    status: str = "pending"  # built, skipped, failed, missing, stale, current
    sha256: str = ""
    milliseconds: int = 0


@record(frozen=False)
class Outcome:
    """What happened to one source: its outputs, and the problems found on the way."""

    source: Path
    outputs: list[OutputResult] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: Each script the paper is written in and the fonts that draw it (``check`` lists them).
    scripts: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    #: The files its outputs are built from, once the source is valid (what ``watch`` watches).
    inputs: list[Path] = field(default_factory=list)

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
    reads and validates it once; errors are not kept, so each source reports its own). Its
    labels, month names and date format are those of the paper's language, where it has them."""
    return _layout_of(document.meta, document.lines, document.source, spec, cwd, loaded)


def _layout_of(meta: Metadata, lines: Mapping[str, int], source: Path, spec: str | None,
               cwd: Path, loaded: LayoutCache | None) -> Layout:
    """``layout_for`` from the paper's front matter (``lines``: the line of each key)."""
    key: tuple[str, Path, Path | None]
    if spec is not None:
        key, referrer = (spec, cwd, None), "--layout"
    elif meta.layout is not None:
        # A path (or a folder holding a layout.toml) is relative to the source; any other
        # name is a project layout under cwd, else a built-in one.
        key = (meta.layout, cwd, source.parent)
        referrer = f"{source}:{lines.get('layout', 1)}"
    else:
        key, referrer = ("default", cwd, None), "layout"
    if loaded is not None and key in loaded:
        return loaded[key].for_language(meta.language)
    layout = load_layout(key[0], cwd, referrer=referrer, base=key[2])
    if loaded is not None:
        loaded[key] = layout
    return layout.for_language(meta.language)


def document_problems(document: Document, layout: Layout) -> list[Problem]:
    """Problems that need both the paper and its layout to be seen."""
    problems = glyph_problems(document, layout)
    marking = document.meta.marking
    if marking is not None and layout.marking_style(marking) is None:
        known = ", ".join(layout.markings)
        problems.append(Problem(document.source, document.lines.get("marking"),
                                f"marking '{marking}' has no banner colour in layout "
                                f"'{layout.name}'",
                                f"start it with one of: {known}; or add "
                                f"[markings.\"{marking.split('//')[0].strip().upper()}\"] "
                                f"with background and text colours to {_editable(layout)}"))
    return problems


def _editable(layout: Layout) -> str:
    """Where a user adds a setting to ``layout``: its own file, or for a built-in layout (which
    lives inside the installed package) a project layout inheriting it."""
    if layout.folder.is_relative_to(builtin_folder()):
        return f"layouts/NAME/layout.toml with inherit = \"{layout.name}\""
    return str(layout.files[0])


def prepare(source: Path, layout_spec: str | None, cwd: Path,
            loaded: LayoutCache | None = None) -> tuple[Document, Layout]:
    """Parse ``source`` and load its layout (kept in ``loaded``, see ``layout_for``); raise
    ``KzreportError`` listing every problem."""
    from kzreport.crossrefs import localized
    from kzreport.source import read_source  # the parser's libraries load only when needed

    found: list[Layout] = []

    def layout_of(meta: Metadata, lines: Mapping[str, int]) -> Layout:
        # The paper is read with its layout: it names the Key Points heading in its language.
        found.append(_layout_of(meta, lines, source, layout_spec, cwd, loaded))
        return found[-1]

    document = read_source(source, layout_of)
    layout = found[-1] if found else layout_for(document, layout_spec, cwd, loaded)
    document = localized(document, layout)  # "Figure 2" in the layout's words
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
        valid = None if outcome.failed else _validated(outcome, layout_spec, cwd, strict, loaded)
        if valid is not None:
            outcome.scripts = script_fonts(*valid)
            _preflight(outcome, *valid, strict)
    return outcomes


def _preflight(outcome: Outcome, document: Document, layout: Layout, strict: bool) -> None:
    """Record what rendering would report beyond validation and lint — a key point too long
    for its slide — so that ``check`` reports everything ``build`` does: each format's
    ``preflight`` is asked (the deck lays its slides out and keeps nothing)."""
    from kzreport.renderers import renderers

    for renderer in renderers().values():
        try:
            outcome.problems.extend(_strictly(renderer.preflight(document, layout), strict))
        except KzreportError as exc:
            outcome.problems.extend(exc.problems)


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
    outcome.problems.extend(_strictly([*document.warnings, *accessibility_warnings(document)],
                                      strict))
    return None if outcome.failed else (document, layout)


# ---------------------------------------------------------------- building


@record(frozen=False)
class _Planned:
    """An output that needs building, with what it is built from."""

    outcome: Outcome
    result: OutputResult
    document: Document
    layout: Layout
    digest: dict[str, object]
    temp: Path | None = None


def build(sources: Sequence[Path], options: Options,
          progress: Callable[[int], None] | None = None,
          warm: TaskRunner | None = None) -> list[Outcome]:
    """Build (or with ``check_only``, check) every source; return one outcome per source.

    Each source's outputs are published together or not at all: a source with any error keeps
    its previous outputs untouched. Rendering starts as soon as a source is parsed, so the
    workers render while later sources are still being read. ``progress`` is called with
    counts of outputs done that add up to ``len(sources) * len(options.formats)``. ``warm``:
    a runner whose workers render, and stay after the build (``watch``); else the build's
    own workers start and stop with it.
    """
    _check_source_date_epoch()
    outcomes = _outcomes(sources)
    manifest = load_manifest(options.out_dir)
    loaded: LayoutCache = {}
    planned: list[_Planned] = []
    created = not options.out_dir.exists()
    runs = (TaskRunner(options.jobs, len(outcomes) * len(options.formats), progress)
            if warm is None else warm.another_build(progress))
    current: Outcome | None = None
    if progress and not options.check_only:  # a source named twice is built once
        progress((len(sources) - len(outcomes)) * len(options.formats))
    try:
        with runs as runner:
            if not options.check_only and _surely_builds(outcomes, options, manifest):
                runner.preload(options.formats)
            for current in outcomes:
                new = _plan_source(current, options, manifest, loaded)
                resume_collection()  # the parser is imported now (nothing once resumed)
                if options.check_only:
                    continue
                if progress:  # what needs no rendering (skipped, failed) is done already
                    progress(len(options.formats) - len(new))
                if new and not planned:
                    _make_folder(options.out_dir)
                    remove_stale_temps(options.out_dir)
                planned.extend(new)
                for item in new:
                    item.temp = temp_beside(item.result.path)
                    runner.submit(Task(item.document, item.layout, item.result.format,
                                       item.temp))
            results = runner.results()
        if planned:
            _publish_sources(planned, results, options, manifest)
    except (KzreportError, OSError) as exc:
        problems = (list(exc.problems) if isinstance(exc, KzreportError)
                    else [write_problem(options.out_dir, exc)])
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


def _surely_builds(outcomes: list[Outcome], options: Options, manifest: Manifest) -> bool:
    """Whether some output will be rendered whatever the sources say: ``--force``, or an
    output that is missing or not in the manifest. Only then do workers start before the
    first source is read; a build with everything current starts none."""
    return options.force or any(
        not target.exists() or target.name not in manifest
        for outcome in outcomes if not outcome.failed
        for target in (_target(outcome.source.stem, name, options) for name in options.formats))


def _plan_source(outcome: Outcome, options: Options, manifest: Manifest,
                 loaded: LayoutCache) -> list[_Planned]:
    """Validate ``outcome``'s source and record its outputs; return those that need building."""
    source_sha256 = None
    with contextlib.suppress(OSError):  # unreadable: its validation says so
        source_sha256 = sha256_of(outcome.source)
    valid = None if outcome.failed else _validated(outcome, options.layout, options.cwd,
                                                   options.strict, loaded)
    new: list[_Planned] = []
    if valid is not None:
        outcome.inputs = input_files(*valid)
        for name in options.formats:
            new.extend(_plan(outcome, *valid, name, options, manifest, source_sha256))
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
    from kzreport.renderers import extension

    return options.out_dir / f"{stem}{extension(format_name)}"


def _failed_outputs(source: Path, options: Options) -> list[OutputResult]:
    """The outputs of a source that failed before any could be planned."""
    return [OutputResult(_target(source.stem, name, options), name, status="failed")
            for name in options.formats]


def _plan(outcome: Outcome, document: Document, layout: Layout, name: str, options: Options,
          manifest: Manifest, source_sha256: str | None) -> Iterator[_Planned]:
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
    digest = input_digest(document, layout, name, source_sha256)
    state = is_current(target, manifest.get(target.name), digest)
    if options.check_only:
        result.status = state
        if state == "current":  # is_current compared the file with this very hash
            result.sha256 = str(manifest[target.name].get("sha256", ""))
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


def _publish_sources(planned: list[_Planned], results: list[Result],
                     options: Options, manifest: Manifest) -> None:
    """Rename each fully successful source's outputs into place and record them."""
    by_source: dict[int, list[tuple[_Planned, Result]]] = {}
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
            publish(item.temp, item.result.path)
            item.result.status = "built"
            manifest[item.result.path.name] = {
                "source": str(outcome.source), "format": item.result.format,
                "sha256": item.result.sha256, "built_from": item.digest,
                "layout": options.layout}
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
