"""Cases that do not go ahead: the Reschedule and Cancel case dialogs, and the window's two commands."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...domain.errors import ChecklistError
from ...domain.lifecycle import CANCELLED_LABEL, Action
from ...services.errors import LoginError
from ...services.models import CaseState, User
from ..shell.fields import password_field
from ..shell.i18n import tr
from ..shell.style import set_prop
from ..shell.worker import Task, run_in_background

if TYPE_CHECKING:
    from ...services.app import AppServices

TIME_FORMAT = "%Y-%m-%d %H:%M"


def parse_new_time(text: str) -> datetime:
    """'2026-12-04 09:30' as this workstation's local time; nothing else is guessed (a new time is read back)."""
    try:
        return datetime.strptime(text.strip(), TIME_FORMAT).astimezone()
    except ValueError:
        raise ValueError(tr("Type the new date and time as 2026-12-04 09:30.")) from None


class _OutcomeDialog(QDialog):
    """Patient line, the fields, a line saying what is missing or what went wrong, and the two buttons."""

    def __init__(
        self, svc: AppServices, user: User, case: CaseState, title: str, confirm: str, parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self._svc, self._user, self._case = svc, user, case
        self.result_case: CaseState | None = None
        self.setWindowTitle(title)
        patient = case.record.patient
        self.who = QLabel(
            tr("{name} · MRN {mrn} · {at:%a %d %b %H:%M}").format(
                name=patient.name, mrn=patient.mrn, at=case.record.procedure.scheduled_at.astimezone()
            ),
            self,
        )
        self.fields = QFormLayout()
        self.message = QLabel(self)
        self.message.setObjectName("outcomeMessage")
        self.message.setWordWrap(True)
        self.confirm_button = QPushButton(confirm, self)
        self.confirm_button.setObjectName("outcomeConfirm")
        self.confirm_button.setProperty("primary", True)
        self.confirm_button.setAutoDefault(False)
        self.close_button = QPushButton(tr("Close"), self)
        self.close_button.setObjectName("outcomeClose")
        self.close_button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.confirm_button)
        self.layout_ = QVBoxLayout(self)
        self.layout_.addWidget(self.who)
        self.layout_.addLayout(self.fields)
        self.layout_.addLayout(buttons)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 40)
        self.confirm_button.clicked.connect(self.submit)
        self.close_button.clicked.connect(self.reject)

    def missing(self) -> str | None:
        raise NotImplementedError

    def submit(self) -> None:
        raise NotImplementedError

    def update_state(self) -> None:
        """What is still needed, in plain words and never red: nothing has gone wrong yet."""
        missing = self.missing()
        self.confirm_button.setEnabled(missing is None)
        self.message.setText(missing or "")
        set_prop(self.message, "error", False)

    def show_error(self, text: str) -> None:
        self.message.setText(text)
        set_prop(self.message, "error", True)


class RescheduleDialog(_OutcomeDialog):
    """Move a draft to a new time with a reason; the service judges it again at the new time."""

    def __init__(self, svc: AppServices, user: User, case: CaseState, parent: QWidget | None = None) -> None:
        super().__init__(svc, user, case, tr("Reschedule case"), tr("Reschedule"), parent)
        self.setObjectName("rescheduleDialog")
        self.time_edit = QLineEdit(case.record.procedure.scheduled_at.astimezone().strftime(TIME_FORMAT), self)
        self.time_edit.setObjectName("newTime")
        self.time_edit.setAccessibleName(tr("New date and time"))
        self.time_edit.setToolTip(tr("The new date and time, for example 2026-12-04 09:30"))
        self.reason_edit = QLineEdit(self)
        self.reason_edit.setObjectName("rescheduleReason")
        self.reason_edit.setAccessibleName(tr("Reason for the new time"))
        self.reason_edit.setPlaceholderText(tr("For example: patient has a cold, moved to Friday"))
        self.fields.addRow(tr("New &time"), self.time_edit)
        self.fields.addRow(tr("&Reason"), self.reason_edit)
        self.time_edit.textChanged.connect(self.update_state)
        self.reason_edit.textChanged.connect(self.update_state)
        self.time_edit.returnPressed.connect(self.reason_edit.setFocus)
        self.reason_edit.returnPressed.connect(self.submit)
        self.update_state()
        self.time_edit.setFocus()
        self.time_edit.selectAll()

    def missing(self) -> str | None:
        try:
            moment = parse_new_time(self.time_edit.text())
        except ValueError as exc:
            return str(exc)
        if moment == self._case.record.procedure.scheduled_at:
            return tr("Type the new date and time.")
        if not self.reason_edit.text().strip():
            return tr("Say why the case moves.")
        return None

    def submit(self) -> None:
        if self.missing() is not None:
            return
        try:
            self.result_case = self._svc.cases.reschedule(
                self._user, self._case.record_id, parse_new_time(self.time_edit.text()), self.reason_edit.text()
            )
        except ChecklistError as exc:
            self.show_error(str(exc))
            return
        self.accept()


