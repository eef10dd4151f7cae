"""The CUPS clients on a real scheduler: one-line messages naming the command when the print system fails."""

from __future__ import annotations

import socket

import pytest

from checklist_app.export import cups
from checklist_app.export.cups import CupsJob, PrintSystemError
from tests.helpers.cups_server import CupsServer


def test_a_queue_is_known_by_name(cups_printer: CupsServer) -> None:
    assert cups.is_queue(cups_printer.queue)
    assert not cups.is_queue("no-such-printer")
    assert not cups.is_queue("")


def test_unknown_queue_is_one_line_naming_lp(cups_printer: CupsServer) -> None:
    with pytest.raises(PrintSystemError) as caught:
        cups.submit("no-such-printer", b"%PDF-1.4\n", copies=1, title="rec-1")
    message = str(caught.value)
    assert message.startswith("lp could not send the record to no-such-printer: ") and "\n" not in message


def test_job_state_of_a_held_job(cups_printer: CupsServer) -> None:
    cups_printer.pause()
    job = cups.submit(cups_printer.queue, b"%!PS\nshowpage\n", copies=2, title="rec-2")
    assert job.queue == cups_printer.queue and cups.job_state(job) == "pending"
    cups_printer.run("lp", "-i", job.job_id, "-H", "hold")
    assert cups.job_state(job) == "held"
    assert cups.job_state(CupsJob(cups_printer.queue, job.number + 1000)) == "unknown"


def test_stopped_scheduler_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("CUPS_SERVER", f"127.0.0.1:{port}")  # nothing listens there
    assert not cups.is_queue("ward-printer")
    with pytest.raises(PrintSystemError) as caught:
        cups.submit("ward-printer", b"%PDF-1.4\n", copies=1, title="rec-3")
    message = str(caught.value)
    assert message.startswith("lp could not send the record to ward-printer") and "\n" not in message
    with pytest.raises(PrintSystemError) as caught:
        cups.job_state(CupsJob("ward-printer", 1))
    assert str(caught.value).startswith("ipptool could not read job ward-printer-1") and "\n" not in str(caught.value)
