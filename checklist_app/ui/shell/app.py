"""Start the desktop app: QApplication and style, database, first run, login, then the main window."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication, QDialog

from ...domain.errors import ChecklistError
from . import msgbox

if TYPE_CHECKING:
    from ...services.app import AppServices
    from .main_window import MainWindow


def build_main_window(svc: AppServices, user: object) -> MainWindow:
    """The main window with its pages, locking itself after the idle minutes."""
    from . import idle_lock
    from .main_window import MainWindow

    window = MainWindow(svc, user)  # type: ignore[arg-type]
    idle_lock.install(window)
    return window


def first_login(svc: AppServices) -> object | None:
    """First run (empty database) if needed, then the login window. None = the user gave up."""
    from ..accounts.first_run_dialog import FirstRunDialog
    from ..accounts.login_dialog import LoginDialog

    username = ""
    if not svc.auth.has_users():
        first = FirstRunDialog(svc)
        if first.exec() != QDialog.DialogCode.Accepted:
            return None
        username = first.username
    login = LoginDialog(svc.auth, svc.db_display)
    login.form.reset(username)
    if login.exec() != QDialog.DialogCode.Accepted:
        return None
    return login.user


def run(db_url: str | None = None) -> int:
    """The `checklist-app` GUI: exit code 0 on a normal quit, 1 when the database cannot be opened."""
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("checklist-app")
    app.setApplicationDisplayName("Pre-procedure checklist")
    from .style import apply_style

    apply_style(app)
    from ...services.app import AppServices

    try:
        svc = AppServices.open(db_url)
    except ChecklistError as exc:
        msgbox.error(None, "Database", f"The database could not be opened: {exc}")
        return 1
    try:
        user = first_login(svc)
        if user is None:
            return 0
        window = build_main_window(svc, user)
        window.show()
        return app.exec()
    finally:
        svc.close()
