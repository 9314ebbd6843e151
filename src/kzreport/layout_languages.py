"""A layout's words per language: labels, month names, date format and heading names."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import fields
from typing import TYPE_CHECKING

from kzreport.layout import DATE_TOKENS, MONTHS, FontFamily, Labels, Language
from kzreport.layout_language_fonts import language_faces
from kzreport.layout_loader import LABEL_FIELDS, label_problem

if TYPE_CHECKING:
    from kzreport.layout_loader import _Reader


def languages_of(read: _Reader, labels: Labels, date_format: str,
                 families: Mapping[str, FontFamily]) -> dict[str, Language]:
    """The [languages.TAG] tables: labels, month names, date format, heading names, fallback
    faces and line spacing for papers in that language, each falling back to the layout's
    own (``families``: the layout's fallback font families by table name)."""
    languages = {}
    for tag in read.table("languages"):
        where = f"languages.{tag}"
        read.known_keys(where, {"labels", "month_names", "date_format", "key_points_headings",
                                "script"})
        read.known_keys(f"{where}.labels", {f.name for f in fields(Labels)})
        own = read.table(f"{where}.labels")
        words = Labels(*(str(read.value(f"{where}.labels.{f.name}", str)) if f.name in own
                         else getattr(labels, f.name) for f in fields(Labels)))
        for label, allowed in LABEL_FIELDS.items():
            problem = label_problem(getattr(words, label), allowed)
            if problem and label in own:
                read.problem(f"{where}.labels.{label}", *problem)
        months = read.value(f"{where}.month_names", list, [])
        if months and (len(months) != 12 or not all(isinstance(m, str) and m.strip()
                                                     for m in months)):
            read.problem(f"{where}.month_names", "'month_names' must list twelve month names",
                         "write twelve names in calendar order")
            months = []
        own_format = str(read.value(f"{where}.date_format", str, date_format))
        # Only its own format: the layout's was checked (and reported) where it is set.
        for token in re.findall(r"\{(\w*)\}", own_format) if "date_format" in read.table(
                where) else ():
            if token not in DATE_TOKENS:
                read.problem(f"{where}.date_format", f"unknown date token '{{{token}}}'",
                             "use " + ", ".join("{" + t + "}" for t in DATE_TOKENS))
                own_format = date_format
        languages[tag.lower()] = Language(
            words, tuple(months) if months else tuple(read.value("month_names", list,
                                                                 list(MONTHS)) or MONTHS),
            own_format, *language_faces(read, where, families),
            key_points_headings=heading_names(read, f"{where}.key_points_headings"))
    return languages


def heading_names(read: _Reader, key: str) -> tuple[str, ...]:
    """The list of heading names at ``key`` (none when it is not set)."""
    names = read.value(key, list, []) or []
    if not all(isinstance(name, str) and name.strip() for name in names):
        read.problem(key, f"'{key}' must list heading names", 'write ["Key Findings", ...]')
        return ()
    return tuple(names)
