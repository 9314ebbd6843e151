"""Finding layouts by name or path, and reading a layout.toml chain into a validated ``Layout``."""

from __future__ import annotations

import difflib
import functools
import importlib.util
import re
import string
import tomllib
from collections.abc import Mapping
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

from kzreport.assets import FontFileError, image_problem, office_package_problem, read_font
from kzreport.errors import LayoutError, Problem
from kzreport.layout import (
    DATE_TOKENS,
    FACE_FIELDS,
    LAYOUT_FILE,
    MONTHS,
    ORIENTATIONS,
    PAGE_SIZES_PT,
    POINTS_PER_UNIT,
    TEMPLATE_STYLES,
    Charts,
    Colors,
    FontFamily,
    Fonts,
    Labels,
    Layout,
    Logo,
    MarkingStyle,
    Page,
    Sizes,
    Slides,
)

# ---------------------------------------------------------------- finding layouts


def builtin_folder() -> Path:
    """Where the layouts shipped with kzreport live (package data, or the source checkout)."""
    packaged = Path(__file__).parent / "builtin_layouts"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[2] / "layouts"


@functools.cache
def builtin_layout(name: str = "default") -> Layout:
    """The built-in layout ``name``, loaded once: what a paper is read with when no layout
    is given (a project layout of that name does not replace it)."""
    return load_layout(str(builtin_folder() / name), Path.cwd())


def available_layouts(cwd: Path) -> list[tuple[str, str, Path]]:
    """Every layout by name with its origin (``project`` or ``built-in``), project first."""
    found: list[tuple[str, str, Path]] = []
    seen: set[str] = set()
    for origin, root in (("project", cwd / "layouts"), ("built-in", builtin_folder())):
        if not root.is_dir():
            continue
        for folder in sorted(root.iterdir()):
            if (folder / LAYOUT_FILE).is_file() and folder.name not in seen:
                seen.add(folder.name)
                found.append((folder.name, origin, folder))
    return found


def is_layout_path(spec: str) -> bool:
    """Whether ``spec`` names a layout by path rather than by name."""
    return "/" in spec or "\\" in spec or spec.endswith(".toml") or spec.startswith(".")


def resolve_layout(spec: str, cwd: Path, referrer: Path | str = "layout",
                   base: Path | None = None) -> Path:
    """The folder of layout ``spec``: a path, or a folder holding a layout.toml, relative to
    ``base`` (by default ``cwd``); else ``cwd/layouts/NAME``; else a built-in layout."""
    as_path = (base or cwd) / spec  # an absolute spec replaces the base
    if is_layout_path(spec) or (as_path / LAYOUT_FILE).is_file():
        folder = as_path.parent if as_path.suffix == ".toml" else as_path
        if (folder / LAYOUT_FILE).is_file():
            return folder.resolve()
        raise LayoutError([Problem(referrer, None, f"no {LAYOUT_FILE} in layout folder '{spec}'",
                                   "pass a folder that holds a layout.toml")])
    for name, _origin, folder in available_layouts(cwd):
        if name == spec:
            return folder.resolve()
    known = ", ".join(name for name, _, _ in available_layouts(cwd)) or "none"
    raise LayoutError([Problem(referrer, None, f"unknown layout '{spec}'",
                               f"use one of: {known}, or a path to a layout folder")])


# ---------------------------------------------------------------- loading and validation


