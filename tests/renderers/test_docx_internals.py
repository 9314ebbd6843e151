"""The fence around python-docx's private names: its readings agree with the library, and no
other module reaches past it."""

from __future__ import annotations

import ast
import random

import docx
import pytest
from docx.oxml import OxmlElement
from lxml import etree

from conftest import ROOT
from kzreport.renderers._docx_internals import declared_child_order, replace_part_blob
from kzreport.renderers._wordml import put

SOURCES = ROOT / "src" / "kzreport"
FENCE = SOURCES / "renderers" / "_docx_internals.py"


def uses_python_docx(tree: ast.Module) -> bool:
    """Whether a module imports python-docx anywhere (the renderers import it lazily)."""
    return any((isinstance(node, ast.Import) and any(a.name.split(".")[0] == "docx"
                                                    for a in node.names))
               or (isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "docx")
               for node in ast.walk(tree))


def private_names(tree: ast.Module) -> list[tuple[int, str]]:
    """Each ``something._name`` (a private name of another object) and each private name
    imported from python-docx, with its line: only an object's own methods, through
    ``self``, may use its private names."""
    attributes = [(node.lineno, node.attr) for node in ast.walk(tree)
                  if isinstance(node, ast.Attribute) and node.attr.startswith("_")
                  and not node.attr.startswith("__")
                  and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"))]
    imported = [(node.lineno, alias.name) for node in ast.walk(tree)
                if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "docx"
                for alias in node.names if alias.name.startswith("_")]
    return sorted(attributes + imported)


def test_no_module_but_the_fence_touches_a_private_name_of_python_docx() -> None:
    modules = {path: ast.parse(path.read_text(encoding="utf-8"))
               for path in sorted(SOURCES.rglob("*.py"))}
    users = {path for path, tree in modules.items() if uses_python_docx(tree)}
    assert {path.name for path in users} >= {"docx.py", "_brief_template.py", "_wordml.py",
                                             "_docx_internals.py"}
    found = {str(path.relative_to(SOURCES)): private_names(modules[path])
             for path in users - {FENCE}}
    assert {module: names for module, names in found.items() if names} == {}
    assert private_names(modules[FENCE])  # the check sees what the fence does


@pytest.mark.parametrize(("code", "names"), [
    ("paragraph._p.get_or_add_pPr()", [(1, "_p")]),
    ("PackageWriter._write_pkg_rels(sink, rels)", [(1, "_write_pkg_rels")]),
    ("part._blob = blob", [(1, "_blob")]),
    ("from docx.table import _Cell", [(1, "_Cell")]),
    ("from lxml.etree import _Element", []),
    ("self._parts()", []),
    ("type(x).__name__", []),
])
def test_the_check_finds_private_names(code: str, names: list[tuple[int, str]]) -> None:
    assert private_names(ast.parse(code)) == names


@pytest.mark.parametrize("tag", ["w:pPr", "w:rPr", "w:tblPr", "w:trPr", "w:tcPr"])
def test_the_declared_order_is_the_one_python_docx_inserts_by(tag: str) -> None:
    """For every child python-docx itself can add (``get_or_add_x``), the library puts it
    where the order read from its declaration does, among all the others."""
    order = declared_child_order(tag)
    assert len(order) == len(set(order)) > 10
    adders = [name for name in dir(type(OxmlElement(tag))) if name.startswith("get_or_add_")]
    assert adders
    shuffle = random.Random(tag)
    checked = 0
    for adder in adders:
        added = getattr(OxmlElement(tag), adder)()
        if added.getparent() is None or added.getparent().tag != OxmlElement(tag).tag:
            continue  # a helper that adds deeper down, not a child
        child = f"w:{etree.QName(added).localname}"
        properties = OxmlElement(tag)
        others = [t for t in order if t != child]
        for other in shuffle.sample(others, len(others)):
            put(properties, OxmlElement(other))
        getattr(properties, adder)()
        assert [f"w:{etree.QName(c).localname}" for c in properties] == list(order), adder
        checked += 1
    assert checked >= 3


def test_the_declared_order_reaches_past_what_python_docx_builds_properties_for() -> None:
    # python-docx has no property for w:bidi; the schema puts it after the East Asian options.
    order = declared_child_order("w:pPr")
    assert order.index("w:autoSpaceDN") + 1 == order.index("w:bidi")
    assert order.index("w:bidi") < order.index("w:spacing") < order.index("w:jc")
    assert declared_child_order("w:tblPr")[:4] == ("w:tblStyle", "w:tblpPr", "w:tblOverlap",
                                                   "w:bidiVisual")
    assert declared_child_order("w:trPr")[0] == declared_child_order("w:tcPr")[0] == "w:cnfStyle"


def test_a_part_python_docx_has_no_class_for_takes_new_content() -> None:
    package = docx.Document().part.package
    replace_part_blob(package, "/docProps/app.xml", b"<Properties/>")
    [app] = [p for p in package.iter_parts() if str(p.partname) == "/docProps/app.xml"]
    assert app.blob == b"<Properties/>"

