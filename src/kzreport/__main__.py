"""Run the command line interface with ``python -m kzreport``."""

from __future__ import annotations

from kzreport.cli import main

main()
