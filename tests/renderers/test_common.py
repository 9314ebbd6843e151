"""The renderers' shared helpers: XML-safe text."""

from __future__ import annotations

from xml.etree import ElementTree
from xml.sax.saxutils import escape

import pytest

from kzreport.renderers._common import xml_attribute, xml_escape

AWKWARD_TEXTS = ["plain", "a & b < c > d", "&amp; stays escaped", "quotes \" and '",
                 "tab\tnew\nline\rreturn", "  edges  ", "", "Ünïcödé – ½"]


@pytest.mark.parametrize("text", AWKWARD_TEXTS)
def test_text_is_escaped_as_saxutils_escapes_it(text: str) -> None:
    assert xml_escape(text) == escape(text)


@pytest.mark.parametrize("text", AWKWARD_TEXTS)
def test_an_attribute_value_reads_back_unchanged(text: str) -> None:
    assert ElementTree.fromstring(f"<t a={xml_attribute(text)}/>").get("a") == text
