"""Pandoc's table captions (``: Caption``) and their attributes (chart, landscape, widths), read."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from kzreport.anchors import EXPLICIT_ID
from kzreport.literal_syntax import ATTRIBUTES
from kzreport.model import (
    CHART_KINDS,
    Block,
    Chart,
    ChartKind,
    Inlines,
    Paragraph,
    Series,
    Span,
    Table,
    plain_text,
)
from kzreport.source_checks import Problems

#: What opens a caption paragraph, as Pandoc's ``table_captions`` extension reads it.
_CAPTION_START = re.compile(r"(?:[Tt]able)?:\s+")
#: A Pandoc attribute block closing the caption: ``{#tbl:id .class key=value}``.
_ATTRIBUTES = re.compile(r"\s*\{([^{}]*)\}\s*$")
#: One attribute of the block: a class, an identifier or ``key=value`` (the value quoted or not).
_ATTRIBUTE = re.compile(r"""(?P<key>[\w-]+)=(?P<value>"[^"]*"|'[^']*'|\S*)|\S+""")
#: The caption class that sets a table on a landscape page.
LANDSCAPE = ".landscape"
#: The caption classes that draw a table as a chart.
_CLASSES: dict[str, ChartKind] = {f".chart-{kind}": kind for kind in CHART_KINDS}
#: A number as tables write them: a sign (or U+2212 minus), thousands separated by commas or
#: spaces, a decimal point, an optional percent sign.
_NUMBER = re.compile(r"[+\-\u2212]?(?:\d{1,3}(?:[, \u00a0\u202f]\d{3})+|\d+)?(?:\.\d+)?%?")


def attach_captions(blocks: list[Block], problems: Problems) -> list[Block]:
    """``blocks`` with each caption paragraph right after a table (or, failing that, right
    before it) folded into that table as its caption, and its chart class read."""
    out: list[Block] = []
    index = 0
    while index < len(blocks):
        block = blocks[index]
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if isinstance(block, Table) and isinstance(following, Paragraph) \
                and _is_caption(following):
            out.append(_captioned(block, following, problems))
            index += 2
            continue
        if isinstance(block, Paragraph) and _is_caption(block) and isinstance(following, Table) \
                and not _caption_after(blocks, index + 1):
            out.append(_captioned(following, block, problems))
            index += 2
            continue
        out.append(block)
        index += 1
    return out


def _caption_after(blocks: list[Block], at: int) -> bool:
    """Whether the table at ``at`` has a caption paragraph after it (which wins)."""
    following = blocks[at + 1] if at + 1 < len(blocks) else None
    return isinstance(following, Paragraph) and _is_caption(following)


def _is_caption(paragraph: Paragraph) -> bool:
    first = paragraph.inlines[0] if paragraph.inlines else None
    return isinstance(first, Span) and not first.code and bool(_CAPTION_START.match(first.text))


def _captioned(table: Table, paragraph: Paragraph, problems: Problems) -> Table:
    """``table`` with ``paragraph``'s text (its ``Table:`` opening and attributes taken off)
    as caption, and a chart when the attributes name one."""
    inlines = list(paragraph.inlines)
    first = inlines[0]
    assert isinstance(first, Span)
    inlines[0] = replace(first, text=_CAPTION_START.sub("", first.text, count=1))
    attributes = ""
    last = inlines[-1]
    if isinstance(last, Span) and not last.code and (found := _ATTRIBUTES.search(last.text)):
        attributes = found.group(1)
        inlines[-1] = replace(last, text=last.text[:found.start()])
        _read_attributes(problems, paragraph.line, found.group().strip())
    caption: Inlines = tuple(i for i in inlines if not (isinstance(i, Span) and not i.text))
    kind: ChartKind | None = None
    anchor = ""
    landscape = False
    widths: tuple[float, ...] = ()
    for found in _ATTRIBUTE.finditer(attributes):
        attribute, key, value = found.group(), found.group("key"), found.group("value")
        if attribute in _CLASSES and kind is None:
            kind = _CLASSES[attribute]
        elif attribute.startswith("#tbl-") and EXPLICIT_ID.fullmatch(attribute[1:]) \
                and not anchor:
            anchor = attribute[1:]
        elif attribute == LANDSCAPE and not landscape:
            landscape = True
        elif key == "widths" and not widths:
            widths = _widths(value.strip("\"'"), len(table.header), problems, paragraph.line)
        else:
            problems.add(paragraph.line, f"table caption attribute '{attribute}' is not "
                         "supported", "label the table with {#tbl-NAME}; use {.landscape}, "
                         "{widths=\"1 3 2\"} or one of "
                         + ", ".join(f"{{.chart-{k}}}" for k in CHART_KINDS))
    chart = _chart(table, kind, problems, paragraph.line) if kind else None
    return replace(table, caption=caption, chart=chart, anchor=anchor, landscape=landscape,
                   widths=widths)


