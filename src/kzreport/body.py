"""Read a paper's Markdown body (markdown-it tokens) into model blocks, key points included."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import replace
from itertools import takewhile
from pathlib import Path
from typing import Any, assert_never
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.rules_block.table import escapedSplit
from markdown_it.token import Token

from kzreport.anchors import anchored, heading_attributes
from kzreport.assets import image_problem
from kzreport.body_notes import Notes, trimmed
from kzreport.citations import Citer
from kzreport.crossrefs import References, is_attributes
from kzreport.layout import heading_key
from kzreport.literal_syntax import TASK_BOX, lookalikes
from kzreport.model import (
    Block,
    Blocks,
    Citation,
    CodeBlock,
    CrossRef,
    Definition,
    DefinitionList,
    Figure,
    Footnote,
    FootnoteRef,
    Heading,
    Inline,
    Inlines,
    KeyPoint,
    KeyPoints,
    LineBreak,
    ListBlock,
    ListItem,
    PageBreak,
    Paragraph,
    Quote,
    Rule,
    Script,
    Span,
    Table,
    internal_target,
    merge_spans,
    plain_text,
)
from kzreport.records import record
from kzreport.source_checks import Problems, a_block_named, check_length, url_problem
from kzreport.syntax import pandoc_extensions
from kzreport.table_captions import attach_captions

#: markdown-it stops reading, silently dropping the rest of the paper, once blocks nest this
#: deep; ``MAX_NESTING_LEVEL`` refuses papers well before that.
_PARSER_NESTING = 100
#: How many levels of lists and quotes a paper may nest: a list level counts two (the list
#: and its item), a quote one.
MAX_NESTING_LEVEL = 24
_CONTAINERS = {"bullet_list_open", "ordered_list_open", "list_item_open", "blockquote_open"}
#: A paragraph holding only one of these is a page break: LaTeX's commands, which Pandoc
#: passes on and its users write, and Quarto's shortcode.
PAGE_BREAKS = ("\\newpage", "\\pagebreak", "{{< pagebreak >}}")


@record
class Body:
    """A parsed body: its blocks and its footnotes, in the order of their references."""

    blocks: Blocks
    footnotes: tuple[Footnote, ...]
    references: bool = False


def read_body(text: str, path: Path, problems: Problems, offset: int, cite: Citer,
              is_key_points: Callable[[str], bool] | None = None) -> Body:
    """The blocks and footnotes of body ``text``, which starts after line ``offset`` of the
    file at ``path``; ``cite`` finds and formats its citations, ``is_key_points`` tells the
    Key Points heading (by default the English one; the layout knows it in the paper's
    language)."""
    return _Body(path, problems, offset, cite, is_key_points or _english).parse(text)


def _english(heading: str) -> bool:
    return heading_key(heading) == "key points"


#: What a figure's caption (plain text) may hold that a writer means as Markdown: emphasis,
#: code, a citation or cross-reference, a footnote reference.
_CAPTION_MARKUP = re.compile(r"(?<![\w*])\*{1,2}[^\s*][^*]*\*{1,2}(?![\w*])"
                             r"|(?<!\w)__?[^\s_][^_]*__?(?!\w)|`[^`]+`"
                             r"|\[[^\]]*@[\w{][^\]]*\]|(?<![\w@\\])-?@\{?[A-Za-z0-9_][^\s,;\]]*"
                             r"|\^\[[^\]]*\]|\[\^[^\]]+\]")

class _Body:
    """Converts markdown-it tokens into model blocks, reporting problems at their source line."""

    def __init__(self, path: Path, problems: Problems, offset: int, cite: Citer,
                 is_key_points: Callable[[str], bool]) -> None:
        self.is_key_points = is_key_points
        self.path, self.cite = path, cite
        self.problems = problems
        self.offset = offset
        self.folder = path.resolve().parent
        #: A Key Points heading was found inside a list or quote (and reported there).
        self.nested_key_points = False
        # Every [^label] is a reference, so one without a definition is an error, never text
        # printed as is; definitions stay where they are written.
        self.md = pandoc_extensions(MarkdownIt("commonmark", {"html": True,
                                                              "maxNesting": _PARSER_NESTING})
                                    .enable(["table", "strikethrough"]))
        # Escaped characters stay tokens of their own, so text that looks like unsupported
        # syntax can be told from the same text escaped on purpose.
        self.md.disable("text_join")
        # Let every link through the tokenizer so a forbidden scheme is an error, not text.
        self.md.validateLink = lambda url: True  # type: ignore[method-assign]
        self.env: dict[str, Any] = {}
        self.lines: list[str] = []
        self.notes: Notes = cite.footnotes  # a notes style's citations are notes too
        self.in_footnote = False
        #: Links inside the paper: (line, target identifier), checked once headings are known.
        self.internal_links: list[tuple[int, str]] = []
        self.references = References(problems, [])

    def line(self, token: Token) -> int:
        return self.offset + (token.map[0] if token.map else 0) + 1

    def parse(self, body: str) -> Body:
        self.lines = body.split("\n")
        tokens = self.md.parse(body, self.env)
        deep = next((t for t in tokens if t.type in _CONTAINERS and t.level >= MAX_NESTING_LEVEL),
                    None)
        if deep is not None:
            self.problems.add(self.line(deep), "lists or quotes nested too deeply",
                              f"nest at most {MAX_NESTING_LEVEL // 2} list levels or "
                              f"{MAX_NESTING_LEVEL} quote levels")
        blocks, _ = self.blocks(tokens, 0, None, top=True)
        return Body(*self.references.resolve(anchored(
            self.key_points(blocks), self.internal_links, self.problems),
            self.notes.resolve()), bool(self.references.found))

    def blocks(self, tokens: list[Token], i: int, close: str | None,
               top: bool = False) -> tuple[list[Block], int]:
        out: list[Block] = []
        while i < len(tokens):
            token = tokens[i]
            if close is not None and token.type == close:
                return attach_captions(out, self.problems), i + 1
            handler: Callable[[list[Token], int], tuple[Block | None, int]] | None = {
                "heading_open": self.heading,
                "paragraph_open": self.paragraph,
                "bullet_list_open": self.list_block,
                "ordered_list_open": self.list_block,
                "blockquote_open": self.quote,
                "table_open": self.table,
                "dl_open": self.definition_list,
                "footnote_reference_open": self.footnote_definition,
            }.get(token.type)
            if token.type == "heading_open" and not top:
                self.problems.add(self.line(token), "heading inside a list or quote",
                                  "move the heading out to the left margin")
                i += 3  # heading_open, inline, heading_close: one problem is enough
                continue
            if handler is not None:
                block, i = handler(tokens, i)
                if block is not None:
                    out.append(block)
                continue
            if token.type in ("fence", "code_block"):
                out.append(CodeBlock(token.content.rstrip("\n"), self.line(token)))
            elif token.type == "hr":
                out.append(Rule(self.line(token)))
            elif token.type == "html_block" and token.content.lstrip().startswith("<!--"):
                self.problems.add(self.line(token), "HTML comment is not allowed",
                                  "delete it; comments would be lost in every output")
            elif token.type == "html_block":
                first = token.content.strip().split("\n")[0][:40]
                self.problems.add(self.line(token), f"raw HTML '{first}' is not allowed",
                                  "use Markdown instead (e.g. **bold**, lists, tables)")
            i += 1
        return attach_captions(out, self.problems), i

    def heading(self, tokens: list[Token], i: int) -> tuple[Block | None, int]:
        token = tokens[i]
        level = int(token.tag[1])
        anchor = heading_attributes(tokens[i + 1], self.line(token), self.problems)
        inlines = self.inlines(tokens[i + 1], self.line(token))
        if level == 1:
            self.problems.add(self.line(token), "level-1 heading in the body",
                              "the title comes from the front matter; use '##' for sections")
        elif level > 3:
            self.problems.add(self.line(token), f"level-{level} heading is too deep",
                              "use '##' for sections and '###' for subsections")
        elif not plain_text(inlines).strip():
            self.problems.add(self.line(token), "empty heading", "give the heading some text")
        return Heading(level, inlines, self.line(token), anchor), i + 3

    def paragraph(self, tokens: list[Token], i: int) -> tuple[Block | None, int]:
        line = self.line(tokens[i])
        inline = tokens[i + 1]
        children = [c for c in inline.children or []
                    if not (c.type == "text" and not c.content.strip())]
        if len(children) == 1 and children[0].type == "image":
            return self.figure(children[0], line), i + 3
        if len(children) == 2 and children[0].type == "image" and is_attributes(children[1]):
            return self.references.labelled(self.figure(children[0], line),
                                            children[1].content, line), i + 3
        if inline.content.strip() in PAGE_BREAKS:
            return PageBreak(line), i + 3
        return Paragraph(self.inlines(inline, line), line), i + 3

    def figure(self, image: Token, line: int) -> Figure | None:
        alt = " ".join(image.content.split())
        src = unquote(str(image.attrs.get("src", "")))
        shown = src[:80]
        caption = " ".join(str(image.attrs.get("title") or "").split())
        self.caption_markup(caption, line)
        if not src.strip():
            self.problems.add(line, "image has no path",
                              "write the image file's path between the parentheses")
            return None
        if not alt:
            self.problems.add(line, f"image '{shown}' has no alt text",
                              "describe the image between the brackets: ![what it shows](...)")
        try:
            remote = bool(urlsplit(src).scheme) or src.startswith("//")
        except ValueError:
            remote = True
        if remote:
            self.problems.add(line, f"image '{shown}' is not a local file",
                              "download the image next to the source and use a relative path")
            return None
        if os.path.isabs(src):
            self.problems.add(line, f"image path '{shown}' is absolute",
                              "use a path relative to the source file")
            return None
        try:
            target = Path(os.path.realpath(self.folder / src))
            inside = target.is_relative_to(self.folder)
            found = inside and target.is_file()
        except (OSError, ValueError):  # a NUL byte (%00) or a name too long for the system
            self.problems.add(line, f"image path '{shown}' is not a valid file name",
                              "rename the file to a short name of letters, digits and '-'")
            return None
        if not inside:
            self.problems.add(line, f"image '{shown}' is outside the source's folder",
                              "copy the image into the source's folder tree")
            return None
        if not found:
            self.problems.add(line, f"image '{shown}' not found",
                              "check the path; it is relative to the source file")
            return None
        problem = image_problem(target)
        if problem:
            self.problems.add(line, f"image '{shown}' {problem}",
                              "use a PNG or JPEG file under 40 megapixels")
            return None
        return Figure(target, alt, caption, line) if alt else None

    def list_block(self, tokens: list[Token], i: int) -> tuple[Block | None, int]:
        token = tokens[i]
        ordered = token.type == "ordered_list_open"
        close = "ordered_list_close" if ordered else "bullet_list_close"
        items = []
        i += 1
        while tokens[i].type != close:
            item_line = self.line(tokens[i])
            self.task_box(tokens, i + 1, item_line)
            blocks, i = self.blocks(tokens, i + 1, "list_item_close")
            items.append(ListItem(tuple(blocks), item_line))
        start = int(token.attrs.get("start", 1)) if ordered else 1
        return ListBlock(ordered, tuple(items), self.line(token), start), i + 1

    def task_box(self, tokens: list[Token], i: int, line: int) -> None:
        """Warn when a list item opens with a task box, which would print as brackets."""
        if tokens[i].type != "paragraph_open" or i + 1 >= len(tokens):
            return
        children = tokens[i + 1].children
        first = children[0] if children else None
        if first is not None and first.type == "text" and TASK_BOX.match(first.content):
            box = first.content[:3]
            self.problems.warn(line, f"task box '{box}' would print as text",
                               "write ☐ or ☒ for a box, or \\[ \\] to print the brackets")

    def definition_list(self, tokens: list[Token], i: int) -> tuple[Block | None, int]:
        """Terms (``dt``) each followed by definitions (``dd``): Pandoc's definition lists."""
        line = self.line(tokens[i])
        items: list[Definition] = []
        i += 1
        while tokens[i].type == "dt_open":
            term_line = self.line(tokens[i])
            term = self.inlines(tokens[i + 1], term_line)
            i += 3  # dt_open, inline, dt_close
            definitions: list[Blocks] = []
            while tokens[i].type == "dd_open":
                blocks, i = self.blocks(tokens, i + 1, "dd_close")
                definitions.append(tuple(blocks))
            items.append(Definition(term, tuple(definitions), term_line))
        return DefinitionList(tuple(items), line), i + 1

    def footnote_definition(self, tokens: list[Token], i: int) -> tuple[Block | None, int]:
        """A footnote's definition (``[^label]: text``): kept for its references, not a block."""
        line = self.line(tokens[i])
        label = str(tokens[i].meta["label"])
        self.in_footnote = True
        blocks, i = self.blocks(tokens, i + 1, "footnote_reference_close")
        self.in_footnote = False
        paragraphs = tuple(b for b in blocks if isinstance(b, Paragraph))
        if len(paragraphs) < len(blocks):
            other = next(b for b in blocks if not isinstance(b, Paragraph))
            self.problems.add(other.line, f"footnote [^{label}] holds "
                              f"{a_block_named(other)}", "a footnote holds paragraphs only; "
                              "move the rest into the text")
        self.notes.define(label, line, paragraphs)
        return None, i

    def footnote_reference(self, token: Token, line: int) -> FootnoteRef:
        """A reference to a footnote; an inline note (``^[text]``) brings its text along."""
        if self.in_footnote:
            self.problems.add(line, "a footnote reference inside a footnote",
                              "put the reference in the text, or merge the two notes")
        label = token.meta.get("label")
        if label is not None:
            return self.notes.refer(str(label), line)
        note = self.env["footnotes"]["list"][token.meta["id"]]
        inline = Token("inline", "", 0, content=note.get("content", ""),
                       children=note.get("tokens", []))
        self.in_footnote, outer = True, self.in_footnote
        paragraph = Paragraph(trimmed(self.inlines(inline, line)), line)
        self.in_footnote = outer
        return self.notes.refer(None, line, (paragraph,))

    def quote(self, tokens: list[Token], i: int) -> tuple[Block | None, int]:
        line = self.line(tokens[i])
        blocks, i = self.blocks(tokens, i + 1, "blockquote_close")
        return Quote(tuple(blocks), line), i

    def table(self, tokens: list[Token], i: int) -> tuple[Block | None, int]:
        line = self.line(tokens[i])
        header: list[Inlines] = []
        rows: list[list[Inlines]] = []
        alignments: list[Any] = []
        in_head = False
        while tokens[i].type != "table_close":
            token = tokens[i]
            if token.type == "thead_open":
                in_head = True
            elif token.type == "thead_close":
                in_head = False
            elif token.type == "tr_open" and not in_head:
                rows.append([])
                self.extra_cells(token, len(header))
            elif token.type in ("th_open", "td_open"):
                inline = tokens[i + 1]  # carries its row's lines; the cell token does not
                cell = self.inlines(inline, self.line(inline) if inline.map else line)
                if in_head:
                    header.append(cell)
                    style = str(token.attrs.get("style", ""))
                    alignments.append(style.split(":")[-1] if style else None)
                else:
                    rows[-1].append(cell)
            i += 1
        return Table(tuple(header), tuple(tuple(r) for r in rows), tuple(alignments), line), i + 1

    def extra_cells(self, row: Token, columns: int) -> None:
        """Warn about the cells of a table row beyond its header's, which GFM drops."""
        if not row.map or row.map[0] >= len(self.lines):
            return
        text = re.sub(r"^[\s>]*", "", self.lines[row.map[0]]).strip()
        cells = escapedSplit(text)
        if cells and cells[0] == "":
            cells.pop(0)
        if cells and cells[-1] == "":
            cells.pop()
        if len(cells) > columns:
            dropped = " | ".join(cell.strip() for cell in cells[columns:])
            self.problems.warn(self.offset + row.map[0] + 1, f"table row has {len(cells)} "
                               f"cells but the header {columns}: '{dropped[:60]}' is dropped",
                               "add a header cell for it, or remove the extra cell")

    def inlines(self, inline: Token, line: int) -> Inlines:
        out: list[Inline] = []
        bold = italic = strike = 0
        script: list[Script] = []
        href: str | None = None
        html_lines: set[int] = set()

        def span(text: str, code: bool = False) -> Span:
            return Span(text, bold > 0, italic > 0, code, href, strike > 0,
                        script[-1] if script else None)

        for child in inline.children or []:
            kind = child.type
            if kind in ("text", "text_special"):
                if "\ufffd" in child.content:
                    self.problems.add(line, "the text holds U+FFFD, the replacement character: "
                                      "a reference such as &#0; or &#7; or a damaged conversion "
                                      "made it", "write the intended character itself")
                if kind == "text":  # not escaped: may look like syntax by accident
                    self.lookalikes(child.content, line)
                pieces = (self.references.split(child.content, line, span)
                          if kind == "text" and href is None else [span(child.content)])
                for piece in pieces:  # cross-references first: '@fig-map' is not a citation
                    out.extend(self.cite.split(piece.text, line, self.in_footnote, span)
                               if isinstance(piece, Span) else [piece])
            elif kind == "code_inline":
                out.append(span(child.content, code=True))
            elif kind == "softbreak":
                out.append(span(" "))
                line += 1
            elif kind == "hardbreak":
                out.append(LineBreak())
                line += 1
            elif kind in ("strong_open", "strong_close"):
                bold += 1 if kind == "strong_open" else -1
            elif kind in ("em_open", "em_close"):
                italic += 1 if kind == "em_open" else -1
            elif kind in ("s_open", "s_close"):
                strike += 1 if kind == "s_open" else -1
            elif kind in ("sup_open", "sub_open"):
                script.append("super" if kind == "sup_open" else "sub")
            elif kind in ("sup_close", "sub_close"):
                script.pop()
            elif kind == "footnote_ref":
                out.append(self.footnote_reference(child, line))
            elif kind == "link_open":
                href = str(child.attrs.get("href", ""))
                if href.startswith("#"):  # markdown-it percent-encodes it; identifiers are text
                    href = "#" + unquote(href[1:])
                target = internal_target(href)
                problem = url_problem(href) if target is None else None
                if target is not None:
                    self.internal_links.append((line, target))
                if problem:
                    self.problems.add(line, *problem)
            elif kind == "link_close":
                href = None
            elif kind == "html_inline":
                if line not in html_lines:  # '<b>x</b>' is one problem, not two
                    html_lines.add(line)
                    self.problems.add(line, f"raw HTML '{child.content[:40]}' is not allowed",
                                      "use Markdown instead; write < as \\<")
                line += child.content.count("\n")
            elif kind == "image":
                self.problems.add(line, "image inside a line of text",
                                  "put each image in a paragraph of its own")
        spans = tuple(merge_spans(out))
        check_length(plain_text(spans), self.problems, line, "a paragraph")
        return spans

    def caption_markup(self, caption: str, line: int) -> None:
        """Warn about Markdown in a figure's caption (the image's title, which is plain text:
        emphasis, code, citations, cross-references, notes would print as written)."""
        self.lookalikes(caption, line)
        for found in _CAPTION_MARKUP.finditer(caption):
            self.problems.warn(
                line, f"'{found.group()[:40]}' in a figure's caption looks like Markdown, which "
                "the caption (the image's title, plain text) does not read; it prints as is",
                "write the caption as plain text (a source or a figure named in words), or "
                "put the emphasis, citation or reference in a paragraph beside the figure")

    def lookalikes(self, text: str, line: int) -> None:
        """Warn about ``text`` (not escaped) that looks like syntax kzreport does not read."""
        for found, what, fix in lookalikes(text):
            self.problems.warn(line, f"'{found[:40]}' looks like {what}; it prints as is", fix)

    def key_points(self, blocks: list[Block]) -> Blocks:
        """``blocks`` with the Key Points section made one (a paper without one is an
        information paper: its deck shows its sections)."""
        titled = [(i, b) for i, b in enumerate(blocks) if isinstance(b, Heading)
                  and self.is_key_points(plain_text(b.inlines))]
        found = [i for i, b in titled if b.level == 2]
        if not found:
            if titled and titled[0][1].level == 3:
                self.problems.add(titled[0][1].line, "the Key Points heading is level 3",
                                  "make it a level-2 heading: '## Key Points'")
            return tuple(blocks)
        for extra in found[1:]:
            self.problems.add(blocks[extra].line, "a second 'Key Points' section",
                              "keep one '## Key Points' section and merge the lists")
        at = found[0]
        heading = blocks[at]
        assert isinstance(heading, Heading)
        following = blocks[at + 1] if at + 1 < len(blocks) else None
        if isinstance(following, ListBlock) and following.ordered:
            self.problems.add(following.line, "the Key Points section starts with a numbered "
                              "list, not a bullet list", "write '- ' instead of '1. ' before "
                              "each key point")
            return tuple(blocks)
        if not isinstance(following, ListBlock):
            if following is None:
                self.problems.add(heading.line, "the Key Points section is empty",
                                  "put '- ' items right under '## Key Points'")
                return tuple(blocks)
            self.problems.add(following.line, "the Key Points section starts with "
                              f"{a_block_named(following)}, not a bullet list",
                              "put '- ' items right under '## Key Points'")
            return tuple(blocks)
        points = []
        for item in following.items:
            first = item.blocks[0] if item.blocks else None
            if not isinstance(first, Paragraph) or not plain_text(first.inlines).strip():
                self.problems.add(item.line, "key point has no text",
                                  "start each key point with a sentence")
                continue
            headline, written, rest = split_headline(first.inlines)
            points.append(KeyPoint(headline, rest, item.blocks[1:], item.line, written))
        section = KeyPoints(plain_text(heading.inlines).strip().rstrip(":").strip(),
                            tuple(points), heading.line, heading.anchor)
        return (*blocks[:at], section, *blocks[at + 2:])


