"""A Word document's content made a paper: title block, nested blocks, figures, Key Points."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import field, replace
from pathlib import Path

from kzreport.body import split_headline
from kzreport.front_matter import LANGUAGE_TAG, MARKING
from kzreport.importing.charts import charted, merge_charts
from kzreport.importing.code import code_apart, code_kept, joined_code
from kzreport.importing.docx import Grid, Para, WordDocument, created_date
from kzreport.importing.found import (
    Break,
    Found,
    Image,
    Kept,
    Note,
    Notes,
    PageBreak,
    Run,
    Warn,
    clean_text,
    model_inlines,
    plain_found,
)
from kzreport.importing.lists import ListTree
from kzreport.importing.titles import BYLINE, Labels, byline_authors, is_byline, parse_date
from kzreport.model import (
    Author,
    Block,
    CodeBlock,
    Definition,
    DefinitionList,
    Figure,
    Footnote,
    Heading,
    Inline,
    Inlines,
    KeyPoint,
    KeyPoints,
    LineBreak,
    Link,
    ListBlock,
    Paragraph,
    Rule,
    Span,
    Table,
    plain_text,
)
from kzreport.model import PageBreak as PageBreakBlock
from kzreport.records import record

#: Receives a warning about paragraph ``number`` (``text`` says which) and its message.
Report = Callable[[int | None, str, str], None]
#: Saves a picture's bytes; returns the figure's path, or why it cannot be used.
SaveImage = Callable[[bytes, str], "Path | str"]


@record(frozen=False)
class Paper:
    """A paper's parts as imported, before they are written as source."""

    title: str | None = None
    subtitle: str | None = None
    authors: tuple[Author, ...] = ()
    date: dt.date | None = None
    organization: str | None = None
    summary: str | None = None
    marking: str | None = None
    disclaimer: str | None = None
    language: str | None = None
    keywords: tuple[str, ...] = ()
    links: tuple[Link, ...] = ()
    blocks: list[Block] = field(default_factory=list)
    footnotes: tuple[Footnote, ...] = ()


def assemble(word: WordDocument, labels: Labels, report: Report, save: SaveImage) -> Paper:
    """The paper ``word`` holds; every paragraph's text ends up somewhere, and what the source
    cannot hold is reported."""
    paper = Paper()
    props = word.properties
    blocks = merge_charts(list(word.blocks))
    for block in blocks:
        for note in block.notes:
            report(block.number, _text(block), note)
        for what in code_kept(block):
            report(block.number, _text(block), what)
    blocks = _merge_drop_caps(blocks, report)
    rest = _title_block(paper, blocks, labels, props, report)
    if not props.get("application", "").startswith("kzreport"):
        # A brief holds each code block in one paragraph (its lines split by line breaks),
        # so two blocks in a row stay two.
        rest = joined_code(rest)
    # A picture, note or link in a code line (which a brief's edit can put there too).
    rest = code_apart(rest)
    converter = _Body(word, rest, labels, report, save)
    paper.blocks = converter.convert(rest)
    _furniture(paper, word, labels)
    _further_reading(paper, labels)
    _references(paper, word, converter.notes.notes, report)
    return paper


def _references(paper: Paper, word: WordDocument, notes: list[Footnote],
                report: Report) -> None:
    """Number the paper's footnotes in reading order and point its links to bookmarks at
    the headings' identifiers."""
    from kzreport.importing.references import linked_headings, numbered

    bookmarks = {b.number: b.bookmarks for b in word.blocks if isinstance(b, Para)}
    blocks, linked_notes = linked_headings(tuple(paper.blocks), notes, bookmarks, report)
    numbered_blocks, paper.footnotes = numbered(blocks, linked_notes)
    paper.blocks = list(numbered_blocks)


def _text(block: Para | Grid) -> str:
    if isinstance(block, Para):
        return block.text
    return " ".join(plain_found(cell) for row in block.rows[:1] for cell in row)


