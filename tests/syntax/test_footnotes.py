"""Pandoc's footnotes: definitions with several paragraphs, references, inline notes."""

from __future__ import annotations

from typing import Any

from syntax_tokens import kinds, parse


def test_a_definition_holds_its_indented_paragraphs_and_ends_at_the_first_unindented() -> None:
    tokens = parse("Text.[^n]\n\n[^n]: First.\n\n    Second,\n    continued.\n\n"
                   "        code in the note\n\nAfter.\n")
    opened = next(t for t in tokens if t.type == "footnote_reference_open")
    assert opened.meta == {"label": "n"} and opened.map == [2, 9]
    start = tokens.index(opened)
    end = kinds(tokens).index("footnote_reference_close")
    inside = tokens[start + 1:end]
    assert kinds(inside) == ["paragraph_open", "inline", "paragraph_close",
                             "paragraph_open", "inline", "paragraph_close", "code_block"]
    assert [t.content for t in inside if t.type == "inline"] == ["First.",
                                                                 "Second,\ncontinued."]
    assert [t.map for t in inside if t.type == "paragraph_open"] == [[2, 3], [4, 6]]
    assert inside[-1].content == "code in the note\n"
    assert [t.content for t in tokens[end:] if t.type == "inline"] == ["After."]


def test_a_note_may_start_on_the_line_after_its_label() -> None:
    tokens = parse("[^n]:\n    The text.\n")
    assert [t.content for t in tokens if t.type == "inline"] == ["The text."]


def test_every_label_is_a_reference_defined_or_not_and_labels_hold_no_space() -> None:
    [paragraph] = [t for t in parse("A[^1] b[^missing] c[^a b] d[^]") if t.type == "inline"]
    refs = [child.meta for child in paragraph.children or [] if child.type == "footnote_ref"]
    assert refs == [{"label": "1"}, {"label": "missing"}]
    assert "footnote_reference_open" not in kinds(parse("[^a b]: no\n"))
    assert kinds(parse("    [^x]: code\n")) == ["code_block"]


def test_an_inline_note_keeps_its_text_and_tokens_and_nested_brackets() -> None:
    env: dict[str, Any] = {}
    [paragraph] = [t for t in parse("Said^[see [the map] and *this*] here.", env)
                   if t.type == "inline"]
    [ref] = [child for child in paragraph.children or [] if child.type == "footnote_ref"]
    note = env["footnotes"]["list"][ref.meta["id"]]
    assert note["content"] == "see [the map] and *this*"
    assert "em_open" in kinds(note["tokens"])
