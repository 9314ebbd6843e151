"""Read a BibTeX (.bib) file into CSL JSON items, with the line of every problem."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

#: BibTeX's predefined macros: the months, in their three-letter names.
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

#: Entry types as CSL item types (BibTeX's and biblatex's common ones; others are documents).
TYPES = {
    "article": "article-journal", "book": "book", "mvbook": "book", "inbook": "chapter",
    "incollection": "chapter", "inproceedings": "paper-conference",
    "conference": "paper-conference", "proceedings": "book", "collection": "book",
    "phdthesis": "thesis", "mastersthesis": "thesis", "thesis": "thesis",
    "techreport": "report", "report": "report", "manual": "report", "booklet": "pamphlet",
    "unpublished": "manuscript", "online": "webpage", "electronic": "webpage", "www": "webpage",
    "misc": "document", "dataset": "dataset", "software": "software",
}  # fmt: skip

#: Fields copied as text under their CSL name.
TEXT_FIELDS = {
    "title": "title", "edition": "edition", "volume": "volume", "note": "note",
    "isbn": "ISBN", "issn": "ISSN", "doi": "DOI", "url": "URL", "series": "collection-title",
    "chapter": "chapter-number", "type": "genre", "address": "publisher-place",
    "location": "publisher-place", "journal": "container-title",
    "journaltitle": "container-title", "abstract": "abstract", "language": "language",
}  # fmt: skip

#: Accent commands (``\\"o``, ``\\'{e}``) as the combining marks they put on a letter.
ACCENTS = {
    '"': "\u0308", "'": "\u0301", "`": "\u0300", "^": "\u0302", "~": "\u0303", "=": "\u0304",
    ".": "\u0307", "u": "\u0306", "v": "\u030c", "H": "\u030b", "c": "\u0327", "k": "\u0328",
    "r": "\u030a", "d": "\u0323", "b": "\u0331",
}  # fmt: skip
#: Commands that stand for a letter or a sign of their own.
SYMBOLS = {
    "ss": "ß", "o": "ø", "O": "Ø", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ", "aa": "å",
    "AA": "Å", "l": "ł", "L": "Ł", "i": "ı", "j": "ȷ", "&": "&", "%": "%", "$": "$", "#": "#",
    "_": "_", "{": "{", "}": "}", "textendash": "–", "textemdash": "—", "S": "§", "P": "¶",
    "dots": "…", "ldots": "…", "textquoteright": "’", "textquoteleft": "‘", " ": " ",
    # Zotero's and Better BibTeX's exports write these for the characters they escape.
    "textquotedblleft": "“", "textquotedblright": "”", "textquotedbl": '"',
    "textquotesingle": "'", "guillemotleft": "«", "guillemotright": "»", "textless": "<",
    "textgreater": ">", "textasciitilde": "~", "textasciicircum": "^", "textbackslash": "\\",
    "textbar": "|", "textunderscore": "_", "textbullet": "•", "textperiodcentered": "·",
    "textellipsis": "…", "textdegree": "°", "textcopyright": "©", "textregistered": "®",
    "texttrademark": "™", "texteuro": "€", "euro": "€", "pounds": "£", "textsterling": "£",
    "textdollar": "$", "times": "×", "pm": "±", "textpm": "±", "textminus": "−",
    "leq": "≤", "geq": "≥", "approx": "≈", "sim": "∼", "infty": "∞", "deg": "°",
    # Greek letters, as in math: '$\\alpha$'.
    **dict(zip((
        "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa",
        "lambda", "mu", "nu", "xi", "omicron", "pi", "rho", "varsigma", "sigma", "tau", "upsilon",
        "phi", "chi", "psi", "omega",
    ), "αβγδεζηθικλμνξοπρςστυφχψω", strict=True)),
    **dict(zip((
        "Alpha", "Beta", "Gamma", "Delta", "Epsilon", "Zeta", "Eta", "Theta", "Iota", "Kappa",
        "Lambda", "Mu", "Nu", "Xi", "Omicron", "Pi", "Rho", "Sigma", "Tau", "Upsilon", "Phi",
        "Chi", "Psi", "Omega",
    ), "ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩ", strict=True)),
}  # fmt: skip
_ACCENT = re.compile(r"""\\([."'`^~=]|[uvHckrdb](?![A-Za-z]))\s*"""
                     r"(?:\{(\\?[A-Za-z]?)\}|(\\[ij](?![A-Za-z])\s?|[A-Za-z]))")
_COMMAND = re.compile(r"\\(?:([A-Za-z]+)\s?|([^A-Za-z]))")


class BibtexError(Exception):
    """A .bib file that does not parse: the line and what is wrong there."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line, self.message = line, message


def read_bibtex(text: str) -> list[tuple[int, dict[str, Any]]]:
    """Every entry of BibTeX ``text`` as (line, CSL JSON item), in file order."""
    return _Parser(text).entries()


class _Parser:
    def __init__(self, text: str) -> None:
        self.text, self.at = text, 0
        self.strings: dict[str, str] = {m: str(n) for n, m in enumerate(MONTHS, 1)}

    def line(self, at: int | None = None) -> int:
        return self.text.count("\n", 0, self.at if at is None else at) + 1

    def fail(self, message: str, at: int | None = None) -> BibtexError:
        return BibtexError(self.line(at), message)

    def skip_space(self) -> None:
        while self.at < len(self.text) and (self.text[self.at].isspace()
                                            or self.text[self.at] == "%"):
            if self.text[self.at] == "%":  # a comment to the end of the line
                end = self.text.find("\n", self.at)
                self.at = len(self.text) if end < 0 else end
            self.at += 1

    def expect(self, chars: str, what: str) -> str:
        self.skip_space()
        if self.at >= len(self.text) or self.text[self.at] not in chars:
            found = repr(self.text[self.at]) if self.at < len(self.text) else "the end of the file"
            raise self.fail(f"expected {what}, found {found}")
        self.at += 1
        return self.text[self.at - 1]

    def name(self, what: str) -> str:
        self.skip_space()
        match = re.compile(r"[^\s\"#%'(),={}]+").match(self.text, self.at)
        if not match:
            raise self.fail(f"expected {what}")
        self.at = match.end()
        return match.group()

    def entries(self) -> list[tuple[int, dict[str, Any]]]:
        out: list[tuple[int, dict[str, Any]]] = []
        seen: dict[str, int] = {}
        while (start := self.text.find("@", self.at)) >= 0:
            self.at = start + 1
            if self.text[self.text.rfind("\n", 0, start) + 1:start].lstrip().startswith("%"):
                continue  # an '@' in a comment line
            kind = self.name("an entry type after '@'").lower()
            if kind == "comment":
                self.skip_space()
                if self.at < len(self.text) and self.text[self.at] in "{(":
                    self.braced(self.text[self.at])
                continue
            close = "}" if self.expect("{(", "'{' after @" + kind) == "{" else ")"
            if kind == "preamble":
                self.value(close)
            elif kind == "string":
                name = self.name("a macro name").lower()
                self.expect("=", f"'=' after @string name '{name}'")
                self.strings[name] = self.value(close)
            else:
                line = self.line(start)
                key = self.name(f"a citation key after @{kind}{{")
                if key in seen:
                    raise self.fail(f"citation key '{key}' is used twice (first on line "
                                    f"{seen[key]})", start)
                seen[key] = line
                try:
                    out.append((line, _csl(kind, key, self.fields(close))))
                except BibtexError:
                    if self.at < len(self.text) and self.text[self.at] != "@":
                        raise
                    raise self.fail(f"entry '{key}' is never closed: a '{close}' is missing",
                                    start) from None
            self.expect(close, f"'{close}' closing the entry")
        return out

    def fields(self, close: str) -> dict[str, str]:
        fields: dict[str, str] = {}
        while True:
            self.skip_space()
            if self.at < len(self.text) and self.text[self.at] == close:
                return fields
            self.expect(",", "',' between fields")
            self.skip_space()
            if self.at < len(self.text) and self.text[self.at] == close:
                return fields  # a trailing comma
            name = self.name("a field name").lower()
            self.expect("=", f"'=' after field name '{name}'")
            fields[name] = self.value(close)

    def value(self, close: str) -> str:
        """One value: pieces (braced, quoted, a number or a macro) joined with '#'."""
        parts = []
        while True:
            self.skip_space()
            char = self.text[self.at] if self.at < len(self.text) else ""
            if char in ("{", '"'):
                parts.append(self.braced(char))
            elif char.isdigit():
                parts.append(self.name("a number"))
            elif char and char not in f",#{close}":
                at = self.at
                macro = self.name("a value").lower()
                if macro not in self.strings:
                    raise self.fail(f"undefined macro '{macro}' (define it with @string, or "
                                    "put the value in braces)", at)
                parts.append(self.strings[macro])
            else:
                raise self.fail("expected a value ({...}, \"...\", a number or a macro)")
            self.skip_space()
            if self.at < len(self.text) and self.text[self.at] == "#":
                self.at += 1
                continue
            return "".join(parts)

    def braced(self, opening: str) -> str:
        """The text between ``opening`` ('{', '(' or '"') and its match, inner braces kept."""
        start, depth = self.at, 0
        closing = {"{": "}", "(": ")", '"': '"'}[opening]
        self.at += 1
        while self.at < len(self.text):
            char = self.text[self.at]
            if char == "\\":
                self.at += 2
                continue
            if char == "{":
                depth += 1
            elif char == "}" and depth > 0:
                depth -= 1
            elif char == closing and depth == 0:
                self.at += 1
                return self.text[start + 1:self.at - 1]
            elif char == "}":
                raise self.fail("unbalanced '}'")
            self.at += 1
        raise self.fail(f"'{opening}' is never closed", start)


def latex_text(value: str) -> str:
    """``value`` as plain Unicode: accents composed, symbols and dashes as characters,
    protective braces and formatting commands gone, white space collapsed."""
    value = _ACCENT.sub(lambda m: _accented(m.group(1), m.group(2) or m.group(3) or ""), value)
    # TeX math's '$'s (not '\$', a dollar sign) held apart until the commands are read, so
    # that '$\alpha$ rays' keeps its space; '~' is a no-break space, '\textasciitilde' not.
    value = re.sub(r"(?<!\\)\$", "\0", value).replace("~", "\u00a0")

    def command(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(2)
        if name in SYMBOLS:
            return SYMBOLS[name]
        return "" if name.isalpha() else " " if name == "," else name  # \emph{x} → x

    value = _COMMAND.sub(command, value)
    value = value.replace("---", "—").replace("--", "–").replace("``", "“").replace("''", "”")
    value = value.replace("\0", "").replace("{", "").replace("}", "")
    # White space collapsed, but not the no-break space a '~' asked for.
    return unicodedata.normalize("NFC", re.sub(r"[ \t\r\n]+", " ", value).strip())


def _accented(accent: str, letter: str) -> str:
    base = {"\\i": "i", "\\j": "j"}.get(letter.strip(), letter)
    return unicodedata.normalize("NFC", base + ACCENTS[accent]) if base else ACCENTS[accent]


def _split_top(value: str, separator: str) -> list[str]:
    """``value`` split at ``separator`` (a word, matched case-insensitively) outside braces."""
    parts, depth, start = [], 0, 0
    lowered = value.lower()
    i = 0
    while i < len(value):
        char = value[i]
        depth += char == "{"
        depth -= char == "}"
        if depth == 0 and lowered.startswith(separator, i):
            parts.append(value[start:i])
            i = start = i + len(separator)
            continue
        i += 1
    parts.append(value[start:])
    return [p.strip() for p in parts if p.strip()]


def names(value: str) -> list[dict[str, str]]:
    """A BibTeX name list ("Last, First and First von Last and {World Bank}") as CSL names."""
    out = []
    for name in _split_top(" ".join(value.split()), " and "):
        if name == "others":
            continue  # "et al." is the style's to print
        if _one_group(name):  # {World Bank}: an organisation, printed as written
            out.append({"literal": latex_text(name)})
            continue
        parts = _split_top(name, ",")
        if len(parts) >= 2:  # Last, First  or  Last, Jr, First
            family, given = parts[0], parts[-1]
            person = {"family": latex_text(family), "given": latex_text(given)}
            if len(parts) == 3:
                person["suffix"] = latex_text(parts[1])
        else:
            words = _split_top(name, " ")
            particle = next((i for i, w in enumerate(words[:-1]) if w[:1].islower()), None)
            at = particle if particle is not None else len(words) - 1
            person = {"family": latex_text(" ".join(words[at:])),
                      "given": latex_text(" ".join(words[:at]))}
        out.append({k: v for k, v in person.items() if v})
    return out


def _one_group(value: str) -> bool:
    """Whether ``value`` is one braced group, ``{...}``, as a whole."""
    depth = 0
    for at, char in enumerate(value):
        depth += (char == "{") - (char == "}")
        if depth == 0:
            return at == len(value) - 1 and char == "}"
    return False


def _address(value: str) -> str:
    r"""A URL or DOI as written, its escapes undone (``\_`` → ``_``); no dashes or spaces."""
    return re.sub(r"\\([_%&#~$])", r"\1", value).replace("{", "").replace("}", "").strip()


def _date(year: str, month: str | None) -> dict[str, Any] | None:
    """CSL date parts from a year and a month (a number or its name), or an ISO date."""
    match = re.fullmatch(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", year.strip())
    if not match:
        return {"literal": year} if year.strip() else None
    parts = [int(p) for p in match.groups() if p]
    if month and len(parts) == 1:
        word = month.strip().lower()[:3]
        number = MONTHS.index(word) + 1 if word in MONTHS else (
            int(month) if month.strip().isdigit() else None)
        if number is not None and 1 <= number <= 12:
            parts.append(number)
    return {"date-parts": [parts]}


def _csl(kind: str, key: str, fields: dict[str, str]) -> dict[str, Any]:
    """One entry as a CSL JSON item."""
    item: dict[str, Any] = {"id": key, "type": TYPES.get(kind, "document")}
    for name, value in fields.items():
        text = latex_text(value)
        if name in ("author", "editor", "translator"):
            item[name] = names(value)
        elif name in ("url", "doi"):
            item[name.upper()] = _address(value)
        elif name == "howpublished" and (url := re.search(r"\\url\{([^{}]*)\}", value)):
            item.setdefault("URL", _address(url.group(1)))  # BibTeX's way to give a web page
        elif name == "howpublished" and text:
            item.setdefault("publisher", text)
        elif name in TEXT_FIELDS and text:
            item[TEXT_FIELDS[name]] = text
        elif name == "booktitle" and text:
            item["container-title"] = text
        elif name in ("publisher", "institution", "school", "organization") and text:
            item.setdefault("publisher", text)
        elif name == "pages":
            item["page"] = text.replace("–", "-")
        elif name in ("number", "issue"):
            item["issue" if kind == "article" else "number"] = text
        elif name == "urldate" and (accessed := _date(text, None)):
            item["accessed"] = accessed
    if "date" in fields or "year" in fields:
        issued = _date(latex_text(fields.get("date", fields.get("year", ""))),
                       fields.get("month"))
        if issued:
            item["issued"] = issued
    if kind == "phdthesis":
        item.setdefault("genre", "PhD diss.")
    elif kind == "mastersthesis":
        item.setdefault("genre", "Master's thesis")
    return item
