"""The charge nurse's records view on the real services: filtering, opening read-only, co-signing, amending."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtWidgets import QLabel, QWidget

from checklist_app.services.models import CaseFilter, CaseState
from checklist_app.ui.records.record_dialogs import AmendDialog, CoSignDialog, RecordDialog
from checklist_app.ui.records.records_model import Column
from checklist_app.ui.records.records_view import RecordsView
from checklist_app.ui.shell.session import Session
from tests.helpers.records_env import BULK_RECORDS, SIGNED, RecordsEnv, tamper_stored_pdf


@pytest.fixture
def view(records_env: RecordsEnv, qtbot) -> Iterator[RecordsView]:
    """The records view for the charge nurse, with a 10 ms debounce so tests never wait long."""
    session = Session()
    widget = RecordsView(records_env.svc, session, debounce_ms=10)
    session.user_changed.connect(widget.set_user)
    qtbot.addWidget(widget)
    widget.resize(1100, 600)
    widget.show()
    session.log_in(records_env.charge)
    yield widget
    widget.clear()


def enter_password(monkeypatch: pytest.MonkeyPatch, password: str) -> None:
    """Replace only the modal part of the co-sign dialog: type the password and press Co-sign."""

    def exec_(dialog: CoSignDialog) -> int:
        dialog.password_edit.setText(password)
        dialog.sign_button.click()
        wait_for_signing(dialog)
        return dialog.result()

    monkeypatch.setattr(CoSignDialog, "exec", exec_)


def wait_for_signing(dialog: CoSignDialog) -> None:
    """Co-signing runs on the worker pool: the dialog's own event loop (here the test's) waits for it."""
    from pytestqt.qtbot import QtBot

    QtBot(dialog).waitUntil(lambda: dialog.task is not None and not dialog.task.running, timeout=30_000)


def row_texts(view: RecordsView, column: Column) -> list[str]:
    return [view.model.data(view.model.index(r, view.model.column_of(column))) for r in range(view.model.rowCount())]


def test_charge_nurse_filters_1000_records_and_co_signs(
    view: RecordsView, records_env: RecordsEnv, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Among 1,003 records the charge nurse narrows to the signed ones by text and status, then co-signs one."""
    assert view.count_label.text() == f"{BULK_RECORDS + len(SIGNED):,} records"
    qtbot.keyClicks(view.text_edit, "signed")
    qtbot.waitUntil(lambda: view.count_label.text() == "3 records")
    view.status_combo.setCurrentIndex(view.status_combo.findData("signed"))
    assert row_texts(view, Column.PATIENT) == [name for name, _mrn in SIGNED]
    target = view.model.summary(1)
    assert view.select(target.record_id)
    enter_password(monkeypatch, records_env.password(records_env.charge))

    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)

    assert row_texts(view, Column.STATUS)[1] == "Reviewed"
    ok, lines = records_env.svc.documents.verify(target.record_id)
    assert ok and any("Reviewed by" in line and "charge" in line for line in lines)
    assert "Co-signed" in view.message.text()


def test_typing_waits_for_the_pause(view: RecordsView, qtbot) -> None:
    """Each keystroke restarts the debounce timer; the search runs once typing pauses."""
    resets: list[int] = []
    view.model.modelReset.connect(lambda: resets.append(1))
    qtbot.keyClicks(view.text_edit, "quinn")
    assert view.debounce.isActive() and resets == []
    qtbot.waitUntil(lambda: resets == [1])
    assert view.model.filters.text == "quinn"


def test_return_searches_at_once(view: RecordsView, qtbot) -> None:
    """Enter in the search field searches without waiting for the timer."""
    view.debounce.setInterval(60_000)
    qtbot.keyClicks(view.text_edit, "SGN000002")
    qtbot.keyClick(view.text_edit, Qt.Key.Key_Return)
    assert not view.debounce.isActive()
    assert row_texts(view, Column.MRN) == ["SGN000002"]


