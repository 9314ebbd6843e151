"""verify reads citations and the Sources list back from each format: the brief's and PDF's
Sources section and notes, the deck's key-point and closing notes; one missing fails."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import FIXTURES
from verify_helpers import built_project, copied_project, error_lines, rewrite, verify

PAPERS = [FIXTURES / "citations.md", FIXTURES / "citations-author-date.md"]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_project(tmp_path_factory.mktemp("cited"), PAPERS, FIXTURES / "citations")


@pytest.fixture
def project(built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return copied_project(built, tmp_path, monkeypatch)


def test_fresh_builds_of_both_styles_verify(project: Path) -> None:
    result = verify("-o", "build")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "6 output(s) verified"


def test_a_source_changed_after_the_build_fails_in_every_format(project: Path) -> None:
    refs = Path("source/citations/refs.json")
    entries = json.loads(refs.read_text(encoding="utf-8"))
    entries[0]["title"] = "Kazakhstan Country Brief"
    refs.write_text(json.dumps(entries), encoding="utf-8")
    result = verify("source/citations.md")
    assert result.exit_code == 1
    lines = error_lines(result)
    for output in ("build/citations.docx", "build/citations.pdf"):
        assert f"{output}: error: source 4 ('eia2023') (line 6) of the source reads " \
               '"…Kazakhstan Country Analysis. EIA, March 1, 2023.…" in the output, not ' \
               '"…Kazakhstan Country Brief. EIA, March 1, 2023.…" — rebuild with kzreport ' \
               "build source/citations.md" in lines
        # ... and the notes that cite it (the notes style's citations are footnotes)
        assert any((line.startswith(f"{output}: error:") and "footnote" in line and
                   "reference 7" in line) or "footnote 7" in line for line in lines), lines
    changed = ('"…Kazakhstan Country Analysis. EIA, March 1, 2023.…" in the notes of slide {}, '
               'not "…Kazakhstan Country Brief. EIA, March 1, 2023.…"')
    assert "build/citations.pptx: error: source 'eia2023' (line 6), cited by key point 2, " \
           f"reads {changed.format(3)}" in result.stderr
    assert "build/citations.pptx: error: source 'eia2023' (line 6) reads " \
           f"{changed.format(4)}" in result.stderr


def test_a_sources_entry_taken_out_of_the_brief(project: Path) -> None:
    brief = Path("build/citations-author-date.docx")
    rewrite(brief, "word/document.xml",
            lambda xml: xml.replace("Address to the People of Kazakhstan", "Another Address"))
    result = verify("source/citations-author-date.md")
    assert result.exit_code == 1
    (line,) = error_lines(result)
    assert line.startswith(f"{brief}: error: source 3 ('tokayev2022') (line 7) of the source "
                           'reads "…Kassym-Jomart. 2022. “Another Address”. March 16.…" in the '
                           'output, not "…Kassym-Jomart. 2022. “Address to the People of…"'), line


def test_a_citation_taken_out_of_the_author_date_text(project: Path) -> None:
    brief = Path("build/citations-author-date.docx")
    rewrite(brief, "word/document.xml", lambda xml: xml.replace("(Cooley 2012, 12)", ""))
    result = verify("source/citations-author-date.md")
    assert result.exit_code == 1
    assert ('paragraph 1 (line 22) of the source reads "…balances its neighbours . Its policy '
            'has been called…" in the output, not "…balances its neighbours (Cooley 2012, 12). '
            'Its policy…"') in result.stderr


def test_a_citation_in_a_headline_keeps_its_number_where_written(
        tmp_path_factory: pytest.TempPathFactory, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """``**Astana hedges [@cooley2012]**: …``: the note's number right after the headline's
    words, before the separator, in the brief, the PDF and the slide's title."""
    import re
    import subprocess
    import zipfile

    from conftest import require_tool

    built = built_project(tmp_path_factory.mktemp("headline"),
                          [FIXTURES / "deck-long-notes.md"], FIXTURES / "citations")
    build = built / "build"
    with zipfile.ZipFile(build / "deck-long-notes.docx") as brief:
        xml = brief.read("word/document.xml").decode("utf-8")
    paragraph = re.search(r"<w:p>(?:(?!</w:p>).)*Astana hedges.*?</w:p>", xml, re.S)
    assert paragraph is not None
    # The headline's bold run, the note's reference (Word's own, numbered 8), the separator.
    runs = re.findall(r"<w:t[^>]*>([^<]*)</w:t>|(<w:footnoteReference [^>]*/>)",
                      paragraph.group(0))
    assert [text or reference for text, reference in runs][:3] == [
        "Astana hedges", '<w:footnoteReference w:id="8"/>', ": a citation in the headline "
        "keeps its note's number where it is written, in all three formats."]
    text = subprocess.run([require_tool("pdftotext"), str(build / "deck-long-notes.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "Astana hedges8: a citation in the headline" in " ".join(text.split())
    with zipfile.ZipFile(build / "deck-long-notes.pptx") as deck:
        slide = deck.read("ppt/slides/slide4.xml").decode("utf-8")
    title, *_ = re.findall(r"<p:sp>.*?</p:sp>", slide, re.S)
    # The title: the headline, then the note's number raised; the slide's text starts after it.
    assert [(text, 'baseline="30000"' in properties) for properties, text in re.findall(
        r"<a:rPr ([^>]*)>.*?<a:t>([^<]*)</a:t>", title, re.S)] == [
        ("Astana hedges", False), ("8", True)]
    body = re.findall(r"<a:t>([^<]*)</a:t>", slide.split(title, 1)[1])
    assert body[0].startswith(": a citation") and "8 Alexander Cooley" in "".join(body)
    copied_project(built, tmp_path, monkeypatch)
    result = verify("-o", "build")
    assert result.exit_code == 0, result.output
