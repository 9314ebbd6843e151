"""The built-in layouts' templates prepared ahead, when the wheel is built, for it to ship."""

from __future__ import annotations

import tempfile
from pathlib import Path

#: The languages a wheel ships the built-in layouts' templates for (the brief's template
#: carries its language; another language is prepared on its first run).
AHEAD_LANGUAGES = ("en-US", "en-GB", "en", "kk-KZ", "kk", "ru-RU", "ru", "ar", "fa")


def prepare_builtin() -> None:
    """Prepare the built-in layouts' brief and deck templates for ``AHEAD_LANGUAGES`` into
    the user's cache, as a build of a paper in each would (``hatch_build.py`` runs this with
    a cache of its own and ships the entries)."""
    from kzreport.layout_loader import builtin_folder, load_layout
    from kzreport.renderers._brief_template import styled_template
    from kzreport.renderers._deck_template import prepared_deck

    names = sorted(path.parent.name for path in builtin_folder().glob("*/layout.toml"))
    with tempfile.TemporaryDirectory() as nowhere:  # no project layout can stand in
        for name in names:
            layout = load_layout(name, Path(nowhere))
            for language in AHEAD_LANGUAGES:
                localized = layout.for_language(language)
                styled_template(localized, language)
                prepared_deck(localized, localized.template_pptx)
