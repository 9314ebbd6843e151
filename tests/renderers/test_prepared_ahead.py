"""The built-in layouts' templates prepared ahead: what a wheel ships equals what a first build
prepares, a first build takes them, and an installed wheel holds them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SEED
from kzreport.renderers import _stored_templates as stored
from kzreport.renderers._prepared_ahead import AHEAD_LANGUAGES


def _prepared_ahead(cache_home: Path) -> Path:
    """The entries a wheel's build ships (``hatch_build.py`` runs the same function)."""
    # An installed wheel's own entries would be found instead of prepared: none here, as in
    # the source tree hatch_build.py prepares them from.
    subprocess.run([sys.executable, "-c", "import sys; from pathlib import Path; "
                    "from kzreport.renderers import _stored_templates as stored; "
                    "stored.SHIPPED = Path(sys.argv[1]); "
                    "from kzreport.renderers._prepared_ahead import prepare_builtin; "
                    "prepare_builtin()", str(cache_home / "none")],
                   env=dict(os.environ, XDG_CACHE_HOME=str(cache_home)), check=True)
    return cache_home / "kzreport" / "templates"


def _contents(entry: Path) -> tuple[object, dict[str, bytes]]:
    """An entry's data and its package's parts (the zip's own time stamps aside)."""
    import io
    import json
    import struct
    import zipfile

    body = entry.read_bytes()[len(stored.MAGIC) + 32:]
    (length,) = struct.unpack_from("<L", body)
    with zipfile.ZipFile(io.BytesIO(body[4 + length:])) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    return json.loads(body[4:4 + length]), parts


def _first_build(tmp_path: Path, run: str, shipped: Path | None) -> tuple[Path, list[bytes]]:
    """A first build of the seed, in a folder of its own (no project layout), with an empty
    user cache and ``shipped`` as the package's entries; its user cache and outputs."""
    cache_home, out = tmp_path / f"cache-{run}", tmp_path / run
    code = ("import sys; from pathlib import Path; "
            "from kzreport.renderers import _stored_templates as stored; "
            "stored.SHIPPED = Path(sys.argv.pop(1)); from kzreport.cli import main; main()")
    subprocess.run([sys.executable, "-c", code, str(shipped or tmp_path / "none"), "build",
                    str(SEED), "-o", str(out)], cwd=tmp_path, check=True, capture_output=True,
                   env=dict(os.environ, XDG_CACHE_HOME=str(cache_home), SOURCE_DATE_EPOCH="1"))
    return (cache_home / "kzreport" / "templates",
            [(out / f"{SEED.stem}{suffix}").read_bytes() for suffix in (".docx", ".pdf", ".pptx")])


def test_the_entries_a_wheel_ships_are_those_a_first_build_prepares(tmp_path: Path) -> None:
    ahead = _prepared_ahead(tmp_path / "ahead")
    prepared, _ = _first_build(tmp_path, "prepared", None)
    names = sorted(path.name for path in prepared.glob("*.kzt"))
    assert len(names) == 2  # the seed's brief and deck
    for name in names:  # under the same keys, with the same content
        assert _contents(prepared / name) == _contents(ahead / name)
    languages = len(AHEAD_LANGUAGES)
    assert languages * 2 < len(list(ahead.glob("*.kzt"))) <= languages * 2 * 2  # both layouts


def test_a_first_build_takes_the_shipped_entries_and_makes_the_same_outputs(
        tmp_path: Path) -> None:
    ahead = _prepared_ahead(tmp_path / "ahead")
    user_cache, from_shipped = _first_build(tmp_path, "shipped", ahead)
    assert not list(user_cache.glob("*.kzt"))  # nothing prepared, nothing stored
    _, from_fresh = _first_build(tmp_path, "fresh", None)
    assert from_shipped == from_fresh


@pytest.mark.skipif(Path(stored.__file__).resolve().parents[2].name == "src",
                    reason="a source checkout (editable install) ships no prepared entries")
def test_an_installed_wheel_ships_the_built_in_layouts_entries(tmp_path: Path) -> None:
    from kzreport.layout_loader import load_layout
    from kzreport.renderers import _brief_template, _deck_template

    layout = load_layout("default", tmp_path).for_language("en-US")
    for full_key in (_brief_template.stored_key((layout, "en-US", None)),
                     _deck_template.stored_key((layout, None, None))):
        assert (stored.SHIPPED / stored._file_name(full_key)).is_file()
