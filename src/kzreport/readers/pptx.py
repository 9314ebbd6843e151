"""The deck read back from its raw PresentationML, without python-pptx: slides, notes, frames."""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

from kzreport.extraction import Extraction, Shape, Slide, TextFrame
from kzreport.layout import Layout
from kzreport.readers.deck_visuals import read_visuals
from kzreport.readers.drawing_text import drawing_paragraphs, paragraphs_of, points
from kzreport.readers.opc import core_properties, hyperlinks, parse, relationships, target
from kzreport.renderers._common import EMU_PER_PT

_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
#: DrawingML lengths are in EMU.
#: PowerPoint's text frame insets when ``a:bodyPr`` names none: 0.1" left/right, 0.05" top/bottom.
DEFAULT_INSETS_EMU = (91440, 91440, 45720, 45720)


def text_frame(shape: ET.Element, slide: int) -> TextFrame | None:
    """``shape``'s text frame with its geometry, or None without text or an explicit size."""
    body = shape.find(f"{_P}txBody")
    size = shape.find(f"{_P}spPr/{_A}xfrm/{_A}ext")
    if body is None or size is None:
        return None  # a placeholder placed by its layout: nothing we can measure against
    paragraphs = paragraphs_of(body)
    if not any(run.text.strip() for p in paragraphs for run in p.runs):
        return None
    body_pr = body.find(f"{_A}bodyPr")

    def inset(attribute: str, default: int) -> float:
        value = points(body_pr.get(attribute) if body_pr is not None else None, EMU_PER_PT)
        return default / EMU_PER_PT if value is None else value

    left, right, top, bottom = (inset(a, d) for a, d in zip(("lIns", "rIns", "tIns", "bIns"),
                                                            DEFAULT_INSETS_EMU, strict=True))
    name = shape.find(f"{_P}nvSpPr/{_P}cNvPr")
    return TextFrame(slide, name.get("name", "") if name is not None else "",
                     int(size.get("cx", "0")) / EMU_PER_PT, int(size.get("cy", "0")) / EMU_PER_PT,
                     (left, right, top, bottom), tuple(paragraphs))


def shape_of(shape: ET.Element) -> Shape | None:
    """``shape``'s name, placeholder type (``obj`` when a placeholder names none), box in
    points and text; None when it holds no text."""
    text = "\n".join(drawing_paragraphs(shape))
    if not text.strip():
        return None
    name = shape.find(f"{_P}nvSpPr/{_P}cNvPr")
    placeholder = shape.find(f"{_P}nvSpPr/{_P}nvPr/{_P}ph")
    offset = shape.find(f"{_P}spPr/{_A}xfrm/{_A}off")
    size = shape.find(f"{_P}spPr/{_A}xfrm/{_A}ext")
    box = None
    if offset is not None and size is not None:
        left, top, width, height = (int(element.get(key, "0")) / EMU_PER_PT for element, key in (
            (offset, "x"), (offset, "y"), (size, "cx"), (size, "cy")))
        box = (left, top, width, height)
    return Shape(name.get("name", "") if name is not None else "",
                 placeholder.get("type", "obj") if placeholder is not None else "", box, text)


def read_pptx(path: Path, layout: Layout) -> Extraction:
    """The slides (face text, notes, links, shapes, visuals), text frames, links, slide size
    and properties of a deck, from its raw PresentationML."""
    with zipfile.ZipFile(path) as package:
        main = target(package, "", "/officeDocument")
        if main is None:
            raise ValueError("no presentation part")
        ids = {rel.id: rel.target for rel in relationships(package, main)}
        order = parse(package, main).find(f"{_P}sldIdLst")
        slides: list[Slide] = []
        frames: list[TextFrame] = []
        marked: list[tuple[str, bool]] = []
        for number, slide_id in enumerate(order if order is not None else [], 1):
            part = ids[slide_id.get(f"{_R}id", "")]
            root = parse(package, part)
            notes = ""
            notes_part = target(package, part, "/notesSlide")
            if notes_part is not None:
                # Only the notes placeholder: the others hold the slide image and its number.
                notes = "\n".join(
                    text for shape in parse(package, notes_part).iter(f"{_P}sp")
                    if any(ph.get("type") == "body" for ph in shape.iter(f"{_P}ph"))
                    for text in drawing_paragraphs(shape))
            visuals, cells = read_visuals(package, part, root, number)
            shapes = (shape_of(shape) for shape in root.iter(f"{_P}sp"))
            slides.append(Slide("\n".join(drawing_paragraphs(root)), notes,
                                hyperlinks(package, [part]),
                                tuple(shape for shape in shapes if shape is not None), visuals))
            frames.extend(f for f in (text_frame(s, number) for s in root.iter(f"{_P}sp"))
                          if f is not None)
            frames.extend(cells)
            for paragraph in root.iter(f"{_A}p"):
                properties = paragraph.find(f"{_A}pPr")
                marked.append(("".join(t.text or "" for t in paragraph.iter(f"{_A}t")),
                               properties is not None and properties.get("rtl") == "1"))
        size = parse(package, main).find(f"{_P}sldSz")
        slide_size = (int(size.get("cx", "0")) / EMU_PER_PT, int(size.get("cy", "0")) / EMU_PER_PT
                      ) if size is not None else None
        title, author = core_properties(package)
        links = hyperlinks(package)
    return Extraction("\n".join(s.face for s in slides), title, author, links,
                      slides=tuple(slides), frames=tuple(frames), slide_size=slide_size,
                      directions=tuple(marked))
