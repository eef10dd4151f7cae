"""Table model of the nurse's worklist: one row per case of the day, readiness in colour, word and glyph."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from ..services.models import CaseState, CaseSummary
from .style import STATE_STYLE, state_text

Index = QModelIndex | QPersistentModelIndex
# No birth-date column: the list must fit beside the checklist; the patient cell's tooltip carries it.
COLUMNS = ("Time", "Patient", "MRN", "Procedure", "Readiness", "Status")
COL_TIME, COL_PATIENT, COL_MRN, COL_PROCEDURE, COL_READINESS, COL_STATUS = range(len(COLUMNS))
SummaryRole = Qt.ItemDataRole.UserRole + 1  # the CaseSummary of the row
RecordIdRole = Qt.ItemDataRole.UserRole + 2

# Cell colours mirror the banner's, lighter so the text stays readable (the word and glyph carry the meaning).
_STATE_COLOURS = {
    "ready": ("#e3f3e8", "#145c2b"),
    "not_ready": ("#fbe3e1", "#8a1c16"),
    "incomplete": ("#fff1c7", "#5c4300"),
}
SIDE_SHORT = {"left": "L", "right": "R", "bilateral": "bilat.", "midline": "midline"}
# Where a case came from (issue 13): a short tag in the Status cell, the full words in its tooltip.
SOURCE_TAGS = {"mwl": "MWL", "hl7": "HL7"}
SOURCE_LABELS = {"typed": "typed by a nurse", "mwl": "DICOM worklist", "hl7": "HL7 schedule feed"}


class WorklistModel(QAbstractTableModel):
    """Rows are CaseSummary values; `update_case` refreshes one row after an answer, without a query."""

    def __init__(self, procedure_labels: Mapping[str, str] | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[CaseSummary] = []
        self._labels = dict(procedure_labels or {})
        self._origins: dict[str, Any] = {}  # record id → CaseOrigin (source, accession, removed from schedule)

    def set_rows(self, rows: Sequence[CaseSummary], origins: Mapping[str, Any] | None = None) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._origins = dict(origins or {})
        self.endResetModel()

    def rows(self) -> list[CaseSummary]:
        return list(self._rows)

    def row_of(self, record_id: str) -> int:
        return next((n for n, r in enumerate(self._rows) if r.record_id == record_id), -1)

    def update_case(self, case: CaseState) -> None:
        n = self.row_of(case.record_id)
        if n < 0:
            return
        row = self._rows[n]
        updated = replace(row, readiness_state=case.readiness.state, status=case.status,
                          signed_at=case.signed_at, printed_at=case.printed_at)
        if updated != row:
            self._rows[n] = updated
            self.dataChanged.emit(self.index(n, 0), self.index(n, len(COLUMNS) - 1))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(
                COLUMNS):
            return COLUMNS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == COL_READINESS:
                return f"{STATE_STYLE.get(row.readiness_state, ('',))[0]} — open the case to see why"
            if column == COL_PATIENT:
                return f"{row.patient_name}, born {row.birth_date:%d %b %Y}, MRN {row.mrn}"
            if column == COL_PROCEDURE:
                return " ".join(p for p in (self._labels.get(row.procedure_type, row.procedure_type), row.level,
                                            row.laterality or "") if p)
            if column == COL_STATUS and row.record_id in self._origins:
                origin = self._origins[row.record_id]
                text = f"{self._text(row, column)}. From: {SOURCE_LABELS.get(origin.source, origin.source)}"
                return text + (f", accession {origin.accession}" if origin.accession else "")
            return self._text(row, column)
        if column == COL_READINESS and role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole):
            colours = _STATE_COLOURS.get(row.readiness_state)
            if colours:
                return QBrush(QColor(colours[0 if role == Qt.ItemDataRole.BackgroundRole else 1]))
            return None
        if role == SummaryRole:
            return row
        if role == RecordIdRole:
            return row.record_id
        return None

    def _text(self, row: CaseSummary, column: int) -> str:
        if column == COL_TIME:
            return row.scheduled_at.astimezone().strftime("%H:%M")
        if column == COL_PATIENT:
            return row.patient_name
        if column == COL_MRN:
            return row.mrn
        if column == COL_PROCEDURE:
            # Short in the list ("Caudal L5-S1 R"); the tooltip has the full label.
            label = self._labels.get(row.procedure_type, row.procedure_type)
            return " ".join(p for p in (label.split(" ")[0], row.level, SIDE_SHORT.get(row.laterality or "", "")) if p)
        if column == COL_READINESS:
            return state_text(row.readiness_state)
        if column == COL_STATUS:
            status = row.status.capitalize()
            if row.printed_at is not None:
                status += ", printed"
            origin = self._origins.get(row.record_id)
            if origin is not None and origin.source in SOURCE_TAGS:
                status += f" · {SOURCE_TAGS[origin.source]}"
                if origin.removed_reason and row.status == "draft":
                    status += ", removed from schedule"
            return status
        return ""