class _Reader:
    """Reads one merged layout table, collecting located problems instead of stopping."""

    def __init__(self, data: Mapping[str, Any], origins: Mapping[str, Path]) -> None:
        self.data = data
        self.origins = origins
        self.problems: list[Problem] = []

    def locate(self, dotted: str) -> tuple[Path, int | None]:
        """The file and line that set ``dotted`` (a ``table.key`` path), as well as TOML allows."""
        path = self.origins.get(dotted) or self.origins.get("")
        assert path is not None
        *tables, key = dotted.split(".")
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError:
            return path, None
        section = ".".join(tables)
        in_section = section == ""
        for number, raw in enumerate(lines, 1):
            text = raw.strip()
            header = re.fullmatch(r"\[+\s*([^\]]+?)\s*\]+", text)
            if header and header.group(1).replace('"', "") == dotted:
                return path, number  # the setting is a table of its own
            if header:
                in_section = header.group(1).replace('"', "") == section
            elif in_section and re.match(rf'"?{re.escape(key)}"?\s*=', text):
                return path, number
        return path, None

    def problem(self, dotted: str, message: str, hint: str) -> None:
        path, line = self.locate(dotted)
        self.problems.append(Problem(path, line, message, hint))

    def table(self, dotted: str) -> Mapping[str, Any]:
        node: Any = self.data
        for part in dotted.split("."):
            node = node.get(part, {}) if isinstance(node, Mapping) else {}
        if not isinstance(node, Mapping):
            self.problem(dotted, f"'{dotted}' must be a table", f"write it as [{dotted}]")
            return {}
        return node

    def value(self, dotted: str, kind: type, default: Any = None) -> Any:
        *tables, key = dotted.split(".")
        table = self.table(".".join(tables)) if tables else self.data
        if key not in table:
            if default is not None:
                return default
            self.problem(".".join(tables) or dotted, f"missing setting '{dotted}'",
                         f"add `{key} = ...` to the layout (or inherit a layout that sets it)")
            return None
        value = table[key]
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            self.problem(dotted, f"'{dotted}' must be a {kind.__name__}, not {value!r}",
                         f"write a {kind.__name__} value")
            return None
        return value

    def length(self, dotted: str) -> float:
        raw = self.value(dotted, str)
        if raw is None:
            return 0.0
        match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(pt|mm|cm|in)\s*", raw)
        if not match or float(match.group(1)) <= 0:
            self.problem(dotted, f"'{dotted}' is not a positive length: {raw!r}",
                         "write a number with a unit, e.g. \"20mm\", \"1in\" or \"72pt\"")
            return 0.0
        return float(match.group(1)) * POINTS_PER_UNIT[match.group(2)]

    def size(self, dotted: str) -> float:
        value = self.value(dotted, float)
        if value is None:
            return 0.0
        if not 1 <= value <= 400:
            self.problem(dotted, f"'{dotted}' must be a size in points between 1 and 400",
                         "write e.g. 11")
            return 0.0
        return float(value)

    def color(self, dotted: str) -> str:
        raw = self.value(dotted, str)
        if raw is None:
            return "000000"
        if not re.fullmatch(r"#?[0-9A-Fa-f]{6}", raw):
            self.problem(dotted, f"'{dotted}' is not a colour: {raw!r}",
                         "write it as #RRGGBB, e.g. \"#1B365D\"")
            return "000000"
        return str(raw).lstrip("#").upper()

    def font_file(self, dotted: str) -> Path:
        raw = self.value(dotted, str)
        if raw is None:
            return Path()
        path = _asset_path(raw, self.origins.get(dotted, self.origins[""]).parent)
        if path is None or not path.is_file():
            self.problem(dotted, f"font file not found: {raw}",
                         "give a TTF file beside the layout or package:MODULE/FILE.ttf")
            return Path()
        if path.suffix.lower() != ".ttf":
            self.problem(dotted, f"font file is not a TrueType .ttf: {raw}",
                         "use static TrueType fonts (OpenType-CFF and variable fonts cannot embed)")
            return path
        try:
            read_font(path)
        except (FontFileError, OSError) as exc:
            self.problem(dotted, f"font file {raw} is {exc}",
                         "use a static TrueType (.ttf) font with glyf outlines")
        return path

    def asset(self, dotted: str, *suffixes: str) -> Path | None:
        """An optional asset file beside the layout that set it, or None when not set."""
        *tables, key = dotted.split(".")
        if key not in self.table(".".join(tables)):
            return None
        raw = self.value(dotted, str)
        if raw is None:
            return None
        path = _asset_path(raw, self.origins.get(dotted, self.origins[""]).parent)
        if path is None or not path.is_file():
            self.problem(dotted, f"file not found: {raw}",
                         "give a path relative to the layout's folder")
            return None
        if path.suffix.lower() not in suffixes:
            self.problem(dotted, f"'{raw}' is not a {' or '.join(suffixes)} file",
                         f"give a {suffixes[0]} file")
            return None
        unsafe = office_package_problem(path) if path.suffix.lower() in (".docx", ".pptx") \
            else None
        if unsafe:
            self.problem(dotted, f"template '{raw}' {unsafe}",
                         "save a clean copy without macros, embedded objects or external links")
            return None
        return path

    def known_keys(self, dotted: str, allowed: set[str]) -> None:
        table = self.table(dotted) if dotted else self.data
        for key in table:
            if key not in allowed:
                near = difflib.get_close_matches(key, sorted(allowed), n=1)
                where = f"{dotted}.{key}" if dotted else key
                known = ", ".join(sorted(allowed))
                hint = f"did you mean '{near[0]}'?" if near else f"known: {known}"
                self.problem(where, f"unknown layout setting '{where}'", hint)


