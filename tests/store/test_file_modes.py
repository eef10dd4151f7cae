"""Files 0600 and folders 0700 from the moment they exist (issue 10, finding 8): the SQLite database with its WAL
and SHM files, the data folder and the site secret; a loose umask changes nothing."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from checklist_app.services.site import _read_secret
from checklist_app.store import Store


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def loose_umask() -> Iterator[None]:
    old = os.umask(0o000)  # the worst a workstation may have: nothing masked
    try:
        yield
    finally:
        os.umask(old)


def test_a_new_database_and_its_wal_and_shm_are_0600_in_a_0700_folder(tmp_path: Path, loose_umask: None) -> None:
    folder = tmp_path / "new" / "data"
    db = folder / "checklists.db"
    store = Store.open(f"sqlite:///{db}")
    try:
        with store.db.engine.connect() as conn:  # a reader keeps the WAL and SHM files in place
            conn.execute(text("SELECT count(*) FROM users")).scalar()
            store.audit.append("test", "test.event")
            wal, shm = Path(f"{db}-wal"), Path(f"{db}-shm")
            assert wal.exists() and shm.exists()
            assert (mode(db), mode(wal), mode(shm)) == (0o600, 0o600, 0o600)
    finally:
        store.close()
    assert mode(folder) == 0o700 and mode(folder.parent) == 0o700


def test_the_site_secret_is_0600_in_a_0700_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, loose_umask: None
) -> None:
    secret = tmp_path / "secrets" / "site-authority.secret"
    monkeypatch.setenv("CHECKLIST_SITE_SECRET_FILE", str(secret))
    _read_secret(create=True)
    assert mode(secret) == 0o600 and mode(secret.parent) == 0o700
