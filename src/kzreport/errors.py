"""The one exception hierarchy of kzreport: every expected failure is a located, fixable problem."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from kzreport.records import record

#: Control, format and direction characters, non-characters and lone surrogates (which no
#: terminal encoding can even print): shown as ``\uXXXX`` in problem lines.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u00ad\u061c\u200b-\u200f\u202a-\u202e"
                          "\u2060-\u2069\ufeff\ufffe\uffff\ud800-\udfff]")


@record
class Problem:
    """One thing wrong with an input: where it is, what is wrong, and how to fix it."""

    path: Path | str
    line: int | None
    message: str
    hint: str = ""
    column: int | None = None
    severity: str = "error"

    def __str__(self) -> str:
        where = str(self.path)
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        text = f"{where}: {self.severity}: {self.message}"
        if self.hint:
            text += f" — {self.hint}"
        # One line per problem, whatever the input smuggled into the message, and no character
        # that would hide text or turn the rest of the terminal line around.
        return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", " ".join(text.split()))


class KzreportError(Exception):
    """Base of every error kzreport reports to the user instead of crashing."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class SourceError(KzreportError):
    """A paper's source file is invalid."""


class LayoutError(KzreportError):
    """A layout is unknown or invalid."""


class RenderError(KzreportError):
    """An output could not be produced from a valid document (missing glyph, unwritable folder)."""

