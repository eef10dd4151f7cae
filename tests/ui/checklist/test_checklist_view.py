"""The checklist view: items follow the form's conditions, blockers follow the answers, errors stay visible."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from checklist_app.services.app import AppServices
from checklist_app.services.models import CaseState, User
from checklist_app.store import Store
from checklist_app.ui.checklist.checklist_view import ChecklistView
from checklist_app.ui.checklist.datetime_entry import moment_text
from checklist_app.ui.checklist.medication_widget import MedicationListRow
from tests.helpers.ui import DRUG_FOLLOW_UPS, READY_BUT_MEDS, Messages, focused, past, press, show_window, type_keys

Key = Qt.Key


def open_in(window: Any, case: CaseState) -> ChecklistView:
    window.open_case(case.record_id)
    checklist: ChecklistView = window.checklist
    assert checklist.case is not None and checklist.case.record_id == case.record_id
    return checklist


def test_a_blocker_appears_and_disappears_as_the_last_dose_time_changes(
    qtbot: Any, window: Any, make_case: Callable[..., CaseState], svc: AppServices, nurse: User
) -> None:
    """Apixaban taken now blocks (72 h hold); moved back 100 h it no longer does; 10 h ago it blocks again."""
    checklist = open_in(window, make_case({**READY_BUT_MEDS, **DRUG_FOLLOW_UPS}))
    assert checklist.banner.state == "incomplete"
    row = checklist.row("anticoagulants")
    assert isinstance(row, MedicationListRow)
    checklist.jump_to("anticoagulants")
    qtbot.waitUntil(lambda: focused() is row.picker)
    type_keys(qtbot, "apix")
    press(qtbot, Key.Key_Return)
    qtbot.waitUntil(lambda: focused() is row.new_dose.edit)
    type_keys(qtbot, "now")
    press(qtbot, Key.Key_Return)

    assert checklist.banner.state == "not_ready"
    links = [link for link in checklist.banner.finding_links() if link.item_id == "anticoagulants"]
    assert links and "of the required 72 h; eligible from" in links[0].text()  # the nurse's words, with the time
    assert row.property("finding") == "blocker"

    def set_last_dose(hours_ago: float) -> None:
        entry = row.findChild(type(row.new_dose), "lastDose:apixaban")
        entry.edit.setFocus()
        qtbot.waitUntil(lambda: focused() is entry.edit)
        entry.edit.selectAll()
        type_keys(qtbot, moment_text(past(hours_ago)))
        press(qtbot, Key.Key_Return)

    set_last_dose(100)
    assert checklist.banner.state == "ready"  # 100 h is within the 72–120 h range: a warning, not a blocker
    assert not [link for link in checklist.banner.finding_links() if link.property("finding") == "blocker"]
    stored = svc.cases.open_case(nurse, checklist.case.record_id).record.value("anticoagulants")
    assert stored[0]["drug"] == "apixaban"

    set_last_dose(10)
    assert checklist.banner.state == "not_ready"
    assert any("Apixaban held" in link.text() for link in checklist.banner.finding_links())


def test_items_appear_and_disappear_with_the_forms_conditions(
    qtbot: Any, window: Any, make_case: Callable[..., CaseState]
) -> None:
    """Sedation 'yes' shows the fasting, escort, IV and sedation-provider items; 'no' hides them again."""
    checklist = open_in(window, make_case())
    sedation_items = (
        "glp1.taking",
        "fasting.last_solids_at",
        "fasting.last_clear_liquids_at",
        "escort.arranged",
        "iv.access",
        "sedation.monitoring_ready",
        "personnel.sedation_provider",
    )
    assert all(checklist.row(i).isHidden() for i in sedation_items)
    assert checklist.row("pregnancy.status").isHidden()  # a man of 66: never asked
    checklist.jump_to("sedation.planned")
    press(qtbot, Key.Key_1)
    assert not any(checklist.row(i).isHidden() for i in sedation_items)
    assert focused() is checklist.row("glp1.taking")  # moved on to the first item that appeared
    checklist.jump_to("sedation.planned")
    press(qtbot, Key.Key_2)
    assert all(checklist.row(i).isHidden() for i in sedation_items)


def test_banner_blocker_jumps_to_its_item(qtbot: Any, window: Any, make_case: Callable[..., CaseState]) -> None:
    """Clicking a blocker in the banner focuses the item it is about."""
    checklist = open_in(window, make_case({"consent.signed": "not_met"}))
    link = next(link for link in checklist.banner.finding_links() if link.item_id == "consent.signed")
    assert "hard stop" in link.text()
    qtbot.mouseClick(link, Qt.MouseButton.LeftButton)
    assert focused() is checklist.row("consent.signed")
    press(qtbot, Key.Key_F8)  # F8 walks the problems in form order: the next unanswered item
    assert focused() is checklist.row("procedure.verified")


def test_na_asks_for_the_reason_before_it_is_saved(
    qtbot: Any, window: Any, svc: AppServices, nurse: User, make_case: Callable[..., CaseState]
) -> None:
    """Pressing 3 on an item that allows N/A opens the reason field; only Enter with a reason saves it."""
    checklist = open_in(window, make_case())
    row = checklist.row("site.marked")
    checklist.jump_to("site.marked")
    press(qtbot, Key.Key_3)
    assert focused() is row.reason_edit
    press(qtbot, Key.Key_Return)
    assert "needs a reason" in row.message_label.text()
    record_id = checklist.case.record_id
    assert svc.cases.open_case(nurse, record_id).record.value("site.marked") is None
    type_keys(qtbot, "midline approach")
    press(qtbot, Key.Key_Return)
    answer = svc.cases.open_case(nurse, record_id).record.answers["site.marked"]
    assert (answer.value, answer.reason) == ("na", "midline approach")
    assert "3  N/A" in [b.text() for b in row.buttons.values() if b.isChecked()]


def test_hard_stop_items_offer_no_na(window: Any, make_case: Callable[..., CaseState]) -> None:
    checklist = open_in(window, make_case())
    assert set(checklist.row("consent.signed").buttons) == {"met", "not_met"}


def test_a_future_time_is_refused_next_to_the_item_and_not_saved(
    qtbot: Any, window: Any, svc: AppServices, nurse: User, make_case: Callable[..., CaseState]
) -> None:
    """The service's RecordError is shown inline; nothing is saved and the typed text stays for correction."""
    checklist = open_in(window, make_case({"sedation.planned": "yes"}))
    row = checklist.row("fasting.last_solids_at")
    checklist.jump_to("fasting.last_solids_at")
    future = moment_text(past(-3))
    type_keys(qtbot, future)
    press(qtbot, Key.Key_Return)
    message = row.message_label.text()
    assert message.startswith("Not saved") and "is in the future" in message and "+00:00" not in message
    assert row.property("pending") is True
    assert row.entry.text() == future and focused() is row.entry.edit  # stays for correction
    assert svc.cases.open_case(nurse, checklist.case.record_id).record.value("fasting.last_solids_at") is None
    row.entry.edit.selectAll()
    type_keys(qtbot, "now")
    press(qtbot, Key.Key_Return)
    assert not row.message_label.isVisible() and row.property("pending") is False
    assert svc.cases.open_case(nurse, checklist.case.record_id).record.value("fasting.last_solids_at")


