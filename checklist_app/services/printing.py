"""Paper copies through the CUPS print system: the record's own vector PDF goes to the queue, and what CUPS says
of the job is recorded (sent, then printed, or back in the queue when the job was cancelled).

Printers that are not CUPS queues (Windows, a PDF file chosen in the dialog) are printed by the UI through Qt,
page by page as images; the coordinator is then asked "Did it print?", as nothing else can tell.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..export import cups
from ..export.cups import CupsJob, JobState
from .documents import DocumentService
from .files import paper_copy
from .models import User


@dataclass(frozen=True)
class PaperItem:
    """One record to put on paper: its stored PDF and the line for under its last page (the signers as checked)."""

    record_id: str
    pdf: bytes
    last_page_note: str = ""


class PrintService:
    def __init__(self, documents: DocumentService) -> None:
        self._documents = documents

    def is_cups_queue(self, printer_name: str | None) -> bool:
        """Whether the printer chosen is a CUPS queue here, so the PDF itself can be sent (vector pages)."""
        return bool(printer_name) and cups.is_queue(printer_name or "")

    def send(
        self, user: User, queue: str, items: Sequence[PaperItem], *, copies: int, stamp: str
    ) -> dict[str, CupsJob]:
        """One CUPS job per record (titled with its id only), each recorded as sent with its job id as soon as CUPS
        took it: a failure halfway leaves the ones already sent recorded as sent."""
        jobs: dict[str, CupsJob] = {}
        papers = [(item.record_id, paper_copy(item.pdf, stamp, item.last_page_note)) for item in items]
        for record_id, paper in papers:
            job = cups.submit(queue, paper, copies=copies, title=record_id)
            self._documents.mark_printed(user, [record_id], printer=queue, jobs={record_id: job.job_id})
            jobs[record_id] = job
        return jobs

    def settle(self, user: User, jobs: dict[str, CupsJob]) -> dict[str, JobState]:
        """Ask CUPS about each job; a completed job is recorded printed, a cancelled one puts its record back in
        the queue. Jobs still waiting (a paused queue, held, printing) stay "sent"."""
        states: dict[str, JobState] = {}
        for record_id, job in jobs.items():
            state = cups.job_state(job)
            states[record_id] = state
            if state in cups.FINISHED:
                self._documents.confirm_printed(user, [record_id], state == "completed", source="printer")
        return states
