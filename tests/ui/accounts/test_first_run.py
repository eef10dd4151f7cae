"""First run's demo data loads off the GUI thread with a busy bar, and the dialog keeps painting meanwhile."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog

from checklist_app.services.app import AppServices
from checklist_app.ui.accounts.first_run_dialog import FirstRunDialog
from tests.helpers.ui import Messages


def test_loading_demo_data_shows_progress_and_never_freezes_the_window(
    qtbot: Any, svc: AppServices, messages: Messages
) -> None:
    dialog = FirstRunDialog(svc)
    dialog.demo_records = 4  # still seconds: the accounts' keys and a signed record
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    ticks: list[int] = []
    timer = QTimer(dialog)
    timer.setInterval(50)
    timer.timeout.connect(lambda: ticks.append(1))  # runs only while the GUI thread is free
    timer.start()
    qtbot.mouseClick(dialog.demo_button, Qt.MouseButton.LeftButton)
    task = dialog.task
    assert task.running and not dialog.demo_button.isEnabled() and not dialog.quit_button.isEnabled()
    # The busy bar appears once the work takes over half a second (the demo takes seconds: hashes, signatures).
    qtbot.waitUntil(
        lambda: any(isinstance(w, QProgressDialog) and w.isVisible() for w in QApplication.topLevelWidgets()),
        timeout=30000,
    )
    progress = task.progress
    assert progress.maximum() == 0 and progress.labelText() == "Loading synthetic demo data…"
    with qtbot.waitSignal(dialog.accepted, timeout=120000):
        pass
    assert len(ticks) > 5  # the event loop ran all along
    assert dialog.choice == "demo" and svc.auth.has_users()
    [(kind, title, _text, _detail)] = messages.shown
    assert (kind, title) == ("info", "Demo data loaded")