def test_a_number_is_saved_with_its_unit_and_range_checked(
    qtbot: Any, window: Any, svc: AppServices, nurse: User, make_case: Callable[..., CaseState]
) -> None:
    """Glucose appears with diabetes; an implausible value is refused inline, a high one warns."""
    checklist = open_in(window, make_case({"diabetes.present": "yes"}))
    row = checklist.row("glucose.mg_dl")
    assert not row.isHidden()
    checklist.jump_to("glucose.mg_dl")
    type_keys(qtbot, "5000")
    press(qtbot, Key.Key_Return)
    assert "outside the plausible range" in row.message_label.text()
    row.edit.selectAll()
    type_keys(qtbot, "240")
    press(qtbot, Key.Key_Return)
    assert row.property("finding") == "warning"
    assert svc.cases.open_case(nurse, checklist.case.record_id).record.value("glucose.mg_dl") == 240


@pytest.fixture
def fragile_svc(db_path: Path, svc: AppServices) -> Iterator[AppServices]:
    """Services that give up at once when the database is locked (the default waits seconds, then retries)."""
    services = AppServices(Store.open(f"sqlite:///{db_path}", busy_timeout_s=0.05, retries=0))
    yield services
    services.close()


def test_database_unavailable_keeps_the_value_marked_not_saved_until_retry(
    qtbot: Any,
    fragile_svc: AppServices,
    svc: AppServices,
    nurse: User,
    messages: Messages,
    make_case: Callable[..., CaseState],
    db_path: Path,
) -> None:
    """Another program holding the database: the answer stays on screen as 'not saved'; Retry saves it."""
    window = show_window(qtbot, fragile_svc, nurse)
    checklist = open_in(window, make_case())
    row = checklist.row("consent.signed")
    blocker = sqlite3.connect(db_path, isolation_level=None)
    try:
        blocker.execute("BEGIN IMMEDIATE")  # hold the write lock, as a stuck workstation would
        checklist.jump_to("consent.signed")
        with qtbot.waitSignal(checklist.store_problem, timeout=5000):
            press(qtbot, Key.Key_Space)
        assert row.buttons["met"].isChecked()  # what the nurse chose is still shown …
        assert row.property("pending") is True and "Not saved" in row.message_label.text()  # … as not saved
        assert checklist.store_error.isVisible()
        assert window.save_label.text().startswith("NOT SAVED")
        # Read the store directly: open_case would log a view, a write the held lock refuses.
        assert svc.store.records.get(checklist.case.record_id).record.value("consent.signed") is None
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    qtbot.mouseClick(checklist.retry_button, Qt.MouseButton.LeftButton)
    assert not checklist.store_error.isVisible() and row.property("pending") is False
    assert svc.cases.open_case(nurse, checklist.case.record_id).record.value("consent.signed") == "met"
    assert window.save_label.text().startswith("Saved ")
    assert messages.shown == []


