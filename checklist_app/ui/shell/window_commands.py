"""The main window's commands: every one a QAction in its menu with its shortcut (working with the menu bar
hidden), and the small commands that only move focus or pages (F1, F5, F6, Ctrl+F, Ctrl+P)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

from ..cases.outcome_dialogs import add_outcome_actions
from .i18n import tr
from .keyboard_help import KeyboardHelpDialog
from .session import Page

if TYPE_CHECKING:
    from ..cases.cases_page import CasesPage
    from ..cases.worklist_view import WorklistView
    from ..checklist.checklist_view import ChecklistView
    from ..records.print_queue_view import PrintQueueView


class WindowCommands(QMainWindow):
    """The base of MainWindow: its menus and actions. The pages and the case commands are MainWindow's."""

    checklist: ChecklistView
    worklist: WorklistView
    cases_page: CasesPage
    print_queue_page: PrintQueueView
    _pages: list[tuple[QWidget, Page]]

    def new_case(self, mrn: str = "") -> object:
        raise NotImplementedError

    def sign(self) -> object:
        raise NotImplementedError

    def lock(self) -> None:
        raise NotImplementedError

    def show_page(self, widget: QWidget) -> None:
        raise NotImplementedError

    def show_pdf(self, record_id: str) -> object:
        raise NotImplementedError

    def _action(
        self,
        text: str,
        name: str,
        shortcut: str | QKeySequence | QKeySequence.StandardKey,
        slot: object,
        menu: object,
        tip: str = "",
    ) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.setStatusTip(tip or text)
        action.triggered.connect(slot)
        menu.addAction(action)  # type: ignore[attr-defined]
        self.addAction(action)  # shortcuts work even with the menu bar hidden
        return action

    def _build_actions(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(tr("&File"))
        case_menu = bar.addMenu(tr("&Checklist"))
        self.view_menu = bar.addMenu(tr("&View"))
        help_menu = bar.addMenu(tr("&Help"))
        self.new_case_action = self._action(tr("&New case…"), "newCaseAction", "Ctrl+N", self.new_case, file_menu)
        self.find_action = self._action(
            tr("&Find by MRN"),
            "findAction",
            QKeySequence.StandardKey.Find,
            self._focus_scan,
            file_menu,
            tr("Scan or type an MRN"),
        )
        file_menu.addSeparator()
        self.lock_action = self._action(tr("&Lock screen"), "lockAction", "Ctrl+L", self.lock, file_menu)
        self.quit_action = self._action(tr("&Quit"), "quitAction", "Ctrl+Q", self.close, file_menu)
        self.sign_action = self._action(tr("&Sign…"), "signAction", "Ctrl+S", self.sign, case_menu)
        self.pdf_action = self._action(tr("&PDF preview…"), "pdfAction", "Ctrl+P", self._preview_current, case_menu)
        case_menu.addSeparator()
        self.next_problem_action = self._action(
            tr("Next &problem"),
            "nextProblemAction",
            "F8",
            self.checklist.next_problem,
            case_menu,
            tr("Go to the next blocker or unanswered item"),
        )
        self.switch_pane_action = self._action(
            tr("Worklist ↔ checklist"), "switchPaneAction", "F6", self._switch_pane, case_menu
        )
        self.refresh_action = self._action(
            tr("&Refresh"),
            "refreshAction",
            "F5",
            self.refresh,
            case_menu,
            tr("Read the worklist and the open case again"),
        )
        self.help_action = self._action(tr("&Keyboard"), "helpAction", "F1", self._show_keys, help_menu)
        self.reschedule_action, self.cancel_case_action = add_outcome_actions(
            self, case_menu, lambda: self.checklist.case
        )
        self._session_actions = [
            self.new_case_action,
            self.find_action,
            self.lock_action,
            self.sign_action,
            self.pdf_action,
            self.next_problem_action,
            self.switch_pane_action,
            self.refresh_action,
            self.help_action,
            self.reschedule_action,
            self.cancel_case_action,
        ]

    def refresh(self) -> None:
        """Read the page on screen again (F5)."""
        for widget, page in self._pages:
            if widget.isVisible():
                page.refresh()

    def _preview_current(self) -> None:
        if self.print_queue_page.isVisible():  # Ctrl+P there prints the selected records
            self.print_queue_page.print_selected()
            return
        case = self.checklist.case
        record_id = case.record_id if case is not None else self.worklist.current_record_id()
        if record_id:
            self.show_pdf(record_id)

    def _focus_scan(self) -> None:
        self.show_page(self.cases_page)
        self.worklist.focus_scan()

    def _switch_pane(self) -> None:
        focus = QApplication.focusWidget()
        if focus is not None and self.worklist.isAncestorOf(focus) and self.checklist.case is not None:
            self.checklist.focus_first()
        else:
            self.worklist.table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _show_keys(self) -> KeyboardHelpDialog:
        dialog = KeyboardHelpDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()  # not modal: it may stay open while the keys are tried (the lock closes it with the rest)
        return dialog

    # -- state ------------------------------------------------------------------------------------------------
