"""The deck's slides: title, summary, key point and closing slides, their text fitted and
kept in its boxes, footers and marking banners."""

from __future__ import annotations

import re
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from deck_checks import (
    EMU,
    body,
    check_geometry,
    check_render,
    rect,
    render,
    runs,
    text_shapes,
    texts,
    title_of,
)
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER

from conftest import FIXTURES, ROOT
from kzreport.errors import Problem
from kzreport.layout import Layout
from kzreport.layout_loader import load_layout
from kzreport.model import Document, plain_text
from kzreport.source import read_source

pytest_plugins = ("deck_fixtures",)


def test_title_slide_has_the_whole_byline(deck: Any) -> None:
    shown = " ".join(" ".join(texts(deck.slides[0])).split())
    for part in ("Fixture for the slide deck renderer", "Jane Analyst",
                 "Strategic Analysis Group, Directorate of Plans", "John Officer",
                 "Combined Strategic Analysis Group", "29 February 2024"):
        assert part in shown
    assert deck.slides[0].slide_layout.name == "Title Slide"


def test_summary_slide(deck: Any) -> None:
    text = " ".join(body(deck.slides[1]).text_frame.text.split())
    assert text == ("Kazakhstan keeps a neutral line on the war while protecting its own "
                    "security. Expect continued multi-vector balancing between Moscow, "
                    "Beijing and the West.")


def test_no_summary_and_no_closing_slide_when_the_source_has_none(
        layout: Layout, tmp_path: Path) -> None:
    document = read_source(FIXTURES / "pptx-dozen.md")
    path, problems = render(document, layout, tmp_path)
    assert problems == []
    prs = Presentation(str(path))
    assert [title_of(s) for s in prs.slides] == ["A Dozen Key Points"] + [
        f"Point number {n}." for n in range(1, 13)]
    # A headline is the title, so the key point's number moves to a label above it.
    assert "KEY POINT 12 OF 12" in texts(prs.slides[12])
    check_geometry(path, layout)


def test_key_point_text_keeps_bold_italic_and_links(deck: Any) -> None:
    slide = deck.slides[2]
    by_text = {run.text: run for run in body(slide).text_frame.paragraphs[0].runs}
    assert by_text["good"].font.bold is True
    assert by_text["protects"].font.italic is True
    assert by_text["security"].hyperlink.address == "https://example.org/security"
    assert by_text["It keeps "].font.bold is False
    assert "Kazakhstan balances carefully." not in body(slide).text_frame.text


def test_a_key_point_of_only_a_headline_has_no_body(deck: Any) -> None:
    slide = deck.slides[6]
    kinds = [s.placeholder_format.type for s in slide.placeholders]
    assert kinds == [PP_PLACEHOLDER.TITLE]


def test_closing_slide_links_and_disclaimer(deck: Any) -> None:
    slide = deck.slides[7]
    links = {run.text: run.hyperlink.address for run in runs(slide) if run.hyperlink.address}
    assert links == {
        "The complete paper": "https://example.org/paper",
        "https://example.org/paper": "https://example.org/paper",
        "Write to the authors": "mailto:authors@example.org",
        "authors@example.org": "mailto:authors@example.org",
    }
    assert any("the authors' own" in text for text in texts(slide))


def test_a_closing_slide_without_links_is_titled_by_the_disclaimer_label(
        layout: Layout, tmp_path: Path) -> None:
    source = tmp_path / "plain.md"
    source.write_text("---\ntitle: Plain\nauthors: [A]\ndate: 2024-01-02\norganization: Plain\n"
                      "disclaimer: Views are the author's own.\n---\n\nText.\n\n"
                      "## Key Points\n\n- One.\n", "utf-8")
    path, problems = render(read_source(source), layout, tmp_path)
    assert problems == []
    titles = [title_of(s) for s in Presentation(str(path)).slides]
    assert titles == ["Plain", "Key Point 1 of 1", layout.labels.disclaimer]


def test_every_run_has_an_explicit_size_and_key_points_are_at_least_16pt(
        deck: Any, layout: Layout) -> None:
    for slide in deck.slides:
        for run in runs(slide):
            assert run.font.size is not None
    for slide in list(deck.slides)[2:7]:
        for shape in slide.placeholders:
            if shape.placeholder_format.type in (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT):
                assert all(r.font.size.pt >= layout.slides.body_min
                           for p in shape.text_frame.paragraphs for r in p.runs)


def test_long_key_point_and_long_headline_fit_within_their_ranges(deck: Any,
                                                                   layout: Layout) -> None:
    long_body = body(deck.slides[4])
    assert len(long_body.text_frame.text.split()) >= 130
    size = long_body.text_frame.paragraphs[0].runs[0].font.size.pt
    assert layout.slides.body_min <= size < layout.slides.body_max
    headline = deck.slides[3].shapes.title
    assert len(headline.text_frame.text.split()) == 30
    title_size = headline.text_frame.paragraphs[0].runs[0].font.size.pt
    assert layout.slides.title_min <= title_size < layout.slides.title_max


