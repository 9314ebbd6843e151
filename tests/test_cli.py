"""The command line: every malformed paper fails ``check`` and ``build`` with exit 1 and one
well-formed line per problem, writes nothing and leaves earlier outputs alone; usage errors
exit 2."""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from kzreport import __version__
from kzreport.cli import cli

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
BAD = FIXTURES / "bad"
SEED = ROOT / "source" / "kazakhstan-position.md"

#: ``path:line[:column]: error: what — how to fix`` (warnings share the shape).
PROBLEM_LINE = re.compile(r"^(?P<path>.+?):(?P<line>[1-9]\d*)(?::[1-9]\d*)?: (?:error|warning): "
                          r"\S.*? — \S.*$")

HAS_DOCX = importlib.util.find_spec("kzreport.renderers.docx") is not None
needs_docx = pytest.mark.skipif(not HAS_DOCX, reason="kzreport.renderers.docx is not written yet")


def bad_cases() -> list[tuple[str, str]]:
    """(file name, expected text) of every case in tests/fixtures/bad/expected.txt."""
    rows = (BAD / "expected.txt").read_text(encoding="utf-8").splitlines()
    return [(name, says) for name, _, says in
            (r.split("\t") for r in rows if r.strip() and not r.startswith("#"))]


BAD_CASES = bad_cases()
IDS = [name for name, _ in BAD_CASES]


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), prog_name="kzreport", catch_exceptions=False)


def assert_problem_lines(stderr: str, path: Path) -> list[str]:
    lines = stderr.splitlines()
    assert lines, "a failure must say why on stderr"
    assert "Traceback" not in stderr
    for line in lines:
        match = PROBLEM_LINE.fullmatch(line)
        assert match, f"not a one-line problem: {line!r}"
        assert match["path"] == str(path)
    return lines


@pytest.mark.parametrize(("name", "says"), BAD_CASES, ids=IDS)
def test_check_fails_with_one_line_per_problem(name: str, says: str) -> None:
    path = BAD / name
    result = run("check", str(path))
    assert result.exit_code == 1, result.output
    lines = assert_problem_lines(result.stderr, path)
    assert len(lines) == 1
    assert says in lines[0]
    assert "OK" not in result.stdout


@pytest.mark.parametrize(("name", "says"), BAD_CASES, ids=IDS)
def test_failing_build_writes_nothing_and_keeps_old_outputs(name: str, says: str,
                                                            tmp_path: Path) -> None:
    path = BAD / name
    out = tmp_path / "out"
    out.mkdir()
    stem = path.stem
    old = {out / f"{stem}.docx": b"an earlier build's brief", out / f"{stem}.pdf": b"%PDF-old",
           out / f"{stem}.pptx": b"an earlier deck"}
    for file, data in old.items():
        file.write_bytes(data)
    result = run("build", "-o", str(out), str(path))
    assert result.exit_code == 1, result.output
    lines = assert_problem_lines(result.stderr, path)
    assert says in lines[0]
    assert "wrote" not in result.stdout and "built" not in result.stdout
    assert sorted(out.iterdir()) == sorted(old), "a failing build must not add files"
    for file, data in old.items():
        assert file.read_bytes() == data


def test_failing_build_does_not_create_the_output_folder(tmp_path: Path) -> None:
    out = tmp_path / "not-yet"
    result = run("build", "-o", str(out), str(BAD / "missing-title.md"))
    assert result.exit_code == 1
    assert not out.exists()


def test_one_bad_source_among_several_fails_the_run(tmp_path: Path) -> None:
    bad = [BAD / "heading-level1.md", BAD / "link-javascript.md"]
    result = run("check", str(SEED), *map(str, bad))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 2
    assert [line.split(":", 1)[0] for line in lines] == [str(p) for p in bad]


@pytest.mark.parametrize("name", ["binary.md", "lone-surrogate.md", "non-utf8.md",
                                  "yaml-billion-laughs.md", "author-unknown-key.md"])
def test_real_process_reports_without_traceback(name: str, tmp_path: Path) -> None:
    path = BAD / name
    for args in (["check", str(path)], ["build", "-o", str(tmp_path / "out"), str(path)]):
        result = subprocess.run([sys.executable, "-m", "kzreport", *args], capture_output=True,
                                text=True, encoding="utf-8", timeout=120, check=False)
        assert result.returncode == 1, result.stderr
        assert_problem_lines(result.stderr, path)
    assert not (tmp_path / "out").exists()


def test_huge_source_fails_cleanly(tmp_path: Path) -> None:
    path = tmp_path / "huge.md"
    path.write_bytes(b"---\n" + b"x" * 2_000_000)
    result = run("check", str(path))
    assert result.exit_code == 1
    (line,) = assert_problem_lines(result.stderr, path)
    assert "over the limit" in line


def test_check_passes_the_seed() -> None:
    result = run("check", str(SEED))
    assert result.exit_code == 0, result.output
    assert "1 source(s) OK" in result.stdout


# ---------------------------------------------------------------- successful builds


@needs_docx
def test_build_docx_then_a_broken_edit_keeps_the_good_output(tmp_path: Path) -> None:
    source = tmp_path / "paper.md"
    shutil.copy(SEED, source)
    out = tmp_path / "out"
    result = run("build", "-f", "docx", "-o", str(out), str(source))
    assert result.exit_code == 0, result.output
    brief = out / "paper.docx"
    assert brief.is_file()
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("date: 2022-06-03", "date: 2022-13-45"), encoding="utf-8")
    result = run("build", "-f", "docx", "--force", "-o", str(out), str(source))
    assert result.exit_code == 1
    (line,) = assert_problem_lines(result.stderr, source)
    assert line.startswith(f"{source}:6: error: date '2022-13-45' does not exist")
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


