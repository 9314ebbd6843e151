"""``kzreport verify``: read each built output back with its format's reader and compare it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import field
from pathlib import Path

from kzreport.build import build_command, prepare
from kzreport.comparison import compare
from kzreport.errors import KzreportError, Problem
from kzreport.expectations import Expected, expect
from kzreport.manifest import Manifest, load_manifest
from kzreport.records import record
from kzreport.renderers import renderers

#: Mismatches printed per output before the rest are summed up in one line.
MAX_PROBLEMS_PER_OUTPUT = 20


@record(frozen=False)
class Report:
    """The outcome of ``kzreport verify``: problems to print and how many outputs passed."""

    verified: int = 0
    failed: bool = False
    problems: list[Problem] = field(default_factory=list)


def verify_output(path: Path, format_name: str, expected: Expected,
                  rebuild: str = "kzreport build") -> list[Problem]:
    """The mismatches between the output at ``path`` and its source, at most
    ``MAX_PROBLEMS_PER_OUTPUT`` of them and then a line counting the rest; ``rebuild`` is the
    command hints suggest."""
    hint = f"rebuild with {rebuild}"
    if not path.is_file():
        return [Problem(path, None, "the output is missing", f"build it with {rebuild}")]
    renderer = renderers().get(format_name)
    # Each format reads its own outputs back; a plugin's format written before ``read`` joined
    # the renderer interface cannot be verified.
    if renderer is None or not hasattr(renderer, "read"):
        return [Problem(path, None, f"kzreport verify has no reader for the {format_name} "
                        "format", "please report this as a kzreport bug")]
    try:
        got = renderer.read(path, expected.layout)
    except Exception as exc:  # a damaged file is a mismatch to report, whatever the reader raises
        return [Problem(path, None, f"cannot read the output ({type(exc).__name__}: "
                        f"{str(exc)[:120]})", hint)]
    messages = compare(expected, got)
    problems = [Problem(path, None, m, hint) for m in messages[:MAX_PROBLEMS_PER_OUTPUT]]
    if len(messages) > MAX_PROBLEMS_PER_OUTPUT:
        problems.append(Problem(path, None, f"… and {len(messages) - MAX_PROBLEMS_PER_OUTPUT} more",
                                hint))
    return problems


def verify(sources: Sequence[Path], out_dir: Path, formats: Sequence[str] = (),
           layout: str | None = None, cwd: Path | None = None) -> Report:
    """Check every output of ``sources`` in ``out_dir`` (of ``formats``, default every
    registered format) against its source, read with ``layout`` like ``build`` does; without
    ``layout``, with the ``-l`` the manifest records the outputs were built with."""
    registered = renderers()
    names = list(dict.fromkeys(formats)) or list(registered)
    manifest = load_manifest(out_dir)
    report = Report()
    for source in sources:
        paths = {name: out_dir / f"{source.stem}{registered[name].extension}"
                      for name in names}
        recorded = _recorded_layout(manifest, paths.values())
        used = layout if layout is not None else recorded
        if layout is not None and recorded is not None and recorded != layout:
            report.problems.append(Problem(
                source, None, f"the outputs in {out_dir} were built with -l {recorded}; "
                f"verifying them with -l {layout}",
                "drop -l to verify them with the layout they were built with",
                severity="warning"))
        try:
            document, resolved = prepare(source, used, cwd or Path.cwd())
        except KzreportError as exc:
            report.problems.extend(exc.problems)
            report.failed = True
            continue
        expected = expect(document, resolved)
        for name in names:
            path = out_dir / f"{document.stem}{registered[name].extension}"
            problems = verify_output(path, name, expected,
                                     build_command(source, out_dir, used))
            report.problems.extend(problems)
            if problems:
                report.failed = True
            else:
                report.verified += 1
    return report


def _recorded_layout(manifest: Manifest, paths: Iterable[Path]) -> str | None:
    """The ``-l`` the manifest records the outputs at ``paths`` were built with, when they
    agree on one."""
    recorded = {entry.get("layout") for path in paths
                if (entry := manifest.get(path.name)) is not None}
    if len(recorded) != 1:
        return None
    value = recorded.pop()
    return value if isinstance(value, str) else None
