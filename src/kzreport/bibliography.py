"""A paper's bibliography files (CSL JSON, BibTeX, CSL YAML) and citation style, read."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kzreport.errors import Problem
from kzreport.model import Metadata
from kzreport.records import record
from kzreport.source_checks import Problems

#: The styles shipped in the package (``csl:`` names), the first the default: a notes style,
#: as the field's papers cite in footnotes.
STYLES_FOLDER = Path(__file__).parent / "csl"
SHIPPED_STYLES = ("chicago-note-bibliography", "chicago-author-date")
#: Larger bibliography or style files are refused, as a source over its limit is.
MAX_FILE_BYTES = 5_000_000


@record
class Bibliography:
    """The entries a paper may cite (CSL JSON by key), its style file, whether the style
    puts citations in notes, and the files they were read from (inputs of the build)."""

    items: Mapping[str, Mapping[str, Any]]
    style: Path
    notes: bool
    files: tuple[Path, ...]
    #: Where each entry is written: its file (the paper's own for ``references:``) and line.
    origins: Mapping[str, tuple[Path, int | None]]


def load_bibliography(meta: Metadata, source: Path, lines: Mapping[str, int],
                      problems: Problems) -> Bibliography | None:
    """The bibliography of the paper at ``source`` (None on problems, each reported: at the
    front matter's line, or in the bibliography file at its own)."""
    folder = source.resolve().parent
    before = len(problems.items)
    items: dict[str, Mapping[str, Any]] = {}
    origins: dict[str, tuple[Path, int | None]] = {}
    files: list[Path] = []
    for name in meta.bibliography:
        path = _input(folder / name, name, lines.get("bibliography"), "bibliography file",
                      problems)
        if path is None:
            continue
        files.append(path)
        for line, item in _entries(path, problems):
            key = str(item.get("id", ""))
            if key in items:
                problems.items.append(Problem(path, line, f"citation key '{key}' is defined "
                                              "twice in the bibliography",
                                              "give each entry a key of its own"))
            items[key] = item
            origins[key] = (path, line)
    for item in meta.references:
        items[str(item["id"])] = item
        origins[str(item["id"])] = (source, lines.get("references"))
    style = STYLES_FOLDER / f"{SHIPPED_STYLES[0]}.csl"
    if meta.csl in SHIPPED_STYLES:
        style = STYLES_FOLDER / f"{meta.csl}.csl"
    elif meta.csl is not None:
        found = _input(folder / meta.csl, meta.csl, lines.get("csl"), "citation style",
                       problems, f"or name a shipped style: {', '.join(SHIPPED_STYLES)}")
        if found is not None:
            style = found
            files.append(found)
    notes = _style_class(style, problems, lines.get("csl"))
    if len(problems.items) > before or notes is None:
        return None
    return Bibliography(items, style, notes, tuple(files), origins)


def _input(path: Path, written: str, line: int | None, what: str, problems: Problems,
           more: str = "") -> Path | None:
    """``path`` (as ``written`` in the front matter) when it is a readable file inside bounds."""
    if not path.is_file():
        problems.add(line, f"{what} '{written}' does not exist",
                     "give its path relative to the paper's folder" + (f", {more}" if more
                                                                        else ""))
        return None
    if path.stat().st_size > MAX_FILE_BYTES:
        problems.add(line, f"{what} '{written}' is over {MAX_FILE_BYTES:,} bytes",
                     "cite from a smaller file holding the paper's sources")
        return None
    return path


def _entries(path: Path, problems: Problems) -> list[tuple[int, Mapping[str, Any]]]:
    """The entries of bibliography file ``path`` with their lines; a file that does not parse
    is one problem at its line."""
    def fail(line: int | None, message: str, hint: str) -> list[tuple[int, Mapping[str, Any]]]:
        problems.items.append(Problem(path, line, message, hint))
        return []

    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return fail(None, f"cannot read bibliography: {exc}", "save it as UTF-8 text")
    suffix = path.suffix.lower()
    if suffix == ".bib":
        from kzreport.bibtex import BibtexError, read_bibtex
        try:
            return [(line, item) for line, item in read_bibtex(text)]
        except BibtexError as exc:
            return fail(exc.line, f"invalid BibTeX: {exc.message}",
                        "fix the entry (braces and quotes must pair up)")
    if suffix == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            return fail(exc.lineno, f"invalid CSL JSON: {exc.msg}", "fix the JSON syntax")
        return _csl_items(data, path, problems, lambda item: 1 + text.count(
            "\n", 0, max(text.find(json.dumps(item.get("id"))), 0)))
    if suffix in (".yaml", ".yml"):
        import yaml
        try:
            data = yaml.safe_load(text)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            return fail(mark.line + 1 if mark else None, f"invalid YAML: {exc.problem}",
                        "fix the YAML syntax")
        except yaml.YAMLError as exc:
            return fail(None, f"invalid YAML: {exc}", "fix the YAML syntax")
        if isinstance(data, dict) and "references" in data:
            data = data["references"]
        return _csl_items(data, path, problems, lambda item: 1 + text.count(
            "\n", 0, max(text.find(str(item.get("id"))), 0)))
    return fail(None, f"bibliography format '{suffix or path.name}' is not read",
                "use CSL JSON (.json), BibTeX (.bib) or CSL YAML (.yaml)")


def _csl_items(data: Any, path: Path, problems: Problems,
               line_of: Any) -> list[tuple[int, Mapping[str, Any]]]:
    """CSL JSON (or its YAML form) ``data``: a list of items, each with an ``id``."""
    if not isinstance(data, list):
        problems.items.append(Problem(path, 1, "a CSL bibliography must be a list of entries",
                                      "write [ {\"id\": ..., \"type\": ...}, ... ]"))
        return []
    out = []
    for item in map(csl_item, data):
        problem = item_problem(item)
        if problem:
            line = line_of(item) if isinstance(item, dict) else 1
            problems.items.append(Problem(path, line, *problem))
        else:
            out.append((line_of(item), item))
    return out


def csl_item(item: Any) -> Any:
    """A CSL entry as citeproc-py reads it: dates written as text, numbers or YAML dates (CSL
    YAML, Pandoc's ``references:``) become date parts, names written as text literal names."""
    if not isinstance(item, dict):
        return item
    out = {str(k): v for k, v in item.items()}
    for field in ("issued", "accessed", "event-date", "original-date", "submitted"):
        value = out.get(field)
        if isinstance(value, dt.date):
            out[field] = {"date-parts": [[value.year, value.month, value.day]]}
        elif isinstance(value, int | str):
            parts = str(value).strip().split("-")
            out[field] = ({"date-parts": [[int(p) for p in parts]]}
                          if all(p.isdigit() for p in parts) else {"literal": str(value)})
    for field in ("author", "editor", "translator", "container-author", "director"):
        names = out.get(field)
        if isinstance(names, str | dict):
            names = [names]
        if isinstance(names, list):
            out[field] = [{"literal": n} if isinstance(n, str) else n for n in names]
    for field, value in out.items():
        if isinstance(value, int | float) and not isinstance(value, bool) and field != "id":
            out[field] = str(value)  # volume: 37
    if isinstance(out.get("id"), int):
        out["id"] = str(out["id"])
    return out


def item_problem(item: Any) -> tuple[str, str] | None:
    """What is wrong with one CSL JSON entry (message, hint), or None."""
    if not isinstance(item, dict):
        return "a bibliography entry must be a mapping", "write 'id: key', 'type: book', ..."
    if not isinstance(item.get("id"), str | int) or not str(item.get("id")).strip():
        return "a bibliography entry has no 'id'", "give it the key the paper cites it by"
    if not isinstance(item.get("type", "document"), str):
        return f"entry '{item['id']}': 'type' must be text", "write e.g. 'type: book'"
    return None


#: CSL's name variables that say who made a source (an edited book's editor, a film's
#: director): an entry with none of them and no title cannot be told from another.
CREATORS = ("author", "editor", "director", "composer", "container-author",
            "collection-editor", "editorial-director", "translator", "interviewer",
            "illustrator", "compiler", "organizer", "curator", "performer", "producer")
#: How each format writes the fields a thin entry lacks, for the hint.
_FIELDS_AS_WRITTEN = {
    ".bib": {"creator": "author = {…} (or editor)", "title": "title = {…}",
             "date": "year = {…} (or date)"},
    ".json": {"creator": '"author" (or "editor")', "title": '"title"', "date": '"issued"'},
    "yaml": {"creator": "author: (or editor:)", "title": "title:", "date": "issued:"},
}


def thin_entry(bibliography: Bibliography, key: str) -> Problem | None:
    """A warning at the entry of cited ``key`` when it has no title (nor, then, an author or
    editor) or no date: it still prints, but cannot be found from what the reader sees, its
    date shown as "n.d."; None when it has them."""
    item = bibliography.items[key]
    missing = []
    if not _text(item.get("title")):
        if not any(_names(item.get(field)) for field in CREATORS):
            missing.append("creator")
        missing.append("title")
    if not _date(item.get("issued")):
        missing.append("date")
    if not missing:
        return None
    path, line = bibliography.origins[key]
    said = {"creator": "no author or editor", "title": "no title", "date": "no date"}
    written = _FIELDS_AS_WRITTEN.get(path.suffix.lower(), _FIELDS_AS_WRITTEN["yaml"])
    return Problem(path, line, f"bibliography entry '{key}' has "
                   f"{_listed([said[m] for m in missing])}: it prints without "
                   f"{'them' if len(missing) > 1 else 'it'}"
                   + (" ('n.d.' for the date)" if "date" in missing else ""),
                   f"add {_listed([written[m] for m in missing])} to the entry",
                   severity="warning")


def _listed(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _text(value: Any) -> bool:
    return isinstance(value, str | int | float) and bool(str(value).strip())


def _names(value: Any) -> bool:
    """Whether a CSL name list names anyone."""
    return isinstance(value, list) and any(
        isinstance(name, dict) and any(_text(name.get(part)) for part in
                                       ("family", "given", "literal")) for name in value)


def _date(value: Any) -> bool:
    """Whether a CSL date holds a year or a date in words ("forthcoming")."""
    if not isinstance(value, dict):
        return _text(value)
    parts = value.get("date-parts")
    first = parts[0] if isinstance(parts, list) and parts else None
    return (isinstance(first, list) and any(_text(p) for p in first)) or any(
        _text(value.get(field)) for field in ("literal", "raw"))


def _style_class(style: Path, problems: Problems, line: int | None) -> bool | None:
    """Whether the style at ``style`` puts citations in notes (its ``class``), or None when
    it is not a CSL style (reported)."""
    import xml.etree.ElementTree as ET
    try:
        root = ET.parse(style).getroot()
    except (ET.ParseError, OSError) as exc:
        problems.add(line, f"citation style '{style.name}' is not valid XML: {exc}",
                     "use a .csl file from the Citation Style Language project")
        return None
    kind = root.get("class")
    if not root.tag.endswith("}style") or kind not in ("note", "in-text"):
        problems.add(line, f"'{style.name}' is not a CSL style",
                     "use a .csl file from the Citation Style Language project")
        return None
    if root.find("{http://purl.org/net/xbiblio/csl}citation") is None:
        problems.add(line, f"'{style.name}' is a dependent CSL style (it only names another)",
                     "use the independent style it links to as its parent")
        return None
    return kind == "note"