# ---------------------------------------------------------------- help, version, usage


def test_help_lists_the_commands() -> None:
    result = run("--help")
    assert result.exit_code == 0
    for command in ("build", "check", "layouts"):
        assert command in result.stdout
    assert run("-h").stdout == result.stdout


@pytest.mark.parametrize("command", ["build", "check", "layouts"])
def test_command_help(command: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0
    assert f"Usage: kzreport {command}" in result.stdout


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"kzreport, version {__version__}"


def test_python_dash_m_help_and_version() -> None:
    for args, expected in ((["--help"], "Usage: kzreport"), (["--version"], __version__)):
        result = subprocess.run([sys.executable, "-m", "kzreport", *args], capture_output=True,
                                text=True, encoding="utf-8", timeout=120, check=False)
        assert result.returncode == 0, result.stderr
        assert expected in result.stdout
        assert result.stderr == ""


def test_the_script_exits_at_once_as_sys_exit_would(tmp_path: Path) -> None:
    # main() ends the process without Python's teardown: exit handlers still run, the
    # streams are flushed and the status is the command's
    code = ("import atexit; atexit.register(lambda: print('handler ran')); "
            "from kzreport.cli import main; main()")

    def script(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-c", code, *args], capture_output=True,
                              text=True, encoding="utf-8", timeout=120, check=False)

    good, bad, usage = script("check", str(SEED)), script("check", str(BAD / "binary.md")), \
        script("frobnicate")
    assert [good.returncode, bad.returncode, usage.returncode] == [0, 1, 2]
    assert all(r.stdout.endswith("handler ran\n") for r in (good, bad, usage))
    assert_problem_lines(bad.stderr, BAD / "binary.md")
    # a reader that went away: no traceback, click's status for it
    reader = subprocess.Popen([sys.executable, "-m", "kzreport", "layouts"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert reader.stdout is not None and reader.stderr is not None
    reader.stdout.close()
    assert reader.wait(timeout=120) == 1
    assert "Traceback" not in reader.stderr.read().decode()


@pytest.mark.parametrize("args", [
    ["build", "--no-such-option", str(SEED)],
    ["check", "--no-such-option", str(SEED)],
    ["build", "-f", "odt", str(SEED)],
    ["build", "--format"],
    ["frobnicate"],
])
def test_usage_errors_exit_2(args: list[str], tmp_path: Path,
                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, args, prog_name="kzreport")
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert "Error:" in result.stderr
    assert list(tmp_path.iterdir()) == [], "a usage error must write nothing"


def test_unknown_format_names_the_valid_ones() -> None:
    result = CliRunner().invoke(cli, ["build", "-f", "odt", str(SEED)], prog_name="kzreport")
    assert result.exit_code == 2
    assert "'odt'" in result.stderr
    if HAS_DOCX:
        assert "docx" in result.stderr


def test_layouts_lists_the_built_in_default(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no layouts/ folder here: only built-in ones
    result = run("layouts")
    assert result.exit_code == 0, result.output
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    default = next(row for row in rows if row[0] == "default")
    assert default[1] == "built-in"
    assert (Path(default[2]) / "layout.toml").is_file()
    assert all(row[1] == "built-in" for row in rows)


def test_layouts_lists_project_layouts_first(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "layouts" / "house").mkdir(parents=True)
    (tmp_path / "layouts" / "house" / "layout.toml").write_text("", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run("layouts")
    assert result.exit_code == 0, result.output
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert rows[0] == ["house", "project", str(tmp_path / "layouts" / "house")]
    assert ["default", "built-in"] in [row[:2] for row in rows]


@pytest.mark.parametrize("args", [["build", "--force", "-j", "1"], ["build", "no-such.md"],
                                  ["build", "--check"]])
def test_build_leaves_garbage_collection_on_however_it_ends(tmp_path: Path,
                                                            args: list[str]) -> None:
    import gc

    result = run(*args, *([str(SEED)] if "no-such.md" not in args else []), "-o",
                 str(tmp_path / "out"))
    assert result.exit_code in (0, 1) and gc.isenabled()


def test_import_writes_a_source_warns_and_refuses_to_overwrite(tmp_path: Path) -> None:
    text = FIXTURES / "import" / "kazakhstan-position.txt"
    out = tmp_path / "paper.md"
    result = CliRunner().invoke(cli, ["import", str(text), "-o", str(out)],
                                catch_exceptions=False)
    assert result.exit_code == 0 and result.stdout == f"imported {out}\n"
    assert_problem_lines(result.stderr, text)  # the two placeholder links, located
    assert run("check", str(out)).exit_code == 0
    again = CliRunner().invoke(cli, ["import", str(text), "-o", str(out)])
    assert again.exit_code == 1
    assert_problem_lines(again.stderr, out)
    assert CliRunner().invoke(cli, ["import", str(text), "-o", str(out), "--force"]
                              ).exit_code == 0


def test_import_refuses_a_file_that_is_not_a_paper(tmp_path: Path) -> None:
    bad = tmp_path / "paper.docx"
    bad.write_bytes(b"%PDF-1.7")
    result = CliRunner().invoke(cli, ["import", str(bad), "-o", str(tmp_path / "p.md")])
    assert result.exit_code == 1
    assert len(assert_problem_lines(result.stderr, bad)) == 1
    assert run("import", str(tmp_path / "missing.docx")).exit_code == 2
