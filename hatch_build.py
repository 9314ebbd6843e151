"""Wheel build step: the built-in layouts' prepared Word and PowerPoint templates go inside."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class PreparedTemplates(BuildHookInterface):
    """Prepares the templates with this very source tree and the libraries of the build
    environment, as a user's first build would, and ships the cache entries as
    ``kzreport/prepared``: a user's first run then finds them instead of preparing (their
    keys hold the libraries' versions and the code's digest, so an install with other
    versions simply prepares its own). An editable install has none."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        self._cache = tempfile.mkdtemp(prefix="kzreport-prepared-")
        # This source tree's kzreport, first on the path (before an installed one), and the
        # build environment's libraries.
        subprocess.run(
            [sys.executable, "-c", "import sys; sys.path.insert(0, sys.argv[1]); "
             "from kzreport.renderers._prepared_ahead import prepare_builtin; "
             "prepare_builtin()", str(Path(self.root) / "src")],
            env=dict(os.environ, XDG_CACHE_HOME=self._cache), check=True)
        entries = sorted((Path(self._cache) / "kzreport" / "templates").glob("*.kzt"))
        if not entries:
            raise RuntimeError("preparing the built-in layouts' templates made no entry")
        for entry in entries:
            build_data["force_include"][str(entry)] = f"kzreport/prepared/{entry.name}"

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        if getattr(self, "_cache", None):
            shutil.rmtree(self._cache, ignore_errors=True)
