""" "Refresh from schedule": the site's Modality Worklist pulled off the GUI thread, its outcome as a signal."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from ...domain.errors import ChecklistError
from ..shell.i18n import tr

if TYPE_CHECKING:
    from ...services.app import AppServices
    from ...services.schedule import MwlSettings


class ScheduleRefresher(QObject):
    """Signals (delivered on the GUI thread):
    finished(object): the PullReport of a completed pull.
    failed(str): one line saying why the worklist could not be read (nothing was changed then).
    """

    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, svc: AppServices, settings: MwlSettings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._svc = svc
        self.settings = settings
        self._thread: threading.Thread | None = None

    @property
    def busy(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> bool:
        """Begin a pull unless one is running; False when one already is."""
        if self.busy:
            return False
        # A plain thread: the pull is blocking network and database work with no Qt in it; the signals it
        # emits are queued to this object's (the GUI) thread.
        self._thread = threading.Thread(target=self._run, name="schedule-refresh", daemon=True)
        self._thread.start()
        return True

    def wait(self, timeout_s: float) -> bool:
        """For shutdown and tests: True when no pull is running (after waiting at most timeout_s)."""
        if self._thread is not None:
            self._thread.join(timeout_s)
        return not self.busy

    def _run(self) -> None:
        s = self.settings
        try:
            report = self._svc.schedule.pull(s.host, s.port, called_aet=s.called_aet, calling_aet=s.calling_aet)
        except ChecklistError as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # never let a worker thread die silently: the nurse is told
            self.failed.emit(tr("the worklist could not be read ({error})").format(error=type(exc).__name__))
        else:
            self.finished.emit(report)
