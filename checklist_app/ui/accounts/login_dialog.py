"""Logging in: user id and password, with the service's refusal (wrong password, lockout) shown in place."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Signal
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

from ..shell.fields import password_field
from ..shell.i18n import QT_TR_NOOP, tr

if TYPE_CHECKING:
    from ...services.auth import AuthService

APP_TITLE = QT_TR_NOOP("Pre-procedure checklist")  # tr(APP_TITLE) where shown


class LoginForm(QFrame):
    """The login card, used at start-up and on the lock screen.

    Signals:
        logged_in(object): the User who logged in.
    """

    logged_in = Signal(object)

    def __init__(self, auth: AuthService | None, db_display: str, parent: QWidget | None = None) -> None:
        """`auth` None: the database is still opening (start-up); `set_auth` gives it, and a login typed
        meanwhile is then submitted."""
        super().__init__(parent)
        self._auth = auth
        self._pending = False
        self._held = ("", "")
        self.setObjectName("loginCard")
        self.title = QLabel(tr(APP_TITLE), self)
        self.title.setObjectName("loginTitle")
        self.notice = QLabel(self)
        self.notice.setObjectName("lockNotice")
        self.notice.setWordWrap(True)
        self.notice.hide()
        self.user_edit = QLineEdit(self)
        self.user_edit.setObjectName("userEdit")
        self.user_edit.setAccessibleName(tr("User id"))
        self.password_edit = password_field(self, "passwordEdit", tr("Password"))
        self.error = QLabel(self)
        self.error.setObjectName("loginError")
        self.error.setWordWrap(True)
        self.error.hide()
        self.login_button = QPushButton(tr("Log in"), self)
        self.login_button.setObjectName("loginButton")
        self.login_button.setProperty("primary", True)
        self.login_button.setAutoDefault(False)
        self.database = database = QLabel(self._database_text(db_display), self)
        database.setObjectName("loginDatabase")
        database.setProperty("muted", True)
        database.setWordWrap(True)
        form = QFormLayout()
        form.addRow(tr("&User id"), self.user_edit)
        form.addRow(tr("&Password"), self.password_edit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(10)
        layout.addWidget(self.title)
        layout.addWidget(self.notice)
        layout.addLayout(form)
        layout.addWidget(self.error)
        # A stretch rather than Qt.AlignmentFlag: the login window is the first thing shown, and touching
        # the `Qt` namespace makes PySide6 build all its ~100 enum classes (~35 ms; bench/RESULTS.md).
        button_row = QHBoxLayout()
        button_row.addStretch(1)
        button_row.addWidget(self.login_button)
        layout.addLayout(button_row)
        layout.addWidget(database)
        # Never narrower than the title at its stylesheet size: an explicit minimum width replaces the layout's,
        # and a window squeezed to fit a small screen (200 % scaling) then cut the title's last letters.
        self.title.ensurePolished()
        self.setMinimumWidth(max(self.fontMetrics().horizontalAdvance("M") * 28, self.minimumSizeHint().width()))

        self.user_edit.returnPressed.connect(self._user_entered)
        self.password_edit.returnPressed.connect(self.submit)
        self.login_button.clicked.connect(self.submit)

    def _database_text(self, db_display: str) -> str:
        return (
            tr("Database: {db_display}").format(db_display=db_display)
            if self._auth is not None
            else tr("Database: opening…")
        )

    def set_auth(self, auth: AuthService, db_display: str) -> None:
        """The database is open: log in through `auth`, and submit a login typed while it opened."""
        self._auth = auth
        self.database.setText(self._database_text(db_display))
        if self._pending:
            self._pending = False
            self.error.hide()
            self._login(*self._held)

    def reset(self, username: str = "", notice: str = "") -> None:
        """Empty the password (always), show a notice, and put the cursor where typing starts."""
        self.user_edit.setText(username)
        self.password_edit.clear()
        self.error.hide()
        self.notice.setText(notice)
        self.notice.setVisible(bool(notice))
        self.focus_first_empty()

    def focus_first_empty(self) -> None:
        # setFocus() without a reason is Qt.FocusReason.OtherFocusReason (see the layout note on `Qt`).
        (self.password_edit if self.user_edit.text() else self.user_edit).setFocus()

    def _user_entered(self) -> None:

        from PySide6.QtCore import Qt  # not at import: see the layout note on `Qt` (the worker built it by now)

        self.password_edit.setFocus(Qt.FocusReason.TabFocusReason)

    def submit(self) -> None:
        username = self.user_edit.text().strip()
        password = self.password_edit.text()
        self.password_edit.clear()
        if not username or not password:
            self._fail(tr("Enter your user id and password."))
            return
        if self._auth is None:
            # Held in memory only until the database is open (a second or so at start-up), never shown.
            self._pending, self._held = True, (username, password)
            self.error.setText(tr("Opening the database…"))
            self.error.show()
            return
        self._login(username, password)

    def _login(self, username: str, password: str) -> None:
        from ...domain.errors import ChecklistError  # here: the database's modules have brought it by now

        assert self._auth is not None
        self._held = ("", "")
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
                self._fail(tr("Choose your own password to continue: the one you used was set by an administrator."))
                return
            user = changed
        elif user.reset_notice:
            # Someone else reset this password and it is not settled yet (the change dialog says so otherwise).
            from ..shell import msgbox

            msgbox.warn(self.window(), tr("Your password was reset"), user.reset_notice)
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

    def __init__(
        self,
        auth: AuthService | None,
        db_display: str,
        parent: QWidget | None = None,
        *,
        settings: QSettings | None = None,
    ) -> None:
        """`settings`: where the last user id is kept (default: this user's app settings)."""
        super().__init__(parent)
        self.setObjectName("loginDialog")
        self.setWindowTitle(
            tr("{app_title} — log in — {db_display}").format(app_title=tr(APP_TITLE), db_display=db_display)
            if auth is not None
            else tr("{app_title} — log in").format(app_title=tr(APP_TITLE))
        )
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

    def set_auth(self, auth: AuthService, db_display: str) -> None:
        """The database opened after the window was shown (start-up)."""
        self.setWindowTitle(
            tr("{app_title} — log in — {db_display}").format(app_title=tr(APP_TITLE), db_display=db_display)
        )
        self.form.set_auth(auth, db_display)

    def _on_logged_in(self, user: object) -> None:
        self.user = user
        username = getattr(user, "username", "")
        if username:
            self._settings.setValue(LAST_USER_KEY, username)
            self._settings.sync()
        self.accept()
