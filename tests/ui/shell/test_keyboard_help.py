"""Issue 12 item 8: F1 shows every key one per line, in a window wide enough that no line wraps."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from checklist_app.ui.shell.keyboard_help import KeyboardHelpDialog, sections
from tests.helpers.ui import press


def test_f1_opens_the_keys_without_wrapping(qtbot: Any, window: Any) -> None:
    press(qtbot, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: window.findChild(KeyboardHelpDialog) is not None)
    dialog = window.findChild(KeyboardHelpDialog)
    qtbot.waitExposed(dialog)
    QApplication.processEvents()
    table = dialog.table
    assert not table.wordWrap()
    # The table is laid out at its natural width: as wide as its longest line, and the window shows all of it.
    assert table.width() >= table.sizeHint().width() and dialog.width() <= window.screen().availableGeometry().width()
    lines = sum(len(keys) for _title, keys in sections())
    line_height = table.fontMetrics().lineSpacing()
    assert table.sizeHint().height() < (lines + 2 * len(sections()) + 2) * (line_height + 6)  # no line wrapped
    text = table.text()
    assert "Ctrl+Shift+X" in text and "print the selected records" in text
    window.lock()
    assert window.findChild(KeyboardHelpDialog) is None or not dialog.isVisible()
