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

#: The built-in formats by name: the module that registers each, and its outputs' extension,
#: known without importing the module, so that a build's parent process names formats and
#: outputs without loading any renderer and each worker loads only its own (a test holds
#: this to the registered renderers). Adding a format means adding its module here.
BUILTIN = {"docx": ("kzreport.renderers.docx", ".docx"),
           "pdf": ("kzreport.renderers.pdf", ".pdf"),
           "pptx": ("kzreport.renderers.pptx", ".pptx")}
BUILTIN_MODULES = tuple(module for module, _ in BUILTIN.values())
#: What every built-in renderer imports (proportions, font metrics, shared helpers): a build
#: imports it before starting its workers (``load_shared``), which then share it.
SHARED_MODULES = ("kzreport.renderers._common", "kzreport.renderers._proportions")


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


def format_names() -> tuple[str, ...]:
    """The name of every format, in ``renderers()`` order, importing no renderer."""
    return (*BUILTIN, *(name for name in _registry if name not in BUILTIN))


def extension(name: str) -> str:
    """The extension, with its dot, of format ``name``'s outputs, importing no renderer."""
    return BUILTIN[name][1] if name in BUILTIN else _registry[name].extension


def renderer(name: str) -> Renderer:
    """Format ``name``'s renderer, importing only its own module (a worker renders one)."""
    if name in BUILTIN and name not in _registry:
        importlib.import_module(BUILTIN[name][0])
    return _registry[name]


def load_shared() -> None:
    """Import ``SHARED_MODULES`` (nothing once imported)."""
    for module in SHARED_MODULES:
        importlib.import_module(module)
