"""verify's checks of the PDF's contents page and of the brief's Word fields."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence

from kzreport.apparatus import contents
from kzreport.expectations import Expected, excerpt, normalize
from kzreport.extraction import Page


def fields(wanted: Sequence[str], got: Sequence[str]) -> Iterator[str]:
    """Word's own fields for the contents, caption numbers and cross-references: as many of
    each as the source asks for (typed text never passes for one)."""
    missing, extra = Counter(wanted) - Counter(got), Counter(got) - Counter(wanted)
    for instruction, count in sorted(missing.items()):
        yield f'the field "{instruction}" is missing {count} time(s) from the body'
    for instruction, count in sorted(extra.items()):
        yield f'the field "{instruction}" is in the body {count} time(s) more than the source asks'


def contents_pages(expected: Expected, pages: Sequence[Page]) -> Iterator[str]:
    """The page number each line of the PDF's contents gives: the page the heading is on."""
    entries = contents(expected.document, expected.layout)
    if not entries:
        return
    # The label with the first line after it: a title holding the label is not the contents.
    label = normalize(expected.layout.labels.contents)
    bodies = [normalize(page.body) for page in pages]
    opening = label + normalize(entries[0].text)
    start = next((n for n, body in enumerate(bodies) if opening in body), None)
    if start is None:
        return  # a missing contents is the flow's mismatch
    body, position = bodies[start], bodies[start].index(opening) + len(label)
    for entry in entries:
        text = normalize(entry.text)
        found = body.find(text, position)
        number = re.match(r"\d+", body[found + len(text):]) if found >= 0 else None
        if number is None:
            yield f'the contents line "{excerpt(entry.text)}" has no page number'
            continue
        position = found + len(text) + number.end()
        page = int(number.group())
        if not (start < page - 1 < len(bodies) and text in bodies[page - 1]):
            yield (f'the contents give page {page} for "{excerpt(entry.text)}", which is not '
                   "on it")
