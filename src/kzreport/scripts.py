"""Which font of a family's fallback chain draws each character, and which text is right-to-left."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from kzreport.assets import font_characters
from kzreport.layout import FontFamily
from kzreport.records import record

#: Letters of the right-to-left scripts (Hebrew, Arabic, Syriac, Thaana, N'Ko, Samaritan,
#: Mandaic and their presentation forms) and the right-to-left mark.
RIGHT_TO_LEFT = re.compile("[\u0590-\u08ff\u200f\ufb1d-\ufdff\ufe70-\ufefc"
                           "\U00010800-\U00010fff\U0001e800-\U0001efff]")
#: Primary language subtags written right to left.
RTL_LANGUAGES = frozenset({"ar", "fa", "ps", "ur", "he", "iw", "yi", "dv", "ug", "ckb", "sd",
                           "syr", "prs", "ku"})
#: Scripts of characters that are drawn by a broad font (one with Latin letters) before a font
#: made for one script: a non-breaking hyphen in English is not set in an Arabic face.
_NO_SCRIPT = ("Common", "Symbols")
#: Characters that belong to no script: they stay in the face of the text around them when it
#: has them (a space or a comma inside Arabic is not drawn in the Latin face).
_NEUTRAL_CATEGORIES = frozenset({"Zs", "Po", "Ps", "Pe", "Pd", "Pi", "Pf", "Nd", "Mn", "Me",
                                 "Cf", "Sm", "Sc"})


def is_rtl_language(tag: str) -> bool:
    """Whether BCP 47 tag ``tag`` names a language written right to left (``ku`` only in
    Arabic script, ``ku-Arab``; other tags by their script subtag when they give one)."""
    parts = tag.replace("_", "-").split("-")
    scripts = [p.title() for p in parts[1:] if len(p) == 4 and p.isalpha()]
    if scripts:
        return scripts[0] in ("Arab", "Hebr", "Syrc", "Thaa", "Nkoo", "Adlm", "Rohg")
    return parts[0].lower() in RTL_LANGUAGES - {"ku"}


def has_rtl(text: str) -> bool:
    """Whether ``text`` has a right-to-left letter."""
    return RIGHT_TO_LEFT.search(text) is not None


def paragraph_is_rtl(text: str, paper_rtl: bool) -> bool:
    """The direction a paragraph of ``text`` runs in: in a right-to-left paper, right to left
    unless it has no right-to-left letter but a left-to-right one (code, an English quotation);
    elsewhere, the direction of its first strong character (the Unicode rule)."""
    if paper_rtl:
        return has_rtl(text) or first_strong(text) is None
    return first_strong(text) == "R"


def script_language(text: str, paper_language: str) -> str:
    """The language tag for right-to-left ``text``: the paper's when it is right-to-left,
    else Hebrew's or Arabic's by the text's first right-to-left letter (Office picks
    complex-script fonts, spelling and digit shapes by it)."""
    if is_rtl_language(paper_language):
        return paper_language
    found = RIGHT_TO_LEFT.search(text)
    return "he-IL" if found and "\u0590" <= found.group() <= "\u05ff" else "ar-SA"


def rtl_span(text: str) -> tuple[int, int]:
    """Where ``text``'s right-to-left stretch starts and ends: from its first to its last
    right-to-left letter or number (digits after a right-to-left letter belong to it).
    Punctuation around it (the ")" of "(كابل)") takes its direction from the paragraph, so it
    is left out of a run marked right-to-left."""
    kinds: list[bool] = []
    after_rtl = False
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("L", "R", "AL"):
            after_rtl = kind != "L"
        kinds.append(kind in ("R", "AL", "AN") or (kind == "EN" and after_rtl))
    if True not in kinds:
        return 0, 0
    return kinds.index(True), len(kinds) - kinds[::-1].index(True)


def first_strong(text: str) -> str | None:
    """``"L"`` or ``"R"`` for the first strongly directed character of ``text``, else None."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return "L"
        if kind in ("R", "AL"):
            return "R"
    return None


def script_of(char: str) -> str:
    """The script of ``char`` by its Unicode name (``Latin``, ``Arabic``, ``Cyrillic``...);
    symbols and emoji are ``Symbols``, punctuation, digits and spaces ``Common``."""
    category = unicodedata.category(char)
    if category == "Nd" and ord(char) >= 0x80:  # a script's own digits: ARABIC-INDIC DIGIT ONE
        name = unicodedata.name(char, "")
        return "Arabic" if "ARABIC" in name else name.split(" ")[0].title()
    if category[0] == "L":
        name = unicodedata.name(char, "")
        word = name.split(" ")[0].title() if name else "Unknown"
        return {"Cjk": "Han", "Hangul": "Hangul", "Modifier": "Common"}.get(word, word)
    if category in ("So", "Sk") or ord(char) >= 0x1F000:
        return "Symbols"
    return "Common"


@record
class FontChain:
    """A family and its fallbacks in one style: the family each character is drawn in."""

    families: tuple[FontFamily, ...]
    files: tuple[Path, ...]

    @staticmethod
    def of(family: FontFamily, bold: bool = False, italic: bool = False) -> FontChain:
        """``family``'s chain in that style."""
        return _chain(family, bold, italic)

    def runs(self, text: str) -> list[tuple[str, int | None]]:
        """``text`` cut where the drawing font changes: (piece, index of the chain's font, or
        None for characters no font of the chain has). A character that belongs to no script
        stays in the font of the character before it when that font has it."""
        first = font_characters(self.files[0])
        if not set(text).difference(first):  # the fallbacks' maps are read only when needed
            return [(text, 0)] if text else []
        covers = [first, *(font_characters(file) for file in self.files[1:])]
        broad = [index for index, cover in enumerate(covers) if "a" in cover]
        pieces: list[tuple[str, int | None]] = []
        current: int | None = 0
        start = 0
        for i, char in enumerate(text):
            chosen = _first_with(covers, char, broad if script_of(char) in _NO_SCRIPT else ())
            if chosen == current or (current is not None and char in covers[current]
                                     and unicodedata.category(char) in _NEUTRAL_CATEGORIES):
                continue
            if chosen != current:
                if i > start:
                    pieces.append((text[start:i], current))
                start, current = i, chosen
        pieces.append((text[start:], current))
        return pieces

    def missing(self, text: str) -> set[str]:
        """The characters of ``text`` that no font of the chain has."""
        left = set(text)
        for file in self.files:
            left -= font_characters(file)
            if not left:
                break
        return left


def _first_with(covers: list[frozenset[str]], char: str,
                preferred: Sequence[int] = ()) -> int | None:
    """The first font of ``covers`` with ``char``, trying the ``preferred`` ones first."""
    order: list[int] = [*preferred, *range(len(covers))]
    for index in order:
        if char in covers[index]:
            return index
    return None


@lru_cache(maxsize=64)
def _chain(family: FontFamily, bold: bool, italic: bool) -> FontChain:
    families = family.chain()
    return FontChain(families, tuple(f.face(bold, italic) for f in families))
