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

if TYPE_CHECKING:
    from ...services.app import AppServices


class FirstRunDialog(QDialog):
    """`choice` is "admin" or "demo" once accepted; `username` is the account to log in with."""

    def __init__(self, svc: AppServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstRunDialog")
        self.setWindowTitle(f"First start — {svc.db_display}")
        self._svc = svc
        self.choice: str | None = None
        self.username = ""

        intro = QLabel("This database has no users yet. Create the administrator account, who then adds the "
                       "nurses, coordinators and charge nurses — or load synthetic demo data to try the app.", self)
        intro.setWordWrap(True)
        admin_box = QFrame(self)
        admin_box.setObjectName("loginCard")
        self.user_edit = QLineEdit("admin", admin_box)
        self.user_edit.setObjectName("adminUser")
        self.user_edit.setAccessibleName("Administrator user id")
        self.name_edit = QLineEdit(admin_box)
        self.name_edit.setObjectName("adminName")
        self.name_edit.setAccessibleName("Administrator full name")
        self.password_edit = password_field(admin_box, "adminPassword", "Password")
        self.repeat_edit = password_field(admin_box, "adminPasswordRepeat", "Password again")
        self.error = QLabel(admin_box)
        self.error.setObjectName("formError")
        self.error.setWordWrap(True)
        self.error.hide()
        self.create_button = QPushButton("Create administrator", admin_box)
        self.create_button.setObjectName("createAdmin")
        self.create_button.setProperty("primary", True)
        self.create_button.setAutoDefault(False)
        form = QFormLayout(admin_box)
        form.addRow("User &id", self.user_edit)
        form.addRow("&Full name", self.name_edit)
        form.addRow("&Password", self.password_edit)
        form.addRow("&Again", self.repeat_edit)
        form.addRow(self.error)
        form.addRow(self.create_button)

        self.demo_button = QPushButton("Load demo data…", self)
        self.demo_button.setObjectName("loadDemo")
        self.demo_button.setAutoDefault(False)
        self.quit_button = QPushButton("Quit", self)
        self.quit_button.setObjectName("quitFirstRun")
        self.quit_button.setAutoDefault(False)
        bottom = QHBoxLayout()
        bottom.addWidget(QLabel("Synthetic patients and one account per role, never real people:", self), 1)
        bottom.addWidget(self.demo_button)
        bottom.addWidget(self.quit_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(admin_box)
        layout.addLayout(bottom)

        self.create_button.clicked.connect(self.create_admin)
        self.repeat_edit.returnPressed.connect(self.create_admin)
        for first, second in ((self.user_edit, self.name_edit), (self.name_edit, self.password_edit),
                              (self.password_edit, self.repeat_edit)):
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

    def load_demo(self) -> None:
        from ...services.demo import DEMO_USERS, create_demo  # only on this path: it is not start-up work

        try:
            created, total = create_demo(self._svc)
        except ChecklistError as exc:
            msgbox.error(self, "Demo data", f"The demo data could not be loaded: {exc}")
            return
        accounts = "\n".join(f"{username} / {password}  ({', '.join(r.label for r in sorted(roles))})"
                             for username, _name, roles, password in DEMO_USERS)
        msgbox.info(self, "Demo data loaded", f"{created} synthetic cases created ({total} in all). "
                    "Demo accounts (user / password):", accounts)
        self.choice, self.username = "demo", DEMO_USERS[0][0]
        self.accept()
