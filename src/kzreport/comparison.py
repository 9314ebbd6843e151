"""Comparing what an output holds with what its source says: one message per mismatch."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from kzreport.apparatus import has_agenda
from kzreport.differences import Normalized, differs, missing
from kzreport.expectations import (
    Chunk,
    Expected,
    Note,
    Point,
    excerpt,
    normalize,
    pieces,
    slide_count,
)
from kzreport.extraction import ChartData, Extraction, Slide, TextFrame, TextRun
from kzreport.labels import footnote_mark
from kzreport.layout import FontFamily, Layout
from kzreport.model import (
    Figure,
    FootnoteRef,
    Inlines,
    KeyPoint,
    Table,
    cited_sources,
    plain_text,
    source_line,
)
from kzreport.placement import join_continuations, placed
from kzreport.renderers._common import on_landscape_pages
from kzreport.scripts import is_rtl_language, paragraph_is_rtl
from kzreport.slide_points import slide_points
from kzreport.verify_apparatus import contents_pages, fields

#: Office truncates core properties at this length, so a longer title may be cut there.
PROPERTY_LIMIT = 255
#: PowerPoint's size for a run that states none (inherited sizes live in masters we don't read).
DEFAULT_RUN_PT = 18.0
#: Text may need this much more height than its box has: EMU and centipoint rounding.
OVERFLOW_TOLERANCE_PT = 0.01
#: Lines closer than this share of the font's own line box overlap visibly. The deck's tightest
#: setting is 0.92 (titles), and half-point rounding of run sizes takes off a little more.
OVERLAP_RATIO = 0.85
#: A footnote's mark and this many characters of its text (whitespace aside) on a slide's
#: face are the note printed at the slide's foot, which must then be there whole.
NOTE_OPENING = 12
#: A detail shorter than this (a year, a number) may well be on a slide for another reason.
MIN_LEAK_LENGTH = 4


def find_in_order(haystack: str, chunks: Sequence[Chunk]) -> Iterator[Chunk]:
    """The chunks not found in ``haystack`` in order: each is searched for (normalized) from
    where the previous one was found, and a missing one does not move that point on."""
    for chunk, _ in missing_in_order(haystack, chunks):
        yield chunk


def missing_in_order(haystack: str, chunks: Sequence[Chunk]) -> Iterator[tuple[Chunk, int]]:
    """``find_in_order``'s chunks, each with where in ``haystack`` it was looked for from."""
    position = 0
    for chunk in chunks:
        found = haystack.find(normalize(chunk.text), position)
        if found < 0:
            yield chunk, position
        else:
            position = found + len(normalize(chunk.text))


def _missing_from(raw: str, haystack: str, chunks: Sequence[Chunk], where: str | None = None
                  ) -> Iterator[tuple[Chunk, str]]:
    """Each chunk not in ``haystack`` (``raw`` normalized) in order, with how a message ends
    (``differences.missing``: where its start is there, the texts around the first difference)."""
    shown: Normalized | None = None
    for chunk, position in missing_in_order(haystack, chunks):
        shown = shown or Normalized(raw)  # the output's text kept as written, on a mismatch
        yield chunk, missing(shown, position, chunk.text, where)


def _quote(chunk: Chunk) -> str:
    """How a message names ``chunk``: what it is and its line in the source."""
    return f'{chunk.label} (line {chunk.line}) of the source'


def _flow(got: Extraction) -> str | None:
    """The output's body in reading order, normalized: a paged output's page bodies, without
    the running header, footer and banners around them (None: the output has no body)."""
    if got.flow is not None:
        return normalize(got.flow)
    return "".join(normalize(page.body) for page in got.pages) if got.pages else None


def _raw_flow(got: Extraction) -> str:
    """The output's body as ``_flow`` reads it, as written (the line between pages keeps
    normalizing from joining their texts)."""
    return got.flow if got.flow is not None else "\n".join(page.body for page in got.pages)


