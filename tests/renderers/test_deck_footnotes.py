"""The footnotes at the foot of a key point's slide: long notes wrapped whole, what does not
fit left to the speaker notes with a warning, verify noticing a note cut short."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from deck_checks import notes, texts
from pptx import Presentation

from conftest import FIXTURES, libreoffice_to_pdf, require_tool
from kzreport.build import Options, build, prepare
from kzreport.labels import footnote_mark
from kzreport.layout import Layout
from kzreport.model import Footnote, Paragraph, Span
from kzreport.renderers._deck_footnotes import note_text, plan_strip
from kzreport.renderers._deck_geometry import Geometry
from kzreport.renderers._deck_text import Deck
from kzreport.source import read_source
from verify_helpers import copied_project, error_lines, rewrite, slide_with, verify

PAPER = FIXTURES / "deck-long-notes.md"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """The paper built in every format, with the warnings of its build."""
    folder = tmp_path_factory.mktemp("long-notes")
    (folder / "source").mkdir()
    shutil.copy(PAPER, folder / "source")
    shutil.copytree(FIXTURES / "citations", folder / "source" / "citations")
    (outcome,) = build([folder / "source" / PAPER.name],
                       Options(out_dir=folder / "build", formats=("docx", "pdf", "pptx"),
                               cwd=folder))
    assert not outcome.failed, outcome.problems
    return folder, [str(p) for p in outcome.problems]


def _note(folder: Path, number: int) -> str:
    document, _ = prepare(folder / "source" / PAPER.name, None, folder)
    return note_text(document.footnotes[number - 1])


def test_long_notes_are_wrapped_whole_on_the_slide(built: tuple[Path, list[str]]) -> None:
    folder, _ = built
    deck = Presentation(str(folder / "build" / "deck-long-notes.pptx"))
    (strip,) = [text for text in texts(deck.slides[1]) if text.startswith(footnote_mark(1))]
    # Two formatted citations (Chicago notes) and a long note with a URL, a paragraph each.
    assert strip.split("\n") == [_note(folder, number) for number in (1, 2, 3)]
    assert strip.endswith("accessed 1 May 2024.")


def test_notes_that_do_not_fit_go_to_the_speaker_notes_with_a_warning(
        built: tuple[Path, list[str]]) -> None:
    folder, problems = built
    deck = Presentation(str(folder / "build" / "deck-long-notes.pptx"))
    (strip,) = [text for text in texts(deck.slides[2]) if text.startswith(footnote_mark(4))]
    assert strip.split("\n") == [_note(folder, number) for number in (4, 5, 6)]
    last = _note(folder, 7)
    assert not any(last[:30] in text for text in texts(deck.slides[2]))
    assert " ".join(last.split()[1:12]) in " ".join(notes(deck.slides[2]).split())
    assert [p for p in problems if "footnote 7" in p] == [
        f"{folder / 'source' / PAPER.name}:19: warning: footnote 7 of key point 2 does not fit "
        "the footnotes at the foot of its slide at 8 pt; it is only in the speaker notes — "
        "shorten the note, or refer to fewer notes in the key point's text"]


def test_libreoffice_draws_the_whole_note(built: tuple[Path, list[str]], tmp_path: Path) -> None:
    folder, _ = built
    pdf = libreoffice_to_pdf(folder / "build" / "deck-long-notes.pptx", tmp_path)
    text = subprocess.run([require_tool("pdftotext"), str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "accessed 1 May 2024." in text
    assert "…" not in text


def test_verify_passes_the_build_and_fails_a_note_cut_short(
        built: tuple[Path, list[str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder, _ = built
    copied_project(folder, tmp_path, monkeypatch)
    result = verify("source/deck-long-notes.md")
    assert result.exit_code == 0, result.output
    deck = Path("build/deck-long-notes.pptx")
    # As a one-line strip used to print it: cut, with an ellipsis.
    rewrite(deck, slide_with(deck, "which the authors revisit"), lambda xml: xml.replace(
        "available at https://doi.org/10.1080/02634937.2018.1440069, accessed 1 May 2024.",
        "avail…"))
    result = verify("source/deck-long-notes.md")
    assert result.exit_code == 1
    (line,) = error_lines(result)
    assert line.startswith(f"{deck}: error: footnote 3 (line 16) is cut short at the foot of "
                           "slide 2: "), line


def test_notes_fitting_one_line_stay_one_small_line(layout: Layout) -> None:
    document = read_source(FIXTURES / "pptx-deck.md")
    deck = Deck(None, document, layout, Geometry(960.0, 540.0, 0.0), None)
    short = [Footnote(n, str(n), (Paragraph((Span(f"Short note {n}."),), 1),), 1)
             for n in (1, 2)]
    strip = plan_strip(deck, short, 100.0)
    assert strip is not None and strip.size == 0.0 and not strip.left
    assert [par.runs[0].text for par in strip.pars] == [
        f"{footnote_mark(1)} Short note 1.   {footnote_mark(2)} Short note 2."]
    assert strip.box.bottom == deck.geometry.content_bottom
    assert plan_strip(deck, [], 100.0) is None