def _asset_path(raw: str, base: Path) -> Path | None:
    """A layout asset path: ``package:MODULE/FILE`` inside an installed package, else relative."""
    if raw.startswith("package:"):
        module, _, rest = raw[len("package:"):].partition("/")
        try:
            spec = importlib.util.find_spec(module)
        except (ImportError, ValueError):
            return None
        if spec is None or not spec.submodule_search_locations:
            return None
        return Path(next(iter(spec.submodule_search_locations))) / rest
    return (base / raw).resolve()


def _merge(base: dict[str, Any], top: Mapping[str, Any], origins: dict[str, Path],
           path: Path, prefix: str = "") -> None:
    """Deep-merge ``top`` over ``base``, recording which file set each dotted key."""
    for key, value in top.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, Mapping) and isinstance(base.get(key), dict):
            _merge(base[key], value, origins, path, dotted + ".")
        else:
            base[key] = dict(value) if isinstance(value, Mapping) else value
            origins[dotted] = path
            if isinstance(value, Mapping):
                for inner in _dotted_keys(value, dotted + "."):
                    origins[inner] = path


def _dotted_keys(table: Mapping[str, Any], prefix: str) -> list[str]:
    keys = []
    for key, value in table.items():
        keys.append(prefix + key)
        if isinstance(value, Mapping):
            keys.extend(_dotted_keys(value, prefix + key + "."))
    return keys


def _read_chain(folder: Path, cwd: Path) -> tuple[dict[str, Any], dict[str, Path], list[Path]]:
    """The merged settings of ``folder``'s layout and every layout it inherits."""
    chain: list[Path] = []
    current = folder
    tables: list[tuple[Path, dict[str, Any]]] = []
    while True:
        file = current / LAYOUT_FILE
        if file in chain:
            cycle = " -> ".join(p.parent.name for p in [*chain, file])
            raise LayoutError([Problem(chain[-1], None, f"layout inheritance cycle: {cycle}",
                                       "remove one `inherit` so the chain ends")])
        chain.append(file)
        try:
            data = tomllib.loads(file.read_text(encoding="utf-8"))
        except UnicodeDecodeError as exc:
            raise LayoutError([Problem(file, None, f"layout is not UTF-8 ({exc.reason})",
                                       "save layout.toml as UTF-8")]) from None
        except tomllib.TOMLDecodeError as exc:
            at = re.search(r"\(at line (\d+)", str(exc))
            line = int(at.group(1)) if at else None
            message = str(exc).split(" (at ")[0]
            raise LayoutError([Problem(file, line, f"invalid TOML: {message}",
                                       "fix the TOML syntax")]) from None
        tables.append((file, data))
        parent = data.get("inherit")
        if parent is None:
            break
        if not isinstance(parent, str):
            raise LayoutError([Problem(file, None, "'inherit' must be a layout name or path",
                                       'write inherit = "default"')])
        # A path (or a folder holding a layout.toml) is relative to the inheriting layout's
        # folder; any other name is a project layout under cwd, else a built-in one.
        current = resolve_layout(parent, cwd, referrer=file, base=current)
    merged: dict[str, Any] = {}
    origins: dict[str, Path] = {"": chain[0]}
    for file, data in reversed(tables):
        _merge(merged, data, origins, file)
    return merged, origins, chain


