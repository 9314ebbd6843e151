"""Read a paper's source file (YAML front matter + CommonMark/GFM body) into the document model."""

from __future__ import annotations

import bisect
import datetime as dt
import difflib
import functools
import os
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

from kzreport.assets import image_problem
from kzreport.errors import Problem, SourceError
from kzreport.model import (
    LINK_SCHEMES,
    Author,
    Block,
    Blocks,
    CodeBlock,
    Document,
    Figure,
    Heading,
    Inline,
    Inlines,
    KeyPoint,
    KeyPoints,
    LineBreak,
    Link,
    ListBlock,
    ListItem,
    Metadata,
    Paragraph,
    Quote,
    Rule,
    Span,
    Table,
    plain_text,
)

#: Larger sources are refused: the biggest real paper is a few dozen kB, and a bound keeps
#: every build (and every CI job fed a stray file) well inside a minute.
MAX_SOURCE_BYTES = 1_000_000
#: Front matter nested deeper than this is refused (the deepest valid value, an author's
#: affiliation, is at depth 3); it also keeps PyYAML's recursive composer off the stack limit.
MAX_YAML_DEPTH = 10
#: At most this many problems are listed for one file, so output stays bounded.
MAX_PROBLEMS = 20
FRONT_MATTER_KEYS = (
    "title", "subtitle", "authors", "date", "organization", "summary", "links",
    "disclaimer", "marking", "language", "keywords", "layout",
)  # fmt: skip
KEY_POINTS_HEADING = re.compile(r"key\s+points\s*:?", re.IGNORECASE)
# C0 controls other than tab/newline/CR, DEL, C1 controls and non-characters XML cannot carry.
ILLEGAL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")
# Capitals and digits of any script (a Kazakh paper may carry a Cyrillic marking), then
# spaces, commas, hyphens, slashes and parentheses: SECRET//NOFORN, CUI//SP-PRVCY.
MARKING = re.compile(r"[^\W_a-z][^\W_a-z]*(?:[ ,\-/()]+[^\W_a-z]*)*")
YAML_TAGS = {
    "tag:yaml.org,2002:" + t for t in ("str", "int", "float", "bool", "null", "timestamp", "seq",
                                       "map")
}


class _Problems:
    """Collects the located problems of one source file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.items: list[Problem] = []

    def add(self, line: int | None, message: str, hint: str, column: int | None = None) -> None:
        self.items.append(Problem(self.path, line, _capped(message), _capped(hint), column))

    def raise_if_any(self) -> None:
        if self.items:
            shown = self.items[:MAX_PROBLEMS]
            if len(self.items) > MAX_PROBLEMS:
                shown.append(Problem(self.path, self.items[MAX_PROBLEMS].line,
                                     f"{len(self.items) - MAX_PROBLEMS} more problems not shown, "
                                     "the first of them here", "fix the ones above and run again"))
            raise SourceError(shown)


def _capped(text: str, limit: int = 300) -> str:
    """``text`` cut to ``limit`` characters (messages quote the user's input; ``Problem``
    escapes the characters a terminal cannot show)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe_char(char: str) -> str:
    """What kind of forbidden character ``char`` is, with its code point."""
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        kind = "lone surrogate"
    elif code in (0xFFFE, 0xFFFF):
        kind = "non-character"
    else:
        kind = "control character"
    return f"{kind} U+{code:04X}"


def check_text(text: str, problems: _Problems, line: int, what: str) -> bool:
    """Report characters no document format can carry; True when ``text`` is clean."""
    match = ILLEGAL_CHARS.search(text)
    if match:
        problems.add(line, f"{what} contains the {describe_char(match.group())}",
                     "delete it (check for escapes such as \\x07 or \\ud800) or write the "
                     "character itself")
    return match is None


#: The most words a paragraph, heading, table cell or front-matter text may hold, and the
#: longest word (a long URL is some hundreds of characters): beyond them the PDF takes
#: minutes to typeset.
MAX_PARAGRAPH_WORDS = 5000
MAX_WORD_LENGTH = 2000


