"""The Unicode Bidirectional Algorithm (UAX #9): embedding levels of a paragraph, line order."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from kzreport.records import record

#: UAX #9's limit on explicit embedding depth (BD2).
MAX_DEPTH = 125
#: UAX #9's limit on nested bracket pairs looked for (BD16).
MAX_BRACKETS = 63

_ISOLATE_INITIATORS = frozenset({"LRI", "RLI", "FSI"})
_ISOLATES = _ISOLATE_INITIATORS | {"PDI"}
#: Types removed by rule X9 (kept in the text, given a level only for convenience).
_REMOVED = frozenset({"RLE", "LRE", "RLO", "LRO", "PDF", "BN"})
#: Neutral and isolate types (NI) of rules N1 and N2.
_NEUTRAL = frozenset({"B", "S", "WS", "ON", "LRI", "RLI", "FSI", "PDI"})
_STRONG_R = frozenset({"R", "AL"})


def _pairs(text: str) -> dict[str, str]:
    chars = text.split()
    return dict(zip(chars[::2], chars[1::2], strict=True))


#: Bidi_Paired_Bracket of each opening bracket (BidiBrackets.txt, Unicode 15), as pairs of
#: code points: Python's unicodedata has Bidi_Mirrored but not the pairing.
_OPENING = {chr(int(o, 16)): chr(int(c, 16)) for o, c in _pairs(
    "0028 0029 005B 005D 007B 007D 0F3A 0F3B 0F3C 0F3D 169B 169C 2045 2046 207D 207E "
    "208D 208E 2308 2309 230A 230B 2329 232A 2768 2769 276A 276B 276C 276D 276E 276F "
    "2770 2771 2772 2773 2774 2775 27C5 27C6 27E6 27E7 27E8 27E9 27EA 27EB 27EC 27ED "
    "27EE 27EF 2983 2984 2985 2986 2987 2988 2989 298A 298B 298C 298D 2990 298F 298E "
    "2991 2992 2993 2994 2995 2996 2997 2998 29D8 29D9 29DA 29DB 29FC 29FD 2E22 2E23 "
    "2E24 2E25 2E26 2E27 2E28 2E29 2E55 2E56 2E57 2E58 2E59 2E5A 2E5B 2E5C 3008 3009 "
    "300A 300B 300C 300D 300E 300F 3010 3011 3014 3015 3016 3017 3018 3019 301A 301B "
    "FE59 FE5A FE5B FE5C FE5D FE5E FF08 FF09 FF3B FF3D FF5B FF5D FF5F FF60 FF62 FF63").items()}
_CLOSING = {close: open_ for open_, close in _OPENING.items()}
#: Brackets canonically equivalent to others (U+2329 ≡ U+3008, U+232A ≡ U+3009): BD16
#: matches them as the same bracket.
_CANONICAL = {"\u2329": "\u3008", "\u232a": "\u3009"}


@record
class Paragraph:
    """A paragraph's resolved embedding levels, one per character, and its own level."""

    text: str
    level: int
    levels: tuple[int, ...]

    def line_levels(self, start: int, end: int) -> list[int]:
        """The levels of the line ``text[start:end]`` after rule L1: whitespace and isolate
        formatting characters before a segment separator and at the line's end take the
        paragraph's level."""
        levels = list(self.levels[start:end])
        trailing = True
        for i in range(end - start - 1, -1, -1):
            kind = bidi_class(self.text[start + i])
            if kind in ("S", "B"):
                levels[i] = self.level
                trailing = True
            elif trailing and (kind == "WS" or kind in _ISOLATES or kind in _REMOVED):
                levels[i] = self.level
            else:
                trailing = False
        return levels


def bidi_class(char: str) -> str:
    """``char``'s Bidi_Class; unassigned code points are left-to-right."""
    return unicodedata.bidirectional(char) or "L"