def test_a_note_is_saved_with_the_answer_and_kept_when_the_answer_changes(
    qtbot: Any, window: Any, svc: AppServices, nurse: User, make_case: Callable[..., CaseState]
) -> None:
    """'Proceduralist present (name in the note)': present opens the note (v2: it counts only with the name),
    Enter saves it and moves on; N opens the note of any item; a changed answer keeps the note."""
    checklist = open_in(window, make_case())
    row = checklist.row("personnel.proceduralist")
    checklist.jump_to("personnel.proceduralist")
    press(qtbot, Key.Key_Space)
    assert focused() is row.note_edit
    assert "personnel.proceduralist" in checklist.case.readiness.missing  # met, but no name yet
    type_keys(qtbot, "Dr Sam Example")
    press(qtbot, Key.Key_Return)
    assert focused() is checklist.row("personnel.radiologic_technologist")  # named: on to the next item
    stored = svc.store.records.get(checklist.case.record_id).record.answers["personnel.proceduralist"]
    assert (stored.value, stored.note) == ("met", "Dr Sam Example")
    assert "personnel.proceduralist" not in checklist.case.readiness.missing
    checklist.jump_to("personnel.proceduralist")
    press(qtbot, Key.Key_N)
    assert focused() is row.note_edit
    press(qtbot, Key.Key_Escape)
    checklist.jump_to("personnel.proceduralist")
    press(qtbot, Key.Key_2)
    stored = svc.store.records.get(checklist.case.record_id).record.answers["personnel.proceduralist"]
    assert (stored.value, stored.note) == ("not_met", "Dr Sam Example")
    assert row.note_edit.isVisible() and row.note_edit.text() == "Dr Sam Example"


def test_rows_fit_the_visible_width_at_any_scaling(
    qtbot: Any, window: Any, make_case: Callable[..., CaseState]
) -> None:
    """Little width (200% scaling, half a screen): answers move under the text; nothing is cut off at the side."""
    checklist = open_in(
        window,
        make_case(
            {"sedation.planned": "yes", "anticoagulants": [{"drug": "apixaban", "last_dose_at": past(30).isoformat()}]}
        ),
    )
    viewport = checklist.scroll_area.viewport()
    assert not checklist.row("consent.signed").narrow
    assert checklist.body.minimumSizeHint().width() <= viewport.width()
    window.cases_page.setSizes([window.width() - 470, 470])
    qtbot.waitUntil(lambda: checklist.row("consent.signed").narrow)
    assert all(row.narrow for row in checklist._rows.values())
    # Layouts settle on the next pass of the event loop.
    qtbot.waitUntil(lambda: checklist.body.minimumSizeHint().width() <= viewport.width())