def check_length(text: str, problems: _Problems, line: int, what: str) -> None:
    """Report ``text`` too long to typeset in reasonable time: reportlab re-breaks the rest of
    a paragraph on every page it fills, and splits an over-long word letter by letter, both in
    time quadratic in the length."""
    words = text.split()
    if len(words) > MAX_PARAGRAPH_WORDS:
        problems.add(line, f"{what} of {len(words)} words",
                     f"split it into parts of at most {MAX_PARAGRAPH_WORDS} words")
    longest = max(words, key=len, default="")
    if len(longest) > MAX_WORD_LENGTH:
        problems.add(line, f"a word of {len(longest)} characters in {what}",
                     f"break it up: words may have at most {MAX_WORD_LENGTH} characters")


# ---------------------------------------------------------------- file and front matter


def read_source(path: Path) -> Document:
    """Parse and validate the paper at ``path``; raise ``SourceError`` listing every problem."""
    problems = _Problems(path)
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
    return parse_source(text, path)


def _decode(raw: bytes, problems: _Problems, size: int) -> str:
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


def parse_source(text: str, path: Path) -> Document:
    """Parse already-decoded source ``text`` read from ``path``."""
    problems = _Problems(path)
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
    meta, lines_of = _front_matter("\n".join(lines[1:end]), problems)
    _line_breaks.cache_clear()  # do not keep the front matter alive after parsing
    body_offset = end + 1
    blocks = _Body(path, problems, body_offset).parse("\n".join(lines[end + 1:]))
    if meta is None and not problems.items:  # every path to None reports why; be safe anyway
        problems.add(1, "front matter could not be read", "check title, authors and date")
    problems.raise_if_any()
    assert meta is not None
    assets = tuple(sorted({b.path for b in _all_blocks(blocks) if isinstance(b, Figure)}))
    return Document(meta=meta, blocks=blocks, source=path, assets=assets, lines=lines_of)


@functools.lru_cache(maxsize=2)
def _line_breaks(buffer: str) -> list[int]:
    """Where the newlines of a YAML buffer are (cached: every mark of one parse shares it)."""
    return [m.start() for m in re.finditer("\n", buffer)]


def _yaml_position(mark: Any) -> tuple[int, int | None]:
    """The file line and column of a YAML mark (front matter starts on the file's second line).

    Counted from the newlines in the buffer, not from ``mark.line``: YAML also breaks lines at
    U+2028 and U+2029, which editors and the body parser do not.
    """
    buffer, pointer = getattr(mark, "buffer", None), getattr(mark, "pointer", None)
    if isinstance(buffer, str) and isinstance(pointer, int):
        breaks = _line_breaks(buffer)
        before = bisect.bisect_left(breaks, pointer)
        start = breaks[before - 1] + 1 if before else 0
        return before + 2, pointer - start + 1
    return int(mark.line) + 2, None


def _yaml_line(mark: Any) -> int:
    """The file line of a YAML mark."""
    return _yaml_position(mark)[0]


def _yaml_column(mark: Any) -> int | None:
    """The column of a YAML mark, counted from 1."""
    return _yaml_position(mark)[1]


def _short_tag(tag: str) -> str:
    """A YAML tag as the user wrote it: ``!!python/object`` rather than its long form."""
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org") else tag


def _yaml_hint(problem: str) -> str:
    """How to fix the YAML syntax error ``problem``."""
    if "'\\t'" in problem:
        return "indent with spaces, not tabs"
    if "mapping values are not allowed" in problem:
        return ("put values containing ': ' in quotes (title: \"Kazakhstan: a view\"), and "
                "check the indentation of this line")
    if "not closed" in problem:
        return "end the value with the same quote mark it starts with"
    if "unknown escape" in problem:
        return "inside double quotes write a backslash as \\\\, or use single quotes"
    if "cannot start any token" in problem:
        return "put the value in quotes"
    if "but found ':'" in problem:
        return "write the key before the ':', e.g. 'organization: CSAG'"
    if "but found '-'" in problem:
        return "a list item must sit under a key: write e.g. 'keywords:' on the line above"
    if "but found '?'" in problem:
        return "a 'key: value' line is among list items: check the indentation of this line"
    return "fix the YAML syntax (quote values that contain ': ' or start with '*')"


