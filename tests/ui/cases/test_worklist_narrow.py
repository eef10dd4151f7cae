"""At 200 % scaling (a 960×520 logical window) the worklist shows each case's time and name, never scrolled away."""

from __future__ import annotations

from typing import Any

from checklist_app.services.app import AppServices
from checklist_app.services.models import User
from checklist_app.ui.cases.worklist_model import COL_MRN, COL_PATIENT, COL_READINESS, COL_TIME
from tests.helpers.ui import Messages, show_window


def test_time_name_mrn_and_readiness_stay_in_view_in_a_narrow_window(
    qtbot: Any, svc: AppServices, nurse: User, make_case: Any, messages: Messages
) -> None:
    cases = [make_case(name=f"Rowan Longername{n}", mrn=f"MRN20000{n}") for n in range(3)]
    window = show_window(qtbot, svc, nurse)
    window._split_done = False  # the first show's split, as a fresh start at this size gets it
    window.hide()
    window.resize(960, 520)
    window.show()
    qtbot.waitExposed(window)
    window.open_case(cases[2].record_id)
    table = window.worklist.table
    row = window.worklist.model.row_of(cases[2].record_id)
    qtbot.waitUntil(lambda: table.currentIndex().row() == row)
    viewport = table.viewport().rect()
    for column in (COL_TIME, COL_PATIENT, COL_MRN, COL_READINESS):
        cell = table.visualRect(window.worklist.model.index(row, column))
        assert viewport.contains(cell), f"column {column} is cut off or scrolled away: {cell} in {viewport}"
    assert table.horizontalScrollBar().value() == 0