def test_fonts_and_languages_on_every_run(deck_file: Path, layout: Layout) -> None:
    with zipfile.ZipFile(deck_file) as package:
        slides = [n for n in package.namelist() if re.fullmatch(r"ppt/(slides|notesSlides)/"
                                                                  r"\w+\.xml", n)]
        for name in slides:
            xml = package.read(name).decode("utf-8")
            properties = re.findall(r"<a:rPr\b[^>]*>", xml)
            assert properties, name
            for element in properties:
                assert 'lang="en-GB"' in element and 'sz="' in element, (name, element)
            faces_used = set(re.findall(r'<a:latin typeface="([^"]+)"', xml))
            assert faces_used <= {layout.fonts.body.name, layout.fonts.heading.name}


def test_footer_and_slide_numbers(deck: Any) -> None:
    total = len(deck.slides)
    for number, slide in enumerate(deck.slides, 1):
        shown = texts(slide)
        if number == 1:
            assert not any(re.fullmatch(r"\d+ / \d+", t) for t in shown)
            continue
        assert f"{number} / {total}" in shown
        assert "Combined Strategic Analysis Group · 29 February 2024" in shown


def test_marking_banners_top_and_bottom_never_over_content(deck: Any, layout: Layout) -> None:
    style = layout.marking_style("SECRET//NOFORN")
    assert style is not None
    height = deck.slide_height / EMU
    for slide in deck.slides:
        banners = [s for s in slide.shapes if s.has_text_frame
                   and s.text_frame.text == "SECRET//NOFORN"]
        assert sorted(round(rect(b).top) for b in banners) == [0, round(height - 20)]
        for banner in banners:
            assert str(banner.fill.fore_color.rgb) == style.background
            paragraph = banner.text_frame.paragraphs[0]
            assert paragraph.alignment is not None and paragraph.alignment.name == "CENTER"
            assert str(paragraph.runs[0].font.color.rgb) == style.text
            for shape in slide.shapes:
                if shape not in banners:
                    assert not rect(banner).overlaps(rect(shape)), shape.name


@pytest.mark.parametrize(("marking", "background", "text"), [
    ("UNCLASSIFIED", "007A33", "FFFFFF"), ("CUI", "502B85", "FFFFFF"),
    ("CONFIDENTIAL", "0033A0", "FFFFFF"), ("SECRET//NOFORN", "C8102E", "FFFFFF"),
    ("TOP SECRET", "FF8C00", "000000"), ("TOP SECRET//SCI", "FCE83A", "000000")])
def test_every_marking_level_on_every_slide(seed: Document, layout: Layout, tmp_path: Path,
                                            marking: str, background: str, text: str) -> None:
    marked = replace(seed, meta=replace(seed.meta, marking=marking))
    path, _ = render(marked, layout, tmp_path)
    deck = Presentation(str(path))
    assert deck.slide_height is not None
    height = deck.slide_height / EMU
    for slide in deck.slides:
        banners = sorted((s for s in slide.shapes if s.has_text_frame
                          and s.text_frame.text == marking), key=lambda s: int(s.top))
        assert [round(rect(b).top) for b in banners] == [0, round(height - 20)]
        for banner in banners:
            assert str(banner.fill.fore_color.rgb) == background
            assert str(banner.text_frame.paragraphs[0].runs[0].font.color.rgb) == text


def test_no_marking_no_banners(seed_deck: Any) -> None:
    top = [s for s in seed_deck.slides[1].shapes if s.top == 0 and s.height < 30 * EMU]
    assert top == []


def test_overlong_key_point_continues_on_more_slides_at_the_smallest_size(
        overflow: tuple[Document, Path, list[Problem]], layout: Layout) -> None:
    document, path, problems = overflow
    point = document.key_points.points[1]
    assert problems == [Problem(document.source, point.line,
                                "key point 2 does not fit on its slide at 16 pt; it continues "
                                "on the next slide", "shorten it or move detail into "
                                "sub-bullets", severity="warning")]
    check_geometry(path, layout)
    slides = list(Presentation(str(path)).slides)
    title = slides[2].shapes.title.text_frame.text
    assert [s.shapes.title.text_frame.text for s in slides[3:]] == [
        f"{title} (cont.)", f"{title} (cont.) (2)", f"{title} (cont.) (3)"]
    sizes = [run.font.size.pt for slide in slides[2:]
             for paragraph in body(slide).text_frame.paragraphs for run in paragraph.runs]
    assert min(sizes) >= layout.slides.body_min
    # The text runs on from slide to slide: every word once, in order.
    shown = " ".join(body(slide).text_frame.text for slide in slides[2:])
    assert " ".join(f"{title} {shown}".split()) == " ".join(plain_text(point.inlines).split())