class _Refused(Exception):
    """A YAML construct front matter may not use, met while composing."""

    def __init__(self, mark: Any, message: str, hint: str) -> None:
        super().__init__(message)
        self.mark, self.message, self.hint = mark, message, hint


class _FrontMatterLoader(yaml.SafeLoader):
    """PyYAML's safe composer, refusing anchors, aliases, foreign tags and deep nesting as it
    meets them: before an alias bomb can expand, and in one pass over the text."""

    depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _Refused(event.start_mark, "YAML anchors and aliases (&name, *name) are not "
                           "allowed", "write each value out in full")
        tag = getattr(event, "tag", None)
        if tag and tag != "!" and tag not in YAML_TAGS:
            raise _Refused(event.start_mark, f"YAML tag '{_short_tag(tag)}' is not allowed",
                           "remove the tag; front matter holds plain text, lists and mappings")
        nested = isinstance(event, yaml.CollectionStartEvent)
        if nested:
            self.depth += 1
            if self.depth > MAX_YAML_DEPTH:
                raise _Refused(event.start_mark, "front matter is nested too deeply",
                               "front matter holds plain text, lists and mappings a few levels "
                               "deep")
        try:
            return super().compose_node(parent, index)
        finally:
            if nested:
                self.depth -= 1


def _front_matter(text: str, problems: _Problems) -> tuple[Metadata | None, dict[str, int]]:
    loader = _FrontMatterLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        problem = str(exc.problem or exc.context)
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark is not None and "end" in problem and "stream" in problem:
            mark = exc.context_mark  # an unclosed quote or bracket: point where it opened
        if "while scanning a quoted scalar" in str(exc.context):
            problem = "a quoted value is not closed"
        line = _yaml_line(mark) if mark else 2
        problems.add(line, f"invalid YAML in front matter: {problem}", _yaml_hint(problem),
                     _yaml_column(mark) if mark else None)
        return None, {}
    except yaml.YAMLError as exc:
        problems.add(2, f"invalid YAML in front matter: {exc}", "fix the YAML syntax")
        return None, {}
    except _Refused as exc:
        problems.add(_yaml_line(exc.mark), exc.message, exc.hint)
        return None, {}
    except RecursionError:
        problems.add(2, "front matter is nested too deeply",
                     "front matter holds plain text, lists and mappings a few levels deep")
        return None, {}
    finally:
        loader.dispose()
    if node is None:
        problems.add(1, "front matter is empty",
                     "write 'title: ...', 'authors: ...' and 'date: YYYY-MM-DD' lines in it")
        return None, {}
    if not isinstance(node, yaml.MappingNode):
        shown = "a list" if isinstance(node, yaml.SequenceNode) else "plain text"
        problems.add(_yaml_line(node.start_mark),
                     f"front matter must be a mapping of keys to values, not {shown}",
                     "write 'title: ...', 'authors: ...' and 'date: YYYY-MM-DD' lines")
        return None, {}
    for sub in _walk_nodes(node):
        if sub.tag == "tag:yaml.org,2002:merge":
            problems.add(_yaml_line(sub.start_mark), "YAML merge keys ('<<') are not allowed",
                         "write each key out in full")
            return None, {}
        if sub.tag not in YAML_TAGS:
            problems.add(_yaml_line(sub.start_mark),
                         f"YAML tag '{_short_tag(sub.tag)}' is not allowed",
                         "remove the tag; front matter holds plain text, lists and mappings")
            return None, {}
    return _FrontMatter(problems, yaml.SafeLoader("")).read(node)


