""" "Refresh from schedule" on the worklist: the site's MWL (dcmtk's wlmscpfs here) pulled off the GUI thread."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from checklist_app.services.app import AppServices
from checklist_app.services.models import User
from checklist_app.ui.cases.new_case_dialog import NewCaseDialog
from checklist_app.ui.cases.worklist_model import COL_STATUS
from checklist_app.ui.cases.worklist_view import WorklistView
from checklist_app.ui.shell.session import Session
from tests.interop.peers import TIMEOUT_S, WorklistServer, free_port, worklist_server


@pytest.fixture
def server(tmp_path: Path) -> Iterator[WorklistServer]:
    with worklist_server(tmp_path) as running:
        yield running


def view_for(qtbot: Any, svc: AppServices, nurse: User) -> WorklistView:
    session = Session()
    view = WorklistView(svc, session)
    session.user_changed.connect(view.set_user)
    qtbot.addWidget(view)
    session.log_in(nurse)
    return view


def test_without_a_site_worklist_there_is_no_refresh_button(
    qtbot: Any, svc: AppServices, nurse: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CHECKLIST_MWL", raising=False)
    assert view_for(qtbot, svc, nurse).refresh_button is None


def test_refresh_pulls_todays_steps_and_tags_their_source(
    qtbot: Any, svc: AppServices, nurse: User, server: WorklistServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CHECKLIST_SITE_TZ", raising=False)  # the workstation's zone: the worklist's day
    monkeypatch.setenv("CHECKLIST_MWL", server.address)
    monkeypatch.setenv("CHECKLIST_MWL_CALLED_AET", server.aet)
    server.write_step(
        "a",
        accession="ACC77",
        mrn="MRN77",
        patient_name="Fixture^Finley",
        day=date.today().strftime("%Y%m%d"),
        start="235900",
    )
    view = view_for(qtbot, svc, nurse)
    assert view.refresh_button is not None and view.refresher is not None
    with qtbot.waitSignal(view.refresher.finished, timeout=int(TIMEOUT_S * 1000)):
        qtbot.mouseClick(view.refresh_button, Qt.MouseButton.LeftButton)
        assert not view.refresh_button.isEnabled()  # one pull at a time; the GUI thread is free meanwhile
    assert view.refresh_button.isEnabled()
    assert [r.patient_name for r in view.model.rows()] == ["Finley Fixture"]
    assert view.model.index(0, COL_STATUS).data() == "Draft · MWL"
    assert "accession ACC77" in view.model.index(0, COL_STATUS).data(Qt.ItemDataRole.ToolTipRole)
    assert view.scan_message.text() == "From the schedule: 1 new, 0 updated, 0 unchanged, 0 refused"


def test_an_unreachable_worklist_is_said_in_one_line(
    qtbot: Any, svc: AppServices, nurse: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHECKLIST_MWL", f"127.0.0.1:{free_port()}")
    view = view_for(qtbot, svc, nurse)
    assert view.refresher is not None
    with qtbot.waitSignal(view.refresher.failed, timeout=int(TIMEOUT_S * 1000)):
        view.refresh_from_schedule()
    assert view.scan_message.text().startswith("The schedule could not be read: cannot reach a worklist server")
    assert view.model.rowCount() == 0


def test_the_new_case_dialog_refuses_an_mrn_known_as_someone_else(
    qtbot: Any, window: Any, svc: AppServices, nurse: User, make_case: Any, messages: Any
) -> None:
    """One MRN, one patient, in the nurse's dialog too: the refusal is next to the MRN, nothing is created."""
    make_case(mrn="MRN-ID1", name="Avery Example")
    before = len(svc.cases.worklist(nurse, date.today()))
    dialog = window.new_case("MRN-ID1")
    assert isinstance(dialog, NewCaseDialog)
    dialog.name_edit.setText("Someone Else")
    dialog.birth_edit.setText("1970-05-06")
    for combo in (dialog.sex_combo, dialog.type_combo, dialog.side_combo):
        combo.setCurrentIndex(1)
    dialog.time_edit.setText("23:50")
    dialog.submit()
    assert dialog.isVisible() and "this MRN is already known with a different name" in dialog.error.text()
    assert len(svc.cases.worklist(nurse, date.today())) == before
    dialog.reject()


def test_the_checklist_asks_for_the_level_a_booking_lacks_before_the_first_answer(
    qtbot: Any, window: Any, svc: AppServices, nurse: User, monkeypatch: pytest.MonkeyPatch, messages: Any
) -> None:
    from zoneinfo import ZoneInfo

    from checklist_app.domain.records import Patient
    from checklist_app.domain.schedule import CodeRef, ScheduledCase
    from checklist_app.services.schedule import ScheduleService
    from checklist_app.ui.shell import msgbox
    from tests.helpers.ui import press

    booking = ScheduledCase(
        source="hl7",
        key="placer:LVL1^RIS",
        patient=Patient(name="Lee Levelless", birth_date=date(1960, 1, 15), mrn="MRN-LVL", sex="male"),
        code=CodeRef(scheme="CPT", code="62323"),
        code_field="AIS-3",
        scheduled_at=datetime.combine(date.today(), time(23, 40)).astimezone(),
    )
    service = ScheduleService(svc.store, svc.cases, zone=ZoneInfo("UTC"))
    service.form()
    _, record_id = svc.store.db.write(lambda conn: service.apply_in(conn, booking, {}))
    asked: list[str] = []
    monkeypatch.setattr(msgbox, "ask_text", lambda parent, title, label: asked.append(title) or "L3-L4")
    window.open_case(record_id)
    window.checklist.jump_to("consent.signed")
    press(qtbot, Qt.Key.Key_1)  # met
    assert asked == ["Confirm the level"]
    stored = svc.store.records.get(record_id)
    assert stored.record.procedure.level == "L3-L4" and stored.record.value("consent.signed") == "met"
