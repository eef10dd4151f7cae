"""Cases that do not go ahead, from the keyboard: Ctrl+Shift+R moves a draft to a new time (audited, judged
again); Ctrl+Shift+X signs it "Not ready — procedure cancelled" with its reason, and it never reaches the print
queue. Real widgets on a real SQLite database; synthetic data only."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from checklist_app.services.app import AppServices
from checklist_app.services.models import CaseState, User
from checklist_app.ui.cases.outcome_dialogs import TIME_FORMAT, CancelCaseDialog, RescheduleDialog
from tests.helpers.ui import NURSE_PASSWORD, focused, press, type_keys

Key = Qt.Key
SHIFT_CTRL = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def _open(qtbot: Any, window: Any, case: CaseState, key: Qt.Key, kind: type) -> Any:
    window.open_case(case.record_id)
    press(qtbot, key, SHIFT_CTRL)
    dialog = window.findChild(kind)
    assert dialog is not None
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    return dialog


def test_reschedule_from_the_keyboard_moves_the_case(
    qtbot: Any, window: Any, svc: AppServices, nurse: User, make_case: Callable[..., CaseState]
) -> None:
    """The time field starts with the case's time selected; typing a new one, Enter, a reason, Enter moves it."""
    case = make_case({"consent.signed": "met"})
    dialog = _open(qtbot, window, case, Key.Key_R, RescheduleDialog)
    old = case.record.procedure.scheduled_at.astimezone()
    assert focused() is dialog.time_edit and dialog.time_edit.selectedText() == old.strftime(TIME_FORMAT)
    assert not dialog.confirm_button.isEnabled() and dialog.message.property("error") is not True
    new = (old + timedelta(days=2)).replace(hour=9, minute=30)
    type_keys(qtbot, new.strftime(TIME_FORMAT))
    press(qtbot, Key.Key_Return)
    assert focused() is dialog.reason_edit and dialog.message.text() == "Say why the case moves."
    type_keys(qtbot, "patient has a cold")
    with qtbot.waitSignal(dialog.accepted, timeout=10000):
        press(qtbot, Key.Key_Return)
    stored = svc.cases.open_case(nurse, case.record_id)
    assert stored.status == "draft" and stored.record.procedure.scheduled_at == new
    assert stored.record.answers.keys() == case.record.answers.keys()
    entry = [e for e in svc.store.audit.entries(record_id=case.record_id) if e.action == "record.rescheduled"][-1]
    assert entry.detail["reason"] == "patient has a cold" and entry.actor == nurse.username
    assert window.checklist.case.record.procedure.scheduled_at == new


def test_a_mistyped_time_is_said_in_words_and_changes_nothing(
    qtbot: Any, window: Any, svc: AppServices, nurse: User, make_case: Callable[..., CaseState]
) -> None:
    case = make_case()
    dialog = _open(qtbot, window, case, Key.Key_R, RescheduleDialog)
    type_keys(qtbot, "friday")
    assert dialog.message.text() == "Type the new date and time as 2026-12-04 09:30."
    assert not dialog.confirm_button.isEnabled()
    press(qtbot, Key.Key_Escape)
    assert (
        svc.cases.open_case(nurse, case.record_id).record.procedure.scheduled_at == case.record.procedure.scheduled_at
    )


def test_cancel_signs_not_ready_with_the_reason(
    qtbot: Any, window: Any, svc: AppServices, nurse: User, make_case: Callable[..., CaseState]
) -> None:
    """Reason, Enter, password, Enter: the record is cancelled, signed, and never in the print queue."""
    case = make_case({"consent.signed": "not_met"})
    dialog = _open(qtbot, window, case, Key.Key_X, CancelCaseDialog)
    assert (
        focused() is dialog.reason_edit
        and "Not ready — procedure cancelled" in dialog.findChild(type(dialog.message), "cancelWords").text()
    )
    assert dialog.message.text() == "Say why the procedure is cancelled."
    type_keys(qtbot, "procedure no longer indicated")
    press(qtbot, Key.Key_Return)
    assert focused() is dialog.password_edit and dialog.message.text() == "Then your password, to sign."
    type_keys(qtbot, "wrong-password-1")
    press(qtbot, Key.Key_Return)
    # Signing runs on the worker pool: the dialog stays responsive and says the outcome when it is known.
    qtbot.waitUntil(lambda: "Nothing was signed" in dialog.message.text(), timeout=30000)
    assert dialog.isVisible() and focused() is dialog.password_edit
    assert dialog.message.property("error") is True
    type_keys(qtbot, NURSE_PASSWORD)
    with qtbot.waitSignal(dialog.accepted, timeout=30000):
        press(qtbot, Key.Key_Return)
    row = svc.store.records.get(case.record_id)
    assert row.status == "cancelled"
    (signature,) = row.signatures
    assert signature.meaning == "cancelled" and signature.override_reason == "procedure no longer indicated"
    assert "Not ready — procedure cancelled" in signature.manifestation
    assert case.record_id not in [r.record_id for r in svc.cases.print_queue()]
    assert window.checklist.case.status == "cancelled" and not window.checklist.may_edit()
