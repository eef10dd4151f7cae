"""UI test fixtures: real AppServices on a temporary SQLite file, real users, a qtbot-driven main window."""

from __future__ import annotations

import os

from checklist_app.services.demo import READY_ANSWERS, READY_NOTES

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything imports Qt

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from checklist_app.domain.records import Patient, Procedure
from checklist_app.services.app import AppServices
from checklist_app.services.models import CaseState, Role, User
from checklist_app.ui import msgbox

NURSE_PASSWORD = "ready-set-go-2026"
OTHER_PASSWORD = "second-shift-2026"

# Everything but the medication list: a case that is READY once "none taken" is answered.
READY_BUT_MEDS: dict[str, Any] = {k: v for k, v in READY_ANSWERS.items() if k != "anticoagulants"}
# What a listed anticoagulant needs besides its hold (Rules v2), ignored until one is listed.
DRUG_FOLLOW_UPS: dict[str, Any] = {"thrombotic_risk.high": "no",
                                   "antithrombotic.prescriber_agreed": {"value": "met", "note": "Dr. Okafor"}}


@pytest.fixture(scope="session", autouse=True)
def app_style(qapp: QApplication) -> None:
    """The shipped stylesheet and fonts: tests lay out and measure what the user sees."""
    from checklist_app.ui.style import apply_style

    apply_style(qapp)


@dataclass
class Messages:
    """Every message box the UI tried to show, as (kind, title, text, detail)."""

    shown: list[tuple[str, str, str, str]] = field(default_factory=list)
    confirm_answer: bool = True
    save_path: str | None = None

    def kinds(self) -> list[str]:
        return [m[0] for m in self.shown]

    def texts(self) -> str:
        return "\n".join(f"{m[1]}: {m[2]} {m[3]}" for m in self.shown)


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
def db_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CHECKLIST_SITE_SECRET_FILE", str(tmp_path / "site.secret"))
    return tmp_path / "t.db"


@pytest.fixture
def svc(db_path: Path) -> Iterator[AppServices]:
    services = AppServices.open(f"sqlite:///{db_path}")
    yield services
    services.close()


@pytest.fixture
def other_svc(db_path: Path, svc: AppServices) -> Iterator[AppServices]:
    """A second workstation on the same database."""
    services = AppServices.open(f"sqlite:///{db_path}")
    yield services
    services.close()


@pytest.fixture
def nurse(svc: AppServices) -> User:
    return svc.auth.create_user("nina", "Nina Nurse", {Role.NURSE}, NURSE_PASSWORD, actor="test")


@pytest.fixture
def coordinator(svc: AppServices) -> User:
    return svc.auth.create_user("cora", "Cora Coordinator", {Role.COORDINATOR}, OTHER_PASSWORD, actor="test")


def today_at(hour: int, minute: int = 0) -> datetime:
    return datetime.combine(date.today(), datetime.min.time()).replace(hour=hour, minute=minute).astimezone()


@pytest.fixture
def make_case(svc: AppServices, nurse: User) -> Callable[..., CaseState]:
    """A case for today (late in the day, so 'now' is never after it), optionally with answers."""

    def make(answers: dict[str, Any] | None = None, *, name: str = "Avery Example", mrn: str = "MRN100001",
             sex: str = "male") -> CaseState:
        patient = Patient(name=name, birth_date=date(1960, 1, 15), mrn=mrn, sex=sex)  # type: ignore[arg-type]
        procedure = Procedure(type="interlaminar_epidural", level="L4-L5", laterality="left",
                              scheduled_at=today_at(23, 30))
        case = svc.cases.new_case(nurse, patient, procedure)
        for item_id, value in (answers or {}).items():
            note = READY_NOTES.get(item_id, "")
            if isinstance(value, dict) and "value" in value:  # {value, note} as in the record JSON
                value, note = value["value"], value.get("note", "")
            case = svc.cases.answer(nurse, case, item_id, value, note=note)
        return case

    return make


def show_window(qtbot: Any, svc: AppServices, user: User) -> Any:
    from checklist_app.ui.main_window import MainWindow

    window = MainWindow(svc, user)
    qtbot.addWidget(window)
    window.resize(1280, 900)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    return window


@pytest.fixture
def window(qtbot: Any, svc: AppServices, nurse: User, messages: Messages) -> Any:
    """The nurse's main window, shown and active."""
    return show_window(qtbot, svc, nurse)


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def type_keys(qtbot: Any, text: str) -> None:
    """Type into whatever has the focus, as a person would."""
    qtbot.keyClicks(focused(), text)


def press(qtbot: Any, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(focused(), key, modifier)


def past(hours: float) -> datetime:
    return (datetime.now().astimezone() - timedelta(hours=hours)).replace(second=0, microsecond=0)
