"""What ``pip install .`` brings: at most 15 distributions besides kzreport, none of Sphinx's."""

from __future__ import annotations

import tomllib
from importlib.metadata import PackageNotFoundError, distribution

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from conftest import ROOT

#: The issue's limit for a light install (an isolated network, a fresh machine).
MOST = 15


def installed_with(requirements: list[str]) -> set[str]:
    """Every distribution ``requirements`` bring, recursively, as pip installs them on this
    Python (markers evaluated, no extras), by canonical name."""
    found: set[str] = set()
    waiting = [Requirement(text) for text in requirements]
    while waiting:
        requirement = waiting.pop()
        if requirement.marker is not None and not requirement.marker.evaluate({"extra": ""}):
            continue
        name = canonicalize_name(requirement.name)
        if name in found:
            continue
        found.add(name)
        try:
            needs = distribution(name).requires or []
        except PackageNotFoundError as missing:
            raise AssertionError(f"{name} is required but not installed here") from missing
        waiting.extend(Requirement(text) for text in needs)
    return found


def test_pip_install_brings_at_most_fifteen_distributions() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    brought = installed_with(project["dependencies"])
    assert len(brought) <= MOST, sorted(brought)
    assert not brought & {"sphinx", "docutils", "watchfiles", "mdit-py-plugins"}


def test_the_count_sees_dependencies_of_dependencies() -> None:
    # python-pptx brings lxml, Pillow, XlsxWriter and typing-extensions along.
    assert {"python-pptx", "lxml", "pillow", "xlsxwriter"} <= installed_with(["python-pptx"])
    assert installed_with(["pypdf; python_version < '3'"]) == set()
