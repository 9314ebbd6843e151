"""The fence around python-pptx's internals: only ``_pptx_internals`` touches them."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"
FENCE = "kzreport.renderers._pptx_internals"
#: python-pptx's layers below its documented API: packaging, XML element classes, parts.
PRIVATE_LAYERS = ("pptx.opc", "pptx.oxml", "pptx.parts")
#: Methods of those layers' element classes that have no underscore but are no API either.
ELEMENT_METHODS = ("get_or_add_", "get_or_change_to_", "add_sldId")


def path_of(module: str) -> Path:
    path = SRC.joinpath(*module.split("."))
    return path / "__init__.py" if path.is_dir() else path.with_suffix(".py")


def kzreport_imports(tree: ast.AST) -> set[str]:
    """The kzreport modules a module imports (``from kzreport.x import y`` may name one)."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {name for name in found if name.split(".")[0] == "kzreport" and path_of(name).exists()}


def deck_modules() -> list[str]:
    """The renderer modules the deck runs: ``renderers.pptx`` and all it imports from them."""
    seen: set[str] = set()
    todo = ["kzreport.renderers.pptx"]
    while todo:
        module = todo.pop()
        if module not in seen:
            seen.add(module)
            todo.extend(kzreport_imports(ast.parse(path_of(module).read_text("utf-8"))))
    return sorted(m for m in seen if m.startswith("kzreport.renderers"))


def internals_used(source: str) -> list[str]:
    """Each use of a library's internals in ``source``: an import from python-pptx's private
    layers, an attribute with a leading underscore on anything but ``self``/``cls``, a method
    of python-pptx's element classes, or a slide added through the presentation part."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom | ast.Import):
            names = ([node.module or ""] if isinstance(node, ast.ImportFrom)
                     else [alias.name for alias in node.names])
            if isinstance(node, ast.ImportFrom) and node.module == "pptx":
                names += [f"pptx.{alias.name}" for alias in node.names]
            found += [f"import {name}" for name in names
                      if any(name == layer or name.startswith(layer + ".")
                             for layer in PRIVATE_LAYERS)]
        elif isinstance(node, ast.Attribute):
            owner = node.value.id if isinstance(node.value, ast.Name) else None
            private = (node.attr.startswith("_") and not node.attr.startswith("__")
                       and owner not in ("self", "cls"))
            part_add_slide = (node.attr == "add_slide" and isinstance(node.value, ast.Attribute)
                              and node.value.attr == "part")
            if private or part_add_slide or node.attr.startswith(ELEMENT_METHODS):
                found.append(ast.unparse(node))
    return found


def test_the_deck_is_the_modules_it_was_cut_into() -> None:
    assert {"kzreport.renderers.pptx", "kzreport.renderers._drawingml",
            "kzreport.renderers._deck_slides", "kzreport.renderers._deck_notes",
            "kzreport.renderers._deck_template", FENCE} <= set(deck_modules())


def test_only_the_fence_touches_python_pptx_internals() -> None:
    used = {module: internals_used(path_of(module).read_text("utf-8"))
            for module in deck_modules() if module != FENCE}
    assert {module: found for module, found in used.items() if found} == {}


def test_no_module_imports_python_pptx_private_layers_but_the_fence() -> None:
    for path in sorted((SRC / "kzreport").rglob("*.py")):
        if path != path_of(FENCE):
            source = path.read_text("utf-8")
            assert not [use for use in internals_used(source) if use.startswith("import ")], path


def test_the_check_sees_what_the_fence_holds() -> None:
    # The check is only as good as what it finds: run it on the fence itself and on the kinds
    # of use it exists to keep out.
    fenced = internals_used(path_of(FENCE).read_text("utf-8"))
    for use in ("slide.shapes._spTree", "slide.shapes._next_shape_id", "prs.slides._sldIdLst",
                "package._rels", "writer._write_content_types_stream", "part._blob",
                "import pptx.opc.constants", "import pptx.opc.serialized",
                "cast(Any, shape).get_or_add_txBody", "prs.part.add_slide"):
        assert use in fenced
    assert internals_used("from pptx import oxml\nshape.get_or_add_txBody()\n") == [
        "import pptx.oxml", "shape.get_or_add_txBody"]
    assert internals_used("self._cache\ncls._made\nobj.__class__\nslides.add_slide(x)\n") == []

