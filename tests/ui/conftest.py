"""UI fixtures: real AppServices on a copy of a migrated template database, real users, a qtbot-driven window.

The records, print-queue and idle-lock tests share a bigger template (the demo users, three signed records and
1,000 drafts: creating users and signing take seconds), built once per session and copied per test too.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything imports Qt

from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QWidget

from checklist_app.domain.records import Patient, Procedure
from checklist_app.services.app import AppServices
from checklist_app.services.demo import READY_NOTES, ensure_users
from checklist_app.services.models import CaseFilter, CaseState, Role, User
from checklist_app.ui.shell import msgbox
from tests.helpers.databases import copy_sqlite
from tests.helpers.hashing import QUICK_HASHER
from tests.helpers.records_env import BULK_RECORDS, EST, SIGNED, RecordsEnv, bulk_specs, sign_ready_case
from tests.helpers.ui import NURSE_PASSWORD, OTHER_PASSWORD, Messages, show_window, today_at


@pytest.fixture(autouse=True)
def own_settings(tmp_path: Path) -> None:
    """QSettings (the last user id, window state) go to this test's folder, never the real user's."""
    from PySide6.QtCore import QSettings

    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(tmp_path / "settings"))


@pytest.fixture(autouse=True)
def background_work_ends_in_its_test(qtbot: Any) -> Iterator[None]:
    """Work a test started on the worker pool (a signature, a PDF check, the dashboard's figures) ends, and its
    result is delivered, before the test's windows close: never in a later test, where a late callback would
    open a dialog over that test's window or keep the pool's threads busy."""
    from PySide6.QtCore import QThreadPool

    yield
    QThreadPool.globalInstance().waitForDone(60_000)
    # The results arrive now, while this test's windows exist; the test's own message-box recorder may already
    # be gone, so nothing modal may open here either.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(msgbox, "_box", lambda *args, **kwargs: None)
        for name in ("confirm", "ask_save_path", "ask_text"):
            patch.setattr(msgbox, name, lambda *args, **kwargs: None)
        QApplication.processEvents()


@pytest.fixture(scope="session", autouse=True)
def app_style(qapp: QApplication) -> None:
    """The shipped stylesheet and fonts: tests lay out and measure what the user sees."""
    from checklist_app.ui.shell.style import apply_style

    apply_style(qapp)


@pytest.fixture(autouse=True)
def own_config_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test's window sizes (ui.shell.window_state) in its own folder: no test opens at another's size."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


@pytest.fixture
def messages(monkeypatch: pytest.MonkeyPatch) -> Messages:
    """ui.msgbox patched: nothing modal opens, and the test sees what would have been shown."""
    seen = Messages()

    def recorder(kind: str) -> Callable[..., None]:
        def show(parent: QWidget | None, title: str, text: str, detail: str = "") -> None:
            seen.shown.append((kind, title, text, detail))

        return show

    for kind in ("info", "warn", "error"):
        monkeypatch.setattr(msgbox, kind, recorder(kind))
    monkeypatch.setattr(msgbox, "confirm", lambda parent, title, text, **kw: seen.confirm_answer)
    monkeypatch.setattr(msgbox, "ask_save_path", lambda parent, title, suggested, file_filter: seen.save_path)
    return seen


@pytest.fixture
def db_path(sqlite_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This test's own copy of the migrated template, with its own site secret."""
    monkeypatch.setenv("CHECKLIST_SITE_SECRET_FILE", str(tmp_path / "site.secret"))
    copy_sqlite(sqlite_template, tmp_path / "t.db")
    return tmp_path / "t.db"


@pytest.fixture
def svc(db_path: Path) -> Iterator[AppServices]:
    services = AppServices.open(f"sqlite:///{db_path}", hasher=QUICK_HASHER)
    yield services
    services.close()


@pytest.fixture
def other_svc(db_path: Path, svc: AppServices) -> Iterator[AppServices]:
    """A second workstation on the same database."""
    services = AppServices.open(f"sqlite:///{db_path}", hasher=QUICK_HASHER)
    yield services
    services.close()


@pytest.fixture
def nurse(svc: AppServices) -> User:
    return svc.auth.create_user("nina", "Nina Nurse", {Role.NURSE}, NURSE_PASSWORD, actor="test")


@pytest.fixture
def coordinator(svc: AppServices) -> User:
    return svc.auth.create_user("cora", "Cora Coordinator", {Role.COORDINATOR}, OTHER_PASSWORD, actor="test")


@pytest.fixture
def make_case(svc: AppServices, nurse: User) -> Callable[..., CaseState]:
    """A case for today (late in the day, so 'now' is never after it), optionally with answers."""

    def make(
        answers: dict[str, Any] | None = None, *, name: str = "Avery Example", mrn: str = "MRN100001", sex: str = "male"
    ) -> CaseState:
        patient = Patient(name=name, birth_date=date(1960, 1, 15), mrn=mrn, sex=sex)  # type: ignore[arg-type]
        procedure = Procedure(
            type="interlaminar_epidural", level="L4-L5", laterality="left", scheduled_at=today_at(23, 30)
        )
        case = svc.cases.new_case(nurse, patient, procedure)
        for item_id, value in (answers or {}).items():
            note = READY_NOTES.get(item_id, "")
            if isinstance(value, dict) and "value" in value:  # {value, note} as in the record JSON
                value, note = value["value"], value.get("note", "")
            case = svc.cases.answer(nurse, case, item_id, value, note=note)
        return case

    return make


@pytest.fixture
def window(qtbot: Any, svc: AppServices, nurse: User, messages: Messages) -> Any:
    """The nurse's main window, shown and active."""
    return show_window(qtbot, svc, nurse)


@pytest.fixture(scope="session")
def records_template(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A database with the demo users, three signed records and 1,000 drafts; returns (db file, site secret)."""
    folder = tmp_path_factory.mktemp("records-template")
    secret = folder / "site.secret"
    db_file = folder / "records.db"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CHECKLIST_SITE_SECRET_FILE", str(secret))
        svc = AppServices.open(copy_sqlite(sqlite_template, db_file), hasher=QUICK_HASHER)
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
def records_env(
    records_template: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[RecordsEnv]:
    """Real AppServices on this test's own copy of the template database."""
    template, secret = records_template
    monkeypatch.setenv("CHECKLIST_SITE_SECRET_FILE", str(secret))
    assert not template.with_name(template.name + "-wal").exists()  # closed cleanly: everything is in the file
    svc = AppServices.open(copy_sqlite(template, tmp_path / "t.db"), hasher=QUICK_HASHER)
    try:
        page = svc.cases.search(CaseFilter(status="signed"), limit=10)
        yield RecordsEnv(
            svc=svc,
            nurse=svc.auth.get("nurse"),
            charge=svc.auth.get("charge"),
            coordinator=svc.auth.get("coordinator"),
            signed_ids=tuple(row.record_id for row in page.rows),
        )
    finally:
        svc.close()
