"""The single place that shows message boxes and file pickers, so tests patch these and nothing else."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from .i18n import tr


def _box(parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str, detail: str = "") -> None:
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("messageBox")
    if detail:
        box.setInformativeText(detail)
    box.exec()


def info(parent: QWidget | None, title: str, text: str, detail: str = "") -> None:
    _box(parent, QMessageBox.Icon.Information, title, text, detail)


def warn(parent: QWidget | None, title: str, text: str, detail: str = "") -> None:
    _box(parent, QMessageBox.Icon.Warning, title, text, detail)


def error(parent: QWidget | None, title: str, text: str, detail: str = "") -> None:
    _box(parent, QMessageBox.Icon.Critical, title, text, detail)


def confirm(parent: QWidget | None, title: str, text: str, *, yes: str | None = None, no: str | None = None) -> bool:
    """Ask a yes/no question; the safe answer (no) is the default button (OK / Cancel unless named)."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent)
    box.setObjectName("confirmBox")
    yes_button = box.addButton(yes or tr("OK"), QMessageBox.ButtonRole.AcceptRole)
    no_button = box.addButton(no or tr("Cancel"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(no_button)
    box.exec()
    return box.clickedButton() is yes_button


def ask_save_path(parent: QWidget | None, title: str, suggested: str, file_filter: str) -> str | None:
    """A path to save to, or None when the user cancelled."""
    path, _ = QFileDialog.getSaveFileName(parent, title, suggested, file_filter)
    return path or None


def ask_text(parent: QWidget | None, title: str, label: str) -> str | None:
    """One line of text, or None when the user cancelled."""
    from PySide6.QtWidgets import QInputDialog

    text, ok = QInputDialog.getText(parent, title, label)
    return text if ok else None
