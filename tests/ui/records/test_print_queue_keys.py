"""Issue 12 item 8: Ctrl+P (the window's key, enabled in its menu) prints the selection on the print queue page."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter

from checklist_app.ui.records import print_queue_view
from tests.helpers.records_env import RecordsEnv
from tests.helpers.ui import press, show_window
from tests.ui.records.test_print_queue import AcceptingPrintDialog


def test_ctrl_p_prints_the_selected_records(
    qtbot, records_env: RecordsEnv, messages, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(print_queue_view, "QPrintDialog", AcceptingPrintDialog)
    AcceptingPrintDialog.opened.clear()
    window = show_window(qtbot, records_env.svc, records_env.coordinator)
    queue = window.print_queue_page
    window.show_page(queue)
    queue.printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    queue.printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    record_id = queue.model.summary(0).record_id
    queue.select_ids([record_id])
    queue.table.setFocus()
    assert window.pdf_action.isEnabled() and window.pdf_action.shortcut().toString() == "Ctrl+P"
    press(qtbot, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert len(AcceptingPrintDialog.opened) == 1
    assert (tmp_path / "printed.pdf").stat().st_size > 0
    assert records_env.svc.store.records.get(record_id).printed_at is not None


def test_printing_through_qt_shows_progress_and_keeps_painting(
    qtbot, records_env: RecordsEnv, messages, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 12 item 9: the Qt (raster) path paints pages on the GUI thread; a progress bar counts them (here shown
    at once instead of after half a second) and is gone when the job is done."""
    from PySide6.QtWidgets import QProgressDialog

    monkeypatch.setattr(print_queue_view, "QPrintDialog", AcceptingPrintDialog)
    monkeypatch.setattr(print_queue_view, "SHOW_AFTER_MS", 0)
    seen: list[tuple[bool, int, int]] = []
    real = print_queue_view.print_pdfs

    def watched(printer, items, stamp, progress=None):  # the real printing, with a look at the bar after each page
        def look(done: int, total: int) -> None:
            assert progress is not None
            progress(done, total)
            bar = queue.findChild(QProgressDialog, "printProgress")
            seen.append((bar is not None and bar.isVisible(), bar.value() if bar else -1, total))

        return real(printer, items, stamp, look)

    monkeypatch.setattr(print_queue_view, "print_pdfs", watched)
    window = show_window(qtbot, records_env.svc, records_env.coordinator)
    queue = window.print_queue_page
    window.show_page(queue)
    queue.printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    queue.printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    queue.table.selectAll()
    assert queue.print_selected()
    total = seen[-1][2]
    assert total >= 3 and [done for _shown, done, _t in seen] == list(range(1, total + 1))
    assert all(shown for shown, _d, _t in seen)
    qtbot.waitUntil(lambda: not any(b.isVisible() for b in queue.findChildren(QProgressDialog)))