def _merge_drop_caps(blocks: list[Para | Grid], report: Report) -> list[Para | Grid]:
    """A drop cap is a paragraph of its own in a frame: put its letter back in front of the
    next paragraph."""
    out: list[Para | Grid] = []
    pending: list[Found | Image] = []
    for block in blocks:
        if isinstance(block, Para) and block.kind == "dropcap":
            report(block.number, block.text, "drop cap joined to its paragraph — the source has "
                   "no drop caps")
            pending += block.content
            continue
        if pending and isinstance(block, Para):
            block.content[:0] = pending
            pending = []
        out.append(block)
    return out


def _title_block(paper: Paper, blocks: list[Para | Grid], labels: Labels,
                 props: dict[str, str], report: Report) -> list[Para | Grid]:
    """Fill the title, subtitle, bylines, date, organization and summary from the title block
    at the top of ``blocks``; return what follows it."""
    head = blocks[:40]
    at = next((i for i, b in enumerate(head) if isinstance(b, Para) and b.kind == "title"), None)
    if at is None:
        first = next((i for i, b in enumerate(head) if isinstance(b, Para) and b.text), None)
        level_one = [b for b in blocks if isinstance(b, Para) and b.kind == "heading"
                     and b.level == 1]
        if first is not None and isinstance(head[first], Para) and len(level_one) == 1 \
                and head[first] is level_one[0]:
            at = first  # a lone Heading 1 at the top is the title
    hint = created_date(props)
    if at is None:
        paper.title = props.get("title")
        return blocks
    title = blocks[at]
    assert isinstance(title, Para)
    paper.title = title.text
    band = title.fill
    for before in blocks[:at]:
        if not isinstance(before, Para) or not before.text:
            continue
        company = props.get("company", "")
        if company and company.upper() == before.text.upper():
            paper.organization = company
        elif band is not None and before.fill == band:
            paper.organization = before.text
        else:
            report(before.number, before.text, "text above the title put into the first "
                   "paragraph of the body — move it where it belongs")
    i = at + 1
    bylines: list[tuple[str, str]] = []
    subtitles: list[str] = []
    while i < len(blocks):
        block = blocks[i]
        if not isinstance(block, Para):
            break
        text = block.text
        if not text and not any(isinstance(c, Image) for c in block.content):
            i += 1
            continue
        if block.kind == "subtitle" and not bylines:
            subtitles.append(text)
        elif paper.date is None and (date := parse_date(text, labels, hint)) is not None:
            paper.date = date
        elif is_byline(text) or block.kind == "author" or (
                band is not None and block.fill == band and block.kind == "body"
                and paper.date is None):
            bylines.append(_byline(block))
        elif BYLINE.fullmatch(text + " ") and i + 1 < len(blocks) \
                and isinstance(name := blocks[i + 1], Para):
            i += 1  # "Prepared by:" alone, the name in the paragraph under it
            bylines.append(_byline(name))
        else:
            break
        i += 1
    paper.subtitle = " ".join(subtitles) or None
    paper.authors = byline_authors(bylines)
    i = _abstract(paper, blocks, i)
    if i < len(blocks) and isinstance(blocks[i], Para):
        summary = blocks[i]
        assert isinstance(summary, Para)
        content = [c for c in summary.content if not isinstance(c, Image)]
        # The label is the bold text it opens with (right-to-left marks may split its runs).
        bold = 0
        while bold < len(content) and isinstance(run := content[bold], Run) and run.bold:
            bold += 1
        label = plain_found(content[:bold])
        if bold and labels.is_summary(label):
            rest = plain_found(content[bold:])
            paper.summary = (rest if label.endswith(":") else re.sub(r"^:\s*", "", rest)) \
                or None
            i += 1
    unused = [b for b in blocks[:at] if isinstance(b, Para) and b.text
              and b.text.upper() not in ((paper.organization or "").upper(),)]
    return [*unused, *blocks[i:]]


