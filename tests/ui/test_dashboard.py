"""The Dashboard page driven as a charge nurse would: the reasons table (qtmodeltester), Enter on a reason opens
the records behind it, and the printed report's text (pdftotext). Synthetic data only."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from checklist_app.services.app import AppServices
from checklist_app.services.models import CaseState, Role, User
from checklist_app.ui.dashboard.dashboard_view import DashboardView
from checklist_app.ui.dashboard.reasons_model import REASON, SHARE, Reason, ReasonsModel
from checklist_app.ui.records.records_view import RecordsView
from tests.helpers.poppler import pdftotext
from tests.helpers.ui import OTHER_PASSWORD, READY_BUT_MEDS, show_window

READY = {**READY_BUT_MEDS, "anticoagulants": []}


@pytest.fixture
def charge(svc: AppServices) -> User:
    return svc.auth.create_user("cleo", "Cleo Charge", {Role.CHARGE_NURSE}, OTHER_PASSWORD, actor="test")


@pytest.fixture
def cases(make_case: Callable[..., CaseState]) -> list[CaseState]:
    """Today: two cases NOT READY for consent (one also for its pregnancy test… no: male), one READY."""
    return [
        make_case({**READY, "consent.signed": "not_met"}, name="Avery Example", mrn="MRN200001"),
        make_case(
            {**READY, "consent.signed": "not_met", "site.marked": "not_met"}, name="Blake Sample", mrn="MRN200002"
        ),
        make_case(READY, name="Casey Testcase", mrn="MRN200003"),
    ]


def test_the_reasons_model_passes_qtmodeltester_and_sorts(qtmodeltester: Any) -> None:
    model = ReasonsModel()
    model.set_reasons(
        [
            Reason("consent.signed", None, "Consent", 3),
            Reason("anticoagulants", "apixaban", "Anticoagulants: apixaban", 5),
            Reason("site.marked", None, "Site marked", 1),
        ],
        total_cases=10,
    )
    qtmodeltester.check(model)
    assert [model.index(r, REASON).data() for r in range(3)] == ["Anticoagulants: apixaban", "Consent", "Site marked"]
    model.sort(REASON, Qt.SortOrder.AscendingOrder)
    qtmodeltester.check(model)
    assert model.index(0, REASON).data() == "Anticoagulants: apixaban"
    model.sort(1, Qt.SortOrder.AscendingOrder)
    assert [model.index(r, 1).data() for r in range(3)] == ["1", "3", "5"]
    # The bar is a picture; its words are there for a screen reader.
    assert model.index(2, SHARE).data(Qt.ItemDataRole.AccessibleTextRole) == "5 of 10 cases, 50%"
    assert model.index(2, SHARE).data() == "50%"


def _dashboard(qtbot: Any, svc: AppServices, user: User) -> tuple[Any, DashboardView]:
    window = show_window(qtbot, svc, user)
    view = window.findChild(DashboardView)
    assert view is not None
    window.show_page(view)
    view.refresh()
    qtbot.waitUntil(lambda: not view.busy and view.figures is not None)
    return window, view


def test_enter_on_a_reason_opens_the_records_behind_it(
    qtbot: Any, svc: AppServices, charge: User, cases: list[CaseState], messages: Any
) -> None:
    window, view = _dashboard(qtbot, svc, charge)
    assert view.outcome_labels["open"].text() == "3"
    labels = [view.model.index(r, REASON).data() for r in range(view.model.rowCount())]
    assert labels[0].startswith("Procedure consent signed") and len(labels) == 2
    assert view.model.index(0, 1).data() == "2"
    view.table.setFocus()
    view.table.setCurrentIndex(view.model.index(1, REASON))  # the site-marking reason: one case
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    records = window.findChild(RecordsView)
    assert window.tabs.currentWidget() is records
    qtbot.waitUntil(lambda: records.model.rowCount() == 1)
    assert records.model.summary(0).record_id == cases[1].record_id
    assert "Cases NOT READY at some save for: " in records.message.text()
    view.table.setCurrentIndex(view.model.index(0, REASON))
    window.show_page(view)
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: records.model.rowCount() == 2)
    assert {records.model.summary(n).record_id for n in range(2)} == {cases[0].record_id, cases[1].record_id}
    records.clear_filters()  # the reason goes with the other filters
    qtbot.waitUntil(lambda: records.model.rowCount() == 3)


def test_the_printed_report_says_what_the_screen_says(
    qtbot: Any, svc: AppServices, charge: User, cases: list[CaseState], tmp_path: Path, messages: Any
) -> None:
    _window, view = _dashboard(qtbot, svc, charge)
    pdf = svc.dashboard.pdf(charge, view.report())
    text = " ".join(pdftotext(pdf, tmp_path).split())
    assert "Why cases are not ready" in text
    assert "Outcomes (3 cases)" in text and "Not yet signed 3" in text
    assert "Procedure consent signed" in text and "67%" in text  # two of three cases
    assert "Weekly trend" in text and "No overrides in this period" in text
    assert "Avery" not in text and "MRN200001" not in text  # counts only: no patient in the report
    view.print_report()
    assert view.preview is not None and view.preview.document.pageCount() >= 1
    view.preview.reject()


def test_a_nurse_has_no_dashboard(qtbot: Any, svc: AppServices, nurse: User, messages: Any) -> None:
    window = show_window(qtbot, svc, nurse)
    assert "Dashboard" not in [window.tabs.tabText(n) for n in range(window.tabs.count())]


def test_a_custom_period_narrows_the_figures_and_a_reversed_one_says_why(
    qtbot: Any, svc: AppServices, charge: User, cases: list[CaseState], messages: Any
) -> None:
    from datetime import date, timedelta

    from PySide6.QtCore import QDate

    _window, view = _dashboard(qtbot, svc, charge)
    view.period_combo.setCurrentIndex(view.period_combo.findData("custom"))
    assert view.from_edit.isEnabled() and view.to_edit.isEnabled()
    yesterday = date.today() - timedelta(days=1)
    view.to_edit.setDate(QDate(yesterday.year, yesterday.month, yesterday.day))  # before today's cases
    qtbot.waitUntil(lambda: not view.busy and view.figures is not None and view.figures.cases == 0)
    assert view.model.rowCount() == 0 and view.outcome_labels["open"].text() == "0"
    view.from_edit.setDate(QDate.currentDate())  # now after the end
    qtbot.waitUntil(lambda: view.message.isVisible())
    assert "is after the end" in view.message.text()


def test_a_login_counts_nothing_until_the_dashboard_is_shown(
    qtbot: Any, svc: AppServices, charge: User, cases: list[CaseState]
) -> None:
    """A charge nurse who logs in for the records does not wait for the dashboard's counts (nor see its busy
    bar): they are computed when the page is first shown."""
    window = show_window(qtbot, svc, charge)
    view = window.dashboard_page
    assert not view.isVisible() and not view.busy and view.figures is None
    window.show_page(view)
    qtbot.waitUntil(lambda: not view.busy and view.figures is not None)
    assert view.figures.cases == len(cases)
