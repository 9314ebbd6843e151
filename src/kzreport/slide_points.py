"""What the deck gives a slide each: a paper's key points, or an information paper's sections."""

from __future__ import annotations

from kzreport.model import Document, Heading, KeyPoint, KeyPoints, Paragraph, plain_text


def is_information_paper(document: Document) -> bool:
    """Whether ``document`` has no Key Points section (its deck shows its sections)."""
    return not any(isinstance(block, KeyPoints) for block in document.blocks)


def slide_points(document: Document) -> KeyPoints:
    """The points the deck shows a slide for, in order: the Key Points section; for an
    information paper (which has none), one point per ``##`` section, titled by its heading,
    its text the section's first paragraph and its details the rest (which the deck shows
    as it shows a key point's: bullets, figures and tables on the slide, the rest in its
    notes). What comes before the first ``##`` heading is the paper's opening, not a slide."""
    if not is_information_paper(document):
        return document.key_points
    blocks = document.blocks
    starts = [i for i, block in enumerate(blocks) if isinstance(block, Heading)
              and block.level == 2]
    points = []
    for n, start in enumerate(starts):
        heading = blocks[start]
        assert isinstance(heading, Heading)
        body = blocks[start + 1:starts[n + 1] if n + 1 < len(starts) else len(blocks)]
        first = body[0] if body and isinstance(body[0], Paragraph) else None
        points.append(KeyPoint(plain_text(heading.inlines).strip(),
                               first.inlines if first is not None else (),
                               body[1:] if first is not None else body, heading.line))
    return KeyPoints("", tuple(points), starts[0] if starts else 0)
