"""A user's reference.docx gives the brief styles, theme, numbering and page set-up, never content.

The fixtures are real templates from other tools: ``pandoc.docx`` is Pandoc 3.9's default
(``pandoc -o pandoc.docx --print-default-data-file reference.docx``: sample text, footnotes,
comments and an example.com link), ``libreoffice.docx`` the same saved by LibreOffice
(``soffice --headless --convert-to docx``) after a header and a footer with text were added.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest
from docx.shared import RGBColor

from conftest import FIXTURES, SEED, assert_valid_ooxml
from kzreport.build import Options, build
from kzreport.errors import LayoutError
from kzreport.layout_loader import load_layout
from verify_helpers import verify

REFERENCES = FIXTURES / "reference-docs"
NOTED = FIXTURES / "pandoc-constructs.md"
#: Text of the templates' sample content, none of which may reach a brief.
SAMPLES = ("example.com", "First Paragraph", "Block Text", "Footnote Block Text", "Abstract",
           "SAMPLE HEADER TEXT", "SAMPLE FOOTER TEXT")


def house(tmp_path: Path, reference: str, extra: str = "") -> Path:
    folder = tmp_path / "layouts" / "house"
    folder.mkdir(parents=True)
    (folder / "reference.docx").write_bytes((REFERENCES / reference).read_bytes())
    (folder / "layout.toml").write_text(
        f'inherit = "default"\n[files]\nreference_docx = "reference.docx"\n{extra}',
        encoding="utf-8")
    return folder


def built(tmp_path: Path, folder: Path, source: Path) -> Path:
    out = tmp_path / "out"
    outcomes = build([source], Options(out_dir=out, formats=("docx",), cwd=tmp_path,
                                       layout=str(folder)))
    assert not any(o.failed for o in outcomes)
    return out / f"{source.stem}.docx"


@pytest.mark.parametrize("reference", ["pandoc.docx", "libreoffice.docx"])
@pytest.mark.parametrize("source", [NOTED, SEED], ids=["notes", "no-notes"])
def test_only_styles_reach_the_brief_which_verifies(tmp_path: Path, reference: str,
                                                    source: Path) -> None:
    folder = house(tmp_path, reference)
    brief = built(tmp_path, folder, source)
    with zipfile.ZipFile(brief) as package:
        names = set(package.namelist())
        # Every part but the styles, which name the sample paragraphs' styles.
        everything = b"".join(package.read(name) for name in names
                              if name != "word/styles.xml").decode("utf-8", "replace")
    assert not {n for n in names if "comments" in n or "custom" in n or "endnotes" in n}
    assert [sample for sample in SAMPLES if sample in everything] == []
    # A paper without notes has no footnotes part: the template's sample notes are gone.
    assert ("word/footnotes.xml" in names) == (source == NOTED)
    assert_valid_ooxml(brief)
    result = verify(str(source), "-o", str(brief.parent), "-f", "docx", "-l", str(folder))
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("reference", ["pandoc.docx", "libreoffice.docx"])
def test_the_title_block_and_footer_keep_the_layouts_styles(tmp_path: Path,
                                                            reference: str) -> None:
    folder = house(tmp_path, reference)
    layout = load_layout(str(folder), tmp_path)
    word = docx.Document(str(built(tmp_path, folder, SEED)))
    # By name, in any case: LibreOffice writes Word's own lower-case names ("footer").
    styles = {(style.name or "").lower(): style for style in word.styles}
    title = styles["title"]
    assert title.font.bold and title.font.size.pt == layout.sizes.title
    assert styles["footer"].font.size.pt == layout.sizes.small
    assert styles["header"].font.size.pt == layout.sizes.small


def test_the_layout_names_the_styles_a_reference_document_sets(tmp_path: Path) -> None:
    reference = docx.Document()
    reference.styles["Heading 2"].font.color.rgb = RGBColor.from_string("AB1234")
    reference.styles["Quote"].font.color.rgb = RGBColor.from_string("AB1234")
    folder = tmp_path / "layouts" / "house"
    folder.mkdir(parents=True)
    reference.save(str(folder / "reference.docx"))
    (folder / "layout.toml").write_text(
        'inherit = "default"\n[files]\nreference_docx = "reference.docx"\n'
        'reference_styles = ["Quote"]\n', encoding="utf-8")
    layout = load_layout(str(folder), tmp_path)
    word = docx.Document(str(built(tmp_path, folder, SEED)))
    assert word.styles["Quote"].font.color.rgb == RGBColor.from_string("AB1234")
    assert word.styles["Heading 2"].font.color.rgb == RGBColor.from_string(
        layout.colors.primary)


@pytest.mark.parametrize("name", ["Title", "Footer", "Heading 9"])
def test_the_title_block_and_furniture_are_never_the_templates(tmp_path: Path,
                                                               name: str) -> None:
    folder = house(tmp_path, "pandoc.docx", f'reference_styles = ["Normal", "{name}"]\n')
    with pytest.raises(LayoutError) as raised:
        load_layout(str(folder), tmp_path)
    problem, = raised.value.problems
    assert problem.message == f"a reference document may not set style '{name}'"
    assert problem.line == 4
