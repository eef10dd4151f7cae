"""Records sent from the print queue to a CUPS queue: the PDF itself goes (vector pages, off the GUI thread),
then CUPS is asked every few seconds what became of each job until it completed or was cancelled."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from ...domain.errors import ChecklistError
from ...export.cups import FINISHED, CupsJob
from ...services.models import User
from ...services.printing import PaperItem
from ..shell import msgbox
from ..shell.i18n import tr
from ..shell.worker import Task, run_in_background
from .record_printing import printed_stamp

if TYPE_CHECKING:
    from ...services.app import AppServices

JOB_POLL_MS = 2000  # how often CUPS is asked about the jobs sent from this workstation


class CupsJobs(QObject):
    """The jobs sent from one print queue page whose outcome is not known yet.

    Signals:
        status(str): a line for the page's status label.
        changed(): records were sent, printed or put back: the page reads the queue again.
    """

    status = Signal(str)
    changed = Signal()

    def __init__(self, svc: AppServices, user: Callable[[], User | None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._svc, self._user = svc, user
        self.jobs: dict[str, CupsJob] = {}
        self.sending: Task | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(JOB_POLL_MS)
        self.timer.timeout.connect(self.check)

    def send(
        self, user: User, queue: str, papers: list[PaperItem], *, copies: int, now: datetime, parent: QWidget
    ) -> None:
        """Send each record as its own job, with a progress dialog when it takes more than half a second."""
        n = len(papers)
        stamp = printed_stamp(user.full_name, now)
        what = tr("{n} record(s) sent to {queue} at {time}, by {name}").format(
            n=n, queue=queue, time=f"{now:%H:%M}", name=user.full_name
        )

        def done(jobs: dict[str, CupsJob] | None, error: BaseException | None) -> None:
            self.sending = None
            if error is not None:
                msgbox.error(parent, tr("Not printed"), str(error), tr("Records not sent are still in the queue."))
            else:
                self.jobs.update(jobs or {})
                self.status.emit(tr("{what}; waiting for the printer.").format(what=what))
                self.timer.start()
            self.changed.emit()

        self.sending = run_in_background(
            parent,
            tr("Sending {n} record(s) to {queue}…").format(n=n, queue=queue),
            lambda: self._svc.printing.send(user, queue, papers, copies=copies, stamp=stamp),
            done,
        )

    def resume(self) -> None:
        """A coordinator is back (after the lock): go on asking about the jobs still out."""
        if self.jobs:
            self.timer.start()

    def check(self) -> None:
        """Ask CUPS about the jobs: completed ones are recorded printed, cancelled ones go back to the queue, the
        rest stay "sent" (a paused printer keeps them so until someone looks)."""
        user = self._user()
        if user is None or not self.jobs:
            self.timer.stop()
            return
        try:
            states = self._svc.printing.settle(user, dict(self.jobs))
        except ChecklistError as exc:
            self.status.emit(tr("The printer's jobs could not be read: {error}").format(error=exc))
            return
        finished = {rid: state for rid, state in states.items() if state in FINISHED}
        for record_id in finished:
            del self.jobs[record_id]
        if finished:
            printed = sum(state == "completed" for state in finished.values())
            self.status.emit(
                tr(
                    "Printed: {printed} record(s), as the printer reports; cancelled and back in the queue: {back}."
                ).format(printed=printed, back=len(finished) - printed)
            )
            self.changed.emit()
        if not self.jobs:
            self.timer.stop()
