"""Read a paper's YAML front matter into ``Metadata``, each key located at its line."""

from __future__ import annotations

import bisect
import datetime as dt
import difflib
import functools
import re
from typing import Any

from kzreport.lazy_imports import compiled_when_used
from kzreport.model import Author, Link, Metadata
from kzreport.source_checks import Problems, check_length, check_text, url_problem

#: How PyYAML's pattern of the characters a YAML stream may not hold starts: it compiles it,
#: a class over all of Unicode, as it loads (a twentieth of starting to parse a paper).
YAML_NON_PRINTABLE_START = "[^\x09\x0A\x0D\x20-\x7E"
with compiled_when_used(YAML_NON_PRINTABLE_START):
    import yaml

#: Front matter nested deeper than this is refused (the deepest valid value, an author's
#: affiliation, is at depth 3); it also keeps PyYAML's recursive composer off the stack limit.
MAX_YAML_DEPTH = 10
FRONT_MATTER_KEYS = (
    "title", "subtitle", "authors", "date", "organization", "summary", "links",
    "disclaimer", "marking", "language", "keywords", "layout", "toc", "acronyms",
    "disclaimer", "marking", "language", "keywords", "layout",
    "bibliography", "csl", "references",
)  # fmt: skip
LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")
# Capitals and digits of any script (a Kazakh paper may carry a Cyrillic marking), then
# spaces, commas, hyphens, slashes and parentheses: SECRET//NOFORN, CUI//SP-PRVCY.
MARKING = re.compile(r"[^\W_a-z][^\W_a-z]*(?:[ ,\-/()]+[^\W_a-z]*)*")
YAML_TAGS = {
    "tag:yaml.org,2002:" + t for t in ("str", "int", "float", "bool", "null", "timestamp", "seq",
                                       "map")
}


def read_front_matter(text: str, problems: Problems) -> tuple[Metadata | None, dict[str, int]]:
    """The metadata in front matter ``text`` (None when it has problems, each reported) and the
    file line of every key."""
    try:
        return _front_matter(text, problems)
    finally:
        _line_breaks.cache_clear()  # do not keep the front matter alive after parsing


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
    #: The characters PyYAML's reader refuses, as the few small ranges they are rather than
    #: the complement of the rest (the same characters; PyYAML's is then never compiled).
    #: (The stubs call it Final; PyYAML reads it through ``self``, so this one is used.)
    NON_PRINTABLE = re.compile("[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F"  # type: ignore[misc]
                               "\uD800-\uDFFF\uFFFE\uFFFF]")

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


def _front_matter(text: str, problems: Problems) -> tuple[Metadata | None, dict[str, int]]:
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
    return _FrontMatter(problems, _FrontMatterLoader("")).read(node)


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

    def __init__(self, problems: Problems, loader: yaml.SafeLoader) -> None:
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
        optional: dict[str, Any] = {k: self.text(fields[k], k, optional=True) for k in
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
        if "toc" in fields:
            optional["toc"] = self.flag(fields["toc"], "toc")
        if "acronyms" in fields:
            optional["acronyms"] = self.acronyms(fields["acronyms"])
        citing = self.citing(fields)
        if len(self.problems.items) > before or title is None or date is None or not authors:
            return None, lines
        return Metadata(title=title, authors=authors, date=date, links=links,
                        keywords=keywords, language=language, **optional, **citing), lines

    def citing(self, fields: dict[str, yaml.Node]) -> dict[str, Any]:
        """``bibliography`` (a file or a list of them), ``csl`` and inline ``references``."""
        out: dict[str, Any] = {}
        if "bibliography" in fields:
            node = fields["bibliography"]
            files = (self.strings(node, "bibliography files")
                     if isinstance(node, yaml.SequenceNode) else
                     (self.text(node, "bibliography"),))
            out["bibliography"] = tuple(f for f in files if f)
        if "csl" in fields:
            out["csl"] = self.text(fields["csl"], "csl")
        if "references" in fields:
            from kzreport.bibliography import csl_item, item_problem
            node = fields["references"]
            if not isinstance(node, yaml.SequenceNode):
                self.problems.add(_yaml_line(node.start_mark), "references must be a list",
                                  "write one '- id: key' entry (CSL YAML) per source")
                return out
            items = []
            for item in node.value:
                entry = csl_item(self.scalar(item))
                problem = item_problem(entry)
                if problem:
                    self.problems.add(_yaml_line(item.start_mark), *problem)
                else:
                    items.append(entry)
            out["references"] = tuple(items)
        return out

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

    def flag(self, node: yaml.Node, what: str) -> bool:
        if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:bool":
            return bool(self.scalar(node))
        self.problems.add(_yaml_line(node.start_mark), f"{what} must be true or false",
                          f"write '{what}: true'")
        return False

    def acronyms(self, node: yaml.Node) -> tuple[tuple[str, str], ...]:
        """``ABBR: long form`` pairs, sorted by abbreviation."""
        if not isinstance(node, yaml.MappingNode):
            self.problems.add(_yaml_line(node.start_mark), "acronyms must be a mapping",
                              "write one 'ABBR: Long Form' line per acronym under 'acronyms:'")
            return ()
        pairs: dict[str, str] = {}
        for key_node, value_node in node.value:
            line = _yaml_line(key_node.start_mark)
            # The key as written: YAML would read NO or ON as false and true.
            short = " ".join(str(key_node.value).split()) \
                if isinstance(key_node, yaml.ScalarNode) else None
            if not short or not check_text(short, self.problems, line, "acronym"):
                self.problems.add(line, "an acronym must be a word", "write 'ABBR: Long Form'")
                continue
            long = self.text(value_node, f"the long form of {short}")
            if short in pairs:
                self.problems.add(line, f"acronym '{short}' is listed twice",
                                  "keep only one of them")
            elif long:
                pairs[short] = long
        return tuple(sorted(pairs.items(), key=lambda pair: (pair[0].casefold(), pair[0])))

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
