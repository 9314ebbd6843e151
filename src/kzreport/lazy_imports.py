"""What libraries load at start-up that kzreport seldom uses, modules and patterns: made on use."""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import re
import sys
import types
from collections.abc import Callable, Iterator
from typing import Any

#: What python-pptx and reportlab import as they load, for work most papers never ask of them:
#: ``PIL.Image`` (pictures; reportlab and python-pptx import it, use it only for an image, and
#: a paper's images were already checked without it in the parent), and ``urllib.request``
#: (with HTTP, e-mail and SSL), which ``xml.sax.saxutils`` imports for fetching a parser's
#: input by URL while python-pptx wants only its ``escape``. A sixth of python-pptx's start-up
#: and of reportlab's, in instructions.
UNUSED_AT_START = ("PIL.Image", "urllib.request")


class _LoadedOnUse(types.ModuleType):
    """Stands in ``sys.modules`` for a module not loaded yet: its name and spec are there, so
    ``import`` statements take it as loaded; any other attribute loads the real module, which
    then takes its place (in ``sys.modules`` and in its package) and lends it every attribute."""

    def __getattr__(self, name: str) -> Any:
        return getattr(_load(self), name)


def _load(stand_in: _LoadedOnUse) -> types.ModuleType:
    full_name = stand_in.__name__
    # Out of the way first, so that the module's own imports meet it as a normal import would.
    package, _, child = full_name.rpartition(".")
    if sys.modules.get(full_name) is stand_in:
        del sys.modules[full_name]
        if package and getattr(sys.modules.get(package), child, None) is stand_in:
            delattr(sys.modules[package], child)
    module = importlib.import_module(full_name)
    stand_in.__dict__.update(module.__dict__)  # later lookups on the stand-in are plain ones
    return module


def defer_imports(names: tuple[str, ...] = UNUSED_AT_START) -> None:
    """Let each module of ``names`` that is not imported yet be loaded on first use instead
    (its package is imported now, as the ``import`` would). Imports of it stay cheap until
    some code uses one of its attributes; the module then loads as it would have, and no
    caller can tell the difference but the time."""
    for name in names:
        if name in sys.modules:
            continue
        spec = importlib.util.find_spec(name)
        if spec is None:  # not installed: leave the error to whoever imports it
            continue
        stand_in = _LoadedOnUse(name)
        stand_in.__spec__ = spec
        stand_in.__loader__ = spec.loader
        stand_in.__file__ = spec.origin
        if spec.submodule_search_locations is not None:
            stand_in.__path__ = list(spec.submodule_search_locations)
        package, _, child = name.rpartition(".")
        sys.modules[name] = stand_in
        if package:
            setattr(sys.modules[package], child, stand_in)


class LazyPattern:
    """A regular expression compiled on first use, standing in for the compiled pattern."""

    def __init__(self, pattern: str, flags: int,
                 compile_now: Callable[..., re.Pattern[str]]) -> None:
        self._source = (pattern, flags)
        self._compile_now = compile_now
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> bool:
        """Whether the pattern has been compiled yet."""
        return self._compiled is not None

    def __getattr__(self, name: str) -> Any:
        if self._compiled is None:
            self._compiled = self._compile_now(*self._source)
        return getattr(self._compiled, name)


@contextlib.contextmanager
def compiled_when_used(*starts: str) -> Iterator[None]:
    """While a library is imported, ``re.compile`` hands out a ``LazyPattern`` for the patterns
    that begin with one of ``starts``, and compiles every other as usual."""
    compile_now = re.compile

    def compile_lazily(pattern: Any, flags: int = 0) -> Any:
        if isinstance(pattern, str) and pattern.startswith(starts):
            return LazyPattern(pattern, flags, compile_now)
        return compile_now(pattern, flags)

    re.compile = compile_lazily
    try:
        yield
    finally:
        re.compile = compile_now