def _widths(value: str, columns: int, problems: Problems, line: int) -> tuple[float, ...]:
    """The relative column widths ``widths="1 3 2"`` gives: one positive number a column."""
    try:
        widths = tuple(float(word) for word in value.split())
    except ValueError:
        widths = ()
    if len(widths) != columns or not all(0 < width < float("inf") for width in widths):
        problems.add(line, f"widths=\"{value}\" does not give the table's {columns} columns "
                     "each a positive width", f"write {columns} numbers, e.g. widths=\""
                     + " ".join(["1"] * columns) + "\"")
        return ()
    return widths


def _read_attributes(problems: Problems, line: int, attributes: str) -> None:
    """Drop the warning the body's look-alike check gave ``attributes`` while their caption
    was a paragraph: a caption's attributes are read (and any unsupported one reported)."""
    quoted = f"'{attributes[:40]}' looks like {ATTRIBUTES}"
    problems.warnings = [w for w in problems.warnings if not (
        w.line is not None and w.line >= line and w.message.startswith(quoted))]


def _chart(table: Table, kind: ChartKind, problems: Problems, line: int) -> Chart | None:
    """The chart of ``table``'s data: the first column names the categories, every other
    column is a series of numbers."""
    if len(table.header) < 2 or not table.rows:
        problems.add(line, "a chart needs a column of categories, a column of numbers and at "
                     "least one row", "add the columns and rows, or remove the {.chart-…} class")
        return None
    if kind == "pie" and len(table.header) != 2:
        problems.add(line, f"a pie chart shows one series, the table has {len(table.header) - 1}",
                     "keep one column of numbers, or use {.chart-column} or {.chart-bar}")
        return None
    series = []
    for column in range(1, len(table.header)):
        values = []
        for number, row in enumerate(table.rows, 1):
            text = plain_text(row[column]).strip()
            value = parse_number(text)
            if value is None:
                problems.add(line, f"cell {column + 1} of row {number} of the chart's table, "
                             f"'{text[:30]}', is not a number",
                             "write a number such as 1,250 or 12.5 or 40%")
                return None
            if kind == "pie" and value < 0:
                problems.add(line, f"a pie chart cannot show the negative value '{text}'",
                             "use {.chart-column} or {.chart-bar}")
                return None
            values.append(value)
        series.append(Series(plain_text(table.header[column]).strip(), tuple(values)))
    categories = tuple(plain_text(row[0]).strip() for row in table.rows)
    return Chart(kind, categories, tuple(series))


def parse_number(text: str) -> float | None:
    """The number a table cell writes (``1,250``, ``−3.5``, ``40%``), or None."""
    if not text or not _NUMBER.fullmatch(text) or not any(c.isdigit() for c in text):
        return None
    plain = re.sub(r"[, \u00a0\u202f%]", "", text.replace("\u2212", "-"))
    return float(plain)


def table_chart(table: Table, kind: ChartKind) -> tuple[Chart | None, str]:
    """``table`` drawn as a ``kind`` chart, else None and why not: for tables that come from
    elsewhere than a source (an imported Word chart)."""
    problems = Problems(Path("table"))
    chart = _chart(table, kind, problems, table.line)
    return chart, (problems.items[0].message if problems.items else "")