def _abstract(paper: Paper, blocks: list[Para | Grid], i: int) -> int:
    """An abstract (as Pandoc writes one: an Abstract Title, then Abstract paragraphs) at
    ``blocks[i]`` as the summary; where the blocks after it start."""
    if i < len(blocks) and isinstance(title := blocks[i], Para) and \
            title.kind == "abstract title":
        i += 1
    texts = []
    while i < len(blocks) and isinstance(block := blocks[i], Para) and block.kind == "abstract":
        texts.append(block.text)
        i += 1
    if texts:
        paper.summary = " ".join(" ".join(texts).split()) or None
    return i


def _byline(para: Para) -> tuple[str, str]:
    """A byline as (name, rest): the name is its opening bold text, when it has some."""
    runs = [c for c in para.content if isinstance(c, Run | Break | Kept | Note | PageBreak)]
    bold = 0
    while bold < len(runs) and isinstance(runs[bold], Run) and runs[bold].bold:  # type: ignore[union-attr]
        bold += 1
    name = plain_found(runs[:bold])
    if not name or BYLINE.fullmatch(name + " "):
        return "", plain_found(runs)
    return name, plain_found(runs[bold:])


def _furniture(paper: Paper, word: WordDocument, labels: Labels) -> None:
    """Marking, disclaimer, language and keywords from the headers, footers and properties."""
    props = word.properties
    category = props.get("category", "")
    texts = [t for t in word.headers if t]
    if category and MARKING.fullmatch(category) and category == category.upper() \
            and category in texts:
        paper.marking = category
    footers = [t for t, page in word.footers if t and not page and t != paper.marking]
    paper.disclaimer = " ".join(dict.fromkeys(footers)) or None
    for language in (props.get("language"), word.styles.default_language):
        if language and LANGUAGE_TAG.fullmatch(language):
            paper.language = language
            break
    paper.keywords = tuple(k for k in (clean_text(w).strip() for w in re.split(
        r"[,;]", props.get("keywords", ""))) if k)


def _further_reading(paper: Paper, labels: Labels) -> None:
    """A closing "Further reading" heading over a list of links becomes the paper's links."""
    blocks = paper.blocks
    if len(blocks) < 2 or not isinstance(blocks[-2], Heading) or \
            not isinstance(blocks[-1], ListBlock):
        return
    if not labels.is_further_reading(plain_text(blocks[-2].inlines)):
        return
    links = []
    for item in blocks[-1].items:
        if len(item.blocks) != 1 or not isinstance(item.blocks[0], Paragraph):
            return
        spans = [s for s in item.blocks[0].inlines if isinstance(s, Span)]
        hrefs = {s.href for s in spans}
        if len(hrefs) != 1 or None in hrefs or len(spans) != len(item.blocks[0].inlines):
            return
        links.append(Link(plain_text(item.blocks[0].inlines), str(spans[0].href)))
    paper.links = tuple(links)
    del blocks[-2:]