_SECTIONS = {"inherit", "description", "date_format", "month_names", "page", "slides", "fonts",
             "sizes", "colors", "labels", "markings", "files", "logo", "languages", "charts",
             "key_points_headings"}
#: The families every layout sets; other tables under [fonts] are fallback families.
_ROLES = ("body", "heading", "mono")
#: The least share of the page's width and height the margins must leave for the text.
MIN_TEXT_SHARE = 0.4
#: Labels added after layouts were first written: a standalone layout that predates one still
#: loads, with this wording.
LABEL_DEFAULTS = {"disclaimer": "Disclaimer", "table": "Table {n}.", "section": "Section {n}",
                  "contents": "Contents", "acronyms": "Acronyms",
                  "sources": "Sources", "key_points": "Key Points",
                  "continued": "{title} (cont.)"}
#: The fields each label may use.
LABEL_FIELDS = {
    "page": {"page", "pages"},
    "key_point": {"n", "total"},
    "figure": {"n"},
    "table": {"n"},
    "section": {"n"},
    "contents": set(),
    "acronyms": set(),
    "key_points": set(),
    "continued": {"title"},
    "running_header": {"title", "short_title", "date", "organization", "marking"},
    "slide_footer": {"title", "short_title", "date", "organization", "marking"},
}


def label_problem(template: str, allowed: set[str]) -> tuple[str, str] | None:
    """Why ``template`` cannot be filled with ``allowed`` fields (message, hint), or None.

    Only plain ``{field}`` placeholders are accepted: a format spec or conversion could fail on
    the value it meets at render time, and a stray brace would fail every build.
    """
    use = "use " + (", ".join("{" + t + "}" for t in sorted(allowed)) or "no {fields}")
    try:
        parts = list(string.Formatter().parse(template))
    except ValueError:
        return "unbalanced '{' or '}' in label", f"write {{{{ and }}}} for a literal brace; {use}"
    for _literal, name, spec, conversion in parts:
        if name is None:
            continue
        if name not in allowed:
            return f"unknown field '{{{name}}}' in label", use
        if spec or conversion:
            return (f"field '{{{name}}}' has a format spec or conversion",
                    f"write it plainly as {{{name}}}")
    return None


def _charts(read: _Reader) -> Charts:
    """The ``[charts]`` table: its palette of series colours, and the data table switch."""
    read.known_keys("charts", _fields(Charts))
    palette: tuple[str, ...] = ()
    raw = read.value("charts.palette", list, [])
    if raw:
        if all(isinstance(c, str) and re.fullmatch(r"#?[0-9A-Fa-f]{6}", c) for c in raw):
            palette = tuple(c.lstrip("#").upper() for c in raw)
        else:
            read.problem("charts.palette", "'charts.palette' must list colours",
                         'write palette = ["#1B365D", "#B5892E", ...]')
    return Charts(palette, read.value("charts.data_table", bool, True) is not False)


def _fields(cls: type) -> set[str]:
    return {f.name for f in fields(cls)}


