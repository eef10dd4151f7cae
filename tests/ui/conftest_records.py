"""Fixtures for the records, print-queue and idle-lock tests: real AppServices on a copied SQLite template.

Creating users (argon2id, signing keys) and signing records takes seconds, so one template database is built
per session and every test gets its own copy of the file.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import shutil
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from checklist_app.services.app import AppServices
from checklist_app.services.demo import ensure_users
from checklist_app.services.models import CaseFilter
from tests.ui.records_data import BULK_RECORDS, EST, SIGNED, RecordsEnv, bulk_specs, sign_ready_case


@pytest.fixture(scope="session")
def records_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A database with the demo users, three signed records and 1,000 drafts; returns (db file, site secret)."""
    folder = tmp_path_factory.mktemp("records-template")
    secret = folder / "site.secret"
    db_file = folder / "template.db"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CHECKLIST_SITE_SECRET_FILE", str(secret))
        svc = AppServices.open(f"sqlite:///{db_file}")
        try:
            ensure_users(svc)
            nurse = svc.auth.get("nurse")
            # Signed far in the future of the bulk data, so the bulk never hides them in a first page.
            for n, (name, mrn) in enumerate(SIGNED):
                sign_ready_case(svc, nurse, name, mrn, datetime.now(EST) + timedelta(hours=2, minutes=30 * n))
            svc.store.records.bulk_insert_for_benchmarks(bulk_specs(BULK_RECORDS))
        finally:
            svc.close()
    return db_file, secret


@pytest.fixture
def records_env(records_template: tuple[Path, Path], tmp_path: Path,
                monkeypatch: pytest.MonkeyPatch) -> Iterator[RecordsEnv]:
    """Real AppServices on this test's own copy of the template database."""
    template, secret = records_template
    monkeypatch.setenv("CHECKLIST_SITE_SECRET_FILE", str(secret))
    db_file = tmp_path / "t.db"
    shutil.copyfile(template, db_file)
    assert not template.with_name(template.name + "-wal").exists()  # closed cleanly: everything is in the file
    svc = AppServices.open(f"sqlite:///{db_file}")
    try:
        page = svc.cases.search(CaseFilter(status="signed"), limit=10)
        yield RecordsEnv(svc=svc, nurse=svc.auth.get("nurse"), charge=svc.auth.get("charge"),
                         coordinator=svc.auth.get("coordinator"),
                         signed_ids=tuple(row.record_id for row in page.rows))
    finally:
        svc.close()