def _property(what: str, value: str | None, expected: str) -> Iterator[str]:
    """Whether document property ``what`` reads ``expected`` (whitespace aside; cut at
    ``PROPERTY_LIMIT`` characters when longer)."""
    if value is None:
        yield f"the {what} property is missing"
    elif not (normalize(value) == normalize(expected) or (
            len(value) >= PROPERTY_LIMIT and normalize(expected).startswith(normalize(value)))):
        yield f"the {what} property is {differs(value, expected)}"


def _metadata(expected: Expected, got: Extraction) -> Iterator[str]:
    """The title and author document properties: the title, and every author's name in
    order (the separator between names is the writer's choice)."""
    meta = expected.document.meta
    yield from _property("title", got.title, meta.title)
    if got.author is None:
        yield "the author property is missing"
        return
    authors = meta.authors
    if len(got.author) >= PROPERTY_LIMIT:  # Office cuts long properties: later names may be cut
        authors = authors[:1]
    names = [Chunk(f'author "{excerpt(a.name)}"', 0, a.name) for a in authors]
    for chunk in find_in_order(normalize(got.author), names):
        yield f'the author property "{excerpt(got.author)}" lacks {chunk.label}'


def _link_labels(expected: Expected, text: str, where: str) -> Iterator[str]:
    """The further-reading labels in ``text`` (regardless of case, like every label)."""
    found = normalize(text).casefold()
    for link in expected.document.meta.links:
        if normalize(link.label).casefold() not in found:
            yield f'the link label "{excerpt(link.label)}" is not {where}'


def _links_differ(wanted: frozenset[str], got: frozenset[str], where: str,
                  scope: str) -> Iterator[str]:
    """One message per link target ``got`` lacks or has beyond ``wanted`` (from ``scope``)."""
    for url in sorted(wanted - got):
        yield f"link {url} of {scope} is not {where}"
    for url in sorted(got - wanted):
        yield f"link {url} {where} is not in {scope}"


