"""Each element checked in its own place, so that a copy elsewhere never stands in for it."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import field, replace

from kzreport.expectations import INVISIBLE, Element, Expected, excerpt, slide_count
from kzreport.extraction import Extraction, PagePart, Shape, Slide, field_mark
from kzreport.labels import page_label
from kzreport.records import record

#: What may stand between two elements of one place: the punctuation labels and bylines put
#: there ("Name, Affiliation", "Title · Date", "Name; Name").
SEPARATORS = frozenset(",;:·|–—-•")
#: How an output ends a one-line label it had to shorten, once normalized (NFKC: "…" too).
ELLIPSIS = "..."
#: Extra characters a title block may take over the source's, for separators.
SEPARATOR_ROOM = 4
#: How far a shape may be from a slide's edge, or from the lowest shapes' top, and still be
#: at that edge or in that row, in points (positions are rounded to EMU and to 0.01 pt).
EDGE_TOLERANCE_PT = 0.5
ROW_TOLERANCE_PT = 1.0
#: Word's header and footer types, as a message names the pages that show them.
WORD_PAGES = {"first": "first-page", "default": "later-page", "even": "even-page"}
#: Placeholder types that hold a slide's title.
TITLE_PLACEHOLDERS = frozenset({"title", "ctrTitle"})
#: Placeholder types that hold a slide's body text.
BODY_PLACEHOLDERS = frozenset({"body", "obj"})


class Keyed:
    """Text as places are compared, like ``normalize`` but casefolded too (a layout may print
    the organization or a marking in capitals), each character kept with where it came from
    so that a message can quote the text around it."""

    def __init__(self, text: str) -> None:
        self.text = unicodedata.normalize("NFKC", text)
        keys: list[str] = []
        self.origin: list[int] = []
        for index, char in enumerate(self.text):
            if char.isspace() or ord(char) in INVISIBLE:
                continue
            folded = char.casefold()
            keys.append(folded)
            self.origin.extend([index] * len(folded))
        self.key = "".join(keys)

    def after(self, position: int) -> str:
        """The text from key ``position`` on, as written (fields shown by name)."""
        if position >= len(self.key):
            return ""
        return self.text[self.origin[position]:].replace("\0", "")


def _skip(key: str, position: int) -> int:
    while position < len(key) and key[position] in SEPARATORS:
        position += 1
    return position


def _match(key: str, position: int, wanted: str, cut: bool) -> int | None:
    """Where ``wanted`` ends if it starts at ``position`` of ``key`` (after separators); with
    ``cut``, a start of it ended by an ellipsis will do."""
    for start in dict.fromkeys((position, _skip(key, position))):
        if key.startswith(wanted, start):
            return start + len(wanted)
        end = key.find(ELLIPSIS, start) if cut else -1
        if end > start and wanted.startswith(key[start:end]):
            return end + len(ELLIPSIS)
    return None


def in_place(text: str, elements: Sequence[Element | None], whole: bool = True,
             cut: bool = False, limit: bool = False) -> list[str]:
    """How ``text`` (one place of an output) falls short of holding ``elements``, in order,
    each starting where the one before ends (separators aside): a message stem per element
    missing there ("… is not in"), and, for a ``whole`` place that holds them all, one for
    text beyond them ("… is in"). With ``limit``, the place is the start of ``text`` as
    long as the elements (a title block, before the body). ``cut`` allows a label shortened
    with an ellipsis."""
    wanted = [(e, Keyed(e.text).key) for e in elements if e is not None]
    got = Keyed(text)
    key = got.key
    if limit:
        key = key[:sum(len(k) + SEPARATOR_ROOM for _, k in wanted)]
    out: list[str] = []
    position = 0
    for index, (item, item_key) in enumerate(wanted):
        end = _match(key, position, item_key, cut)
        if end is not None:
            position = end
            continue
        out.append(f"{item.what} is not in")
        # Carry on from where the next element is, if it is here at all.
        following = wanted[index + 1][1] if index + 1 < len(wanted) else ""
        found = key.find(following, position) if following else -1
        position = found if found >= 0 else position
    rest = _skip(key, position)
    if whole and not out and rest < len(key):
        out.append(f'unexpected text "{excerpt(got.after(rest))}" is in')
    return out


def _numbers(numbers: Sequence[int], noun: str, total: int | None = None) -> str:
    """``page 2`` or ``pages 1, 2``, with ``of N`` when ``total`` is given."""
    listed = ", ".join(map(str, numbers))
    return (f"{noun}s {listed}" if len(numbers) > 1 else f"{noun} {listed}") + (
        f" of {total}" if total is not None else "")


@record(frozen=False)
class _Collected:
    """Message stems by the region they are about, with the pages or slides they are on, so
    a mismatch every page has is one line."""

    found: dict[tuple[str, str], list[int]] = field(default_factory=dict)

    def add(self, stems: list[str], region: str, number: int) -> None:
        for stem in stems:
            self.found.setdefault((stem, region), []).append(number)

    def lines(self, noun: str, total: int | None = None) -> Iterator[str]:
        for (stem, region), numbers in self.found.items():
            yield f"{stem} the {region} of {_numbers(numbers, noun, total)}"


def _opening(expected: Expected, text: str, where: str) -> Iterator[str]:
    """The title block opening ``text`` (the brief's body, the PDF's first page), in the order
    both print it; the body follows it."""
    block = expected.title_block
    elements = [block.organization, block.title, block.subtitle,
                *(e for byline in block.bylines for e in byline), block.date]
    yield from (f"{stem} {where}" for stem in in_place(text, elements, whole=False,
                                                        limit=True))


def _brief(expected: Expected, parts: Sequence[PagePart]) -> Iterator[str]:
    """Every header and footer a page of the brief shows: the marking banner (when the layout
    styles the marking), the running header from the second page, and the disclaimer over
    the page number made of Word's PAGE and NUMPAGES fields."""
    layout, furniture = expected.layout, expected.furniture
    marking = furniture.marking
    if marking is not None and layout.marking_style(marking.text) is None:
        marking = None  # the brief has no banner for a marking its layout gives no colours
    number = Element(f'the page number "{page_label(layout, "{PAGE}", "{NUMPAGES}")}" (Word '
                     "fields)", page_label(layout, field_mark("PAGE"), field_mark("NUMPAGES")))
    sections = max((part.section for part in parts), default=1)
    for part in parts:
        owner = f"section {part.section}'s" if sections > 1 else "the brief's"
        where = f"{owner} {WORD_PAGES[part.pages]} {part.kind} ({part.part or 'none'})"
        if part.kind == "header":
            page_one = part.section == 1 and part.pages == "first"
            elements = [marking, None if page_one else furniture.running_header]
        else:
            elements = [furniture.disclaimer, number, marking]
        yield from (f"{stem} {where}" for stem in
                    in_place("\n".join(part.paragraphs), elements))


