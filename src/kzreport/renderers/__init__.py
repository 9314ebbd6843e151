"""The output formats: one module per format behind one small interface, and their registry."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from kzreport.errors import Problem
from kzreport.layout import Layout
from kzreport.model import Document

if TYPE_CHECKING:
    from kzreport.extraction import Extraction

#: The modules of the built-in formats; adding a format means adding its module here.
BUILTIN_MODULES = ("kzreport.renderers.docx", "kzreport.renderers.pdf", "kzreport.renderers.pptx")


class Renderer(Protocol):
    """Writes one output format from the document model and the layout."""

    #: The format's name on the command line, e.g. ``docx``.
    name: str
    #: The file extension of its outputs, with the dot.
    extension: str
    #: One line for ``--help``.
    description: str

    def render(self, document: Document, layout: Layout, path: Path) -> list[Problem]:
        """Write ``document`` styled by ``layout`` to ``path``; return warnings.

        Raise ``RenderError`` when the output cannot be made. Implementations import their
        third-party library inside this method so start-up stays fast.
        """
        ...

    def load(self) -> None:
        """Import the format's third-party library now, ahead of the first ``render``: a
        build's worker process does this while the parent is still reading the sources."""
        ...

    def preflight(self, document: Document, layout: Layout) -> list[Problem]:
        """What ``render`` would warn about that validating the paper cannot see, without
        writing or loading the writer library, so that ``kzreport check`` reports everything
        ``build`` does (the deck lays out its slides; the other formats have nothing more)."""
        ...

    def read(self, path: Path, layout: Layout) -> Extraction:
        """Read the output at ``path`` back for ``kzreport verify``, independently of the writer
        library (raw XML, another parser). Implementations import their reader inside this
        method, so start-up stays fast."""
        ...


_registry: dict[str, Renderer] = {}


def register(renderer: Renderer) -> None:
    """Make ``renderer`` available under its name; a second format of the same name is refused."""
    if renderer.name in _registry:
        raise ValueError(f"output format '{renderer.name}' is already registered")
    _registry[renderer.name] = renderer


_builtins_loaded = False


def _load_builtins() -> None:
    for module in BUILTIN_MODULES:
        importlib.import_module(module)


def renderers() -> dict[str, Renderer]:
    """Every registered format by name: the built-in ones in ``BUILTIN_MODULES`` order, then
    any other in registration order."""
    global _builtins_loaded
    # Load the built-ins once even when the registry is not empty: importing one renderer's
    # module directly (a test, a plugin) registers it before the others are loaded.
    if not _builtins_loaded:
        _builtins_loaded = True
        _load_builtins()
    rank = {module: index for index, module in enumerate(BUILTIN_MODULES)}
    ordered = sorted(_registry.items(),
                     key=lambda item: rank.get(type(item[1]).__module__, len(rank)))
    return dict(ordered)
