"""The one writer of source text (YAML front matter, Markdown body) from model content."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import assert_never

from kzreport.body import read_body
from kzreport.model import (
    Block,
    Blocks,
    CodeBlock,
    Figure,
    Heading,
    Inline,
    Inlines,
    KeyPoints,
    LineBreak,
    ListBlock,
    Metadata,
    Paragraph,
    Quote,
    Rule,
    Span,
    Table,
)
from kzreport.source_checks import Problems

#: Paragraphs are wrapped at about this many characters, as the example paper is.
WIDTH = 100
#: Characters that mean something in Markdown text (and ``~ ^ :``, which Pandoc's Markdown
#: uses for strikethrough, sub/superscript and definition lists): always escaped in text.
_SPECIAL = re.compile(r"([\\`*_\[\]<>|~^])")
#: An ``&`` that would start a character reference.
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
#: A line that would start a block (heading, list, quote, rule, setext underline, table, ...).
_BLOCK_START = re.compile(r"[#\-+=:>]|\d{1,9}[.)]")
#: Bold and italic delimiters, tried in turn until the text reads back as written.
_MARKS = (("**", "*"), ("**", "_"), ("__", "*"), ("__", "_"))
#: Marks a space the wrapping may break a line at.
_BREAKABLE = "\x00"
_ALIGN = {"left": ":---", "center": ":---:", "right": "---:", None: "---"}


def write_source(meta: Metadata, blocks: Blocks, folder: Path) -> str:
    """The source text of a paper: ``meta`` as front matter, ``blocks`` as its body, with
    figure paths relative to ``folder`` (where the source will be written)."""
    body = _Writer(folder).blocks(blocks)
    return "---\n" + front_matter(meta) + "---\n\n" + "\n".join(body) + "\n"


def front_matter(meta: Metadata) -> str:
    """``meta`` as YAML, keys in the order docs/source-format.md lists them."""
    import yaml

    data: dict[str, object] = {"title": meta.title}
    if meta.subtitle:
        data["subtitle"] = meta.subtitle
    data["authors"] = [a.name if a.affiliation is None else
                       {"name": a.name, "affiliation": a.affiliation} for a in meta.authors]
    data["date"] = meta.date
    for key in ("organization", "summary", "marking"):
        if value := getattr(meta, key):
            data[key] = value
    if meta.keywords:
        data["keywords"] = list(meta.keywords)
    data["language"] = meta.language
    if meta.links:
        data["links"] = [{"label": link.label, "url": link.url} for link in meta.links]
    if meta.disclaimer:
        data["disclaimer"] = meta.disclaimer
    if meta.layout:
        data["layout"] = meta.layout
    return str(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=WIDTH,
                              default_flow_style=False))


def escape(text: str) -> str:
    """``text`` with every character Markdown would read as syntax escaped."""
    return _ENTITY.sub(r"\\&", _SPECIAL.sub(r"\\\1", text))


def _line_start(line: str) -> str:
    """``line`` made safe to stand at the start of a line (no heading, list or rule)."""
    match = _BLOCK_START.match(line)
    if match is None:
        return line
    at = match.end() - 1
    return line[:at] + "\\" + line[at:]


def _code(text: str) -> str:
    """A code span of ``text``: a fence longer than any run of backticks in it."""
    fence = "`" * (max((len(r) for r in re.findall("`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or (
        text.startswith(" ") and text.endswith(" ") and text.strip()) else ""
    return fence + pad + text + pad + fence


def inline_text(inlines: Inlines, marks: tuple[str, str] = _MARKS[0],
                breakable: bool = False) -> str:
    """``inlines`` as Markdown on one logical line (hard breaks as a backslash and a newline);
    ``breakable`` marks single spaces of plain text where wrapping may break the line."""
    # Each run: its open formatting (bold, italic, one link) and its Markdown.
    runs: list[tuple[frozenset[str] | None, str]] = []
    for item in inlines:
        match item:
            case Span():
                attrs = {name for name, on in (("b", item.bold), ("i", item.italic)) if on}
                if item.href is not None:
                    attrs.add("link:" + item.href)
                if item.code:
                    text = _code(item.text)
                else:
                    text = escape(item.text)
                    if breakable:
                        text = re.sub(r"(?<=\S) (?=\S)", _BREAKABLE, text)
                runs.append((frozenset(attrs), text))
            case LineBreak():
                runs.append((None, "\\\n"))
            case _:
                assert_never(item)
    bold, italic = marks

    def delimiter(attr: str, opening: bool) -> str:
        if attr.startswith("link:"):
            href = attr[len("link:"):].replace("(", "\\(").replace(")", "\\)")
            return "[" if opening else f"]({href})"
        return bold if attr == "b" else italic

    def reach(index: int, attr: str) -> int:
        """How many runs from ``index`` on keep ``attr`` (breaks do not end it)."""
        count = 0
        for attrs, _ in runs[index:]:
            if attrs is not None and attr not in attrs:
                break
            count += 1
        return count

    out: list[str] = []
    stack: list[str] = []
    for index, (wanted, text) in enumerate(runs):
        if wanted is None:  # a break: close what does not go on after it, here, not after it
            wanted = next((w for w, _ in runs[index + 1:] if w is not None), frozenset())
        keep = 0
        while keep < len(stack) and stack[keep] in wanted:
            keep += 1
        out.extend(delimiter(a, False) for a in reversed(stack[keep:]))
        del stack[keep:]
        if runs[index][0] is not None:
            opening = sorted((a for a in wanted if a not in stack),
                             key=lambda a: (-reach(index, a), not a.startswith("link:"), a))
            if any(a.startswith("link:") for a in opening) and out and out[-1].endswith("!"):
                out[-1] = out[-1][:-1] + "\\!"  # else '![' would open an image
            out.extend(delimiter(a, True) for a in opening)
            stack.extend(opening)
        out.append(text)
    out.extend(delimiter(a, False) for a in reversed(stack))
    return "".join(out)


def _reads_back(text: str, expected: Inlines) -> bool:
    """Whether the paragraph ``text`` parses to exactly ``expected``."""
    blocks = read_body(text, Path("import.md"), Problems(Path("import.md")), 0)
    return len(blocks) == 1 and isinstance(blocks[0], Paragraph) and \
        blocks[0].inlines == expected


def paragraph_lines(inlines: Inlines, width: int = WIDTH) -> list[str]:
    """A paragraph of ``inlines`` wrapped at ``width``, in the first choice of delimiters
    that reads back as ``inlines`` (the first choice when none does)."""
    choices = [_wrapped(inline_text(inlines, marks, breakable=True), width) for marks in _MARKS]
    return next((lines for lines in choices if _reads_back("\n".join(lines), inlines)),
                choices[0])


def _wrapped(text: str, width: int) -> list[str]:
    """``text`` broken into lines of about ``width`` characters at breakable spaces, never
    before a word that would start a block; its own lines (hard breaks) kept."""
    lines: list[str] = []
    for logical in text.split("\n"):
        words = logical.split(_BREAKABLE)
        line = _line_start(words[0])
        for word in words[1:]:
            if len(line) + 1 + len(word) > width and not _BLOCK_START.match(word) \
                    and not word.startswith(("*", "_", "`")):
                lines.append(line)
                line = word
            else:
                line += " " + word
        lines.append(line)
    return lines


class _Writer:
    """Turns blocks into Markdown lines; containers indent what they hold."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        #: The width left for text inside the lists and quotes being written.
        self.width = WIDTH
        #: The marker of the list ``block`` last wrote, if it wrote one.
        self.marker: str | None = None

    def nested(self, blocks: Blocks, indent: int) -> list[str]:
        """``blocks`` written to sit ``indent`` columns in."""
        self.width -= indent
        try:
            return self.blocks(blocks)
        finally:
            self.width += indent

    def blocks(self, blocks: Blocks) -> list[str]:
        out: list[str] = []
        #: The marker of the list just written: a list right after it takes the other one,
        #: or the two would read as one list.
        previous: str | None = None
        for block in blocks:
            if out:
                out.append("")
            self.marker = None
            lines = self.block(block, previous)
            out.extend(lines)
            previous = self.marker
        return out

    def block(self, block: Block, previous: str | None) -> list[str]:
        match block:
            case Heading():
                text = _line_start(inline_text(block.inlines))
                if text.endswith("#"):  # else read as a closing sequence and dropped
                    text = text[:-1] + "\\#"
                return ["#" * block.level + " " + text]
            case Paragraph():
                return paragraph_lines(block.inlines, max(self.width, WIDTH // 2))
            case ListBlock():
                indent = len(str(block.start + len(block.items))) + 2 if block.ordered else 2
                items = [self.nested(item.blocks, indent) for item in block.items]
                self.marker = _marker(block.ordered, previous)
                return _list(items, block.start, self.marker)
            case Quote():
                return [f"> {line}" if line else ">" for line in self.nested(block.blocks, 2)] \
                    or [">"]
            case CodeBlock():
                fence = "`" * max(3, max((len(r) for r in re.findall("`+", block.text)),
                                         default=0) + 1)
                return [fence, *block.text.split("\n"), fence]
            case Rule():
                return ["---"]
            case Table():
                return _table(block)
            case Figure():
                return [self.figure(block)]
            case KeyPoints():
                return self.key_points(block, previous)
            case _:
                assert_never(block)

    def figure(self, figure: Figure) -> str:
        path = Path(os.path.relpath(figure.path, self.folder)).as_posix()
        if re.search(r"[\s()<>\\]", path):
            path = "<" + re.sub(r"([<>\\])", r"\\\1", path) + ">"
        # The parser keeps the alt text as written: only brackets must balance.
        alt = figure.alt.rstrip("\\")
        if alt.count("[") != alt.count("]") or re.search(r"`|\](?=\()", alt):
            alt = alt.replace("[", "(").replace("]", ")").replace("`", "'")
        caption = ""
        if figure.caption:
            text = _ENTITY.sub(r"\\&", re.sub(r'(["\\])', r"\\\1", figure.caption))
            caption = f' "{text}"'
        return f"![{alt}]({path}{caption})"

    def key_points(self, section: KeyPoints, previous: str | None) -> list[str]:
        from kzreport.labels import headline_separator

        items = []
        for point in section.points:
            inlines: Sequence[Inline] = point.inlines
            if point.headline:
                inlines = (Span(point.headline, bold=True), Span(headline_separator(point)),
                           *inlines)
            from kzreport.importing.found import tidy

            details = ["", *self.nested(point.details, 2)] if point.details else []
            items.append([*paragraph_lines(tidy(inlines), WIDTH - 2), *details])
        self.marker = "-"  # after a heading: nothing before it to join
        return ["## " + escape(section.title), "", *_list(items, 1, self.marker)]


def _marker(ordered: bool, previous: str | None) -> str:
    """A list's marker: ``-`` or ``1.``, or the other kind (``*``, ``1)``) after a list that
    used it."""
    if ordered:
        return ")" if previous == "." else "."
    return "*" if previous == "-" else "-"


def _list(items: list[list[str]], start: int, kind: str) -> list[str]:
    out: list[str] = []
    for n, lines in enumerate(items):
        marker = f"{start + n}{kind} " if kind in ".)" else f"{kind} "
        if not lines:
            out.append(marker.rstrip())
            continue
        indent = " " * len(marker)
        out.append(marker + lines[0])
        out.extend(indent + line if line else "" for line in lines[1:])
    return out


def _table(table: Table) -> list[str]:
    def row(cells: Sequence[Inlines]) -> str:
        return "| " + " | ".join(inline_text(c).replace("\n", " ") for c in cells) + " |"

    width = len(table.header)
    rule = "|" + "|".join(_ALIGN[table.alignments[c] if c < len(table.alignments) else None]
                          for c in range(width)) + "|"
    return [row(table.header), rule, *(row(r) for r in table.rows)]
