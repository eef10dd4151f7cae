"""Store fixtures: every test gets a fresh database, once on SQLite and once on the session's PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from checklist_app.store import Store
from tests.helpers.databases import BACKENDS, copy_sqlite
from tests.pgserver import PgServer


@pytest.fixture(params=BACKENDS)
def empty_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """URL of a fresh database with no tables at all (for migration tests)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'checklists.db'}"
        return
    server: PgServer = request.getfixturevalue("pg_server")
    yield server.create_database()


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """URL of a fresh database at the current schema: a copy of the session's migrated template."""
    if request.param == "sqlite":
        yield copy_sqlite(request.getfixturevalue("sqlite_template"), tmp_path / "checklists.db")
        return
    yield request.getfixturevalue("pg_databases").take()


@pytest.fixture
def open_store(db_url: str) -> Iterator[Callable[..., Store]]:
    """Open more Store objects on the test database (a second workstation); all closed afterwards."""
    opened: list[Store] = []

    def _open(**kwargs: object) -> Store:
        store = Store.open(db_url, **kwargs)  # type: ignore[arg-type]
        opened.append(store)
        return store

    yield _open
    for store in opened:
        store.close()


@pytest.fixture
def store(open_store: Callable[..., Store]) -> Store:
    return open_store()
