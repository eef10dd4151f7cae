"""The records view's "Export for the EHR…": save each format, send over HL7, and list what went where."""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import Qt, QTimer

from checklist_app.ui.records.ehr_export import FORMATS, EhrExportDialog
from checklist_app.ui.records.records_view import RecordsView
from checklist_app.ui.shell import msgbox
from checklist_app.ui.shell.session import Session
from tests.helpers.mllp_server import MllpReceiver
from tests.helpers.records_env import RecordsEnv


@pytest.fixture
def view(records_env: RecordsEnv, qtbot) -> Iterator[RecordsView]:
    session = Session()
    widget = RecordsView(records_env.svc, session, debounce_ms=10)
    session.user_changed.connect(widget.set_user)
    qtbot.addWidget(widget)
    widget.show()
    session.log_in(records_env.charge)
    widget.status_combo.setCurrentIndex(widget.status_combo.findData("signed"))  # the signed ones, not the drafts
    qtbot.waitUntil(lambda: widget.model.row_of(records_env.signed_ids[0]) >= 0)
    yield widget
    widget.clear()


def _dialog(view: RecordsView, records_env: RecordsEnv, monkeypatch: pytest.MonkeyPatch, qtbot) -> EhrExportDialog:
    """Open the dialog with its shortcut on a signed record, keeping it (exec is the modal part replaced)."""
    opened: list[EhrExportDialog] = []
    monkeypatch.setattr(EhrExportDialog, "exec", lambda self: opened.append(self) or 0)
    assert view.select(records_env.signed_ids[0])
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    (dialog,) = opened
    qtbot.addWidget(dialog)
    return dialog


def test_saves_each_format(
    view: RecordsView, records_env: RecordsEnv, monkeypatch: pytest.MonkeyPatch, qtbot, tmp_path: Path
) -> None:
    dialog = _dialog(view, records_env, monkeypatch, qtbot)
    for index, (code, _label, suffix, _filter) in enumerate(FORMATS):
        target = tmp_path / f"out{suffix}"
        monkeypatch.setattr(msgbox, "ask_save_path", lambda *_a, t=target: str(t))
        dialog.format_combo.setCurrentIndex(index)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        data = target.read_bytes()
        if code == "pdf":
            assert data == records_env.svc.store.records.latest_pdf(dialog.record_id).pdf
        elif code == "fhir":
            assert json.loads(data)["resourceType"] == "Bundle"
        else:
            assert json.loads(data)["patient"]["mrn"]
        assert dialog.message.text() == f"Saved {target.name}."


def test_sends_over_hl7_and_lists_it(
    view: RecordsView, records_env: RecordsEnv, monkeypatch: pytest.MonkeyPatch, qtbot, tmp_path: Path
) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = MllpReceiver(port=port, ack="AA", out=tmp_path / "inbox")
    server.out.mkdir()
    server.start()
    try:
        dialog = _dialog(view, records_env, monkeypatch, qtbot)
        assert dialog.history.item(0).text() == "Nothing sent yet."
        dialog.destination_edit.setText(server.address)
        qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "(AA)" in dialog.message.text(), timeout=30_000)
    finally:
        server.stop()
    assert "MDM^T02 to " + server.address + ": accepted" in dialog.history.item(0).text()
    assert len(server.received()) == 1


def test_export_is_offered_for_signed_records_only(view: RecordsView, records_env: RecordsEnv, qtbot) -> None:
    assert view.select(records_env.signed_ids[0])
    assert view.export_action.isEnabled()
    view.status_combo.setCurrentIndex(view.status_combo.findData("draft"))
    qtbot.waitUntil(lambda: view.model.rowCount() > 0 and view.model.summary(0).status == "draft")
    view.table.selectRow(0)
    assert not view.export_action.isEnabled()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_silent_interface_engine_leaves_the_window_responsive_and_says_so(
    view: RecordsView, records_env: RecordsEnv, monkeypatch: pytest.MonkeyPatch, qtbot, tmp_path: Path
) -> None:
    """A real MLLP server that takes the message and never answers: the send waits on the worker pool (the event
    loop keeps running, a busy bar shows), then the dialog says no answer came and the message stays queued."""
    server = MllpReceiver(port=_free_port(), ack="silent", out=tmp_path / "inbox")
    server.out.mkdir()
    server.start()
    try:
        dialog = _dialog(view, records_env, monkeypatch, qtbot)
        dialog.show()
        dialog.send_timeout_s = 3.0  # the product waits 10 s; the same path, shorter
        dialog.destination_edit.setText(server.address)
        loop_ran_while_sending: list[bool] = []
        qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
        assert dialog.task is not None and dialog.task.running and not dialog.send_button.isEnabled()
        QTimer.singleShot(0, lambda: loop_ran_while_sending.append(dialog.task.running))
        qtbot.waitUntil(lambda: dialog.task.progress.isVisible(), timeout=10_000)
        qtbot.waitUntil(lambda: not dialog.task.running, timeout=30_000)
        assert loop_ran_while_sending == [True]  # the GUI thread was free while the send waited
        assert dialog.task.shown  # the busy bar was on screen
        assert dialog.message.text() == (
            f"No answer from {server.address} within 3 s: the message is not confirmed "
            "and stays queued (checklist-app hl7 flush sends it again)."
        )
        assert dialog.send_button.isEnabled()
        assert "MDM^T02 to " + server.address + ": queued — no answer in time" in dialog.history.item(0).text()
        qtbot.waitUntil(lambda: len(server.received()) == 1)  # it arrived; only the answer never came
    finally:
        server.stop()
