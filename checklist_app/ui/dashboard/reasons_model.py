"""The top reasons cases were NOT READY, as a sortable table: reason, cases, share of the period's cases (a bar)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from ..shell.i18n import tr

Index = QModelIndex | QPersistentModelIndex
SHARE_ROLE = Qt.ItemDataRole.UserRole + 1  # the share of cases, 0 … 1, that the bar delegate draws
REASON_ROLE = Qt.ItemDataRole.UserRole + 2  # the row's Reason
REASON, CASES, SHARE = range(3)


@dataclass(frozen=True, slots=True)
class Reason:
    item: str
    drug: str | None
    label: str  # in the nurse's words (services.dashboard.reason_label)
    cases: int


class ReasonsModel(QAbstractTableModel):
    """Read-only rows; sorting is the model's own (the view asks through sort())."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._headers = (tr("Reason not ready"), tr("Cases"), tr("Share of cases"))
        self._rows: list[Reason] = []
        self._total = 0
        self._order: tuple[int, Qt.SortOrder] = (CASES, Qt.SortOrder.DescendingOrder)

    def set_reasons(self, reasons: Sequence[Reason], total_cases: int) -> None:
        self.beginResetModel()
        self._rows = list(reasons)
        self._total = total_cases
        self._sort_rows()
        self.endResetModel()

    def reason(self, row: int) -> Reason:
        return self._rows[row]

    def share(self, reason: Reason) -> float:
        return reason.cases / self._total if self._total else 0.0

    # -- Qt ---------------------------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        shown = role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole)
        if shown and orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._headers):
            return self._headers[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows) or not 0 <= index.column() < 3:
            return None
        reason = self._rows[index.row()]
        column = index.column()
        percent = round(100 * self.share(reason))
        if role == Qt.ItemDataRole.DisplayRole:
            return (reason.label, str(reason.cases), tr("{percent}%").format(percent=percent))[column]
        if role == Qt.ItemDataRole.AccessibleTextRole:
            # A screen reader hears the bar as words: the reason, its cases and their share.
            if column == SHARE:
                return tr("{cases} of {total} cases, {percent}%").format(
                    cases=reason.cases, total=self._total, percent=percent
                )
            return (reason.label, str(reason.cases))[column]
        if role == Qt.ItemDataRole.ToolTipRole and column == REASON:
            return tr("Enter or double-click: open these records")
        if role == Qt.ItemDataRole.TextAlignmentRole and column != REASON:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == SHARE_ROLE:
            return self.share(reason)
        if role == REASON_ROLE:
            return reason
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < 3:
            return
        self.layoutAboutToBeChanged.emit()
        self._order = (column, order)
        self._sort_rows()
        self.layoutChanged.emit()

    def _sort_rows(self) -> None:
        column, order = self._order

        def key(r: Reason) -> tuple[Any, ...]:
            return (r.label.casefold(),) if column == REASON else (r.cases, r.label.casefold())

        self._rows.sort(key=key, reverse=order == Qt.SortOrder.DescendingOrder)
