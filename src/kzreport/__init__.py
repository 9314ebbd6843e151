"""kzreport: one structured paper in, a Word brief, a PDF report and a slide deck out."""

from __future__ import annotations

__version__ = "0.1.0"
