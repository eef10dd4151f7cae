"""First run on an empty database: create the administrator account, or load synthetic demo data."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...domain.errors import ChecklistError
from ...services.models import Role
from ..shell import msgbox
from ..shell.fields import password_field
from ..shell.i18n import tr
from ..shell.worker import Task, run_in_background

if TYPE_CHECKING:
    from ...services.app import AppServices


class FirstRunDialog(QDialog):
    """`choice` is "admin" or "demo" once accepted; `username` is the account to log in with."""

    def __init__(self, svc: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstRunDialog")
        self.setWindowTitle(tr("First start — {database}").format(database=svc.db_display))
        self._svc = svc
        self.choice: str | None = None
        self.demo_records: int | None = None  # None: the demo's own number of synthetic cases
        self.username = ""

        intro = QLabel(
            tr(
                "This database has no users yet. Create the administrator account, who then adds the "
                "nurses, coordinators and charge nurses — or load synthetic demo data to try the app."
            ),
            self,
        )
        intro.setWordWrap(True)
        admin_box = QFrame(self)
        admin_box.setObjectName("loginCard")
        self.user_edit = QLineEdit("admin", admin_box)
        self.user_edit.setObjectName("adminUser")
        self.user_edit.setAccessibleName(tr("Administrator user id"))
        self.name_edit = QLineEdit(admin_box)
        self.name_edit.setObjectName("adminName")
        self.name_edit.setAccessibleName(tr("Administrator full name"))
        self.password_edit = password_field(admin_box, "adminPassword", tr("Password"))
        self.repeat_edit = password_field(admin_box, "adminPasswordRepeat", tr("Password again"))
        self.error = QLabel(admin_box)
        self.error.setObjectName("formError")
        self.error.setWordWrap(True)
        self.error.hide()
        self.create_button = QPushButton(tr("Create administrator"), admin_box)
        self.create_button.setObjectName("createAdmin")
        self.create_button.setProperty("primary", True)
        self.create_button.setAutoDefault(False)
        form = QFormLayout(admin_box)
        form.addRow(tr("User &id"), self.user_edit)
        form.addRow(tr("&Full name"), self.name_edit)
        form.addRow(tr("&Password"), self.password_edit)
        form.addRow(tr("&Again"), self.repeat_edit)
        form.addRow(self.error)
        form.addRow(self.create_button)

        self.demo_button = QPushButton(tr("Load demo data…"), self)
        self.demo_button.setObjectName("loadDemo")
        self.demo_button.setAutoDefault(False)
        self.quit_button = QPushButton(tr("Quit"), self)
        self.quit_button.setObjectName("quitFirstRun")
        self.quit_button.setAutoDefault(False)
        bottom = QHBoxLayout()
        bottom.addWidget(QLabel(tr("Synthetic patients and one account per role, never real people:"), self), 1)
        bottom.addWidget(self.demo_button)
        bottom.addWidget(self.quit_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(admin_box)
        layout.addLayout(bottom)

        self.create_button.clicked.connect(self.create_admin)
        self.repeat_edit.returnPressed.connect(self.create_admin)
        for first, second in (
            (self.user_edit, self.name_edit),
            (self.name_edit, self.password_edit),
            (self.password_edit, self.repeat_edit),
        ):
            first.returnPressed.connect(second.setFocus)
        self.demo_button.clicked.connect(self.load_demo)
        self.quit_button.clicked.connect(self.reject)
        self.name_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def create_admin(self) -> None:
        username, name = self.user_edit.text().strip(), self.name_edit.text().strip()
        if self.password_edit.text() != self.repeat_edit.text():
            self._fail("The two passwords differ.")
            return
        try:
            self._svc.auth.create_user(username, name, {Role.ADMIN}, self.password_edit.text(), actor="first-run")
        except ChecklistError as exc:
            self._fail(str(exc))  # the password rules and a missing name come back in the service's words
            return
        self.choice, self.username = "admin", username
        self.accept()

    def _fail(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def load_demo(self) -> Task:
        """Create the demo data on the worker pool (about ten seconds: password hashes, signatures) with a busy
        bar; the dialog repaints meanwhile and its buttons wait."""
        from ...services.demo import create_demo  # only on this path: it is not start-up work

        for button in (self.create_button, self.demo_button, self.quit_button):
            button.setEnabled(False)
        svc, records = self._svc, self.demo_records
        work = (lambda: create_demo(svc)) if records is None else (lambda: create_demo(svc, records))
        self.task = run_in_background(self, tr("Loading synthetic demo data…"), work, self._demo_loaded)
        return self.task

    def _demo_loaded(self, counts: tuple[int, int] | None, error: BaseException | None) -> None:
        from ...services.demo import DEMO_USERS

        for button in (self.create_button, self.demo_button, self.quit_button):
            button.setEnabled(True)
        if error is not None or counts is None:
            if not isinstance(error, ChecklistError):
                raise error or RuntimeError("demo data: no result")  # the crash report's business
            msgbox.error(self, tr("Demo data"), tr("The demo data could not be loaded: {error}").format(error=error))
            return
        created, total = counts
        accounts = "\n".join(
            f"{username} / {password}  ({', '.join(r.label for r in sorted(roles))})"
            for username, _name, roles, password in DEMO_USERS
        )
        msgbox.info(
            self,
            tr("Demo data loaded"),
            tr("{created} synthetic cases created ({total} in all). Demo accounts (user / password):").format(
                created=created, total=total
            ),
            accounts,
        )
        self.choice, self.username = "demo", DEMO_USERS[0][0]
        self.accept()
