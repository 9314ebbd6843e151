"""Finding and loading layouts: inheritance, validation, resolution order, the built-in ones."""

from __future__ import annotations

import datetime as dt
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import ROOT
from kzreport.cli import cli
from kzreport.errors import LayoutError
from kzreport.layout import format_date
from kzreport.layout_loader import builtin_folder, load_layout, resolve_layout


def write_layout(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "layout.toml").write_text(text, encoding="utf-8")
    return folder


def problems(spec: str, cwd: Path) -> list[str]:
    with pytest.raises(LayoutError) as caught:
        load_layout(spec, cwd)
    return [str(p) for p in caught.value.problems]


def test_builtin_layouts_are_complete_and_different(tmp_path: Path) -> None:
    default = load_layout("default", tmp_path)
    briefing = load_layout("briefing", tmp_path)
    assert default.page.size == "A4" and briefing.page.size == "Letter"
    assert briefing.format_date(dt.date(2022, 6, 3)) == "03 JUN 22"
    assert default.format_date(dt.date(2022, 6, 3)) == "3 June 2022"
    assert briefing.colors.title_band != default.colors.title_band
    assert briefing.fonts == default.fonts  # inherited
    assert briefing.files[0].parent.name == "briefing" and briefing.files[1].parent.name == \
        "default"
    assert default.slides.width / default.slides.height == pytest.approx(16 / 9, rel=1e-3)


def test_builtin_layouts_come_from_the_package_or_the_checkout() -> None:
    assert (builtin_folder() / "default" / "layout.toml").is_file()
    assert (builtin_folder() / "briefing" / "layout.toml").is_file()


def test_resolution_order_path_then_project_then_builtin(tmp_path: Path) -> None:
    assert resolve_layout("default", tmp_path) == (builtin_folder() / "default").resolve()
    project = write_layout(tmp_path / "layouts" / "default", 'inherit = "briefing"\n')
    assert resolve_layout("default", tmp_path) == project.resolve()
    elsewhere = write_layout(tmp_path / "elsewhere" / "mine", 'inherit = "briefing"\n')
    assert resolve_layout("elsewhere/mine", tmp_path) == elsewhere.resolve()
    assert resolve_layout(str(elsewhere / "layout.toml"), tmp_path) == elsewhere.resolve()


def test_a_copied_layout_folder_builds_by_path(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "layouts" / "briefing", tmp_path / "copy")
    (tmp_path / "copy" / "layout.toml").write_text(
        (tmp_path / "copy" / "layout.toml").read_text().replace('inherit = "default"',
                                                                 'inherit = "default"\n'), "utf-8")
    runner = CliRunner()
    out = tmp_path / "out"
    result = runner.invoke(cli, ["build", "-f", "docx", "-l", str(tmp_path / "copy"), "-o",
                                 str(out), str(ROOT / "source" / "kazakhstan-position.md")])
    assert result.exit_code == 0, result.output
    assert (out / "kazakhstan-position.docx").is_file()


def test_unknown_layout_lists_the_known_ones(tmp_path: Path) -> None:
    found = problems("nope", tmp_path)
    assert len(found) == 1 and "unknown layout 'nope'" in found[0]
    assert "default" in found[0] and "briefing" in found[0]


def test_inheritance_cycle_is_an_error(tmp_path: Path) -> None:
    write_layout(tmp_path / "layouts" / "a", 'inherit = "b"\n')
    write_layout(tmp_path / "layouts" / "b", 'inherit = "a"\n')
    found = problems("a", tmp_path)
    assert len(found) == 1 and "inheritance cycle: a -> b -> a" in found[0]


def test_settings_override_and_inherit(tmp_path: Path) -> None:
    write_layout(tmp_path / "layouts" / "red",
                 'inherit = "default"\n[colors]\nprimary = "#CC0000"\n[sizes]\nbody = 12\n')
    layout = load_layout("red", tmp_path)
    assert layout.colors.primary == "CC0000" and layout.sizes.body == 12
    assert layout.colors.text == load_layout("default", tmp_path).colors.text


