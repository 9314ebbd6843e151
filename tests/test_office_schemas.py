"""Every Word brief and deck the test papers make is valid against the ECMA-376 schemas: Word and
PowerPoint reject as corrupt what LibreOffice, the client the other tests read with, forgives."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import RGBColor
from lxml import etree
from PIL import Image
from pptx import Presentation

import conftest
from conftest import (
    FIXTURES,
    ROOT,
    VALIDATOR_IN_SHARED,
    VALIDATOR_VARIABLE,
    assert_valid_ooxml,
    find_ooxml_validator,
    require_ooxml_validator,
    write_source,
)
from kzreport.layout import Layout
from kzreport.layout_loader import load_layout
from kzreport.model import Document
from kzreport.renderers import renderers
from kzreport.source import read_source

#: Every paper the tests keep, globbed so that a paper added later is checked too.
PAPERS = {path.stem: path for path in sorted([*FIXTURES.glob("*.md"),
                                              *(ROOT / "source").glob("*.md")])}
#: Papers written here for what the kept ones may not have: a marking, every construct in the
#: body and in a key point's details (the deck's notes), a logo, a user's templates.
VARIANTS = ("every-construct-marked", "rich-marked")
BUILTIN_LAYOUTS = ("default", "briefing")
#: A layout with a user's reference.docx, template.pptx and logo.
HOUSE = "house"
OFFICE_FORMATS = ("docx", "pptx")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
MARKING = "SECRET//NOFORN"

EVERY_CONSTRUCT = f"""
title: Every construct, marked
subtitle: A paper for the schema check
authors:
  - name: A. Author
    affiliation: An institute
  - B. Author
date: 2024-03-04
organization: An organization
summary: The bottom line, up front.
marking: {MARKING}
language: en-US
keywords: [schemas, office]
links:
  - label: The full report
    url: https://example.org/report
  - label: Write to the authors
    url: mailto:authors@example.org
