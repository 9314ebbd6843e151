"""kzreport verify end to end: fresh builds pass; a changed word, a swapped file, a missing deck,
text overflowing its slide box and a changed link each fail, naming the output."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from conftest import FIXTURES, SEED
from kzreport.build import Options, build
from kzreport.cli import cli
from kzreport.expectations import expect
from kzreport.layout import Layout
from kzreport.model import Document
from kzreport.verify import verify_output

HINT = "rebuild with kzreport build"
FORMATS = ("docx", "pdf", "pptx")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project with the seed and the rich paper under source/, built in every format."""
    project = tmp_path_factory.mktemp("verify")
    (project / "source").mkdir()
    shutil.copy(SEED, project / "source")
    shutil.copy(FIXTURES / "rich.md", project / "source")
    shutil.copytree(FIXTURES / "images", project / "source" / "images")
    outcomes = build(sorted((project / "source").glob("*.md")),
                     Options(out_dir=project / "build", formats=FORMATS, cwd=project))
    assert not any(o.failed for o in outcomes), [str(p) for o in outcomes for p in o.problems]
    return project


@pytest.fixture
def project(built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh copy of the built project, as the current folder, for one test to damage."""
    copy = tmp_path / "project"
    shutil.copytree(built, copy)
    monkeypatch.chdir(copy)
    return copy


def verify(*args: str) -> Result:
    return CliRunner().invoke(cli, ["verify", *args])


def error_lines(result: Result) -> list[str]:
    lines = result.stderr.splitlines()
    assert lines, result.output
    for line in lines:
        assert re.match(r"^\S+: error: .+ — .+$", line), line
    return lines


def rewrite(package: Path, member: str, change: Callable[[str], str]) -> None:
    """Replace ``member`` of the zip ``package`` by ``change`` of its text (which must change)."""
    with zipfile.ZipFile(package) as source:
        entries = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(package, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in entries:
            if info.filename == member:
                text = data.decode("utf-8")
                changed = change(text)
                assert changed != text, f"{member} did not change"
                data = changed.encode("utf-8")
            target.writestr(info, data)


def slide_with(deck: Path, text: str) -> str:
    """The name of the one slide of ``deck`` whose XML holds ``text``."""
    with zipfile.ZipFile(deck) as package:
        names = [n for n in package.namelist()
                 if re.fullmatch(r"ppt/slides/slide\d+\.xml", n)
                 and text in package.read(n).decode("utf-8")]
    assert len(names) == 1, names
    return names[0]


def change_shape(xml: str, text: str, change: Callable[[str], str]) -> str:
    """``xml`` with ``change`` applied to the one ``p:sp`` shape holding ``text``."""
    shapes = re.findall(r"<p:sp>.*?</p:sp>", xml, flags=re.S)
    (shape,) = [s for s in shapes if text in s]
    return xml.replace(shape, change(shape))


# ---------------------------------------------------------------- fresh builds pass


def test_fresh_builds_of_the_seed_and_the_rich_paper_verify(project: Path) -> None:
    result = verify("source/kazakhstan-position.md", "source/rich.md", "-o", "build")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "6 output(s) verified"
    assert result.stderr == ""


def test_defaults_are_every_source_and_the_build_folder(project: Path) -> None:
    result = verify()
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "6 output(s) verified"


@pytest.mark.parametrize("fixture", ["pdf-long.md", "pptx-deck.md"])
def test_more_papers_verify(fixture: str, tmp_path: Path) -> None:
    # pdf-long has paragraphs running over page breaks, past the footer of the page before;
    # pptx-deck has marking banners, a summary slide and details of every kind in the notes.
    source = FIXTURES / fixture
    outcomes = build([source], Options(out_dir=tmp_path, formats=FORMATS, cwd=tmp_path))
    assert not any(o.failed for o in outcomes)
    result = verify(str(source), "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "3 output(s) verified"


def test_a_different_output_folder_and_layout_option(project: Path) -> None:
    shutil.move(project / "build", project / "elsewhere")
    result = verify("source/rich.md", "--out", "elsewhere", "--layout", "default")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "3 output(s) verified"


# ---------------------------------------------------------------- damaged outputs fail


def test_one_word_changed_in_the_brief(project: Path) -> None:
    docx = Path("build/kazakhstan-position.docx")
    rewrite(docx, "word/document.xml",
            lambda xml: xml.replace("took a stand on the conflict", "took a seat on the conflict"))
    result = verify("source/kazakhstan-position.md")
    assert result.exit_code == 1
    (line,) = error_lines(result)
    assert line.startswith(f"{docx}: error: paragraph 1 (line 28) of the source is missing or "
                           'out of order: "On March 1, 2022, Kazakh…" — ')
    assert HINT in line
    assert "output(s) verified" not in result.stdout


@pytest.mark.parametrize(("old", "new", "says"), [
    ("subtitle: Сараптамалық шолу (Analytical Review)", "subtitle: Another Review",
     'the subtitle "Another Review" is not'),
    ("affiliation: Қауіпсіздік зерттеулері орталығы", "affiliation: Other Centre",
     'the affiliation "Other Centre" is not'),
    ("organization: Орталық Азия талдау тобы", "organization: Other Group",
     'the organization "Other Group" is not'),
    ("  - label: Write to the authors", "  - label: Mail us",
     'the link label "Mail us" is not'),
    ("language: kk-KZ", "language: kk-KZ\nmarking: UNCLASSIFIED",
     'the marking "UNCLASSIFIED" is not'),
])
def test_front_matter_changed_after_the_build(project: Path, old: str, new: str,
                                              says: str) -> None:
    source = Path("source/rich.md")
    text = source.read_text("utf-8")
    assert old in text
    source.write_text(text.replace(old, new, 1), "utf-8")
    result = verify("source/rich.md")
    assert result.exit_code == 1
    lines = error_lines(result)
    for output in ("build/rich.docx", "build/rich.pdf", "build/rich.pptx"):
        assert any(line.startswith(f"{output}: error: {says}") for line in lines), lines


def test_one_word_changed_on_a_slide(project: Path) -> None:
    deck = Path("build/kazakhstan-position.pptx")
    slide = slide_with(deck, "The neutrality of the Kazakh government")
    rewrite(deck, slide, lambda xml: xml.replace("The neutrality of the Kazakh",
                                                 "The neutrality of the Kyrgyz"))
    result = verify("source/kazakhstan-position.md")
    assert result.exit_code == 1
    (line,) = error_lines(result)
    assert line.startswith(f"{deck}: error: key point 2 (line 72) is not on slide 3: "
                           '"The neutrality of the Kaz…"')


def test_a_pdf_swapped_for_another_papers_pdf(project: Path) -> None:
    pdf = Path("build/kazakhstan-position.pdf")
    shutil.copy("build/rich.pdf", pdf)
    result = verify("source/kazakhstan-position.md", "source/rich.md")
    assert result.exit_code == 1
    lines = error_lines(result)
    assert all(line.startswith(f"{pdf}: error: ") for line in lines)
    messages = "\n".join(lines)
    assert "the title property is" in messages
    assert "paragraph 1 (line 28) of the source is missing or out of order" in messages
    assert "the disclaimer is missing from page(s) 1, 2 of 2" in messages
    # Bounded: twenty mismatches, then one line counting the rest.
    assert len(lines) == 21
    assert re.search(r"error: … and \d+ more — ", lines[-1])


def test_a_missing_deck(project: Path) -> None:
    deck = Path("build/kazakhstan-position.pptx")
    deck.unlink()
    result = verify("source/kazakhstan-position.md")
    assert result.exit_code == 1
    assert error_lines(result) == [
        f"{deck}: error: the output is missing — build it with kzreport build "
        "source/kazakhstan-position.md"]


def test_a_detail_bullet_missing_from_the_slide_and_the_notes(project: Path) -> None:
    deck = Path("build/rich.pptx")
    slide = slide_with(deck, "The neutrality of the government")
    rewrite(deck, slide, lambda xml: xml.replace("detail bullet two", "detail bullet 2"))
    result = verify("source/rich.md", "-f", "pptx")
    assert result.exit_code == 1
    assert error_lines(result) == [
        f"{deck}: error: list item 8 (line 60) of the source, a detail of key point 1, is neither "
        'on slide 3 nor in its notes: "detail bullet two" — rebuild with kzreport build '
        "source/rich.md"]


def _bigger(shape: str, sizes: bool, pitches: bool) -> str:
    if sizes:
        shape = re.sub(r'sz="(\d+)"', lambda m: f'sz="{int(m[1]) * 2}"', shape)
    if pitches:
        shape = re.sub(r'<a:lnSpc><a:spcPts val="(\d+)"/>',
                       lambda m: f'<a:lnSpc><a:spcPts val="{int(m[1]) * 2}"/>', shape)
    return shape


@pytest.mark.parametrize(("pitches", "problem"), [
    (True, r"overflows its box: it needs \d+\.\d pt, the box has \d+\.\d pt"),
    (False, r"overlap: \d+ pt text on \d+(\.\d+)? pt lines"),
], ids=["size-and-spacing", "size-only"])
def test_a_key_point_enlarged_until_it_overflows(project: Path, pitches: bool,
                                                 problem: str) -> None:
    deck = Path("build/kazakhstan-position.pptx")
    text = "The Nur-Sultan government maintains"
    slide = slide_with(deck, text)
    rewrite(deck, slide, lambda xml: change_shape(
        xml, text, lambda shape: _bigger(shape, sizes=True, pitches=pitches)))
    result = verify("source/kazakhstan-position.md")
    assert result.exit_code == 1
    (line,) = error_lines(result)
    assert line.startswith(f"{deck}: error: slide 2: ")
    assert re.search(problem, line), line


def test_the_deck_as_built_has_no_overflow_by_the_fitting_metrics(project: Path) -> None:
    # The seed's and the rich paper's decks fit; the check above is not vacuous because the
    # same frames fail once their text is enlarged.
    result = verify("-f", "pptx")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "2 output(s) verified"


@pytest.mark.parametrize(("fmt", "member"), [
    ("docx", "word/_rels/document.xml.rels"),
    ("pptx", None),
])
def test_a_changed_link_target(project: Path, fmt: str, member: str | None) -> None:
    output = Path(f"build/kazakhstan-position.{fmt}")
    old, new = 'Target="https://nesa-center.org/"', 'Target="https://nesa-center.example/"'
    if member is None:
        with zipfile.ZipFile(output) as package:
            (member,) = [n for n in package.namelist() if n.endswith(".rels")
                         and old in package.read(n).decode("utf-8")]
    rewrite(output, member, lambda xml: xml.replace(old, new))
    result = verify("source/kazakhstan-position.md", "-f", fmt)
    assert result.exit_code == 1
    messages = "\n".join(error_lines(result))
    assert f"{output}: error: link https://nesa-center.org/ of the source" in messages
    assert f"{output}: error: link https://nesa-center.example/ in the output is not in the " \
        "source" in messages
    assert all(line.startswith(f"{output}: error: link ") for line in messages.splitlines())


def test_a_damaged_output_is_reported_not_raised(project: Path) -> None:
    Path("build/rich.docx").write_bytes(b"not a zip file")
    result = verify("source/rich.md", "-f", "docx")
    assert result.exit_code == 1
    (line,) = error_lines(result)
    assert line.startswith("build/rich.docx: error: cannot read the output (BadZipFile")


def test_a_cut_short_pdf_is_one_error_line_and_nothing_else(project: Path) -> None:
    pdf = Path("build/rich.pdf")
    pdf.write_bytes(pdf.read_bytes()[:-50])  # no EOF marker: pypdf logs as it repairs
    result = subprocess.run([sys.executable, "-m", "kzreport", "verify", "-f", "pdf",
                             "source/rich.md"], capture_output=True, text=True, check=False)
    assert result.returncode == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith("build/rich.pdf: error: cannot read the output")


# ---------------------------------------------------------------- formats and sources


def test_formats_not_built_are_missing_unless_verify_is_told(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch,
                                                             ) -> None:
    monkeypatch.chdir(tmp_path)
    outcomes = build([SEED], Options(out_dir=Path("out"), formats=("docx",), cwd=tmp_path))
    assert not any(o.failed for o in outcomes)
    result = verify(str(SEED), "-o", "out")
    assert result.exit_code == 1
    assert [line.split(": error: ")[0] for line in error_lines(result)] == [
        "out/kazakhstan-position.pdf", "out/kazakhstan-position.pptx"]
    result = verify(str(SEED), "-o", "out", "-f", "docx")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "1 output(s) verified"


def test_an_invalid_source_gives_its_usual_error(project: Path) -> None:
    bad = FIXTURES / "bad" / "date-invalid.md"
    result = verify(str(bad), "source/rich.md")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines and all(line.startswith(f"{bad}:") for line in lines), result.stderr
    assert "output(s) verified" not in result.stdout


def test_an_unknown_format_is_a_usage_error(project: Path) -> None:
    result = verify("-f", "odt")
    assert result.exit_code == 2


@pytest.mark.parametrize("command", [["verify", "--help"],
                                     ["check", "source/kazakhstan-position.md"]])
def test_help_and_check_load_no_reader(project: Path, command: list[str]) -> None:
    # The registry names each reader, but only a renderer's read() imports it.
    code = ("import sys\nfrom kzreport.cli import cli\n"
            "try:\n    cli(" + repr(command) + ")\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('pypdf', 'docx', 'pptx', 'reportlab') or m.startswith('kzreport.readers')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"
    if command[-1] == "--help":
        assert "Usage: " in result.stdout
    else:
        assert "1 source(s) OK" in result.stdout


def test_a_format_without_a_reader(tmp_path: Path, seed: Document, layout: Layout) -> None:
    output = tmp_path / "paper.odt"
    output.write_bytes(b"")
    (problem,) = verify_output(output, "odt", expect(seed, layout))
    assert problem.message == "kzreport verify has no reader for the odt format"
    assert problem.hint == "please report this as a kzreport bug"
