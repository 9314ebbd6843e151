"""Text that looks like Markdown syntax kzreport does not support, and would print as is."""

from __future__ import annotations

import re
from collections.abc import Iterator

#: What Pandoc attributes outside a heading (or a table's caption) look like to the reader.
ATTRIBUTES = ("Pandoc attributes, which kzreport reads only at the end of a heading or a "
              "table's caption and right after a figure's image")
#: (pattern, what it looks like, how to fix it), tried on text the parser left as text, so a
#: writer who escapes the first character (``\\$``, ``\\[``) prints it without a warning.
_LOOKALIKES: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (re.compile(r"\[(?:TOC|toc|\[_TOC_\])\]"),
     "a table of contents marker, which kzreport does not fill in",
     "delete it and write 'toc: true' in the front matter for a table of contents, or write "
     "\\[TOC] to print it"),
    (re.compile(r"\$\$[^$]+\$\$|(?<![\w$\\])\$(?=[^\s$])[^$\n]*(?<=[^\s$\\])\$(?!\d)"),
     "TeX math, which kzreport does not typeset",
     "write the formula in plain text or Unicode (x², H₂O, ≤), or write \\$ for a dollar sign"),
    (re.compile(r"\{(?:[#.][^\s{}]+|[\w-]+=[^{}]*)(?:\s+[^{}]*)?\}"), ATTRIBUTES,
     "move it to the end of a heading line or a table's caption (one '{…}' holding every "
     "attribute), or delete it; write \\{ to print the brace"),
    (re.compile(r"==(?=[^\s=])[^=\n]*(?<=[^\s=])=="),
     "highlighting ('==text=='), which kzreport does not support",
     "use **bold** or *italic*, or write \\== to print the equals signs"),
)
#: A task list box at the start of a list item: ``[ ]`` or ``[x]``.
TASK_BOX = re.compile(r"\[[ xX]\](?=\s|$)")


def lookalikes(text: str) -> Iterator[tuple[str, str, str]]:
    """(the text, what it looks like, how to fix it) for each piece of ``text`` that looks
    like syntax kzreport does not support."""
    for pattern, what, fix in _LOOKALIKES:
        for match in pattern.finditer(text):
            yield match.group(), what, fix
