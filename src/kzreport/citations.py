"""Pandoc's citations in a paper's text (``[@key, p. 12]``, ``@key``), checked and formatted."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from kzreport.body_notes import Notes
from kzreport.crossrefs import kind_of
from kzreport.model import Citation, Inline, Paragraph, Source, Span
from kzreport.records import record
from kzreport.source_checks import Problems

if TYPE_CHECKING:
    from kzreport.bibliography import Bibliography
    from kzreport.citeproc_format import Formatter

#: A citation key (Pandoc's rule): a letter, digit or ``_``, then those and punctuation
#: inside the key (``smith:2004.a``), or anything but braces in ``@{...}``.
KEY = r"(?:\{(?P<braced>[^{}]+)\}|(?P<key>\w(?:\w|[:.#$%&\-+?<>~/](?=\w))*))"
#: ``@key`` not preceded by a word character: ``me@example.com`` is an address, not a citation.
#: (The patterns are compiled on first use, by ``re``'s cache: most papers cite nothing, and
#: their parse should not pay for it.)
NARRATIVE = r"(?<![\w@])@" + KEY + r"(?:\s\[(?P<locator>[^\[\]@]*)\])?"
BRACKETED = r"\[(?P<body>[^\[\]]*@[^\[\]]*)\]"
ITEM = r"(?s)(?P<prefix>(?:.*?[\s(])?)(?P<minus>-?)@" + KEY + r"(?P<rest>.*)"
#: Locator labels as Pandoc reads them (English abbreviations and words), by CSL locator type.
LOCATOR_LABELS = {
    "page": "p. pp. page pages", "chapter": "ch. chap. chaps. chapter chapters",
    "section": "sec. secs. section sections § §§", "paragraph": "para. paras. paragraph ¶ ¶¶",
    "volume": "vol. vols. volume volumes", "figure": "fig. figs. figure figures",
    "note": "n. nn. note notes", "line": "l. ll. line lines", "part": "pt. pts. part parts",
    "book": "bk. bks. book books", "column": "col. cols. column columns",
    "folio": "fol. fols. folio folios", "number": "no. nos. number numbers",
    "verse": "v. vv. verse verses", "issue": "iss. issue issues", "opus": "op. opp. opus",
    "sub verbo": "s.v. s.vv. sub verbo",
}  # fmt: skip
#: ... and as papers in the languages the layouts know write them (Pandoc reads the terms
#: of the paper's locale): Russian, Ukrainian, German, French, Spanish, Italian.
LOCATOR_LABELS_ELSEWHERE = {
    "page": "с. стр. S. pág. págs. pag.", "chapter": "гл. розд. Kap. cap.",
    "section": "разд. Abschn.", "paragraph": "абз. Abs.", "volume": "т. Bd. Bde.",
    "figure": "рис. Abb.", "note": "прим. Anm.", "part": "ч. Tl.", "book": "кн.",
    "number": "№ Nr.", "issue": "вып. H.",
}  # fmt: skip
_LABEL = {word.lower(): kind for table in (LOCATOR_LABELS, LOCATOR_LABELS_ELSEWHERE)
          for kind, words in table.items() for word in words.split()}
_LABELS = "|".join(re.escape(w) for w in sorted(_LABEL, key=len, reverse=True))
#: A locator: an optional label, then numbers (Arabic or Roman), ranges and lists of them.
_NUMBER = r"(?:\d+|[ivxlcdm]+)[a-z]?(?:\s*[-–—]\s*(?:\d+|[ivxlcdm]+)[a-z]?)?"
LOCATOR = (rf"(?i)\s*,?\s*(?:(?P<label>{_LABELS})\s*)?(?P<value>{_NUMBER}"
           rf"(?:\s*,\s*{_NUMBER})*)(?=$|[\s,;.)])")
INSTALL_HINT = "install it with: pip install 'kzreport[citations]'"


@record
class CiteItem:
    """One cited entry of a citation: its key, the text around it, its locator."""

    key: str
    prefix: str = ""
    suffix: str = ""
    label: str = ""
    locator: str = ""
    suppress_author: bool = False


@record
class Found:
    """A citation found in a text: where it starts and ends, its items, whether it is
    narrative (``@key``: the author in the text)."""

    start: int
    end: int
    items: tuple[CiteItem, ...]
    narrative: bool = False


def find_citations(text: str) -> list[Found]:
    """Every citation in ``text`` in order: bracketed groups, then narrative keys outside them."""
    found: list[Found] = []
    taken: list[tuple[int, int]] = []
    for match in re.finditer(BRACKETED, text):
        items = _group(match.group("body"))
        if items:
            found.append(Found(match.start(), match.end(), items))
            taken.append(match.span())
    for match in re.finditer(NARRATIVE, text):
        if any(start <= match.start() < end for start, end in taken) or kind_of(_key(match)):
            continue  # inside a bracketed citation, or a cross-reference ('@fig-map')
        label, locator, suffix = _locator(match.group("locator") or "")
        if match.group("locator") is not None and suffix.strip():
            # '@key [text]' is Pandoc's narrative citation with a locator only: keep the
            # bracket as text when it is not one
            end = match.start("locator") - 2
        else:
            end = match.end()
        found.append(Found(match.start(), end, (CiteItem(
            _key(match), label=label, locator=locator),), narrative=True))
    return sorted(found, key=lambda f: f.start)


def _key(match: re.Match[str]) -> str:
    return match.group("braced") or match.group("key")


def _group(body: str) -> tuple[CiteItem, ...]:
    """The items of a bracketed citation's ``body``; none when a part holds no key (then the
    brackets are text, as in Pandoc)."""
    items = []
    for part in body.split(";"):
        match = re.fullmatch(ITEM, part.strip())
        if not match:
            return ()
        label, locator, suffix = _locator(match.group("rest"))
        items.append(CiteItem(_key(match), match.group("prefix"), suffix, label, locator,
                              bool(match.group("minus"))))
    return tuple(items)


def _locator(rest: str) -> tuple[str, str, str]:
    """The locator's label and value at the start of ``rest`` and the suffix after it."""
    match = re.match(LOCATOR, rest)
    if not match or not (match.group("label") or rest.lstrip(" ,")[:1].isdigit()):
        return "", "", rest
    label = _LABEL.get((match.group("label") or "p.").lower(), "page")
    return label, match.group("value"), rest[match.end():]


