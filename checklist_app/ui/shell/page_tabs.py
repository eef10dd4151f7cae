"""The main window's tabs: each page shown only to users holding one of its roles, with its View menu action."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QTabWidget, QWidget

from ...services.models import Role
from .i18n import tr


@dataclass
class Tab:
    title: str
    widget: QWidget
    roles: frozenset[Role]
    action: QAction
    fixed_shortcut: bool = False


class PageTabs(QTabWidget):
    """Tabs in the order they were added, showing exactly the ones the user's roles allow (`sync`)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pages")
        self.setDocumentMode(True)
        self.setAccessibleName(tr("Pages"))
        self.tabBar().setAccessibleName(tr("Pages"))
        self.all: list[Tab] = []

    def add(self, tab: Tab) -> None:
        tab.widget.setParent(None)
        self.all.append(tab)

    def disable(self) -> None:
        """No page can be switched to (the screen is locked)."""
        for tab in self.all:
            tab.action.setEnabled(False)

    def sync(self, roles: frozenset[Role], *, enabled: bool) -> bool:
        """Show the tabs for `roles`; Ctrl+1, Ctrl+2 … follow them left to right. False: none to show."""
        wanted = [t for t in self.all if t.roles & roles]
        for tab in self.all:
            if tab not in wanted and self.indexOf(tab.widget) >= 0:
                self.removeTab(self.indexOf(tab.widget))
                tab.widget.hide()
            tab.action.setVisible(tab in wanted)
            tab.action.setEnabled(tab in wanted and enabled)
        for n, tab in enumerate(wanted):
            if not tab.fixed_shortcut:
                tab.action.setShortcut(QKeySequence(f"Ctrl+{n + 1}") if n < 9 else QKeySequence())
            if self.indexOf(tab.widget) != n:
                if self.indexOf(tab.widget) >= 0:
                    self.removeTab(self.indexOf(tab.widget))
                # The tab widget's stack shows only the current page; a show() here drew this page over it.
                self.insertTab(n, tab.widget, tab.title)
        return bool(wanted)