disclaimer: The views are the authors' own.
"""

EVERY_CONSTRUCT_BODY = """
Text with **bold**, *italic*, ***both***, `code`, [a described link](https://example.org/a) and a
hard break here\\
on a second line.

## A section

### A subsection

1. First
2. Second
   - a nested bullet with **bold**
     1. a third level
        - a fourth level
3. Third

> A quoted statement with a [link inside](https://example.org/q).
>
> A second quoted paragraph.

| Year | Event | Votes |
|:-----|:-----:|------:|
| 2010 | A **summit** | 56 |
| 2022 | A [resolution](https://example.org/r) | 141 |
| 2023 | A third row | 7 |

![A bar chart of trade by year](pdf-chart.png "Trade, 2018–2022")

![A second chart without a caption](pdf-chart.png)

```
code line one
    indented line two
```

---

## Key Points

- **A headline.** The point, with *emphasis* and [a link](https://example.org/k).

  A detail paragraph.

  - a detail bullet
    1. a nested numbered detail

  > A quoted detail.

  ```
  def f():
      return 1
  ```

  | Year | Votes |
  |------|------:|
  | 2022 | 141 |

  ![A detail chart](pdf-chart.png "Votes, 2022")
- A point without a headline.
- **Only a headline**

## After the key points

Body text after the key points.
"""


@pytest.fixture(scope="module")
def papers(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Document]:
    """Every kept paper, and the variants, by name."""
    folder = tmp_path_factory.mktemp("papers")
    read = {name: read_source(path) for name, path in PAPERS.items()}
    rich = read["rich"]
    return read | {
        "every-construct-marked": read_source(write_source(
            folder, EVERY_CONSTRUCT, EVERY_CONSTRUCT_BODY, "every-construct-marked")),
        "rich-marked": replace(rich, meta=replace(rich.meta, marking=MARKING)),
    }


def make_house_layout(folder: Path) -> Layout:
    """A layout a user would write: python-docx's and python-pptx's templates with sample
    content, a table, a header, a zoom type Word does not know, and a logo."""
    folder.mkdir()
    reference = docx.Document()
    reference.styles["Heading 2"].font.color.rgb = RGBColor.from_string("AB1234")
    reference.add_paragraph("SAMPLE CONTENT TO REMOVE")
    reference.add_table(rows=2, cols=2, style="Light Grid Accent 1")
    reference.sections[0].header.add_paragraph("SAMPLE HEADER TO REMOVE")
    zoom = reference.settings.element.find(qn("w:zoom"))
    assert zoom is not None
    zoom.set(qn("w:val"), "bogus")
    reference.save(str(folder / "reference.docx"))
    template = Presentation()
    sample = template.slides.add_slide(template.slide_layouts[1])
    sample.shapes.title.text = "Template sample slide"
    sample.notes_slide.notes_text_frame.text = "Template notes"
    template.save(str(folder / "template.pptx"))
    Image.new("RGB", (300, 120), (27, 54, 93)).save(folder / "logo.png")
    (folder / "layout.toml").write_text(
        'inherit = "default"\n[files]\nreference_docx = "reference.docx"\n'
        'template_pptx = "template.pptx"\n'
        '[logo]\nfile = "logo.png"\nwidth = "2in"\nplacement = "right"\n', encoding="utf-8")
    return load_layout(str(folder), ROOT)


@pytest.fixture(scope="module")
def layouts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Layout]:
    """The built-in layouts, and the house layout, by name."""
    house = make_house_layout(tmp_path_factory.mktemp("layouts") / HOUSE)
    return {name: load_layout(name, ROOT) for name in BUILTIN_LAYOUTS} | {HOUSE: house}


def render(document: Document, layout: Layout, format_name: str, folder: Path) -> Path:
    renderer = renderers()[format_name]
    path = folder / f"{document.stem}{renderer.extension}"
    renderer.render(document, layout, path)  # warnings (a key point too long) are not ours
    return path


# ---------------------------------------------------------------- every output is valid


@pytest.mark.parametrize("format_name", OFFICE_FORMATS)
@pytest.mark.parametrize("layout_name", [*BUILTIN_LAYOUTS, HOUSE])
@pytest.mark.parametrize("paper", [*PAPERS, *VARIANTS])
def test_every_office_output_is_schema_valid(paper: str, layout_name: str, format_name: str,
                                             papers: dict[str, Document],
                                             layouts: dict[str, Layout], tmp_path: Path) -> None:
    require_ooxml_validator()
    assert_valid_ooxml(render(papers[paper], layouts[layout_name], format_name, tmp_path))


def test_the_papers_are_found_and_the_variants_have_what_they_promise(
        papers: dict[str, Document], layouts: dict[str, Layout]) -> None:
    assert {"kazakhstan-position", "rich", "pptx-deck"} <= set(PAPERS)
    assert len(PAPERS) == len(list(FIXTURES.glob("*.md"))) + len(list(
        (ROOT / "source").glob("*.md")))  # no two papers share a stem
    marked = papers["every-construct-marked"]
    assert marked.meta.marking == papers["rich-marked"].meta.marking == MARKING
    assert len(marked.key_points.points[0].details) == 6
    house = layouts[HOUSE]
    assert house.reference_docx and house.template_pptx and house.logo


def test_a_reference_documents_zoom_is_made_valid(papers: dict[str, Document],
                                                  layouts: dict[str, Layout],
                                                  tmp_path: Path) -> None:
    # python-docx's template (and so a reference document made with it) has w:zoom without
    # the w:percent the schema requires; this one also has a zoom type the schema lacks.
    for name in (*BUILTIN_LAYOUTS, HOUSE):
        (tmp_path / name).mkdir()
        path = render(papers["rich"], layouts[name], "docx", tmp_path / name)
        with zipfile.ZipFile(path) as package:
            settings = etree.fromstring(package.read("word/settings.xml"))
        zoom = settings.find(f"{W}zoom")
        assert zoom is not None
        assert zoom.get(f"{W}percent") == "100"
        assert zoom.get(f"{W}val") == (None if name == HOUSE else "bestFit")


# ---------------------------------------------------------------- the check bites


def broken_copy(document: Document, layout: Layout, format_name: str, folder: Path,
                edits: dict[str, Callable[[etree._Element], None]]) -> Path:
    """A valid output, checked as such, copied to ``broken.*`` with each part named in ``edits``
    edited."""
    valid = render(document, layout, format_name, folder)
    assert require_ooxml_validator().problems(valid) == []
    broken = valid.with_stem("broken")
    with zipfile.ZipFile(valid) as old, zipfile.ZipFile(broken, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            if edit := edits.get(info.filename):
                root = etree.fromstring(data)
                edit(root)
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                      standalone=True)
            new.writestr(info, data)
    return broken


def drop_zoom_percent(settings: etree._Element) -> None:
    zoom = settings.find(f"{W}zoom")
    assert zoom is not None
    del zoom.attrib[f"{W}percent"]


def misorder_paragraph_properties(document: etree._Element) -> None:
    """Move a paragraph's style after its other properties, where Word refuses it."""
    style = next(s for s in document.iter(f"{W}pStyle") if s.getnext() is not None)
    properties = style.getparent()
    assert properties is not None
    properties.append(style)


def misorder_shape(slide: etree._Element) -> None:
    """Move a shape's non-visual properties after its text, where PowerPoint refuses them."""
    shape = next(slide.iter(f"{P}sp"))
    names = shape.find(f"{P}nvSpPr")
    assert names is not None
    shape.append(names)


def test_a_brief_word_would_call_corrupt_is_reported_with_part_and_line(
        papers: dict[str, Document], layouts: dict[str, Layout], tmp_path: Path) -> None:
    broken = broken_copy(papers["rich"], layouts["default"], "docx", tmp_path, {
        "word/settings.xml": drop_zoom_percent,
        "word/document.xml": misorder_paragraph_properties})
    problems = require_ooxml_validator().problems(broken)
    assert len(problems) == 2, problems
    document, settings = problems  # in part order
    assert re.match(r"broken\.docx:word/document\.xml:\d+: .*pStyle.*not expected", document)
    assert re.match(r"broken\.docx:word/settings\.xml:2: .*zoom.*percent.*required", settings)
    with pytest.raises(AssertionError) as failure:
        assert_valid_ooxml(broken)
    assert str(broken) in str(failure.value)
    assert all(problem in str(failure.value) for problem in problems)


def test_a_deck_powerpoint_would_refuse_is_reported_with_part_and_line(
        papers: dict[str, Document], layouts: dict[str, Layout], tmp_path: Path) -> None:
    broken = broken_copy(papers["pptx-deck"], layouts["default"], "pptx", tmp_path,
                         {"ppt/slides/slide2.xml": misorder_shape})
    problems = require_ooxml_validator().problems(broken)
    assert len(problems) == 1, problems
    assert re.match(r"broken\.pptx:ppt/slides/slide2\.xml:\d+: .*spPr.*not expected.*nvSpPr",
                    problems[0])
    with pytest.raises(AssertionError, match=r"slide2\.xml:\d+: "):
        assert_valid_ooxml(broken)


# ---------------------------------------------------------------- finding the validator


def test_the_validator_is_found_above_the_checkout_or_by_the_variable(tmp_path: Path) -> None:
    checkout = tmp_path / "wt" / "branch"
    checkout.mkdir(parents=True)
    assert find_ooxml_validator(checkout, {}) is None
    # CI: shared/ beside the clone; here: a worktree two levels below it.
    script = tmp_path / VALIDATOR_IN_SHARED
    script.parent.mkdir(parents=True)
    script.write_text("", encoding="utf-8")
    assert find_ooxml_validator(checkout, {}) == script
    assert find_ooxml_validator(tmp_path / "wt", {}) == script
    elsewhere = tmp_path / "elsewhere" / "ooxml-validate"
    assert find_ooxml_validator(checkout, {VALIDATOR_VARIABLE: str(elsewhere)}) == elsewhere


def test_a_missing_validator_skips_the_schema_tests_and_fails_them_in_ci(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(conftest, "find_ooxml_validator", lambda: None)
    monkeypatch.delenv("KZREPORT_REQUIRE_TOOLS", raising=False)
    with pytest.raises(pytest.skip.Exception, match="ooxml-validate"):
        require_ooxml_validator()
    assert_valid_ooxml(tmp_path / "unchecked.docx")  # a build fixture's tests still run
    monkeypatch.setenv("KZREPORT_REQUIRE_TOOLS", "1")
    for check in (require_ooxml_validator, lambda: assert_valid_ooxml(tmp_path / "x.docx")):
        with pytest.raises(pytest.fail.Exception, match="KZREPORT_REQUIRE_TOOLS=1 requires"):
            check()


def test_a_validator_named_by_the_variable_must_exist(monkeypatch: pytest.MonkeyPatch,
                                                      tmp_path: Path) -> None:
    monkeypatch.setenv(VALIDATOR_VARIABLE, str(tmp_path / "nowhere"))
    monkeypatch.delenv("KZREPORT_REQUIRE_TOOLS", raising=False)
    with pytest.raises(pytest.fail.Exception, match="no such file"):
        require_ooxml_validator()