def load_layout(spec: str, cwd: Path, referrer: Path | str = "layout",
                base: Path | None = None) -> Layout:
    """Resolve layout ``spec`` (a name, or a path relative to ``base``, by default ``cwd``),
    merge its inheritance chain and validate it."""
    folder = resolve_layout(spec, cwd, referrer, base)
    data, origins, chain = _read_chain(folder, cwd)
    read = _Reader(data, origins)
    read.known_keys("", _SECTIONS)
    for section, cls in (("page", Page), ("slides", Slides), ("sizes", Sizes),
                         ("colors", Colors), ("labels", Labels)):
        # A page's width and height follow from its named size; they are not settings.
        read.known_keys(section, _fields(cls) - ({"width", "height"} if cls is Page else set()))

    date_format = read.value("date_format", str, "{d} {Month} {yyyy}")
    for token in re.findall(r"\{(\w*)\}", date_format):
        if token not in DATE_TOKENS:
            read.problem("date_format", f"unknown date token '{{{token}}}'",
                         "use " + ", ".join("{" + t + "}" for t in DATE_TOKENS))

    month_names = read.value("month_names", list, list(MONTHS))
    if month_names is None:  # not a list: already reported
        month_names = list(MONTHS)
    elif len(month_names) != 12 or not all(isinstance(m, str) and m.strip()
                                           for m in month_names):
        read.problem("month_names", "'month_names' must list twelve month names",
                     'write month_names = ["January", "February", ..., "December"]')
        month_names = list(MONTHS)

    size_name = str(read.value("page.size", str) or "A4")
    if size_name.upper() not in PAGE_SIZES_PT:
        read.problem("page.size", f"unknown page size '{size_name}'",
                     "use " + ", ".join(f'"{n.title() if len(n) > 2 else n}"'
                                        for n in PAGE_SIZES_PT))
        size_name = "A4"
    width, height = PAGE_SIZES_PT[size_name.upper()]
    orientation = str(read.value("page.orientation", str, "portrait") or "portrait")
    if orientation not in ORIENTATIONS:
        read.problem("page.orientation", f"unknown page orientation '{orientation}'",
                     'use "portrait" or "landscape"')
        orientation = "portrait"
    if orientation == "landscape":
        width, height = height, width
    top, bottom, left, right = (read.length(f"page.{k}") for k in
                                ("margin_top", "margin_bottom", "margin_left", "margin_right"))
    page = Page(size_name, width, height, top, bottom, left, right, orientation)
    if page.margin_left + page.margin_right > (1 - MIN_TEXT_SHARE) * width:
        read.problem("page.margin_left", "the left and right margins leave less than "
                     f"{MIN_TEXT_SHARE:.0%} of the page width for text", "make them narrower")
    if page.margin_top + page.margin_bottom > (1 - MIN_TEXT_SHARE) * height:
        read.problem("page.margin_top", "the top and bottom margins leave less than "
                     f"{MIN_TEXT_SHARE:.0%} of the page height for text", "make them smaller")
    body_max, body_min, title_max, title_min = (
        read.size(f"slides.{k}") for k in ("body_max", "body_min", "title_max", "title_min"))
    slides = Slides(read.length("slides.width"), read.length("slides.height"), body_max,
                    body_min, title_max, title_min,
                    footnote_line=read.value("slides.footnote_line", bool, True) is not False,
                    detail_bullets=read.value("slides.detail_bullets", bool, True) is not False,
                    action_titles=read.value("slides.action_titles", bool, True) is not False,
                    agenda=read.value("slides.agenda", bool, False) is True)
    if slides.body_min > slides.body_max or slides.title_min > slides.title_max:
        read.problem("slides.body_min", "a minimum text size is above its maximum",
                     "make body_min <= body_max and title_min <= title_max")

    families, by_table = _font_families(read)
    labels = Labels(*(str(read.value(f"labels.{f.name}", str, LABEL_DEFAULTS.get(f.name)) or "")
                      for f in fields(Labels)))
    for label, allowed in LABEL_FIELDS.items():
        problem = label_problem(getattr(labels, label), allowed)
        if problem:
            read.problem(f"labels.{label}", *problem)

    # Imported here: that module reads with this one's helpers.
    from kzreport.layout_languages import heading_names, languages_of

    languages = languages_of(read, labels, date_format,
                             {k: v for k, v in by_table.items() if k not in _ROLES})

    read.known_keys("files", {"reference_docx", "template_pptx", "reference_styles"})
    reference_docx = read.asset("files.reference_docx", ".docx")
    reference_styles = tuple(str(n) for n in read.value("files.reference_styles", list, []))
    for name in (n for n in reference_styles if n not in TEMPLATE_STYLES):  # never the furniture
        read.problem("files.reference_styles", f"a reference document may not set style "
                     f"'{name}'", "name some of: " + ", ".join(f'"{s}"' for s in TEMPLATE_STYLES))
    template_pptx = read.asset("files.template_pptx", ".pptx")
    logo = None
    if "logo" in data:
        read.known_keys("logo", {"file", "width", "placement"})
        logo_file = read.asset("logo.file", ".png", ".jpg", ".jpeg")
        placement = str(read.value("logo.placement", str, "right"))
        if placement not in ("left", "right"):
            read.problem("logo.placement", f"unknown logo placement '{placement}'",
                         'use "left" or "right"')
        broken = image_problem(logo_file) if logo_file is not None else None
        if broken:
            read.problem("logo.file", f"the logo image {broken}", "use an undamaged PNG or JPEG")
        elif logo_file is not None:
            logo = Logo(logo_file, read.length("logo.width"), placement)
        elif "file" not in read.table("logo"):  # a file that is not there is reported already
            read.problem("logo", "the [logo] table has no file", 'add file = "logo.png"')

    charts = _charts(read)
    markings = {}
    for level in read.table("markings"):
        read.known_keys(f"markings.{level}", {"background", "text"})
        markings[level.upper()] = MarkingStyle(read.color(f"markings.{level}.background"),
                                               read.color(f"markings.{level}.text"))
    layout = Layout(
        name=folder.name,
        folder=folder,
        files=tuple(chain),
        description=str(read.value("description", str, "") or ""),
        date_format=date_format,
        month_names=tuple(month_names),
        page=page,
        slides=slides,
        fonts=Fonts(**families),
        languages=languages,
        sizes=Sizes(*(read.size(f"sizes.{f.name}") for f in fields(Sizes))),
        colors=Colors(*(read.color(f"colors.{f.name}") for f in fields(Colors))),
        labels=labels,
        markings=markings,
        reference_docx=reference_docx,
        reference_styles=reference_styles,
        template_pptx=template_pptx,
        logo=logo,
        charts=charts,
        key_points_headings=heading_names(read, "key_points_headings"),
    )
    if read.problems:
        raise LayoutError(read.problems)
    return layout