def test_a_key_point_as_long_as_the_parser_allows_runs_on_over_many_slides(
        layout: Layout, tmp_path: Path) -> None:
    text = FIXTURES.joinpath("pptx-overflow.md").read_text(encoding="utf-8")
    # Under the parser's 5,000 words, far over what one slide holds even at the floor size.
    huge = text.replace("- A short first point.", "- " + "Words upon words. " * 1600)
    source = tmp_path / "huge.md"
    source.write_text(huge, encoding="utf-8")
    path, _ = render(read_source(source), layout, tmp_path)
    slides = list(Presentation(str(path)).slides)
    continued = [s for s in slides if "(cont.)" in s.shapes.title.text_frame.text]
    assert len(continued) > 5
    assert min(run.font.size.pt for slide in continued
               for paragraph in body(slide).text_frame.paragraphs
               for run in paragraph.runs) >= layout.slides.body_min
    check_geometry(path, layout)


HEADLINE = ("This headline is far too long for any slide title because it keeps going with "
            "clause after clause, adding qualifications, caveats, remarks and asides, so that "
            "even at the smallest title size it needs three or four lines, which the deck must "
            "report and still lay out without letting a word escape from the title box")


def test_a_headline_over_two_lines_grows_its_zone_and_warns(layout: Layout,
                                                            tmp_path: Path) -> None:
    source = tmp_path / "headline.md"
    source.write_text("---\ntitle: Headline Stress\nauthors: [A. Author]\ndate: 2024-03-03\n"
                      "language: en-US\n---\n\n## Key Points\n\n"
                      f"- **{HEADLINE}.** The body follows below the rule.\n", encoding="utf-8")
    document = read_source(source)
    path, problems = render(document, layout, tmp_path)
    assert problems == [Problem(source, document.key_points.points[0].line,
                                "key point 1's headline does not fit on two lines at 20 pt",
                                "shorten the headline", severity="warning")]
    slide = Presentation(str(path)).slides[1]
    title = slide.shapes.title
    assert title.text_frame.paragraphs[0].runs[0].font.size.pt == layout.slides.title_min
    assert rect(body(slide)).top > rect(title).bottom
    check_geometry(path, layout)
    check_render(path, tmp_path)


def test_logo_on_the_title_slide(seed: Document, tmp_path: Path) -> None:
    folder = tmp_path / "branded"
    folder.mkdir()
    Image.new("RGB", (300, 120), (27, 54, 93)).save(folder / "logo.png")
    (folder / "layout.toml").write_text(
        'inherit = "default"\n[logo]\nfile = "logo.png"\nwidth = "2in"\nplacement = "right"\n',
        encoding="utf-8")
    branded = load_layout(str(folder), ROOT)
    path, _ = render(seed, branded, tmp_path)
    slide = Presentation(str(path)).slides[0]
    pictures = [s for s in slide.shapes if s.shape_type is not None
                and s.shape_type.name == "PICTURE"]
    assert len(pictures) == 1
    logo = rect(pictures[0])
    assert logo.right - logo.left == pytest.approx(144, abs=0.1)
    assert not any(logo.overlaps(rect(s)) for s in text_shapes(slide))
    check_geometry(path, branded)


@pytest.mark.parametrize("count", [10, 24])
def test_many_authors_keep_every_name_and_affiliation_on_the_title_slide(
        tmp_path: Path, layout: Layout, count: int) -> None:
    authors = "".join(f"  - name: Author Number {n}\n    affiliation: Department {n} of a "
                      "Ministry, City\n" for n in range(count))
    source = tmp_path / "crowd.md"
    source.write_text(f"---\ntitle: Many Authors\nauthors:\n{authors}date: 2022-06-03\n"
                      "language: en\n---\n\nBody.\n\n## Key Points\n\n- One.\n", "utf-8")
    path, _problems = render(read_source(source), layout, tmp_path)
    check_geometry(path, layout)
    title_slide = " ".join(texts(Presentation(str(path)).slides[0]))
    for n in range(count):
        assert f"Author Number {n}" in title_slide
        assert f"Department {n} of a Ministry, City" in title_slide


def test_an_agenda_slide_lists_the_key_points_when_the_paper_asks_for_contents(
        tmp_path: Path) -> None:
    from kzreport.build import prepare

    document, layout = prepare(FIXTURES / "crossrefs.md", None, tmp_path)
    path, problems = render(document, layout, tmp_path)
    assert problems == []
    prs = Presentation(str(path))
    agenda = prs.slides[1]
    assert title_of(agenda) == "Contents"
    assert [t for t in texts(agenda) if "route" in t or "Tariffs" in t] == [
        "1. The route is growing\n2. Tariffs decide"]
    # Cross-references are plain text on the slides: the deck has no captions to go to.
    assert ": Table 1 shows the tonnage tripled in two years." in texts(prs.slides[2])
    check_render(path, tmp_path)


def test_the_layout_may_ask_for_an_agenda_on_its_own(seed: Document, layout: Layout,
                                                     tmp_path: Path) -> None:
    plain, _ = render(seed, layout, tmp_path)
    agenda = replace(layout, slides=replace(layout.slides, agenda=True))
    (tmp_path / "with").mkdir()
    path, _ = render(seed, agenda, tmp_path / "with")
    before, after = Presentation(str(plain)).slides, Presentation(str(path)).slides
    assert len(after) == len(before) + 1
    assert title_of(after[1]) == agenda.labels.contents
    assert [title_of(slide) for slide in after][2:] == [title_of(slide) for slide in before][1:]
