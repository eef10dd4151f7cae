"""Bench-only process: show a window as the app does, print time.monotonic() once the event loop is idle, exit."""

# Kept free of bench imports and of anything the app would not import itself: every import here is billed.
from __future__ import annotations

import os
import sys
import time


def _idle_then_exit(app: object, since: float | None = None) -> None:
    """Print the monotonic time at idle (the parent subtracts its spawn time), or the seconds since `since`."""
    from PySide6.QtCore import QTimer

    def report() -> None:
        # CLOCK_MONOTONIC is system-wide, so the parent can subtract its own reading taken before the spawn.
        now = time.monotonic()
        sys.stdout.write(f"{now!r}\n" if since is None else f"duration {now - since!r}\n")
        sys.stdout.flush()
        os._exit(0)  # teardown is not startup: skip Qt's and Python's exit work

    # Two zero-timers: the first runs once the queue holding show/expose/layout is drained, the second
    # after whatever those posted (first paint, deferred layouts) has run too.
    QTimer.singleShot(0, lambda: QTimer.singleShot(0, report))


def bare() -> None:
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication(sys.argv)
    window = QMainWindow()
    window.show()
    _idle_then_exit(app)
    app.exec()


def login(db_url: str) -> None:
    """The real `run()`: style, database, then the login dialog (its modal loop is the first event loop)."""
    # The imports of `checklist-app` (cli.main), in its order: import order changes what PySide6's
    # import hook costs, so Qt is not imported here first.
    import checklist_app.cli  # noqa: F401
    from checklist_app.ui.shell import app as ui_app

    # run() adopts an existing QApplication; creating it first (as run() would) lets the idle timer be armed
    # before run().
    app = ui_app.new_application(sys.argv)
    _idle_then_exit(app)
    ui_app.run(db_url)


def main_window(db_url: str, username: str) -> None:
    """Login accepted → main window with today's worklist idle, as run() does it (the database opened behind
    the login window; typing the password and its check are a person's time, not start-up)."""
    from PySide6.QtCore import QEventLoop

    import checklist_app.cli  # noqa: F401
    from checklist_app.ui.shell import app as ui_app

    app = ui_app.QApplication(sys.argv)
    app.setApplicationName("checklist-app")
    from checklist_app.ui.shell.style import apply_style

    apply_style(app)
    start = ui_app.StartUp(db_url)
    loop = QEventLoop()
    start.opener.opened.connect(lambda _svc: loop.quit())
    start.opener.failed.connect(lambda message: (sys.stderr.write(message + "\n"), os._exit(1)))
    start.show()
    loop.exec()
    svc = start.svc
    assert svc is not None
    start.opener.wait()  # the worker's warm-up imports finish while a person types (seconds)
    user = svc.auth.get(username)
    accepted = time.monotonic()  # what LoginDialog.accept() hands back to run()
    start.login.accept()
    window = ui_app.build_main_window(svc, user)
    window.show()
    _idle_then_exit(app, since=accepted)
    app.exec()


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "bare":
        bare()
    elif mode == "login":
        login(sys.argv[2])
    elif mode == "main":
        main_window(sys.argv[2], sys.argv[3])
    else:
        raise SystemExit(f"unknown mode {mode!r}")
