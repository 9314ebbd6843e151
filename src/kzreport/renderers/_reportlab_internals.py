"""Every use of reportlab's private names, each with the reason no public API serves."""

from __future__ import annotations

import calendar
import contextlib
import datetime as dt
import time
from collections.abc import Iterator, Mapping
from typing import Any

# Only pdfgen and lib: platypus's paragraph module compiles the URL pattern that
# ``uri_pattern_compiled_when_used`` leaves lazy, so it must not load before that is in place.
from reportlab.lib.utils import TimeStamp
from reportlab.pdfgen.textobject import PDFTextObject

from kzreport.lazy_imports import compiled_when_used

#: How reportlab's URL pattern (``reportlab.platypus.paragraph.uri_pat``) starts.
REPORTLAB_URI_PATTERN_START = r"(^(?:[a-z0-9\.\-\+]*)://)"
#: reportlab's pattern of CJK characters (``reportlab.lib.textsplit.rx``), which only
#: ``cjkwrap`` uses, a function nothing in reportlab calls (and that fails if called: it
#: uses ``reduce`` without importing it).
REPORTLAB_CJK_PATTERN = "([\u2e80-\uffff])"


# ---------------------------------------------------------------- importing reportlab


@contextlib.contextmanager
def uri_pattern_compiled_when_used() -> Iterator[None]:
    """While reportlab's platypus is imported, leave its URL pattern to be compiled on first use.

    reportlab compiles it, case-insensitive over most of Unicode, when its paragraph module
    loads: 60-100 ms, a third of importing reportlab, for a pattern used only to hyphenate
    URLs, which kzreport's PDFs do not. reportlab has no setting to skip it, so ``re.compile``
    hands out a ``LazyPattern`` for that pattern, and for the CJK pattern of its text
    splitter (8 ms, for a function nothing calls); every other compiles as usual.
    """
    with compiled_when_used(REPORTLAB_URI_PATTERN_START, REPORTLAB_CJK_PATTERN):
        yield


# ---------------------------------------------------------------- the canvas's document


def pdf_document(canvas: Any) -> Any:
    """The PDFDocument ``canvas`` writes, to register objects with: the canvas keeps it as
    ``_doc`` and offers no accessor, and the structure tree's objects must be registered."""
    return canvas._doc


def page_reference(canvas: Any) -> Any:
    """The indirect reference of the page being drawn (a structure element's /Pg): only the
    canvas's private document knows it."""
    return pdf_document(canvas).thisPageRef()


def latest_annotation(canvas: Any) -> Any:
    """The annotation ``linkURL`` just made: it returns nothing, and the page's annotations
    are only in the canvas's private list."""
    return canvas._annotationrefs[-1]


def page_has_content(canvas: Any) -> bool:
    """Whether anything is drawn on the unfinished page: the test reportlab's ``save`` makes on
    the canvas's private code list before its last ``showPage``, with no public form."""
    return bool(canvas._code)


def add_page_entries(canvas: Any, entries: dict[str, Any]) -> None:
    """Write ``entries`` into the page ``showPage`` just finished: reportlab builds the page
    object inside ``showPage`` with no factory to override, and writes only the keys listed
    in its ``__NoDefault__``."""
    page = pdf_document(canvas).Pages[-1]
    page.__NoDefault__ = [*page.__NoDefault__, *entries]
    for key, value in entries.items():
        setattr(page, key, value)


def fix_creation_time(canvas: Any, when: dt.datetime) -> None:
    """Date the document naive-UTC ``when``: reportlab stamps the current time (or, with
    ``invariant``, 2000-01-01) into its private ``_timeStamp``, which has no setter, and
    ``TimeStamp`` takes no time of its own, so its fields are set as its ``__init__`` would."""
    stamp = TimeStamp(invariant=1)
    seconds = calendar.timegm(when.timetuple())
    stamp.t = seconds
    stamp.lt = time.gmtime(seconds)
    stamp.YMDhms = tuple(stamp.lt)[:6]
    stamp.dhh = stamp.dmm = 0
    stamp.tzname = "UTC"
    pdf_document(canvas)._timeStamp = stamp


