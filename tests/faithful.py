"""What a faithful brief, report and deck of a paper read as, for comparison tests to damage."""

from __future__ import annotations

from kzreport.expectations import Expected
from kzreport.extraction import Extraction, Page, PagePart, Shape, Slide, field_mark
from kzreport.labels import fill_label, page_label

#: The slide size of the fake decks, where their footers are and how tall their banners are.
SLIDE = (960.0, 540.0)
FOOTER_TOP = 486.5
BANNER = 20.0


def _bylines(expected: Expected) -> list[str]:
    return [f"{a.name}, {a.affiliation}" if a.affiliation else a.name
            for a in expected.document.meta.authors]


def _title_block(expected: Expected) -> list[str]:
    meta = expected.document.meta
    return [(meta.organization or "").upper(), meta.title, meta.subtitle or "",
            *_bylines(expected), expected.date]


def _running(expected: Expected) -> str:
    return fill_label(expected.layout.labels.running_header, expected.document, expected.layout)


def brief(expected: Expected) -> Extraction:
    """What a faithful brief of ``expected`` reads as: the title block, summary, body and
    further reading, and the headers and footers of its first and later pages."""
    meta, layout = expected.document.meta, expected.layout
    flow = "\n".join([*_title_block(expected), meta.summary or "",
                      *(chunk.text for chunk in expected.chunks),
                      *(link.label for link in meta.links)])
    banner = (meta.marking,) if meta.marking else ()
    footer = (meta.disclaimer or "", page_label(layout, field_mark("PAGE"),
                                                field_mark("NUMPAGES")), *banner)
    parts = (PagePart("header", 1, "first", "word/header1.xml", banner),
             PagePart("header", 1, "default", "word/header2.xml", (*banner, _running(expected))),
             PagePart("footer", 1, "first", "word/footer1.xml", footer),
             PagePart("footer", 1, "default", "word/footer2.xml", footer))
    return Extraction(flow, meta.title, "; ".join(a.name for a in meta.authors),
                      expected.links, flow=flow, page_parts=parts)


def report(expected: Expected) -> Extraction:
    """What a faithful two-page report of ``expected`` reads as: the brief's flow cut in two,
    each page with its banners, running header (from page 2) and footer."""
    meta, layout = expected.document.meta, expected.layout
    flow = brief(expected).flow or ""
    half = flow.index("\n", len(flow) // 2)
    pages = []
    for number, body in enumerate((flow[:half], flow[half:]), 1):
        header = _running(expected) if number > 1 else ""
        footer = f"{meta.disclaimer or ''}\n{page_label(layout, number, 2)}"
        banner = meta.marking or ""
        pages.append(Page("\n".join([body, banner, header, footer, banner]), body, header,
                          footer, banner, banner))
    return Extraction("\n".join(page.text for page in pages), meta.title,
                      "; ".join(a.name for a in meta.authors), expected.links,
                      pages=tuple(pages))


def _slide(shapes: list[Shape], notes: str = "", links: frozenset[str] = frozenset(),
           marking: str | None = None) -> Slide:
    if marking:
        width, height = SLIDE
        shapes = [*shapes, Shape("Rectangle 8", "", (0.0, 0.0, width, BANNER), marking),
                  Shape("Rectangle 9", "", (0.0, height - BANNER, width, BANNER), marking)]
    return Slide("\n".join(shape.text for shape in shapes), notes, links, tuple(shapes))


def _content(footer: str, number: str, face: list[str]) -> list[Shape]:
    """A content slide's title and body, and its footer (label, then ``N / M``)."""
    return [Shape("Title 1", "title", (48.0, 60.0, 860.0, 40.0), face[0]),
            Shape("Content 2", "obj", (48.0, 120.0, 860.0, 300.0), "\n".join(face[1:])),
            Shape("TextBox 3", "", (48.0, FOOTER_TOP, 770.0, 20.0), footer),
            Shape("TextBox 4", "", (830.0, FOOTER_TOP, 80.0, 20.0), number)]


def deck(expected: Expected) -> Extraction:
    """What a faithful deck of ``expected`` reads as: title, summary, point and closing slides,
    each with its banners when the paper has a marking, and all but the first with a footer."""
    meta, layout = expected.document.meta, expected.layout
    footer = fill_label(layout.labels.slide_footer, expected.document, layout)
    total = 3 + len(expected.points)
    byline = [line for a in meta.authors for line in (a.name, a.affiliation) if line]
    title = [Shape("Title 1", "ctrTitle", (48.0, 120.0, 860.0, 100.0), meta.title),
             Shape("Subtitle 2", "subTitle", (48.0, 230.0, 860.0, 40.0), meta.subtitle or ""),
             Shape("TextBox 3", "", (48.0, 330.0, 860.0, 160.0),
                   "\n".join([*byline, meta.organization or "", expected.date]))]
    faces = [[layout.labels.summary, meta.summary or ""],
             *([point.headline or "", point.text, *(d.text for d in point.details if d.on_slide)]
               for point in expected.points),
             [layout.labels.further_reading, *(link.label for link in meta.links),
              meta.disclaimer or ""]]
    notes = ["", *("\n".join(d.text for d in point.details if not d.on_slide)
                   for point in expected.points), ""]
    links = [frozenset[str]()] * (total - 2) + [frozenset(link.url for link in meta.links)]
    slides = [_slide(title, marking=meta.marking),
              *(_slide(_content(footer, f"{number} / {total}", face), note, link, meta.marking)
                for number, face, note, link in zip(range(2, total + 1), faces, notes, links,
                                                    strict=True))]
    return Extraction("\n".join(s.face for s in slides), meta.title,
                      "; ".join(a.name for a in meta.authors), expected.deck_links,
                      slides=tuple(slides), slide_size=SLIDE)
