"""Bylines told from sentences that open with the same words."""

from __future__ import annotations

import pytest

from kzreport.importing.titles import is_byline


@pytest.mark.parametrize("text", ["By: Dana Analyst, J5", "By Dana Analyst", "Prepared by Sam",
                                  "PREPARED BY: the staff", "Written by 1LT Kim Lee",
                                  "By - dana analyst", "Автор: Иванов", "Par Jean Dupont",
                                  "Authors: Ann Doe; Bo Li"])
def test_bylines(text: str) -> None:
    assert is_byline(text)


@pytest.mark.parametrize("text", ["By contrast, the ministry published nothing.",
                                  "Prepared by the staff, the plan was shorter.",
                                  "By 2030 the plan expects a surplus.", "By 15 June, it rained.",
                                  "Par conséquent, le plan", "Authors of the plan",
                                  "Byzantine rules", "A paragraph."])
def test_sentences_that_open_like_bylines(text: str) -> None:
    assert not is_byline(text)