class _Body:
    """Converts the paragraphs and tables after the title block into blocks."""

    def __init__(self, word: WordDocument, body: Sequence[Para | Grid], labels: Labels,
                 report: Report, save: SaveImage) -> None:
        from kzreport.renderers._wordml import LIST_INDENT_TWIPS

        self.word = word
        self.labels = labels
        self.report = report
        self.save = save
        self.indent_unit = LIST_INDENT_TWIPS
        used: dict[str, set[int]] = {}
        for block in word.blocks:
            if isinstance(block, Para) and block.numbering is not None:
                used.setdefault(block.numbering[0], set()).add(block.numbering[1])
        self.one_level = {num for num, levels in used.items() if len(levels) == 1}
        # The top level used below the title block: a lone Heading 1 taken as the title
        # leaves its Heading 2 sections at '##'.
        headings = [b.level for b in body if isinstance(b, Para) and b.kind == "heading"]
        self.top_heading = min(headings, default=1)
        self.tree = ListTree()
        self.figures = 0
        self.notes = Notes()
        #: A Caption paragraph waiting for the table after it (the brief's table caption).
        self.caption: Para | None = None

    def warn_for(self, para: Para | Grid) -> Warn:
        return lambda message: self.report(para.number, _text(para), message)

    def inlines(self, found: Sequence[Found], warn: Warn) -> Inlines:
        return model_inlines(found, warn, self.notes)

    def convert(self, blocks: Sequence[Para | Grid]) -> list[Block]:
        n = 0
        while n < len(blocks):
            block = blocks[n]
            following = blocks[n + 1] if n + 1 < len(blocks) else None
            n += 1
            if isinstance(block, Para) and self.definition_depth(block, following):
                n = self.definition_list(blocks, n - 1)
            elif isinstance(block, Grid):
                self.tree.add_block(0, self.table(block), tentative=True)
            elif block.kind == "caption" and isinstance(following, Grid) and block.text \
                    and not any(isinstance(c, Image) for c in block.content):
                self.caption = block  # above the table, as the brief and Pandoc put it
            else:
                self.paragraph(block, following if isinstance(following, Para) else None)
        return key_points_section(self.tree.finish(), self.labels, self.report)

    def definition_depth(self, para: Para, following: Para | Grid | None) -> int:
        """How deep the definitions under ``para`` sit when it is a definition list's term (a
        bold paragraph kept with the indented ones after it, as a brief writes a term), else
        0."""
        if para.kind == "term" and isinstance(following, Para) and para.text \
                and following.kind == "definition":  # Pandoc's styles say it
            return round(para.indent / self.indent_unit) + 1
        if para.kind != "body" or not para.keep_next or para.numbering is not None \
                or not para.text or not isinstance(following, Para):
            return 0
        if not all((isinstance(c, Run) and (c.bold or not c.text.strip())) or isinstance(c, Note)
                   for c in para.content):
            return 0
        depth = round(para.indent / self.indent_unit) + 1
        return depth if self.depth_of(following) >= depth else 0

    def depth_of(self, para: Para) -> int:
        """How many list levels in ``para`` sits, by its numbering level or its indent (the
        level a brief gives it)."""
        if para.numbering is not None and para.kind not in ("quote", "caption"):
            return para.numbering[1]
        # Pandoc's Definition style indents by the style, not the paragraph.
        return round(para.indent / self.indent_unit) + (para.kind == "definition")

    def definition_list(self, blocks: Sequence[Para | Grid], n: int) -> int:
        """Read the definition list whose first term is ``blocks[n]``; return where it ends.
        A term's definitions are the paragraphs indented under it (several definitions of one
        term come back as one: the brief writes them alike)."""
        first = blocks[n]
        assert isinstance(first, Para)
        level = self.level(first)
        items: list[Definition] = []
        while n < len(blocks):
            term = blocks[n]
            following = blocks[n + 1] if n + 1 < len(blocks) else None
            if not isinstance(term, Para) or term.indent != first.indent or \
                    not (depth := self.definition_depth(term, following)):
                break
            end = n + 1
            while end < len(blocks) and isinstance(inner := blocks[end], Para) \
                    and self.depth_of(inner) >= depth and (
                        term.kind != "term" or inner.kind == "definition"
                        or inner.numbering is not None):
                # Under a term of Pandoc's styles, its Definition paragraphs and the lists in
                # them: an indented quote after them (LibreOffice indents it) is not its own.
                end += 1
            outer, self.tree = self.tree, ListTree()
            body = blocks[n + 1:end]
            for at, inner in enumerate(body):
                assert isinstance(inner, Para)
                shifted = replace(inner, indent=inner.indent - depth * self.indent_unit,
                                  numbering=None if inner.numbering is None else
                                  (inner.numbering[0], inner.numbering[1] - depth))
                after = body[at + 1] if at + 1 < len(body) else None
                self.paragraph(shifted, after if isinstance(after, Para) else None)
            definition = tuple(self.tree.finish())
            self.tree = outer
            warn = self.warn_for(term)
            items.append(Definition(_unbold(_no_breaks(self.inlines(_text_only(term.content),
                                                                    warn))),
                                    (definition,) if definition else (), term.number))
            n = end
        self.tree.add_block(level, DefinitionList(tuple(items), first.number))
        return n

    def paragraph(self, para: Para, following: Para | None) -> None:
        warn = self.warn_for(para)
        if para.kind in ("toc", "caption_used"):
            return
        if para.kind == "heading" or para.kind in ("title", "subtitle"):
            level = 2 if para.kind != "heading" else 2 + para.level - self.top_heading
            if level > 3:
                # Named by Word's level: the level it would have had is no level of the source.
                warn(f"Heading {para.level} made a level-3 heading ('###'), as Heading "
                     f"{self.top_heading + 1} is — the source has two levels of headings")
                level = 3
            if any(isinstance(c, PageBreak) for c in para.content):
                self.tree.add_block(0, PageBreakBlock(para.number))
            inlines = _no_breaks(self.inlines(_text_only(para.content), warn))
            if inlines:
                self.tree.add_block(0, Heading(level, inlines, para.number))
            return
        if para.kind == "code":
            self.tree.add_block(self.level(para), CodeBlock(_code_text(para.content),
                                                           para.number))
            return
        if not para.text and para.rule and not any(isinstance(c, Image) for c in para.content):
            self.tree.add_block(0, Rule(para.number), tentative=True)
            return
        pieces = self.pieces(para, following, warn)
        if para.numbering is not None and para.kind not in ("quote", "caption"):
            num_id, ilvl = para.numbering
            ordered, start = self.word.numbering.format(num_id, ilvl, num_id in self.one_level)
            first = pieces[0] if pieces and isinstance(pieces[0], Paragraph) else None
            self.tree.add_item(ilvl, self.word.numbering.identity(num_id), ordered, start, first,
                               para.number)
            pieces = pieces[1:] if first is not None else pieces
            level = ilvl + 1
        else:
            level = self.level(para)
        for piece in pieces:
            if para.kind == "quote" and isinstance(piece, Paragraph):
                self.tree.add_quote(level, piece)
            else:
                # A brief writes figures and page breaks unindented, even inside a list.
                self.tree.add_block(level, piece,
                                    tentative=isinstance(piece, Figure | PageBreakBlock))

    def level(self, para: Para) -> int:
        """How deep in the open lists an unnumbered paragraph sits, by its indent."""
        return min(round(para.indent / self.indent_unit), self.tree.depth) if para.indent > 0 \
            else 0

    def pieces(self, para: Para, following: Para | None, warn: Warn) -> list[Block]:
        """The paragraph's text, pictures and page breaks: each picture a figure of its own,
        each page break a block between the text before and after it."""
        out: list[Block] = []
        run: list[Found] = []
        images = [c for c in para.content if isinstance(c, Image)]
        for item in para.content:
            if isinstance(item, Image | PageBreak):
                if inlines := self.inlines(run, warn):
                    out.append(Paragraph(inlines, para.number))
                run = []
                if isinstance(item, PageBreak):
                    out.append(PageBreakBlock(para.number))
                    continue
                figure = self.figure(item, para, following, warn, len(images) == 1)
                if figure is not None:
                    out.append(figure)
            else:
                run.append(item)
        if inlines := self.inlines(run, warn):
            out.append(Paragraph(inlines, para.number))
        if images and len(out) > len(images):
            warn("picture inside a line of text put in a paragraph of its own — a "
                 "figure of the source stands alone")
        return out

    def figure(self, image: Image, para: Para, following: Para | None, warn: Warn,
               captioned: bool) -> Block | None:
        self.figures += 1
        caption = ""
        if captioned and following is not None and following.kind == "caption":
            caption = self.labels.strip_figure_label(following.text)
            following.kind = "caption_used"
        alt = " ".join(clean_text(image.alt or image.title).split())
        data = self.word.images.get(image.part or "")
        saved = self.save(data, f"figure-{self.figures}") if data is not None else \
            "is missing from the file"
        if isinstance(saved, str):
            warn(f"picture {saved}, left out" + (f" (its description '{alt[:60]}' is kept)"
                                                  if alt else "") + " — replace it by a PNG "
                 "or JPEG picture in the source")
            return Paragraph((Span(alt),), para.number) if alt else None
        if not alt:
            alt = caption or f"Picture {self.figures}"
            warn(f"picture has no description (alt text); '{alt[:60]}' written in its place — "
                 "describe what the picture shows")
        return Figure(saved, alt, caption, para.number)

    def table(self, grid: Grid) -> Table:
        warn = self.warn_for(grid)
        width = max((len(r) for r in grid.rows), default=0)
        caption: Inlines = ()
        if self.caption is not None:
            caption = _no_breaks(self.inlines(_text_only(self.caption.content),
                                              self.warn_for(self.caption)))
            caption = _after(caption, self.labels.table_label_length(plain_text(caption)))
            self.caption = None
        rows = [[_no_breaks(self.inlines(c, warn)) for c in r] + [()] * (width - len(r))
                for r in grid.rows]
        header = rows[0] if rows else []
        # The brief sets its header row bold (every run but a link's): the style, not the text.
        if grid.header and all(s.bold for cell in header for s in cell
                               if isinstance(s, Span) and s.href is None and s.text.strip()):
            header = [_unbold(cell) for cell in header]
        aligns = (grid.alignments + [None] * width)[:width]
        table = Table(tuple(header), tuple(tuple(r) for r in rows[1:]),
                      tuple(a if a in ("left", "center", "right") else None  # type: ignore[misc]
                            for a in aligns), grid.number, caption, landscape=grid.landscape)
        return table if grid.chart is None else charted(table, grid.chart, warn)


