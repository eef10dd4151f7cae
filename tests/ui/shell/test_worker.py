"""Background work: the result or the error comes back on the GUI thread; quick work shows no dialog."""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtWidgets import QWidget

from checklist_app.ui.shell.worker import run_in_background


def test_the_result_comes_back_on_the_gui_thread(qtbot: Any) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    seen: list[tuple[Any, Any, bool]] = []
    gui = threading.current_thread()
    worker_threads: list[threading.Thread] = []

    def work() -> int:
        worker_threads.append(threading.current_thread())
        return 42

    task = run_in_background(
        parent, "Working…", work, lambda result, error: seen.append((result, error, threading.current_thread() is gui))
    )
    qtbot.waitUntil(lambda: bool(seen))
    assert seen == [(42, None, True)] and worker_threads[0] is not gui
    assert not task.running and not task.shown  # done well before the half second: no dialog


def test_an_error_comes_back_as_the_error(qtbot: Any) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    seen: list[tuple[Any, Any]] = []

    def work() -> None:
        raise ValueError("refused")

    run_in_background(parent, "Working…", work, lambda result, error: seen.append((result, error)))
    qtbot.waitUntil(lambda: bool(seen))
    [(result, error)] = seen
    assert result is None and isinstance(error, ValueError)
