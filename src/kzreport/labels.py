"""What every format prints alike: list markers, numbering, labels, bylines, caption style."""

from __future__ import annotations

from kzreport.layout import Layout
from kzreport.model import (
    Blocks,
    Chart,
    CrossRef,
    Document,
    Figure,
    FootnoteRef,
    KeyPoint,
    RefKind,
    Table,
    plain_text,
    walk,
)

#: List markers by nesting depth (deeper lists cycle through them), alike in every format.
BULLETS = ("•", "◦", "▪")
#: Numbered-list styles by nesting depth (deeper lists cycle through them), by the names Word
#: gives them (``w:numFmt``): 1. 2. 3., then a. b. c., then i. ii. iii., alike in every format.
NUMBER_STYLES = ("decimal", "lowerLetter", "lowerRoman")
_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"),
          (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))

#: A caption sits below its figure, centred like the figure, in italics after its bold label.
CAPTION_ALIGNMENT = "center"
CAPTION_ITALIC = True


def list_marker(ordered: bool, depth: int, number: int) -> str:
    """The marker of item ``number`` of a list nested ``depth`` lists deep (0 at the top,
    counting bulleted and numbered lists alike): a bullet, or a number in its depth's style
    followed by a full stop. Numbers below 1 stay decimal, as letters and numerals have none."""
    if not ordered:
        return BULLETS[depth % len(BULLETS)]
    style = NUMBER_STYLES[depth % len(NUMBER_STYLES)]
    if style == "decimal" or number < 1:
        return f"{number}."
    if style == "lowerLetter":  # as Word counts on past z: aa, bb, ... zz, aaa
        return chr(ord("a") + (number - 1) % 26) * ((number - 1) // 26 + 1) + "."
    roman = ""
    for value, numeral in _ROMAN:
        count, number = divmod(number, value)
        roman += numeral * count
    return roman + "."


def author_names(document: Document) -> str:
    """All author names, separated by semicolons, for document properties."""
    return "; ".join(a.name for a in document.meta.authors)


def page_label(layout: Layout, page: int | str, pages: int | str) -> str:
    """The page-number label, e.g. ``Page 2 of 5``."""
    return layout.labels.page.format(page=page, pages=pages)


def key_point_label(layout: Layout, n: int, total: int) -> str:
    """The fallback title of a key point without a headline, e.g. ``Key Point 2 of 4``."""
    return layout.labels.key_point.format(n=n, total=total)


#: Punctuation that follows a key point's headline without a space ("**Headline**: text").
_CLOSING_PUNCTUATION = tuple(".,:;!?)»”’–—")


def headline_separator(point: KeyPoint) -> str:
    """What goes between a key point's bold headline and its text: a space, unless there is no
    text or it starts with punctuation that closes the headline ("**Headline**: text"). A text
    that opens with a footnote's reference is always set off by the space: a reference right
    after the headline's words is the headline's own ("**Headline**[^1]: text"), so without
    the space the text's reference would read back as the headline's."""
    if point.inlines and isinstance(point.inlines[0], FootnoteRef):
        return " "
    text = plain_text(point.inlines)
    return " " if text and not text.startswith(_CLOSING_PUNCTUATION) else ""


def short_title(document: Document) -> str:
    """The title up to its first colon, cut at a word boundary near 60 characters."""
    title = document.meta.title.split(":")[0].strip()
    if len(title) <= 60:
        return title
    return title[:60].rsplit(" ", 1)[0] + "…"


def fill_label(template: str, document: Document, layout: Layout) -> str:
    """A running header or footer label with its ``{field}``s filled from the paper."""
    meta = document.meta
    values = {
        "title": meta.title,
        "short_title": short_title(document),
        "date": layout.format_date(meta.date),
        "organization": meta.organization or "",
        "marking": meta.marking or "",
    }
    # Strip the separator left dangling when a field (say, organization) is empty.
    return template.format(**values).strip(" ·|–—-")


def captioned(blocks: Blocks, kind: type[Figure] | type[Table]) -> list[Figure | Table]:
    """The figures (or tables) of ``blocks`` that have a caption, in reading order (those in
    lists, quotes and key-point details included): only they are numbered, as Word's
    ``SEQ`` fields in their captions count them."""
    return [block for block in walk(blocks) if isinstance(block, kind) and block.caption]


def figure_numbers(document: Document) -> dict[Figure, int]:
    """Each captioned figure's number, counting from 1 in reading order, alike in every
    format."""
    return {figure: n for n, figure in enumerate(captioned(document.blocks, Figure), 1)
            if isinstance(figure, Figure)}


def table_numbers(document: Document) -> dict[Table, int]:
    """Each captioned table's number (charts included), counting from 1 in reading order."""
    return {table: n for n, table in enumerate(captioned(document.blocks, Table), 1)
            if isinstance(table, Table)}


def figure_label(layout: Layout, n: int) -> str:
    """The label that opens a figure caption, e.g. ``Figure 2.``."""
    return layout.labels.figure.format(n=n)


def table_label(layout: Layout, n: int) -> str:
    """The label that opens a table caption, e.g. ``Table 1.``."""
    return layout.labels.table.format(n=n)


def reference_template(layout: Layout, kind: RefKind) -> str:
    """What a reference of ``kind`` prints, ``{n}`` standing for the number: a caption's
    label without its closing punctuation (``Figure {n}.`` gives ``Figure {n}``, Kazakh's
    ``{n}-сурет.`` gives ``{n}-сурет``), the section label whole."""
    labels = layout.labels
    template = {"fig": labels.figure, "tbl": labels.table, "sec": labels.section}[kind]
    return template.rstrip(" .:–—-")


def reference_text(layout: Layout, ref: CrossRef) -> str:
    """What cross-reference ``ref`` prints, e.g. ``Figure 2``, alike in every format."""
    return reference_template(layout, ref.kind).format(n=ref.number)


def footnote_mark(number: int) -> str:
    """The mark of footnote ``number`` where it is referenced and before its text, alike in
    every format (Word draws its own marks, numbering its notes in the same order)."""
    return str(number)


def chart_label(kind: str) -> str:
    """What a chart of ``kind`` is called in its description, e.g. ``Column chart``."""
    return f"{kind.capitalize()} chart"


def number_text(value: float) -> str:
    """A chart value as every format prints it: digits grouped by commas, no trailing zeros."""
    return format(value, ",.15g")


def chart_description(chart: Chart, caption: str) -> str:
    """A chart's alt text, alike in every format: what it is, its caption, and every value
    by category, so a reader who cannot see it has the same data."""
    head = chart_label(chart.kind) + (f": {caption}" if caption else "")
    rows = []
    for index, category in enumerate(chart.categories):
        values = ", ".join(f"{series.name} {number_text(series.values[index])}"
                           for series in chart.series)
        rows.append(f"{category}: {values}")
    return f"{head}. " + "; ".join(rows) + "."
