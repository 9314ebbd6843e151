"""Modules loaded on first use: each check runs in a fresh interpreter, where nothing is loaded."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap

from conftest import CHART
from kzreport.lazy_imports import LazyPattern


def run_fresh(code: str) -> None:
    """Run ``code`` in a new interpreter; fail with its output when it fails."""
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_import_of_a_deferred_module_loads_nothing_until_an_attribute_is_used() -> None:
    run_fresh("""
        import sys
        from kzreport.lazy_imports import defer_imports

        assert "urllib.request" not in sys.modules and "http.client" not in sys.modules
        defer_imports(("urllib.request",))
        import urllib.request
        from urllib import request
        import xml.sax.saxutils  # imports urllib.request, as python-pptx makes it do
        assert "http.client" not in sys.modules, "loaded at import"
        assert request is urllib.request and type(request).__name__ == "_LoadedOnUse"

        assert callable(request.urlopen)  # first use: the real module loads
        assert "http.client" in sys.modules
        real = sys.modules["urllib.request"]
        assert type(real).__name__ == "module" and urllib.request is real
        assert request.Request is real.Request  # the stand-in lends the real attributes
        from urllib.request import Request
        assert Request is real.Request
    """)


def test_pillow_deferred_opens_images_as_before() -> None:
    run_fresh(f"""
        import sys
        from kzreport.lazy_imports import defer_imports

        defer_imports()
        from PIL import Image
        assert "PIL.ExifTags" not in sys.modules
        with Image.open({str(CHART)!r}) as image:
            assert image.size[0] > 0 and image.format == "PNG"
        assert isinstance(image, sys.modules["PIL.Image"].Image)
    """)


def test_modules_already_loaded_or_missing_are_left_alone() -> None:
    run_fresh("""
        import sys, json
        from kzreport.lazy_imports import defer_imports

        defer_imports(("json", "no_such_module_anywhere", "urllib.no_such_part"))
        assert type(sys.modules["json"]).__name__ == "module"
        assert "no_such_module_anywhere" not in sys.modules
        assert "urllib.no_such_part" not in sys.modules
    """)


def test_the_writers_start_without_what_they_defer() -> None:
    run_fresh("""
        import sys
        from kzreport.renderers import renderers

        renderers()["pptx"].load()
        renderers()["pdf"].load()
        assert "pptx" in sys.modules and "reportlab.platypus" in sys.modules
        assert "http.client" not in sys.modules and "PIL.ExifTags" not in sys.modules
    """)


def test_a_lazy_pattern_compiles_once_on_first_use() -> None:
    compiled: list[str] = []

    def compile_now(pattern: str, flags: int) -> re.Pattern[str]:
        compiled.append(pattern)
        return re.compile(pattern, flags)

    lazy = LazyPattern("a+b", re.I, compile_now)
    assert not lazy.compiled and compiled == []
    assert lazy.match("AAB") and lazy.search("xab") and lazy.pattern == "a+b"
    assert compiled == ["a+b"]
