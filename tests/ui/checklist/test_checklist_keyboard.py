"""A nurse's whole case by keyboard: scan, new case, every answer, sign — and the PDF preview after."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from checklist_app.services.app import AppServices
from checklist_app.services.demo import READY_NOTES
from checklist_app.services.models import User
from checklist_app.ui.cases.new_case_dialog import NewCaseDialog
from checklist_app.ui.cases.sign_dialog import SignDialog
from checklist_app.ui.checklist.checklist_view import ChecklistView
from checklist_app.ui.records.pdf_preview import PdfPreviewDialog
from tests.helpers.ui import NURSE_PASSWORD, READY_BUT_MEDS, focused, press, type_keys

Key = Qt.Key


def answer_current(qtbot: Any, checklist: ChecklistView, item_id: str, key: Qt.Key) -> None:
    """The focused item must be the expected one; one key answers it and moves on."""
    row = checklist.row(item_id)
    qtbot.waitUntil(lambda: row.isAncestorOf(focused()) or focused() is row)
    press(qtbot, key)


def test_nurse_completes_a_case_by_keyboard_alone_and_signs(
    qtbot: Any, window: Any, svc: AppServices, nurse: User
) -> None:
    """From the MRN scan to the signed PDF, with no mouse: every answer is saved as it is given."""
    assert focused() is window.worklist.scan_edit  # the scanner can fire straight away
    type_keys(qtbot, "MRN555")
    press(qtbot, Key.Key_Return)  # unknown MRN: the new-case dialog opens with it filled in

    dialog = window.findChild(NewCaseDialog)
    qtbot.waitUntil(lambda: dialog.isVisible() and focused() is dialog.name_edit)
    assert dialog.mrn_edit.text() == "MRN555"
    for text in ("Robin Example", "1961-04-02", "m", "i", "L4-L5", "l"):
        type_keys(qtbot, text)
        press(qtbot, Key.Key_Return)
    press(qtbot, Key.Key_Return)  # the day: today
    type_keys(qtbot, "23:45")
    with qtbot.waitSignal(dialog.accepted, timeout=5000):
        press(qtbot, Key.Key_Return)

    checklist: ChecklistView = window.checklist
    case = checklist.case
    assert case is not None and case.record.patient.mrn == "MRN555"
    assert case.record.patient.sex == "male" and case.record.procedure.laterality == "left"
    assert case.record.procedure.type == "interlaminar_epidural"
    assert checklist.banner.state == "incomplete"

    keys = {"met": Key.Key_Space, "no": Key.Key_2, "dexamethasone": Key.Key_1}
    # In the form's order (the loop below answers whichever item has the focus).
    order = [i for i in case.form.items if i in READY_BUT_MEDS]
    for item_id in order:
        value = READY_BUT_MEDS[item_id]
        if item_id == "bleeding_risk.elevated":
            # The medication list comes first in the form: type "none" in its drug picker.
            row = checklist.row("anticoagulants")
            qtbot.waitUntil(lambda row=row: row.isAncestorOf(focused()))
            type_keys(qtbot, "none")
            press(qtbot, Key.Key_Return)
        answer_current(qtbot, checklist, item_id, keys[value])
        if item_id in READY_NOTES:  # "present" asks for the name right there; Enter saves it and moves on
            note = checklist.row(item_id).note_edit
            qtbot.waitUntil(lambda note=note: focused() is note)
            type_keys(qtbot, READY_NOTES[item_id])
            press(qtbot, Key.Key_Return)
            assert svc.cases.open_case(nurse, case.record_id).record.answers[item_id].note == READY_NOTES[item_id]
        # Saved before the next key: the store already has it.
        assert svc.cases.open_case(nurse, case.record_id).record.value(item_id) == value

    assert checklist.banner.state == "ready"
    assert window.save_label.text().startswith("Saved ")
    assert svc.cases.open_case(nurse, case.record_id).record.value("anticoagulants") == []

    press(qtbot, Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    sign = window.findChild(SignDialog)
    qtbot.waitUntil(lambda: sign.isVisible() and focused() is sign.password_edit)
    assert "Nina Nurse" in sign.manifestation.text()
    type_keys(qtbot, NURSE_PASSWORD)
    with qtbot.waitSignal(sign.accepted, timeout=30000):
        press(qtbot, Key.Key_Return)

    stored = svc.cases.open_case(nurse, case.record_id)
    assert stored.status == "signed"
    assert checklist.case.status == "signed" and not checklist.may_edit()
    qtbot.waitUntil(lambda: window.findChild(PdfPreviewDialog) is not None, timeout=30000)  # checked off the GUI
    preview = window.findChild(PdfPreviewDialog)
    qtbot.waitUntil(lambda: preview.isVisible())
    assert preview.document.pageCount() >= 1
