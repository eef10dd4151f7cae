"""Table model of the nurse's worklist: one row per case of the day, readiness in colour, word and glyph."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from ...domain.timefmt import local_now
from ...services.models import CaseState, CaseSummary
from ..shell.i18n import QT_TR_NOOP, tr
from ..shell.style import STATE_STYLE
from ..shell.table_model import CaseTableModel, readiness_text

# No birth-date column: the list must fit beside the checklist; the patient cell's tooltip carries it.
COLUMNS = (
    QT_TR_NOOP("Time"),
    QT_TR_NOOP("Patient"),
    QT_TR_NOOP("MRN"),
    QT_TR_NOOP("Procedure"),
    QT_TR_NOOP("Readiness"),
    QT_TR_NOOP("Status"),
)
COL_TIME, COL_PATIENT, COL_MRN, COL_PROCEDURE, COL_READINESS, COL_STATUS = range(len(COLUMNS))
SIDE_SHORT = {
    "left": QT_TR_NOOP("L"),
    "right": QT_TR_NOOP("R"),
    "bilateral": QT_TR_NOOP("bilat."),
    "midline": QT_TR_NOOP("midline"),
}
# Where a case came from (issue 13): a short tag in the Status cell, the full words in its tooltip.
SOURCE_TAGS = {"mwl": QT_TR_NOOP("MWL"), "hl7": QT_TR_NOOP("HL7")}
SOURCE_LABELS = {
    "typed": QT_TR_NOOP("typed by a nurse"),
    "mwl": QT_TR_NOOP("DICOM worklist"),
    "hl7": QT_TR_NOOP("HL7 schedule feed"),
}


class WorklistModel(CaseTableModel):
    """Rows are CaseSummary values; `update_case` refreshes one row after an answer, without a query."""

    tinted = True  # the readiness cell mirrors the banner's colours

    def __init__(self, procedure_labels: Mapping[str, str] | None = None, parent: Any = None) -> None:
        super().__init__(COLUMNS, COL_READINESS, parent)
        self._labels = dict(procedure_labels or {})
        self._origins: dict[str, Any] = {}  # record id → CaseOrigin (source, accession, removed from schedule)
        self._ready: dict[str, datetime] = {}  # record id → when a wait makes it READY (hold or fast ends)

    def set_rows(
        self,
        rows: Sequence[CaseSummary],
        origins: Mapping[str, Any] | None = None,
        ready: Mapping[str, datetime] | None = None,
    ) -> None:
        self._origins = dict(origins or {})
        self._ready = dict(ready or {})
        super().set_rows(rows)

    def update_case(self, case: CaseState, ready_at: datetime | None = None) -> None:
        n = self.row_of(case.record_id)
        if n < 0:
            return
        row = self._rows[n]
        if self._ready.get(case.record_id) != ready_at:
            if ready_at is None:
                del self._ready[case.record_id]
            else:
                self._ready[case.record_id] = ready_at
            self.dataChanged.emit(self.index(n, COL_READINESS), self.index(n, COL_READINESS))
        self.replace_row(
            replace(
                row,
                readiness_state=case.readiness.state,
                status=case.status,
                signed_at=case.signed_at,
                printed_at=case.printed_at,
            )
        )

    def tooltip(self, row: CaseSummary, column: int) -> str | None:
        if column == COL_READINESS:
            ready = self.ready_text(row)
            state = tr(STATE_STYLE.get(row.readiness_state, ("",))[0])
            if ready:
                return tr("{state} — {ready}: a hold or a fast ends then").format(state=state, ready=ready)
            return tr("{state} — open the case to see why").format(state=state)
        if column == COL_PATIENT:
            return tr("{name}, born {born:%d %b %Y}, MRN {mrn}").format(
                name=row.patient_name, born=row.birth_date, mrn=row.mrn
            )
        if column == COL_PROCEDURE:
            return " ".join(
                p
                for p in (self._labels.get(row.procedure_type, row.procedure_type), row.level, row.laterality or "")
                if p
            )
        if column == COL_STATUS and row.record_id in self._origins:
            origin = self._origins[row.record_id]
            text = tr("{status}. From: {source}").format(
                status=self.cell_text(row, column), source=tr(SOURCE_LABELS.get(origin.source, origin.source))
            )
            return text + (tr(", accession {accession}").format(accession=origin.accession) if origin.accession else "")
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
            side = tr(SIDE_SHORT[row.laterality]) if row.laterality in SIDE_SHORT else ""
            return " ".join(p for p in (label.split(" ")[0], row.level, side) if p)
        if column == COL_READINESS:
            ready = self.ready_text(row)
            return f"{readiness_text(row)} · {ready}" if ready else readiness_text(row)
        if column == COL_STATUS:
            amendment = row.status == "draft" and row.is_amendment
            status = tr("Draft (amendment)") if amendment else row.status.capitalize()
            if row.printed_at is not None:  # sent; printed only once the printer or the coordinator said so
                status += tr(", printed") if row.print_outcome == "printed" else tr(", sent to printer")
            origin = self._origins.get(row.record_id)
            if origin is not None and origin.source in SOURCE_TAGS:
                status += " · " + tr(SOURCE_TAGS[origin.source])
                if origin.removed_reason and row.status == "draft":
                    status += tr(", removed from schedule")
            return status
        return ""

    def ready_text(self, row: CaseSummary) -> str:
        """'ready from 10:00' while the case waits for a hold or a fast to end; '' otherwise (or once passed)."""
        moment = self._ready.get(row.record_id)
        if moment is None or moment <= local_now():
            return ""
        local = moment.astimezone()
        if local.second or local.microsecond:  # a "not before" time: never shown earlier than it is
            local = local.replace(second=0, microsecond=0) + timedelta(minutes=1)
        if local.date() != row.scheduled_at.astimezone().date():
            return tr("ready from {time}").format(time=f"{local:%a %H:%M}")
        return tr("ready from {time}").format(time=f"{local:%H:%M}")
