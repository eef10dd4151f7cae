"""A saved record opened read-only (its PDF and signature badge), and the co-sign and amendment dialogs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...domain.errors import ChecklistError
from ...domain.lifecycle import Action, Status
from ...services.errors import LoginError, SigningRefused
from ...services.models import CaseState, Meaning, User
from ..shell import msgbox
from ..shell.commands import action_button, command
from ..shell.fields import password_field
from ..shell.i18n import QT_TR_NOOP, tr
from ..shell.style import set_prop
from ..shell.worker import Task, run_in_background
from .pdf_preview import PdfPreviewDialog
from .verification import Verification, verify_record

if TYPE_CHECKING:
    from ...services.app import AppServices

# The badge's look lives with the badge: three verdicts, each with a word and a glyph as well as a colour.
BADGE_STYLE = """
#verificationBadge { border-radius: 4px; padding: 6px 10px; font-weight: bold; border: 1px solid #a9b1bd;
                     background: #eef0f3; color: #3a4350; }
#verificationBadge[verdict="valid"] { background: #e6f3ea; border-color: #1e7a3c; color: #145c2b; }
#verificationBadge[verdict="invalid"],
#verificationBadge[verdict="tampered"] { background: #fde7e5; border: 2px solid #b3261e; color: #7a1610; }
"""
AMEND_REASON_MIN = 10  # a few words at least: "typo" alone does not tell the next reader what changed


CO_SIGN_HINT = QT_TR_NOOP("Enter your password to co-sign.")  # shown as tr(CO_SIGN_HINT)


class CoSignDialog(QDialog):
    """Co-sign as “Reviewed by”: the manifestation, the password again, and the service's refusal if any."""

    def __init__(self, svc: AppServices, user: User, record_id: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("coSignDialog")
        self.setWindowTitle(tr("Co-sign as reviewer"))
        self._svc = svc
        self._user = user
        self._record_id = record_id
        self.signed: CaseState | None = None
        self.task: Task | None = None

        who = QLabel(title, self)
        who.setObjectName("signPatient")
        self.manifestation = QLabel(svc.documents.manifestation(user, Meaning.REVIEWED), self)
        self.manifestation.setObjectName("manifestation")
        self.manifestation.setWordWrap(True)
        self.manifestation.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.password_edit = password_field(self, "coSignPassword", tr("Your password"))
        self.reason = QLabel(self)
        self.reason.setObjectName("signReason")
        self.reason.setWordWrap(True)
        self.reason.setAccessibleName(tr("Why co-signing is not possible"))
        self.sign_button = QPushButton(tr("Co-sign"), self)
        self.sign_button.setObjectName("coSignConfirm")
        self.sign_button.setProperty("primary", True)
        self.sign_button.setAutoDefault(False)
        cancel = QPushButton(tr("Cancel"), self)
        cancel.setObjectName("coSignCancel")
        cancel.setAutoDefault(False)

        fields = QFormLayout()
        fields.addRow(tr("&Password"), self.password_edit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.reason, 1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.sign_button)
        layout = QVBoxLayout(self)
        layout.addWidget(who)
        layout.addWidget(QLabel(tr("By co-signing you state:"), self))
        layout.addWidget(self.manifestation)
        layout.addLayout(fields)
        layout.addLayout(buttons)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 40)

        self.password_edit.textChanged.connect(self._update)
        self.password_edit.returnPressed.connect(self.submit)
        self.sign_button.clicked.connect(self.submit)
        cancel.clicked.connect(self.reject)
        self._update()
        self.password_edit.setFocus()

    def _update(self) -> None:
        self._show_reason(None if self.password_edit.text() else tr(CO_SIGN_HINT))

    def _show_reason(self, reason: str | None, *, error: bool = False) -> None:
        self.sign_button.setEnabled(reason is None)
        self.reason.setText(reason or tr("Ready to co-sign."))
        set_prop(self.reason, "ok", reason is None and not error)
        set_prop(self.reason, "hint", reason == tr(CO_SIGN_HINT) and not error)  # what comes next, not a refusal

    def submit(self) -> None:
        """Co-sign on the worker pool (the password hash and the PDF signature take a second or more); the dialog
        keeps painting, with a busy bar if it takes longer than half a second."""
        if not self.password_edit.text() or (self.task is not None and self.task.running):
            return
        svc, user, record_id, password = self._svc, self._user, self._record_id, self.password_edit.text()
        self.password_edit.setEnabled(False)
        self.sign_button.setEnabled(False)
        self.task = run_in_background(
            self, "Co-signing…", lambda: svc.documents.co_sign(user, password, record_id), self._done
        )

    def _done(self, signed: CaseState | None, error: BaseException | None) -> None:
        self.password_edit.setEnabled(True)
        self._update()
        if error is None:
            self.signed = signed
            self.accept()  # after the lock rejected it, this changes nothing: its caller has moved on
            return
        try:
            raise error
        except LoginError as exc:
            self.password_edit.blockSignals(True)  # keep the refusal on screen while the field empties
            self.password_edit.clear()
            self.password_edit.blockSignals(False)
            self._show_reason(tr("{exc} Nothing was signed.").format(exc=exc), error=True)
            self.sign_button.setEnabled(False)
            self.password_edit.setFocus()
        except SigningRefused as exc:
            self._show_reason(str(exc), error=True)
            self.sign_button.setEnabled(False)
        except ChecklistError as exc:
            msgbox.error(self, tr("Not co-signed"), str(exc))