def _is_bold(item: Inline) -> bool:
    """Whether ``item`` is bold text or a note or citation written in (or right after) it,
    and so part of a key point's headline."""
    match item:
        case Span():
            return item.bold
        case FootnoteRef() | Citation():
            return True
        case LineBreak() | CrossRef():
            return False
        case _:
            assert_never(item)


def _lstripped(item: Inline) -> Inline:
    """``item`` without the white space it starts with."""
    match item:
        case Span():
            return replace(item, text=item.text.lstrip())
        case LineBreak() | FootnoteRef() | CrossRef() | Citation():
            return item
        case _:
            assert_never(item)


def split_headline(inlines: Inlines) -> tuple[str | None, Inlines, Inlines]:
    """A leading bold phrase becomes the headline (its plain text, and as written, with the
    notes and citations in it); the rest is the key point's text. A citation marker whose
    (author-date) text is not bold cites from the text."""
    opens_bold = bool(inlines) and isinstance(inlines[0], Span) and inlines[0].bold
    count = len(list(takewhile(_is_bold, inlines))) if opens_bold else 0
    while count and isinstance(inlines[count - 1], Citation):
        count -= 1
    headline = plain_text(inlines[:count]).strip()
    if not headline:
        return None, (), inlines
    # Printed plain and bold, as the headline always was: only its notes keep their places.
    written = merge_spans(Span(plain_text((item,)), bold=True) if isinstance(item, Span)
                          else item for item in inlines[:count])
    written[0] = _lstripped(written[0])
    if isinstance(written[-1], Span):
        written[-1] = replace(written[-1], text=written[-1].text.rstrip())
    rest = list(inlines[count:])
    first = next((n for n, item in enumerate(rest) if not isinstance(item, Citation)), None)
    if first is not None:  # the text's first words, after a citation's marker
        rest[first] = _lstripped(rest[first])
    return headline, tuple(written), tuple(merge_spans(rest))
