"""Store fixtures: every test gets a fresh database, once on SQLite and once on the session's PostgreSQL."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from checklist_app.store import Store
from tests.pgserver import PgServer

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(scope="session")
def pg_template(pg_server: PgServer) -> str:
    """Name of a database migrated to head once per session; per-test databases are copies of it."""
    url = pg_server.create_database("template")
    Store.open(url).close()
    return url.rsplit("/", 1)[-1]


class _Prefetcher:
    """Copies the template in a background thread so the next test's database is ready when it starts
    (CREATE DATABASE waits on a checkpoint: ~0.3 s each, most of the PostgreSQL half's set-up time)."""

    def __init__(self, server: PgServer, template: str, depth: int = 2) -> None:
        self._server, self._template = server, template
        self._ready: queue.Queue[str | BaseException] = queue.Queue(maxsize=depth)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._fill, name="pg-db-prefetch", daemon=True)
        self._thread.start()

    def _fill(self) -> None:
        while not self._stop.is_set():
            try:
                item: str | BaseException = self._server.create_database(template=self._template)
            except BaseException as exc:  # handed to the test that takes it, never lost in the thread
                item = exc
            while not self._stop.is_set():
                try:
                    self._ready.put(item, timeout=0.2)
                    break
                except queue.Full:
                    continue
            if isinstance(item, BaseException):
                return

    def take(self) -> str:
        item = self._ready.get(timeout=120)
        if isinstance(item, BaseException):
            raise item
        return item

    def close(self) -> None:
        self._stop.set()
        self._thread.join(30)


@pytest.fixture(scope="session")
def pg_databases(pg_server: PgServer, pg_template: str) -> Iterator[_Prefetcher]:
    prefetcher = _Prefetcher(pg_server, pg_template)
    yield prefetcher
    prefetcher.close()  # leftovers vanish with the server's data directory


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
    """URL of a fresh database at the current schema (a new SQLite file, or a copy of the PG template)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'checklists.db'}"
        return
    # Not dropped afterwards: DROP waits on a checkpoint too, and the whole data directory goes at the end.
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
