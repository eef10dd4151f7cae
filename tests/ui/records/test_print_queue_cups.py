"""The print queue on a real CUPS (a private cupsd with a cups-pdf queue): the record's own PDF is sent, and the
app records what the print system says: sent while the printer is paused, printed once the job completed."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtPrintSupport import QPrinter

from checklist_app.services.models import CaseFilter
from checklist_app.ui.records import print_queue_view
from checklist_app.ui.records.print_queue_view import PrintQueueView
from checklist_app.ui.records.records_model import Column
from checklist_app.ui.shell.session import Session
from tests.helpers.cups_server import CupsServer
from tests.helpers.poppler import poppler
from tests.helpers.records_env import RecordsEnv
from tests.ui.records.test_print_queue import AcceptingPrintDialog


@pytest.fixture
def queue(
    records_env: RecordsEnv,
    qtbot,
    cups_printer: CupsServer,
    messages,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[PrintQueueView]:
    """The coordinator's queue with the CUPS queue chosen in the (accepted) print dialog."""
    monkeypatch.setattr(print_queue_view, "QPrintDialog", AcceptingPrintDialog)
    session = Session()
    view = PrintQueueView(records_env.svc, session)
    session.user_changed.connect(view.set_user)
    qtbot.addWidget(view)
    view.printer.setPrinterName(cups_printer.queue)
    assert view.printer.outputFormat() == QPrinter.OutputFormat.NativeFormat
    view.cups.timer.setInterval(200)
    view.resize(900, 500)
    view.show()
    session.log_in(records_env.coordinator)
    yield view
    view.clear()


def send_first(queue: PrintQueueView, qtbot) -> str:
    record_id = queue.model.summary(0).record_id
    queue.select_ids([record_id])
    assert queue.print_selected()
    qtbot.waitUntil(lambda: queue.cups.sending is None, timeout=30_000)
    return record_id


def test_paused_printer_leaves_the_record_sent_not_printed(
    queue: PrintQueueView, records_env: RecordsEnv, cups_printer: CupsServer, qtbot, messages
) -> None:
    cups_printer.pause()
    record_id = send_first(queue, qtbot)
    row = records_env.svc.store.records.get(record_id)
    assert row.printed_at is not None and row.printed_by == "coordinator" and row.print_outcome is None
    assert "sent to ward-printer at" in queue.status_label.text()
    assert messages.shown == []
    for _ in range(3):  # the page keeps asking; the job keeps waiting in the paused queue
        queue.cups.check()
    assert record_id in queue.cups.jobs and records_env.svc.store.records.get(record_id).print_outcome is None
    assert cups_printer.printed_pdfs() == []
    actions = [e for e in records_env.svc.store.audit.entries(record_id=record_id)]
    assert actions[-1].action == "record.printed" and actions[-1].detail["job"].startswith("ward-printer-")

    queue.sent_check.click()
    assert [queue.model.summary(n).record_id for n in range(queue.model.rowCount())] == [record_id]
    assert queue.model.index(0, queue.model.column_of(Column.PRINTED)).data().startswith("Sent to printer")
    queue.select_ids([record_id])
    assert queue.print_action.text() == "&Reprint…"


def test_enabled_printer_prints_the_vector_pdf_and_records_printed(
    queue: PrintQueueView,
    records_env: RecordsEnv,
    cups_printer: CupsServer,
    qtbot,
    tmp_path: Path,
) -> None:
    summary = queue.model.summary(0)
    record_id = send_first(queue, qtbot)
    qtbot.waitUntil(lambda: records_env.svc.store.records.get(record_id).print_outcome == "printed", timeout=60_000)
    assert record_id not in queue.cups.jobs and "Printed: 1 record(s)" in queue.status_label.text()
    confirmed = [
        e for e in records_env.svc.store.audit.entries(record_id=record_id) if e.action == "record.print_confirmed"
    ]
    assert confirmed[-1].detail == {"outcome": "printed", "source": "printer"}

    [paper] = cups_printer.printed_pdfs()
    assert record_id in paper.name  # the job title: the record id, never the patient's name
    assert summary.patient_name.split()[-1] not in paper.name
    text = subprocess.run(
        [poppler("pdftotext"), str(paper), "-"], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    assert summary.mrn in text and f"Printed by {records_env.coordinator.full_name} at " in text
    # The signers' line under the last page (ghostscript in cups-pdf keeps the glyphs of "Zoë Łukasiewicz" but not
    # their text, so only the ASCII part is read back).
    assert "Signatures checked when printed" in text and "Prepared by Zo" in text
    # Vector pages: text set in fonts (listed by pdffonts), not one 300 dpi image a page (~1 MB each).
    fonts = subprocess.run(
        [poppler("pdffonts"), str(paper)], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    assert "DejaVuSans" in fonts
    pages = int(
        subprocess.run([poppler("pdfinfo"), str(paper)], capture_output=True, text=True, check=True, timeout=60)
        .stdout.split("Pages:")[1]
        .split()[0]
    )
    assert paper.stat().st_size < 250_000 * pages


def test_record_co_signed_after_printing_returns_to_the_queue(
    queue: PrintQueueView, records_env: RecordsEnv, cups_printer: CupsServer, qtbot
) -> None:
    record_id = send_first(queue, qtbot)
    qtbot.waitUntil(lambda: records_env.svc.store.records.get(record_id).print_outcome == "printed", timeout=60_000)
    assert record_id not in [row.record_id for row in records_env.svc.cases.print_queue()]

    charge = records_env.charge
    records_env.svc.documents.co_sign(charge, records_env.password(charge), record_id)
    queue.refresh()
    assert record_id in [queue.model.summary(n).record_id for n in range(queue.model.rowCount())]
    assert records_env.svc.cases.count(CaseFilter(printed=True)) == 0


def test_cancelled_job_puts_the_record_back(
    queue: PrintQueueView, records_env: RecordsEnv, cups_printer: CupsServer, qtbot
) -> None:
    """Someone cancels the job at the printer: nothing came out, so the record is waiting to be printed again."""
    cups_printer.pause()
    record_id = send_first(queue, qtbot)
    cups_printer.run("cancel", queue.cups.jobs[record_id].job_id)
    qtbot.waitUntil(lambda: record_id not in queue.cups.jobs, timeout=30_000)
    assert records_env.svc.store.records.get(record_id).print_outcome == "not_printed"
    assert record_id in [queue.model.summary(n).record_id for n in range(queue.model.rowCount())]
