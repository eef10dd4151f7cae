"""Start the desktop app: the login window first, the database opened behind it, then the main window.

Start-up order (bench/RESULTS.md, startup): the login window is built and shown with Qt and the domain's
errors only; SQLAlchemy, the services and reportlab are imported, and the database opened and migrated,
on a worker thread after the first paint. A login typed meanwhile waits for the database.
"""

from __future__ import annotations

import os
import sys
import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QDialog

from .i18n import tr
from .style import FUSION, FUSION_PROPERTY

if TYPE_CHECKING:
    from ...services.app import AppServices
    from ..accounts.login_dialog import LoginDialog
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
        lambda who: setattr(memory, "username", who.username) if who is not None else None
    )
    return window


class DatabaseOpener(QObject):
    """Imports the services and opens the database on a worker thread; the result arrives as a signal.

    Signals (delivered on the GUI thread: the opener lives there, so the emit from the worker is queued):
        opened(object): the AppServices.
        failed(str): why the database could not be opened (one line).
    """

    opened = Signal(object)
    failed = Signal(str)

    def __init__(self, db_url: str | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._db_url = db_url
        self._thread: threading.Thread | None = None
        self.services: AppServices | None = None  # set on the worker before `opened` is emitted
        self.with_fonts = False  # also register the shipped fonts (run() leaves them to this thread)

    def start(self) -> None:
        if self._thread is not None:
            return  # started already
        self._thread = threading.Thread(target=self._open, name="open-database", daemon=True)
        self._thread.start()

    def wait(self) -> None:
        if self._thread is not None:
            self._thread.join()

    def _open(self) -> None:
        from ...domain.errors import ChecklistError
        from ...services.logs import setup_logging

        setup_logging()  # here, not before the login window: logging.handlers is not free (bench startup)
        if self.with_fonts:
            from .style import install_fonts

            install_fonts()  # the state glyphs' font: the main window needs it, the login window does not
        try:
            from ...services.app import AppServices

            svc = self.services = AppServices.open(self._db_url)
        except ChecklistError as exc:
            self.failed.emit(str(exc))
            return
        except Exception as exc:
            self.failed.emit(f"{type(exc).__name__}: {exc}")
            return
        self.opened.emit(svc)
        # While the person types: import the main window's modules (Python classes and Qt's enum classes
        # only, no widgets), so "login accepted → worklist" does not pay for them.
        from PySide6.QtCore import Qt  # noqa: F401  (the namespace's enum classes, kept off the login window)

        from . import idle_lock, main_window  # noqa: F401


def first_login(svc: AppServices) -> object | None:
    """First run (empty database) if needed, then the login window. None = the user gave up."""
    from ..accounts.login_dialog import LoginDialog

    username = _first_run(svc)
    if username is None:
        return None
    login = LoginDialog(svc.auth, svc.db_display)
    login.form.reset(username)
    if login.exec() != QDialog.DialogCode.Accepted:
        return None
    return login.user


def new_application(argv: list[str]) -> QApplication:
    """The app's QApplication, in Fusion from its first widget: `-style` costs nothing, while asking Qt for the
    style it made would build PySide6's QStyle type (~6 ms before the login window; bench startup)."""
    app = QApplication([*argv[:1], "-style", FUSION, *argv[1:]])
    app.setProperty(FUSION_PROPERTY, True)
    return app


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


def _first_run(svc: AppServices, parent: QDialog | None = None) -> str | None:
    """On an empty database the first-run dialog: the user name to log in with ('' = none), None = gave up."""
    if svc.auth.has_users():
        return ""
    from ..accounts.first_run_dialog import FirstRunDialog

    first = FirstRunDialog(svc, parent)
    if first.exec() != QDialog.DialogCode.Accepted:
        return None
    return first.username


FIRST_PAINT_WAIT_MS, FIRST_PAINT_POLL_MS = 300, 15


class StartUp(QObject):
    """The login window shown at once, the database opening behind it; `run()` drives it."""

    def __init__(self, db_url: str | None) -> None:
        super().__init__()
        from ..accounts.login_dialog import LoginDialog

        self.svc: AppServices | None = None
        self.error: str | None = None
        self.login: LoginDialog = LoginDialog(None, "")
        self.opener = DatabaseOpener(db_url, self)
        self.opener.opened.connect(self._opened)
        self.opener.failed.connect(self._failed)

    def show(self) -> None:
        # The database opens once the event loop has run what show() posted (the first paint among it) and what
        # that posted: its imports (SQLAlchemy, the services) hold the GIL in turns with the GUI thread, so
        # started earlier they slow the first paint. Two zero-timers, not a paint event filter: a Python event
        # filter made PySide6 build a type for each kind of event the window got before its paint (~8 ms of the
        # login window; bench/RESULTS.md, startup).
        self.login.show()
        QTimer.singleShot(0, lambda: QTimer.singleShot(0, self._open_once_shown))

    def _open_once_shown(self, waited_ms: int = 0) -> None:
        # On X11 and Wayland the window is exposed (and painted) after a round trip to the display server, which
        # two zero-timers need not wait for; a window that stays unexposed (minimised) waits no longer than this.
        window = self.login.windowHandle()
        if window is not None and not window.isExposed() and waited_ms < FIRST_PAINT_WAIT_MS:
            QTimer.singleShot(FIRST_PAINT_POLL_MS, lambda: self._open_once_shown(waited_ms + FIRST_PAINT_POLL_MS))
            return
        self.opener.start()

    def _opened(self, svc: AppServices) -> None:
        self.svc = svc
        username = _first_run(svc, self.login)
        if username is None:
            self.login.reject()
            return
        if username:
            self.login.form.reset(username)
        self.login.set_auth(svc.auth, svc.db_display)

    def _failed(self, message: str) -> None:
        self.error = message
        from . import msgbox  # here: QMessageBox's enums are not free, and most starts never show one

        msgbox.error(
            self.login, tr("Database"), tr("The database could not be opened: {message}").format(message=message)
        )
        self.login.reject()


def run(db_url: str | None = None) -> int:
    """The `checklist-app` GUI: exit code 0 on a normal quit (or when it already runs for this user: that window
    comes forward), 1 when the database cannot be opened."""
    app = QApplication.instance() or new_application(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("checklist-app")
    from .crash import CrashGuard
    from .i18n import install_translator
    from .single_instance import SingleInstance, bring_forward

    guard = CrashGuard()
    guard.install()
    instance = SingleInstance()
    if not instance.acquire(listen=False):
        from ...services.logs import log, setup_logging

        setup_logging()
        log.info("start refused: another instance runs for this user; asked it to come forward")
        print("checklist-app: already running for this user; its window was brought forward.", file=sys.stderr)
        guard.uninstall()
        return 0
    instance.activated.connect(bring_forward)
    install_translator(app)
    app.setApplicationDisplayName(tr("Pre-procedure checklist"))  # Qt appends it to some window titles
    from .style import apply_style

    apply_style(app, fonts=False)
    if os.environ.get(PROBE_ENV):
        _probe_first_window(app)
    try:
        start = StartUp(db_url)
        start.opener.with_fonts = True
        # Wake-ups from a second start are answered once the window is up and the database open.
        start.opener.opened.connect(lambda _svc: instance.listen())
        start.show()
        accepted = start.login.exec() == QDialog.DialogCode.Accepted
        start.opener.wait()  # a window closed while the database opened: let the worker finish, then close it
        svc = start.opener.services
        from ...services.logs import log  # set up by the database thread

        if start.error is not None:
            log.error("database could not be opened")
            return 1
        if svc is not None:
            log.info("started on %s", svc.db_display)
        try:
            if not accepted or start.login.user is None:
                return 0
            window = build_main_window(svc, start.login.user)  # type: ignore[arg-type]
            window.show()
            return app.exec()
        finally:
            if svc is not None:
                svc.close()
                log.info("stopped")
    finally:
        instance.release()
        guard.uninstall()
