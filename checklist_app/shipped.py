"""Where the shipped files are (stylesheet, fonts, translations): the package `checklist_app.resources`.

It is a folder on disk in a checkout (pyproject maps resources/ in), a wheel and the PyInstaller bundle alike,
so its files are read by path. `importlib.resources` answers the same for a package on disk, but importing it
costs the login window ~5 ms (bench startup).
"""

from __future__ import annotations

import functools
import importlib.util
import os

PACKAGE = "checklist_app.resources"


@functools.cache
def _folder() -> str:
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(f"the app's shipped files ({PACKAGE}) are missing from this install")
    return os.fspath(next(iter(spec.submodule_search_locations)))


def resource_path(*parts: str) -> str:
    """The file or folder `parts` below the shipped files, e.g. resource_path("fonts", "DejaVuSans.ttf")."""
    return os.path.join(_folder(), *parts)