def _pdf(expected: Expected, got: Extraction) -> Iterator[str]:
    """The title block opening the first page's body; on every page, the marking banners,
    the running header from the second page and the footer: disclaimer and page number."""
    pages, furniture, layout = got.pages, expected.furniture, expected.layout
    yield from _opening(expected, pages[0].body, "the title block on page 1")
    collected = _Collected()
    for number, page in enumerate(pages, 1):
        label = page_label(layout, number, len(pages))
        running = furniture.running_header if number > 1 else None
        collected.add(in_place(page.top_banner, [furniture.marking]), "top banner", number)
        collected.add(in_place(page.header, [running], cut=True), "header", number)
        collected.add(in_place(page.footer, [furniture.disclaimer, Element(
            f'the page number "{label}"', label)]), "footer", number)
        collected.add(in_place(page.bottom_banner, [furniture.marking]), "bottom banner",
                      number)
    yield from collected.lines("page", len(pages))


def _edge(shape: Shape, height: float) -> str | None:
    """``top`` or ``bottom`` for a shape at that edge of the slide (a marking banner)."""
    if shape.box is None:
        return None
    _, top, _, tall = shape.box
    if top <= EDGE_TOLERANCE_PT:
        return "top"
    return "bottom" if top + tall >= height - EDGE_TOLERANCE_PT else None


def _footer(shapes: Sequence[Shape], height: float) -> list[Shape]:
    """The slide's footer: its lowest row of text boxes above the bottom banner."""
    boxes = [s for s in shapes if s.box is not None and not s.placeholder
             and _edge(s, height) is None]
    lowest = max((s.box[1] for s in boxes if s.box is not None), default=0.0)
    return [s for s in boxes if s.box is not None and lowest - s.box[1] <= ROW_TOLERANCE_PT]


def _text(shapes: Sequence[Shape]) -> str:
    return "\n".join(shape.text for shape in shapes)


