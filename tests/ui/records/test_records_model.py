"""RecordsModel and SummaryTableModel, headless: paging through the real store, roles, flags and filters."""

from __future__ import annotations

import os
from dataclasses import replace

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from datetime import date

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QBrush

from checklist_app.services.models import CaseFilter, CasePage
from checklist_app.store.errors import StoreUnavailableError
from checklist_app.ui.records.records_model import (
    QUEUE_COLUMNS,
    Column,
    RecordsModel,
    SummaryTableModel,
)
from checklist_app.ui.shell.table_model import READINESS_ROLE, RECORD_ID_ROLE, STATE_COLOURS, SUMMARY_ROLE
from tests.helpers.records_env import BULK_RECORDS, SIGNED, RecordsEnv

ALL = BULK_RECORDS + len(SIGNED)
DISPLAY = Qt.ItemDataRole.DisplayRole


def fetch_all(model: RecordsModel) -> None:
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())


def cell(model: RecordsModel, row: int, column: Column, role: int = DISPLAY) -> object:
    return model.data(model.index(row, model.column_of(column)), role)


def test_modeltester_passes_while_paging(records_env: RecordsEnv, qtmodeltester) -> None:
    """Qt's model tester finds nothing wrong with a model that has fetched several pages."""
    model = RecordsModel(records_env.svc.cases, page_size=50)
    model.fetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    qtmodeltester.check(model)


def test_starts_empty_with_more_to_fetch(records_env: RecordsEnv) -> None:
    """Nothing is read before the view asks: no rows, and canFetchMore says there may be some."""
    model = RecordsModel(records_env.svc.cases)
    assert model.rowCount() == 0
    assert model.canFetchMore(QModelIndex())


def test_fetch_more_reads_one_page(records_env: RecordsEnv) -> None:
    """fetchMore appends exactly one page of the configured size."""
    model = RecordsModel(records_env.svc.cases, page_size=40)
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 40
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 80


def test_fetch_more_emits_rows_inserted(records_env: RecordsEnv, qtbot) -> None:
    """Each page arrives as one rowsInserted signal covering the new rows."""
    model = RecordsModel(records_env.svc.cases, page_size=25)
    model.fetchMore(QModelIndex())
    with qtbot.waitSignal(model.rowsInserted, check_params_cb=lambda _p, first, last: (first, last) == (25, 49)):
        model.fetchMore(QModelIndex())


def test_pages_through_every_record_once(records_env: RecordsEnv) -> None:
    """Fetching to the end yields every record exactly once, in scheduled order, and then stops."""
    model = RecordsModel(records_env.svc.cases, page_size=300)
    fetch_all(model)
    ids = [model.summary(row).record_id for row in range(model.rowCount())]
    times = [model.summary(row).scheduled_at for row in range(model.rowCount())]
    assert len(ids) == len(set(ids)) == ALL == records_env.svc.cases.count(CaseFilter())
    assert times == sorted(times)
    assert not model.canFetchMore(QModelIndex())


def test_set_filters_resets_and_filters(records_env: RecordsEnv, qtbot) -> None:
    """set_filters resets the model and the next pages hold only matching records."""
    model = RecordsModel(records_env.svc.cases, page_size=30)
    model.fetchMore(QModelIndex())
    with qtbot.waitSignal(model.modelReset):
        model.set_filters(CaseFilter(text="quinn", readiness="ready"))
    assert model.rowCount() == 0 and model.canFetchMore(QModelIndex())
    fetch_all(model)
    names = {model.summary(row).patient_name.split()[0] for row in range(model.rowCount())}
    states = {model.summary(row).readiness_state for row in range(model.rowCount())}
    # "Quinn" is every 10th bulk record and "ready" every 4th: every 20th record, 50 of 1,000.
    assert model.rowCount() == 50 and names == {"Quinn"} and states == {"ready"}


def test_date_range_filter_is_inclusive(records_env: RecordsEnv) -> None:
    """A date range covers whole days, both ends included (one bulk record per day)."""
    model = RecordsModel(records_env.svc.cases, CaseFilter(date_from=date(2024, 1, 10), date_to=date(2024, 1, 14)))
    fetch_all(model)
    days = [model.summary(row).scheduled_at.astimezone().date() for row in range(model.rowCount())]
    assert model.rowCount() == 5
    assert min(days) >= date(2024, 1, 9) and max(days) <= date(2024, 1, 15)


def test_display_text_per_column(records_env: RecordsEnv) -> None:
    """Each column shows its field as a nurse reads it: local time with the year, words not codes."""
    model = RecordsModel(records_env.svc.cases, CaseFilter(text=SIGNED[0][1]))
    fetch_all(model)
    row = model.summary(0)
    assert model.rowCount() == 1
    assert cell(model, 0, Column.SCHEDULED) == row.scheduled_at.astimezone().strftime("%Y-%m-%d %H:%M")
    assert cell(model, 0, Column.PATIENT) == SIGNED[0][0]
    assert cell(model, 0, Column.MRN) == SIGNED[0][1]
    assert cell(model, 0, Column.PROCEDURE) == "Interlaminar epidural injection L4-L5 left"
    assert cell(model, 0, Column.STATUS) == "Signed"
    assert cell(model, 0, Column.NURSE) == records_env.nurse.full_name  # who signed it, by name
    assert cell(model, 0, Column.PRINTED) == "Not sent"


