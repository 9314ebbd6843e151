"""Pandoc's definition lists: ``:`` and ``~`` markers, loose definitions, several terms."""

from __future__ import annotations

from syntax_tokens import kinds, parse


def test_terms_each_with_definitions_and_their_lines() -> None:
    tokens = parse("Term\n: First\n~ Second\n\nOther term\n\n:   Loose,\n\n    two paragraphs\n\n"
                   "After.\n")
    assert kinds(tokens)[:2] == ["dl_open", "dt_open"]
    assert tokens[0].map == [0, 10]
    terms = [tokens[i + 1] for i, t in enumerate(tokens) if t.type == "dt_open"]
    assert [(t.content, t.map) for t in terms] == [("Term", [0, 0]), ("Other term", [4, 4])]
    definitions = [t for t in tokens if t.type == "dd_open"]
    assert [t.map for t in definitions] == [[1, 2], [2, 4], [6, 10]]
    inlines = [t.content for t in tokens if t.type == "inline"]
    assert inlines == ["Term", "First", "Second", "Other term", "Loose,", "two paragraphs",
                       "After."]
    assert kinds(tokens)[-4:] == ["dl_close", "paragraph_open", "inline", "paragraph_close"]


def test_a_marker_needs_a_space_and_text_after_it() -> None:
    for text in ("Term\n:no space\n", "Term\n:\n", "Term\n: \n"):
        assert "dl_open" not in kinds(parse(text)), text


def test_a_definition_list_inside_a_list_item() -> None:
    tokens = parse("- Term\n  : definition\n")
    assert kinds(tokens)[:4] == ["bullet_list_open", "list_item_open", "dl_open", "dt_open"]
