"""Table models of saved records: the paged records list (keyset cursor) and the plain print queue list."""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum
from functools import cache
from typing import Protocol

from PySide6.QtCore import QModelIndex, QObject, Signal

from ...domain.errors import ChecklistError
from ...domain.lifecycle import Status
from ...domain.timefmt import moment_text
from ...services.catalog import load_form, shipped_form_ids
from ...services.models import CaseFilter, CasePage, CaseSummary
from ..shell.i18n import QT_TR_NOOP, tr
from ..shell.table_model import CaseTableModel, readiness_text
from ..shell.table_model import Index as _Index

PAGE_SIZE = 200


class Column(IntEnum):
    SCHEDULED = 0
    PATIENT = 1
    MRN = 2
    PROCEDURE = 3
    STATUS = 4
    READINESS = 5
    NURSE = 6
    PRINTED = 7
    SIGNED = 8


HEADERS = {
    Column.SCHEDULED: QT_TR_NOOP("Scheduled"),
    Column.PATIENT: QT_TR_NOOP("Patient"),
    Column.MRN: QT_TR_NOOP("MRN"),
    Column.PROCEDURE: QT_TR_NOOP("Procedure"),
    Column.STATUS: QT_TR_NOOP("Status"),
    Column.READINESS: QT_TR_NOOP("Readiness"),
    Column.NURSE: QT_TR_NOOP("Nurse"),
    Column.PRINTED: QT_TR_NOOP("Paper copy"),
    Column.SIGNED: QT_TR_NOOP("Signed"),
}  # shown through tr() by CaseTableModel.headerData

RECORDS_COLUMNS = (
    Column.SCHEDULED,
    Column.PATIENT,
    Column.MRN,
    Column.PROCEDURE,
    Column.STATUS,
    Column.READINESS,
    Column.NURSE,
    Column.PRINTED,
)
QUEUE_COLUMNS = (
    Column.SCHEDULED,
    Column.PATIENT,
    Column.MRN,
    Column.PROCEDURE,
    Column.STATUS,
    Column.READINESS,
    Column.NURSE,
    Column.SIGNED,
    Column.PRINTED,
)


class CaseSearch(Protocol):
    """What the paged model needs of `svc.cases`."""

    def search(self, filters: CaseFilter, *, limit: int = ..., after: str | None = None) -> CasePage: ...


@cache
def procedure_labels() -> dict[str, str]:
    """Procedure code to the label a nurse reads, from every shipped form (read once per process)."""
    return {
        code: kind.label for form_id in shipped_form_ids() for code, kind in load_form(form_id).procedure_table.items()
    }


def procedure_text(row: CaseSummary) -> str:
    """'Interlaminar epidural injection L4-L5 left'."""
    what = procedure_labels().get(row.procedure_type, row.procedure_type.replace("_", " "))
    side = "" if row.laterality in (None, "not_applicable") else row.laterality
    return " ".join(part for part in (what, row.level, side) if part)


def cell_text(row: CaseSummary, column: Column) -> str:
    match column:
        case Column.SCHEDULED:
            return moment_text(row.scheduled_at)
        case Column.PATIENT:
            return row.patient_name
        case Column.MRN:
            return row.mrn
        case Column.PROCEDURE:
            return procedure_text(row)
        case Column.STATUS:
            return status_text(row)
        case Column.READINESS:
            return readiness_text(row)
        case Column.NURSE:
            return row.signed_by or row.nurse  # who signed it; a draft's nurse is who started it
        case Column.PRINTED:
            return paper_text(row)
        case Column.SIGNED:
            return moment_text(row.signed_at)


def status_text(row: CaseSummary) -> str:
    """'Signed', 'Cancelled', and 'Draft (amendment)' for the draft that will replace a signed record."""
    if row.status == Status.DRAFT and row.supersedes_id:
        return tr("Draft (amendment)")
    return row.status.capitalize()


def paper_text(row: CaseSummary) -> str:
    """What is known of the paper copy: only what happened ("sent to printer" is not "printed")."""
    if row.printed_at is None:
        return tr("Did not print") if row.print_outcome == "not_printed" else tr("Not sent")
    when = moment_text(row.printed_at)
    if row.print_outcome == "printed":
        return tr("Printed ({when})").format(when=when)
    if row.printed_by:
        return tr("Sent to printer {when} by {user}").format(when=when, user=row.printed_by)
    return tr("Sent to printer {when}").format(when=when)


class SummaryTableModel(CaseTableModel):
    """Read-only rows of CaseSummary shown in a chosen set of columns."""

    def __init__(self, columns: Sequence[Column], parent: QObject | None = None) -> None:
        self._columns = tuple(columns)
        super().__init__([HEADERS[c] for c in self._columns], self.column_of(Column.READINESS), parent)

    def column_of(self, column: Column) -> int:
        """The view column showing `column`, or -1 when this model does not show it."""
        return self._columns.index(column) if column in self._columns else -1

    def cell_text(self, row: CaseSummary, column: int) -> str:
        return cell_text(row, self._columns[column])

    def tooltip(self, row: CaseSummary, column: int) -> str | None:
        if self._columns[column] in (Column.PATIENT, Column.MRN):
            return tr("{name}, born {born}, MRN {mrn}").format(
                name=row.patient_name, born=row.birth_date.isoformat(), mrn=row.mrn
            )
        return None


class RecordsModel(SummaryTableModel):
    """Saved records matching a CaseFilter, fetched a page at a time as the view scrolls.

    Pages come from `cases.search(filters, limit, after=cursor)` (keyset paging), so the
    100,000th record costs the same as the first and nothing is loaded that is not shown.
    """

    # A page could not be read (database down): the view says so instead of retrying on every paint.
    load_failed = Signal(str)

    def __init__(
        self,
        cases: CaseSearch,
        filters: CaseFilter | None = None,
        *,
        page_size: int = PAGE_SIZE,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(RECORDS_COLUMNS, parent)
        self._cases = cases
        self._filters = filters or CaseFilter()
        self._page_size = page_size
        self._cursor: str | None = None
        self._more = True

    @property
    def filters(self) -> CaseFilter:
        return self._filters

    def set_filters(self, filters: CaseFilter) -> None:
        """Start over with new filters; the view asks for the first page through fetchMore."""
        self.beginResetModel()
        self._filters = filters
        self._rows = []
        self._cursor = None
        self._more = True
        self.endResetModel()

    def reload(self) -> None:
        self.set_filters(self._filters)

    def clear(self) -> None:
        """Drop every row and fetch nothing until the filters are set again (the screen is locked)."""
        self.beginResetModel()
        self._rows = []
        self._cursor = None
        self._more = False
        self.endResetModel()

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008 (Qt signature)
        return not parent.isValid() and self._more

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008 (Qt signature)
        if parent.isValid() or not self._more:
            return
        try:
            page = self._cases.search(self._filters, limit=self._page_size, after=self._cursor)
        except ChecklistError as exc:
            # Stop asking until the filters are set again: views call fetchMore from paint events.
            self._more = False
            self.load_failed.emit(str(exc))
            return
        self._cursor = page.next_cursor
        self._more = page.next_cursor is not None
        if page.rows:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(page.rows) - 1)
            self._rows.extend(page.rows)
            self.endInsertRows()
