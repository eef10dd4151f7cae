"""One record open on two workstations: the second writer is told, and sees the first one's answer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt

from checklist_app.services.app import AppServices
from checklist_app.services.models import CaseState, User
from tests.helpers.ui import Messages, show_window


def test_a_record_open_in_two_windows_shows_the_conflict(
    qtbot: Any,
    svc: AppServices,
    other_svc: AppServices,
    nurse: User,
    messages: Messages,
    make_case: Callable[..., CaseState],
) -> None:
    """Window B answers after window A changed the record: B shows the conflict, reloads, and nothing is lost
    silently — A's answer is there, B's was not written over it."""
    case = make_case()
    first = show_window(qtbot, svc, nurse)
    second = show_window(qtbot, other_svc, nurse)
    first.open_case(case.record_id)
    second.open_case(case.record_id)

    qtbot.keyClick(first.checklist.row("consent.signed"), Qt.Key.Key_Space)
    assert first.checklist.row("consent.signed").buttons["met"].isChecked()
    assert messages.shown == []

    qtbot.keyClick(second.checklist.row("imaging.reviewed"), Qt.Key.Key_2)  # B still holds the old version

    assert messages.kinds() == ["warn"]
    assert "changed on another workstation" in messages.texts()
    b = second.checklist
    assert b.case.version == svc.store.records.get(case.record_id).version  # reloaded
    assert b.row("consent.signed").buttons["met"].isChecked()  # A's answer now shows in B
    assert not b.row("imaging.reviewed").buttons["not_met"].isChecked()  # B's was not saved …
    assert b.case.record.value("imaging.reviewed") is None
    assert svc.store.records.get(case.record_id).record.value("imaging.reviewed") is None

    qtbot.keyClick(b.row("imaging.reviewed"), Qt.Key.Key_2)  # … and can be given again, now it is current
    assert svc.store.records.get(case.record_id).record.value("imaging.reviewed") == "not_met"
    assert messages.kinds() == ["warn"]