def test_each_filter_reaches_the_search(view: RecordsView) -> None:
    """Nurse, dates, status and readiness fields become the CaseFilter the model searches with."""
    view.nurse_edit.setText("nurse.b")
    view.from_edit.setDate(QDate(2024, 2, 1))
    view.to_edit.setDate(QDate(2024, 2, 29))
    view.readiness_combo.setCurrentIndex(view.readiness_combo.findData("not_ready"))
    view.apply_filters()
    assert view.model.filters == CaseFilter(
        nurse="nurse.b",
        date_from=QDate(2024, 2, 1).toPython(),
        date_to=QDate(2024, 2, 29).toPython(),
        readiness="not_ready",
    )
    assert set(row_texts(view, Column.NURSE)) == {"nurse.b"}
    assert set(row_texts(view, Column.READINESS)) == {"✖ NOT READY"}
    assert view.model.rowCount() == 7  # every 4th day is not ready, and those fall to nurse.b: 29 days -> 7


def test_date_any_is_no_limit(view: RecordsView) -> None:
    """A date field left at "Any" sets no limit; clearing the filters returns to every record."""
    assert view.from_edit.text() == "Any" and view.filters().date_from is None
    view.from_edit.setDate(QDate(2026, 1, 1))
    view.clear_filters()
    assert view.filters() == CaseFilter()
    assert view.count_label.text() == f"{BULK_RECORDS + len(SIGNED):,} records"


def test_reversed_dates_are_explained(view: RecordsView) -> None:
    """From after To shows why nothing matches instead of an empty table without a word."""
    view.from_edit.setDate(QDate(2024, 3, 1))
    view.to_edit.setDate(QDate(2024, 2, 1))
    view.apply_filters()
    assert view.model.rowCount() == 0
    assert "From date is after the To date" in view.message.text()


def test_open_shows_pdf_and_valid_badge(view: RecordsView, records_env: RecordsEnv, qtbot) -> None:
    """Opening a signed record shows its stored PDF read-only with a green "valid" badge naming the signer."""
    view.text_edit.setText(SIGNED[0][1])
    view.apply_filters()
    dialog = view.open_current()
    assert isinstance(dialog, RecordDialog) and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.document.pageCount() >= 1)
    assert dialog.badge.text() == f"Signatures valid ✓ — prepared by {records_env.nurse.full_name}"
    assert dialog.badge.property("verdict") == "valid"
    assert not dialog.print_action.isVisible()  # paper copies go through the coordinator's queue
    assert dialog.co_sign_action.isEnabled() and dialog.amend_action.isEnabled()


def test_open_draft_says_not_signed(view: RecordsView) -> None:
    """A draft opens as its DRAFT rendering with a neutral badge, and cannot be co-signed or amended."""
    view.apply_filters()
    dialog = view.open_current()
    assert dialog is not None and dialog.case.status == "draft"
    assert dialog.badge.property("verdict") == "unsigned"
    assert not dialog.co_sign_action.isEnabled() and not dialog.amend_action.isEnabled()


def test_tampered_record_shows_red_not_valid(view: RecordsView, records_env: RecordsEnv, tmp_path: Path) -> None:
    """A stored PDF changed after signing opens with a red "NOT VALID" badge and the reason."""
    record_id = records_env.signed_ids[2]
    tamper_stored_pdf(tmp_path / "t.db", record_id)
    dialog = view.open_record(record_id)
    assert dialog is not None
    assert dialog.badge.text().startswith("✖ NOT VALID: ")
    assert dialog.badge.property("verdict") == "invalid"


def test_verify_reports_every_line(view: RecordsView, messages) -> None:
    """Verify on the selected record shows the verdict and one line per signature."""
    view.status_combo.setCurrentIndex(view.status_combo.findData("signed"))
    view.verify_action.trigger()
    kind, _title, text, detail = messages.shown[-1]
    assert kind == "info" and "Signatures valid ✓" in text
    assert "Prepared by" in detail and "Verdict: VALID" in detail


