"""Pandoc's subscripts: ``H~2~O`` inside words, and a single tilde that is only text."""

from __future__ import annotations

from syntax_tokens import inline


def test_a_subscript_inside_a_word() -> None:
    assert inline("H~2~O") == [("text", "H"), ("sub_open", ""), ("text", "2"),
                               ("sub_close", ""), ("text", "O")]


def test_a_lone_tilde_in_a_word_or_across_a_space_is_text() -> None:
    for text in ("approx~5 km", "5~ and ~x y~", "a ~ b"):
        assert ("sub_open", "") not in inline(text), text
        assert "~" in "".join(content for _, content in inline(text)), text


def test_two_tildes_are_strikethrough_and_escapes_work_inside() -> None:
    assert [kind for kind, _ in inline("~~gone~~ H~2~O")][:3] == ["s_open", "text", "s_close"]
    assert ("text", "a b") in inline(r"x~a\ b~")
    assert ("sub_open", "") not in inline(r"x\~a~")


def test_code_inside_is_skipped_when_looking_for_the_closing_tilde() -> None:
    assert ("sub_open", "") not in inline("a~`x~`")
