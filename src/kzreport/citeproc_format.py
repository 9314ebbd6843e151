"""Citations and sources formatted by citeproc-py (loaded only by citing papers), as spans."""

from __future__ import annotations

import json
import re
import warnings
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any

from citeproc import (
    LOCALES_PATH,
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    Locator,
    formatter,
)
from citeproc.source.json import CiteProcJSON

from kzreport.model import Script, Source, Span

if TYPE_CHECKING:
    from kzreport.bibliography import Bibliography
    from kzreport.citations import CiteItem, Found

#: Stands for an author whose name must go (``[-@key]``) or be found (``@key``): a private-use
#: character no style changes, whose place in the formatted text shows where the name is.
MARK = "\ue000"
LOCALES = Path(LOCALES_PATH)
URL = re.compile(r"https?://[^\s<>\"]+[^\s<>\".,;:)\]]|doi:\s?(10\.\S+[^\s.,;:)\]])")


class Formatter:
    """A paper's citation style over its bibliography: citations in reading order, then the
    list of the entries cited."""

    def __init__(self, bibliography: Bibliography, language: str) -> None:
        #: citeproc-py folds keys to lower case; Pandoc's keys are case-sensitive, so each
        #: entry goes in under an id of its own.
        self.ids = {key: f"k{n}" for n, key in enumerate(bibliography.items)}
        self.notes = bibliography.notes
        self.keys = {id_: key for key, id_ in self.ids.items()}
        self.items = [{**item, "id": self.ids[key]} for key, item in bibliography.items.items()]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # citeproc-py warns about schema details
            self.style = CitationStylesStyle(str(bibliography.style), validate=False,
                                             locale=csl_locale(language))
        self.bibliography = self._bibliography(self.items)

    def _bibliography(self, items: list[dict[str, Any]]) -> Any:
        return CitationStylesBibliography(self.style, CiteProcJSON(items), formatter.html)

    def _citation(self, items: tuple[CiteItem, ...], marked: str | None = None) -> Citation:
        return Citation([CitationItem(
            self.ids[item.key] + ("m" if item.key == marked else ""),
            **({"locator": Locator(item.label, item.locator)} if item.locator else {}),
            **({"prefix": item.prefix} if item.prefix else {}),
            **({"suffix": item.suffix} if item.suffix else {})) for item in items])

    def citation(self, found: Found, in_text: bool) -> tuple[Span, ...]:
        """``found`` formatted: as a note's text, or (``in_text``) as printed in the text."""
        # A narrative citation's author is in the sentence; in a notes style its note (or a
        # note it is written in) names them anyway.
        suppressed = [item for item in found.items
                      if item.suppress_author or (found.narrative and not self.notes)]
        citation = self._citation(found.items)
        self.bibliography.register(citation)
        html = self.bibliography.cite(citation, _ignore)
        if suppressed and in_text:
            # The same citation with the author a MARK, in a bibliography of its own (the
            # paper's keeps its order of first citations), then the MARK taken out.
            html = self._marked(found.items, suppressed[0].key)
            html = re.sub(re.escape(MARK) + r"(,\s*|\s+)?", "", html)
        return html_inlines(html)

    def _marked(self, items: tuple[CiteItem, ...], key: str) -> str:
        entry = dict(self.items[list(self.ids).index(key)])
        role = "author" if "author" in entry else "editor" if "editor" in entry else None
        entry["id"] = self.ids[key] + "m"
        if role is not None:
            entry[role] = [{"literal": MARK}]
        apart = self._bibliography([*self.items, entry])
        citation = self._citation(items, marked=key)
        apart.register(citation)
        return str(apart.cite(citation, _ignore))

    def author(self, key: str) -> tuple[Span, ...]:
        """The author of entry ``key`` as the style names them in a citation: what the MARK
        replaces (``@key`` prints it in the text)."""
        from kzreport.citations import CiteItem
        items = (CiteItem(key),)
        apart = self._bibliography(self.items)
        citation = self._citation(items)
        apart.register(citation)
        full = str(apart.cite(citation, _ignore))
        marked = self._marked(items, key)
        at = marked.find(MARK)
        after = marked[at + 1:]
        if at < 0 or not full.startswith(marked[:at]) or not full.endswith(after):
            return ()
        return html_inlines(full[at:len(full) - len(after)])

    def sources(self) -> tuple[Source, ...]:
        """Every entry cited, formatted for the list of sources in the style's order."""
        if not self.bibliography.items or not self.style.has_bibliography():
            return ()
        self.bibliography.sort()
        return tuple(Source(self.keys[id_], html_inlines(str(entry)))
                     for id_, entry in zip(self.bibliography.keys,
                                           self.bibliography.bibliography(), strict=True))


def csl_locale(language: str) -> str:
    """The CSL locale citeproc-py has for a paper in ``language`` (a BCP 47 tag): the tag
    itself, else its language's primary dialect (``en`` → ``en-US``), else US English."""
    if (LOCALES / f"locales-{language}.xml").is_file():
        return language
    dialects = json.loads((LOCALES / "locales.json").read_text(encoding="utf-8"))
    dialect = dialects["primary-dialects"].get(language.split("-")[0].lower(), "en-US")
    return str(dialect) if (LOCALES / f"locales-{dialect}.xml").is_file() else "en-US"


def _ignore(item: Any) -> None:
    """citeproc-py's call for a key it does not know: the parser checked every key already."""


class _Spans(HTMLParser):
    """citeproc-py's HTML (i, b, sup, sub, small-caps span) as spans."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.spans: list[Span] = []
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.open:
            del self.open[len(self.open) - 1 - self.open[::-1].index(tag)]

    def handle_data(self, data: str) -> None:
        script: Script = ("super" if "sup" in self.open else "sub" if "sub" in self.open
                          else None)
        bold, italic = "b" in self.open, "i" in self.open
        at = 0
        for match in URL.finditer(data):
            if match.start() > at:
                self.spans.append(Span(data[at:match.start()], bold, italic, script=script))
            href = (f"https://doi.org/{match.group(1)}" if match.group(1) else match.group())
            self.spans.append(Span(match.group(), bold, italic, href=href, script=script))
            at = match.end()
        if at < len(data):
            self.spans.append(Span(data[at:], bold, italic, script=script))


def html_inlines(html: str) -> tuple[Span, ...]:
    """citeproc-py's HTML output as spans, neighbours of one format merged."""
    parser = _Spans()
    parser.feed(" ".join(html.split()))
    parser.close()
    merged: list[Span] = []
    for span in parser.spans:
        last = merged[-1] if merged else None
        if last is not None and (last.bold, last.italic, last.href, last.script) == (
                span.bold, span.italic, span.href, span.script):
            merged[-1] = Span(last.text + span.text, last.bold, last.italic, href=last.href,
                              script=last.script)
        else:
            merged.append(span)
    return tuple(merged)
