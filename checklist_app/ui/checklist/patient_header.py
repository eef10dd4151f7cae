"""The header above a checklist: who (name, birth date and age, MRN) and what (procedure, side, time, status)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ...domain.records import age_on
from ...services.models import CaseState
from ..shell.i18n import QT_TR_NOOP, tr
from ..shell.style import set_prop

SIDE_TEXT = {
    "left": QT_TR_NOOP("left"),
    "right": QT_TR_NOOP("right"),
    "bilateral": QT_TR_NOOP("bilateral"),
    "midline": QT_TR_NOOP("midline"),
    "not_applicable": "",
}  # shown through tr()


class PatientHeader(QFrame):
    """Who and what: name, birth date and age, MRN, procedure, side, scheduled time, record status."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("patientHeader")
        self.name = QLabel(self)
        self.name.setObjectName("patientName")
        self.name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = QLabel(self)
        self.details.setObjectName("patientDetails")
        self.details.setWordWrap(True)
        self.status = QLabel(self)
        self.status.setObjectName("recordStatus")
        # A site form that differs from the shipped one says so, with both hashes and versions (issue 10).
        self.form_note = QLabel(self)
        self.form_note.setObjectName("siteFormNote")
        self.form_note.setWordWrap(True)
        self.form_note.hide()
        top = QHBoxLayout()
        top.addWidget(self.name, 1)
        top.addWidget(self.status, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addWidget(self.details)
        layout.addWidget(self.form_note)

    def show_case(self, case: CaseState | None) -> None:
        if case is None:
            self.name.setText("")
            self.details.setText("")
            self.status.hide()
            self.form_note.hide()
            return
        self.form_note.setText(case.form_note or "")
        self.form_note.setVisible(bool(case.form_note))
        patient, procedure = case.record.patient, case.record.procedure
        form_type = case.form.procedure_table.get(procedure.type)
        what = form_type.label if form_type else procedure.type
        side = tr(SIDE_TEXT[procedure.laterality]) if procedure.laterality in SIDE_TEXT else procedure.laterality or ""
        at = procedure.scheduled_at.astimezone()
        age = age_on(patient.birth_date, at.date())
        self.name.setText(patient.name)
        self.details.setText(
            tr("Born {born:%d %b %Y} ({age} y, {sex}) · MRN {mrn}").format(
                born=patient.birth_date, age=age, sex=patient.sex, mrn=patient.mrn
            )
            + "\n"
            + f"{what} {procedure.level} {side}".rstrip()
            + tr(" · scheduled {at:%a %d %b %H:%M}").format(at=at)
        )
        status = tr("Draft (amendment)") if case.status == "draft" and case.supersedes_id else case.status.capitalize()
        if case.signed_at is not None:
            status += f" {case.signed_at.astimezone():%d %b %H:%M}"
        self.status.setText(status)
        set_prop(self.status, "status", case.status)
        self.status.show()