def test_a_cancelled_record_never_reads_as_ready_and_sent_says_by_whom(records_env: RecordsEnv) -> None:
    """A case cancelled while its checklist was READY shows it did not go ahead; a copy sent to the printer
    says when and by whom (not that it printed)."""
    model = RecordsModel(records_env.svc.cases, CaseFilter(text=SIGNED[0][1]))
    fetch_all(model)
    signed = model.summary(0)
    sent = replace(signed, printed_at=signed.signed_at, printed_by="coord.lee")
    cancelled = replace(signed, status="cancelled", readiness_state="ready")
    table = SummaryTableModel((Column.READINESS, Column.PRINTED))
    table.set_rows([sent, cancelled])
    assert table.index(0, 0).data() == "✓ READY"
    assert table.index(0, 1).data().startswith("Sent to printer ") and table.index(0, 1).data().endswith(
        " by coord.lee"
    )
    assert table.index(1, 0).data() == "✖ Not ready — procedure cancelled"
    colour = Qt.ItemDataRole.ForegroundRole
    not_ready = replace(signed, readiness_state="not_ready")
    table.set_rows([cancelled, not_ready])
    assert table.index(0, 0).data(colour).color() == table.index(1, 0).data(colour).color()  # coloured as it reads


def test_readiness_has_text_glyph_and_colour(records_env: RecordsEnv) -> None:
    """Readiness is never colour alone: the cell text carries the word and a glyph, plus a colour role."""
    model = RecordsModel(records_env.svc.cases, CaseFilter(readiness="not_ready"), page_size=5)
    model.fetchMore(QModelIndex())
    assert cell(model, 0, Column.READINESS) == "✖ NOT READY"
    assert cell(model, 0, Column.READINESS, READINESS_ROLE) == "not_ready"
    brush = cell(model, 0, Column.READINESS, Qt.ItemDataRole.ForegroundRole)
    assert isinstance(brush, QBrush) and brush.color() == STATE_COLOURS["not_ready"].text


def test_colour_only_on_the_readiness_column(records_env: RecordsEnv) -> None:
    """Other columns keep the view's own text colour."""
    model = RecordsModel(records_env.svc.cases, page_size=5)
    model.fetchMore(QModelIndex())
    assert cell(model, 0, Column.PATIENT, Qt.ItemDataRole.ForegroundRole) is None


def test_record_id_and_summary_roles(records_env: RecordsEnv) -> None:
    """Views and actions get the record id (and the whole summary) from custom roles on any column."""
    model = RecordsModel(records_env.svc.cases, page_size=5)
    model.fetchMore(QModelIndex())
    summary = model.summary(2)
    assert cell(model, 2, Column.MRN, RECORD_ID_ROLE) == summary.record_id
    assert cell(model, 2, Column.NURSE, SUMMARY_ROLE) == summary


def test_flags_are_read_only(records_env: RecordsEnv) -> None:
    """Saved records are selectable but never editable in the table."""
    model = RecordsModel(records_env.svc.cases, page_size=5)
    model.fetchMore(QModelIndex())
    flags = model.flags(model.index(0, 0))
    assert flags & Qt.ItemFlag.ItemIsSelectable and flags & Qt.ItemFlag.ItemIsEnabled
    assert not flags & Qt.ItemFlag.ItemIsEditable


def test_header_names_the_columns(records_env: RecordsEnv) -> None:
    """The horizontal header names the eight record columns in order."""
    model = RecordsModel(records_env.svc.cases)
    names = [model.headerData(i, Qt.Orientation.Horizontal) for i in range(model.columnCount())]
    assert names == ["Scheduled", "Patient", "MRN", "Procedure", "Status", "Readiness", "Nurse", "Paper copy"]


def test_replace_row_emits_data_changed(records_env: RecordsEnv, qtbot) -> None:
    """A record's new state (after co-sign) updates its row in place with dataChanged."""
    model = RecordsModel(records_env.svc.cases, CaseFilter(status="signed"))
    fetch_all(model)
    reviewed = replace(model.summary(1), status="reviewed")
    with qtbot.waitSignal(model.dataChanged, check_params_cb=lambda tl, br, *_: tl.row() == br.row() == 1):
        model.replace_row(reviewed)
    assert cell(model, 1, Column.STATUS) == "Reviewed"


class UnavailableCases:
    """Stands in for a database that went away; the real store cannot be made to fail on demand."""

    def search(self, *_args: object, **_kwargs: object) -> CasePage:
        raise StoreUnavailableError("The records database cannot be reached.")


def test_load_failure_is_reported_once(qtbot) -> None:
    """A failed page is reported with load_failed and not retried until the filters are set again."""
    model = RecordsModel(UnavailableCases())
    with qtbot.waitSignal(model.load_failed, check_params_cb=lambda msg: "cannot be reached" in msg):
        model.fetchMore(QModelIndex())
    assert not model.canFetchMore(QModelIndex())
    model.set_filters(CaseFilter(text="again"))
    assert model.canFetchMore(QModelIndex())


def test_queue_model_shows_signed_column(records_env: RecordsEnv, qtmodeltester) -> None:
    """The plain list model (print queue) shows the signed time and passes the model tester."""
    model = SummaryTableModel(QUEUE_COLUMNS)
    model.set_rows(records_env.svc.cases.print_queue())
    qtmodeltester.check(model)
    assert model.rowCount() == len(SIGNED)
    assert model.headerData(model.column_of(Column.SIGNED), Qt.Orientation.Horizontal) == "Signed"
    assert model.column_of(Column.READINESS) >= 0  # design.md: the print queue shows readiness