@pytest.mark.parametrize(("text", "line", "message"), [
    ('inherit = "default"\n[colors]\nprimary = "navy"\n', 3, "'colors.primary' is not a colour"),
    ('inherit = "default"\n[page]\nsize = "A3"\n', 3, "unknown page size 'A3'"),
    ('inherit = "default"\n[page]\norientation = "sideways"\n', 3,
     "unknown page orientation 'sideways'"),
    ('inherit = "default"\n[page]\nmargin_top = "20"\n', 3, "not a positive length"),
    ('inherit = "default"\n[colours]\ntext = "#000000"\n', 2, "unknown layout setting 'colours'"),
    ('inherit = "default"\n[sizes]\nbdy = 11\n', 3, "unknown layout setting 'sizes.bdy'"),
    ('inherit = "default"\ndate_format = "{day} {Month}"\n', 2, "unknown date token '{day}'"),
    ('inherit = "default"\n[fonts.body]\nregular = "missing.ttf"\n', 3, "font file not found"),
    ('inherit = "default"\n[sizes]\nbody = "eleven"\n', 3, "'sizes.body' must be a float"),
    ('inherit = "default"\n[labels]\npage = "{page} of {total}"\n', 3, "unknown field '{total}'"),
    ('inherit = "default"\n[files]\nreference_docx = "missing.docx"\n', 3, "file not found"),
    ('inherit = "default"\n[labels]\npage = "Page {page"\n', 3, "unbalanced '{' or '}'"),
    ('inherit = "default"\n[labels]\nfigure = "Fig. }"\n', 3, "unbalanced '{' or '}'"),
    ('inherit = "default"\n[labels]\nfigure = "Fig. {0}"\n', 3, "unknown field '{0}'"),
    ('inherit = "default"\n[labels]\nkey_point = "{n:>5}"\n', 3, "format spec or conversion"),
    ('inherit = "default"\n[labels]\nslide_footer = "{date!r}"\n', 3,
     "format spec or conversion"),
    ('inherit = "default"\n[labels]\nslide_footer = "{date.year}"\n', 3,
     "unknown field '{date.year}'"),
    ('inherit = "default"\nmonth_names = ["Jan", "Feb"]\n', 2, "twelve month names"),
    ('inherit = "default"\nmonth_names = []\n', 2, "twelve month names"),
    ('inherit = "default"\n[page]\nmargin_left = "104mm"\nmargin_right = "104mm"\n', 3,
     "of the page width for text"),
    ('inherit = "default"\n[page]\nmargin_top = "150mm"\nmargin_bottom = "150mm"\n', 3,
     "of the page height for text"),
    ('inherit = "default"\n[logo]\nfile = "nope.png"\nwidth = "2cm"\n', 3, "file not found"),
    ('inherit = "default"\nmonth_names = "Jan"\n', 2, "'month_names' must be a list"),
    ('[colors\n', 1, "invalid TOML"),
    ('inherit = "default"\n[slides]\nfootnote_line = "yes"\n', 3,
     "'slides.footnote_line' must be a bool"),
])
def test_validation_errors_are_located(tmp_path: Path, text: str, line: int,
                                       message: str) -> None:
    folder = write_layout(tmp_path / "layouts" / "bad", text)
    found = problems("bad", tmp_path)
    assert len(found) == 1, found
    assert found[0].startswith(f"{folder / 'layout.toml'}:{line}: error: ")
    assert message in found[0] and " — " in found[0]


@pytest.mark.parametrize(("data", "message"), [
    (b"not a font at all", "is not a TrueType font"),
    (b"OTTO" + bytes(60), "an OpenType-CFF font"),
    (b"\x00\x01\x00\x00\x00\x05", "a damaged font file"),
])
def test_a_font_file_that_cannot_be_read_is_refused_at_load(tmp_path: Path, data: bytes,
                                                             message: str) -> None:
    folder = write_layout(tmp_path / "layouts" / "bad",
                          'inherit = "default"\n[fonts.mono]\nregular = "broken.ttf"\n')
    (folder / "broken.ttf").write_bytes(data)
    found = problems("bad", tmp_path)
    assert len(found) == 1, found
    assert found[0].startswith(f"{folder / 'layout.toml'}:3: error: font file broken.ttf ")
    assert message in found[0]


