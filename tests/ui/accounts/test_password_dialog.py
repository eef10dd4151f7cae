"""Issue 12 item 8: the choose-password dialog shows all of its text after an error (it cut its own text)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QApplication, QLabel

from checklist_app.services.app import AppServices
from checklist_app.services.models import Role, User
from checklist_app.ui.accounts.password_dialog import ChangePasswordDialog

TEMPORARY = "temporary-from-it-2026"


def every_label_fits(dialog: ChangePasswordDialog) -> list[str]:
    """The labels drawn shorter than their wrapped text needs (cut), as their first words."""
    cut = []
    for label in dialog.findChildren(QLabel):
        if label.isVisible() and label.wordWrap() and label.height() < label.heightForWidth(label.width()):
            cut.append(label.text()[:40])
    return cut


def test_text_stays_whole_after_an_error(qtbot: Any, svc: AppServices, nurse: User) -> None:
    admin = svc.auth.create_user("ada", "Ada Admin", {Role.ADMIN}, "admin-own-secret-2026", actor="test")
    svc.auth.reset_password(admin, nurse.username, TEMPORARY)
    user = svc.auth.get(nurse.username)
    dialog = ChangePasswordDialog(svc.auth, user, TEMPORARY)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert every_label_fits(dialog) == []
    dialog.new_edit.setText("short")
    dialog.repeat_edit.setText("short")
    dialog.submit()
    QApplication.processEvents()
    assert dialog.error.isVisible() and dialog.error.text()
    assert every_label_fits(dialog) == []
    dialog.new_edit.setText("one-thing-2026")
    dialog.repeat_edit.setText("another-thing-2026")
    dialog.submit()
    QApplication.processEvents()
    assert dialog.error.text() == "The two passwords differ." and every_label_fits(dialog) == []
