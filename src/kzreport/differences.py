"""Where an output's text first differs from its source's, quoted both ways for verify."""

from __future__ import annotations

import unicodedata

from kzreport.expectations import INVISIBLE

#: Characters quoted around the first difference (half before it, half from it on), so a
#: message shows what differs and enough of the sentence to find it, on one line.
CONTEXT = 60
#: Characters of a missing text's start (spaces aside) that, found where it should be, mark
#: the place it was printed with a difference further on, rather than not at all.
ANCHOR = 20
#: How far into a quote's ends a space is looked for, to cut between words.
WORD_ROOM = 12
#: What a quote leaves out: invisible marks, and the mark a reader puts where a field was.
_UNSHOWN = dict.fromkeys([*INVISIBLE, 0])


class Normalized:
    """Text as verify compares it (``expectations.normalize``: NFKC, no whitespace or
    invisible marks), each character kept with where it came from, to quote around it."""

    def __init__(self, text: str) -> None:
        # Whitespace runs as one space: a quote's room goes to the words.
        self.text = " ".join(unicodedata.normalize("NFKC", text).split())
        self.origin = [index for index, char in enumerate(self.text)
                       if char != " " and ord(char) not in INVISIBLE]
        self.key = "".join(self.text[index] for index in self.origin)

    def around(self, position: int) -> str:
        """The text around key ``position`` (``CONTEXT`` characters, cut between words when
        a space is near the cut), an ellipsis where cut."""
        text = self.text
        at = self.origin[position] if position < len(self.origin) else len(text)
        start = max(0, min(at - CONTEXT // 2, len(text) - CONTEXT))
        end = start + CONTEXT
        cut_start, cut_end = start > 0, end < len(text)
        if cut_start and (space := text.find(" ", start, min(start + WORD_ROOM, at))) >= 0:
            start = space
        if cut_end and (space := text.rfind(" ", max(end - WORD_ROOM, at + 1), end)) >= 0:
            end = space
        quoted = text[start:end].translate(_UNSHOWN).strip()
        return ("…" if cut_start else "") + quoted + ("…" if cut_end else "")


def _same(got: str, start: int, wanted: str) -> int:
    """How many characters ``got`` from ``start`` on and ``wanted`` begin with alike."""
    same, most = 0, min(len(got) - start, len(wanted))
    while same < most and got[start + same] == wanted[same]:
        same += 1
    return same


def differs(got: str, wanted: str) -> str:
    """``"…got…", not "…wanted…"``: two texts that differ, around their first difference."""
    shown, source = Normalized(got), Normalized(wanted)
    same = _same(shown.key, 0, source.key)
    return f'"{shown.around(same)}", not "{source.around(same)}"'


def missing(got: Normalized, position: int, wanted: str, where: str | None = None) -> str:
    """How ``wanted``, looked for in ``got`` from key ``position`` on, is not there (a
    message's end; ``where`` names ``got``, else the output): when its start is there, the
    two texts around their first difference; else the start of what is missing."""
    source = Normalized(wanted)
    anchor = source.key[:ANCHOR]
    # Of the places its start is (a source's entry and a note citing it may begin alike),
    # the one that goes on alike longest.
    best, best_same = -1, -1
    found = got.key.find(anchor, position) if anchor else -1
    while found >= 0:
        if (same := _same(got.key, found, source.key)) > best_same:
            best, best_same = found, same
        found = got.key.find(anchor, found + 1)
    if best < 0:
        lacks = f"is not in {where}" if where else "is missing"
        return f'{lacks} or out of order: "{source.around(0)}"'
    return (f'reads "{got.around(best + best_same)}" in {where or "the output"}, '
            f'not "{source.around(best_same)}"')
