"""Signing a checklist: what the signature means, the password again, and why signing is not possible yet."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
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
from ...domain.lifecycle import override_authorisers
from ...services.errors import ConflictError, LoginError, SigningRefused
from ...services.models import CaseState, Meaning, User
from ...services.signing_rules import first_meaning
from ..checklist.readiness_banner import summary_text
from ..shell import msgbox
from ..shell.fields import password_field
from ..shell.i18n import QT_TR_NOOP, tr
from ..shell.style import set_prop, state_text
from ..shell.worker import Task, run_in_background

if TYPE_CHECKING:
    from ...services.app import AppServices


PASSWORD_HINT = QT_TR_NOOP("Enter your password to sign.")  # shown as tr(PASSWORD_HINT)


class SignDialog(QDialog):
    """Sign as “Prepared by” (or “Amended by”). `signed` holds the new CaseState once the service has signed.

    A NOT READY checklist whose blockers all allow an override can be signed with a typed reason;
    the service decides (why_not_signable), the dialog only shows its words.
    """

    def __init__(self, svc: AppServices, user: User, case: CaseState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signDialog")
        self._svc = svc
        self._user = user
        self._case = case
        self.signed: CaseState | None = None
        self.conflict = False
        # "Prepared by", or "Amended by" for the draft of an amendment: the service's rule.
        self.meaning: Meaning = first_meaning(case)
        self.setWindowTitle(tr("Sign checklist — {label}").format(label=self.meaning.label))
        readiness = case.readiness
        patient = case.record.patient

        who = QLabel(tr("{name} · MRN {mrn}").format(name=patient.name, mrn=patient.mrn), self)
        who.setObjectName("signPatient")
        state = QLabel(f"{state_text(readiness.state)} — {summary_text(readiness)}", self)
        state.setObjectName("signState")
        state.setWordWrap(True)
        self.manifestation = QLabel(self)
        self.manifestation.setObjectName("manifestation")
        self.manifestation.setWordWrap(True)
        self.manifestation.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.override_edit = QLineEdit(self)
        self.override_edit.setObjectName("overrideReason")
        self.override_edit.setAccessibleName(tr("Override reason"))
        self.override_edit.setPlaceholderText(tr("Why the procedure goes ahead despite the blockers"))
        # Rules v2: an override names the clinician who authorised it (the form says which role).
        self.authorised_edit = QLineEdit(self)
        self.authorised_edit.setObjectName("overrideAuthorisedBy")
        self.authorised_edit.setAccessibleName(tr("Override authorised by"))
        self.authorised_edit.setPlaceholderText(
            tr("Name of the {who} who authorised it").format(who=override_authorisers(readiness))
        )
        self.password_edit = password_field(self, "signPassword", tr("Your password"))
        self.reason = QLabel(self)
        self.reason.setObjectName("signReason")
        self.reason.setWordWrap(True)
        self.reason.setAccessibleName(tr("Why signing is not possible"))
        self.sign_button = QPushButton(tr("Sign"), self)
        self.sign_button.setObjectName("signConfirm")
        self.sign_button.setProperty("primary", True)
        self.sign_button.setAutoDefault(False)
        self.cancel_button = QPushButton(tr("Cancel"), self)
        self.cancel_button.setObjectName("signCancel")
        self.cancel_button.setAutoDefault(False)

        # Only offered when every blocker allows an override (hard stops never do).
        self._override_allowed = readiness.state == "not_ready" and readiness.can_override
        fields = QFormLayout()
        if self._override_allowed:
            blockers = QLabel("\n".join(f"✖ {b.reason}" for b in readiness.blockers), self)
            blockers.setObjectName("signBlockers")
            blockers.setWordWrap(True)
            fields.addRow(tr("Blockers"), blockers)
            fields.addRow(tr("&Override reason"), self.override_edit)
            fields.addRow(tr("&Authorised by"), self.authorised_edit)
        else:
            self.override_edit.hide()
            self.authorised_edit.hide()
        fields.addRow(tr("&Password"), self.password_edit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.reason, 1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.sign_button)
        layout = QVBoxLayout(self)
        layout.addWidget(who)
        layout.addWidget(state)
        layout.addWidget(QLabel(tr("By signing you state:"), self))
        layout.addWidget(self.manifestation)
        layout.addLayout(fields)
        layout.addLayout(buttons)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 40)

        self.override_edit.textChanged.connect(self._update)
        self.password_edit.textChanged.connect(self._update)
        self.password_edit.returnPressed.connect(self.submit)
        self.authorised_edit.textChanged.connect(self._update)
        self.override_edit.returnPressed.connect(self.authorised_edit.setFocus)
        self.authorised_edit.returnPressed.connect(self.password_edit.setFocus)
        self.sign_button.clicked.connect(self.submit)
        self.cancel_button.clicked.connect(self.reject)
        self._refused: str | None = None
        self.task: Task | None = None
        self._update()
        (self.override_edit if self._override_allowed else self.password_edit).setFocus()

    def override_reason(self) -> str | None:
        text = self.override_edit.text().strip() if self._override_allowed else ""
        return text or None

    def authorised_by(self) -> str | None:
        text = self.authorised_edit.text().strip() if self._override_allowed else ""
        return text or None

    def why_not(self) -> str | None:
        """The reason signing is not possible now, in the service's words (or the missing password)."""
        reason = self._svc.documents.why_not_signable(
            self._user, self._case, self.meaning, self.override_reason(), self.authorised_by()
        )
        if reason:
            return reason
        if not self.password_edit.text():
            return tr(PASSWORD_HINT)
        return None

    def _update(self) -> None:
        self._refused = None
        self.manifestation.setText(
            self._svc.documents.manifestation(
                self._user, self.meaning, self.override_reason(), authorised_by=self.authorised_by()
            )
        )
        self._show_reason(self.why_not())

    def _show_reason(self, reason: str | None, *, error: bool = False) -> None:
        self.sign_button.setEnabled(reason is None)
        self.sign_button.setToolTip(reason or tr("Sign now"))
        self.reason.setText(reason or tr("Ready to sign."))
        set_prop(self.reason, "ok", reason is None and not error)
        set_prop(self.reason, "hint", reason == tr(PASSWORD_HINT) and not error)

    def submit(self) -> None:
        """Sign on the worker pool (the password hash, the PDF and its signature take a second or more); the
        dialog keeps painting, with a busy bar if it takes longer than half a second."""
        if self.why_not() is not None or (self.task is not None and self.task.running):
            return
        svc, user, case, reason = self._svc, self._user, self._case, self.override_reason()
        authoriser, password = self.authorised_by(), self.password_edit.text()
        for widget in (self.sign_button, self.password_edit, self.override_edit, self.authorised_edit):
            widget.setEnabled(False)
        self.task = run_in_background(
            self,
            tr("Signing…"),
            lambda: svc.documents.sign(user, password, case, override_reason=reason, authorised_by=authoriser),
            self._done,
        )

    def _done(self, signed: CaseState | None, error: BaseException | None) -> None:
        self.password_edit.setEnabled(True)
        self.override_edit.setEnabled(True)
        self.authorised_edit.setEnabled(True)
        self._update()
        if error is None:
            self.signed = signed
            if self.isVisible():  # else the screen locked meanwhile: the checklist shows it signed on return
                self.accept()
            return
        try:
            raise error
        except LoginError as exc:
            # Nothing was signed: say so, and let the nurse try again (the service counts the attempt).
            self.password_edit.blockSignals(True)
            self.password_edit.clear()
            self.password_edit.blockSignals(False)
            self._show_reason(tr("{exc} Nothing was signed.").format(exc=exc), error=True)
            self.sign_button.setEnabled(False)
            self.password_edit.setFocus()
            return
        except SigningRefused as exc:
            self._show_reason(str(exc), error=True)
            return
        except ConflictError as exc:
            self.conflict = True
            msgbox.warn(
                self,
                tr("Changed on another workstation"),
                str(exc),
                tr("Nothing was signed. Check the reloaded checklist and sign again."),
            )
            self.reject()
            return
        except ChecklistError as exc:
            msgbox.error(self, tr("Not signed"), str(exc))