class AmendDialog(QDialog):
    """Start an amendment: the reason is required and kept with the new version; the signed one stays."""

    def __init__(self, svc: AppServices, user: User, record_id: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("amendDialog")
        self.setWindowTitle(tr("Start an amendment"))
        self._svc = svc
        self._user = user
        self._record_id = record_id
        self.amended: CaseState | None = None

        who = QLabel(title, self)
        who.setObjectName("signPatient")
        explain = QLabel(
            tr(
                "An amendment is a new draft version of this checklist. The signed version stays exactly "
                "as it is and is marked “amended”; the new version must be signed again."
            ),
            self,
        )
        explain.setWordWrap(True)
        self.reason_edit = QPlainTextEdit(self)
        self.reason_edit.setObjectName("amendReason")
        self.reason_edit.setAccessibleName(tr("Reason for the amendment"))
        self.reason_edit.setPlaceholderText(tr("What is wrong in the signed version, and why it must change"))
        self.reason_edit.setTabChangesFocus(True)  # Tab moves on to the buttons, as everywhere else
        self.reason_edit.setMinimumHeight(self.fontMetrics().lineSpacing() * 4)
        self.hint = QLabel(self)
        self.hint.setObjectName("signReason")
        self.hint.setWordWrap(True)
        self.start_button = QPushButton(tr("Start amendment"), self)
        self.start_button.setObjectName("amendConfirm")
        self.start_button.setProperty("primary", True)
        self.start_button.setAutoDefault(False)
        cancel = QPushButton(tr("Cancel"), self)
        cancel.setObjectName("amendCancel")
        cancel.setAutoDefault(False)

        reason_label = QLabel(tr("&Reason"), self)
        reason_label.setBuddy(self.reason_edit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.hint, 1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.start_button)
        layout = QVBoxLayout(self)
        layout.addWidget(who)
        layout.addWidget(explain)
        layout.addWidget(reason_label)
        layout.addWidget(self.reason_edit, 1)
        layout.addLayout(buttons)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 40)

        self.reason_edit.textChanged.connect(self._update)
        self.start_button.clicked.connect(self.submit)
        cancel.clicked.connect(self.reject)
        self._update()
        self.reason_edit.setFocus()

    def reason(self) -> str:
        return self.reason_edit.toPlainText().strip()

    def _update(self) -> None:
        short = len(self.reason()) < AMEND_REASON_MIN
        self.start_button.setEnabled(not short)
        self.hint.setText(tr("Write the reason (at least {n} characters).").format(n=AMEND_REASON_MIN) if short else "")

    def submit(self) -> None:
        if len(self.reason()) < AMEND_REASON_MIN:
            return
        try:
            self.amended = self._svc.documents.amend(self._user, self._record_id, self.reason())
        except ChecklistError as exc:
            msgbox.error(self, tr("Amendment not started"), str(exc))
            return
        self.accept()


