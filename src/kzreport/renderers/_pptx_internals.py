"""Every use of python-pptx's private names, each with the reason no public API serves."""

from __future__ import annotations

from typing import Any


def replace_part_blob(package: Any, partname: str, blob: bytes) -> None:
    """Give the package's part ``partname`` new content: python-pptx loads parts it has no class for
    (``docProps/app.xml``) as plain parts whose ``blob`` is read-only."""
    for part in package.iter_parts():
        if str(part.partname) == partname:
            part._blob = blob
