"""DrawingML text read back from raw XML: paragraphs' text, runs, sizes and spacing."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from kzreport.extraction import TextPara, TextRun
from kzreport.renderers._common import EMU_PER_PT

_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


def drawing_paragraphs(node: ET.Element) -> list[str]:
    """The text of every DrawingML paragraph under ``node``."""
    out = []
    for paragraph in node.iter(f"{_A}p"):
        parts = []
        for child in paragraph:
            if child.tag in (f"{_A}r", f"{_A}fld"):
                parts.append("".join(t.text or "" for t in child.iter(f"{_A}t")))
            elif child.tag == f"{_A}br":
                parts.append("\n")
        out.append("".join(parts))
    return out


def points(value: str | None, per_point: float) -> float | None:
    """An integer attribute ``value`` in units ``per_point`` as points, None when absent."""
    return int(value) / per_point if value is not None and value.lstrip("-").isdigit() else None


def _run(node: ET.Element, text: str) -> TextRun:
    props = node.find(f"{_A}rPr")
    if props is None:
        return TextRun(text, None, False, False, None)
    latin = props.find(f"{_A}latin")
    return TextRun(text, points(props.get("sz"), 100), props.get("b") in ("1", "true"),
                   props.get("i") in ("1", "true"),
                   latin.get("typeface") if latin is not None else None)


def _spacing(props: ET.Element | None, tag: str) -> tuple[float | None, float | None]:
    """A paragraph's ``a:lnSpc`` or ``a:spcBef``: (points, share of 1) — one is None."""
    node = props.find(f"{_A}{tag}") if props is not None else None
    if node is None:
        return None, None
    exact, percent = node.find(f"{_A}spcPts"), node.find(f"{_A}spcPct")
    return (points(exact.get("val") if exact is not None else None, 100),
            points(percent.get("val") if percent is not None else None, 100000))


def paragraphs_of(body: ET.Element) -> tuple[TextPara, ...]:
    """Every paragraph of text body ``body`` with its runs, spacing and left margin."""
    paragraphs = []
    for paragraph in body.iter(f"{_A}p"):
        runs = []
        for child in paragraph:
            if child.tag in (f"{_A}r", f"{_A}fld"):
                runs.append(_run(child, "".join(t.text or "" for t in child.iter(f"{_A}t"))))
            elif child.tag == f"{_A}br":
                runs.append(_run(child, "\n"))
        props = paragraph.find(f"{_A}pPr")
        end = paragraph.find(f"{_A}endParaRPr")
        pitch, pitch_percent = _spacing(props, "lnSpc")
        before, before_percent = _spacing(props, "spcBef")
        indent = points(props.get("marL") if props is not None else None, EMU_PER_PT)
        paragraphs.append(TextPara(tuple(runs), points(end.get("sz"), 100)
                                   if end is not None else None,
                                   pitch, pitch_percent, before, before_percent, indent or 0.0))
    return tuple(paragraphs)