def test_a_damaged_logo_is_refused_at_load(tmp_path: Path) -> None:
    folder = write_layout(tmp_path / "layouts" / "bad",
                          'inherit = "default"\n[logo]\nfile = "logo.png"\nwidth = "2cm"\n')
    (folder / "logo.png").write_text("text named .png")
    found = problems("bad", tmp_path)
    assert len(found) == 1, found
    assert found[0].startswith(f"{folder / 'layout.toml'}:3: error: the logo image is damaged")


def test_a_layout_without_inheritance_must_be_complete(tmp_path: Path) -> None:
    write_layout(tmp_path / "layouts" / "bare", '[colors]\ntext = "#000000"\n')
    found = problems("bare", tmp_path)
    assert any("missing setting 'page.size'" in p for p in found)


def test_a_standalone_layout_written_before_the_disclaimer_label_still_loads(
        tmp_path: Path) -> None:
    text = (ROOT / "layouts" / "default" / "layout.toml").read_text("utf-8")
    older = text.replace('disclaimer = "Disclaimer"\n', "")
    assert older != text and "inherit" not in older
    write_layout(tmp_path / "layouts" / "older", older)
    assert load_layout("older", tmp_path).labels.disclaimer == "Disclaimer"


def test_templates_with_macros_or_external_links_are_refused(tmp_path: Path) -> None:
    import docx

    folder = tmp_path / "layouts" / "macro"
    folder.mkdir(parents=True)
    docx.Document().save(str(folder / "reference.docx"))
    with zipfile.ZipFile(folder / "reference.docx", "a") as package:
        package.writestr("word/vbaProject.bin", b"\0")
    write_layout(folder, 'inherit = "default"\n[files]\nreference_docx = "reference.docx"\n')
    found = problems("macro", tmp_path)
    assert len(found) == 1 and "contains macros or embedded objects" in found[0]


def test_month_names_come_from_the_layout(tmp_path: Path) -> None:
    kazakh = ["қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым", "шілде", "тамыз",
              "қыркүйек", "қазан", "қараша", "желтоқсан"]
    names = ", ".join(f'"{m}"' for m in kazakh)
    write_layout(tmp_path / "layouts" / "kk", f'inherit = "briefing"\nmonth_names = [{names}]\n')
    layout = load_layout("kk", tmp_path)
    assert layout.format_date(dt.date(2022, 6, 3)) == "03 МАУ 22"
    assert format_date("{d} {Month} {yyyy}", dt.date(2022, 6, 3), layout.month_names) == \
        "3 маусым 2022"


def test_layouts_command_lists_and_shows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runner = CliRunner()
    monkeypatch.chdir(tmp_path)
    listed = runner.invoke(cli, ["layouts"])
    assert listed.exit_code == 0
    names = {line.split("\t")[0]: line.split("\t")[1] for line in listed.output.splitlines()}
    assert names == {"briefing": "built-in", "default": "built-in"}
    shown = runner.invoke(cli, ["layouts", "show", "briefing"])
    assert shown.exit_code == 0 and "page.size = Letter" in shown.output
    assert "date_format = {dd} {MON} {yy}" in shown.output
    unknown = runner.invoke(cli, ["layouts", "show", "nope"])
    assert unknown.exit_code == 1 and "unknown layout 'nope'" in unknown.output


def test_the_slides_line_of_footnotes_is_on_unless_turned_off(tmp_path: Path) -> None:
    assert load_layout("default", tmp_path).slides.footnote_line is True
    write_layout(tmp_path / "layouts" / "quiet", 'inherit = "default"\n[slides]\n'
                 "footnote_line = false\n")
    assert load_layout("quiet", tmp_path).slides.footnote_line is False