def _deck(expected: Expected, slides: Sequence[Slide], links: frozenset[str],
          ) -> Iterator[str]:
    """Title slide, optional summary slide, a slide per key point (with the slide it goes on
    on, if any, read as one), and the closing slide."""
    slides = join_continuations(slides, expected.layout.labels.continued)
    meta = expected.document.meta
    first = 1 + has_agenda(expected.document, expected.layout) + bool(meta.summary)
    closing = bool(meta.links or meta.disclaimer or expected.document.sources)
    wanted = slide_count(expected)
    if len(slides) != wanted:
        parts = ["a title slide", *(["an agenda slide"] if first > 1 + bool(meta.summary)
                                    else []), *(["a summary slide"] if meta.summary else []),
                 f"{len(expected.points)} key point slide(s)",
                 *(["a closing slide"] if closing else [])]
        yield f"the deck has {len(slides)} slide(s), not {wanted} ({', '.join(parts)})"
    if not slides:
        return
    yield from _link_labels(expected, "\n".join(slide.face for slide in slides), "in the deck")
    if meta.summary and len(slides) > 1 and normalize(meta.summary) not in normalize(
            slides[first - 1].face):
        yield f'the summary "{excerpt(meta.summary)}" is not on slide {first - 1}'
    for point in expected.points:
        index = first + point.number - 1
        if index >= len(slides):
            yield f"key point {point.number} (line {point.line}) has no slide"
            continue
        slide, number = slides[index], index + 1
        face = normalize(slide.face)
        for text in point.pieces:
            if normalize(text) not in face:
                yield (f'key point {point.number} (line {point.line}) is not on slide {number}: '
                       f'"{excerpt(text)}"')
        notes, in_notes = normalize(slide.notes), f"the notes of slide {number}"
        for chunk, says in _missing_from(slide.notes, notes, [
                c for c in point.details if not c.on_slide], in_notes):
            yield f"{_quote(chunk)}, a detail of key point {point.number}, {says}"
        for chunk, says in _missing_from(slide.notes, notes, [
                _note_chunk(note) for note in point.notes], in_notes):
            yield f"{_quote(chunk)}, referred to by key point {point.number}, {says}"
        yield from _footnote_strip(point, face, number)
        key_point = slide_points(expected.document).points[point.number - 1]
        for chunk, says in _missing_from(slide.notes, notes,
                                         _source_chunks(expected, key_point), in_notes):
            yield f"{chunk.label}, cited by key point {point.number}, {says}"
        # A chart's cells are its data, which _visuals compares as numbers.
        charts = {v.line for v in point.visuals if isinstance(v, Table) and v.chart}
        for chunk in point.details:
            if chunk.on_slide and chunk.line not in charts \
                    and normalize(chunk.text) not in face + notes:
                yield (f'{_quote(chunk)}, a detail of key point {point.number}, is neither on '
                       f'slide {number} nor in its notes: "{excerpt(chunk.text)}"')
        yield from _visuals(point, slide, number)
        own = [normalize(t) for t in (point.headline or "", point.text, expected.date,
                                      meta.organization or "", meta.marking or "")]
        for chunk in point.details:
            key = normalize(chunk.text)
            if chunk.on_slide:
                continue
            if len(key) >= MIN_LEAK_LENGTH and key in face and not any(key in o for o in own):
                yield (f'{_quote(chunk)}, a detail of key point {point.number}, is on the face '
                       f'of slide {number}, not only in its notes: "{excerpt(chunk.text)}"')
    index = first + len(expected.points)
    if meta.disclaimer and index < len(slides) and normalize(meta.disclaimer) not in normalize(
            slides[index].face):
        yield f'the disclaimer "{excerpt(meta.disclaimer)}" is not on slide {index + 1}'
    if expected.document.sources and index < len(slides):
        closing_notes = slides[index].notes
        for chunk, says in _missing_from(closing_notes, normalize(closing_notes),
                                         _source_chunks(expected),
                                         f"the notes of slide {index + 1}"):
            yield f"{chunk.label} {says}"
    if meta.links and index < len(slides):
        slide, number = slides[index], index + 1
        face = normalize(slide.face)
        for link in meta.links:
            # The label must show; how the address is displayed (if at all) is the deck's choice.
            if normalize(link.label) not in face:
                yield f'further-reading link "{excerpt(link.label)}" is not on slide {number}'
            # A target missing from the whole deck is reported once, with the deck's links.
            elif link.url not in slide.links and link.url in links:
                yield f"further-reading link {link.url} is not a link on slide {number}"


def _footnote_strip(point: Point, face: str, number: int) -> Iterator[str]:
    """Each footnote printed at the foot of a key point's slide is printed whole: a note
    whose opening (its mark and first characters) is on the slide's face without the rest
    was cut. A note not on the face at all was left to the speaker notes, which the strip
    does with what it has no room for (and which are checked for every note)."""
    for note in point.notes:
        mark = normalize(footnote_mark(note.number))
        whole = mark + normalize(note.text)
        if whole[:len(mark) + NOTE_OPENING] in face and whole not in face:
            yield (f"footnote {note.number} (line {note.line}) is cut short at the foot of "
                   f'slide {number}: "{excerpt(note.text)}" is not all there')


def _source_chunks(expected: Expected, point: KeyPoint | None = None) -> list[Chunk]:
    """The Sources section's entries (those ``point`` cites, when given) as chunks."""
    document = expected.document
    line = source_line(document)
    return [Chunk(f"source '{source.key}' (line {line})", line, plain_text(source.inlines))
            for source in (document.sources if point is None else
                           cited_sources(document, point))]


