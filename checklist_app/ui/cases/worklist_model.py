"""Table model of the nurse's worklist: one row per case of the day, readiness in colour, word and glyph."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from ...services.models import CaseState, CaseSummary
from ..shell.style import STATE_STYLE, state_text
from ..shell.table_model import CaseTableModel

# No birth-date column: the list must fit beside the checklist; the patient cell's tooltip carries it.
COLUMNS = ("Time", "Patient", "MRN", "Procedure", "Readiness", "Status")
COL_TIME, COL_PATIENT, COL_MRN, COL_PROCEDURE, COL_READINESS, COL_STATUS = range(len(COLUMNS))
SIDE_SHORT = {"left": "L", "right": "R", "bilateral": "bilat.", "midline": "midline"}
# Where a case came from (issue 13): a short tag in the Status cell, the full words in its tooltip.
SOURCE_TAGS = {"mwl": "MWL", "hl7": "HL7"}
SOURCE_LABELS = {"typed": "typed by a nurse", "mwl": "DICOM worklist", "hl7": "HL7 schedule feed"}


class WorklistModel(CaseTableModel):
    """Rows are CaseSummary values; `update_case` refreshes one row after an answer, without a query."""

    tinted = True  # the readiness cell mirrors the banner's colours

    def __init__(self, procedure_labels: Mapping[str, str] | None = None, parent: Any = None) -> None:
        super().__init__(COLUMNS, COL_READINESS, parent)
        self._labels = dict(procedure_labels or {})
        self._origins: dict[str, Any] = {}  # record id → CaseOrigin (source, accession, removed from schedule)

    def set_rows(self, rows: Sequence[CaseSummary], origins: Mapping[str, Any] | None = None) -> None:
        self._origins = dict(origins or {})
        super().set_rows(rows)

    def update_case(self, case: CaseState) -> None:
        n = self.row_of(case.record_id)
        if n < 0:
            return
        row = self._rows[n]
        self.replace_row(replace(row, readiness_state=case.readiness.state, status=case.status,
                                 signed_at=case.signed_at, printed_at=case.printed_at))

    def tooltip(self, row: CaseSummary, column: int) -> str | None:
        if column == COL_READINESS:
            return f"{STATE_STYLE.get(row.readiness_state, ('',))[0]} — open the case to see why"
        if column == COL_PATIENT:
            return f"{row.patient_name}, born {row.birth_date:%d %b %Y}, MRN {row.mrn}"
        if column == COL_PROCEDURE:
            return " ".join(p for p in (self._labels.get(row.procedure_type, row.procedure_type), row.level,
                                        row.laterality or "") if p)
        if column == COL_STATUS and row.record_id in self._origins:
            origin = self._origins[row.record_id]
            text = f"{self.cell_text(row, column)}. From: {SOURCE_LABELS.get(origin.source, origin.source)}"
            return text + (f", accession {origin.accession}" if origin.accession else "")
        return self.cell_text(row, column)

    def cell_text(self, row: CaseSummary, column: int) -> str:
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
            status = "Draft (amendment)" if row.status == "draft" and row.is_amendment else row.status.capitalize()
            if row.printed_at is not None:  # sent; printed only once the printer or the coordinator said so
                status += ", printed" if row.print_outcome == "printed" else ", sent to printer"
            origin = self._origins.get(row.record_id)
            if origin is not None and origin.source in SOURCE_TAGS:
                status += f" · {SOURCE_TAGS[origin.source]}"
                if origin.removed_reason and row.status == "draft":
                    status += ", removed from schedule"
            return status
        return ""