def _walk_nodes(node: yaml.Node) -> list[yaml.Node]:
    out, stack = [], [node]
    while stack:
        current = stack.pop()
        out.append(current)
        if isinstance(current, yaml.MappingNode):
            for key, value in current.value:
                stack.extend((key, value))
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
    return out


class _FrontMatter:
    """Turns the composed YAML mapping into ``Metadata``, reporting each bad key at its line."""

    def __init__(self, problems: _Problems, loader: yaml.SafeLoader) -> None:
        self.problems = problems
        self.loader = loader

    def scalar(self, node: yaml.Node) -> Any:
        try:
            return self.loader.construct_object(node, deep=True)
        except Exception:  # e.g. '!!timestamp x' fails inside PyYAML with AttributeError
            return node.value if isinstance(node, yaml.ScalarNode) else None

    def text(self, node: yaml.Node, what: str, multiline: bool = False,
             optional: bool = False) -> str | None:
        line = _yaml_line(node.start_mark)
        empty_hint = f"give the {what} a value" + (", or delete the line" if optional else "")
        if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null":
            self.problems.add(line, f"{what} is empty", empty_hint)
            return None
        if not isinstance(node, yaml.ScalarNode) or node.tag != "tag:yaml.org,2002:str":
            shown = "a list" if isinstance(node, yaml.SequenceNode) else (
                "a mapping" if isinstance(node, yaml.MappingNode) else f"'{node.value[:80]}'")
            self.problems.add(line, f"{what} must be text, not {shown}",
                              f"write {what} as a quoted string")
            return None
        value = str(node.value)
        if not check_text(value, self.problems, line, what):
            return None
        check_length(value, self.problems, line, what)
        value = " ".join(value.split()) if not multiline else value.strip()
        if not value:
            self.problems.add(line, f"{what} is empty", empty_hint)
            return None
        return value

    def read(self, root: yaml.MappingNode) -> tuple[Metadata | None, dict[str, int]]:
        fields: dict[str, yaml.Node] = {}
        lines: dict[str, int] = {}
        suggested: set[str] = set()
        for key_node, value_node in root.value:
            line = _yaml_line(key_node.start_mark)
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.add(line, "front matter key is a list or mapping",
                                  "write each key as a plain word followed by ':'")
                continue
            key = str(key_node.value)
            if not key.strip():
                self.problems.add(line, "front matter line has no key",
                                  "write 'key: value', e.g. 'title: ...'")
                continue
            if key in fields:
                self.problems.add(line, f"duplicate front matter key '{key}'",
                                  "keep only one of them")
                continue
            if key not in FRONT_MATTER_KEYS:
                near = difflib.get_close_matches(key.lower(), FRONT_MATTER_KEYS, n=1, cutoff=0.6)
                hint = f"did you mean '{near[0]}'?" if near else (
                    "valid keys: " + ", ".join(FRONT_MATTER_KEYS))
                self.problems.add(line, f"unknown front matter key '{key[:80]}'", hint)
                suggested.update(near)
                continue
            fields[key] = value_node
            lines[key] = line
        for required in ("title", "authors", "date"):
            # A misspelt key already told the user what is missing ('titel' → 'title').
            if required not in fields and required not in suggested:
                self.problems.add(2, f"front matter has no '{required}'", {
                    "title": "add a line 'title: ...'",
                    "authors": "add 'authors:' followed by one '  - Name' line per author",
                    "date": "add a line 'date: YYYY-MM-DD'"}[required])
        before = len(self.problems.items)
        title = self.text(fields["title"], "title") if "title" in fields else None
        authors = self.authors(fields["authors"]) if "authors" in fields else ()
        date = self.date(fields["date"]) if "date" in fields else None
        optional = {k: self.text(fields[k], k, optional=True) for k in
                    ("subtitle", "organization", "summary", "disclaimer", "marking", "layout")
                    if k in fields}
        marking = optional.get("marking")
        if marking is not None and not (MARKING.fullmatch(marking) and marking == marking.upper()):
            hint = (f"write it in capitals: {marking.upper()}"
                    if MARKING.fullmatch(marking.upper()) else
                    "use capitals with '//' between parts, e.g. SECRET//NOFORN")
            self.problems.add(lines["marking"], f"marking '{marking}' is not a handling marking",
                              hint)
        language = "en-US"
        if "language" in fields:
            language = self.text(fields["language"], "language", optional=True) or "en-US"
            if not LANGUAGE_TAG.fullmatch(language):
                fixed = language.replace("_", "-")
                self.problems.add(lines["language"], f"language '{language}' is not a BCP 47 tag",
                                  f"write '{fixed}'" if LANGUAGE_TAG.fullmatch(fixed) else
                                  "write e.g. en-US, kk-KZ or ru")
        keywords = self.strings(fields["keywords"], "keywords") if "keywords" in fields else ()
        links = self.links(fields["links"]) if "links" in fields else ()
        if len(self.problems.items) > before or title is None or date is None or not authors:
            return None, lines
        return Metadata(title=title, authors=authors, date=date, links=links,
                        keywords=keywords, language=language, **optional), lines

    def authors(self, node: yaml.Node) -> tuple[Author, ...]:
        line = _yaml_line(node.start_mark)
        if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:str":
            self.problems.add(line, "authors must be a list, not a single text",
                              f"write it as a list: 'authors:', then '- {node.value[:40]}' on "
                              "the next line")
            return ()
        if not isinstance(node, yaml.SequenceNode) or not node.value:
            self.problems.add(line, "authors must be a non-empty list",
                              "write '- Name' lines, or '- name: ...' with 'affiliation: ...'")
            return ()
        authors = []
        for item in node.value:
            if isinstance(item, yaml.MappingNode):
                entry = self.mapping(item, "author", ("name", "affiliation"), ("name",))
                name = self.text(entry["name"], "author name") if "name" in entry else None
                affiliation = (self.text(entry["affiliation"], "affiliation", optional=True)
                               if "affiliation" in entry else None)
                if name:
                    authors.append(Author(name, affiliation))
            else:
                name = self.text(item, "author")
                if name:
                    authors.append(Author(name))
        return tuple(authors)

    def mapping(self, node: yaml.MappingNode, what: str, allowed: tuple[str, ...],
                required: tuple[str, ...]) -> dict[str, yaml.Node]:
        entry: dict[str, yaml.Node] = {}
        suggested: set[str] = set()
        for key_node, value_node in node.value:
            line = _yaml_line(key_node.start_mark)
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.add(line, f"{what} key is a list or mapping",
                                  "allowed keys: " + ", ".join(allowed))
                continue
            key = str(key_node.value)
            if key in entry:
                self.problems.add(line, f"duplicate {what} key '{key}'", "keep only one of them")
            elif key not in allowed:
                near = difflib.get_close_matches(key.lower(), allowed, n=1)
                self.problems.add(line, f"unknown {what} key '{key[:80]}'",
                                  f"did you mean '{near[0]}'?" if near else
                                  "allowed: " + ", ".join(allowed))
                suggested.update(near)
            else:
                entry[key] = value_node
        for key in required:
            if key not in entry and key not in suggested:
                self.problems.add(_yaml_line(node.start_mark), f"{what} has no '{key}'",
                                  f"add '{key}: ...' to it")
        return entry

    def date(self, node: yaml.Node) -> dt.date | None:
        line = _yaml_line(node.start_mark)
        hint = "write it as YYYY-MM-DD, e.g. 2022-06-03"
        if not isinstance(node, yaml.ScalarNode):
            self.problems.add(line, "date must be a single date, not a list or mapping", hint)
            return None
        if node.tag == "tag:yaml.org,2002:null":
            self.problems.add(line, "date is empty", hint)
            return None
        value = self.scalar(node)
        shown = str(node.value)[:80]
        if isinstance(value, str) and re.fullmatch(r"\s*\d{4}-\d{2}-\d{2}\s*", value):
            try:
                value = dt.date.fromisoformat(value.strip())
            except ValueError as exc:  # e.g. 2022-13-45: "month must be in 1..12"
                self.problems.add(line, f"date '{shown}' does not exist ({exc})", hint)
                return None
        if isinstance(value, dt.datetime):
            self.problems.add(line, f"date '{shown}' has a time of day",
                              f"write only the day: {value.date().isoformat()}")
            return None
        if not isinstance(value, dt.date):
            self.problems.add(line, f"date '{shown}' is not a calendar date", hint)
            return None
        return value

    def strings(self, node: yaml.Node, what: str) -> tuple[str, ...]:
        if not isinstance(node, yaml.SequenceNode):
            self.problems.add(_yaml_line(node.start_mark), f"{what} must be a list",
                              f"write one '- ...' line per {what[:-1]}")
            return ()
        return tuple(v for v in (self.text(item, what[:-1]) for item in node.value) if v)

    def links(self, node: yaml.Node) -> tuple[Link, ...]:
        if not isinstance(node, yaml.SequenceNode):
            self.problems.add(_yaml_line(node.start_mark), "links must be a list",
                              "write '- label: ...' and 'url: ...' per link")
            return ()
        links = []
        for item in node.value:
            if not isinstance(item, yaml.MappingNode):
                self.problems.add(_yaml_line(item.start_mark), "each link must be a mapping "
                                  "with 'label' and 'url'", "write '- label: ...' then 'url: ...'")
                continue
            entry = self.mapping(item, "link", ("label", "url"), ("label", "url"))
            label = self.text(entry["label"], "link label") if "label" in entry else None
            url = self.text(entry["url"], "link url") if "url" in entry else None
            if url is not None:
                problem = url_problem(url)
                if problem:
                    self.problems.add(_yaml_line(entry["url"].start_mark), *problem)
                    url = None
            if label and url:
                links.append(Link(label, url))
        return tuple(links)


