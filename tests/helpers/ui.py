"""UI test helpers: the passwords and answers the UI fixtures use, the message recorder, windows and typing."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything imports Qt

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from checklist_app.services.app import AppServices
from checklist_app.services.demo import READY_ANSWERS
from checklist_app.services.models import User

NURSE_PASSWORD = "ready-set-go-2026"
OTHER_PASSWORD = "second-shift-2026"

# Everything but the medication list: a case that is READY once "none taken" is answered.
READY_BUT_MEDS: dict[str, Any] = {k: v for k, v in READY_ANSWERS.items() if k != "anticoagulants"}
# What a listed anticoagulant needs besides its hold (Rules v2), ignored until one is listed.
DRUG_FOLLOW_UPS: dict[str, Any] = {
    "thrombotic_risk.high": "no",
    "antithrombotic.prescriber_agreed": {"value": "met", "note": "Dr. Okafor"},
}


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


def today_at(hour: int, minute: int = 0) -> datetime:
    return datetime.combine(date.today(), datetime.min.time()).replace(hour=hour, minute=minute).astimezone()


def show_window(qtbot: Any, svc: AppServices, user: User) -> Any:
    from checklist_app.ui.shell.main_window import MainWindow

    window = MainWindow(svc, user)
    qtbot.addWidget(window)
    window.resize(1280, 900)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    return window


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
