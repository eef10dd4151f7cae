"""Shared pytest configuration and the migrated database templates every part of the suite copies."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

# The helpers' asserts explain themselves like the tests' own; registered before anything imports them.
pytest.register_assert_rewrite("tests.helpers")
pytest_plugins = ["tests.pgserver", "tests.helpers.cups_server"]  # fixtures of real servers, for every test

if TYPE_CHECKING:  # imported inside the fixtures: tests.pgserver must be loaded as the plugin first
    from tests.helpers.databases import PgPrefetcher
    from tests.pgserver import PgServer


def pytest_configure() -> None:
    # Tests never touch the real user data folder, the real database or a real site secret.
    sandbox = tempfile.mkdtemp(prefix="checklist-tests-")
    os.environ["XDG_DATA_HOME"] = os.path.join(sandbox, "data")
    # ... nor the real log folder, window settings, instance lock or site settings file.
    os.environ["XDG_STATE_HOME"] = os.path.join(sandbox, "state")
    os.environ["XDG_CONFIG_HOME"] = os.path.join(sandbox, "config")
    os.environ["XDG_CONFIG_DIRS"] = os.path.join(sandbox, "site-config")
    os.environ.pop("CHECKLIST_SITE_CONFIG", None)
    os.environ.pop("CHECKLIST_LOG_DIR", None)
    os.environ["CHECKLIST_SITE_SECRET_FILE"] = os.path.join(sandbox, "site-authority.secret")
    os.environ.pop("CHECKLIST_DB", None)
    os.environ.pop("CHECKLIST_FORMS_DIR", None)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated once per session; tests get copies (tests.helpers.databases.copy_sqlite)."""
    from tests.helpers.databases import migrated_sqlite_template

    return migrated_sqlite_template(tmp_path_factory.mktemp("sqlite-template"))


@pytest.fixture(scope="session")
def pg_template(pg_server: PgServer) -> str:
    """Name of a PostgreSQL database migrated once per session; per-test databases are copies of it."""
    from tests.helpers.databases import migrated_pg_template

    return migrated_pg_template(pg_server)


@pytest.fixture(scope="session")
def pg_databases(pg_server: PgServer, pg_template: str) -> Iterator[PgPrefetcher]:
    """Fresh copies of the PostgreSQL template, made ahead of the tests that take them."""
    from tests.helpers.databases import PgPrefetcher

    prefetcher = PgPrefetcher(pg_server, pg_template)
    yield prefetcher
    prefetcher.close()  # leftovers vanish with the server's data directory
