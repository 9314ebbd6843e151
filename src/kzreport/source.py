"""Read a paper's source file (YAML front matter + CommonMark/GFM body) into the document model."""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import assert_never

from kzreport.body import read_body
from kzreport.citations import Citer
from kzreport.errors import Problem, SourceError
from kzreport.front_matter import read_front_matter
from kzreport.layout import Layout
from kzreport.model import (
    Blocks,
    CodeBlock,
    DefinitionList,
    Document,
    Figure,
    Heading,
    KeyPoints,
    ListBlock,
    Metadata,
    PageBreak,
    Paragraph,
    Quote,
    Rule,
    Table,
    walk,
)
from kzreport.source_checks import ILLEGAL_CHARS, Problems, describe_char

#: Larger sources are refused: the biggest real paper is a few dozen kB, and a bound keeps
#: every build (and every CI job fed a stray file) well inside a minute.
MAX_SOURCE_BYTES = 1_000_000
#: What gives the layout a paper is read with, from its front matter and the lines of its
#: keys: its Key Points heading is recognised in the paper's language by that layout.
LayoutOf = Callable[[Metadata, Mapping[str, int]], Layout]


def read_source(path: Path, layout_of: LayoutOf | None = None) -> Document:
    """Parse and validate the paper at ``path`` (read with the layout ``layout_of`` gives, by
    default the built-in one); raise ``SourceError`` listing every problem."""
    problems = Problems(path)
    try:
        with path.open("rb") as handle:
            # Read one byte past the limit only: a stray huge file (or /dev/zero) stays cheap.
            raw = handle.read(MAX_SOURCE_BYTES + 1)
            size = max(os.fstat(handle.fileno()).st_size, len(raw))
    except OSError as exc:
        raise SourceError([Problem(path, None, f"cannot read file: {exc.strerror}",
                                   "check the path and its permissions")]) from None
    text = _decode(raw, problems, size)
    problems.raise_if_any()
    return parse_source(text, path, layout_of)


def _decode(raw: bytes, problems: Problems, size: int) -> str:
    if len(raw) > MAX_SOURCE_BYTES:
        problems.add(1, f"file is {size:,} bytes, over the limit of {MAX_SOURCE_BYTES:,}",
                     "split the paper or move bulky content into figures")
        return ""
    for bom, encoding in ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"),
                          (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16")):
        if raw.startswith(bom):
            problems.add(1, f"file is encoded as {encoding}, not UTF-8",
                         "save the file as UTF-8")
            return ""
    if b"\x00" in raw:
        at = raw.index(b"\x00")
        line = raw[:at].count(b"\n") + 1
        problems.add(line, "file is binary, not a text source (it contains NUL bytes)",
                     "pass a UTF-8 Markdown file", at - (raw.rfind(b"\n", 0, at) + 1) + 1)
        return ""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        # Count characters, as editors do: everything before the bad byte is valid UTF-8.
        column = len(raw[raw.rfind(b"\n", 0, exc.start) + 1:exc.start].decode("utf-8")) + 1
        problems.add(line, f"file is not valid UTF-8 (byte 0x{raw[exc.start]:02X})",
                     "save the file as UTF-8", column)
        return ""
    return text.removeprefix("\ufeff")


def parse_source(text: str, path: Path, layout_of: LayoutOf | None = None) -> Document:
    """Parse already-decoded source ``text`` read from ``path`` (with the layout ``layout_of``
    gives, by default the built-in one)."""
    problems = Problems(path)
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    # Composed form: text pasted from macOS arrives decomposed (e + U+0301), which fonts draw
    # as two glyphs, if they have the combining one at all.
    text = unicodedata.normalize("NFC", text)
    if not text.strip():
        problems.add(1, "file is empty" if not text else "file holds only blank lines",
                     "start it with front matter between '---' lines")
        problems.raise_if_any()
    for number, line in enumerate(text.split("\n"), 1):
        match = ILLEGAL_CHARS.search(line)
        if match:
            problems.add(number, f"{describe_char(match.group())} in the text",
                         "delete it or replace it with ordinary text", match.start() + 1)
            break  # one is enough to tell the user what to look for
    problems.raise_if_any()

    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        problems.add(1, "file does not begin with YAML front matter",
                     "make the first line '---', then title, authors and date, then '---'")
        problems.raise_if_any()
    end = next((i for i, line in enumerate(lines[1:], 1) if line.rstrip() in ("---", "...")),
               None)
    if end is None:
        problems.add(1, "front matter is not closed", "end it with a line holding only '---'")
        problems.raise_if_any()
        raise AssertionError("unreachable")
    meta, lines_of = read_front_matter("\n".join(lines[1:end]), problems)
    layout = None if meta is None else (layout_of or _builtin)(meta, lines_of)
    before = len(problems.items)
    bibliography = None
    if meta and (meta.bibliography or meta.references or meta.csl):
        from kzreport.bibliography import load_bibliography
        bibliography = load_bibliography(meta, path, lines_of, problems)
    # Citations are checked against a bibliography that was read (else they would all be
    # unknown keys), and are left alone when the front matter has problems.
    language = meta.language if meta and len(problems.items) == before else None
    cite = Citer(bibliography, problems, language, lines)
    body = read_body("\n".join(lines[end + 1:]), path, problems, end + 1, cite,
                     layout.is_key_points if layout is not None else None)
    sources = cite.sources()  # formatting them may find a problem too
    if meta is None and not problems.items:  # every path to None reports why; be safe anyway
        problems.add(1, "front matter could not be read", "check title, authors and date")
    problems.raise_if_any()
    assert meta is not None
    assets = tuple(sorted(_figure_paths(body.blocks)
                          | set(bibliography.files if bibliography else ())))
    return Document(meta=meta, blocks=body.blocks, source=path, assets=assets, lines=lines_of,
                    footnotes=body.footnotes, warnings=tuple(problems.warnings),
                    references=body.references, sources=sources)


def _builtin(meta: Metadata, lines: Mapping[str, int]) -> Layout:
    """The built-in default layout in the paper's language."""
    from kzreport.layout_loader import builtin_layout

    return builtin_layout().for_language(meta.language)


def _figure_paths(blocks: Blocks) -> set[Path]:
    """The image files the figures among ``blocks`` (at any depth) embed."""
    paths = set()
    for block in walk(blocks):
        match block:
            case Figure():
                paths.add(block.path)
            case (Heading() | Paragraph() | ListBlock() | Quote() | CodeBlock() | Rule() | Table()
                  | KeyPoints() | DefinitionList() | PageBreak()):
                pass  # embed no file themselves; ``walk`` visits the blocks they hold
            case _:
                assert_never(block)
    return paths
