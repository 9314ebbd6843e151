"""A body's footnotes: references numbered in reading order, definitions, their problems."""

from __future__ import annotations

from dataclasses import replace

from kzreport.anchors import nearest
from kzreport.model import Footnote, FootnoteRef, Inlines, Paragraph, Span
from kzreport.records import record
from kzreport.source_checks import Problems


@record(frozen=False)
class _Reference:
    """A footnote reference met in the text: its label (None for an inline note, whose
    paragraphs come with it) and line."""

    label: str | None
    line: int
    paragraphs: tuple[Paragraph, ...] = ()


class Notes:
    """Collects a body's footnote references and definitions as the parser meets them (a
    definition may come before or after its references)."""

    def __init__(self, problems: Problems) -> None:
        self.problems = problems
        self.references: list[_Reference] = []
        #: Definitions by label: their line and paragraphs.
        self.definitions: dict[str, tuple[int, tuple[Paragraph, ...]]] = {}

    def define(self, label: str, line: int, paragraphs: tuple[Paragraph, ...]) -> None:
        """Record the definition of footnote ``label``."""
        if label in self.definitions:
            self.problems.add(line, f"footnote [^{label}] is defined twice (first on line "
                              f"{self.definitions[label][0]})",
                              "give each footnote a label of its own")
        else:
            self.definitions[label] = (line, paragraphs)

    def refer(self, label: str | None, line: int,
              paragraphs: tuple[Paragraph, ...] = ()) -> FootnoteRef:
        """A reference to footnote ``label`` (None: an inline note of ``paragraphs``), numbered
        in reading order: every reference is a note of its own, as in Pandoc."""
        self.references.append(_Reference(label, line, paragraphs))
        return FootnoteRef(len(self.references))

    def resolve(self) -> tuple[Footnote, ...]:
        """Every reference's note, in reading order."""
        notes: list[Footnote] = []
        for number, reference in enumerate(self.references, 1):
            paragraphs = reference.paragraphs
            if reference.label is not None:
                found = self.definitions.get(reference.label)
                if found is None:
                    close = nearest(reference.label, self.definitions)
                    self.problems.add(
                        reference.line, f"footnote [^{reference.label}] has no definition"
                        + (f" (a note [^{close}] exists)" if close else ""),
                        f"add a line '[^{reference.label}]: the note' below the paragraph, "
                        f"or write \\[^{reference.label}] to print it as text")
                    continue
                paragraphs = found[1]
            notes.append(Footnote(number, reference.label or "", paragraphs, reference.line))
        referenced = {reference.label for reference in self.references}
        for label, (line, _) in self.definitions.items():
            if label not in referenced:
                self.problems.warn(line, f"footnote [^{label}] is never referenced",
                                   f"refer to it with [^{label}] in the text, or delete it")
        return tuple(notes)


def trimmed(inlines: Inlines) -> Inlines:
    """``inlines`` without white space at either end, as a paragraph's text is read (an
    inline note's text, ``^[ like this ]``, comes untrimmed from markdown-it)."""
    out = list(inlines)
    for at, strip in ((0, str.lstrip), (-1, str.rstrip)):
        while out and isinstance(end := out[at], Span) and not end.code and not end.script:
            if text := strip(end.text):
                out[at] = replace(end, text=text)
                break
            out.pop(at)
    return tuple(out)
