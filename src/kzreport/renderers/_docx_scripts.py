"""The brief's scripts: fallback fonts named on the runs that need them, right-to-left marked."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import TYPE_CHECKING

from kzreport.layout import FontFamily, Layout
from kzreport.renderers._wordml import element, put, qn
from kzreport.scripts import (
    FontChain,
    has_rtl,
    is_rtl_language,
    paragraph_is_rtl,
    rtl_span,
    script_language,
)

if TYPE_CHECKING:
    from lxml.etree import _Element as XmlElement

#: Complex-script twins of run properties: Word sizes and styles right-to-left text by these.
_COMPLEX_TWINS = {"w:sz": "w:szCs", "w:b": "w:bCs", "w:i": "w:iCs"}


def mark_scripts(roots: Iterable[XmlElement], styles: XmlElement, layout: Layout,
                 language: str) -> None:
    """Split every run of the paragraphs under ``roots`` where the font that draws it changes,
    naming the fallback family on the pieces the run's own font lacks (Word would otherwise
    pick a font of its own); mark right-to-left paragraphs (``w:bidi``), runs (``w:rtl``, the
    complex-script font and ``w:lang w:bidi``) and, in a right-to-left paper, tables
    (``w:bidiVisual``). A paper with no such text is left untouched."""
    paper_rtl = is_rtl_language(language)
    any_rtl = paper_rtl
    for root in roots:
        for paragraph in root.iter(qn("w:p")):
            any_rtl |= _paragraph(paragraph, layout, language, paper_rtl)
        if paper_rtl:
            for table in root.iter(qn("w:tblPr")):
                put(table, element("w:bidiVisual"))
    if any_rtl:
        for properties in styles.iter(qn("w:rPr")):
            _complex_twins(properties)


def _paragraph(paragraph: XmlElement, layout: Layout, language: str, paper_rtl: bool) -> bool:
    """Mark one paragraph; whether it has right-to-left text."""
    runs = [run for run in paragraph.iter(qn("w:r")) if len(run.findall(qn("w:t"))) == 1]
    text = "".join(run.findtext(qn("w:t")) or "" for run in runs)
    rtl_text = has_rtl(text)
    if text.isascii() and not paper_rtl:
        return False  # the common case: nothing to name, nothing to turn
    if paragraph_is_rtl(text, paper_rtl):
        properties = paragraph.find(qn("w:pPr"))
        if properties is None:
            properties = element("w:pPr")
            paragraph.insert(0, properties)
        put(properties, element("w:bidi"))
    for run in runs:
        _run(run, layout, language)
    return rtl_text


def _run(run: XmlElement, layout: Layout, language: str) -> None:
    text = run.findtext(qn("w:t")) or ""
    chain = FontChain.of(_family(run, layout))
    pieces = chain.runs(text)
    if len(pieces) <= 1 and (not pieces or pieces[0][1] == 0) and not has_rtl(text):
        return
    for piece, index in _rtl_cut(pieces):
        made = copy.deepcopy(run)
        made_text = made.find(qn("w:t"))
        assert made_text is not None
        made_text.text = piece
        made_text.set(qn("xml:space"), "preserve")
        family = chain.families[index or 0]
        rtl = has_rtl(piece)
        properties = made.find(qn("w:rPr"))
        if properties is None and (index or rtl):
            properties = element("w:rPr")
            made.insert(0, properties)
        if properties is not None and (index or rtl):
            fonts = properties.find(qn("w:rFonts"))
            if fonts is None:
                fonts = element("w:rFonts")
                put(properties, fonts)
            if index:
                for slot in ("ascii", "hAnsi", "eastAsia"):
                    fonts.set(qn(f"w:{slot}"), family.name)
            fonts.set(qn("w:cs"), family.name)
        if properties is not None and rtl:
            _complex_twins(properties)
            put(properties, element("w:rtl"))
            put(properties, element("w:lang", bidi=script_language(piece, language)))
        run.addprevious(made)
    parent = run.getparent()
    assert parent is not None  # a run found inside a paragraph
    parent.remove(run)


def _rtl_cut(pieces: list[tuple[str, int | None]]) -> list[tuple[str, int | None]]:
    """``pieces`` with the punctuation and spaces around each right-to-left stretch cut off
    into pieces of their own, so that only the stretch is marked ``w:rtl``."""
    cut: list[tuple[str, int | None]] = []
    for piece, index in pieces:
        start, end = rtl_span(piece)
        cut.extend((part, index) for part in (piece[:start], piece[start:end], piece[end:])
                   if part)
    return cut


def _family(run: XmlElement, layout: Layout) -> FontFamily:
    """The layout family a run is set in: mono when it names the mono font, else the body."""
    fonts = run.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
    mono = layout.fonts.mono
    return mono if fonts is not None and fonts.get(qn("w:ascii")) == mono.name else \
        layout.fonts.body


def _complex_twins(properties: XmlElement) -> None:
    """Give run properties the complex-script size, bold and italic of their own."""
    for tag, twin in _COMPLEX_TWINS.items():
        own = properties.find(qn(tag))
        if own is not None and properties.find(qn(twin)) is None:
            put(properties, element(twin, **({"val": v} if (v := own.get(qn("w:val"))) else {})))