def slide_title(slide: Slide) -> str:
    """The text of ``slide``'s title placeholder."""
    return " ".join(s.text for s in slide.shapes if s.placeholder in TITLE_PLACEHOLDERS).strip()


def continuations(slides: Sequence[Slide], template: str) -> set[int]:
    """The indexes of the slides that continue the slide before them: titled as the layout's
    ``continued`` label ``template`` says of the title of the slide they go on from (a
    second such slide told apart by `` (2)``, and so on)."""
    found: set[int] = set()
    base = ""
    for index, slide in enumerate(slides):
        title = " ".join(slide_title(slide).split())
        label = " ".join(template.format(title=base).split()) if base else None
        if label is not None and re.fullmatch(re.escape(label) + r"( \(\d+\))?", title):
            found.add(index)
        else:
            base = title
    return found


def join_continuations(slides: Sequence[Slide], template: str) -> list[Slide]:
    """``slides`` with each continuation slide (see ``continuations``) joined to the slide it
    continues, read as one slide: its face goes on with the first slide's title and the
    text of each one's body (which holds the key point's text and bullets), which runs on
    from slide to slide; its notes, links, shapes and visuals are added."""
    going_on = continuations(slides, template)
    out: list[Slide] = []
    bodies: list[list[str]] = []
    for index, slide in enumerate(slides):
        body = _body_text(slide)
        if index not in going_on:
            out.append(slide)
            # An action title is the text's first sentence: the text runs on from it.
            bodies.append([slide_title(slide), body])
            continue
        first = out[-1]
        bodies[-1].append(body)
        out[-1] = Slide(first.face + "\n" + slide.face, first.notes + "\n" + slide.notes,
                        first.links | slide.links, first.shapes + slide.shapes, first.visuals)
    return [replace(slide, face=slide.face + "\n" + "\n".join(body)) if len(body) > 2
            else slide for slide, body in zip(out, bodies, strict=True)]


def _body_text(slide: Slide) -> str:
    """The text of ``slide``'s body placeholder; without one, its longest text but the
    title's (a text box then holds the body)."""
    bodies = [s.text for s in slide.shapes if s.placeholder in BODY_PLACEHOLDERS]
    return bodies[0] if bodies else max(
        (s.text for s in slide.shapes if s.placeholder not in TITLE_PLACEHOLDERS), key=len,
        default="")


def _deck(expected: Expected, slides: Sequence[Slide], height: float) -> Iterator[str]:
    """On the title slide, the title in its title placeholder and the rest of the title
    block beside it; on every slide, the marking banners at its top and bottom edges; on
    every slide but the title slide, the footer: the slide footer label and ``N / M``."""
    block, furniture = expected.title_block, expected.furniture
    total = slide_count(expected) + len(continuations(slides, expected.layout.labels.continued))
    collected = _Collected()
    for number, slide in enumerate(slides, 1):
        for edge in ("top", "bottom"):
            text = _text([s for s in slide.shapes if _edge(s, height) == edge])
            collected.add(in_place(text, [furniture.marking], cut=True), f"{edge} banner",
                          number)
        if number == 1:
            titles = [s for s in slide.shapes if s.placeholder in TITLE_PLACEHOLDERS]
            rest = [s for s in slide.shapes if s.placeholder not in TITLE_PLACEHOLDERS
                    and _edge(s, height) is None]
            collected.add(in_place(_text(titles), [block.title]), "title placeholder", number)
            collected.add(in_place(_text(rest), [
                block.subtitle, *(e for byline in block.bylines for e in byline),
                block.organization, block.date]), "title block", number)
        else:
            counter = f"{number} / {total}"
            collected.add(in_place(_text(_footer(slide.shapes, height)), [
                furniture.slide_footer, Element(f'the slide number "{counter}"', counter)],
                cut=True), "footer", number)
    yield from collected.lines("slide")


def placed(expected: Expected, got: Extraction) -> Iterator[str]:
    """Every element found missing from its own place in ``got``, or its place holding more."""
    if got.page_parts is not None and got.flow is not None:
        yield from _opening(expected, got.flow, "the brief's title block")
        yield from _brief(expected, got.page_parts)
    if got.pages:
        yield from _pdf(expected, got)
    if got.slides is not None:
        height = got.slide_size[1] if got.slide_size is not None else float("inf")
        yield from _deck(expected, got.slides, height)
