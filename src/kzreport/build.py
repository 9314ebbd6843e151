"""Build and check papers: resolve sources and layouts, render every format, write atomically."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kzreport.errors import KzreportError, Problem, RenderError, SourceError
from kzreport.layout import Layout, is_layout_path, load_layout
from kzreport.model import Document
from kzreport.source import read_source


@dataclass
class Outcome:
    """What happened to one source: its outputs, or the problems that stopped it."""

    source: Path
    outputs: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(p.severity == "error" for p in self.problems)


def find_sources(sources: Sequence[Path], cwd: Path) -> list[Path]:
    """The given sources, or every ``source/*.md`` under ``cwd`` when none are given."""
    if sources:
        return list(sources)
    found = sorted((cwd / "source").glob("*.md"))
    if not found:
        raise SourceError([Problem(cwd / "source", None, "no sources given and no source/*.md "
                                   "found", "pass a paper's .md file or run in a project folder")])
    return found


def layout_for(document: Document, spec: str | None, cwd: Path) -> Layout:
    """The layout named on the command line, else by the source's ``layout:`` key, else default."""
    if spec is not None:
        return load_layout(spec, cwd, referrer="--layout")
    if document.meta.layout is not None:
        # A path in the source is relative to the source; a name is looked up from cwd.
        base = document.source.parent if is_layout_path(document.meta.layout) else cwd
        return load_layout(document.meta.layout, base,
                           referrer=f"{document.source}:{document.lines.get('layout', 1)}")
    return load_layout("default", cwd)


def check_source(source: Path, layout_spec: str | None, cwd: Path) -> Outcome:
    """Parse and validate one source and its layout without writing anything."""
    outcome = Outcome(source)
    try:
        document = read_source(source)
        layout = layout_for(document, layout_spec, cwd)
        outcome.problems.extend(document_problems(document, layout))
    except KzreportError as exc:
        outcome.problems.extend(exc.problems)
    return outcome


def document_problems(document: Document, layout: Layout) -> list[Problem]:
    """Problems that need both the paper and its layout to be seen."""
    problems = []
    marking = document.meta.marking
    if marking is not None and layout.marking_style(marking) is None:
        known = ", ".join(layout.markings)
        problems.append(Problem(document.source, document.lines.get("marking"),
                                f"marking '{marking}' has no banner colour in layout "
                                f"'{layout.name}'", f"start it with one of: {known}"))
    return problems


def build_source(source: Path, out_dir: Path, formats: Iterable[str],
                 layout_spec: str | None, cwd: Path, strict: bool = False) -> Outcome:
    """Render ``source`` to every format in ``formats``; all outputs land together or none do."""
    from kzreport.renderers import renderers

    outcome = Outcome(source)
    try:
        document = read_source(source)
        layout = layout_for(document, layout_spec, cwd)
        problems = document_problems(document, layout)
        if problems:
            raise SourceError(problems)
        out_dir = _make_folder(out_dir)
        staged: list[tuple[Path, Path]] = []
        try:
            for name in formats:
                renderer = renderers()[name]
                target = out_dir / f"{document.stem}{renderer.extension}"
                temp = _temp_beside(target)
                staged.append((temp, target))
                warnings = renderer.render(document, layout, temp)
                if strict:
                    warnings = [Problem(w.path, w.line, w.message, w.hint, w.column, "error")
                                for w in warnings]
                outcome.problems.extend(warnings)
            if outcome.failed:
                raise RenderError([])
            for temp, target in staged:
                os.replace(temp, target)
                outcome.outputs.append(target)
        finally:
            for temp, _ in staged:
                with contextlib.suppress(FileNotFoundError):
                    temp.unlink()
    except KzreportError as exc:
        outcome.problems.extend(exc.problems)
    except OSError as exc:
        outcome.problems.append(Problem(exc.filename or out_dir, None,
                                        f"cannot write output: {exc.strerror}",
                                        "check free space and permissions of the output folder"))
    except Exception as exc:  # a bug must still fail one source cleanly, not the whole batch
        outcome.problems.append(Problem(source, None, f"internal error: {exc!r}"[:300],
                                        "please report this as a kzreport bug"))
    return outcome


def _make_folder(folder: Path) -> Path:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RenderError([Problem(folder, None, f"cannot create output folder: {exc.strerror}",
                                   "choose another folder with -o")]) from None
    return folder


def _temp_beside(target: Path) -> Path:
    """A fresh temporary file in ``target``'s folder, so the final rename is atomic."""
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(handle)
    return Path(name)
