"""The fence around reportlab's private names: what it does, and that nothing else crosses it."""

from __future__ import annotations

import ast
import datetime as dt
import functools
import importlib
import inspect
import io
import subprocess
import sys
import textwrap
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pypdf

RENDERERS = Path(__file__).resolve().parents[2] / "src" / "kzreport" / "renderers"
FENCE = "_reportlab_internals"
#: Python's own special names, which no library owns.
PYTHON_NAMES = frozenset(dir(object)) | frozenset(dir(type))


# ---------------------------------------------------------------- the lazy URL pattern


def test_reportlab_loads_without_compiling_its_url_pattern_until_used() -> None:
    # A fresh interpreter: this one has loaded reportlab already.
    script = """
import re
compile_before = re.compile
from kzreport.renderers import renderers
renderers()["pdf"].load()
from reportlab.platypus import paragraph
lazy = paragraph.uri_pat
assert re.compile is compile_before, "re.compile is restored"
assert type(lazy).__name__ == "LazyPattern" and not lazy.compiled
from reportlab.lib import textsplit
assert type(textsplit.rx).__name__ == "LazyPattern" and not textsplit.rx.compiled
uris = ("https://example.com/a/b", "HTTP://Example.org/x", "mailto:x@y.z", "not a url")
with_lazy = [paragraph._uri_split_pairs(uri) for uri in uris]
assert lazy.compiled
paragraph.uri_pat = re.compile(lazy.pattern, lazy.flags)
assert with_lazy == [paragraph._uri_split_pairs(uri) for uri in uris]
assert with_lazy[0] and with_lazy[-1] is None
assert not textsplit.rx.compiled  # laying out and hyphenating never needs it
assert textsplit.rx.findall("漢a字") == ["漢", "字"] and textsplit.rx.compiled  # on use
print("ok")
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.stdout.strip() == "ok", result.stderr


# ---------------------------------------------------------------- the canvas's internals


def test_pages_get_extra_entries_and_the_document_a_fixed_date() -> None:
    from reportlab.pdfbase.pdfdoc import PDFName
    from reportlab.pdfgen.canvas import Canvas

    from kzreport.renderers._reportlab_internals import (
        add_page_entries,
        fix_creation_time,
        page_has_content,
    )

    out = io.BytesIO()
    canvas = Canvas(out, invariant=1)
    fix_creation_time(canvas, dt.datetime(2023, 3, 14, 12, 0, 0))
    assert not page_has_content(canvas)
    canvas.drawString(72, 72, "text")
    assert page_has_content(canvas)
    canvas.showPage()
    add_page_entries(canvas, {"StructParents": 3, "Tabs": PDFName("S")})
    canvas.showPage()  # a second page, which keeps reportlab's own entries only
    canvas.save()
    reader = pypdf.PdfReader(out)
    first: Any
    first, second = reader.pages
    assert (first["/StructParents"], first["/Tabs"]) == (3, "/S")
    assert "/StructParents" not in second and "/Tabs" not in second
    info: Any = reader.metadata
    assert info["/CreationDate"] == "D:20230314120000+00'00'"


# ---------------------------------------------------------------- nothing else crosses it


@functools.cache
def _instance_names(module: str) -> dict[str, frozenset[str]]:
    """By class name, the attributes the code of reportlab module ``module``'s classes sets."""
    found: dict[str, frozenset[str]] = {}
    for cls in ast.walk(ast.parse(inspect.getsource(sys.modules[module]))):
        if isinstance(cls, ast.ClassDef):
            found[cls.name] = found.get(cls.name, frozenset()) | {
                node.attr for node in ast.walk(cls)
                if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store)}
    return found


def reportlab_names(classes: Iterable[type]) -> set[str]:
    """The names reportlab's classes among ``classes`` and their bases define: class
    attributes, methods and the attributes their code sets on instances."""
    bases = {base for cls in classes for base in cls.__mro__
             if base.__module__.startswith("reportlab")}
    return {name for base in bases
            for name in (*vars(base), *_instance_names(base.__module__).get(base.__name__, ()))}


def _defined(tree: ast.Module) -> set[str]:
    """The attribute names a module's classes define: their methods and class attributes, and
    what their methods assign to ``self`` (not what they assign to other objects)."""
    names: set[str] = set()
    for cls in (node for node in ast.walk(tree) if isinstance(node, ast.ClassDef)):
        for item in cls.body:
            if isinstance(item, ast.FunctionDef):
                names.add(item.name)
                names |= {node.attr for node in ast.walk(item)
                          if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store)
                          and isinstance(node.value, ast.Name) and node.value.id == "self"}
            elif isinstance(item, ast.Assign | ast.AnnAssign):
                targets = item.targets if isinstance(item, ast.Assign) else [item.target]
                names |= {t.id for t in targets if isinstance(t, ast.Name)}
    return names


