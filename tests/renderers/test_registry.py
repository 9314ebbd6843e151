"""The registry of formats: built-in formats named without importing them, each loaded alone."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import SEED
from kzreport.renderers import BUILTIN, extension, format_names, renderer, renderers


def test_the_built_in_table_names_the_registered_renderers() -> None:
    registered = renderers()
    assert format_names() == tuple(registered)
    for name, (module, suffix) in BUILTIN.items():
        assert type(registered[name]).__module__ == module
        assert registered[name].extension == suffix == extension(name)
        assert renderer(name) is registered[name]


def test_a_worker_imports_only_its_own_renderer_and_the_parent_none(tmp_path: Path) -> None:
    code = """if True:
        import sys
        from kzreport.renderers import renderer
        renderer("pdf")
        print(sorted(m for m in sys.modules if m.startswith("kzreport.renderers.")))
    """
    loaded = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                            text=True).stdout
    assert "kzreport.renderers.pdf" in loaded
    assert "kzreport.renderers.docx" not in loaded and "kzreport.renderers.pptx" not in loaded
    # A build's parent process names the formats and outputs and starts the workers; the
    # renderers load in the workers.
    code = """if True:
        import atexit, sys
        atexit.register(lambda: print(sorted(
            m for m in sys.modules if m.startswith("kzreport.renderers."))))
        from kzreport.cli import main
        main()
    """
    loaded = subprocess.run([sys.executable, "-c", code, "build", str(SEED), "-o",
                             str(tmp_path), "-j", "3"], check=True, capture_output=True,
                            text=True, env=dict(os.environ, SOURCE_DATE_EPOCH="1")).stdout
    assert "kzreport.renderers.docx" not in loaded and "kzreport.renderers.pptx" not in loaded
    assert "kzreport.renderers.pdf" not in loaded
    assert sorted(path.suffix for path in tmp_path.glob(f"{SEED.stem}.*")) == [
        ".docx", ".pdf", ".pptx"]
