"""After a password reset the login shows who reset it, and the change dialog keeps the key with the old password."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from checklist_app.services.app import AppServices
from checklist_app.services.models import Role, User
from checklist_app.ui.accounts import password_dialog
from checklist_app.ui.accounts.login_dialog import LoginDialog
from tests.helpers.ui import NURSE_PASSWORD, press, type_keys

TEMPORARY = "admin-chose-this-2026"


def test_the_reset_is_shown_and_the_old_password_keeps_the_signing_key(
    qtbot: Any, svc: AppServices, nurse: User, monkeypatch: Any
) -> None:
    admin = svc.auth.create_user("ada", "Ada Admin", {Role.ADMIN}, "admin-own-secret-2026", actor="test")
    before = svc.auth.identity(nurse)
    svc.auth.reset_password(admin, nurse.username, TEMPORARY)
    shown: list[password_dialog.ChangePasswordDialog] = []

    def ask(auth: Any, user: User, old: str, parent: Any) -> User | None:
        dialog = password_dialog.ChangePasswordDialog(auth, user, old, parent)
        shown.append(dialog)
        assert "reset by ada" in dialog.findChild(password_dialog.QLabel).text()
        assert dialog.previous_edit.isVisibleTo(dialog)
        dialog.previous_edit.setText(NURSE_PASSWORD)
        dialog.new_edit.setText("her-own-choice-2026")
        dialog.repeat_edit.setText("her-own-choice-2026")
        dialog.submit()
        return dialog.user if dialog.result() == password_dialog.QDialog.DialogCode.Accepted else None

    monkeypatch.setattr(password_dialog, "ask_new_password", ask)
    login = LoginDialog(svc.auth, svc.db_display)
    qtbot.addWidget(login)
    login.show()
    login.form.user_edit.setText(nurse.username)
    login.form.password_edit.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is login.form.password_edit)
    type_keys(qtbot, TEMPORARY)
    press(qtbot, Qt.Key.Key_Return)
    assert shown and login.user is not None and not login.user.must_change_password
    after = svc.auth.identity(login.user)
    assert before is not None and after is not None and after[1] == before[1]  # her own key, re-wrapped