def test_wrong_password_co_signs_nothing(
    view: RecordsView, records_env: RecordsEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A wrong password leaves the record signed, not reviewed, and the dialog says nothing was signed."""
    seen: list[str] = []

    def exec_(dialog: CoSignDialog) -> int:
        dialog.password_edit.setText("not-the-password")
        dialog.sign_button.click()
        wait_for_signing(dialog)
        seen.append(dialog.reason.text())
        return dialog.result()

    monkeypatch.setattr(CoSignDialog, "exec", exec_)
    view.status_combo.setCurrentIndex(view.status_combo.findData("signed"))
    view.co_sign_action.trigger()
    assert seen and "Nothing was signed" in seen[0]
    assert row_texts(view, Column.STATUS)[0] == "Signed"
    assert records_env.svc.cases.count(CaseFilter(status="reviewed")) == 0


def test_co_sign_from_the_open_record(
    view: RecordsView, records_env: RecordsEnv, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Co-signing inside the open record closes it and shows the record as reviewed."""
    enter_password(monkeypatch, records_env.password(records_env.charge))
    view.status_combo.setCurrentIndex(view.status_combo.findData("signed"))
    dialog = view.open_current()
    assert dialog is not None
    with qtbot.waitSignal(dialog.co_signed):
        dialog.co_sign_action.trigger()
    assert row_texts(view, Column.STATUS)[0] == "Reviewed"
    assert view.record_dialog is None


def test_amend_starts_a_new_version(
    view: RecordsView, records_env: RecordsEnv, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Amend asks a reason, creates a draft pointing to the old record, and marks the old one amended."""

    def exec_(dialog: AmendDialog) -> int:
        assert not dialog.start_button.isEnabled()  # no reason yet
        dialog.reason_edit.setPlainText("Wrong level recorded: L5-S1, not L4-L5.")
        dialog.start_button.click()
        return dialog.result()

    monkeypatch.setattr(AmendDialog, "exec", exec_)
    view.status_combo.setCurrentIndex(view.status_combo.findData("signed"))
    old_id = view.model.summary(0).record_id
    with qtbot.waitSignal(view.amendment_started) as blocker:
        view.amend_action.trigger()
    draft = blocker.args[0]
    assert isinstance(draft, CaseState) and draft.status == "draft" and draft.supersedes_id == old_id
    assert row_texts(view, Column.STATUS)[0] == "Amended"


def test_commands_follow_the_selected_record(view: RecordsView) -> None:
    """Co-sign and Amend are offered only for a signed record; a draft says why not in the tooltip."""
    view.apply_filters()
    assert view.model.summary(0).status == "draft"
    assert not view.co_sign_action.isEnabled() and not view.amend_action.isEnabled()
    assert "signed" in view.co_sign_action.toolTip()
    view.status_combo.setCurrentIndex(view.status_combo.findData("signed"))
    assert view.co_sign_action.isEnabled() and view.amend_action.isEnabled()


def test_other_roles_see_no_records(view: RecordsView, records_env: RecordsEnv) -> None:
    """A user without the charge-nurse role (or nobody) gets no rows at all."""
    view.session.log_in(records_env.coordinator)
    assert view.model.rowCount() == 0 and not view.model.canFetchMore()
    view.session.lock()
    assert view.model.rowCount() == 0


def test_clear_hides_rows_and_the_open_record(view: RecordsView) -> None:
    """clear() (what the lock calls) drops every row and closes an open record."""
    view.apply_filters()
    dialog = view.open_current()
    assert dialog is not None and dialog.isVisible()
    view.clear()
    assert view.model.rowCount() == 0 and view.record_dialog is None and view.count_label.text() == ""


def test_scrolling_fetches_more_pages(view: RecordsView, qtbot) -> None:
    """Scrolling to the bottom of the table asks the model for the next page, not everything."""
    view.apply_filters()
    first = view.model.rowCount()
    assert 0 < first < BULK_RECORDS
    view.table.scrollToBottom()
    qtbot.waitUntil(lambda: view.model.rowCount() > first)
    assert view.model.rowCount() < BULK_RECORDS


def test_controls_have_accessible_names_and_reading_tab_order(view: RecordsView) -> None:
    """Every input has an accessible name, and Tab walks the filters left to right, then the table."""
    fields = [
        view.text_edit,
        view.nurse_edit,
        view.from_edit,
        view.to_edit,
        view.status_combo,
        view.readiness_combo,
        view.table,
    ]
    assert all(field.accessibleName() for field in fields)
    order = [
        view.text_edit,
        view.nurse_edit,
        view.from_edit,
        view.to_edit,
        view.status_combo,
        view.readiness_combo,
        view.clear_button,
        view.table,
    ]
    walked: list[QWidget] = []
    widget = view.text_edit
    for _ in range(200):  # the focus chain also holds inner widgets (a date field's editor); keep ours only
        if widget in order and widget not in walked:
            walked.append(widget)
        widget = widget.nextInFocusChain()
    assert walked == order
    labels = [label for label in view.findChildren(QLabel) if label.buddy() is not None]
    assert {label.buddy() for label in labels} >= set(fields[:-1])


def test_another_records_pdf_in_its_place_shows_tampered(
    view: RecordsView, records_env: RecordsEnv, tmp_path: Path
) -> None:
    """Another patient's validly signed PDF stored as a new revision opens as TAMPERED, naming that record."""
    import sqlite3

    mine, theirs = records_env.signed_ids[1], records_env.signed_ids[0]
    with sqlite3.connect(tmp_path / "t.db") as conn:
        conn.execute(
            "INSERT INTO record_pdfs (record_id, revision, pdf, sha256, created_at, created_by) "
            "SELECT ?, 2, pdf, sha256, created_at, created_by FROM record_pdfs WHERE record_id = ?",
            (mine, theirs),
        )
    dialog = view.open_record(mine)
    assert dialog is not None
    assert dialog.badge.text().startswith(f"✖ TAMPERED: The stored PDF is the signed PDF of another record ({theirs})")
    assert dialog.badge.property("verdict") == "tampered"


def test_co_signing_runs_off_the_gui_thread(
    view: RecordsView, records_env: RecordsEnv, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 12 item 9: pressing Co-sign returns to the event loop at once (the window keeps painting), and the
    signature arrives afterwards."""
    ticks: list[int] = []
    timer = QTimer(view)
    timer.setInterval(1)
    timer.timeout.connect(lambda: ticks.append(1))
    during: list[tuple[bool, int]] = []

    def exec_(dialog: CoSignDialog) -> int:
        dialog.password_edit.setText(records_env.password(records_env.charge))
        timer.start()
        dialog.sign_button.click()
        during.append(
            (
                dialog.task is not None and dialog.task.running,
                records_env.svc.cases.count(CaseFilter(status="reviewed")),
            )
        )
        wait_for_signing(dialog)
        return dialog.result()

    monkeypatch.setattr(CoSignDialog, "exec", exec_)
    view.status_combo.setCurrentIndex(view.status_combo.findData("signed"))
    view.co_sign_action.trigger()
    timer.stop()
    assert during == [(True, 0)]  # still signing when the click returned
    assert ticks  # the GUI thread ran its timers while the worker signed
    assert records_env.svc.cases.count(CaseFilter(status="reviewed")) == 1


def test_the_co_sign_password_prompt_is_a_hint_not_an_error(
    view: RecordsView, records_env: RecordsEnv, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 12 item 7: before anything went wrong "Enter your password" is grey, not a red refusal."""
    colours: list[tuple[str, str]] = []

    def exec_(dialog: CoSignDialog) -> int:
        dialog.show()
        colours.append((dialog.reason.text(), dialog.reason.palette().color(dialog.reason.foregroundRole()).name()))
        dialog.password_edit.setText("not-the-password")
        dialog.sign_button.click()
        wait_for_signing(dialog)
        colours.append((dialog.reason.text(), dialog.reason.palette().color(dialog.reason.foregroundRole()).name()))
        dialog.reject()
        return dialog.result()

    monkeypatch.setattr(CoSignDialog, "exec", exec_)
    view.status_combo.setCurrentIndex(view.status_combo.findData("signed"))
    view.co_sign_action.trigger()
    assert colours[0] == ("Enter your password to co-sign.", "#444444")
    assert "Nothing was signed" in colours[1][0] and colours[1][1] == "#9b1c15"
