"""Export for the EHR: save a record as PDF/A, FHIR or record JSON, send it over HL7, and see what went where."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
from ...services.files import write_atomically
from ...services.models import User
from ..shell import msgbox
from ..shell.worker import Task, run_in_background

if TYPE_CHECKING:
    from ...services.app import AppServices

# (format code of `records export`, label, file suffix, file-dialog filter)
FORMATS = (
    ("pdf", "PDF/A-3b: the signed PDF with its data inside", ".pdf", "PDF files (*.pdf)"),
    ("fhir", "FHIR R4 Bundle (JSON)", ".fhir.json", "FHIR JSON (*.json)"),
    ("json", "Record JSON", ".json", "JSON files (*.json)"),
)
STATE_WORDS = {"sent": "accepted", "refused": "refused", "pending": "queued"}


class EhrExportDialog(QDialog):
    """One record's way out: a file in a format the EHR takes, or an HL7 message, and the record of each."""

    def __init__(self, svc: AppServices, user: User, record_id: str, title: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._svc, self._user, self.record_id = svc, user, record_id
        self.task: Task | None = None
        self.setObjectName("ehrExportDialog")
        self.setWindowTitle("Export for the EHR")
        heading = QLabel(title, self)
        heading.setObjectName("ehrExportTitle")
        heading.setWordWrap(True)

        self.format_combo = QComboBox(self)
        self.format_combo.setObjectName("ehrExportFormat")
        self.format_combo.setAccessibleName("Export format")
        for code, label, _suffix, _filter in FORMATS:
            self.format_combo.addItem(label, code)
        self.save_button = QPushButton("&Save as…", self)
        self.save_button.setObjectName("ehrExportSave")
        self.save_button.clicked.connect(self.save)

        self.destination_edit = QLineEdit(os.environ.get("CHECKLIST_HL7_AUTOSEND", ""), self)
        self.destination_edit.setObjectName("ehrExportDestination")
        self.destination_edit.setAccessibleName("HL7 destination (host:port)")
        self.destination_edit.setPlaceholderText("interface-engine.example:2575")
        self.send_button = QPushButton("Send &HL7", self)
        self.send_button.setObjectName("ehrExportSend")
        self.send_button.setToolTip("Send the signed PDF as MDM^T02 (T10 when it replaces one) and wait for the ACK")
        self.send_button.clicked.connect(self.send)

        self.history = QListWidget(self)
        self.history.setObjectName("ehrExportHistory")
        self.history.setAccessibleName("What was sent where")
        self.message = QLabel("", self)
        self.message.setObjectName("ehrExportMessage")
        self.message.setWordWrap(True)

        form = QFormLayout()
        save_row = QHBoxLayout()
        save_row.addWidget(self.format_combo, 1)
        save_row.addWidget(self.save_button)
        form.addRow(self._label("&Format", self.format_combo), save_row)
        send_row = QHBoxLayout()
        send_row.addWidget(self.destination_edit, 1)
        send_row.addWidget(self.send_button)
        form.addRow(self._label("HL7 &to", self.destination_edit), send_row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(QLabel("Sent to the EHR", self))
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
            outcome = STATE_WORDS.get(m.state, m.state)
            why = f" — {m.last_error}" if m.last_error and m.state != "sent" else ""
            self.history.addItem(f"{when:%Y-%m-%d %H:%M} {m.kind} to {m.destination}: {outcome}{why}")
        if not self.history.count():
            self.history.addItem("Nothing sent yet.")

    def save(self) -> Path | None:
        code, _label, suffix, file_filter = FORMATS[self.format_combo.currentIndex()]
        path = msgbox.ask_save_path(self, "Export for the EHR", f"checklist-{self.record_id}{suffix}", file_filter)
        if path is None:
            return None
        try:
            write_atomically(Path(path), self._svc.exports.record(self._user, self.record_id, code))
        except (ChecklistError, OSError) as exc:
            msgbox.error(self, "Export for the EHR", f"Could not export: {exc}")
            return None
        self.message.setText(f"Saved {Path(path).name}.")
        return Path(path)

    def send(self) -> None:
        """Send on the worker pool: the EHR's interface engine may take seconds to answer (or time out), and the
        window keeps painting meanwhile, with a busy bar after half a second."""
        destination = self.destination_edit.text().strip()
        if self.task is not None and self.task.running:
            return
        svc, record_id = self._svc, self.record_id
        self.send_button.setEnabled(False)
        self.task = run_in_background(self, "Sending to the EHR…",
                                      lambda: svc.hl7.send(record_id, destination, retries=0), self._sent)

    def _sent(self, delivery: Any, error: BaseException | None) -> None:
        self.send_button.setEnabled(True)
        if isinstance(error, ChecklistError | ValueError):
            msgbox.warn(self, "Send to the EHR", str(error))
            return
        if error is not None:
            raise error
        self.message.setText(delivery.line())
        self.refresh_history()
