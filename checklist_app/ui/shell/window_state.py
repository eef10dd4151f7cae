"""The main window's size, place and splitter per user (QSettings), and a first size that fits the screen."""

from __future__ import annotations

from pathlib import Path

import platformdirs
from PySide6.QtCore import QByteArray, QEvent, QObject, QSettings, Qt
from PySide6.QtWidgets import QMainWindow, QSplitter

ORGANISATION = "checklist-app"
# Below this many pixels of available width the window opens maximised: a half-size window there is useless.
MAXIMISE_BELOW = 1280
SHARE_OF_SCREEN = 0.9


def settings() -> QSettings:
    """An INI file in the OS user's config folder (platformdirs), one group per app user.

    A file rather than QSettings' native place (the registry on Windows): IT can reset it by deleting one file,
    and the folder is looked up on every call (Qt fixes its own paths once per process).
    """
    folder = Path(platformdirs.user_config_dir(ORGANISATION, appauthor=False))
    return QSettings(str(folder / "window.ini"), QSettings.Format.IniFormat)


def _group(username: str) -> str:
    return f"window/{username or '_'}"


def fit_to_screen(window: QMainWindow) -> None:
    """A first size: 90 % of the screen's free area, centred, or maximised on a small screen."""
    screen = window.screen()
    area = screen.availableGeometry()
    if area.width() < MAXIMISE_BELOW:
        window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)
        return
    width, height = int(area.width() * SHARE_OF_SCREEN), int(area.height() * SHARE_OF_SCREEN)
    window.resize(width, height)
    window.move(area.x() + (area.width() - width) // 2, area.y() + (area.height() - height) // 2)


def restore(window: QMainWindow, splitter: QSplitter, username: str) -> bool:
    """Restore what this user left, else fit the screen; True when the splitter's saved sizes were used."""
    store = settings()
    store.beginGroup(_group(username))
    geometry, state, split = store.value("geometry"), store.value("state"), store.value("splitter")
    store.endGroup()
    restored = isinstance(geometry, QByteArray) and window.restoreGeometry(geometry)
    if not restored:
        fit_to_screen(window)
    if isinstance(state, QByteArray):
        window.restoreState(state)
    return bool(isinstance(split, QByteArray) and splitter.restoreState(split))


def save(window: QMainWindow, splitter: QSplitter, username: str) -> None:
    store = settings()
    store.beginGroup(_group(username))
    store.setValue("geometry", window.saveGeometry())
    store.setValue("state", window.saveState())
    store.setValue("splitter", splitter.saveState())
    store.endGroup()
    store.sync()


class WindowMemory(QObject):
    """Restores the window for `username` now, and saves it for whoever is logged in when it closes."""

    def __init__(self, window: QMainWindow, splitter: QSplitter, username: str) -> None:
        super().__init__(window)
        self._window, self._splitter, self.username = window, splitter, username
        self.splitter_restored = restore(window, splitter, username)
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() == QEvent.Type.Close:
            save(self._window, self._splitter, self.username)
        return False
