"""The commands on the selected saved record: Open, Verify, Co-sign, Amend and Export for the EHR.

RecordsView (records_view.py) builds the filters, the table and the actions over this class; here is what
the actions do with the record selected in the table, and which of them the signed-in user may use on it.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QLabel, QTableView, QWidget

from ...domain.errors import ChecklistError
from ...domain.lifecycle import Action, Status
from ...services.models import CaseState, CaseSummary, Role, User
from ..shell import msgbox
from ..shell.i18n import tr
from .record_dialogs import AmendDialog, CoSignDialog, RecordDialog
from .records_model import RecordsModel
from .verification import verify_record

if TYPE_CHECKING:
    from ...services.app import AppServices
    from ..shell.session import Session


class RecordCommands(QWidget):
    """Signals:
    amendment_started(object): the CaseState of a new amendment draft, for the window to open.
    """

    amendment_started = Signal(object)
    roles: frozenset[Role]
    # Built by RecordsView.__init__.
    _svc: AppServices
    session: Session
    model: RecordsModel
    table: QTableView
    message: QLabel
    record_dialog: RecordDialog | None
    open_action: QAction
    verify_action: QAction
    co_sign_action: QAction
    amend_action: QAction
    export_action: QAction

    @property
    def user(self) -> User | None:
        """The session's user when they are a charge nurse, else None."""
        user = self.session.user
        return user if user is not None and user.roles & self.roles else None

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    # -- the selected record ------------------------------------------------------------------------------------
    def current_summary(self) -> CaseSummary | None:
        index = self.table.currentIndex()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(index.row(), QModelIndex()):
            return None
        return self.model.summary(index.row())

    def select(self, record_id: str) -> bool:
        row = self.model.row_of(record_id)
        if row >= 0:
            self.table.selectRow(row)
        return row >= 0

    def _update_actions(self) -> None:
        summary = self.current_summary()
        user = self.user
        self.open_action.setEnabled(summary is not None)
        self.verify_action.setEnabled(summary is not None and summary.status != Status.DRAFT)
        self.export_action.setEnabled(summary is not None and summary.status != Status.DRAFT)
        co_sign = amend = tr("Select a record first.")
        if summary is not None and user is not None:
            co_sign = self._svc.documents.why_not(user, summary, Action.CO_SIGN) or ""
            amend = self._svc.documents.why_not(user, summary, Action.AMEND) or ""
        self.co_sign_action.setEnabled(not co_sign)
        self.amend_action.setEnabled(not amend)
        self.co_sign_action.setToolTip(co_sign or tr("Sign as “Reviewed by” with your password (Ctrl+Shift+R)"))
        self.amend_action.setToolTip(amend or tr("Start a new version of the record, with a reason (Ctrl+Shift+A)"))

    def _title(self, summary: CaseSummary) -> str:
        return tr("{name} · MRN {mrn} · {status}").format(
            name=summary.patient_name, mrn=summary.mrn, status=summary.status
        )

    def open_current(self) -> RecordDialog | None:
        """Show the selected record read-only: its PDF and the signature badge."""
        summary = self.current_summary()
        if summary is None or self.user is None:
            return None
        return self.open_record(summary.record_id)

    def open_record(self, record_id: str) -> RecordDialog | None:
        user = self.user
        if user is None:
            return None
        try:
            case = self._svc.cases.open_case(user, record_id)  # logged as a view
            # Shown even when tampered: the badge beside it says so, from the same check.
            pdf = self._svc.documents.pdf(user, record_id, refuse_tampered=False)
        except ChecklistError as exc:
            msgbox.warn(self, tr("Open record"), str(exc))
            return None
        if self.record_dialog is not None:
            self.record_dialog.reject()
        dialog = RecordDialog(self._svc, user, case, pdf, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.co_signed.connect(self._on_co_signed)
        dialog.amendment_started.connect(self._on_amendment_started)
        dialog.finished.connect(lambda _result: self._forget_dialog(dialog))
        self.record_dialog = dialog
        # open(), not exec(): window-modal without a nested event loop, so a lock can close it at any time.
        dialog.open()
        return dialog

    def _forget_dialog(self, dialog: RecordDialog) -> None:
        if self.record_dialog is dialog:
            self.record_dialog = None

    def verify_current(self) -> None:
        summary = self.current_summary()
        if summary is None or summary.status == Status.DRAFT:
            return
        try:
            verification = verify_record(self._svc, summary.record_id, summary.status)
        except ChecklistError as exc:
            msgbox.error(self, tr("Signature check"), str(exc))
            return
        show = msgbox.info if verification.verdict == "valid" else msgbox.warn
        show(
            self,
            tr("Signature check"),
            f"{self._title(summary)}\n{verification.badge_text}",
            "\n".join(verification.lines),
        )

    def co_sign_current(self) -> None:
        summary, user = self.current_summary(), self.user
        if summary is None or user is None or self._svc.documents.why_not(user, summary, Action.CO_SIGN):
            return
        dialog = CoSignDialog(self._svc, user, summary.record_id, self._title(summary), self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.signed is not None:
            self._on_co_signed(dialog.signed)

    def amend_current(self) -> None:
        summary, user = self.current_summary(), self.user
        if summary is None or user is None or self._svc.documents.why_not(user, summary, Action.AMEND):
            return
        dialog = AmendDialog(self._svc, user, summary.record_id, self._title(summary), self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.amended is not None:
            self._on_amendment_started(dialog.amended)

    def export_current(self) -> None:
        from .ehr_export import EhrExportDialog

        summary, user = self.current_summary(), self.user
        if summary is None or user is None or summary.status == Status.DRAFT:
            return
        EhrExportDialog(self._svc, user, summary.record_id, self._title(summary), self).exec()

    def _set_status(self, record_id: str, status: str) -> None:
        # The row changes in place: reloading would lose the nurse's place among thousands of records.
        row = self.model.row_of(record_id)
        if row >= 0:
            self.model.replace_row(replace(self.model.summary(row), status=status))
        self._update_actions()

    def _on_co_signed(self, case: CaseState) -> None:
        self._set_status(case.record_id, case.status)
        self._show_message(tr("Co-signed as reviewer. The record now carries both signatures."))

    def _on_amendment_started(self, draft: CaseState) -> None:
        if draft.supersedes_id:
            self._set_status(draft.supersedes_id, Status.AMENDED)
        self._show_message(tr("Amendment started: the new draft version opens in the checklist."))
        self.amendment_started.emit(draft)
