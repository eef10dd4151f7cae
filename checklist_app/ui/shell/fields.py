"""Small input controls shared by the dialogs (named for tests and screen readers)."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QWidget


def password_field(parent: QWidget, name: str, accessible: str) -> QLineEdit:
    """A masked line edit with an objectName for tests and an accessible name for screen readers."""
    edit = QLineEdit(parent)
    edit.setObjectName(name)
    edit.setAccessibleName(accessible)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit
