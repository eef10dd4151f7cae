"""Long work off the GUI thread: a QRunnable on the global pool, a progress dialog after half a second."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

# Work that ends sooner shows nothing (a flash of a dialog is worse than none); longer work shows a busy bar.
SHOW_AFTER_MS = 500


class _Relay(QObject):
    """Lives on the GUI thread; the worker's emits arrive there queued."""

    done = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, work: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._work, self._relay = work, relay

    def run(self) -> None:
        try:
            result = self._work()
        except Exception as exc:  # handed to the GUI thread, which shows it in the user's words
            outcome, value = self._relay.failed, exc
        else:
            outcome, value = self._relay.done, result
        # The window that asked may be gone by now (the screen locked and closed its dialog): then nobody waits.
        with contextlib.suppress(RuntimeError):
            outcome.emit(value)


class Task(QObject):
    """One piece of work running on the pool; `finished` fires on the GUI thread with (result, error).

    The window stays responsive (repaints, the idle lock's timer); the progress dialog is window-modal so
    the user cannot start a second thing that races the first.

    Signals:
        finished(object, object): the result (or None) and the exception (or None).
    """

    finished = Signal(object, object)

    def __init__(self, parent: QWidget | None, label: str, work: Callable[[], Any]) -> None:
        super().__init__(parent)
        self.result: Any = None
        self.error: BaseException | None = None
        self.running = True
        self.shown = False  # whether the busy bar was on screen when the work ended
        # Garbage is collected first, on the GUI thread: else Python may collect it during the work, in the worker
        # thread, and a Qt widget finalised off the GUI thread crashes the process (seen as a segfault inside
        # reportlab while signing, after earlier windows were closed). Before the busy bar's clock starts: a
        # long collection is not the work's time.
        gc.collect()
        self.progress = QProgressDialog(label, "", 0, 0, parent)
        self.progress.setObjectName("busyProgress")
        self.progress.setCancelButton(None)  # the work cannot be stopped halfway (a signature, a transaction)
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(SHOW_AFTER_MS)
        self.progress.setAutoClose(False)
        self.progress.setAutoReset(False)
        self.progress.setValue(0)
        self._relay = _Relay(self)
        self._relay.done.connect(self._on_done)
        self._relay.failed.connect(self._on_failed)
        QThreadPool.globalInstance().start(_Job(work, self._relay))

    def _on_done(self, result: Any) -> None:
        self.result = result
        self._finish()

    def _on_failed(self, error: BaseException) -> None:
        self.error = error
        self._finish()

    def _finish(self) -> None:
        self.running = False
        self.shown = self.progress.isVisible()
        self.progress.close()
        self.progress.deleteLater()
        self.finished.emit(self.result, self.error)


def run_in_background(
    parent: QWidget | None, label: str, work: Callable[[], Any], on_done: Callable[[Any, BaseException | None], None]
) -> Task:
    """Start `work` on the pool; `on_done(result, error)` runs on the GUI thread when it ends."""
    task = Task(parent, label, work)
    task.finished.connect(on_done)
    return task
