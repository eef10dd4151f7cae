"""Commands of a page: QActions whose shortcuts stay inside the page, and push buttons that mirror them."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QPushButton, QWidget

from .i18n import tr


def command(owner: QWidget, text: str, shortcut: str | None, slot: Callable[[], object], tip: str) -> QAction:
    """A QAction on `owner` whose shortcut works while focus is inside it (pages never steal each other's keys)."""
    action = QAction(text, owner)
    action.setObjectName(text.replace("&", "").strip(".…").replace("-", "").replace(" ", "").lower() + "Action")
    if shortcut:
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    action.setToolTip(tr("{tip} ({shortcut})").format(tip=tip, shortcut=shortcut) if shortcut else tip)
    action.triggered.connect(slot)
    owner.addAction(action)
    return action


def action_button(action: QAction, *, primary: bool = False) -> QPushButton:
    """A push button that mirrors an action (text, enabled, tooltip) and triggers it; styled like the app's.

    QPushButton rather than QToolButton.setDefaultAction because the app's stylesheet styles push buttons.
    """
    button = QPushButton(action.text())
    button.setObjectName(action.objectName().removesuffix("Action") + "Button")
    button.setAccessibleName(action.text().replace("&", "").rstrip("…"))
    button.setAutoDefault(False)
    if primary:
        button.setProperty("primary", True)

    def sync() -> None:
        button.setText(action.text())
        button.setEnabled(action.isEnabled())
        button.setToolTip(action.toolTip())

    action.changed.connect(sync)
    button.clicked.connect(action.trigger)
    sync()
    return button
