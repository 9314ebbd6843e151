"""A parser with kzreport's Pandoc extensions, as body.py configures it, and token shorthands."""

from __future__ import annotations

from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from kzreport.syntax import pandoc_extensions


def parse(text: str, env: dict[str, Any] | None = None) -> list[Token]:
    md = pandoc_extensions(MarkdownIt("commonmark").enable(["table", "strikethrough"]))
    md.disable("text_join")
    return md.parse(text, {} if env is None else env)


def kinds(tokens: list[Token]) -> list[str]:
    return [token.type for token in tokens]


def inline(text: str) -> list[tuple[str, str]]:
    """The first paragraph's inline tokens as (type, content)."""
    [paragraph] = [token for token in parse(text) if token.type == "inline"][:1]
    return [(child.type, child.content) for child in paragraph.children or []]
