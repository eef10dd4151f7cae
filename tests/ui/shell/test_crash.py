"""An unexpected error writes a crash report and tells the user where; the log keeps ids, never patient data."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import qWarning
from PySide6.QtWidgets import QPushButton

from checklist_app.services.app import AppServices
from checklist_app.services.logs import close_logging, setup_logging
from checklist_app.services.models import User
from checklist_app.ui.shell.crash import CrashGuard
from tests.helpers.ui import Messages, show_window


@pytest.fixture
def logs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("CHECKLIST_LOG_DIR", str(tmp_path / "logs"))
    setup_logging()
    yield tmp_path / "logs"
    close_logging()


@pytest.fixture
def guard() -> Iterator[CrashGuard]:
    crash_guard = CrashGuard()
    crash_guard.install()
    yield crash_guard
    crash_guard.uninstall()


def test_an_error_in_a_slot_writes_the_report_and_says_where(
    qtbot: Any, logs: Path, guard: CrashGuard, messages: Messages
) -> None:
    button = QPushButton("Break")
    qtbot.addWidget(button)

    def broken() -> None:
        raise RuntimeError("MRN100001 Avery Example")

    button.clicked.connect(broken)
    button.click()  # PySide6 hands an exception in a slot to sys.excepthook: ours
    reports = list(logs.glob("crash-*.txt"))
    assert len(reports) == 1
    assert "MRN100001" not in reports[0].read_text(encoding="utf-8")
    [(kind, title, _text, detail)] = messages.shown
    assert kind == "error" and title == "Unexpected error" and str(reports[0]) in detail


@pytest.mark.qt_log_ignore("^a Qt warning for the log$")
def test_qt_messages_go_to_the_log_too(qtbot: Any, logs: Path, guard: CrashGuard) -> None:
    qWarning("a Qt warning for the log")  # pytest-qt's own handler still sees it (chained): it is expected
    text = (logs / "checklist-app.log").read_text(encoding="utf-8")
    assert "checklist_app.qt: a Qt warning for the log" in text


def test_a_session_of_work_logs_ids_and_no_patient_data(
    qtbot: Any, logs: Path, svc: AppServices, nurse: User, make_case: Any, messages: Messages
) -> None:
    case = make_case({"imaging.reviewed": "met"}, name="Quinn Lognot", mrn="MRN777001")
    window = show_window(qtbot, svc, nurse)
    window.open_case(case.record_id)
    qtbot.waitUntil(lambda: window.checklist.case is not None)
    svc.cases.answer(nurse, window.checklist.case, "consent.signed", "met")
    window.lock()
    window.close()
    text = (logs / "checklist-app.log").read_text(encoding="utf-8")
    assert case.record_id in text and "nina" in text
    assert "Quinn" not in text and "Lognot" not in text and "MRN777001" not in text
