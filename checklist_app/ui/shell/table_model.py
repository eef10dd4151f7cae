"""The base of every table of cases (worklist, records, print queue): shared roles and readiness colours."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from ...domain.lifecycle import Status
from ...services.models import CaseSummary
from .i18n import tr
from .style import state_text

Index = QModelIndex | QPersistentModelIndex

# The custom roles every case table answers, whatever the column.
RECORD_ID_ROLE = Qt.ItemDataRole.UserRole + 1  # the row's record id
SUMMARY_ROLE = Qt.ItemDataRole.UserRole + 2  # the row's CaseSummary
READINESS_ROLE = Qt.ItemDataRole.UserRole + 3  # the row's readiness state code


def readiness_text(row: CaseSummary) -> str:
    """The readiness a list shows for a row: a cancelled case never reads as ready (it did not go ahead, whatever
    its checklist said when it was cancelled)."""
    if row.status == Status.CANCELLED:
        return tr("✖ Not ready — procedure cancelled")
    return state_text(row.readiness_state)


@dataclass(frozen=True)
class StateColours:
    """How one readiness state is coloured in a table (the word and glyph of style.state_text carry the meaning,
    WCAG 1.4.1; colour only helps)."""

    cell: QColor  # background of a tinted cell, lighter than the banner's so the text stays readable
    on_cell: QColor  # text on that background
    text: QColor  # text on a plain white row: dark enough for 4.5:1 contrast


STATE_COLOURS = {
    "ready": StateColours(QColor("#e3f3e8"), QColor("#145c2b"), QColor("#1b5e20")),
    "not_ready": StateColours(QColor("#fbe3e1"), QColor("#8a1c16"), QColor("#b71c1c")),
    "incomplete": StateColours(QColor("#fff1c7"), QColor("#5c4300"), QColor("#7a4a00")),
}


class CaseTableModel(QAbstractTableModel):
    """Read-only rows of CaseSummary; a subclass says what its columns show (`cell_text`, `tooltip`).

    `tinted`: the readiness cell gets a coloured background (the worklist, beside the banner) rather than
    coloured text on the white row (the records list and print queue).
    """

    tinted = False

    def __init__(self, headers: Sequence[str], readiness_column: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._headers = tuple(headers)
        self._readiness_column = readiness_column
        self._rows: list[CaseSummary] = []

    # -- subclass hooks ---------------------------------------------------------------------------------------
    def cell_text(self, row: CaseSummary, column: int) -> str:
        raise NotImplementedError

    def tooltip(self, row: CaseSummary, column: int) -> str | None:
        return None

    # -- rows -------------------------------------------------------------------------------------------------
    def set_rows(self, rows: Sequence[CaseSummary]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[CaseSummary]:
        return list(self._rows)

    def summary(self, row: int) -> CaseSummary:
        return self._rows[row]

    def row_of(self, record_id: str) -> int:
        """The row of a loaded record, or -1."""
        return next((n for n, r in enumerate(self._rows) if r.record_id == record_id), -1)

    def replace_row(self, summary: CaseSummary) -> None:
        """Show a record's new state in place, without reloading (the view keeps its place and selection)."""
        n = self.row_of(summary.record_id)
        if n >= 0 and self._rows[n] != summary:
            self._rows[n] = summary
            self.dataChanged.emit(self.index(n, 0), self.index(n, len(self._headers) - 1))

    # -- Qt ---------------------------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        shown = role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole)
        if shown and orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._headers):
            return tr(self._headers[section])  # QT_TRANSLATE_NOOP-marked by the subclass
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        # Cases are never edited in a table; answers, co-signs and amendments go through their own screens.
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows) or index.column() >= len(self._headers):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.cell_text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(row, column)
        if role == RECORD_ID_ROLE:
            return row.record_id
        if role == SUMMARY_ROLE:
            return row
        if role == READINESS_ROLE:
            return row.readiness_state
        if column == self._readiness_column:
            # Coloured as its words read: a cancelled case as not ready, whatever its checklist said.
            shown = "not_ready" if row.status == Status.CANCELLED else row.readiness_state
            return self._state_brush(shown, role)
        return None

    def _state_brush(self, state: str, role: int) -> QBrush | None:
        colours = STATE_COLOURS.get(state)
        if colours is None:
            return None
        if self.tinted and role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(colours.cell)
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(colours.on_cell if self.tinted else colours.text)
        return None