def private_name_uses(modules: dict[str, tuple[str, dict[str, Any]]]) -> list[str]:
    """Where the modules (name -> source and namespace once run) use a private name of
    reportlab's: one that a reportlab class they import or subclass defines, or any private
    name they do not define themselves (``canvas._doc``), read, assigned, defined as a
    method or class attribute, looked up by string or imported."""
    trees = {name: ast.parse(source) for name, (source, _) in modules.items()}
    classes = [value for _, namespace in modules.values() for value in namespace.values()
               if isinstance(value, type)]
    theirs = reportlab_names(classes)
    ours = set().union(*(_defined(tree) for tree in trees.values()))

    def private(name: str) -> bool:
        return name.startswith("_") and name not in PYTHON_NAMES

    found: list[str] = []
    for module, tree in trees.items():
        for node in ast.walk(tree):
            if not isinstance(node, ast.stmt | ast.expr):
                continue
            used: list[str] = []
            if isinstance(node, ast.Attribute):
                used = [node.attr]
            elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                  and node.func.id in ("getattr", "setattr", "hasattr", "delattr")
                  and len(node.args) > 1 and isinstance(node.args[1], ast.Constant)
                  and isinstance(node.args[1].value, str)):
                used = [node.args[1].value]
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("reportlab"):
                used = [alias.name for alias in node.names if private(alias.name)]
                found += [f"{module}:{node.lineno} imports {name}" for name in used]
                continue
            elif isinstance(node, ast.ClassDef):
                # A method of a reportlab subclass that one of its reportlab bases defines.
                cls = modules[module][1].get(node.name)
                defined = {item.name for item in node.body if isinstance(item, ast.FunctionDef)}
                found += [f"{module}:{node.lineno} {node.name} overrides {name}"
                          for name in sorted(defined & reportlab_names([cls]))
                          if private(name)] if isinstance(cls, type) else []
                continue
            found += [f"{module}:{node.lineno} uses {name}" for name in used
                      if private(name) and (name in theirs or name not in ours)]
    return found


def test_the_scan_finds_each_kind_of_use() -> None:
    source = textwrap.dedent("""
        from reportlab.lib.utils import _digester
        from reportlab.pdfgen.canvas import Canvas
        from reportlab.pdfgen.textobject import PDFTextObject

        class Text(PDFTextObject):
            def _textOut(self, text, TStar=0):
                self._mine = text
                return self._mine

        class Drawing(Canvas):
            def page(self):
                return self._doc.thisPageRef(), getattr(self, "_code"), self.__class__

        class Plain:
            def __init__(self):
                self._state = self.__dict__
    """)
    namespace: dict[str, Any] = {}
    exec(compile(source, "probe", "exec"), namespace)
    assert sorted(private_name_uses({"probe": (source, namespace)})) == [
        "probe:13 uses _code",
        "probe:13 uses _doc",
        "probe:2 imports _digester",
        "probe:6 Text overrides _textOut",
    ]


def test_only_the_fence_uses_reportlab_private_names() -> None:
    pdf_modules = sorted(path.stem for path in RENDERERS.glob("*.py")
                         if path.stem == "pdf" or path.stem.startswith("_pdf_"))
    assert {"pdf", "_pdf_canvas", "_pdf_pages", "_pdf_story"} <= set(pdf_modules)
    modules = {}
    for name in pdf_modules:
        module = importlib.import_module(f"kzreport.renderers.{name}")
        modules[name] = ((RENDERERS / f"{name}.py").read_text("utf-8"), vars(module))
    assert private_name_uses(modules) == []
    # The fence itself is what the scan would report, were it another module.
    fence = importlib.import_module(f"kzreport.renderers.{FENCE}")
    uses = private_name_uses({**modules, FENCE: ((RENDERERS / f"{FENCE}.py").read_text("utf-8"),
                                                 vars(fence))})
    assert {use.split(" ", 1)[1] for use in uses} >= {
        "uses _doc", "uses _code", "uses _annotationrefs", "uses _timeStamp",
        "uses __NoDefault__", "ObservedTextObject overrides _textOut"}
