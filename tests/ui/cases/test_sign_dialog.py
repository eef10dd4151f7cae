"""Signing: the dialog says why it cannot sign; a wrong password changes nothing; overrides need a reason."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from checklist_app.services.app import AppServices
from checklist_app.services.models import CaseState, User
from checklist_app.ui.cases.sign_dialog import SignDialog
from tests.helpers.ui import DRUG_FOLLOW_UPS, NURSE_PASSWORD, READY_BUT_MEDS, focused, past, press, type_keys

Key = Qt.Key
READY = {**READY_BUT_MEDS, "anticoagulants": []}


def open_sign_dialog(qtbot: Any, window: Any, case: CaseState) -> SignDialog:
    window.open_case(case.record_id)
    press(qtbot, Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    dialog = window.findChild(SignDialog)
    assert dialog is not None
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    return dialog


def test_a_wrong_password_at_signing_changes_nothing(
    qtbot: Any, window: Any, svc: AppServices, nurse: User, make_case: Callable[..., CaseState]
) -> None:
    """The record stays a draft at the same version, the dialog stays open and says nothing was signed."""
    case = make_case(READY)
    dialog = open_sign_dialog(qtbot, window, case)
    assert dialog.sign_button.isEnabled() is False and "password" in dialog.reason.text()
    type_keys(qtbot, "not-my-password-1")
    assert dialog.sign_button.isEnabled()
    press(qtbot, Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.task.running)  # signing runs off the GUI thread

    assert dialog.isVisible() and dialog.signed is None
    assert "Nothing was signed" in dialog.reason.text()
    assert dialog.password_edit.text() == "" and focused() is dialog.password_edit
    stored = svc.cases.open_case(nurse, case.record_id)
    assert (stored.status, stored.version, stored.signed_at) == ("draft", case.version, None)
    assert svc.store.records.latest_pdf(case.record_id) is None
    assert window.checklist.case.status == "draft" and window.checklist.may_edit()

    type_keys(qtbot, NURSE_PASSWORD)  # and the right one still works
    with qtbot.waitSignal(dialog.accepted, timeout=30000):
        press(qtbot, Key.Key_Return)
    assert svc.cases.open_case(nurse, case.record_id).status == "signed"


def test_sign_button_explains_an_incomplete_checklist(
    qtbot: Any, window: Any, make_case: Callable[..., CaseState]
) -> None:
    dialog = open_sign_dialog(qtbot, window, make_case({"consent.signed": "met"}))
    type_keys(qtbot, NURSE_PASSWORD)
    assert not dialog.sign_button.isEnabled()
    assert dialog.reason.text().startswith("Not complete:")
    assert dialog.sign_button.toolTip() == dialog.reason.text()
    # Missing items by the words on the screen, never by their ids.
    first_missing = dialog._case.readiness.missing[0]
    assert first_missing not in dialog.reason.text()
    assert dialog._case.form.items[first_missing].text in dialog.reason.text()
    assert not dialog.override_edit.isVisible()


def test_a_hard_stop_cannot_be_overridden(qtbot: Any, window: Any, make_case: Callable[..., CaseState]) -> None:
    dialog = open_sign_dialog(qtbot, window, make_case({**READY, "consent.signed": "not_met"}))
    type_keys(qtbot, NURSE_PASSWORD)
    assert not dialog.sign_button.isEnabled() and "cannot be overridden" in dialog.reason.text()
    assert not dialog.override_edit.isVisible()


def test_an_overridable_blocker_signs_with_a_typed_reason(
    qtbot: Any, window: Any, svc: AppServices, nurse: User, make_case: Callable[..., CaseState]
) -> None:
    """NOT READY because of a short apixaban hold: the override reason and the name of the proceduralist who
    authorised it enable signing, and both are in the text."""
    meds = [{"drug": "apixaban", "last_dose_at": past(10).isoformat()}]
    case = make_case({**READY_BUT_MEDS, **DRUG_FOLLOW_UPS, "anticoagulants": meds})
    assert case.readiness.state == "not_ready" and case.readiness.can_override
    dialog = open_sign_dialog(qtbot, window, case)
    assert focused() is dialog.override_edit
    assert "Apixaban held" in dialog.findChild(type(dialog.reason), "signBlockers").text()
    assert "proceduralist" in dialog.authorised_edit.placeholderText()
    press(qtbot, Key.Key_Tab)
    assert focused() is dialog.authorised_edit
    press(qtbot, Key.Key_Tab)
    type_keys(qtbot, NURSE_PASSWORD)
    assert not dialog.sign_button.isEnabled() and "override reason" in dialog.reason.text()
    dialog.override_edit.setFocus()
    type_keys(qtbot, "Haematology approved proceeding")
    assert not dialog.sign_button.isEnabled() and "who authorised it" in dialog.reason.text()
    press(qtbot, Key.Key_Return)  # Enter moves on to the authoriser
    assert focused() is dialog.authorised_edit
    type_keys(qtbot, "Dr. Amara Rivera")
    assert dialog.sign_button.isEnabled()
    assert "Haematology approved proceeding" in dialog.manifestation.text()
    assert "Authorised by: Dr. Amara Rivera" in dialog.manifestation.text()
    with qtbot.waitSignal(dialog.accepted, timeout=30000):
        qtbot.mouseClick(dialog.sign_button, Qt.MouseButton.LeftButton)
    stored = svc.store.records.get(case.record_id)
    assert stored.status == "signed"
    assert stored.signatures[0].override_reason == "Haematology approved proceeding"
    assert stored.signatures[0].override_authorised_by == "Dr. Amara Rivera"
    assert isinstance(stored.signed_at, datetime)


def test_an_amendment_draft_is_signed_as_amended_by(
    qtbot: Any, svc: AppServices, nurse: User, make_case: Callable[..., CaseState]
) -> None:
    """The charge nurse completes the amendment she started: the dialog says “Amended by”, not “Prepared by”."""
    from checklist_app.services.models import Role
    from tests.helpers.ui import OTHER_PASSWORD, show_window

    signed = svc.documents.sign(nurse, NURSE_PASSWORD, make_case(READY))
    charge = svc.auth.create_user("chad", "Chad Charge", {Role.CHARGE_NURSE}, OTHER_PASSWORD, actor="test")
    draft = svc.documents.amend(charge, signed.record_id, "Level recorded as L4-L5, was L5-S1")
    window = show_window(qtbot, svc, charge)
    dialog = open_sign_dialog(qtbot, window, draft)
    assert dialog.windowTitle().endswith("Amended by")
    assert dialog.manifestation.text().startswith("Amended by: Chad Charge")
    type_keys(qtbot, OTHER_PASSWORD)
    with qtbot.waitSignal(dialog.accepted, timeout=30000):
        press(qtbot, Key.Key_Return)
    assert svc.store.records.get(draft.record_id).status == "signed"


def test_the_password_prompt_is_a_hint_not_an_error(
    qtbot: Any, window: Any, make_case: Callable[..., CaseState]
) -> None:
    """Before anything went wrong, "Enter your password" is not shown as a red refusal."""
    dialog = open_sign_dialog(qtbot, window, make_case(READY))
    assert dialog.reason.text() == "Enter your password to sign."
    assert dialog.reason.property("hint") is True
    assert dialog.reason.palette().color(dialog.reason.foregroundRole()).name() == "#444444"
    type_keys(qtbot, "wrong-password-9")
    press(qtbot, Key.Key_Return)
    qtbot.waitUntil(lambda: "Nothing was signed" in dialog.reason.text(), timeout=30000)  # signing runs off the GUI
    assert dialog.reason.property("hint") is False
    assert dialog.reason.palette().color(dialog.reason.foregroundRole()).name() == "#9b1c15"