def _visuals(point: Point, slide: Slide, number: int) -> Iterator[str]:
    """Each figure of ``point`` a picture on its slide with its alt text, each table a table
    with its cells, each chart a chart with its data in order, or else (a slide too small
    for it) each in the slide's notes."""
    got, notes = slide.visuals, normalize(slide.notes)
    for visual in point.visuals:
        where = f"key point {point.number} (line {visual.line})"
        if isinstance(visual, Figure):
            if visual.alt not in got.pictures and normalize(visual.caption or visual.alt) \
                    not in notes:
                yield (f'the figure "{excerpt(visual.alt)}" of {where} is not a picture with '
                       f'that alt text on slide {number}, nor in its notes')
            continue
        rows = (visual.header, *visual.rows)
        cells = [normalize(plain_text(cell)) for row in rows for cell in row]
        # The slide's cells print their footnotes' marks where the notes are referenced.
        marked = [normalize(_marked(cell)) for row in rows for cell in row]
        in_notes = all(cell in notes for cell in cells)
        if visual.chart is not None:
            wanted = wanted_chart(visual)
            if wanted not in got.charts and not in_notes:
                yield (f"the {wanted.kind} chart of {where} is not on slide {number} with the "
                       f"table's data in order, nor in its notes")
            continue
        shown = [[normalize(cell) for row in table for cell in row] for table in got.tables]
        if cells not in shown and marked not in shown and not in_notes:
            yield (f"the table of {where} is not on slide {number} with all its cells in "
                   f"order, nor in its notes")


def _marked(inlines: Inlines) -> str:
    """The plain text of ``inlines`` with each footnote's mark where it is referenced."""
    return "".join(footnote_mark(item.number) if isinstance(item, FootnoteRef)
                   else plain_text((item,)) for item in inlines)


def _outside(got: Extraction) -> Iterator[str]:
    """Every slide shape that runs past an edge of the slide."""
    if got.slide_size is None or got.slides is None:
        return
    width, height = got.slide_size
    tolerance = OVERFLOW_TOLERANCE_PT
    for number, slide in enumerate(got.slides, 1):
        for name, left, top, shape_width, shape_height in slide.visuals.boxes:
            if (left < -tolerance or top < -tolerance or left + shape_width > width + tolerance
                    or top + shape_height > height + tolerance):
                yield f"slide {number}: '{name}' runs outside the slide"


def _family(typeface: str | None, layout: Layout) -> FontFamily:
    """The layout family a run names: mono, heading or a fallback family by name, else the
    body (theme fonts like ``+mn-lt`` and unknown names are measured with the body face)."""
    fonts = layout.fonts
    by_name = {fallback.name: fallback for family in (fonts.mono, fonts.heading, fonts.body)
               for fallback in family.fallback}
    by_name |= {fonts.mono.name: fonts.mono, fonts.heading.name: fonts.heading,
                fonts.body.name: fonts.body}
    return by_name.get(typeface or "", fonts.body)


def _face(run: TextRun, layout: Layout) -> Path:
    return _family(run.typeface, layout).face(run.bold, run.italic)


def overflow(frame: TextFrame, layout: Layout) -> str | None:
    """Why ``frame``'s text does not fit its box, measured with the fitting's own line
    breaking at each paragraph's written run size, pitch and spacing; None when it fits."""
    from kzreport.renderers import _fit as fit

    left, right, top, bottom = frame.insets
    width, height = frame.width - left - right, frame.height - top - bottom
    if width <= 0 or height <= 0:
        return f"slide {frame.slide}: '{frame.name}' has text but no room inside its insets"
    needed = 0.0
    for index, para in enumerate(frame.paragraphs):
        sizes = [run.size for run in para.runs if run.size is not None]
        # Runs of one paragraph share a size in our decks; the largest is the safe measure.
        size = max(sizes) if sizes else para.end_size or DEFAULT_RUN_PT
        pieces = tuple(fit.Piece(run.text, fit.load_metrics(_face(run, layout)))
                       for run in para.runs if run.text)
        fonts = [piece.font for piece in pieces] or [fit.load_metrics(layout.fonts.body.regular)]
        natural = max(font.line_box for font in fonts) * size
        lines = len(fit.wrap(fit.Para(pieces, fonts[0]), size, width - para.indent)) \
            if pieces else 1
        pitch = (para.exact_pitch if para.exact_pitch is not None
                 else natural * (para.pitch_percent if para.pitch_percent is not None else 1.0))
        if pitch < natural * OVERLAP_RATIO and pieces and lines > 1:  # one line overlaps none
            return (f"slide {frame.slide}: the lines of '{frame.name}' overlap: {size:g} pt text "
                    f"on {pitch:g} pt lines")
        needed += lines * pitch
        if index:  # as in the fitting: no space above a frame's first paragraph
            needed += (para.space_before if para.space_before is not None
                       else (para.space_before_percent or 0.0) * size)
    if needed > height + OVERFLOW_TOLERANCE_PT:
        return (f"slide {frame.slide}: the text of '{frame.name}' overflows its box: it needs "
                f"{needed:.1f} pt, the box has {height:.1f} pt")
    return None


