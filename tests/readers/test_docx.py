"""The Word reader: paragraphs from raw WordprocessingML, body apart from running heads and
footers, core properties and hyperlinks, reached through the format registry."""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from kzreport.expectations import normalize
from kzreport.layout import Layout
from kzreport.model import Document
from kzreport.readers.docx import paragraphs, read_docx
from kzreport.renderers import renderers
from readers.conftest import RICH_LINKS

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def test_paragraphs_in_document_order_with_breaks_tabs_and_text_boxes() -> None:
    root = ET.fromstring(f"""<w:body xmlns:w="{W}" xmlns:mc="{MC}">
      <w:p><w:r><w:t>one</w:t><w:br/><w:t>two</w:t><w:tab/><w:t>a</w:t><w:noBreakHyphen/>
        <w:t>b</w:t></w:r>
        <w:r><mc:AlternateContent><mc:Choice><w:txbxContent><w:p><w:r><w:t>boxed</w:t></w:r>
          </w:p></w:txbxContent></mc:Choice>
          <mc:Fallback><w:p><w:r><w:t>boxed again</w:t></w:r></w:p></mc:Fallback>
        </mc:AlternateContent></w:r></w:p>
      <w:tbl><w:tr><w:tc><w:p><w:r><w:t>cell</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
      <mc:Fallback><w:p><w:r><w:t>never</w:t></w:r></w:p></mc:Fallback>
    </w:body>""")
    assert paragraphs(root) == ["one\ntwo\ta-b", "boxed", "cell"]


def test_the_brief_read_back(rich_outputs: Path, rich: Document, layout: Layout) -> None:
    got = read_docx(rich_outputs / "rich.docx", layout)
    assert got.title == rich.meta.title
    assert got.author == "Әлия Нұрланқызы; Дәурен Өмірзақов"
    assert got.links == RICH_LINKS
    assert got.flow is not None and got.slides is None and got.pages == ()
    flow = normalize(got.flow)
    assert normalize("The Astana Process began in January 2017") in flow
    assert normalize("Final paragraph after a rule.") in flow
    # The footer's disclaimer and page number are in the text, not in the body's flow.
    assert normalize(rich.meta.disclaimer or "") not in flow
    assert "Page 1 of 1" in got.text and "Page 1 of 1" not in got.flow
    assert got.text.startswith(got.flow)


def test_the_registry_reads_the_brief_with_this_reader(rich_outputs: Path,
                                                       layout: Layout) -> None:
    path = rich_outputs / "rich.docx"
    assert renderers()["docx"].read(path, layout) == read_docx(path, layout)


def test_a_package_without_a_main_document(tmp_path: Path, layout: Layout) -> None:
    path = tmp_path / "empty.docx"
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
    with pytest.raises(ValueError, match="no main document part"):
        read_docx(path, layout)
