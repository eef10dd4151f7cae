"""The worklist: its table model (headless), the MRN scan field, and new cases from the scanner."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QApplication, QLabel

from checklist_app.domain.records import Patient, Procedure
from checklist_app.services.app import AppServices
from checklist_app.services.catalog import DEFAULT_FORM_ID, load_form
from checklist_app.services.models import CaseState, CaseSummary, User
from checklist_app.ui.cases.new_case_dialog import NewCaseDialog
from checklist_app.ui.cases.worklist_model import (
    COL_PATIENT,
    COL_PROCEDURE,
    COL_READINESS,
    COL_STATUS,
    COL_TIME,
    COLUMNS,
    WorklistModel,
)
from checklist_app.ui.shell.table_model import RECORD_ID_ROLE, SUMMARY_ROLE
from tests.helpers.forms import DRUG_READY, READY_ANSWERS, READY_NOTES
from tests.helpers.ui import NURSE_PASSWORD, Messages, focused, press, type_keys

Key = Qt.Key


def summary(record_id: str, state: str = "incomplete", **changes: Any) -> CaseSummary:
    values: dict[str, Any] = dict(
        record_id=record_id,
        status="draft",
        readiness_state=state,
        patient_name="Casey Sample",
        mrn="M1",
        birth_date=date(1970, 5, 6),
        procedure_type="caudal_epidural",
        level="L5-S1",
        laterality="right",
        scheduled_at=datetime(2026, 11, 24, 9, 30, tzinfo=UTC),
        nurse="nina",
        signed_at=None,
        printed_at=None,
        supersedes_id=None,
    )
    values.update(changes)
    return CaseSummary(**values)


def model_with(*rows: CaseSummary) -> WorklistModel:
    model = WorklistModel({"caudal_epidural": "Caudal epidural injection"})
    model.set_rows(rows)
    return model


def test_model_passes_the_qt_model_tester(qtmodeltester: Any) -> None:
    qtmodeltester.check(model_with(summary("a"), summary("b", "ready"), summary("c", "not_ready")))


def test_readiness_cell_has_word_glyph_and_colour() -> None:
    """Never colour alone: the cell text carries the word and a glyph."""
    model = model_with(summary("a", "not_ready"), summary("b", "ready"), summary("c", "incomplete"))
    texts = [model.index(n, COL_READINESS).data() for n in range(3)]
    assert texts == ["✖ NOT READY", "✓ READY", "◐ INCOMPLETE"]
    assert isinstance(model.index(0, COL_READINESS).data(Qt.ItemDataRole.BackgroundRole), QBrush)
    assert model.index(0, COL_PATIENT).data(Qt.ItemDataRole.BackgroundRole) is None


def test_cells_and_roles() -> None:
    model = model_with(summary("a"))
    assert model.columnCount() == len(COLUMNS) and model.rowCount() == 1
    assert model.rowCount(model.index(0, 0)) == 0  # a table: no children
    assert model.index(0, COL_PROCEDURE).data() == "Caudal L5-S1 R"
    assert "Caudal epidural injection" in model.index(0, COL_PROCEDURE).data(Qt.ItemDataRole.ToolTipRole)
    assert "born 06 May 1970" in model.index(0, COL_PATIENT).data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(0, COL_TIME).data() == datetime(2026, 11, 24, 9, 30, tzinfo=UTC).astimezone().strftime("%H:%M")
    assert model.index(0, 0).data(RECORD_ID_ROLE) == "a"
    assert model.index(0, 0).data(SUMMARY_ROLE).record_id == "a"
    assert model.headerData(COL_READINESS, Qt.Orientation.Horizontal) == "Readiness"
    assert model.data(QModelIndex()) is None


def test_update_case_changes_one_row_and_says_so(qtbot: Any, make_case: Callable[..., CaseState]) -> None:
    case = make_case({"consent.signed": "not_met"})
    model = model_with(summary("other"), summary(case.record_id, "incomplete"))
    with qtbot.waitSignal(model.dataChanged) as changed:
        model.update_case(case)
    assert changed.args[0].row() == 1 and changed.args[1].row() == 1
    assert model.index(1, COL_READINESS).data() == "✖ NOT READY"
    with qtbot.assertNotEmitted(model.dataChanged):
        model.update_case(case)  # nothing new: no signal


def test_worklist_lists_todays_cases_and_follows_answers(
    qtbot: Any, window: Any, make_case: Callable[..., CaseState]
) -> None:
    case = make_case(name="Harper Fictional")
    window.worklist.reload()
    model = window.worklist.model
    assert [r.patient_name for r in model.rows()] == ["Harper Fictional"]
    window.open_case(case.record_id)
    window.checklist.jump_to("consent.signed")
    press(qtbot, Key.Key_2)  # not met: a hard stop
    assert model.index(0, COL_READINESS).data() == "✖ NOT READY"


def test_scanning_a_known_mrn_opens_that_case(qtbot: Any, window: Any, make_case: Callable[..., CaseState]) -> None:
    make_case(mrn="MRN-A", name="Rowan Sample")
    wanted = make_case(mrn="MRN-B", name="Sage Testcase")
    window.worklist.reload()
    assert focused() is window.worklist.scan_edit
    type_keys(qtbot, " mrn-b ")
    press(qtbot, Key.Key_Return)
    assert window.checklist.case.record_id == wanted.record_id
    assert window.worklist.current_record_id() == wanted.record_id
    assert window.checklist.row("patient.two_identifiers").isAncestorOf(focused()) or focused() is window.checklist.row(
        "patient.two_identifiers"
    )


def test_enter_opens_the_selected_case(qtbot: Any, window: Any, make_case: Callable[..., CaseState]) -> None:
    case = make_case()
    window.worklist.reload()
    window.worklist.table.setFocus()
    qtbot.waitUntil(lambda: focused() is window.worklist.table)
    press(qtbot, Key.Key_Down)
    press(qtbot, Key.Key_Return)
    assert window.checklist.case is not None and window.checklist.case.record_id == case.record_id


def test_new_case_enter_moves_on_and_missing_fields_are_named(
    qtbot: Any, window: Any, svc: AppServices, nurse: User, messages: Messages
) -> None:
    """A scanner's Enter after the MRN moves to the name; Ctrl+Enter with fields missing names the first one."""
    dialog = window.new_case()
    assert isinstance(dialog, NewCaseDialog)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    assert focused() is dialog.mrn_edit
    type_keys(qtbot, "MRN42")
    press(qtbot, Key.Key_Return)
    assert focused() is dialog.name_edit and dialog.isVisible()
    type_keys(qtbot, "Dana Mockwell")
    press(qtbot, Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.isVisible() and dialog.error.text() == "Enter the date of birth as YYYY-MM-DD."
    assert focused() is dialog.birth_edit
    type_keys(qtbot, "2030-01-01")
    dialog.sex_combo.setCurrentIndex(1)
    dialog.type_combo.setCurrentIndex(1)
    dialog.side_combo.setCurrentIndex(1)
    dialog.time_edit.setText("23:50")
    dialog.submit()
    # The service refuses a birth date after the procedure, in its own words, next to the fields.
    assert dialog.isVisible() and "birth" in dialog.error.text().lower()
    assert svc.cases.worklist(nurse, date.today()) == []


def test_new_case_level_is_a_drop_down_of_the_form_levels_for_the_procedure_type(
    qtbot: Any, window: Any, svc: AppServices, nurse: User
) -> None:
    """Rules v2: the level is picked, not typed, from the form's list for the chosen type (no caudal injection at
    C6-C7), with the keyboard alone; the unsourced subarachnoid range says it needs clinician confirmation."""
    dialog = window.new_case()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    combo = dialog.level_combo
    assert not combo.isEditable()
    dialog.mrn_edit.setText("MRN77")
    dialog.name_edit.setText("Casey Levelcheck")
    dialog.birth_edit.setText("1970-05-06")
    dialog.sex_combo.setCurrentIndex(2)
    dialog.type_combo.setCurrentIndex(dialog.type_combo.findData("caudal_epidural"))
    assert [combo.itemText(n) for n in range(combo.count())] == ["Not known yet", "Sacral hiatus"]
    dialog.type_combo.setCurrentIndex(dialog.type_combo.findData("transforaminal_epidural"))
    form_levels = {p.code: p.levels for p in load_form(DEFAULT_FORM_ID).procedure_types}
    assert tuple(combo.itemData(n) for n in range(1, combo.count())) == form_levels["transforaminal_epidural"]
    assert not dialog.level_note.isVisibleTo(dialog)
    # Keyboard only: Tab from the procedure to the level, type its first characters, Enter moves on.
    dialog.type_combo.setFocus()
    qtbot.waitUntil(lambda: focused() is dialog.type_combo)
    press(qtbot, Key.Key_Tab)
    assert focused() is combo
    type_keys(qtbot, "C6")
    assert combo.currentText() == "C6-C7"
    press(qtbot, Key.Key_Down)
    assert combo.currentText() == "C7-T1"
    press(qtbot, Key.Key_Up)
    press(qtbot, Key.Key_Return)
    assert focused() is dialog.side_combo
    dialog.side_combo.setCurrentIndex(4)
    dialog.time_edit.setText("23:50")
    dialog.submit()
    assert not dialog.isVisible() and dialog.case is not None
    assert dialog.case.record.procedure.level == "C6-C7"


def test_new_case_subarachnoid_levels_are_marked_unconfirmed(qtbot: Any, window: Any) -> None:
    dialog = window.new_case()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    dialog.type_combo.setCurrentIndex(dialog.type_combo.findData("subarachnoid_injection"))
    assert dialog.level_note.isVisibleTo(dialog)
    assert "need clinician confirmation" in dialog.level_note.text()
    dialog.type_combo.setCurrentIndex(dialog.type_combo.findData("transforaminal_epidural"))
    assert not dialog.level_note.isVisibleTo(dialog)


def test_a_known_mrn_fills_in_its_patient_who_cannot_be_typed_differently(
    qtbot: Any, window: Any, svc: AppServices, nurse: User, make_case: Callable[..., CaseState]
) -> None:
    """Scanning an MRN from another day: the patient comes from it (name, birth date, sex locked), Enter goes on to
    the procedure, and the new case is that same patient."""
    earlier = make_case(name="Robin Example", mrn="MRN777001")
    dialog = window.new_case()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    type_keys(qtbot, "mrn777001")
    press(qtbot, Key.Key_Return)
    assert dialog.name_edit.text() == "Robin Example" and not dialog.name_edit.isEnabled()
    assert dialog.birth_edit.text() == earlier.record.patient.birth_date.isoformat()
    assert not dialog.birth_edit.isEnabled() and not dialog.sex_combo.isEnabled()
    assert dialog.sex_combo.currentData() == earlier.record.patient.sex
    assert dialog.known.isVisible() and focused() is dialog.type_combo
    dialog.mrn_edit.setFocus()
    type_keys(qtbot, "9")  # another MRN: the fields are free again
    assert dialog.name_edit.isEnabled() and dialog.name_edit.text() == "" and not dialog.known.isVisible()


def test_a_known_mrn_whose_name_was_corrected_since_its_signed_record_can_be_booked(
    qtbot: Any, window: Any, svc: AppServices, nurse: User, make_case: Callable[..., CaseState]
) -> None:
    """An ADT^A08 corrects the name after the MRN's last record was signed: the dialog fills in the corrected
    patient (not the signed record's old name) and Create books it."""
    signed = svc.documents.sign(nurse, NURSE_PASSWORD, make_case(READY_ANSWERS, name="Robin Oldname", mrn="MRN8801"))
    corrected = signed.record.patient.model_copy(update={"name": "Robin Newname"})
    svc.store.db.write(
        lambda conn: svc.store.patients.update_in(conn, corrected, issuer="", source="hl7", actor="adt", reference={})
    )
    dialog = window.new_case()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    type_keys(qtbot, "mrn8801")  # typed in another letter case: the registered MRN is what gets booked
    press(qtbot, Key.Key_Return)
    assert dialog.name_edit.text() == "Robin Newname" and not dialog.name_edit.isEnabled()
    assert dialog.mrn_edit.text() == "MRN8801"
    dialog.type_combo.setCurrentIndex(dialog.type_combo.findData("interlaminar_epidural"))
    dialog.side_combo.setCurrentIndex(1)
    dialog.time_edit.setText("23:50")
    dialog.submit()
    assert not dialog.isVisible(), dialog.error.text()
    assert dialog.case is not None and dialog.case.record.patient == corrected


def test_the_scheduled_day_and_time_are_plain_typing(qtbot: Any, window: Any, svc: AppServices, nurse: User) -> None:
    """Tab goes day → time (never into a month section), and typing 14:30 leaves the typed day as it was."""
    dialog = window.new_case(mrn="MRN880001")
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    dialog.day_edit.setFocus()
    dialog.day_edit.selectAll()
    type_keys(qtbot, "2026-12-02")
    press(qtbot, Key.Key_Tab)
    assert focused() is dialog.time_edit
    type_keys(qtbot, "14:30")
    assert dialog.day_edit.text() == "2026-12-02" and dialog.time_edit.text() == "14:30"
    dialog.name_edit.setText("Sam Placeholder")
    dialog.birth_edit.setText("1970-05-05")
    for combo in (dialog.sex_combo, dialog.type_combo, dialog.side_combo):
        combo.setCurrentIndex(1)
    dialog.day_edit.setText("2026-13-02")
    dialog.submit()
    assert dialog.error.text() == "Enter the scheduled day as YYYY-MM-DD." and focused() is dialog.day_edit
    dialog.day_edit.setText("2026-12-02")
    dialog.submit()
    assert dialog.case is not None
    assert dialog.case.record.procedure.scheduled_at.strftime("%Y-%m-%d %H:%M") == "2026-12-02 14:30"


def _case_waiting_for_apixaban(svc: AppServices, nurse: User, *, start_in_hours: float, mrn: str) -> CaseState:
    """A READY-looking case whose apixaban hold (72 h) ends one hour from now, scheduled `start_in_hours` away."""
    now = datetime.now().astimezone().replace(microsecond=0)
    patient = Patient(name=f"Wren {mrn}", birth_date=date(1960, 1, 15), mrn=mrn, sex="male")
    procedure = Procedure(
        type="interlaminar_epidural",
        level="L4-L5",
        laterality="left",
        scheduled_at=now + timedelta(hours=start_in_hours),
    )
    case = svc.cases.new_case(nurse, patient, procedure)
    answers = {
        **READY_ANSWERS,
        **DRUG_READY,
        "anticoagulants": [{"drug": "apixaban", "last_dose_at": (now - timedelta(hours=71)).isoformat()}],
    }
    for item_id, value in answers.items():
        note = READY_NOTES.get(item_id, "")
        if isinstance(value, dict):
            value, note = value["value"], value["note"]
        case = svc.cases.answer(nurse, case, item_id, value, note=note)
    return case


def _readiness_cell(view: Any, record_id: str) -> str:
    return str(view.model.index(view.model.row_of(record_id), COL_READINESS).data())


def test_worklist_says_when_a_case_waiting_for_a_hold_can_start(
    qtbot: Any, window: Any, svc: AppServices, nurse: User
) -> None:
    """Issue 11: a READY case whose hold ends before its start, and a delayed case blocked only by that hold,
    both show the time the hold ends; one with another blocker does not."""
    ready = _case_waiting_for_apixaban(svc, nurse, start_in_hours=3, mrn="MRN-W1")
    delayed = _case_waiting_for_apixaban(svc, nurse, start_in_hours=-0.5, mrn="MRN-W2")
    assert (ready.readiness.state, delayed.readiness.state) == ("ready", "not_ready")
    view = window.worklist
    ends = (datetime.now().astimezone() + timedelta(hours=1)).replace(second=0, microsecond=0)
    for case in (ready, delayed):
        view.set_day(case.record.procedure.scheduled_at.astimezone().date())
        cell = _readiness_cell(view, case.record_id)
        # The hold ends at 71 h + 1 h after the dose, shown rounded up to the minute.
        shown = {f"{ends + timedelta(minutes=m):%H:%M}" for m in (0, 1, 2)}
        assert "· ready from " in cell and any(cell.endswith(t) for t in shown), cell
        assert "a hold or a fast ends then" in view.model.index(view.model.row_of(case.record_id), COL_READINESS).data(
            Qt.ItemDataRole.ToolTipRole
        )
    assert _readiness_cell(view, delayed.record_id).startswith("✖ NOT READY · ready from ")
    # The consent withdrawn on the delayed case: waiting no longer helps, and the row says so at once.
    window.open_case(delayed.record_id)
    window.checklist.jump_to("consent.signed")
    press(qtbot, Key.Key_2)
    qtbot.waitUntil(lambda: _readiness_cell(view, delayed.record_id) == "✖ NOT READY")


def test_status_says_amendment_and_sent_or_printed() -> None:
    """Issue 12 items 3 and 8: an amendment draft is labelled as one; a record only sent is not called printed."""
    sent_at = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
    model = model_with(
        summary("a", supersedes_id="old"),
        summary("b", status="signed", printed_at=sent_at),
        summary("c", status="signed", printed_at=sent_at, print_outcome="printed"),
        summary("d"),
    )
    texts = [model.index(n, COL_STATUS).data() for n in range(4)]
    assert texts == ["Draft (amendment)", "Signed, sent to printer", "Signed, printed", "Draft"]


def test_the_checklist_header_labels_an_amendment_draft(
    qtbot: Any, svc: AppServices, nurse: User, make_case: Callable[..., CaseState]
) -> None:
    from checklist_app.services.demo import READY_ANSWERS
    from checklist_app.services.models import Role
    from tests.helpers.ui import NURSE_PASSWORD, OTHER_PASSWORD, show_window

    signed = svc.documents.sign(nurse, NURSE_PASSWORD, make_case(READY_ANSWERS))
    charge = svc.auth.create_user("chad", "Chad Charge", {Role.CHARGE_NURSE}, OTHER_PASSWORD, actor="test")
    draft = svc.documents.amend(charge, signed.record_id, "Level recorded as L4-L5, was L5-S1")
    window = show_window(qtbot, svc, charge)
    window.open_case(draft.record_id)
    assert window.checklist.findChild(QLabel, "recordStatus").text() == "Draft (amendment)"
    row = window.worklist.model.row_of(draft.record_id)
    assert window.worklist.model.index(row, COL_STATUS).data().startswith("Draft (amendment)")