def _note_chunk(note: Note) -> Chunk:
    """What footnote ``note`` reads where its text is printed: its number, then its text."""
    return Chunk(f"footnote {note.number}", note.line, footnote_mark(note.number) + note.text)


def _footnotes(expected: Expected, got: Extraction, flow: str | None) -> Iterator[str]:
    """Every footnote where its format keeps it: Word's notes, each the note of the reference
    at its place (so one missing, moved or out of order is found); the PDF's at the foot of
    the pages, numbered, in order. The deck's are checked with each key point."""
    if got.notes is not None:
        if len(got.notes) != len(expected.notes):
            yield (f"the output has {len(got.notes)} footnote reference(s), the source "
                   f"{len(expected.notes)}")
        for note, text in zip(expected.notes, got.notes, strict=False):
            if normalize(text) != normalize(note.text):
                yield (f"the note of footnote reference {note.number} (line {note.line}) reads "
                       f"{differs(text, note.text)}")
    elif got.slides is None and flow is not None:
        for chunk, says in _missing_from(_raw_flow(got), flow,
                                         [_note_chunk(note) for note in expected.notes]):
            yield f"{_quote(chunk)} {says}"
        yield from _note_pages(expected, got)


def _note_pages(expected: Expected, got: Extraction) -> Iterator[str]:
    """Each of a tagged PDF's footnotes starts on the page of its reference."""
    if not got.note_pages:
        return
    if len(got.note_pages) != len(expected.notes):
        yield (f"the PDF tags {len(got.note_pages)} footnote(s) after their references, the "
               f"source has {len(expected.notes)}")
        return
    for note, (reference, page) in zip(expected.notes, got.note_pages, strict=True):
        if reference is None:
            yield (f"footnote {note.number} (line {note.line}) has no reference tagged as a "
                   f"Link before its Note")
        elif reference != page:
            yield (f"footnote {note.number} (line {note.line}) starts on page {page}, its "
                   f"reference is on page {reference}")


def _landscape(expected: Expected, got: Extraction) -> Iterator[str]:
    """Each table the source sets on landscape pages is on them (its header and last row),
    and a paper that asks for none has none."""
    if got.landscape is None:
        return
    blocks = expected.document.blocks
    turned = on_landscape_pages(blocks, expected.layout)
    shown = normalize(got.landscape)
    if not any(turned) and shown:
        yield f'the output has landscape pages the source does not ask for: "{excerpt(shown)}"'
    for block, landscape in zip(blocks, turned, strict=True):
        if isinstance(block, Table) and landscape and not all(
                normalize(piece) in shown for row in (block.header, *block.rows[-1:])
                for cell in row for piece in pieces(cell)):
            yield f"the table at line {block.line} is not on landscape pages"


def wanted_chart(table: Table) -> ChartData:
    """What a chart of ``table`` must read back as: its kind, categories and named series."""
    assert table.chart is not None
    chart = table.chart
    return ChartData(chart.kind, chart.categories, tuple((s.name, s.values)
                                                         for s in chart.series))


def _charts(expected: Expected, got: Extraction) -> Iterator[str]:
    """Each chart of a flowing document (the brief) at its place with the table's kind,
    categories, series and values in order, and no chart the source does not have."""
    if got.charts is None:
        return
    for number, table in enumerate(expected.charts, 1):
        wanted = wanted_chart(table)
        if number > len(got.charts):
            yield f"the {wanted.kind} chart of the table at line {table.line} is missing"
        elif got.charts[number - 1] != wanted:
            shown = got.charts[number - 1]
            yield (f"chart {number} is a {shown.kind} chart of other data, not the "
                   f"{wanted.kind} chart of the table at line {table.line} with its data in "
                   f"order")
    if len(got.charts) > len(expected.charts):
        yield (f"the output has {len(got.charts)} chart(s), the source "
               f"{len(expected.charts)}")


