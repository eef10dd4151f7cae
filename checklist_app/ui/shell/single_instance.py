"""One app per user: a lock file says one runs, and a local socket asks it to bring its window forward.

QtNetwork (the socket) is imported only when it is used: the first instance starts listening once its login
window is up (`listen`), so the window does not wait for it (bench startup.login_window).
"""

from __future__ import annotations

import sys
import zlib
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLockFile, QObject, Signal
from PySide6.QtWidgets import QApplication, QWidget

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalServer, QLocalSocket

APP_NAME = "checklist-app"
_WAKE = b"raise\n"


def lock_path() -> Path:
    """In the user's state folder, as platformdirs names it: one per user (and per sandbox: tests point
    XDG_STATE_HOME elsewhere).

    Asked of Qt, not platformdirs (importing it cost the login window 5-12 ms). Qt's generic state folder is
    platformdirs' on Linux ($XDG_STATE_HOME or ~/.local/state); on Windows and macOS platformdirs puts state in
    the data folder (%LOCALAPPDATA%, ~/Library/Application Support), which is Qt's generic data folder there.
    tests/ui/shell/test_single_instance.py compares the two on the machine it runs on."""
    from PySide6.QtCore import QStandardPaths

    where = QStandardPaths.StandardLocation
    kind = where.GenericDataLocation if sys.platform in ("win32", "darwin") else where.GenericStateLocation
    folder = APP_NAME
    base = QStandardPaths.writableLocation(kind)
    if not base:  # Qt cannot tell (no home folder): a folder of this user's in the temp folder
        import getpass

        base, folder = QStandardPaths.writableLocation(where.TempLocation), f"{APP_NAME}-{getpass.getuser()}"
    return Path(base) / folder / "instance.lock"


class SingleInstance(QObject):
    """`acquire()` is True for the first instance; a later one wakes it (`activated`) and gets False.

    Signals:
        activated(): another start was asked for; the running app should come to the front.
    """

    activated = Signal()

    def __init__(self, path: Path | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._path = path or lock_path()
        # The server name follows the lock file, so two sandboxes (or users) never talk to each other.
        self.server_name = f"{APP_NAME}-{zlib.crc32(str(self._path).encode()):08x}"
        self._lock: QLockFile | None = None
        self._server: QLocalServer | None = None

    def acquire(self, *, listen: bool = True) -> bool:
        """Take the lock (True), else wake the running instance (False). `listen=False`: call `listen()` later;
        until then a second start only finds the lock (it says so and exits; this window does not come forward)."""
        self._path.parent.mkdir(parents=True, exist_ok=True)
        lock = QLockFile(str(self._path))
        lock.setStaleLockTime(0)  # a crashed instance's lock is stale by its dead process id, not by age
        if not lock.tryLock(200):
            self._wake_other()
            return False
        self._lock = lock
        if listen:
            self.listen()
        return True

    def listen(self) -> None:
        """Answer a later start's wake-up (once; only while holding the lock)."""
        if self._lock is None or self._server is not None:
            return
        from PySide6.QtNetwork import QLocalServer

        QLocalServer.removeServer(self.server_name)  # a socket file a crash left behind
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        server.newConnection.connect(self._on_connection)
        server.listen(self.server_name)
        self._server = server

    def release(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        if self._lock is not None:
            self._lock.unlock()
            self._lock = None

    def _wake_other(self) -> None:
        from PySide6.QtNetwork import QLocalSocket

        socket = QLocalSocket(self)
        socket.connectToServer(self.server_name)
        # Blocking is fine here: this instance is about to exit, and it waits a second at most.
        if socket.waitForConnected(1000):
            socket.write(_WAKE)
            socket.waitForBytesWritten(1000)
            socket.disconnectFromServer()
        socket.deleteLater()

    def _on_connection(self) -> None:
        assert self._server is not None
        while (socket := self._server.nextPendingConnection()) is not None:
            socket.readyRead.connect(lambda s=socket: self._on_message(s))
            socket.disconnected.connect(socket.deleteLater)
            if socket.bytesAvailable():
                self._on_message(socket)

    def _on_message(self, socket: QLocalSocket) -> None:
        if bytes(socket.readAll().data()).startswith(_WAKE.strip()):
            self.activated.emit()


def bring_forward() -> QWidget | None:
    """Raise the window the user works in (a dialog such as the login if one is open, else the main window)."""
    from PySide6.QtCore import Qt  # here: importing `Qt` builds all its enum classes (~35 ms before the login)

    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return None
    windows = [
        w for w in app.topLevelWidgets() if w.isVisible() and w.isWindow() and w.windowType() != Qt.WindowType.Popup
    ]
    target = app.activeModalWidget() or next(iter(windows), None)
    if target is None:
        return None
    target.setWindowState(target.windowState() & ~Qt.WindowState.WindowMinimized)
    target.show()
    target.raise_()
    target.activateWindow()
    return target