def url_problem(url: str) -> tuple[str, str] | None:
    """Why ``url`` may not be linked (message, hint), or None when it may."""
    if not url.strip():
        return "link has no address", "write an http(s) or mailto URL between the parentheses"
    try:
        parts = urlsplit(url)
    except ValueError:
        return f"link '{url[:80]}' is not a valid URL", "write a full http(s) or mailto URL"
    if parts.scheme.lower() not in LINK_SCHEMES:
        scheme = f"'{parts.scheme}:' " if parts.scheme else "relative "
        return (f"{scheme}link '{url[:80]}' is not allowed",
                "link only to http://, https:// or mailto: addresses")
    if parts.scheme.lower() in ("http", "https") and not parts.hostname:
        return f"link '{url[:80]}' has no host", "write a full URL such as https://example.org/"
    if parts.scheme.lower() == "mailto" and "@" not in parts.path:
        return f"link '{url[:80]}' is not an e-mail address", "write mailto:name@example.org"
    if any(c.isspace() for c in url):
        return f"link '{url[:80]}' contains spaces", "percent-encode them as %20"
    return None


# ---------------------------------------------------------------- body


def _all_blocks(blocks: Blocks) -> list[Block]:
    from kzreport.model import walk

    return list(walk(blocks))


#: markdown-it stops reading, silently dropping the rest of the paper, once blocks nest this
#: deep; ``MAX_NESTING_LEVEL`` refuses papers well before that.
_PARSER_NESTING = 100
#: How many levels of lists and quotes a paper may nest: a list level counts two (the list
#: and its item), a quote one.
MAX_NESTING_LEVEL = 24
_CONTAINERS = {"bullet_list_open", "ordered_list_open", "list_item_open", "blockquote_open"}


