"""What a Word document's styles and numbering say, by built-in name or outline level."""

from __future__ import annotations

import re
from dataclasses import field
from xml.etree import ElementTree as ET

from kzreport.records import record

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
#: How many ``basedOn`` steps are followed: real documents need a handful; a cycle stops here.
_MAX_CHAIN = 16

#: Paragraph kinds by style name (lower case), Word's built-in English names first; Word
#: stores built-in names in English whatever the user interface's language, LibreOffice and
#: others sometimes the translation.
_KINDS = {
    "title": ("title", "titel", "titre", "título", "titolo", "название", "заголовок документа",
              "тақырыбы"),
    "subtitle": ("subtitle", "untertitel", "sous-titre", "subtítulo", "sottotitolo",
                 "подзаголовок", "тақырыпша"),
    "quote": ("quote", "intense quote", "block text", "zitat", "intensives zitat", "citation",
              "cita", "citazione", "цитата", "выделенная цитата", "дәйексөз", "quotations",
              "block quotation"),
    "code": ("code block", "source code", "html preformatted", "plain text", "macro",
             "preformatted text", "code", "quellcode", "исходный код"),
    "caption": ("caption", "image caption", "table caption", "beschriftung", "légende",
                "epígrafe", "didascalia", "название объекта", "подпись"),
    "toc": ("toc heading", "inhaltsverzeichnisüberschrift", "заголовок оглавления"),
    # The title block and definition lists as Pandoc writes them (its Author and Date styles
    # are based on Title, so they must be known by name before the chain reaches it).
    "author": ("author",),
    "date": ("date",),
    "abstract title": ("abstract title",),
    "abstract": ("abstract",),
    "term": ("definition term", "definition term tight"),
    # ... and as LibreOffice names the styles of Pandoc's OpenDocument.
    "definition": ("definition", "definition definition", "definition definition tight"),
}
_BY_NAME = {name: kind for kind, names in _KINDS.items() for name in names}
_HEADING_NAME = re.compile(r"(heading|überschrift|titre|título|titolo|заголовок|тақырып)\s*(\d)")
_TOC_NAME = re.compile(r"(toc|verzeichnis|table des matières|оглавление)\s*\d")
_DEEPER_LIST_NAME = re.compile(r"list (?:bullet|number) ([2-9])")
_LIST_NAME = re.compile(r"list (paragraph|bullet|number|continue)|listenabsatz|абзац списка")
#: Code paragraph styles named otherwise: "Code Snippet", "Macro Text", "Program Listing", ...
_CODE_NAME = re.compile(r"(?<!\w)(code|preformatted|verbatim|listing|macro|quelltext|код)(?!\w)")
#: Font families whose letters are all one width: runs set in them are code.
_MONO = re.compile(r"mono|courier|consolas|menlo|monaco|lucida console|lucida sans typewriter|"
                   r"source code|code pro|fira code|cascadia|inconsolata|andale|fixedsys|"
                   r"ocr-?[ab]|terminal|pt mono|sf mono", re.IGNORECASE)
_CODE_STYLES = re.compile(r"verbatim char|html code|html typewriter|source code|code char|"
                          r"inline code", re.IGNORECASE)


def on(element: ET.Element | None) -> bool | None:
    """A toggle property (``w:b``, ``w:i``, ``w:strike``): True, False, or None when absent."""
    if element is None:
        return None
    return element.get(f"{W}val", "true").lower() not in ("0", "false", "off", "none")


@record
class RunLook:
    """The formatting a run shows, from its own properties and its character style."""

    bold: bool = False
    italic: bool = False
    code: bool = False
    strike: bool = False
    vertical: str | None = None
    hyperlink_style: bool = False


