"""kzreport verify end to end: fresh builds pass; a changed word, a swapped file, a missing deck,
text overflowing its slide box and a changed link each fail, naming the output."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest

from conftest import FIXTURES, SEED
from kzreport.build import Options, build
from kzreport.expectations import expect
from kzreport.layout import Layout
from kzreport.model import Document
from kzreport.verify import verify_output
from verify_helpers import (
    FORMATS,
    built_project,
    change_shape,
    copied_project,
    error_lines,
    rewrite,
    slide_with,
    verify,
)

HINT = "rebuild with kzreport build"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project with the seed and the rich paper under source/, built in every format."""
    return built_project(tmp_path_factory.mktemp("verify"), [SEED, FIXTURES / "rich.md"],
                         FIXTURES / "images")


@pytest.fixture
def project(built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh copy of the built project, as the current folder, for one test to damage."""
    return copied_project(built, tmp_path, monkeypatch)


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


@pytest.mark.parametrize("fixture", ["pdf-long.md", "pptx-deck.md", "crossrefs.md",
                                     "scripts-arabic.md", "scripts-urdu.md", "scripts-pashto.md",
                                     "deck-table-notes.md"])
def test_more_papers_verify(fixture: str, tmp_path: Path) -> None:
    # pdf-long has paragraphs running over page breaks, past the footer of the page before;
    # pptx-deck has marking banners, a summary slide and details of every kind in the notes;
    # crossrefs has contents, numbered captions, cross-references and acronyms;
    # the right-to-left papers have slide lines drawn by the Arabic-script face, whose line
    # box the deck pitches them by (by the body face's, verify found them overlapping).
    # deck-table-notes has a slide's table whose cell prints its footnote's mark.
    source = FIXTURES / fixture
    outcomes = build([source], Options(out_dir=tmp_path, formats=FORMATS, cwd=tmp_path))
    assert not any(o.failed for o in outcomes)
    result = verify(str(source), "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "3 output(s) verified"


def test_a_reference_document_with_even_page_headers(tmp_path: Path) -> None:
    # verify reads the headers and footers even pages show: the brief turns the reference
    # document's different even pages off, so they show the disclaimer like every other.
    folder = tmp_path / "layouts" / "even"
    folder.mkdir(parents=True)
    reference = docx.Document()
    reference.settings.odd_and_even_pages_header_footer = True
    reference.save(str(folder / "reference.docx"))
    (folder / "layout.toml").write_text(
        'inherit = "default"\n[files]\nreference_docx = "reference.docx"\n', encoding="utf-8")
    outcomes = build([SEED], Options(out_dir=tmp_path / "out", formats=("docx",), cwd=tmp_path,
                                     layout=str(folder)))
    assert not any(o.failed for o in outcomes)
    result = verify(str(SEED), "-o", str(tmp_path / "out"), "-f", "docx", "-l", str(folder))
    assert result.exit_code == 0, result.output


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
    # The message shows where the paragraph differs, however far into it.
    assert line.startswith(f"{docx}: error: paragraph 1 (line 28) of the source reads "
                           '"…Kassym-Jomart Tokayev took a seat on the conflict in…" in the '
                           'output, not "…Kassym-Jomart Tokayev took a stand on the conflict '
                           'in…" — ')
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
    assert ('the disclaimer "The opinions and conclusi…" is not in the footer of pages 1, 2 '
            "of 2") in messages
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


def test_verify_uses_the_layout_the_outputs_were_built_with(project: Path) -> None:
    outcomes = build([Path("source/rich.md")],
                     Options(out_dir=Path("custom"), formats=FORMATS, layout="briefing",
                             cwd=project))
    assert not any(o.failed for o in outcomes)
    result = verify("source/rich.md", "--out", "custom")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "3 output(s) verified"
    # Told another layout, verify says which one the outputs were built with.
    result = verify("source/rich.md", "--out", "custom", "--layout", "default")
    assert result.exit_code == 1
    assert ("source/rich.md: warning: the outputs in custom were built with -l briefing; "
            "verifying them with -l default — drop -l to verify them with the layout they "
            "were built with") in result.stderr.splitlines()


# ---------------------------------------------------------------- footnotes


@pytest.fixture(scope="module")
def noted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project with the constructs fixture (footnotes everywhere), built in every format."""
    project = tmp_path_factory.mktemp("noted")
    (project / "source").mkdir()
    shutil.copy(FIXTURES / "pandoc-constructs.md", project / "source")
    [outcome] = build([project / "source" / "pandoc-constructs.md"],
                      Options(out_dir=project / "build", formats=FORMATS, cwd=project))
    assert not outcome.failed, [str(p) for p in outcome.problems]
    return project


@pytest.fixture
def noted_project(noted: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return copied_project(noted, tmp_path, monkeypatch)


NOTED = "source/pandoc-constructs.md"


def test_the_footnotes_of_fresh_builds_verify(noted_project: Path) -> None:
    result = verify(NOTED)
    assert result.exit_code == 0, result.output


def test_a_changed_word_note_is_found(noted_project: Path) -> None:
    brief = Path("build/pandoc-constructs.docx")
    rewrite(brief, "word/footnotes.xml", lambda xml: xml.replace("Micklin", "Mickey"))
    result = verify(NOTED, "-f", "docx")
    assert result.exit_code == 1
    assert error_lines(result) == [
        f'{brief}: error: the note of footnote reference 2 (line 18) reads "Mickey, P., "The Aral '
        f'Sea Disaster", Annual Review of Earth…", not "Micklin, P., "The Aral Sea Disaster", '
        f'Annual Review of…" — rebuild with kzreport build {NOTED}']


def test_word_notes_attached_to_the_wrong_reference_are_found(noted_project: Path) -> None:
    brief = Path("build/pandoc-constructs.docx")
    rewrite(brief, "word/document.xml", lambda xml: xml.replace(
        'w:id="1"/>', 'w:id="X"/>').replace('w:id="2"/>', 'w:id="1"/>').replace(
        'w:id="X"/>', 'w:id="2"/>'))
    lines = error_lines(verify(NOTED, "-f", "docx"))
    assert [line.split(": error: ")[1].split(" reads")[0] for line in lines] == [
        "the note of footnote reference 1 (line 17)", "the note of footnote reference 2 (line 18)"]


def test_a_note_missing_from_the_slide_notes_is_found(noted_project: Path) -> None:
    deck = Path("build/pandoc-constructs.pptx")
    with zipfile.ZipFile(deck) as package:
        (notes,) = [n for n in package.namelist() if n.startswith("ppt/notesSlides/notesSlide")
                    and "station data" in package.read(n).decode("utf-8")]
    rewrite(deck, notes, lambda xml: xml.replace("station data", "other data"))
    assert error_lines(verify(NOTED, "-f", "pptx")) == [
        f"{deck}: error: footnote 7 (line 62) of the source, referred to by key point 2, is not "
        'in the notes of slide 4 or out of order: "7Based on station data for 2000–2020." — '
        f"rebuild with kzreport build {NOTED}"]


def test_a_cross_reference_typed_over_in_the_brief(tmp_path: Path) -> None:
    from kzreport.renderers._brief_fields import reference_bookmark

    source = FIXTURES / "crossrefs.md"
    outcomes = build([source], Options(out_dir=tmp_path, formats=("docx",), cwd=tmp_path))
    assert not any(o.failed for o in outcomes)
    instruction = f"REF {reference_bookmark('fig-map')} \\h"
    # The field's text stays ("Figure 1"), but as typed text, which Word never updates.
    rewrite(tmp_path / "crossrefs.docx", "word/document.xml",
            lambda xml: re.sub(r'<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r>'
                               r'<w:instrText xml:space="preserve"> ' + re.escape(instruction)
                               + r' </w:instrText></w:r><w:r><w:fldChar w:fldCharType='
                               r'"separate"/></w:r>(.*?)<w:r><w:fldChar w:fldCharType="end"/>'
                               r"</w:r>", r"\1", xml, count=1))
    result = verify(str(source), "-o", str(tmp_path), "-f", "docx")
    assert result.exit_code == 1
    assert [line.split(": error: ")[1].split(" — ")[0] for line in error_lines(result)] == [
        f'the field "{instruction}" is missing 1 time(s) from the body']


def test_a_wide_table_off_its_landscape_pages_is_found(tmp_path: Path) -> None:
    project = built_project(tmp_path, [FIXTURES / "wide-table.md"])
    brief = project / "build" / "wide-table.docx"
    rewrite(brief, "word/document.xml", lambda xml: xml.replace(
        '<w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/>',
        '<w:pgSz w:w="11906" w:h="16838"/>'))
    result = verify(str(project / "source" / "wide-table.md"), "-o", str(project / "build"),
                    "-f", "docx")
    assert result.exit_code == 1
    assert error_lines(result) == [
        f"{brief}: error: the table at line 18 is not on landscape pages — rebuild with "
        f"kzreport build {project / 'source' / 'wide-table.md'} -o {project / 'build'}"]
