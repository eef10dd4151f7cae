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


def test_ctrl_p_prints_the_selected_records(qtbot, records_env: RecordsEnv, messages, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
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
