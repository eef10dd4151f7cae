"""Table models of saved records: the paged records list (keyset cursor) and the plain print queue list."""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum
from functools import cache
from typing import Any, Protocol

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from ..domain.errors import ChecklistError
from ..domain.timefmt import moment_text
from ..services.catalog import load_form, shipped_form_ids
from ..services.models import CaseFilter, CasePage, CaseSummary
from .style import state_text

_Index = QModelIndex | QPersistentModelIndex

PAGE_SIZE = 200

RECORD_ID_ROLE = Qt.ItemDataRole.UserRole + 1
SUMMARY_ROLE = Qt.ItemDataRole.UserRole + 2
READINESS_ROLE = Qt.ItemDataRole.UserRole + 3


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
    Column.SCHEDULED: "Scheduled", Column.PATIENT: "Patient", Column.MRN: "MRN", Column.PROCEDURE: "Procedure",
    Column.STATUS: "Status", Column.READINESS: "Readiness", Column.NURSE: "Nurse", Column.PRINTED: "Printed",
    Column.SIGNED: "Signed",
}

RECORDS_COLUMNS = (Column.SCHEDULED, Column.PATIENT, Column.MRN, Column.PROCEDURE, Column.STATUS,
                   Column.READINESS, Column.NURSE, Column.PRINTED)
QUEUE_COLUMNS = (Column.SCHEDULED, Column.PATIENT, Column.MRN, Column.PROCEDURE, Column.STATUS,
                 Column.NURSE, Column.SIGNED)

# Readiness is told three ways (WCAG 1.4.1): the words and glyph of style.state_text, and a colour
# dark enough for 4.5:1 contrast on a white row.
READINESS_COLOUR = {"ready": QColor("#1b5e20"), "not_ready": QColor("#b71c1c"), "incomplete": QColor("#7a4a00")}


class CaseSearch(Protocol):
    """What the paged model needs of `svc.cases`."""

    def search(self, filters: CaseFilter, *, limit: int = ..., after: str | None = None) -> CasePage: ...


@cache
def procedure_labels() -> dict[str, str]:
    """Procedure code to the label a nurse reads, from every shipped form (read once per process)."""
    return {code: kind.label for form_id in shipped_form_ids()
            for code, kind in load_form(form_id).procedure_table.items()}


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
            return row.status.capitalize()
        case Column.READINESS:
            return state_text(row.readiness_state)
        case Column.NURSE:
            return row.nurse
        case Column.PRINTED:
            return moment_text(row.printed_at) if row.printed_at else "No"
        case Column.SIGNED:
            return moment_text(row.signed_at)


class SummaryTableModel(QAbstractTableModel):
    """Read-only rows of CaseSummary shown in a chosen set of columns."""

    def __init__(self, columns: Sequence[Column], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._columns = tuple(columns)
        self._rows: list[CaseSummary] = []

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt signature)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt signature)
        return 0 if parent.isValid() else len(self._columns)

    def column_of(self, column: Column) -> int:
        """The view column showing `column`, or -1 when this model does not show it."""
        return self._columns.index(column) if column in self._columns else -1

    def summary(self, row: int) -> CaseSummary:
        return self._rows[row]

    def row_of(self, record_id: str) -> int:
        """The row of a loaded record, or -1."""
        return next((i for i, r in enumerate(self._rows) if r.record_id == record_id), -1)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows) or index.column() >= len(self._columns):
            return None
        row = self._rows[index.row()]
        column = self._columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return cell_text(row, column)
        if role == RECORD_ID_ROLE:
            return row.record_id
        if role == SUMMARY_ROLE:
            return row
        if column == Column.READINESS:
            if role == READINESS_ROLE:
                return row.readiness_state
            if role == Qt.ItemDataRole.ForegroundRole and row.readiness_state in READINESS_COLOUR:
                return QBrush(READINESS_COLOUR[row.readiness_state])
        if role == Qt.ItemDataRole.ToolTipRole and column in (Column.PATIENT, Column.MRN):
            return f"{row.patient_name}, born {row.birth_date.isoformat()}, MRN {row.mrn}"
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        shown = role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole)
        if shown and orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._columns):
            return HEADERS[self._columns[section]]
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        # Saved records are never edited in place; changes go through co-sign or amendment.
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def replace_row(self, summary: CaseSummary) -> None:
        """Show a record's new state (after co-sign or amendment) without reloading the pages."""
        row = self.row_of(summary.record_id)
        if row >= 0:
            self._rows[row] = summary
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(self._columns) - 1))

    def set_rows(self, rows: Sequence[CaseSummary]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()


class RecordsModel(SummaryTableModel):
    """Saved records matching a CaseFilter, fetched a page at a time as the view scrolls.

    Pages come from `cases.search(filters, limit, after=cursor)` (keyset paging), so the
    100,000th record costs the same as the first and nothing is loaded that is not shown.
    """

    # A page could not be read (database down): the view says so instead of retrying on every paint.
    load_failed = Signal(str)

    def __init__(self, cases: CaseSearch, filters: CaseFilter | None = None, *, page_size: int = PAGE_SIZE,
                 parent: QObject | None = None) -> None:
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