@record(frozen=False)
class Styles:
    """The styles of a document, by id."""

    names: dict[str, str] = field(default_factory=dict)
    based_on: dict[str, str] = field(default_factory=dict)
    outline: dict[str, int] = field(default_factory=dict)
    numbering: dict[str, tuple[str, int]] = field(default_factory=dict)
    run_properties: dict[str, ET.Element] = field(default_factory=dict)
    default_language: str | None = None
    #: The document's text is set in a monospaced font (a typewriter memo): no sign of code.
    typewriter: bool = False

    @classmethod
    def read(cls, root: ET.Element | None) -> Styles:
        styles = cls()
        if root is None:
            return styles
        lang = root.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
        if lang is not None:
            styles.default_language = lang.get(f"{W}val")
        for style in root.iter(f"{W}style"):
            style_id = style.get(f"{W}styleId", "")
            name = style.find(f"{W}name")
            styles.names[style_id] = " ".join(
                (name.get(f"{W}val", "") if name is not None else style_id).lower().split())
            based = style.find(f"{W}basedOn")
            if based is not None:
                styles.based_on[style_id] = based.get(f"{W}val", "")
            level = style.find(f"{W}pPr/{W}outlineLvl")
            if level is not None and (value := level.get(f"{W}val", "")).isdigit():
                styles.outline[style_id] = int(value)
            num = style.find(f"{W}pPr/{W}numPr")
            if num is not None:
                num_id = num.find(f"{W}numId")
                ilvl = num.find(f"{W}ilvl")
                if num_id is not None:
                    styles.numbering[style_id] = (num_id.get(f"{W}val", "0"),
                                                  _int(ilvl.get(f"{W}val") if ilvl is not None
                                                       else "0"))
            rpr = style.find(f"{W}rPr")
            if rpr is not None:
                styles.run_properties[style_id] = rpr
        default = next((s.get(f"{W}styleId") for s in root.iter(f"{W}style")
                        if s.get(f"{W}type") == "paragraph"
                        and s.get(f"{W}default") in ("1", "true", "on")), None)
        layers = [styles.run_properties[s] for s in styles.chain(default)
                  if s in styles.run_properties]
        layers += root.findall(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
        styles.typewriter = bool(_MONO.search(_family(layers)))
        return styles

    def chain(self, style_id: str | None) -> list[str]:
        """``style_id`` and the styles it is based on, nearest first."""
        out: list[str] = []
        while style_id and style_id not in out and len(out) < _MAX_CHAIN:
            out.append(style_id)
            style_id = self.based_on.get(style_id)
        return out

    def kind(self, style_id: str | None) -> tuple[str, int]:
        """What a paragraph of this style is: ``("heading", level)`` (Word's level, 1-based),
        ``("title", 0)``, ``("quote", 0)``, ... or ``("body", 0)``."""
        for sid in self.chain(style_id):
            name = self.names.get(sid, sid.lower())
            if name in _BY_NAME:
                return _BY_NAME[name], 0
            if _TOC_NAME.match(name):
                return "toc", 0
            if sid in self.outline and self.outline[sid] < 9:
                return "heading", self.outline[sid] + 1
            if heading := _HEADING_NAME.fullmatch(name):
                return "heading", int(heading.group(2))
            if _LIST_NAME.match(name):
                return "list", 0
            if _CODE_NAME.search(name):
                return "code", 0
        # A style set in a monospaced font is a code style (unless all the text is set so).
        chain = self.chain(style_id)
        if not self.typewriter and _MONO.search(_family(
                [self.run_properties[s] for s in chain if s in self.run_properties])):
            return "code", 0
        return "body", 0

    def list_numbering(self, style_id: str | None) -> tuple[str, int] | None:
        """The numbering a paragraph style gives its paragraphs (Word's List Bullet, ...).
        Word's List Bullet 2 (Number 3, ...) number their paragraphs with a list of their own
        at its first level, set deeper by its indent: they are that much deeper."""
        for sid in self.chain(style_id):
            if sid in self.numbering:
                num_id, level = self.numbering[sid]
                deeper = _DEEPER_LIST_NAME.fullmatch(self.names.get(sid, ""))
                return num_id, int(deeper.group(1)) - 1 if deeper and level == 0 else level
        return None

    def look(self, rpr: ET.Element | None, mono: frozenset[str]) -> RunLook:
        """A run's formatting: its own properties over its character style's chain."""
        layers = [rpr] if rpr is not None else []
        style = rpr.find(f"{W}rStyle") if rpr is not None else None
        style_id = style.get(f"{W}val") if style is not None else None
        names = [self.names.get(s, s.lower()) for s in self.chain(style_id)]
        layers += [self.run_properties[s] for s in self.chain(style_id)
                   if s in self.run_properties]

        def first(tag: str) -> bool:
            return next((v for layer in layers if (v := on(layer.find(f"{W}{tag}"))) is not None),
                        False)

        vertical = next((v.get(f"{W}val") for layer in layers
                         if (v := layer.find(f"{W}vertAlign")) is not None), None)
        family = _family(layers)
        code = bool(_MONO.search(family)) or family in mono or any(
            _CODE_STYLES.search(n) for n in names)
        return RunLook(
            bold=first("b"), italic=first("i"), code=code,
            strike=first("strike") or first("dstrike"),
            vertical={"superscript": "super", "subscript": "sub"}.get(vertical or ""),
            hyperlink_style=any(n == "hyperlink" for n in names))


@record(frozen=False)
class Numbering:
    """List formats: for each ``numId``, per level, whether it counts and where it starts."""

    levels: dict[str, dict[int, tuple[bool, int]]] = field(default_factory=dict)
    #: The start numbers a list instance sets over its definition's, by level.
    starts: dict[str, dict[int, int]] = field(default_factory=dict)
    #: The list definition each instance uses.
    abstract: dict[str, str] = field(default_factory=dict)
    #: The list each definition last began, while paragraphs are read in order.
    current: dict[str, str] = field(default_factory=dict)

    @classmethod
    def read(cls, root: ET.Element | None) -> Numbering:
        numbering = cls()
        if root is None:
            return numbering
        abstract: dict[str, dict[int, tuple[bool, int]]] = {}
        for node in root.iter(f"{W}abstractNum"):
            abstract[node.get(f"{W}abstractNumId", "")] = {
                _int(lvl.get(f"{W}ilvl")): _level(lvl) for lvl in node.iter(f"{W}lvl")}
        for num in root.iter(f"{W}num"):
            num_id = num.get(f"{W}numId", "")
            ref = num.find(f"{W}abstractNumId")
            levels = dict(abstract.get(ref.get(f"{W}val", "") if ref is not None else "", {}))
            starts: dict[int, int] = {}
            for override in num.iter(f"{W}lvlOverride"):
                ilvl = _int(override.get(f"{W}ilvl"))
                if (lvl := override.find(f"{W}lvl")) is not None:
                    levels[ilvl] = _level(lvl)
                if (start := override.find(f"{W}startOverride")) is not None:
                    starts[ilvl] = _int(start.get(f"{W}val"), 1)
            numbering.levels[num_id] = levels
            numbering.starts[num_id] = starts
            numbering.abstract[num_id] = ref.get(f"{W}val", "") if ref is not None else ""
        return numbering

    def identity(self, num_id: str) -> str:
        """Which list a paragraph numbered ``num_id`` belongs to, asked in reading order: an
        instance that restarts its definition begins a list, one that does not continues the
        last list of that definition (LibreOffice writes such an instance per paragraph)."""
        abstract = self.abstract.get(num_id)
        if abstract is None:
            return num_id
        if self.starts.get(num_id) or abstract not in self.current:
            self.current[abstract] = num_id
        return self.current[abstract]

    def format(self, num_id: str, ilvl: int, one_level: bool) -> tuple[bool, int]:
        """(numbered, start) of level ``ilvl`` of list ``num_id``. A list used on one level
        only takes a start set for the first level (how kzreport's brief numbers a nested
        list: an instance of its own, restarted on the first level)."""
        ordered, start = self.levels.get(num_id, {}).get(ilvl, (False, 1))
        starts = self.starts.get(num_id, {})
        if ilvl in starts:
            start = starts[ilvl]
        elif one_level and 0 in starts:
            start = starts[0]
        return ordered, start


def _family(layers: list[ET.Element]) -> str:
    """The font family the first of ``layers`` (run properties, nearest first) to name one
    gives Latin text."""
    fonts = next((f for layer in layers if (f := layer.find(f"{W}rFonts")) is not None), None)
    return "" if fonts is None else (fonts.get(f"{W}ascii") or fonts.get(f"{W}hAnsi") or "")


def _level(lvl: ET.Element) -> tuple[bool, int]:
    fmt = lvl.find(f"{W}numFmt")
    start = lvl.find(f"{W}start")
    kind = fmt.get(f"{W}val", "decimal") if fmt is not None else "decimal"
    return kind not in ("bullet", "none"), _int(start.get(f"{W}val") if start is not None
                                                 else None, 1)


def _int(value: str | None, default: int = 0) -> int:
    try:
        return max(0, min(int(value or ""), 999_999_999))
    except ValueError:
        return default