def paragraph(text: str, direction: int | None = None) -> Paragraph:
    """The embedding levels of ``text``, one paragraph; ``direction`` 0 (left to right), 1
    (right to left) or None (by the first strong character, rules P2 and P3)."""
    types = [bidi_class(c) for c in text]
    level = direction if direction is not None else _first_strong_level(types, 0, len(types))
    if not any(t in _STRONG_R or t == "AN" or t in _REMOVED or t in _ISOLATES
               or t in ("RLE", "RLO") for t in types) and level == 0:
        return Paragraph(text, 0, (0,) * len(text))  # nothing right-to-left: all level 0
    levels = _explicit(types, level)
    matching = _matching_pdis(types)
    kept = [i for i, kind in enumerate(types) if kind not in _REMOVED]
    rank = {i: n for n, i in enumerate(kept)}
    embedding = list(levels)  # the explicit levels, which sos and eos are taken from
    for sequence in _isolating_sequences(kept, types, levels, matching):
        # sos and eos (X10): by the levels of the characters kept around the sequence.
        first, last = rank[sequence[0]], rank[sequence[-1]]
        before = embedding[kept[first - 1]] if first else level
        after = (embedding[kept[last + 1]] if last + 1 < len(kept)
                 and types[sequence[-1]] not in _ISOLATE_INITIATORS else level)
        _resolve(text, types, levels, sequence, before, after)
    # Characters X9 removed take the level of the character before them (they draw nothing).
    original = [bidi_class(c) for c in text]
    previous = level
    for i, kind in enumerate(original):
        if kind in _REMOVED:
            levels[i] = previous
        previous = levels[i]
    return Paragraph(text, level, tuple(levels))


def visual_order(levels: Sequence[int]) -> list[int]:
    """Rule L2: the indices of a line's items from left to right, given each item's level:
    every run at or above each level, from the highest down to the lowest odd one, reversed."""
    order = list(range(len(levels)))
    if not levels:
        return order
    highest = max(levels)
    lowest_odd = min(level for level in levels) | 1
    for level in range(highest, lowest_odd - 1, -1):
        i = 0
        while i < len(order):
            if levels[order[i]] >= level:
                j = i
                while j < len(order) and levels[order[j]] >= level:
                    j += 1
                order[i:j] = order[i:j][::-1]
                i = j
            else:
                i += 1
    return order


def mirrored(char: str) -> bool:
    """Whether ``char`` is drawn mirrored in right-to-left text (rule L4)."""
    return bool(unicodedata.mirrored(char))


# ---------------------------------------------------------------- explicit levels (X1-X8)


def _first_strong_level(types: Sequence[str], start: int, end: int) -> int:
    """P2/P3 over ``types[start:end]``: 1 if its first strong type (skipping isolates) is R
    or AL, else 0."""
    depth = 0
    for kind in types[start:end]:
        if kind in _ISOLATE_INITIATORS:
            depth += 1
        elif kind == "PDI":
            if depth:
                depth -= 1
        elif depth == 0 and kind == "L":
            return 0
        elif depth == 0 and kind in _STRONG_R:
            return 1
    return 0


def _matching_pdis(types: Sequence[str]) -> dict[int, int]:
    """BD9: each isolate initiator's matching PDI, by position."""
    found: dict[int, int] = {}
    open_: list[int] = []
    for i, kind in enumerate(types):
        if kind in _ISOLATE_INITIATORS:
            open_.append(i)
        elif kind == "PDI" and open_:
            found[open_.pop()] = i
        elif kind == "B":
            open_.clear()
    return found


