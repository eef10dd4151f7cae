"""PDF preview: shows the stored bytes; Save as writes exactly them, atomically; Print renders every page."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QDialog

from checklist_app.services import files
from checklist_app.services.app import AppServices
from checklist_app.services.files import write_atomically
from checklist_app.services.models import CaseState, User
from checklist_app.ui.records import pdf_preview
from checklist_app.ui.records.pdf_preview import PdfPreviewDialog
from tests.helpers.ui import Messages


@pytest.fixture
def draft_pdf(svc: AppServices, nurse: User, make_case: Callable[..., CaseState]) -> tuple[str, bytes]:
    case = make_case({"consent.signed": "met"})
    return case.record_id, svc.documents.pdf(nurse, case.record_id)


def test_preview_shows_the_pdf_and_saves_exactly_its_bytes(
    qtbot: Any, window: Any, draft_pdf: tuple[str, bytes], messages: Messages, tmp_path: Path
) -> None:
    record_id, pdf = draft_pdf
    task = window.show_pdf(record_id)  # read and checked on the worker pool; the preview opens when it ends
    assert task is not None and window.findChild(PdfPreviewDialog) is None
    qtbot.waitUntil(lambda: window.findChild(PdfPreviewDialog) is not None)
    preview = window.findChild(PdfPreviewDialog)
    qtbot.waitUntil(preview.isVisible)
    assert preview.document.pageCount() >= 1
    messages.save_path = str(tmp_path / "checklist")  # no extension typed: .pdf is added
    saved = preview.save_as()
    assert saved == str(tmp_path / "checklist.pdf")
    assert Path(saved).read_bytes() == preview.pdf_bytes  # the PDF shown is the PDF saved
    assert pdf.startswith(b"%PDF") and preview.pdf_bytes.startswith(b"%PDF")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temp file left behind


def test_a_pdf_read_while_the_screen_locks_does_not_open(qtbot: Any, window: Any, draft_pdf: tuple[str, bytes]) -> None:
    """Locked while the record was being read and checked: no patient's PDF opens over the lock screen."""
    task = window.show_pdf(draft_pdf[0])
    assert task is not None
    window.session.lock()
    qtbot.waitUntil(lambda: not task.running)
    assert window.findChild(PdfPreviewDialog) is None


def test_save_as_cancelled_writes_nothing(
    qtbot: Any, draft_pdf: tuple[str, bytes], messages: Messages, tmp_path: Path
) -> None:
    preview = PdfPreviewDialog(None, draft_pdf[1], "x.pdf")
    qtbot.addWidget(preview)
    messages.save_path = None
    assert preview.save_as() is None


def test_atomic_write_leaves_the_old_file_when_writing_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "a.pdf"
    target.write_bytes(b"old")

    def broken_fsync(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "fsync", broken_fsync)
    with pytest.raises(OSError):
        write_atomically(target, b"new")
    assert target.read_bytes() == b"old" and list(tmp_path.iterdir()) == [target]


class PrintToFile:
    """Stands in for the modal QPrintDialog: 'Print' pressed, the printer set to write a PDF file."""

    path: Path

    def __init__(self, printer: QPrinter, parent: object = None) -> None:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(self.path))

    def setObjectName(self, name: str) -> None:
        pass

    def exec(self) -> QDialog.DialogCode:
        return QDialog.DialogCode.Accepted


def test_print_renders_every_page_and_reports_it(
    qtbot: Any, draft_pdf: tuple[str, bytes], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    PrintToFile.path = tmp_path / "printed.pdf"
    monkeypatch.setattr(pdf_preview, "QPrintDialog", PrintToFile)
    printed: list[bool] = []
    preview = PdfPreviewDialog(None, draft_pdf[1], "x.pdf", on_printed=lambda: printed.append(True))
    qtbot.addWidget(preview)
    assert preview.print_document() is True
    assert printed == [True]
    printed_copy = QPdfDocument()
    printed_copy.load(str(PrintToFile.path))
    assert printed_copy.pageCount() == preview.document.pageCount() >= 1


def test_the_preview_shows_the_signature_stamps_but_saves_the_signed_file(
    qtbot: Any, svc: AppServices, nurse: User, make_case: Callable[..., CaseState], messages: Messages, tmp_path: Path
) -> None:
    """Qt draws no form widgets: the preview shows a copy with the stamps drawn in; Save as keeps the signature."""
    from PySide6.QtCore import QSize

    from checklist_app.services.files import display_copy
    from tests.helpers.ui import NURSE_PASSWORD, READY_BUT_MEDS

    case = make_case({**READY_BUT_MEDS, "anticoagulants": []})
    signed = svc.documents.sign(nurse, NURSE_PASSWORD, case)
    pdf = svc.documents.pdf(nurse, signed.record_id)

    def ink(data: bytes) -> int:
        buffer = pdf_preview.QBuffer()
        buffer.setData(pdf_preview.QByteArray(data))
        buffer.open(pdf_preview.QIODevice.OpenModeFlag.ReadOnly)
        document = QPdfDocument(buffer)  # the buffer outlives every read of the document
        document.load(buffer)
        image = document.render(document.pageCount() - 1, QSize(425, 550))
        buffer.deleteLater()
        return sum(
            1
            for y in range(0, image.height(), 2)
            for x in range(0, image.width(), 2)
            if image.pixelColor(x, y).lightness() < 128
        )

    assert ink(display_copy(pdf)) > ink(pdf)  # the stamp's text is drawn only in the display copy
    preview = PdfPreviewDialog(None, pdf, "signed.pdf")
    qtbot.addWidget(preview)
    messages.save_path = str(tmp_path / "signed.pdf")
    assert Path(preview.save_as()).read_bytes() == pdf  # the file saved still carries the valid signature
