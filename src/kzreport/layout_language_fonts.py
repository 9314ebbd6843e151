"""A layout's faces and line spacing for one language's papers: ``[languages.TAG.script]``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from kzreport.layout import FontFamily

if TYPE_CHECKING:
    from kzreport.layout_loader import _Reader

#: The line spacing a language may ask for, as a multiple of the layout's own: Nastaliq, whose
#: letters climb diagonally to the left, needs about 1.7 times a Naskh or Latin line.
LEADING_RANGE = (1.0, 3.0)


def language_faces(read: _Reader, where: str, families: Mapping[str, FontFamily],
                   ) -> tuple[dict[str, FontFamily], float]:
    """The fallback families that language table ``where`` swaps, by the name of the family
    each replaces (``[languages.ur.script] fonts = { arabic = "nastaliq" }``: the ``arabic``
    family's place in every fallback chain goes to the ``nastaliq`` family), and its line
    spacing multiple (``leading``)."""
    where = f"{where}.script"
    read.known_keys(where, {"fonts", "leading"})
    swaps: dict[str, FontFamily] = {}
    for replaced, replacement in read.table(f"{where}.fonts").items():
        unknown = [name for name in (replaced, replacement)
                   if not isinstance(name, str) or name not in families]
        if unknown:
            known = ", ".join(families) or "none"
            read.problem(f"{where}.fonts.{replaced}", f"unknown font family '{unknown[0]}'",
                         f"name [fonts.NAME] tables, e.g. arabic = \"nastaliq\"; known: {known}")
            continue
        swaps[families[replaced].name] = families[replacement]
    leading = read.value(f"{where}.leading", float, 1.0)
    low, high = LEADING_RANGE
    if leading is None or not low <= leading <= high:
        read.problem(f"{where}.leading", f"'{where}.leading' must be a number between {low:g} "
                     f"and {high:g}", "write the multiple of the layout's line spacing, e.g. 1.7")
        leading = 1.0
    return swaps, float(leading)
