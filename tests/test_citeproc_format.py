"""citeproc-py's output as the model's spans: formatting kept, DOIs and URLs as links."""

from __future__ import annotations

from kzreport.citeproc_format import csl_locale, html_inlines
from kzreport.model import Span


def test_formatting_and_addresses_become_spans() -> None:
    spans = html_inlines('Cooley, A. <i>Great Games</i>. 2012. doi:10.1080/0263.2018.14. '
                         "See https://example.org/a_(b)/c. <b>x</b><sup>2</sup> &amp; more.")
    assert spans == (
        Span("Cooley, A. "), Span("Great Games", italic=True), Span(". 2012. "),
        Span("doi:10.1080/0263.2018.14", href="https://doi.org/10.1080/0263.2018.14"),
        Span(". See "), Span("https://example.org/a_(b)/c", href="https://example.org/a_(b)/c"),
        Span(". "), Span("x", bold=True), Span("2", script="super"), Span(" & more."))


def test_small_capitals_and_white_space() -> None:
    assert html_inlines('<span style="font-variant:small-caps;">Smith</span>\n  and  X') == (
        Span("Smith and X"),)


def test_the_locale_of_a_papers_language() -> None:
    assert [csl_locale(tag) for tag in ("en-GB", "en", "ru", "kk-KZ", "xx-YY", "de-CH")] == [
        "en-GB", "en-US", "ru-RU", "en-US", "en-US", "de-CH"]
