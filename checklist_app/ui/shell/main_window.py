"""The main window: role-based pages, the nurse's worklist + checklist, every command a QAction, and the lock."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QStackedWidget,
    QWidget,
)

from ...domain.errors import ChecklistError
from ...domain.lifecycle import EDITORS
from ...services.models import CaseState, Role, User
from ..accounts.login_dialog import APP_TITLE, LockPage, LoginForm
from ..accounts.users_view import UsersView
from ..cases.cases_page import CasesPage
from ..cases.new_case_dialog import NewCaseDialog
from ..cases.sign_dialog import SignDialog
from ..dashboard.dashboard_view import DashboardView, open_records_from
from ..records.pdf_preview import (
    PdfPreviewDialog,  # the print queue page needs QtPdf and QtPrintSupport at start-up anyway
)
from ..records.print_queue_view import PrintQueueView
from ..records.records_view import RecordsView
from . import msgbox
from .i18n import tr
from .page_tabs import PageTabs, Tab
from .session import Page, Session
from .style import set_prop
from .window_commands import WindowCommands
from .worker import Task, run_in_background

if TYPE_CHECKING:
    from ...services.app import AppServices

CASE_ROLES = EDITORS  # who works on cases (the services' rule): they get the worklist and the checklist


class MainWindow(WindowCommands):
    """Pages by role (`add_page`), the cases page for nurses, and `lock()` for the idle detector.

    `session` holds the logged-in user; every page reads it and is told of each login and lock through it.

    Signals:
        user_changed(object): a different User logged in (pages reload for them).
        locked(): the screen locked; nothing about any patient is on screen.
        unlocked(object): the User who logged back in.
    """

    user_changed = Signal(object)
    locked = Signal()
    unlocked = Signal(object)

    def __init__(self, svc: AppServices, user: User, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self._svc = svc
        self.session = Session(user, self)
        self._pages: list[tuple[QWidget, Page]] = []
        self._preview: PdfPreviewDialog | None = None
        self._split_done = False

        self.tabs = PageTabs(self)
        self.no_pages = QLabel(tr("Your roles have no pages here yet. Ask an administrator."), self)
        self.no_pages.setObjectName("noPages")
        self.no_pages.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.login_form = LoginForm(svc.auth, svc.db_display)
        self.lock_page = LockPage(self.login_form, self)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.tabs)
        self.stack.addWidget(self.no_pages)
        self.stack.addWidget(self.lock_page)
        self.setCentralWidget(self.stack)

        self.cases_page = CasesPage(svc, self.session, CASE_ROLES, self)
        self.worklist = self.cases_page.worklist
        self.checklist = self.cases_page.checklist

        self.save_label = QLabel(self)
        self.save_label.setObjectName("saveStatus")
        self.user_label = QLabel(self)
        self.user_label.setObjectName("userStatus")
        self.statusBar().addPermanentWidget(self.save_label)
        self.statusBar().addPermanentWidget(self.user_label)

        self._build_actions()
        self.users_page = UsersView(svc, self.session, self)
        self.print_queue_page = PrintQueueView(svc, self.session, self)
        self.records_page = RecordsView(svc, self.session, self)
        self.dashboard_page = DashboardView(svc, self.session, self)
        # The window's own parts follow the session first, then every page, in tab order.
        self.session.user_changed.connect(self._on_session)
        pages: list[tuple[str, QWidget, Page]] = [
            (tr("Worklist"), self.cases_page, self.cases_page),
            (tr("Users"), self.users_page, self.users_page),
            (tr("Print queue"), self.print_queue_page, self.print_queue_page),
            (tr("Records"), self.records_page, self.records_page),
            (tr("Dashboard"), self.dashboard_page, self.dashboard_page),
        ]
        for title, widget, page in pages:
            self.add_page(title, widget, page.roles)
            self._pages.append((widget, page))
            self.session.user_changed.connect(page.set_user)
            page.set_user(user)

        self.records_page.amendment_started.connect(lambda draft: self.open_case(draft.record_id))
        open_records_from(self.dashboard_page, self.records_page, self.show_page, self.show_status)
        self.worklist.open_requested.connect(self.open_case)
        self.worklist.new_case_requested.connect(self.new_case)
        self.checklist.case_changed.connect(self._on_case_changed)
        self.checklist.saved.connect(self._on_saved)
        self.checklist.store_problem.connect(self._on_store_problem)
        self.checklist.sign_requested.connect(self.sign)
        self.login_form.logged_in.connect(self._on_login)
        self._on_session(user)
        if user.roles & CASE_ROLES:
            self.worklist.scan_edit.setFocus()  # ready for the wristband scanner the moment the window opens

    # -- for the other pages ----------------------------------------------------------------------------------
    @property
    def services(self) -> AppServices:
        return self._svc

    @property
    def user(self) -> User | None:
        """The logged-in user; None while the screen is locked."""
        return self.session.user

    @property
    def is_locked(self) -> bool:
        return self.session.locked

    def add_page(
        self, title: str, widget: QWidget, roles: Iterable[Role], *, shortcut: str | QKeySequence | None = None
    ) -> QAction:
        """A page (tab) shown only to users holding one of `roles`; the returned action switches to it.

        Without a `shortcut`, Ctrl+1, Ctrl+2 … follow the tabs the user actually sees, left to right.
        """
        action = QAction(title, self)
        action.setObjectName(f"page:{title}")
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda: self.show_page(widget))
        self.view_menu.addAction(action)
        self.tabs.add(Tab(title, widget, frozenset(roles), action, fixed_shortcut=bool(shortcut)))
        self._sync_pages()
        return action

    def show_page(self, widget: QWidget) -> None:
        index = self.tabs.indexOf(widget)
        if index >= 0 and not self.session.locked:
            self.tabs.setCurrentIndex(index)
            widget.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def show_status(self, text: str, *, error: bool = False) -> None:
        self.statusBar().showMessage(("⚠ " if error else "") + text, 0 if error else 8000)

    # -- the lock ---------------------------------------------------------------------------------------------
    def lock(self) -> None:
        """Hide every patient detail and ask for a login; the same or another user may log in."""
        user = self.session.user
        if user is None:
            return
        self._commit_typing()
        for dialog in self.findChildren(QDialog):
            if dialog.isVisible():
                dialog.reject()  # sign dialog, PDF preview, message boxes: they show patient data too
        with contextlib.suppress(ChecklistError):  # the audit entry is best effort; locking must never fail
            self._svc.auth.locked(user)
        self.session.lock()
        self.locked.emit()

    def _on_login(self, user: User) -> None:
        previous = self.session.last_user
        other = previous is not None and user.username != previous.username
        if previous is not None and other:
            with contextlib.suppress(ChecklistError):
                self._svc.auth.logout(previous)
        self.session.log_in(user)
        if other:
            self.user_changed.emit(user)
        self.unlocked.emit(user)

    # -- commands ---------------------------------------------------------------------------------------------
    def new_case(self, mrn: str = "") -> NewCaseDialog | None:
        """Open the New case dialog (window-modal, not blocking: the idle lock can still close it)."""
        user = self.session.user
        if user is None or not user.roles & CASE_ROLES:
            return None
        self._commit_typing()
        dialog = NewCaseDialog(self._svc, user, self, mrn=mrn if isinstance(mrn, str) else "", day=self.worklist.day)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._on_case_created(dialog.case))
        dialog.open()
        return dialog

    def _on_case_created(self, case: CaseState | None) -> None:
        if case is not None:
            self.worklist.reload()
            self._show_case(case)

    def open_case(self, record_id: str) -> None:
        """Open a record: in the checklist for nurses (read-only once signed), else as its PDF."""
        user = self.session.user
        if user is None:
            return
        if self.tabs.indexOf(self.cases_page) < 0:
            self.show_pdf(record_id)
            return
        self._commit_typing()
        try:
            case = self._svc.cases.open_case(user, record_id)
        except ChecklistError as exc:
            msgbox.warn(self, tr("Open case"), str(exc))
            return
        self._show_case(case)

    def _show_case(self, case: CaseState) -> None:
        # Called as a dialog closes too: take the keyboard back, whatever the window manager does.
        self.activateWindow()
        self.show_page(self.cases_page)
        self.checklist.load(case)
        self.worklist.select(case.record_id)
        self.checklist.focus_first()

    def sign(self) -> SignDialog | None:
        """Open the sign dialog for the open case (window-modal, not blocking)."""
        case, user = self.checklist.case, self.session.user
        if user is None or case is None:
            self.show_status(tr("Open a case to sign it."))
            return None
        self._commit_typing()  # a time typed but not yet entered is saved before the signature
        case = self.checklist.case
        assert case is not None
        if not case.editable:
            self.show_status(tr("This checklist is already {status}.").format(status=case.status))
            return None
        dialog = SignDialog(self._svc, user, case, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _result: self._on_sign_finished(dialog.signed, dialog.conflict))
        dialog.open()
        return dialog

    def _on_sign_finished(self, signed: CaseState | None, conflict: bool) -> None:
        if conflict:
            self.checklist.reload()
        if signed is not None:
            self.checklist.load(signed)
            self.show_status(tr("Signed. The signed PDF is shown: print it or save it."))
            self.show_pdf(signed.record_id)

    def show_pdf(self, record_id: str) -> Task | None:
        """The record's PDF (signed as stored, else a DRAFT rendering) in a preview with Print and Save as, once read
        and checked on the worker pool (its tamper check validates every signature)."""
        user = self.session.user
        if user is None:
            return None
        return run_in_background(
            self,
            tr("Checking the record…"),
            lambda: self._svc.documents.pdf(user, record_id),
            lambda pdf, error: self._open_pdf(user, record_id, pdf, error),
        )

    def _open_pdf(self, user: User, record_id: str, pdf: bytes, error: BaseException | None) -> None:
        if error is not None and not isinstance(error, ChecklistError):
            raise error
        if self.session.user is not user:
            return  # the screen locked while the record was read: no patient's PDF over the lock
        if error is not None:
            return msgbox.warn(self, tr("PDF"), str(error))
        case = self.checklist.case
        name = "checklist"
        if case is not None and case.record_id == record_id:
            name = f"checklist-{case.record.patient.mrn}-{case.record.procedure.scheduled_at:%Y%m%d}"
        if self._preview is not None:
            self._preview.close()
            self._preview.deleteLater()

        def printed() -> None:
            if user.has(Role.COORDINATOR):
                self._svc.documents.mark_printed(user, [record_id])
                self.worklist.reload()

        self._preview = PdfPreviewDialog(self, pdf, f"{name}.pdf", suggested_name=f"{name}.pdf", on_printed=printed)
        self._preview.show()

    def _on_session(self, user: User | None) -> None:
        """The window's own parts after a login or the lock; the pages follow the session themselves."""
        if user is None:
            self._show_locked()
            return
        self.menuBar().show()
        self._sync_pages()
        for action in self._session_actions:
            action.setEnabled(True)
        self.new_case_action.setEnabled(bool(user.roles & CASE_ROLES))
        self.find_action.setEnabled(bool(user.roles & CASE_ROLES))
        for action in (self.sign_action, self.reschedule_action, self.cancel_case_action):
            action.setEnabled(bool(user.roles & CASE_ROLES))
        self.user_label.setText(f"{user.full_name} · {user.roles_text}")
        self.save_label.clear()
        self._update_title()

    def _show_locked(self) -> None:
        self.stack.setCurrentWidget(self.lock_page)
        self.menuBar().hide()
        for action in self._session_actions:
            action.setEnabled(False)
        self.tabs.disable()
        self.statusBar().clearMessage()
        self.save_label.clear()
        self.user_label.clear()
        last = self.session.last_user
        self.login_form.reset(
            last.username if last else "",
            tr("Locked: patient data is hidden. Log in to continue — the same person, or someone else."),
        )
        self._update_title()

    def _sync_pages(self) -> None:
        """Show exactly the pages the user's roles allow, in the order they were added."""
        user = self.session.user
        current = self.tabs.currentWidget()
        wanted = self.tabs.sync(user.roles if user is not None else frozenset(), enabled=not self.session.locked)
        if self.session.locked:
            return
        self.stack.setCurrentWidget(self.tabs if wanted else self.no_pages)
        if current is not None and self.tabs.indexOf(current) >= 0:
            self.tabs.setCurrentWidget(current)

    def _update_title(self) -> None:
        user = self.session.user
        who = tr("locked") if user is None else f"{user.full_name} ({user.roles_text})"
        self.setWindowTitle(
            tr("{app_title} — {who} — {db_display}").format(
                app_title=tr(APP_TITLE), who=who, db_display=self._svc.db_display
            )
        )

    def _on_case_changed(self, case: CaseState) -> None:
        self.worklist.update_case(case)
        user = self.session.user
        self.sign_action.setEnabled(case.editable and user is not None and bool(user.roles & CASE_ROLES))

    def _on_saved(self, moment: object) -> None:
        set_prop(self.save_label, "error", False)
        self.save_label.setText(tr("Saved {at:%H:%M:%S}").format(at=moment.astimezone()))  # type: ignore[attr-defined]

    def _on_store_problem(self, message: str) -> None:
        if message:
            set_prop(self.save_label, "error", True)
            self.save_label.setText(tr("NOT SAVED — database unavailable"))
        elif self.save_label.property("error"):
            set_prop(self.save_label, "error", False)
            self.save_label.clear()

    def _commit_typing(self) -> None:
        """Let a field being typed in finish (its editingFinished saves it) before anything else happens."""
        focus = QApplication.focusWidget()
        if focus is not None and self.isAncestorOf(focus):
            focus.clearFocus()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._split_done:
            self._split_done = True  # the worklist as wide as its columns need; the checklist the rest
            self.cases_page.default_split(self.cases_page.width() or self.width())

    def closeEvent(self, event: QCloseEvent) -> None:
        self._commit_typing()
        if self.session.user is not None:
            with contextlib.suppress(ChecklistError):
                self._svc.auth.logout(self.session.user)
        super().closeEvent(event)