class CancelCaseDialog(_OutcomeDialog):
    """Sign the checklist as “Not ready — procedure cancelled” with its reason (password again)."""

    def __init__(self, svc: AppServices, user: User, case: CaseState, parent: QWidget | None = None) -> None:
        super().__init__(svc, user, case, tr("Cancel case"), tr("Sign as cancelled"), parent)
        self.setObjectName("cancelCaseDialog")
        self.task: Task | None = None  # the signing in progress
        words = QLabel(
            tr(
                "The checklist is signed as it stands with the meaning “{label}” and your "
                "reason. It is never printed as a ready record."
            ).format(label=CANCELLED_LABEL),
            self,
        )
        words.setObjectName("cancelWords")
        words.setWordWrap(True)
        self.layout_.insertWidget(1, words)
        self.reason_edit = QLineEdit(self)
        self.reason_edit.setObjectName("cancelReason")
        self.reason_edit.setAccessibleName(tr("Reason the procedure is cancelled"))
        self.reason_edit.setPlaceholderText(tr("For example: procedure no longer indicated"))
        self.password_edit = password_field(self, "cancelPassword", tr("Your password"))
        self.fields.addRow(tr("&Reason"), self.reason_edit)
        self.fields.addRow(tr("&Password"), self.password_edit)
        self.reason_edit.textChanged.connect(self.update_state)
        self.password_edit.textChanged.connect(self.update_state)
        self.reason_edit.returnPressed.connect(self.password_edit.setFocus)
        self.password_edit.returnPressed.connect(self.submit)
        self.update_state()
        self.reason_edit.setFocus()

    def missing(self) -> str | None:
        refused = self._svc.documents.why_not(self._user, self._case, Action.CANCEL)
        if refused:
            return refused
        if not self.reason_edit.text().strip():
            return tr("Say why the procedure is cancelled.")
        if not self.password_edit.text():
            return tr("Then your password, to sign.")
        return None

    def submit(self) -> None:
        """Sign the cancellation on the worker pool (the password hash, the PDF/A and its signature take a second
        or more): the window keeps painting, with a busy bar after half a second."""
        if self.missing() is not None or (self.task is not None and self.task.running):
            return
        svc, user, record_id = self._svc, self._user, self._case.record_id
        password, reason = self.password_edit.text(), self.reason_edit.text()
        for widget in (self.confirm_button, self.reason_edit, self.password_edit):
            widget.setEnabled(False)
        self.task = run_in_background(
            self,
            tr("Signing the cancellation…"),
            lambda: svc.documents.cancel(user, password, record_id, reason),
            self._done,
        )

    def _done(self, cancelled: CaseState | None, error: BaseException | None) -> None:
        self.reason_edit.setEnabled(True)
        self.password_edit.setEnabled(True)
        self.update_state()
        if error is None:
            self.result_case = cancelled
            self.accept()
            return
        if isinstance(error, LoginError):
            self.password_edit.blockSignals(True)
            self.password_edit.clear()
            self.password_edit.blockSignals(False)
            self.confirm_button.setEnabled(False)
            self.show_error(tr("{exc} Nothing was signed.").format(exc=error))
            self.password_edit.setFocus()
            return
        if isinstance(error, ChecklistError):
            self.show_error(str(error))
            return
        raise error


class CaseWindow(Protocol):
    """What the two commands need of the main window."""

    @property
    def services(self) -> AppServices: ...
    @property
    def user(self) -> User | None: ...
    def open_case(self, record_id: str) -> None: ...
    def show_status(self, text: str, *, error: bool = False) -> None: ...


def add_outcome_actions(window: QWidget, menu: QMenu, case: object) -> tuple[QAction, QAction]:
    """Re&schedule… (Ctrl+Shift+R) and Cancel &case… (Ctrl+Shift+X) in `menu`; `case()` is the open case."""
    owner: CaseWindow = window  # type: ignore[assignment]

    def run(kind: type[RescheduleDialog] | type[CancelCaseDialog], done: str) -> None:
        current: CaseState | None = case()  # type: ignore[operator]
        user = owner.user
        if current is None or user is None:
            owner.show_status(tr("Open a case first."))
            return
        if not current.editable:
            owner.show_status(
                tr("This checklist is {status}; only a draft can be changed.").format(status=current.status)
            )
            return
        dialog = kind(owner.services, user, current, window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def finished() -> None:
            if dialog.result_case is not None:
                owner.open_case(dialog.result_case.record_id)
                owner.show_status(done)

        dialog.accepted.connect(finished)
        dialog.open()

    actions = []
    for text, name, keys, kind, done in (
        (tr("Re&schedule…"), "rescheduleAction", "Ctrl+Shift+R", RescheduleDialog, tr("Rescheduled.")),
        (
            tr("Cancel &case…"),
            "cancelCaseAction",
            "Ctrl+Shift+X",
            CancelCaseDialog,
            tr("Signed as “{cancelled_label}”.").format(cancelled_label=CANCELLED_LABEL),
        ),
    ):
        action = QAction(text, window)
        action.setObjectName(name)
        action.setShortcut(QKeySequence(keys))
        action.setStatusTip(text.replace("&", "").rstrip("…"))
        action.triggered.connect(lambda _=False, k=kind, d=done: run(k, d))
        menu.addAction(action)
        window.addAction(action)
        actions.append(action)
    return actions[0], actions[1]
