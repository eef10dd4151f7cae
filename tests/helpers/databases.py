"""Test databases as copies of one migrated template: a SQLite file copied per test, PostgreSQL's TEMPLATE copy.

Migrating a new database costs far more than copying a migrated one, so the suite migrates once per backend
per session (the fixtures in tests/conftest.py) and every test that needs a database gets a copy.
"""

from __future__ import annotations

import queue
import shutil
import threading
from pathlib import Path

import pytest

from checklist_app.store import Store
from tests.pgserver import PgServer

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def migrated_sqlite_template(folder: Path) -> Path:
    """A SQLite file migrated to head and closed cleanly (everything in the file, no -wal beside it)."""
    db_file = folder / "template.db"
    Store.open(f"sqlite:///{db_file}").close()
    assert not db_file.with_name(db_file.name + "-wal").exists()
    return db_file


def copy_sqlite(template: Path, target: Path) -> str:
    """Copy the template file to `target` (a new file); returns its SQLAlchemy URL."""
    assert not target.exists(), f"{target} already exists"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, target)
    return f"sqlite:///{target}"


def migrated_pg_template(server: PgServer) -> str:
    """Name of a PostgreSQL database migrated to head; per-test databases are TEMPLATE copies of it."""
    url = server.create_database("template")
    Store.open(url).close()
    return url.rsplit("/", 1)[-1]


class PgPrefetcher:
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
        """URL of a fresh copy of the template (not dropped afterwards: DROP waits on a checkpoint too, and the
        whole data directory goes with the server at the end)."""
        item = self._ready.get(timeout=120)
        if isinstance(item, BaseException):
            raise item
        return item

    def close(self) -> None:
        self._stop.set()
        self._thread.join(30)
