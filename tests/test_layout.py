"""The layout model: date formats and marking levels."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kzreport.layout import format_date
from kzreport.layout_loader import load_layout


def test_format_date_tokens() -> None:
    day = dt.date(2009, 1, 5)
    assert format_date("{d}/{m}/{yyyy} {dd}-{mm}-{yy} {Mon} {MON} {Month}", day) == \
        "5/1/2009 05-01-09 Jan JAN January"


def test_marking_levels_follow_the_first_component(tmp_path: Path) -> None:
    layout = load_layout("default", tmp_path)
    assert layout.marking_style("SECRET//NOFORN").background == "C8102E"  # type: ignore[union-attr]
    assert layout.marking_style("TOP SECRET//SCI").background == "FCE83A"  # type: ignore[union-attr]
    assert layout.marking_style("TOP SECRET//NOFORN").text == "000000"  # type: ignore[union-attr]
    assert layout.marking_style("RESTRICTED") is None
