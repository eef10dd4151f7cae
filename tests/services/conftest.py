"""Service fixtures: one database (a copy of the migrated template) and its accounts per test module."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from checklist_app.services.app import AppServices
from tests.helpers.databases import copy_sqlite
from tests.helpers.hashing import QUICK_HASHER
from tests.helpers.world import World


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Iterator[World]:
    """Services with the cheap hasher (creating accounts and signing still issue real keys)."""
    folder = tmp_path_factory.mktemp("services")
    url = copy_sqlite(sqlite_template, folder / "checklists.db")
    svc = AppServices.open(url, hasher=QUICK_HASHER)
    try:
        yield World(svc=svc, url=url, folder=folder)
    finally:
        svc.close()
