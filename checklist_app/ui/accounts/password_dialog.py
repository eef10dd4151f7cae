"""Choosing one's own password after an administrator set a temporary one (before any signature)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from ...domain.errors import ChecklistError
from ...services.models import User
from ..shell.fields import password_field
from ..shell.i18n import tr

if TYPE_CHECKING:
    from ...services.auth import AuthService


class ChangePasswordDialog(QDialog):
    """Asks for a new password twice; `user` holds the account after a successful change."""

    def __init__(self, auth: AuthService, user: User, old_password: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("changePasswordDialog")
        self.setWindowTitle(tr("Choose your own password"))
        self._auth, self._old, self.user = auth, old_password, user
        text = tr(
            "An administrator set your password. Choose one only you know: your signature key is locked with "
            "it, so nobody else can sign in your name."
        )
        if user.reset_notice:
            text = tr(
                "{reset_notice}\n\nChoose a password only you know. To keep your signing key, also give "
                "your password from before the reset; without it a charge nurse or a second administrator "
                "issues you a new key."
            ).format(reset_notice=user.reset_notice)
        intro = QLabel(text, self)
        intro.setWordWrap(True)
        self.previous_edit = password_field(self, "previousPassword", tr("Password before the reset (optional)"))
        self.new_edit = password_field(self, "newPassword", tr("New password"))
        self.repeat_edit = password_field(self, "repeatPassword", tr("New password again"))
        self.error = QLabel(self)
        self.error.setObjectName("passwordError")
        self.error.setWordWrap(True)
        self.error.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        if user.reset_notice:
            form.addRow(tr("&Before the reset"), self.previous_edit)
        else:
            self.previous_edit.hide()
        form.addRow(tr("&New password"), self.new_edit)
        form.addRow(tr("&Again"), self.repeat_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        (self.previous_edit if user.reset_notice else self.new_edit).setFocus()
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 36)

    def submit(self) -> None:
        if self.new_edit.text() != self.repeat_edit.text():
            self._fail(tr("The two passwords differ."))
            return
        try:
            self.user = self._auth.change_password(
                self.user, self._old, self.new_edit.text(), previous_password=self.previous_edit.text() or None
            )
        except ChecklistError as exc:
            self._fail(str(exc))
            return
        self.accept()

    def _fail(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
        self._fit_height()
        self.new_edit.clear()
        self.repeat_edit.clear()
        self.new_edit.setFocus()

    def _fit_height(self) -> None:
        """Grow to the height the wrapped texts need at this width: a shown error pushed them into less room
        than they need, and a dialog does not grow by itself for wrapped labels."""
        layout = self.layout()
        if layout is None:
            return
        layout.activate()
        needed = layout.totalHeightForWidth(self.width())
        if needed > self.height():
            self.resize(self.width(), needed)


def ask_new_password(auth: AuthService, user: User, old_password: str, parent: QWidget | None) -> User | None:
    """The user's account after choosing their own password, or None when they cancelled (tests patch this)."""
    dialog = ChangePasswordDialog(auth, user, old_password, parent)
    return dialog.user if dialog.exec() == QDialog.DialogCode.Accepted else None
