"""Logging in: user id and password, with the service's refusal (wrong password, lockout) shown in place."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt, Signal
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
from ..shell.fields import password_field

if TYPE_CHECKING:
    from ...services.auth import AuthService

APP_TITLE = "Pre-procedure checklist"


class LoginForm(QFrame):
    """The login card, used at start-up and on the lock screen.

    Signals:
        logged_in(object): the User who logged in.
    """

    logged_in = Signal(object)

    def __init__(self, auth: AuthService, db_display: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._auth = auth
        self.setObjectName("loginCard")
        self.title = QLabel(APP_TITLE, self)
        self.title.setObjectName("loginTitle")
        self.notice = QLabel(self)
        self.notice.setObjectName("lockNotice")
        self.notice.setWordWrap(True)
        self.notice.hide()
        self.user_edit = QLineEdit(self)
        self.user_edit.setObjectName("userEdit")
        self.user_edit.setAccessibleName("User id")
        self.password_edit = password_field(self, "passwordEdit", "Password")
        self.error = QLabel(self)
        self.error.setObjectName("loginError")
        self.error.setWordWrap(True)
        self.error.hide()
        self.login_button = QPushButton("Log in", self)
        self.login_button.setObjectName("loginButton")
        self.login_button.setProperty("primary", True)
        self.login_button.setAutoDefault(False)
        database = QLabel(f"Database: {db_display}", self)
        database.setObjectName("loginDatabase")
        database.setProperty("muted", True)
        database.setWordWrap(True)
        form = QFormLayout()
        form.addRow("&User id", self.user_edit)
        form.addRow("&Password", self.password_edit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(10)
        layout.addWidget(self.title)
        layout.addWidget(self.notice)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.login_button, 0, Qt.AlignmentFlag.AlignRight)
        layout.addWidget(database)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 28)

        self.user_edit.returnPressed.connect(self._user_entered)
        self.password_edit.returnPressed.connect(self.submit)
        self.login_button.clicked.connect(self.submit)

    def reset(self, username: str = "", notice: str = "") -> None:
        """Empty the password (always), show a notice, and put the cursor where typing starts."""
        self.user_edit.setText(username)
        self.password_edit.clear()
        self.error.hide()
        self.notice.setText(notice)
        self.notice.setVisible(bool(notice))
        self.focus_first_empty()

    def focus_first_empty(self) -> None:
        (self.password_edit if self.user_edit.text() else self.user_edit).setFocus(Qt.FocusReason.OtherFocusReason)

    def _user_entered(self) -> None:
        self.password_edit.setFocus(Qt.FocusReason.TabFocusReason)

    def submit(self) -> None:
        username = self.user_edit.text().strip()
        password = self.password_edit.text()
        self.password_edit.clear()
        if not username or not password:
            self._fail("Enter your user id and password.")
            return
        try:
            user = self._auth.login(username, password)
        except ChecklistError as exc:
            # LoginError says "wrong user name or password" or "locked until 09:55": show it as is.
            self._fail(str(exc))
            return
        if user.must_change_password:
            from . import password_dialog

            changed = password_dialog.ask_new_password(self._auth, user, password, self.window())
            if changed is None:
                self._fail("Choose your own password to continue: the one you used was set by an administrator.")
                return
            user = changed
        self.error.hide()
        self.logged_in.emit(user)

    def _fail(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
        self.focus_first_empty()


class LockPage(QWidget):
    """What shows instead of the workspace while nobody is logged in: the login card, nothing else."""

    def __init__(self, form: LoginForm, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lockPage")
        self.form = form
        # Stretches rather than alignment flags: an aligned item loses height-for-width, and the card's
        # wrapped notice would squeeze the fields.
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(form, 0)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(2)


LAST_USER_KEY = "login/last_user"


class LoginDialog(QDialog):
    """The start-up login window; `user` is set when accepted."""

    def __init__(self, auth: AuthService, db_display: str, parent: QWidget | None = None, *,
                 settings: QSettings | None = None) -> None:
        """`settings`: where the last user id is kept (default: this user's app settings)."""
        super().__init__(parent)
        self.setObjectName("loginDialog")
        self.setWindowTitle(f"{APP_TITLE} — log in — {db_display}")
        self.user: object | None = None
        self._settings = settings if settings is not None else QSettings("checklist-app", "checklist-app")
        self.form = LoginForm(auth, db_display, self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        self.form.logged_in.connect(self._on_logged_in)
        # The last user id (never a password) is typed already, so the cursor waits in the masked password field:
        # a password typed straight after a relaunch must not land, readable, in the user id field.
        last = self._settings.value(LAST_USER_KEY, "")
        self.form.reset(last if isinstance(last, str) else "")

    def _on_logged_in(self, user: object) -> None:
        self.user = user
        username = getattr(user, "username", "")
        if username:
            self._settings.setValue(LAST_USER_KEY, username)
            self._settings.sync()
        self.accept()
