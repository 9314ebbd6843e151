"""Pandoc's superscripts: ``2^10^``, escapes, and where a caret is only text."""

from __future__ import annotations

from syntax_tokens import inline


def test_text_between_carets_is_raised() -> None:
    assert inline("2^10^ m") == [("text", "2"), ("sup_open", ""), ("text", "10"),
                                 ("sup_close", ""), ("text", " m")]


def test_an_escaped_caret_is_text_and_an_escaped_space_may_be_inside() -> None:
    assert ("sup_open", "") not in inline(r"2\^10^ m")
    assert inline(r"x^a\ b\^c^") == [("text", "x"), ("sup_open", ""), ("text", "a b^c"),
                                     ("sup_close", "")]


def test_no_superscript_across_a_space_or_empty() -> None:
    for text in ("a^b c^", "a^^b", "a ^ b", "only ^one"):
        assert ("sup_open", "") not in inline(text), text


def test_a_caret_before_a_bracket_is_an_inline_note() -> None:
    assert [kind for kind, _ in inline("Text^[a note] more")] == [
        "text", "footnote_ref", "text"]
