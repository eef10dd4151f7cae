"""Choosing one's own password after an administrator set a temporary one (before any signature)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from ...domain.errors import ChecklistError
from ...services.models import User
from ..shell.fields import password_field

if TYPE_CHECKING:
    from ...services.auth import AuthService


class ChangePasswordDialog(QDialog):
    """Asks for a new password twice; `user` holds the account after a successful change."""

    def __init__(self, auth: AuthService, user: User, old_password: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("changePasswordDialog")
        self.setWindowTitle("Choose your own password")
        self._auth, self._old, self.user = auth, old_password, user
        intro = QLabel("An administrator set your password. Choose one only you know: your signature key is "
                       "locked with it, so nobody else can sign in your name.", self)
        intro.setWordWrap(True)
        self.new_edit = password_field(self, "newPassword", "New password")
        self.repeat_edit = password_field(self, "repeatPassword", "New password again")
        self.error = QLabel(self)
        self.error.setObjectName("passwordError")
        self.error.setWordWrap(True)
        self.error.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("&New password", self.new_edit)
        form.addRow("&Again", self.repeat_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.new_edit.setFocus()

    def submit(self) -> None:
        if self.new_edit.text() != self.repeat_edit.text():
            self._fail("The two passwords differ.")
            return
        try:
            self.user = self._auth.change_password(self.user, self._old, self.new_edit.text())
        except ChecklistError as exc:
            self._fail(str(exc))
            return
        self.accept()

    def _fail(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
        self.new_edit.clear()
        self.repeat_edit.clear()
        self.new_edit.setFocus()


def ask_new_password(auth: AuthService, user: User, old_password: str, parent: QWidget | None) -> User | None:
    """The user's account after choosing their own password, or None when they cancelled (tests patch this)."""
    dialog = ChangePasswordDialog(auth, user, old_password, parent)
    return dialog.user if dialog.exec() == QDialog.DialogCode.Accepted else None