def link_to_destination(canvas: Any, destination: str, rect: Any, relative: int,
                        entries: dict[str, Any]) -> Any:
    """Add to the page a link annotation to named destination ``destination`` holding
    ``entries`` (/StructParent, /Contents) and return it: ``linkRect`` builds a
    ``LinkAnnotation``, which refuses every key but a fixed few (/StructParent among them),
    and the destination and the page's annotation list are the canvas's private objects."""
    from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName

    annotation = PDFDictionary({"Type": PDFName("Annot"), "Subtype": PDFName("Link"),
                                "Rect": PDFArray(canvas._absRect(rect, relative)),
                                "Border": PDFArray([0, 0, 0]),
                                "Dest": canvas._bookmarkReference(destination), **entries})
    canvas._addAnnotation(annotation)
    return latest_annotation(canvas)


# ---------------------------------------------------------------- frames


def frame_bottom(frame: Any) -> float:
    """Where ``frame`` stops placing flowables: its bottom plus padding, kept only in the
    private ``_y1p`` that ``add`` and ``split`` read."""
    return float(frame._y1p)


def set_frame_bottom(frame: Any, bottom: float) -> None:
    """Make ``frame`` stop placing flowables at ``bottom``, leaving the space below it to a
    page's footnotes: platypus has no way to shrink a frame while it is being filled."""
    frame._y1p = bottom


# ---------------------------------------------------------------- text objects


class ObservedTextObject(PDFTextObject):  # type: ignore[misc]  # reportlab is untyped
    """A text object that says when text is about to be shown and when a line ends, and takes
    extra operators between pieces of text."""

    def showing(self, text: str) -> None:
        """Called before ``text`` is shown."""

    def line_ended(self) -> None:
        """Called after the text that ends a line is shown."""

    def _textOut(self, text: str, TStar: int = 0) -> None:
        # reportlab's Paragraph shows its text through this private method, never through
        # textOut or textLine, so only here can each piece be seen before it is drawn.
        self.showing(text)
        super()._textOut(text, TStar)
        if TStar:
            self.line_ended()

    def add_operator(self, operator: str) -> None:
        """Append ``operator`` to the text object's code (inside its BT/ET): the code list is
        private, and the canvas's ``addLiteral`` would write outside the text object."""
        self._code.append(operator)


# ---------------------------------------------------------------- fonts


def write_astral_characters_as_surrogate_pairs(texts: Mapping[int, str]) -> None:
    """Make reportlab's ToUnicode maps give characters above U+FFFF (emoji) as UTF-16
    surrogate pairs, as the PDF format requires, and each code in ``texts`` (a shaped glyph's
    stand-in, see ``_pdf_shaping``) as the text it was shaped from: reportlab writes the code
    itself, as one five-digit code, so text extraction returns another character. Its
    ``makeToUnicodeCMap`` is a module global that ``TTFont`` calls by name, so the fix
    replaces it; entries in the BMP are unchanged."""
    from reportlab.pdfbase import ttfonts

    original = ttfonts.makeToUnicodeCMap
    if getattr(original, "astral_fixed", False):
        return

    def make_cmap(fontname: str, subset: list[int]) -> str:
        cmap: str = original(fontname, subset)
        for code in subset:
            if code > 0xFFFF:
                text = texts.get(code, chr(code))
                entry = text.encode("utf-16-be").hex().upper()
                cmap = cmap.replace(f"> <{code:04X}>\n", f"> <{entry}>\n")
        return cmap

    make_cmap.astral_fixed = True  # type: ignore[attr-defined]
    ttfonts.makeToUnicodeCMap = make_cmap


# ---------------------------------------------------------------- tables


def table_cells(table: Any) -> list[Any]:
    """The cell contents of ``table`` (a piece of a split table holds its own rows): Table
    keeps them only in the private ``_cellvalues`` and has no accessor."""
    return [cell for row in table._cellvalues for cell in row]
