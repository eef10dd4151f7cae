"""Start and login, the title, the lock (patient data hidden until the same or another user logs in), roles."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QLineEdit, QWidget

from checklist_app.services.app import AppServices
from checklist_app.services.auth import WRONG
from checklist_app.services.models import CaseState, Role, User
from checklist_app.ui.accounts.first_run_dialog import FirstRunDialog
from checklist_app.ui.accounts.login_dialog import LoginDialog
from checklist_app.ui.cases.sign_dialog import SignDialog
from tests.helpers.ui import NURSE_PASSWORD, OTHER_PASSWORD, Messages, press, type_keys

Key = Qt.Key


def visible_text(root: QWidget) -> str:
    """Every piece of text a person could read on screen under `root`."""
    parts = [root.windowTitle()]
    for widget in root.findChildren(QWidget):
        if not widget.isVisible():
            continue
        if isinstance(widget, QLabel | QAbstractButton | QLineEdit):
            parts.append(widget.text())
    model = getattr(getattr(root, "worklist", None), "model", None)
    if model is not None and root.worklist.isVisible():
        parts.extend(r.patient_name for r in model.rows())
    return "\n".join(parts)


def log_in(qtbot: Any, form: Any, username: str, password: str) -> None:
    form.user_edit.setText(username)
    form.password_edit.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is form.password_edit)
    type_keys(qtbot, password)
    press(qtbot, Key.Key_Return)


def test_login_shows_wrong_password_then_the_lockout(qtbot: Any, svc: AppServices, nurse: User) -> None:
    dialog = LoginDialog(svc.auth, svc.db_display)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    assert svc.db_display in dialog.windowTitle()
    log_in(qtbot, dialog.form, "nina", "wrong-password-0")
    assert dialog.form.error.text() == WRONG
    assert dialog.form.password_edit.text() == ""
    for n in range(1, 5):
        log_in(qtbot, dialog.form, "nina", f"wrong-password-{n}")
    # The same words for a lock as for a wrong password (and an unknown name): they tell no one which names exist.
    assert dialog.form.error.text() == WRONG
    log_in(qtbot, dialog.form, "nina", NURSE_PASSWORD)  # even the right password waits out the lock
    assert dialog.form.error.text() == WRONG and dialog.user is None
    assert svc.store.users.get("nina").locked_until is not None


def test_login_accepts_the_right_password(qtbot: Any, svc: AppServices, nurse: User) -> None:
    dialog = LoginDialog(svc.auth, svc.db_display)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    with qtbot.waitSignal(dialog.accepted):
        log_in(qtbot, dialog.form, "nina", NURSE_PASSWORD)
    assert dialog.user == nurse


def test_a_relaunch_remembers_the_user_id_and_waits_in_the_password_field(
    qtbot: Any, svc: AppServices, nurse: User, tmp_path: Any
) -> None:
    """After a login the next start has the user id filled in and the focus in the masked password field, so
    a password typed at once is never shown in clear text; the password itself is never kept."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QLineEdit

    settings = QSettings(str(tmp_path / "login.ini"), QSettings.Format.IniFormat)
    first = LoginDialog(svc.auth, svc.db_display, settings=settings)
    qtbot.addWidget(first)
    first.show()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is first)
    assert first.form.user_edit.text() == "" and QApplication.focusWidget() is first.form.user_edit
    with qtbot.waitSignal(first.accepted):
        log_in(qtbot, first.form, "nina", NURSE_PASSWORD)
    assert NURSE_PASSWORD not in (tmp_path / "login.ini").read_text(encoding="utf-8")

    again = LoginDialog(
        svc.auth, svc.db_display, settings=QSettings(str(tmp_path / "login.ini"), QSettings.Format.IniFormat)
    )
    qtbot.addWidget(again)
    again.show()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is again)
    assert again.form.user_edit.text() == "nina"
    assert QApplication.focusWidget() is again.form.password_edit
    assert again.form.password_edit.echoMode() == QLineEdit.EchoMode.Password
    with qtbot.waitSignal(again.accepted):
        type_keys(qtbot, NURSE_PASSWORD)
        press(qtbot, Key.Key_Return)
    assert again.user == nurse


def test_window_title_names_the_user_and_the_database(window: Any, svc: AppServices) -> None:
    assert "Nina Nurse" in window.windowTitle() and svc.db_display in window.windowTitle()


def test_lock_hides_patient_data_until_the_same_user_logs_in(
    qtbot: Any, window: Any, make_case: Callable[..., CaseState], messages: Messages
) -> None:
    case = make_case(name="Quinn Placeholder")
    window.open_case(case.record_id)
    assert "Quinn Placeholder" in visible_text(window)
    with qtbot.waitSignal(window.locked):
        press(qtbot, Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.is_locked and window.user is None
    assert "Quinn Placeholder" not in visible_text(window) and "MRN100001" not in visible_text(window)
    assert "locked" in window.windowTitle()
    assert not window.sign_action.isEnabled() and not window.new_case_action.isEnabled()
    assert window.login_form.user_edit.text() == "nina"
    assert QApplication.focusWidget() is window.login_form.password_edit

    with qtbot.waitSignal(window.unlocked):
        log_in(qtbot, window.login_form, "nina", NURSE_PASSWORD)
    assert not window.is_locked
    assert window.checklist.case.record_id == case.record_id  # back where she was
    assert "Quinn Placeholder" in visible_text(window)
    assert messages.shown == []


def test_lock_closes_open_dialogs(qtbot: Any, window: Any, make_case: Callable[..., CaseState]) -> None:
    """A sign dialog shows the patient too: locking closes it."""
    window.open_case(make_case().record_id)
    dialog = window.sign()
    assert isinstance(dialog, SignDialog)
    qtbot.waitUntil(dialog.isVisible)
    window.lock()
    assert not dialog.isVisible()


def test_lock_is_idempotent(qtbot: Any, window: Any) -> None:
    window.lock()
    with qtbot.assertNotEmitted(window.locked):
        window.lock()


def test_another_user_at_the_lock_screen_gets_their_own_pages(
    qtbot: Any, window: Any, coordinator: User, make_case: Callable[..., CaseState]
) -> None:
    """The coordinator logging in at the nurse's locked screen sees no worklist and no open case."""
    from checklist_app.ui.shell.main_window import MainWindow

    assert isinstance(window, MainWindow)
    page = window.print_queue_page
    window.open_case(make_case().record_id)
    assert window.tabs.indexOf(page) < 0 and window.tabs.indexOf(window.cases_page) >= 0
    window.lock()
    with qtbot.waitSignal(window.user_changed) as changed:
        log_in(qtbot, window.login_form, "cora", OTHER_PASSWORD)
    assert changed.args == [coordinator]
    assert window.user == coordinator and "Cora Coordinator" in window.windowTitle()
    assert window.tabs.indexOf(window.cases_page) < 0 and window.tabs.indexOf(page) >= 0
    assert window.checklist.case is None
    assert not window.sign_action.isEnabled() and not window.new_case_action.isEnabled()


def test_a_user_without_pages_is_told_so(qtbot: Any, svc: AppServices, coordinator: User) -> None:
    """Every role has a page today, so the user here holds none of them (the store refuses a roleless user)."""
    from tests.helpers.ui import show_window

    window = show_window(qtbot, svc, coordinator.model_copy(update={"roles": frozenset()}))
    assert window.stack.currentWidget() is window.no_pages


def test_first_run_creates_the_administrator(qtbot: Any, svc: AppServices) -> None:
    assert not svc.auth.has_users()
    dialog = FirstRunDialog(svc)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    type_keys(qtbot, "Alex Admin")
    press(qtbot, Key.Key_Return)
    type_keys(qtbot, "site-setup-2026")
    press(qtbot, Key.Key_Return)
    type_keys(qtbot, "site-setup-2027")
    press(qtbot, Key.Key_Return)
    assert dialog.error.text() == "The two passwords differ." and not svc.auth.has_users()
    dialog.repeat_edit.setText("site-setup-2026")
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert dialog.choice == "admin" and svc.auth.login("admin", "site-setup-2026").roles == {Role.ADMIN}


def test_the_administrator_adds_a_nurse_who_can_then_log_in(qtbot: Any, svc: AppServices) -> None:
    from tests.helpers.ui import show_window

    admin = svc.auth.create_user("alex", "Alex Admin", {Role.ADMIN}, "site-setup-2026", actor="test")
    window = show_window(qtbot, svc, admin)
    page = window.users_page
    assert window.tabs.indexOf(page) >= 0 and window.tabs.indexOf(window.cases_page) < 0
    page.username_edit.setText("nora")
    page.full_name_edit.setText("Nora Nurse")
    page.role_boxes[Role.NURSE].setChecked(True)
    page.password_edit.setText("short")
    page.repeat_edit.setText("short")
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    assert "at least" in page.add_result.text()  # the service's password rule, in its words
    page.password_edit.setText("night-shift-2026")
    page.repeat_edit.setText("night-shift-2026")
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    assert page.add_result.text().startswith("Added Nora Nurse")
    assert svc.auth.login("nora", "night-shift-2026").roles == {Role.NURSE}


def test_a_temporary_password_must_be_replaced_before_the_user_gets_in(
    qtbot: Any, svc: AppServices, monkeypatch: Any
) -> None:
    """An account whose password an admin set asks for the user's own password at login, then lets them in."""
    from checklist_app.ui.accounts import password_dialog

    svc.auth.create_user("tess", "Tess Temporary", {Role.NURSE}, "admin-chose-2026", actor="admin", temporary=True)
    shown: list[password_dialog.ChangePasswordDialog] = []

    def ask(auth: Any, user: User, old: str, parent: Any) -> User | None:
        dialog = password_dialog.ChangePasswordDialog(auth, user, old, parent)  # owned by the login window
        shown.append(dialog)
        dialog.new_edit.setText("quiet-harbor-59")
        dialog.repeat_edit.setText("quiet-harbor-58")
        dialog.submit()  # a mismatch keeps the dialog open and says so
        assert dialog.error.text() == "The two passwords differ." and dialog.result() == 0
        dialog.new_edit.setText("quiet-harbor-59")
        dialog.repeat_edit.setText("quiet-harbor-59")
        dialog.submit()
        return dialog.user if dialog.result() == password_dialog.QDialog.DialogCode.Accepted else None

    monkeypatch.setattr(password_dialog, "ask_new_password", ask)
    login = LoginDialog(svc.auth, svc.db_display)
    qtbot.addWidget(login)
    login.show()
    log_in(qtbot, login.form, "tess", "admin-chose-2026")

    assert shown and login.user is not None and not login.user.must_change_password
    assert svc.auth.login("tess", "quiet-harbor-59").username == "tess"


def test_a_login_typed_while_the_database_opens_is_submitted_once_it_is_open(
    qtbot: Any, svc: AppServices, nurse: User
) -> None:
    """Start-up shows the login window before the database is open: typing and Return then wait for it."""
    dialog = LoginDialog(None, "")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    assert dialog.form.database.text() == "Database: opening…"
    log_in(qtbot, dialog.form, "nina", NURSE_PASSWORD)
    assert dialog.form.error.text() == "Opening the database…" and dialog.user is None
    with qtbot.waitSignal(dialog.accepted):
        dialog.set_auth(svc.auth, svc.db_display)
    assert dialog.user is not None and dialog.user.username == "nina"
    assert svc.db_display in dialog.windowTitle() and svc.db_display in dialog.form.database.text()


def test_start_up_opens_the_database_behind_the_login_window(qtbot: Any, db_path: Any, nurse: User) -> None:
    """The real start-up object: the login window first, the services arriving from the worker thread."""
    from checklist_app.ui.shell.app import StartUp

    start = StartUp(f"sqlite:///{db_path}")
    qtbot.addWidget(start.login)
    with qtbot.waitSignal(start.opener.opened, timeout=60_000):
        start.show()
    start.opener.wait()
    assert start.svc is not None and start.opener.services is start.svc
    try:
        qtbot.waitUntil(lambda: start.svc is not None and start.svc.db_display in start.login.windowTitle())
        log_in(qtbot, start.login.form, "nina", NURSE_PASSWORD)
        assert start.login.user is not None
    finally:
        start.svc.close()


def test_a_login_window_that_is_never_exposed_still_opens_the_database(
    qtbot: Any, db_path: Any, nurse: User, monkeypatch: Any
) -> None:
    """The database waits for the window to be on screen (app.StartUp._open_once_shown), but a window the display
    never exposes (minimised, no screen) must not keep the nurse waiting for it longer than FIRST_PAINT_WAIT_MS."""
    from PySide6.QtGui import QWindow

    from checklist_app.ui.shell import app as ui_app

    monkeypatch.setattr(QWindow, "isExposed", lambda _self: False)
    start = ui_app.StartUp(f"sqlite:///{db_path}")
    qtbot.addWidget(start.login)
    with qtbot.waitSignal(start.opener.opened, timeout=60_000):
        start.show()
        qtbot.wait(ui_app.FIRST_PAINT_WAIT_MS // 2)
        assert start.opener._thread is None  # still waiting for the window to be shown
    start.opener.wait()
    assert start.svc is not None
    start.svc.close()


def test_the_login_card_never_cuts_its_title(qtbot: Any) -> None:
    """Squeezed to its minimum (a small screen at 200 % does that), the card still shows the whole title."""
    from checklist_app.ui.accounts.login_dialog import LoginDialog

    dialog = LoginDialog(None, "sqlite:////tmp/example/demo.db")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.resize(dialog.minimumSize())
    qtbot.waitUntil(lambda: dialog.form.title.width() > 0)
    title = dialog.form.title
    assert title.width() >= title.fontMetrics().horizontalAdvance(title.text())
