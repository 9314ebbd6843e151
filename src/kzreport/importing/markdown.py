"""The one writer of source text (YAML front matter, Markdown body) from model content."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import assert_never

from kzreport.anchors import auto_identifier, unique
from kzreport.body import Body, read_body
from kzreport.citations import Citer
from kzreport.model import (
    Block,
    Blocks,
    Citation,
    CodeBlock,
    CrossRef,
    DefinitionList,
    Figure,
    Footnote,
    FootnoteRef,
    Heading,
    Inlines,
    KeyPoint,
    KeyPoints,
    LineBreak,
    ListBlock,
    Metadata,
    PageBreak,
    Paragraph,
    Quote,
    Rule,
    Span,
    Table,
    merge_spans,
    plain_text,
)
from kzreport.source_checks import Problems

#: Paragraphs are wrapped at about this many characters, as the example paper is.
WIDTH = 100
#: Characters that mean something in Markdown text (and ``~ ^ :``, which Pandoc's Markdown
#: uses for strikethrough, sub/superscript and definition lists): always escaped in text.
_SPECIAL = re.compile(r"([\\`*_\[\]<>|~^])")
#: An '@' that would start a citation (Pandoc's ``@key``); an address's stays as it is.
_CITATION = re.compile(r"(?<![\w@])@(?=[\w{])")
#: An ``&`` that would start a character reference.
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
#: A line that would start a block (heading, list, quote, rule, setext underline, table, ...).
_BLOCK_START = re.compile(r"[#\-+=:>]|\d{1,9}[.)]")
#: Bold and italic delimiters, tried in turn until the text reads back as written.
_MARKS = (("**", "*"), ("**", "_"), ("__", "*"), ("__", "_"))
#: Marks a space the wrapping may break a line at.
_BREAKABLE = "\x00"
_ALIGN = {"left": ":---", "center": ":---:", "right": "---:", None: "---"}


def write_source(meta: Metadata, blocks: Blocks, folder: Path,
                 footnotes: Sequence[Footnote] = ()) -> str:
    """The source text of a paper: ``meta`` as front matter, ``blocks`` as its body and
    ``footnotes`` as definitions after it, with figure paths relative to ``folder`` (where the
    source will be written)."""
    writer = _Writer(folder, note_labels(footnotes), explicit_anchors(blocks))
    body = writer.blocks(blocks)
    defined: set[str] = set()
    for note in footnotes:  # a label referred to twice is two notes of one definition
        if writer.labels[note.number] not in defined:
            defined.add(writer.labels[note.number])
            body += ["", *writer.footnote(note)]
    return "---\n" + front_matter(meta) + "---\n\n" + "\n".join(body) + "\n"


def note_labels(footnotes: Sequence[Footnote]) -> dict[int, str]:
    """The label each note is written with: its own, else its number (told apart from the
    labels written)."""
    used = {note.label for note in footnotes if note.label}
    return {note.number: note.label or unique(str(note.number), used) for note in footnotes}


def explicit_anchors(blocks: Blocks) -> set[int]:
    """The positions of the headings in ``blocks`` whose identifier must be written
    (``{#id}``): those the parser's automatic identifier would not give, as ``anchored``
    assigns them (written identifiers first, then the automatic ones, told apart)."""
    headings = [(n, b) for n, b in enumerate(blocks) if isinstance(b, Heading | KeyPoints)]
    explicit: set[int] = set()
    while True:
        used = {b.anchor for n, b in headings if n in explicit}
        missed = set()
        for n, block in headings:  # (no identifier yet: the automatic one, whatever it is)
            if n not in explicit and block.anchor and \
                    unique(auto_identifier(_heading_text(block)), used) != block.anchor:
                missed.add(n)
        if not missed:
            return explicit
        explicit |= missed


def _heading_text(block: Heading | KeyPoints) -> str:
    return plain_text(block.inlines) if isinstance(block, Heading) else block.title


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
    if meta.toc:
        data["toc"] = True
    if meta.acronyms:
        data["acronyms"] = dict(meta.acronyms)
    return str(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=WIDTH,
                              default_flow_style=False))


def escape(text: str) -> str:
    """``text`` with every character Markdown would read as syntax escaped."""
    return _CITATION.sub(r"\\@", _ENTITY.sub(r"\\&", _SPECIAL.sub(r"\\\1", text)))


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
                breakable: bool = False, labels: Mapping[int, str] | None = None,
                links: str = "outside") -> str:
    """``inlines`` as Markdown on one logical line (hard breaks as a backslash and a newline,
    a footnote reference as ``[^label]``, its label from ``labels``, else its number);
    ``breakable`` marks single spaces of plain text where wrapping may break the line.
    Formatting that goes on longest opens first; between two that go on as long, a link opens
    first (``links="outside"``) or last (``"inside"``); ``"first"`` opens a link before any
    other formatting, closing and opening again what goes on past it; ``"notes"`` keeps a
    footnote reference inside the formatting before it; ``"split"`` closes everything where
    the formatting changes and opens it again, a link first."""
    # Each run: its open formatting (bold, italic, strike, one link) and its Markdown; None
    # for a break or a note, which keep open what goes on after them.
    runs: list[tuple[frozenset[str] | None, str]] = []
    for item in inlines:
        match item:
            case Span():
                attrs = {name for name, on in (("b", item.bold), ("i", item.italic),
                                               ("s", item.strike)) if on}
                if item.href is not None:
                    attrs.add("link:" + item.href)
                if item.code:
                    text = _code(item.text)
                elif item.script is not None:
                    # Pandoc's ~sub~ and ^super^ hold plain text, spaces escaped.
                    mark = "~" if item.script == "sub" else "^"
                    text = mark + re.sub(r"\s", lambda m: "\\" + m.group(), escape(item.text)
                                         ) + mark
                else:
                    text = escape(item.text)
                    if runs and runs[-1][1].startswith("[^") and text.startswith((":", "(")):
                        text = "\\" + text  # else a note's definition or a link's address
                    if breakable:
                        text = re.sub(r"(?<=\S) (?=\S)", _BREAKABLE, text)
                runs.append((frozenset(attrs), text))
            case LineBreak():
                runs.append((None, "\\\n"))
            case FootnoteRef():
                label = (labels or {}).get(item.number, str(item.number))
                runs.append((None, f"[^{label}]"))
            case CrossRef():
                runs.append((None, f"@{item.target}"))
            case Citation():
                pass  # a marker: its formatted text follows it, and is written as such
            case _:
                assert_never(item)
    bold, italic = marks

    def delimiter(attr: str, opening: bool) -> str:
        if attr.startswith("link:"):
            href = attr[len("link:"):].replace("(", "\\(").replace(")", "\\)")
            return "[" if opening else f"]({href})"
        return {"b": bold, "i": italic, "s": "~~"}[attr]

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
        if wanted is None and links == "notes" and text.startswith("[^"):
            wanted = frozenset(stack)  # a note inside the formatting before it
        elif wanted is None:  # a break or note: close what does not go on after it, here;
            # at the very end, keep it open for a break (a paragraph's last break lives only
            # inside a link), not for a note (which would then be the link's)
            wanted = next((w for w, _ in runs[index + 1:] if w is not None),
                          frozenset(stack) if text == "\\\n" else frozenset())
        if runs[index][0] is None and text.startswith("[^"):
            # (a note inside a link's text would end the link there)
            wanted = frozenset(a for a in wanted if not a.startswith("link:"))
        keep = 0
        while keep < len(stack) and stack[keep] in wanted and (
                links != "split" or wanted == frozenset(stack)):
            keep += 1
        out.extend(delimiter(a, False) for a in reversed(stack[keep:]))
        del stack[keep:]
        if runs[index][0] is not None:
            # A delimiter never opens against the same character just written ('~~' after a
            # closing '~~' would read as one run of four), when another can open first.
            after = out[-1][-1:] if out else ""
            opening = sorted((a for a in wanted if a not in stack),
                             key=lambda a: (after in "*_~" and delimiter(a, True)[0] == after,
                                            links in ("first", "split")
                                            and not a.startswith("link:"),
                                            -reach(index, a),
                                            a.startswith("link:") != (links != "inside"), a))
            if any(a.startswith("link:") for a in opening) and out and out[-1].endswith("!"):
                out[-1] = out[-1][:-1] + "\\!"  # else '![' would open an image
            out.extend(delimiter(a, True) for a in opening)
            stack.extend(opening)
        out.append(text)
    out.extend(delimiter(a, False) for a in reversed(stack))
    return "".join(out)


def _read_back(text: str, path: Path = Path("import.md")) -> Body:
    """``text`` read as a paper's body (citations as a paper without a bibliography)."""
    problems = Problems(path)
    return read_body(text, path, problems, 0, Citer(None, problems, "en-US"))


def _reads_back(text: str, expected: Inlines) -> bool:
    """Whether the paragraph ``text`` parses to exactly ``expected`` (footnote references
    in the same places: the paragraph alone has no definitions, and numbers its own)."""
    blocks = _read_back(text).blocks
    return len(blocks) == 1 and isinstance(blocks[0], Paragraph) and \
        _unnumbered(blocks[0].inlines) == _unnumbered(expected)


def _unnumbered(inlines: Inlines) -> Inlines:
    """``inlines`` as the parser gives them back, footnote numbers aside: neighbouring spans
    of one formatting joined, empty ones dropped."""
    return tuple(merge_spans(FootnoteRef(0) if isinstance(item, FootnoteRef) else item
                             for item in inlines))


def paragraph_lines(inlines: Inlines, width: int = WIDTH,
                    labels: Mapping[int, str] | None = None) -> list[str]:
    """A paragraph of ``inlines`` wrapped at ``width``, in the first choice of delimiters
    (and of links outside or inside emphasis) that reads back as ``inlines`` (the first choice
    when none does)."""
    choices = (_wrapped(inline_text(inlines, marks, True, labels, order), width)
               for order in ("outside", "inside", "first", "notes", "split")
               for marks in _MARKS)
    first = next(choices)
    if _reads_back("\n".join(first), inlines):
        return first
    return next((lines for lines in choices if _reads_back("\n".join(lines), inlines)), first)


def _wrapped(text: str, width: int) -> list[str]:
    """``text`` broken into lines of about ``width`` characters at breakable spaces, never
    before a word that would start a block; its own lines (hard breaks) kept."""
    lines: list[str] = []
    for logical in text.split("\n"):
        words = logical.split(_BREAKABLE)
        line = _line_start(words[0])
        for word in words[1:]:
            # Never before a word that would open a note's definition or a fence.
            if len(line) + 1 + len(word) > width and not _BLOCK_START.match(word) \
                    and not word.startswith(("*", "_", "`", "[^", "~")):
                lines.append(line)
                line = word
            else:
                line += " " + word
        lines.append(line)
    return lines


class _Writer:
    """Turns blocks into Markdown lines; containers indent what they hold."""

    def __init__(self, folder: Path, labels: Mapping[int, str] = {},
                 explicit: set[int] = set()) -> None:  # noqa: B006 (never changed)
        self.folder = folder
        #: The label each footnote reference is written with, by the note's number.
        self.labels = labels
        #: The positions of the top-level headings written with their identifier.
        self.explicit = explicit
        #: The width left for text inside the lists and quotes being written.
        self.width = WIDTH
        #: The marker of the list ``block`` last wrote, if it wrote one.
        self.marker: str | None = None
        self.top = True

    def nested(self, blocks: Blocks, indent: int) -> list[str]:
        """``blocks`` written to sit ``indent`` columns in."""
        self.width -= indent
        top, self.top = self.top, False
        try:
            return self.blocks(blocks)
        finally:
            self.width += indent
            self.top = top

    def blocks(self, blocks: Blocks) -> list[str]:
        out: list[str] = []
        #: The marker of the list just written: a list right after it takes the other one,
        #: or the two would read as one list.
        previous: str | None = None
        top = self.top
        for n, block in enumerate(blocks):
            if out:
                out.append("")
            self.marker = None
            lines = self.block(block, previous)
            if top and n in self.explicit and isinstance(block, Heading | KeyPoints):
                lines[0] += " {#" + block.anchor + "}"
            out.extend(lines)
            previous = self.marker
        return out

    def paragraph(self, inlines: Inlines, width: int) -> list[str]:
        return paragraph_lines(inlines, width, self.labels)

    def line(self, inlines: Inlines) -> str:
        """``inlines`` on one line (a heading, a term, a table cell or caption), written as
        a paragraph of them would be."""
        return "\n".join(paragraph_lines(inlines, 1 << 30, self.labels))

    def block(self, block: Block, previous: str | None) -> list[str]:
        match block:
            case Heading():
                text = self.line(block.inlines)
                return ["#" * block.level + " " + _closed(text, block.inlines)]
            case Paragraph():
                return self.paragraph(block.inlines, max(self.width, WIDTH // 2))
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
                return self.table(block)
            case Figure():
                return self.figure(block)
            case KeyPoints():
                return self.key_points(block, previous)
            case DefinitionList():
                return self.definitions(block)
            case PageBreak():
                return ["\\newpage"]
            case _:
                assert_never(block)

    def definitions(self, block: DefinitionList) -> list[str]:
        """Pandoc's definition list: each term on its line, each definition after ``:``,
        indented by four columns."""
        out: list[str] = []
        for item in block.items:
            if out:
                out.append("")
            out.append(self.line(item.term))
            for definition in item.definitions:
                out += _indented(":   ", self.nested(definition, 4)) if definition else [":"]
        return out

    def footnote(self, note: Footnote) -> list[str]:
        """A footnote's definition: its paragraphs indented under ``[^label]:``."""
        label = self.labels.get(note.number, str(note.number))
        lines: list[str] = []
        for paragraph in note.paragraphs:
            if lines:
                lines.append("")
            lines += self.paragraph(paragraph.inlines, WIDTH - max(4, len(label) + 5))
        return _indented(f"[^{label}]: ", lines, 4) if lines else [f"[^{label}]:"]

    def table(self, table: Table) -> list[str]:
        def row(cells: Sequence[Inlines]) -> str:
            return "| " + " | ".join(self.line(c).replace("\n", " ")
                                     for c in cells) + " |"

        width = len(table.header)
        rule = "|" + "|".join(_ALIGN[table.alignments[c] if c < len(table.alignments) else None]
                              for c in range(width)) + "|"
        lines = [row(table.header), rule, *(row(r) for r in table.rows)]
        # A label, a chart's kind, a landscape page and column widths are the caption's attributes.
        attributes = [f"#{table.anchor}"] if table.anchor else []
        attributes += [f".chart-{table.chart.kind}"] if table.chart is not None else []
        attributes += [".landscape"] if table.landscape else []
        if table.widths:
            attributes.append('widths="' + " ".join(_number(w) for w in table.widths) + '"')
        if table.caption or attributes:
            # Pandoc's caption after the table.
            caption = _closed(self.line(table.caption), table.caption)
            if attributes:
                caption += " {" + " ".join(attributes) + "}"
            lines += ["", ": " + caption]
        return lines

    def figure(self, figure: Figure) -> list[str]:
        path = Path(os.path.relpath(figure.path, self.folder)).as_posix()
        if re.search(r"[\s()<>\\]", path):
            path = "<" + re.sub(r"([<>\\])", r"\\\1", path) + ">"
        caption = ""
        if figure.caption:
            text = _ENTITY.sub(r"\\&", re.sub(r'(["\\])', r"\\\1", figure.caption))
            caption = f' "{text}"'
        label = f"{{#{figure.anchor}}}" if figure.anchor else ""
        # The parser keeps the alt text as written (white space joined), so it is written as
        # it is, unless it would not read back so (brackets that do not pair, a code span
        # hiding one). An alt text that ends in a backslash (a hard break's, as written) ends
        # its line, as a hard break does: before ']' the backslash would escape it.
        alt = figure.alt
        for _ in range(2):
            written = f"![{alt}" + ("\n" if alt.endswith("\\") else "") + f"]({path}{caption})"
            read = _read_back(written, self.folder / "import.md").blocks
            if len(read) == 1 and isinstance(read[0], Figure) and read[0].alt == figure.alt:
                break
            alt = alt.replace("[", "(").replace("]", ")").replace("`", "'")
        return (written + label).split("\n")

    def key_points(self, section: KeyPoints, previous: str | None) -> list[str]:
        items = [[*self.key_point(point), *(["", *self.nested(point.details, 2)]
                                            if point.details else [])]
                 for point in section.points]
        self.marker = "-"  # after a heading: nothing before it to join
        return ["## " + _closed(escape(section.title), (Span(section.title),)), "",
                *_list(items, 1, self.marker)]

    def key_point(self, point: KeyPoint) -> list[str]:
        """A key point's paragraph: its bold headline, the separator the outputs print (or a
        space, where text after the headline would join it), its text."""
        from kzreport.body import split_headline
        from kzreport.labels import headline_separator

        if not point.headline:
            return self.paragraph(point.inlines, WIDTH - 2)
        written: list[list[str]] = []
        for separator in dict.fromkeys((headline_separator(point), " ")):
            lines = self.paragraph((*(point.headline_inlines or (Span(point.headline, bold=True),)),
                                    Span(separator), *point.inlines), WIDTH - 2)
            read = _read_back("\n".join(lines)).blocks
            if len(read) == 1 and isinstance(read[0], Paragraph):
                headline, _, rest = split_headline(read[0].inlines)
                if (headline, _unnumbered(rest)) == (point.headline, _unnumbered(point.inlines)):
                    return lines
            written.append(lines)
        return written[0]


def _closed(text: str, inlines: Inlines) -> str:
    """A heading's or caption's Markdown ``text`` safe at the end of its line: a closing
    ``#`` or ``}`` of its text would be read as a closing sequence or as attributes."""
    last = inlines[-1] if inlines else None
    if isinstance(last, Span) and not last.code and last.script is None \
            and text.endswith(("#", "}")):
        return text[:-1] + "\\" + text[-1]
    return text


def _indented(first: str, lines: list[str], indent_by: int | None = None) -> list[str]:
    """``lines`` after ``first`` (a marker), the rest indented as far or ``indent_by`` columns
    (blank lines kept)."""
    indent = " " * (len(first) if indent_by is None else indent_by)
    return [first + lines[0], *(indent + line if line else "" for line in lines[1:])]


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
        # A rule opening an item: "- ---" would read as one longer rule, not an item.
        out.append(marker + ("***" if lines[0] == "---" and kind == "-" else lines[0]))
        out.extend(indent + line if line else "" for line in lines[1:])
    return out


def _number(value: float) -> str:
    """``value`` as short as it reads back the same: ``2`` for 2.0, ``0.5``, every digit of
    ``1/3``."""
    short = f"{value:g}"
    return short if float(short) == value else repr(value)