def _explicit(types: list[str], level: int) -> list[int]:
    """Rules X1-X8: each character's embedding level; overrides change ``types`` in place."""
    matching = _matching_pdis(types)
    # Stack entries: (level, override "L"/"R"/"", isolate)
    stack: list[tuple[int, str, bool]] = [(level, "", False)]
    overflow_isolates = overflow_embeddings = valid_isolates = 0
    levels = [level] * len(types)
    for i, kind in enumerate(types):
        top_level, override, _isolate = stack[-1]
        if kind in ("RLE", "LRE", "RLO", "LRO"):
            new = (top_level + 1) | 1 if kind[0] == "R" else (top_level + 2) & ~1
            levels[i] = top_level
            if new <= MAX_DEPTH and not overflow_isolates and not overflow_embeddings:
                stack.append((new, {"RLO": "R", "LRO": "L"}.get(kind, ""), False))
            elif not overflow_isolates:
                overflow_embeddings += 1
        elif kind in _ISOLATE_INITIATORS:
            levels[i] = top_level
            if override:
                types[i] = override
            rtl = kind == "RLI"
            if kind == "FSI":
                end = matching.get(i, len(types))
                rtl = _first_strong_level(types, i + 1, end) == 1
            new = (top_level + 1) | 1 if rtl else (top_level + 2) & ~1
            if new <= MAX_DEPTH and not overflow_isolates and not overflow_embeddings:
                valid_isolates += 1
                stack.append((new, "", True))
            else:
                overflow_isolates += 1
        elif kind == "PDI":
            if overflow_isolates:
                overflow_isolates -= 1
            elif valid_isolates:
                overflow_embeddings = 0
                while not stack[-1][2]:
                    stack.pop()
                stack.pop()
                valid_isolates -= 1
            levels[i] = stack[-1][0]
            if stack[-1][1]:
                types[i] = stack[-1][1]
        elif kind == "PDF":
            levels[i] = top_level
            if overflow_isolates:
                pass
            elif overflow_embeddings:
                overflow_embeddings -= 1
            elif not stack[-1][2] and len(stack) >= 2:
                stack.pop()
        elif kind == "B":
            levels[i] = level
        elif kind == "BN":
            levels[i] = top_level
        else:
            levels[i] = top_level
            if override:
                types[i] = override
    return levels


# ---------------------------------------------------------------- runs (X10)


def _isolating_sequences(kept: list[int], types: Sequence[str], levels: Sequence[int],
                         matching: dict[int, int]) -> list[list[int]]:
    """BD13: the isolating run sequences of the ``kept`` characters (those X9 keeps), each a
    list of their positions."""
    runs: list[list[int]] = []
    for i in kept:
        if runs and levels[runs[-1][-1]] == levels[i]:
            runs[-1].append(i)
        else:
            runs.append([i])
    starting_with = {run[0]: run for run in runs}
    pdis = set(matching.values())
    sequences: list[list[int]] = []
    for run in runs:
        if types[run[0]] == "PDI" and run[0] in pdis:
            continue  # continues the sequence of its isolate initiator
        sequence = list(run)
        while types[sequence[-1]] in _ISOLATE_INITIATORS and sequence[-1] in matching:
            following = starting_with.get(matching[sequence[-1]])
            if following is None:
                break
            sequence.extend(following)
        sequences.append(sequence)
    return sequences


# ---------------------------------------------------------------- implicit levels (W, N, I)


