"""A paper's furniture recognised in imported text: bylines, dates, every layout's labels."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from pathlib import Path

from kzreport.layout import MONTHS, Layout, heading_key
from kzreport.model import Author
from kzreport.records import record

#: "By:" and its translations, opening a byline; also the staff paper's "Prepared by",
#: "Written by" and "Author(s):" (only with its colon: "Authors of ..." is a sentence).
BYLINE = re.compile(r"^\s*((?:prepared|written)\s+by|by|von|par|por|di|authors?(?=\s*:)|"
                    r"автор(?:ы)?|авторлар|авторы|подготовил[аи]?)\s*[:\-–]?\s+", re.IGNORECASE)
#: Date formats tried besides the layouts' own, in the layouts' ``{token}`` notation.
_DATE_FORMATS = ("{yyyy}-{mm}-{dd}", "{Month} {d}, {yyyy}", "{d} {Month} {yyyy}",
                 "{Mon} {d}, {yyyy}", "{d} {Mon} {yyyy}", "{dd} {MON} {yy}", "{d}.{m}.{yyyy}",
                 "{d} {Month}, {yyyy}", "{Month} {yyyy}")
_DATE_LABEL = re.compile(r"^\s*(date|datum|fecha|дата|күні)\s*:\s*", re.IGNORECASE)
#: Summary labels besides the layouts': what Word papers call a bottom line up front.
_SUMMARY_WORDS = ("summary", "executive summary", "bluf", "bottom line up front", "abstract",
                  "zusammenfassung", "résumé", "resumen", "резюме", "аннотация", "түйіндеме")
_FURTHER_WORDS = ("further reading", "references", "links", "sources", "weiterführende literatur",
                  "для дальнейшего чтения", "ссылки", "сілтемелер")


@record
class Labels:
    """The words of every known layout that a brief prints around a paper."""

    summary: frozenset[str]
    further_reading: frozenset[str]
    figure: tuple[re.Pattern[str], ...]
    date_formats: tuple[tuple[str, tuple[str, ...]], ...]
    #: The layouts' monospaced font families: runs set in them are code.
    mono: frozenset[str]
    table: tuple[re.Pattern[str], ...] = ()
    #: The names of the Key Points heading in every language the layouts have (as compared).
    key_points: frozenset[str] = frozenset()

    def is_key_points(self, text: str) -> bool:
        return heading_key(text) in self.key_points

    def is_summary(self, text: str) -> bool:
        return _key(text) in self.summary

    def is_further_reading(self, text: str) -> bool:
        return _key(text) in self.further_reading

    def strip_figure_label(self, caption: str) -> str:
        """``caption`` without the "Figure 3." (or "Рисунок 3 –") a brief or Word put before it."""
        for pattern in self.figure:
            if match := pattern.match(caption):
                return caption[match.end():].strip()
        return caption.strip()


    def table_label_length(self, caption: str) -> int:
        """How long the "Table 2." a brief or Word put before ``caption`` is (0: none)."""
        for pattern in self.table:
            if match := pattern.match(caption):
                return match.end()
        return 0


def _key(text: str) -> str:
    return " ".join(text.lower().split()).rstrip(":").strip()


def known_labels(cwd: Path, layout: Layout | None) -> Labels:
    """The labels of ``layout`` (if given) and of every layout found from ``cwd``."""
    from kzreport.errors import KzreportError
    from kzreport.layout_loader import available_layouts, load_layout

    layouts = [layout] if layout is not None else []
    for _, _, folder in available_layouts(cwd):
        try:
            layouts.append(load_layout(str(folder), cwd))
        except KzreportError:
            continue  # a broken project layout says nothing about the brief
    # Each layout's words in every language it has some for (an Arabic paper's summary label).
    layouts = [one for x in layouts for one in (x, *(x.for_language(t) for t in x.languages))]
    summary = {_key(w) for w in _SUMMARY_WORDS} | {_key(x.labels.summary) for x in layouts}
    further = {_key(w) for w in _FURTHER_WORDS} | {
        _key(x.labels.further_reading) for x in layouts}
    figures, tables = ([re.compile(re.escape(label).replace(r"\{n\}", r"\d+") + r"\s*")
                        for label in labels if "{n}" in label]
                       for labels in ([x.labels.figure for x in layouts],
                                      [x.labels.table for x in layouts]))
    # Word's own: "Figure 3: ...", "Рисунок 3 – ...", "Abbildung 3. ..."
    figures.append(re.compile(r"\w+\s+\d+(\.\d+)*\s*[.:–—-]\s*"))
    tables.append(figures[-1])
    formats = [(x.date_format, x.month_names) for x in layouts]
    formats += [(f, MONTHS) for f in _DATE_FORMATS]
    key_points = {name for x in layouts for name in x.key_points_names}
    return Labels(frozenset(summary), frozenset(further), tuple(figures),
                  tuple(dict.fromkeys(formats)), frozenset(x.fonts.mono.name for x in layouts),
                  tuple(tables), frozenset(key_points))


def _date_pattern(pattern: str, months: tuple[str, ...]) -> re.Pattern[str]:
    names = "|".join(re.escape(m) for m in months)
    shorts = "|".join(re.escape(m[:3]) for m in months)
    tokens = {"d": r"(?P<d>\d{1,2})", "dd": r"(?P<d>\d\d)", "m": r"(?P<m>\d{1,2})",
              "mm": r"(?P<m>\d\d)", "yy": r"(?P<yy>\d\d)", "yyyy": r"(?P<y>\d{4})",
              "Month": f"(?P<month>{names})", "Mon": f"(?P<mon>{shorts})",
              "MON": f"(?P<mon>{shorts})"}
    regex = ""
    for piece in re.split(r"(\{\w+\})", pattern):
        token = piece[1:-1] if piece.startswith("{") else None
        regex += tokens.get(token, "") if token else re.escape(piece).replace(r"\ ", r"\s+")
    return re.compile(regex + r"\.?", re.IGNORECASE)


def parse_date(text: str, labels: Labels, hint: dt.date | None = None) -> dt.date | None:
    """The date a line of text states in any known format, or None. ``hint`` (the file's
    creation date) decides a two-digit year and is taken when it prints the same."""
    text = _DATE_LABEL.sub("", " ".join(text.split()))
    if not text or len(text) > 40:
        return None
    for pattern, months in labels.date_formats:
        match = _date_pattern(pattern, months).fullmatch(text)
        if match is None:
            continue
        if hint is not None:
            from kzreport.layout import format_date

            if _key(format_date(pattern, hint, months)) == _key(text):
                return hint
        found = match.groupdict()
        lower = [m.lower() for m in months]
        month = (lower.index(found["month"].lower()) + 1 if found.get("month") else
                 [m[:3] for m in lower].index(found["mon"].lower()) + 1 if found.get("mon")
                 else int(found["m"]))
        year = int(found["y"]) if found.get("y") else 2000 + int(found["yy"])
        try:
            return dt.date(year, month, int(found.get("d") or 1))
        except ValueError:
            continue
    return None


def is_byline(text: str) -> bool:
    """Whether ``text`` is a byline: a label (``BYLINE``) and then names. After a label
    without its colon, a lowercase word ("By contrast, ...", "Prepared by the staff") or a
    number ("By 2030 the plan ...") is a sentence."""
    match = BYLINE.match(text)
    if match is None:
        return False
    rest = text[match.end():]
    return any(c in match.group() for c in ":-–") or not (
        rest[:1].islower() or re.match(r"\d+\b", rest) is not None)


def byline_authors(texts: Iterable[tuple[str, str]]) -> tuple[Author, ...]:
    """Authors from byline paragraphs, each (the name in bold or before the first comma,
    the rest); "By:" dropped and several authors on one line split at semicolons."""
    authors: list[Author] = []
    for name, rest in texts:
        if not name:
            line = BYLINE.sub("", rest)
            for one in (p.strip() for p in line.split(";") if p.strip()):
                head, _, tail = one.partition(",")
                authors.append(Author(head.strip(), tail.strip() or None))
            continue
        name = BYLINE.sub("", name).strip().rstrip(",").strip()
        affiliation = rest.strip().lstrip(",").strip()
        if name:
            authors.append(Author(name, affiliation or None))
    return tuple(authors)