class _Body:
    """Converts markdown-it tokens into model blocks, reporting problems at their source line."""

    def __init__(self, path: Path, problems: _Problems, offset: int) -> None:
        self.path = path
        self.problems = problems
        self.offset = offset
        self.folder = path.resolve().parent
        #: A Key Points heading was found inside a list or quote (and reported there).
        self.nested_key_points = False
        self.md = MarkdownIt("commonmark", {"html": True, "maxNesting": _PARSER_NESTING}
                             ).enable("table")
        # Let every link through the tokenizer so a forbidden scheme is an error, not text.
        self.md.validateLink = lambda url: True  # type: ignore[method-assign]

    def line(self, token: Token) -> int:
        return self.offset + (token.map[0] if token.map else 0) + 1

    def parse(self, body: str) -> Blocks:
        tokens = self.md.parse(body)
        deep = next((t for t in tokens if t.type in _CONTAINERS and t.level >= MAX_NESTING_LEVEL),
                    None)
        if deep is not None:
            self.problems.add(self.line(deep), "lists or quotes nested too deeply",
                              f"nest at most {MAX_NESTING_LEVEL // 2} list levels or "
                              f"{MAX_NESTING_LEVEL} quote levels")
        blocks, _ = self.blocks(tokens, 0, None, top=True)
        # The last line holding text, or the closing '---' when the body is empty.
        last_line = self.offset + (body.rstrip().count("\n") + 1 if body.strip() else 0)
        return self.key_points(blocks, last_line)

    def blocks(self, tokens: list[Token], i: int, close: str | None,
               top: bool = False) -> tuple[list[Block], int]:
        out: list[Block] = []
        while i < len(tokens):
            token = tokens[i]
            if close is not None and token.type == close:
                return out, i + 1
            handler: Callable[[list[Token], int], tuple[Block | None, int]] | None = {
                "heading_open": self.heading,
                "paragraph_open": self.paragraph,
                "bullet_list_open": self.list_block,
                "ordered_list_open": self.list_block,
                "blockquote_open": self.quote,
                "table_open": self.table,
            }.get(token.type)
            if token.type == "heading_open" and not top:
                self.problems.add(self.line(token), "heading inside a list or quote",
                                  "move the heading out to the left margin")
                text = tokens[i + 1].content.strip() if i + 1 < len(tokens) else ""
                self.nested_key_points |= bool(KEY_POINTS_HEADING.fullmatch(text))
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
        return out, i

    def heading(self, tokens: list[Token], i: int) -> tuple[Block | None, int]:
        token = tokens[i]
        level = int(token.tag[1])
        inlines = self.inlines(tokens[i + 1], self.line(token))
        if level == 1:
            self.problems.add(self.line(token), "level-1 heading in the body",
                              "the title comes from the front matter; use '##' for sections")
        elif level > 3:
            self.problems.add(self.line(token), f"level-{level} heading is too deep",
                              "use '##' for sections and '###' for subsections")
        elif not plain_text(inlines).strip():
            self.problems.add(self.line(token), "empty heading", "give the heading some text")
        return Heading(level, inlines, self.line(token)), i + 3

    def paragraph(self, tokens: list[Token], i: int) -> tuple[Block | None, int]:
        line = self.line(tokens[i])
        inline = tokens[i + 1]
        children = [c for c in inline.children or []
                    if not (c.type == "text" and not c.content.strip())]
        if len(children) == 1 and children[0].type == "image":
            return self.figure(children[0], line), i + 3
        return Paragraph(self.inlines(inline, line), line), i + 3

    def figure(self, image: Token, line: int) -> Figure | None:
        alt = " ".join(image.content.split())
        src = unquote(str(image.attrs.get("src", "")))
        shown = src[:80]
        caption = " ".join(str(image.attrs.get("title") or "").split())
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
            blocks, i = self.blocks(tokens, i + 1, "list_item_close")
            items.append(ListItem(tuple(blocks), item_line))
        start = int(token.attrs.get("start", 1)) if ordered else 1
        return ListBlock(ordered, tuple(items), self.line(token), start), i + 1

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

    def inlines(self, inline: Token, line: int) -> Inlines:
        out: list[Inline] = []
        bold = italic = 0
        href: str | None = None
        html_lines: set[int] = set()
        for child in inline.children or []:
            kind = child.type
            if kind == "text":
                if "\ufffd" in child.content:
                    self.problems.add(line, "the text holds U+FFFD, the replacement character: "
                                      "a reference such as &#0; or &#7; or a damaged conversion "
                                      "made it", "write the intended character itself")
                out.append(Span(child.content, bold > 0, italic > 0, False, href))
            elif kind == "code_inline":
                out.append(Span(child.content, bold > 0, italic > 0, True, href))
            elif kind == "softbreak":
                out.append(Span(" ", bold > 0, italic > 0, False, href))
                line += 1
            elif kind == "hardbreak":
                out.append(LineBreak())
                line += 1
            elif kind in ("strong_open", "strong_close"):
                bold += 1 if kind == "strong_open" else -1
            elif kind in ("em_open", "em_close"):
                italic += 1 if kind == "em_open" else -1
            elif kind == "link_open":
                href = str(child.attrs.get("href", ""))
                problem = url_problem(href)
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
        spans = _merge_spans(out)
        check_length(plain_text(spans), self.problems, line, "a paragraph")
        return spans

    def key_points(self, blocks: list[Block], last_line: int) -> Blocks:
        titled = [(i, b) for i, b in enumerate(blocks) if isinstance(b, Heading)
                  and KEY_POINTS_HEADING.fullmatch(plain_text(b.inlines).strip())]
        found = [i for i, b in titled if b.level == 2]
        if not found:
            if titled and titled[0][1].level == 3:
                self.problems.add(titled[0][1].line, "the Key Points heading is level 3",
                                  "make it a level-2 heading: '## Key Points'")
            elif not titled and not self.nested_key_points:  # else reported already
                self.problems.add(last_line, "no '## Key Points' section",
                                  "add a '## Key Points' heading followed by a bullet list")
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
            kind = {Paragraph: "a paragraph", Heading: "a heading", Quote: "a quote",
                    CodeBlock: "a code block", Table: "a table", Figure: "a figure",
                    Rule: "a rule"}.get(type(following), "another block")
            self.problems.add(following.line,
                              f"the Key Points section starts with {kind}, not a bullet list",
                              "put '- ' items right under '## Key Points'")
            return tuple(blocks)
        points = []
        for item in following.items:
            first = item.blocks[0] if item.blocks else None
            if not isinstance(first, Paragraph) or not plain_text(first.inlines).strip():
                self.problems.add(item.line, "key point has no text",
                                  "start each key point with a sentence")
                continue
            headline, rest = _split_headline(first.inlines)
            points.append(KeyPoint(headline, rest, item.blocks[1:], item.line))
        section = KeyPoints(plain_text(heading.inlines).strip().rstrip(":").strip(),
                            tuple(points), heading.line)
        return (*blocks[:at], section, *blocks[at + 2:])


def _merge_spans(inlines: list[Inline]) -> Inlines:
    """Join neighbouring spans of identical formatting."""
    merged: list[Inline] = []
    for item in inlines:
        last = merged[-1] if merged else None
        if (isinstance(item, Span) and isinstance(last, Span)
                and (item.bold, item.italic, item.code, item.href)
                == (last.bold, last.italic, last.code, last.href)):
            merged[-1] = Span(last.text + item.text, last.bold, last.italic, last.code, last.href)
        elif not (isinstance(item, Span) and not item.text):
            merged.append(item)
    return tuple(merged)


def _split_headline(inlines: Inlines) -> tuple[str | None, Inlines]:
    """A leading bold phrase becomes the headline; the rest is the key point's text."""
    count = 0
    for item in inlines:
        if not (isinstance(item, Span) and item.bold):
            break
        count += 1
    headline = plain_text(inlines[:count]).strip()
    if not headline:
        return None, inlines
    rest = list(inlines[count:])
    if rest and isinstance(rest[0], Span):
        first = rest[0]
        rest[0] = Span(first.text.lstrip(), first.bold, first.italic, first.code, first.href)
    return headline, _merge_spans(rest)