def _resolve(text: str, types: list[str], levels: list[int], sequence: list[int],
             before: int, after: int) -> None:
    """Rules W1-W7, N0-N2 and I1-I2 over one isolating run sequence, between characters of
    levels ``before`` and ``after``."""
    run_level = levels[sequence[0]]
    last = sequence[-1]
    sos = "R" if max(before, run_level) % 2 else "L"
    eos = "R" if max(after, levels[last]) % 2 else "L"
    kinds = [types[i] for i in sequence]
    original = list(kinds)
    count = len(kinds)

    # W1: non-spacing marks take the type of what they follow (ON after an isolate).
    previous = sos
    for k in range(count):
        if kinds[k] == "NSM":
            kinds[k] = "ON" if previous in _ISOLATES else previous
        previous = kinds[k]
    # W2, W3: European numbers after Arabic letters are Arabic numbers; AL is R.
    strong = sos
    for k in range(count):
        kind = kinds[k]
        if kind == "EN" and strong == "AL":
            kinds[k] = "AN"
        elif kind in ("L", "R", "AL"):
            strong = kind
    kinds = ["R" if kind == "AL" else kind for kind in kinds]
    # W4: a single separator between two numbers of the same kind joins them.
    for k in range(1, count - 1):
        if kinds[k] == "ES" and kinds[k - 1] == "EN" and kinds[k + 1] == "EN":
            kinds[k] = "EN"
        elif kinds[k] == "CS" and kinds[k - 1] == kinds[k + 1] and kinds[k - 1] in ("EN", "AN"):
            kinds[k] = kinds[k - 1]
    # W5: terminators (%, currency) next to European numbers are European numbers.
    k = 0
    while k < count:
        if kinds[k] == "ET":
            end = k
            while end < count and kinds[end] == "ET":
                end += 1
            if (k > 0 and kinds[k - 1] == "EN") or (end < count and kinds[end] == "EN"):
                kinds[k:end] = ["EN"] * (end - k)
            k = end
        else:
            k += 1
    # W6: other separators and terminators are neutral.
    kinds = ["ON" if kind in ("ES", "ET", "CS") else kind for kind in kinds]
    # W7: European numbers after left-to-right text are left-to-right.
    strong = sos
    for k in range(count):
        if kinds[k] == "EN" and strong == "L":
            kinds[k] = "L"
        elif kinds[k] in ("L", "R"):
            strong = kinds[k]

    embedding = "R" if run_level % 2 else "L"
    _brackets(text, sequence, kinds, original, sos, embedding)

    # N1, N2: neutrals between text of one direction take it, others the embedding's.
    k = 0
    while k < count:
        if kinds[k] in _NEUTRAL or kinds[k] == "BN":
            end = k
            while end < count and (kinds[end] in _NEUTRAL or kinds[end] == "BN"):
                end += 1
            left = sos if k == 0 else _as_strong(kinds[k - 1])
            right = eos if end == count else _as_strong(kinds[end])
            kinds[k:end] = [left if left == right else embedding] * (end - k)
            k = end
        else:
            k += 1
    # I1, I2.
    for k, i in enumerate(sequence):
        kind, level = kinds[k], levels[i]
        if level % 2 == 0:
            levels[i] = level + {"R": 1, "AN": 2, "EN": 2}.get(kind, 0)
        elif kind in ("L", "EN", "AN"):
            levels[i] = level + 1


def _as_strong(kind: str) -> str:
    """The direction a resolved type counts as beside neutrals (numbers count as R)."""
    return "L" if kind == "L" else "R"


def _brackets(text: str, sequence: list[int], kinds: list[str], original: list[str],
              sos: str, embedding: str) -> None:
    """Rule N0: each pair of brackets (BD16) takes the direction of the text inside it, or,
    when that is opposite to the embedding, of the text before it."""
    pairs = _bracket_pairs(text, sequence, kinds)
    for opening, closing in pairs:
        inside = {_as_strong(kinds[k]) for k in range(opening + 1, closing)
                  if kinds[k] in ("L", "R", "EN", "AN")}
        if embedding in inside:
            direction = embedding
        elif inside:
            # The text inside runs against the embedding: the brackets take the direction
            # of the strong text before them (which is either that or the embedding's).
            direction = sos
            for k in range(opening - 1, -1, -1):
                if kinds[k] in ("L", "R", "EN", "AN"):
                    direction = _as_strong(kinds[k])
                    break
        else:
            continue
        for bracket in (opening, closing):
            kinds[bracket] = direction
            # Marks on a bracket follow it (they were made ON by W1).
            k = bracket + 1
            while k < len(kinds) and original[k] == "NSM":
                kinds[k] = direction
                k += 1


def _bracket_pairs(text: str, sequence: list[int], kinds: list[str]) -> list[tuple[int, int]]:
    """BD16: the bracket pairs of a sequence, as positions in it, by opening bracket."""
    stack: list[tuple[str, int]] = []
    pairs: list[tuple[int, int]] = []
    for k, i in enumerate(sequence):
        if kinds[k] != "ON":
            continue
        char = _CANONICAL.get(text[i], text[i])
        if char in _OPENING:
            if len(stack) == MAX_BRACKETS:
                return []
            stack.append((_CANONICAL.get(_OPENING[char], _OPENING[char]), k))
        elif char in _CLOSING:
            for depth in range(len(stack) - 1, -1, -1):
                if stack[depth][0] == char:
                    pairs.append((stack[depth][1], k))
                    del stack[depth:]
                    break
    return sorted(pairs)
