"""Start the desktop app: QApplication and style, database, first run, login, then the main window."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication, QDialog

from ...domain.errors import ChecklistError
from . import msgbox

if TYPE_CHECKING:
    from ...services.app import AppServices
    from .main_window import MainWindow


def build_main_window(svc: AppServices, user: object) -> MainWindow:
    """The main window with its pages, locking itself after the idle minutes, at the size this user left it."""
    from . import idle_lock
    from .main_window import MainWindow
    from .window_state import WindowMemory

    window = MainWindow(svc, user)  # type: ignore[arg-type]
    idle_lock.install(window)
    memory = WindowMemory(window, window.cases_page, window.session.user.username if window.session.user else "")
    if memory.splitter_restored:
        window._split_done = True  # the user's own split wins over the first-show default
    window.session.user_changed.connect(
        lambda who: setattr(memory, "username", who.username) if who is not None else None)
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


PROBE_ENV = "CHECKLIST_QUIT_AFTER_FIRST_WINDOW"


def _probe_first_window(app: QApplication) -> None:
    """An install check (CHECKLIST_QUIT_AFTER_FIRST_WINDOW=1): name the first window on stderr, then close it."""
    from PySide6.QtCore import QTimer

    def look() -> None:
        shown = app.activeModalWidget() or next((w for w in app.topLevelWidgets() if w.isVisible()), None)
        if shown is None:
            return
        timer.stop()
        print(f"first window: {shown.objectName()}", file=sys.stderr)
        if isinstance(shown, QDialog):
            shown.reject()
        else:
            shown.close()

    timer = QTimer(app)
    timer.setInterval(100)
    timer.timeout.connect(look)
    timer.start()


def run(db_url: str | None = None) -> int:
    """The `checklist-app` GUI: exit code 0 on a normal quit (or when it already runs for this user: that window
    comes forward), 1 when the database cannot be opened."""
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("checklist-app")
    app.setApplicationDisplayName("Pre-procedure checklist")
    from ...services.logs import log, setup_logging
    from .crash import CrashGuard
    from .i18n import install_translator
    from .single_instance import SingleInstance, bring_forward

    setup_logging()
    guard = CrashGuard()
    guard.install()
    instance = SingleInstance()
    if not instance.acquire():
        log.info("start refused: another instance runs for this user; asked it to come forward")
        print("checklist-app: already running for this user; its window was brought forward.", file=sys.stderr)
        guard.uninstall()
        return 0
    instance.activated.connect(bring_forward)
    install_translator(app)
    from .style import apply_style

    apply_style(app)
    if os.environ.get(PROBE_ENV):
        _probe_first_window(app)
    from ...services.app import AppServices

    try:
        try:
            svc = AppServices.open(db_url)
        except ChecklistError as exc:
            log.error("database could not be opened: %s", type(exc).__name__)
            msgbox.error(None, "Database", f"The database could not be opened: {exc}")
            return 1
        log.info("started on %s", svc.db_display)
        try:
            user = first_login(svc)
            if user is None:
                return 0
            window = build_main_window(svc, user)
            window.show()
            return app.exec()
        finally:
            svc.close()
            log.info("stopped")
    finally:
        instance.release()
        guard.uninstall()
