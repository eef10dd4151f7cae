"""New case: patient identifiers (MRN first, for the wristband scanner) and the procedure to be done."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...domain.errors import ChecklistError
from ...domain.records import Patient, Procedure
from ...services.catalog import DEFAULT_FORM_ID, load_form
from ...services.models import CaseState, User
from ..shell.i18n import QT_TR_NOOP, tr

if TYPE_CHECKING:
    from ...services.app import AppServices

# The labels are shown through tr() in _combo.
SEXES = (
    ("female", QT_TR_NOOP("Female")),
    ("male", QT_TR_NOOP("Male")),
    ("other", QT_TR_NOOP("Other")),
    ("unknown", QT_TR_NOOP("Unknown")),
)
SIDES = (
    ("left", QT_TR_NOOP("Left")),
    ("right", QT_TR_NOOP("Right")),
    ("bilateral", QT_TR_NOOP("Bilateral")),
    ("midline", QT_TR_NOOP("Midline")),
    ("not_applicable", QT_TR_NOOP("Not applicable")),
)
_BIRTH = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})$")
_TIME = re.compile(r"^(\d{1,2}):?(\d{2})$")


def _combo(parent: QWidget, name: str, accessible: str, options: tuple[tuple[str, str], ...]) -> QComboBox:
    combo = QComboBox(parent)
    combo.setObjectName(name)
    combo.setAccessibleName(accessible)
    combo.addItem(tr("Choose…"), None)  # no default: sex and side are facts to be checked, not guessed
    for code, label in options:
        combo.addItem(tr(label), code)
    return combo


class NewCaseDialog(QDialog):
    """Enter moves to the next field (a scanner ends the MRN with Enter); Ctrl+Enter or Create saves."""

    def __init__(
        self, svc: AppServices, user: User, parent: QWidget | None = None, *, mrn: str = "", day: date | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("newCaseDialog")
        self.setWindowTitle(tr("New case"))
        self._svc = svc
        self._user = user
        self.case: CaseState | None = None
        form = load_form(DEFAULT_FORM_ID)
        # The levels each procedure type can be at (the form's list): no caudal injection at C6-C7.
        self._levels = {p.code: p.levels for p in form.procedure_types}
        self._procedures = form.procedure_table

        self.mrn_edit = QLineEdit(mrn, self)
        self.mrn_edit.setObjectName("mrnEdit")
        self.mrn_edit.setAccessibleName(tr("MRN"))
        self.mrn_edit.setPlaceholderText(tr("Scan the wristband or type"))
        self.name_edit = QLineEdit(self)
        self.name_edit.setObjectName("nameEdit")
        self.name_edit.setAccessibleName(tr("Patient name"))
        self.birth_edit = QLineEdit(self)
        self.birth_edit.setObjectName("birthEdit")
        self.birth_edit.setAccessibleName(tr("Date of birth"))
        self.birth_edit.setPlaceholderText(tr("YYYY-MM-DD"))
        self.sex_combo = _combo(self, "sexCombo", tr("Sex"), SEXES)
        self.type_combo = _combo(
            self, "procedureCombo", tr("Procedure"), tuple((p.code, p.label) for p in form.procedure_types)
        )
        # A drop-down of the form's levels for the chosen type, not typing: a caudal injection cannot be at C6-C7.
        # Keyboard: arrows or the first characters pick, Alt+Down opens the list. Editable only for a type whose
        # form lists no levels (a site form may leave them free).
        self.level_combo = QComboBox(self)
        self.level_combo.setObjectName("levelCombo")
        self.level_combo.setAccessibleName(tr("Level"))
        self.level_note = QLabel(self)
        self.level_note.setObjectName("levelNote")
        self.level_note.setWordWrap(True)
        self.level_note.setProperty("muted", True)
        self.level_note.hide()
        self.side_combo = _combo(self, "sideCombo", tr("Side"), SIDES)
        # Plain text, not a QDateEdit: its sections took Tab (to the month) and digits typed for the time changed
        # the date. Typed text changes only when the person types it.
        self.day_edit = QLineEdit((day or date.today()).isoformat(), self)
        self.day_edit.setObjectName("dayEdit")
        self.day_edit.setAccessibleName(tr("Scheduled day"))
        self.day_edit.setPlaceholderText(tr("YYYY-MM-DD"))
        self.known = QLabel(self)
        self.known.setObjectName("knownPatient")
        self.known.setWordWrap(True)
        self.known.setProperty("muted", True)
        self.known.hide()
        self.time_edit = QLineEdit(self)
        self.time_edit.setObjectName("timeEdit")
        self.time_edit.setAccessibleName(tr("Scheduled time"))
        self.time_edit.setPlaceholderText(tr("HH:MM"))
        when = QHBoxLayout()
        when.addWidget(self.day_edit)
        when.addWidget(self.time_edit)

        self.error = QLabel(self)
        self.error.setObjectName("formError")
        self.error.setWordWrap(True)
        self.error.hide()
        self.create_button = QPushButton(tr("Create"), self)
        self.create_button.setObjectName("createCase")
        self.create_button.setProperty("primary", True)
        self.create_button.setToolTip(tr("Create the case (Ctrl+Enter)"))
        self.cancel_button = QPushButton(tr("Cancel"), self)
        self.cancel_button.setObjectName("cancelCase")
        for button in (self.create_button, self.cancel_button):
            button.setAutoDefault(False)  # Enter must not submit half a form: it moves to the next field

        fields = QFormLayout()
        fields.addRow(tr("&MRN"), self.mrn_edit)
        fields.addRow("", self.known)
        fields.addRow(tr("&Name"), self.name_edit)
        fields.addRow(tr("&Born"), self.birth_edit)
        fields.addRow(tr("Se&x"), self.sex_combo)
        fields.addRow(tr("&Procedure"), self.type_combo)
        fields.addRow(tr("&Level"), self.level_combo)
        fields.addRow("", self.level_note)
        fields.addRow(tr("&Side"), self.side_combo)
        fields.addRow(tr("Sc&heduled"), when)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.create_button)
        layout = QVBoxLayout(self)
        layout.addLayout(fields)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self._order: list[QWidget] = [
            self.mrn_edit,
            self.name_edit,
            self.birth_edit,
            self.sex_combo,
            self.type_combo,
            self.level_combo,
            self.side_combo,
            self.day_edit,
            self.time_edit,
        ]
        for first, second in zip(self._order, self._order[1:], strict=False):
            self.setTabOrder(first, second)
        self.setTabOrder(self.time_edit, self.create_button)

        self.type_combo.currentIndexChanged.connect(self._offer_levels)
        self._offer_levels()
        self.create_button.clicked.connect(self.submit)
        self.cancel_button.clicked.connect(self.reject)
        self.mrn_edit.editingFinished.connect(self.look_up_mrn)
        self.mrn_edit.textEdited.connect(self._forget_known)
        if mrn and self.look_up_mrn():
            self.type_combo.setFocus()
        else:
            (self.name_edit if mrn else self.mrn_edit).setFocus()

    def look_up_mrn(self) -> bool:
        """A known MRN fills in its patient, whose name, birth date and sex cannot then be typed differently."""
        try:
            patient = self._svc.cases.known_patient(self.mrn_edit.text())
        except ChecklistError:
            patient = None  # the store will say so at Create; the nurse can still type
        if patient is None:
            self._forget_known()
            return False
        self.mrn_edit.setText(patient.mrn)  # as registered: Create then books this very patient
        self.name_edit.setText(patient.name)
        self.birth_edit.setText(patient.birth_date.isoformat())
        self.sex_combo.setCurrentIndex(max(0, self.sex_combo.findData(patient.sex)))
        for widget in (self.name_edit, self.birth_edit, self.sex_combo):
            widget.setEnabled(False)
        self.known.setText(
            tr(
                "Known patient: name, birth date and sex come from this MRN's earlier record. If they "
                "are wrong, a charge nurse or administrator corrects them; a different person needs "
                "their own MRN."
            )
        )
        self.known.show()
        return True

    def _forget_known(self) -> None:
        if self.known.isVisible():
            self.name_edit.clear()
            self.birth_edit.clear()
            self.sex_combo.setCurrentIndex(0)
            for widget in (self.name_edit, self.birth_edit, self.sex_combo):
                widget.setEnabled(True)
            self.known.hide()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            focus = self.focusWidget()
            if event.modifiers() & Qt.KeyboardModifier.ControlModifier or focus is self.time_edit:
                self.submit()
            elif isinstance(focus, QPushButton):
                focus.click()
            else:
                self.focusNextChild()
            return
        super().keyPressEvent(event)

    def levels(self) -> tuple[str, ...]:
        """The levels the chosen procedure type can be at (empty: none chosen, or the form leaves it free)."""
        return self._levels.get(self.type_combo.currentData(), ())

    def _offer_levels(self) -> None:
        levels = self.levels()
        kept = None if self.level_combo.isEditable() else self.level_combo.currentData()
        self.level_combo.clear()
        self.level_combo.setEditable(not levels and self.type_combo.currentData() is not None)
        # First: not known yet (the schedule may not say; the nurse confirms it before the first answer).
        self.level_combo.addItem(tr("Not known yet"), "")
        for level in levels:
            self.level_combo.addItem(level, level)
        if kept and kept in levels:
            self.level_combo.setCurrentIndex(self.level_combo.findData(kept))
        if self.level_combo.isEditable():
            self.level_combo.setEditText("")
            line = self.level_combo.lineEdit()
            if line is not None:
                line.setPlaceholderText(tr("e.g. L4-L5"))
        procedure = self._procedures.get(self.type_combo.currentData())
        unconfirmed = procedure is not None and bool(levels) and not procedure.levels_confirmed
        self.level_note.setText(
            tr("⚠ These levels need clinician confirmation: no source gives them.") if unconfirmed else ""
        )
        self.level_note.setVisible(unconfirmed)

    def _fail(self, message: str, widget: QWidget) -> None:
        self.error.setText(message)
        self.error.show()
        widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def submit(self) -> None:
        """Check what a person can check, then let the service create the case (and refuse with its reason)."""
        mrn, name = self.mrn_edit.text().strip(), " ".join(self.name_edit.text().split())
        if not mrn:
            return self._fail(tr("Enter the MRN (scan the wristband or type it)."), self.mrn_edit)
        if not name:
            return self._fail(tr("Enter the patient's name."), self.name_edit)
        birth = _BIRTH.match(self.birth_edit.text().strip())
        try:
            born = date(int(birth.group(1)), int(birth.group(2)), int(birth.group(3))) if birth else None
        except ValueError:
            born = None
        if born is None:
            return self._fail(tr("Enter the date of birth as YYYY-MM-DD."), self.birth_edit)
        for combo, missing in (
            (self.sex_combo, tr("Choose the sex.")),
            (self.type_combo, tr("Choose the procedure.")),
            (self.side_combo, tr("Choose the side.")),
        ):
            if combo.currentData() is None:
                return self._fail(missing, combo)
        # Empty: not known yet (the nurse confirms it before the first answer). Picked from the form's list, else
        # typed (a type whose form lists no levels).
        level = (
            self.level_combo.currentText() if self.level_combo.isEditable() else self.level_combo.currentData() or ""
        ).strip()
        clock = _TIME.match(self.time_edit.text().strip())
        if not clock or int(clock.group(1)) > 23 or int(clock.group(2)) > 59:
            return self._fail(tr("Enter the scheduled time as HH:MM."), self.time_edit)
        try:
            day = date.fromisoformat(self.day_edit.text().strip())
        except ValueError:
            return self._fail(tr("Enter the scheduled day as YYYY-MM-DD."), self.day_edit)
        scheduled = datetime.combine(day, time(int(clock.group(1)), int(clock.group(2)))).astimezone()
        try:
            patient = Patient(name=name, birth_date=born, mrn=mrn, sex=self.sex_combo.currentData())
            procedure = Procedure(
                type=self.type_combo.currentData(),
                level=level,
                laterality=self.side_combo.currentData(),
                scheduled_at=scheduled,
            )
            self.case = self._svc.cases.new_case(self._user, patient, procedure)
        except (ChecklistError, ValueError) as exc:
            return self._fail(str(exc), self.mrn_edit)
        self.accept()
        return None