def test_an_na_without_its_reason_is_not_counted_as_answered(
    qtbot: Any, window: Any, make_case: Callable[..., CaseState]
) -> None:
    """The section counter agrees with the banner: an N/A with no reason is still missing."""
    case = make_case({"patient.two_identifiers": "met", "site.marked": "na"})
    checklist = open_in(window, case)
    assert "site.marked" in checklist.case.readiness.missing
    counts = [count.text() for _box, count, ids in checklist._sections if "site.marked" in ids]
    assert len(counts) == 1 and counts[0].startswith("1 of ")  # only the identifiers; not the reasonless N/A


def test_a_medicine_not_in_the_table_is_entered_with_its_name(
    qtbot: Any, window: Any, make_case: Callable[..., CaseState], svc: AppServices, nurse: User
) -> None:
    """Rules v2: 'Other' asks for the medicine's name before its last dose; the blocker names it."""
    checklist = open_in(window, make_case({**READY_BUT_MEDS, **DRUG_FOLLOW_UPS}))
    row = checklist.row("anticoagulants")
    assert isinstance(row, MedicationListRow)
    checklist.jump_to("anticoagulants")
    qtbot.waitUntil(lambda: focused() is row.picker)
    type_keys(qtbot, "other medicine")
    press(qtbot, Key.Key_Return)
    qtbot.waitUntil(lambda: focused() is row.name_edit)
    type_keys(qtbot, "vorapaxar")
    press(qtbot, Key.Key_Return)
    qtbot.waitUntil(lambda: focused() is row.new_dose.edit)
    type_keys(qtbot, moment_text(past(30)))
    press(qtbot, Key.Key_Return)
    stored = svc.cases.open_case(nurse, checklist.case.record_id).record.value("anticoagulants")
    assert [(e["drug"], e["name"]) for e in stored] == [("other", "vorapaxar")]
    assert checklist.banner.state == "not_ready"
    assert any("vorapaxar: not in the site's table" in link.text() for link in checklist.banner.finding_links())


def test_the_banner_says_from_when_a_ready_case_may_start(qtbot: Any) -> None:
    """READY for the scheduled 10:00 start while an apixaban hold completes at 09:00 (now 08:00)."""
    from checklist_app.ui.checklist.readiness_banner import ReadinessBanner
    from tests.helpers.forms import assess, before, ready_record

    readiness = assess(ready_record({"anticoagulants": [{"drug": "apixaban", "last_dose_at": before(73)}]}))
    banner = ReadinessBanner()
    qtbot.addWidget(banner)
    banner.set_readiness(readiness, {})
    assert banner.state == "ready"
    assert banner.summary_label.text().startswith("READY for a start at or after 09:00")
    ready_now = assess(ready_record())
    banner.set_readiness(ready_now, {})
    assert "at or after" not in banner.summary_label.text()


def test_unconfirmed_rules_say_so_on_screen_as_on_the_pdf(
    qtbot: Any, window: Any, make_case: Callable[..., CaseState]
) -> None:
    """Issue 11: a row whose rule (neuro exam) or number (the INR limit, inr_max) is shipped `confirmed: false`
    reads "needs clinician confirmation"; a confirmed one does not."""
    checklist = open_in(window, make_case({"anticoagulants": [{"drug": "warfarin", "last_dose_at": past(120)}]}))
    flag = "needs clinician confirmation"
    for item_id in ("neuro.baseline_documented", "labs.inr", "labs.inr_at"):
        meta = checklist.row(item_id).meta_label
        assert flag in meta.text() and meta.isVisibleTo(checklist), item_id
    assert flag not in checklist.row("consent.signed").meta_label.text()
    assert flag not in checklist.row("vitals.recorded").meta_label.text()
