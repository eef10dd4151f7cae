"""Export for the EHR: save a record as PDF/A, FHIR or record JSON, send it over HL7, and see what went where."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...domain.errors import ChecklistError
from ...services.ehr_outbox import NO_ANSWER, TIMEOUT_S, Delivery
from ...services.files import write_atomically
from ...services.models import User
from ..shell import msgbox
from ..shell.i18n import QT_TR_NOOP, tr
from ..shell.worker import Task, run_in_background

if TYPE_CHECKING:
    from ...services.app import AppServices

# (format code of `records export`, label, file suffix, file-dialog filter)
FORMATS = (
    ("pdf", QT_TR_NOOP("PDF/A-3b: the signed PDF with its data inside"), ".pdf", QT_TR_NOOP("PDF files (*.pdf)")),
    ("fhir", QT_TR_NOOP("FHIR R4 Bundle (JSON)"), ".fhir.json", QT_TR_NOOP("FHIR JSON (*.json)")),
    ("json", QT_TR_NOOP("Record JSON"), ".json", QT_TR_NOOP("JSON files (*.json)")),
)  # the labels and filters are shown through tr()
STATE_WORDS = {"sent": QT_TR_NOOP("accepted"), "refused": QT_TR_NOOP("refused"), "pending": QT_TR_NOOP("queued")}


class EhrExportDialog(QDialog):
    """One record's way out: a file in a format the EHR takes, or an HL7 message, and the record of each."""

    def __init__(self, svc: AppServices, user: User, record_id: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._svc, self._user, self.record_id = svc, user, record_id
        self.task: Task | None = None  # the HL7 send in progress
        self.send_timeout_s = TIMEOUT_S  # how long a silent interface engine is waited for
        self.setObjectName("ehrExportDialog")
        self.setWindowTitle(tr("Export for the EHR"))
        heading = QLabel(title, self)
        heading.setObjectName("ehrExportTitle")
        heading.setWordWrap(True)

        self.format_combo = QComboBox(self)
        self.format_combo.setObjectName("ehrExportFormat")
        self.format_combo.setAccessibleName(tr("Export format"))
        for code, label, _suffix, _filter in FORMATS:
            self.format_combo.addItem(tr(label), code)
        self.save_button = QPushButton(tr("&Save as…"), self)
        self.save_button.setObjectName("ehrExportSave")
        self.save_button.clicked.connect(self.save)

        self.destination_edit = QLineEdit(os.environ.get("CHECKLIST_HL7_AUTOSEND", ""), self)
        self.destination_edit.setObjectName("ehrExportDestination")
        self.destination_edit.setAccessibleName(tr("HL7 destination (host:port)"))
        self.destination_edit.setPlaceholderText(tr("interface-engine.example:2575"))
        self.send_button = QPushButton(tr("Send &HL7"), self)
        self.send_button.setObjectName("ehrExportSend")
        self.send_button.setToolTip(
            tr("Send the signed PDF as MDM^T02 (T10 when it replaces one) and wait for the ACK")
        )
        self.send_button.clicked.connect(self.send)

        self.history = QListWidget(self)
        self.history.setObjectName("ehrExportHistory")
        self.history.setAccessibleName(tr("What was sent where"))
        self.message = QLabel("", self)
        self.message.setObjectName("ehrExportMessage")
        self.message.setWordWrap(True)

        form = QFormLayout()
        save_row = QHBoxLayout()
        save_row.addWidget(self.format_combo, 1)
        save_row.addWidget(self.save_button)
        form.addRow(self._label(tr("&Format"), self.format_combo), save_row)
        send_row = QHBoxLayout()
        send_row.addWidget(self.destination_edit, 1)
        send_row.addWidget(self.send_button)
        form.addRow(self._label(tr("HL7 &to"), self.destination_edit), send_row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(QLabel(tr("Sent to the EHR"), self))
        layout.addWidget(self.history, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.refresh_history()

    def _label(self, text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text, self)
        label.setBuddy(buddy)  # Alt+letter goes to the field
        return label

    def refresh_history(self) -> None:
        self.history.clear()
        for m in self._svc.hl7.history(self.record_id):
            when = m.sent_at or m.created_at
            outcome = tr(STATE_WORDS[m.state]) if m.state in STATE_WORDS else m.state
            why = f" — {m.last_error}" if m.last_error and m.state != "sent" else ""
            self.history.addItem(
                tr("{when:%Y-%m-%d %H:%M} {kind} to {destination}: {outcome}{why}").format(
                    when=when, kind=m.kind, destination=m.destination, outcome=outcome, why=why
                )
            )
        if not self.history.count():
            self.history.addItem(tr("Nothing sent yet."))

    def save(self) -> Path | None:
        code, _label, suffix, file_filter = FORMATS[self.format_combo.currentIndex()]
        path = msgbox.ask_save_path(
            self, tr("Export for the EHR"), f"checklist-{self.record_id}{suffix}", tr(file_filter)
        )
        if path is None:
            return None
        try:
            write_atomically(Path(path), self._svc.exports.record(self._user, self.record_id, code))
        except (ChecklistError, OSError) as exc:
            msgbox.error(self, tr("Export for the EHR"), tr("Could not export: {exc}").format(exc=exc))
            return None
        self.message.setText(tr("Saved {name}.").format(name=Path(path).name))
        return Path(path)

    def send(self) -> None:
        """Send on the worker pool: a silent interface engine holds the answer up to the timeout, and the window
        must keep painting meanwhile (with a busy bar after half a second)."""
        if self.task is not None and self.task.running:
            return
        svc, record_id, timeout_s = self._svc, self.record_id, self.send_timeout_s
        destination = self.destination_edit.text().strip()
        self.send_button.setEnabled(False)
        self.message.setText(tr("Sending to {destination}…").format(destination=destination))
        self.task = run_in_background(
            self,
            tr("Sending to {destination} and waiting for its answer (up to {seconds} s)…").format(
                destination=destination, seconds=f"{timeout_s:g}"
            ),
            lambda: svc.hl7.send(record_id, destination, retries=0, timeout_s=timeout_s),
            self._sent,
        )

    def _sent(self, delivery: Delivery | None, error: BaseException | None) -> None:
        self.send_button.setEnabled(True)
        if isinstance(error, ChecklistError | ValueError):
            self.message.setText("")
            msgbox.warn(self, tr("Send to the EHR"), str(error))
            return
        if error is not None or delivery is None:
            self.message.setText(tr("Not sent: {problem}").format(problem=error))
            return
        if delivery.state == "pending" and delivery.detail == NO_ANSWER:
            self.message.setText(
                tr(
                    "No answer from {destination} within {seconds} s: the message is not confirmed "
                    "and stays queued (checklist-app hl7 flush sends it again)."
                ).format(destination=delivery.message.destination, seconds=f"{self.send_timeout_s:g}")
            )
        else:
            self.message.setText(delivery.line())
        self.refresh_history()