def _after(inlines: Inlines, length: int) -> Inlines:
    """``inlines`` without their first ``length`` characters of text (a caption's label)."""
    out: list[Inline] = []
    for item in inlines:
        if length > 0 and isinstance(item, Span):
            kept = item.text[length:]
            length -= len(item.text) - len(kept)
            if kept:
                out.append(replace(item, text=kept))
        else:
            out.append(item)
    return tuple(out)


def _text_only(content: Sequence[Found | Image]) -> list[Found]:
    return [c for c in content if not isinstance(c, Image)]


def _code_text(content: Sequence[Found | Image]) -> str:
    parts = []
    for item in content:
        if isinstance(item, Run | Kept):
            parts.append(clean_text(item.text))
        elif isinstance(item, Break):
            parts.append("\n")
    return "".join(parts)


def _no_breaks(inlines: Inlines) -> Inlines:
    """``inlines`` on one line (headings and table cells hold no line breaks)."""
    from kzreport.importing.found import tidy

    return tidy([Span(" ") if isinstance(i, LineBreak) else i for i in inlines])


def _unbold(inlines: Inlines) -> Inlines:
    from kzreport.importing.found import tidy

    return tidy([replace(i, bold=False) if isinstance(i, Span) else i for i in inlines])


def key_points_section(blocks: list[Block], labels: Labels, report: Report) -> list[Block]:
    """The Key Points heading (in the paper's language) and the bullet list under it become the
    paper's Key Points section."""
    for n, block in enumerate(blocks[:-1]):
        following = blocks[n + 1]
        if not isinstance(block, Heading) or block.level != 2 or not labels.is_key_points(
                plain_text(block.inlines)):
            continue
        if not isinstance(following, ListBlock) or following.ordered:
            continue
        points = []
        for item in following.items:
            first = item.blocks[0] if item.blocks else None
            if not isinstance(first, Paragraph):
                continue
            headline, written, rest = split_headline(first.inlines)
            points.append(KeyPoint(headline, rest, item.blocks[1:], item.line, written))
        title = plain_text(block.inlines).strip().rstrip(":").strip()
        return [*blocks[:n], KeyPoints(title, tuple(points), block.line), *blocks[n + 2:]]
    return blocks