class RecordDialog(PdfPreviewDialog):
    """A saved record read-only: the signature badge above its PDF, with Verify, Co-sign and Amend.

    Signals:
        co_signed(object): the record's CaseState after the co-signature (the dialog closes; reopen to see it).
        amendment_started(object): the new draft's CaseState (the old record is now "amended").
    """

    co_signed = Signal(object)
    amendment_started = Signal(object)

    def __init__(
        self, svc: AppServices, user: User, case: CaseState, pdf: bytes, parent: QWidget | None = None
    ) -> None:
        patient = case.record.patient
        self.title = tr("{name} · MRN {mrn} · {status}").format(name=patient.name, mrn=patient.mrn, status=case.status)
        name = f"checklist-{patient.mrn}-{case.record.procedure.scheduled_at:%Y%m%d}.pdf"
        super().__init__(parent, pdf, self.title, suggested_name=name)
        self.setObjectName("recordDialog")
        self.setStyleSheet(BADGE_STYLE)
        self._svc = svc
        self._user = user
        self.case = case
        self.record_pdf = pdf
        # Paper copies are the coordinator's job, and go through the print queue so they are stamped and logged.
        self.print_action.setVisible(False)
        self.print_action.setEnabled(False)

        self.badge = QLabel(self)
        self.badge.setObjectName("verificationBadge")
        self.badge.setWordWrap(True)
        self.badge.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.amendment_note = QLabel(self)
        self.amendment_note.setObjectName("amendmentNote")
        self.amendment_note.setWordWrap(True)
        self.amendment_note.setProperty("muted", True)

        self.verify_action = command(
            self, tr("&Verify"), "Ctrl+Shift+V", self.verify, tr("Check the signatures and the stored record again")
        )
        self.co_sign_action = command(
            self, tr("&Co-sign…"), "Ctrl+Shift+R", self.co_sign, tr("Sign as “Reviewed by” with your password")
        )
        self.amend_action = command(
            self, tr("&Amend…"), "Ctrl+Shift+A", self.amend, tr("Start a new version of this checklist, with a reason")
        )
        bar = QHBoxLayout()
        bar.addWidget(self.badge, 1)
        for action in (self.verify_action, self.co_sign_action, self.amend_action):
            bar.addWidget(action_button(action))
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertLayout(0, bar)
        layout.insertWidget(1, self.amendment_note)
        layout.setContentsMargins(6, 6, 6, 0)
        self.verification = self._show_verification()
        self._update_actions()

    def _show_verification(self) -> Verification:
        verification = verify_record(self._svc, self.case.record_id, self.case.status)
        self.badge.setText(verification.badge_text)
        self.badge.setAccessibleName(tr("Signature check: {badge}").format(badge=verification.badge_text))
        self.badge.setToolTip("\n".join(verification.lines))
        set_prop(self.badge, "verdict", verification.verdict)
        if self.case.supersedes_id:
            self.amendment_note.setText(tr("This is an amendment of an earlier signed version."))
        elif self.case.status == Status.AMENDED:
            self.amendment_note.setText(
                tr("This version was amended; a newer version replaces it. It stays here exactly as it was signed.")
            )
        self.amendment_note.setVisible(bool(self.amendment_note.text()))
        return verification

    def _update_actions(self) -> None:
        why_not = self._svc.documents.why_not
        for action, reason in (
            (self.co_sign_action, why_not(self._user, self.case, Action.CO_SIGN)),
            (self.amend_action, why_not(self._user, self.case, Action.AMEND)),
        ):
            action.setEnabled(reason is None)
            if reason:
                action.setToolTip(reason)
        self.verify_action.setEnabled(self.case.status != Status.DRAFT)

    def verify(self) -> None:
        self.verification = self._show_verification()
        show = msgbox.info if self.verification.verdict == "valid" else msgbox.warn
        show(self, tr("Signature check"), self.verification.badge_text, "\n".join(self.verification.lines))

    def co_sign(self) -> None:
        dialog = CoSignDialog(self._svc, self._user, self.case.record_id, self.title, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.signed is not None:
            self.accept()
            self.co_signed.emit(dialog.signed)

    def amend(self) -> None:
        dialog = AmendDialog(self._svc, self._user, self.case.record_id, self.title, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.amended is not None:
            self.accept()
            self.amendment_started.emit(dialog.amended)