def _directions(expected: Expected, got: Extraction) -> Iterator[str]:
    """Each paragraph of the source that runs right to left must be marked so where the
    output shows it (a paragraph the output lacks is the text comparison's to report), and
    no right-to-left text may sit in a run not marked right-to-left."""
    if got.directions is None:
        return
    paper_rtl = is_rtl_language(expected.document.meta.language)
    shown = [(normalize(text), rtl) for text, rtl in got.directions if normalize(text)]
    for chunk in expected.chunks:
        if chunk.label.startswith("code block") or not paragraph_is_rtl(chunk.text, paper_rtl):
            continue
        wanted = normalize(chunk.text)
        holders = [rtl for text, rtl in shown if wanted in text]
        if holders and not any(holders):
            yield (f'{_quote(chunk)} runs right to left, but the output does not mark its '
                   f'paragraph so: "{excerpt(chunk.text)}"')
    for run in got.unmarked_runs[:1]:
        more = len(got.unmarked_runs) - 1
        yield (f'right-to-left text "{excerpt(run)}" is in a run not marked right-to-left'
               + (f" (and {more} more)" if more else ""))


def _agenda(expected: Expected, slides: Sequence[Slide]) -> Iterator[str]:
    """The agenda slide (slide 2): its title and the key points' headlines, in order."""
    if not has_agenda(expected.document, expected.layout) or len(slides) < 2:
        return
    wanted = [Chunk("the agenda's title", 0, expected.layout.labels.contents),
              *(Chunk(f"the headline of key point {p.number}", p.line, p.headline)
                for p in expected.points if p.headline)]
    for chunk in find_in_order(normalize(slides[1].face), wanted):
        yield f'{chunk.label} "{excerpt(chunk.text)}" is not on the agenda slide'


def _acronyms(expected: Expected, slides: Sequence[Slide]) -> Iterator[str]:
    """The acronym list at the end of the last slide's notes."""
    listed = expected.document.meta.acronyms
    if not listed or not slides:
        return
    wanted = [Chunk("the acronyms' label", 0, expected.layout.labels.acronyms),
              *(Chunk(f'the acronym "{short}"', 0, f"{short} — {long}")
                for short, long in listed)]
    for chunk in find_in_order(normalize(slides[-1].notes), wanted):
        yield f"{chunk.label} is not in the last slide's notes"


def compare(expected: Expected, got: Extraction) -> list[str]:
    """Every way ``got`` differs from what its source says, one message each."""
    meta = expected.document.meta
    out = list(_metadata(expected, got))
    out.extend(placed(expected, got))
    flow = _flow(got)
    if flow is not None:
        if meta.summary and normalize(meta.summary) not in flow:
            out.append(f'the summary "{excerpt(meta.summary)}" is not in the body')
        out.extend(_link_labels(expected, flow, "in the body"))
        out.extend(f"{_quote(chunk)} {says}"
                   for chunk, says in _missing_from(_raw_flow(got), flow, expected.chunks))
    out.extend(_footnotes(expected, got, flow))
    if got.slides is not None:
        out.extend(_deck(expected, got.slides, got.links))
        out.extend(_agenda(expected, got.slides))
        out.extend(_acronyms(expected, got.slides))
        out.extend(_outside(got))
    out.extend(contents_pages(expected, got.pages))
    out.extend(_landscape(expected, got))
    out.extend(_directions(expected, got))
    out.extend(_charts(expected, got))
    if got.fields is not None:
        out.extend(fields(expected.fields, got.fields))
    out.extend(problem for problem in (overflow(f, expected.layout) for f in got.frames)
               if problem is not None)
    if got.slides is None:
        out.extend(_links_differ(expected.links, got.links, "in the output", "the source"))
    else:
        out.extend(_links_differ(expected.deck_links, got.links, "in the output",
                                 "the source's key points or further reading"))
    return out
