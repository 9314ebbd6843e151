"""kzreport: one structured paper in, a Word brief, a PDF report and a slide deck out."""

from __future__ import annotations

from pathlib import Path

__version__ = "0.1.0"

#: Where outputs go when no ``-o`` is given: the CLI's default, and what hints leave unsaid.
DEFAULT_OUT_DIR = Path("build")