#: Characters a note's reference moves in front of: "text [@a]." reads "text.¹", as Pandoc
#: prints notes after punctuation.
NOTE_PUNCTUATION = ".,;:!?"


class Citer:
    """Finds and formats a paper's citations as the parser meets them, in reading order (a
    notes style says "Ibid." for the same source twice in a row)."""

    def __init__(self, bibliography: Bibliography | None, problems: Problems,
                 language: str | None, lines: list[str] | None = None) -> None:
        self.bibliography = bibliography
        self.problems = problems
        #: The file's lines (for the column of a problem), and the body's notes, which a
        #: notes style's citations join.
        self.lines = lines or []
        self.footnotes = Notes(problems)
        #: The paper's language (the style's words: "ibid.", "and"); None when the front
        #: matter did not parse, and citations are checked once it does.
        self.language = language
        self.formatter: Formatter | None = None
        #: citeproc-py is missing or the style cannot be read (reported once).
        self.unusable = False
        #: The keys cited so far, whose entries were checked for a title and date.
        self.checked: set[str] = set()

    def split(self, text: str, line: int, in_note: bool,
              span: Callable[[str], Span]) -> list[Inline]:
        """``text`` (on file line ``line``) as spans made by ``span``, with every citation in
        it formatted."""
        if "@" not in text:
            return [span(text)]
        source_line = "".join(self.lines[line - 1:line])

        def column_of(key: str) -> int | None:
            return source_line.find("@" + key) + 1 or None

        out: list[Inline] = []
        at = 0
        for found in find_citations(text):
            if found.start < at:
                continue
            keys = tuple(item.key for item in found.items)
            cited = self.cite(found, line, column_of, in_note)
            if cited is None:
                continue  # text, or a problem reported
            author, formatted = cited
            before = text[at:found.start]
            end = found.end
            if not in_note and self.notes and not found.narrative:
                before = before.rstrip()
                while end < len(text) and text[end] in NOTE_PUNCTUATION:
                    end += 1
                before += text[found.end:end]
            elif in_note and self.notes and text[end:].strip():
                formatted = _without_period(formatted)  # the note's own text goes on
            if before:
                out.append(span(before))
            out.append(Citation(keys))
            out.extend(self.placed(author, formatted, line, in_note, span))
            at = end
        if at < len(text):
            out.append(span(text[at:]))
        return out

    @property
    def notes(self) -> bool:
        return self.bibliography is not None and self.bibliography.notes

    def placed(self, author: tuple[Span, ...], formatted: tuple[Span, ...], line: int,
               in_note: bool, span: Callable[[str], Span]) -> list[Inline]:
        """A formatted citation where it goes, after the author a narrative one names: in
        place, or in a note of its own."""
        if not self.notes or in_note:
            # "Cooley (2012, 14)": the author, then the citation without them; in a note, the
            # notes style's citation names the author itself
            author = (*author, Span(" ")) if author else ()
            return [_styled(s, span) for s in (*author, *formatted)]
        ref = self.footnotes.refer(None, line, (Paragraph(_capitalised(formatted), line),))
        return [*(_styled(s, span) for s in author), ref]

    def cite(self, found: Found, line: int, column_of: Callable[[str], int | None],
             in_note: bool) -> tuple[tuple[Span, ...], tuple[Span, ...]] | None:
        """The author a narrative citation names in the text (or nothing) and the citation
        ``found`` formatted; None when it is text or has a problem."""
        if self.language is None:
            return None
        first = found.items[0].key
        if self.bibliography is None:
            if found.narrative:
                self.problems.warn(line, f"'@{first}' looks like a citation but the paper has "
                                   "no bibliography; it prints as is",
                                   "add 'bibliography: FILE' to the front matter, or write "
                                   f"\\@{first}", column_of(first))
            else:
                self.problems.add(line, f"citation of '{first}' but the paper has no "
                                  "bibliography", "add 'bibliography: refs.bib' (or .json) to "
                                  "the front matter", column_of(first))
            return None
        keys = list(self.bibliography.items)
        for item in found.items:
            if item.key not in self.bibliography.items:
                near = difflib.get_close_matches(item.key, keys, n=1, cutoff=0.6)
                self.problems.add(line, f"unknown citation key '{item.key}'",
                                  f"did you mean '{near[0]}'?" if near else
                                  "add the entry to the bibliography, or write \\@ to print "
                                  "@ as text", column_of(item.key))
                return None
        self.check_entries(found)
        formatter = self.formatter_or_report(line, column_of(first))
        if formatter is None:
            return None
        try:
            author: tuple[Span, ...] = ()
            if found.narrative and not (self.notes and in_note):
                author = formatter.author(first)
            return author, formatter.citation(found, in_note or not self.notes)
        except Exception as exc:  # citeproc-py fails on entries it cannot read
            self.problems.add(line, f"citation of '{first}' could not be formatted: {exc}",
                              "check the entry's fields in the bibliography", column_of(first))
            return None

    def check_entries(self, found: Found) -> None:
        """Warn once, at its entry, about each cited entry without a title or date."""
        from kzreport.bibliography import thin_entry

        assert self.bibliography is not None
        for item in found.items:
            if item.key not in self.checked:
                self.checked.add(item.key)
                if warning := thin_entry(self.bibliography, item.key):
                    self.problems.warnings.append(warning)

    def formatter_or_report(self, line: int, column: int | None) -> Formatter | None:
        """The citation formatter, made on first use; None (reported once) when citeproc-py
        is not installed."""
        if self.formatter is None and not self.unusable:
            try:
                from kzreport.citeproc_format import Formatter
            except ImportError:
                self.unusable = True
                self.problems.add(line, "citations need citeproc-py, which is not installed",
                                  INSTALL_HINT, column)
                return None
            assert self.bibliography is not None and self.language is not None
            try:
                self.formatter = Formatter(self.bibliography, self.language)
            except Exception as exc:  # a style citeproc-py cannot read (lxml, CSL model)
                self.unusable = True
                self.problems.add(line, f"citation style '{self.bibliography.style.name}' or "
                                  f"the bibliography cannot be used: {exc}",
                                  "check the style file and the entries' fields", column)
        return self.formatter

    def sources(self) -> tuple[Source, ...]:
        """The entries cited, formatted for the Sources section in the style's order."""
        if self.formatter is None:
            return ()
        try:
            return self.formatter.sources()
        except Exception as exc:  # citeproc-py fails on entries it cannot read
            self.problems.add(None, f"the list of sources could not be formatted: {exc}",
                              "check the cited entries' fields in the bibliography")
            return ()


def _styled(span: Span, outer: Callable[[str], Span]) -> Span:
    """A formatted span in the surrounding text's formatting (bold around a citation)."""
    around = outer(span.text)
    return Span(span.text, span.bold or around.bold, span.italic or around.italic, False,
                span.href or around.href, around.strike, span.script or around.script)


def _capitalised(inlines: tuple[Span, ...]) -> tuple[Span, ...]:
    """A note's text with a capital first letter ("Ibid.", "See ..."), as Pandoc writes it."""
    first = inlines[0] if inlines else None
    if isinstance(first, Span) and first.text[:1].islower():
        return (Span(first.text[0].upper() + first.text[1:], first.bold, first.italic,
                     first.code, first.href, first.strike, first.script), *inlines[1:])
    return inlines


def _without_period(inlines: tuple[Span, ...]) -> tuple[Span, ...]:
    """A formatted note citation without its closing period, as punctuation follows it."""
    last = inlines[-1] if inlines else None
    if isinstance(last, Span) and last.text.endswith(".") and not last.href:
        return (*inlines[:-1], Span(last.text[:-1], last.bold, last.italic, last.code,
                                    last.href, last.strike, last.script))
    return inlines
