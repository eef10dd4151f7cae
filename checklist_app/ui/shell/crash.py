"""Qt's messages into the app's log, and an unexpected error into a crash report the user is told about."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from types import TracebackType
from typing import Any

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication

from .i18n import tr

qt_log = logging.getLogger("checklist_app.qt")
_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], Any]
QtHandler = Callable[[QtMsgType, QMessageLogContext, str], Any]


def handle_exception(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """Write the crash report and tell the user where it is; the app keeps running where Qt lets it."""
    # Imported here: the services' log module brings platformdirs, which the login window does not wait for.
    from ...services.logs import write_crash_report

    path = write_crash_report(exc_type, exc, tb)
    where = (
        tr("A report for IT is in {path}.").format(path=path)
        if path
        else tr("No report could be written (the log folder is unusable).")
    )
    if QApplication.instance() is not None:
        from . import msgbox  # imported when needed: the login window does not wait for QMessageBox

        msgbox.error(
            None,
            tr("Unexpected error"),
            tr("Something went wrong inside the app. Your saved answers are safe in the database."),
            where,
        )
    else:
        print(f"checklist-app: unexpected error. {where}", file=sys.stderr)


class CrashGuard:
    """Installs the excepthook and the Qt message handler; `uninstall()` puts back what was there."""

    def __init__(self) -> None:
        self._previous_hook: ExceptHook | None = None
        self._previous_qt: QtHandler | None = None
        self._installed = False

    def install(self) -> None:
        self._previous_hook = sys.excepthook
        sys.excepthook = self._hook
        self._previous_qt = qInstallMessageHandler(self._qt_message)
        self._installed = True

    def uninstall(self) -> None:
        if not self._installed:
            return
        sys.excepthook = self._previous_hook or sys.__excepthook__
        qInstallMessageHandler(self._previous_qt)  # None restores Qt's own
        self._installed = False

    def _hook(self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        handle_exception(exc_type, exc, tb)

    def _qt_message(self, kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        qt_log.log(_LEVELS.get(kind, logging.WARNING), "%s", message)
        if self._previous_qt is not None:
            self._previous_qt(kind, context, message)  # pytest-qt's capture, or Qt's own printing
        elif kind != QtMsgType.QtDebugMsg:
            print(message, file=sys.stderr)