def _font_families(read: _Reader) -> tuple[dict[str, FontFamily], dict[str, FontFamily]]:
    """The body, heading and mono families, each with its fallback chain of the other tables
    under [fonts] (whose italic faces default to their upright ones: many scripts have none),
    and every [fonts.NAME] family by its table's name."""
    own: dict[str, FontFamily] = {}
    for name in dict.fromkeys([*_ROLES, *read.table("fonts")]):
        read.known_keys(f"fonts.{name}", _fields(FontFamily))
        if name not in _ROLES and "fallback" in read.table(f"fonts.{name}"):
            read.problem(f"fonts.{name}.fallback", "only body, heading and mono have a fallback",
                         "list every fallback family in theirs, in order")
        files = {}
        for style in FACE_FIELDS.values():
            upright = {"italic": "regular", "bold_italic": "bold"}.get(style)
            given = style in read.table(f"fonts.{name}") or name in _ROLES or upright is None
            files[style] = read.font_file(f"fonts.{name}.{style if given else upright}")
        own[name] = FontFamily(str(read.value(f"fonts.{name}.name", str) or ""),
                               files["regular"], files["bold"], files["italic"],
                               files["bold_italic"])
    families = {}
    for role in _ROLES:
        chain = read.value(f"fonts.{role}.fallback", list, [])
        fallback = []
        for entry in chain or []:
            if entry not in own or entry in _ROLES:
                known = ", ".join(n for n in own if n not in _ROLES) or "none"
                read.problem(f"fonts.{role}.fallback", f"unknown fallback family '{entry}'",
                             f"name a [fonts.NAME] table other than body/heading/mono; known: "
                             f"{known}")
            else:
                fallback.append(own[entry])
        families[role] = replace(own[role], fallback=tuple(fallback))
    return families, own
