"""The Session and the page protocol: one logged-in user, and every page of the main window following it."""

from __future__ import annotations

from datetime import date, datetime

from checklist_app.domain.records import Patient, Procedure
from checklist_app.services.models import User
from checklist_app.ui.shell.session import Session
from tests.helpers.records_env import SIGNED, RecordsEnv
from tests.helpers.ui import show_window
from tests.ui.accounts.test_login_and_lock import log_in


def todays_case(env: RecordsEnv) -> str:
    """A draft on today's worklist (late in the day, so 'now' is never after it)."""
    when = datetime.combine(date.today(), datetime.min.time()).replace(hour=23, minute=30).astimezone()
    patient = Patient(name="Avery Example", birth_date=date(1960, 1, 15), mrn="MRN100001", sex="male")
    procedure = Procedure(type="interlaminar_epidural", level="L4-L5", laterality="left", scheduled_at=when)
    return env.svc.cases.new_case(env.nurse, patient, procedure).record_id


def page_users(window: object) -> dict[str, User | None]:
    """The user each page acts for, as the page itself reports it."""
    return {
        "window": window.user,
        "print queue": window.print_queue_page.user,  # type: ignore[attr-defined]
        "records": window.records_page.user,
        "users": window.users_page.session.user,
    }  # type: ignore[attr-defined]


def test_session_says_who_is_logged_in_and_signals_each_change(qtbot, records_env: RecordsEnv) -> None:
    """log_in and lock each emit user_changed once; while locked the user is None but the last one is known."""
    nurse, coordinator = records_env.nurse, records_env.coordinator
    session = Session(nurse)
    assert session.user == nurse and not session.locked
    with qtbot.waitSignal(session.user_changed) as locked:
        session.lock()
    assert locked.args == [None] and session.user is None and session.last_user == nurse
    with qtbot.assertNotEmitted(session.user_changed):
        session.lock()
    with qtbot.waitSignal(session.user_changed) as back:
        session.log_in(nurse)
    assert back.args == [nurse] and session.returning
    session.log_in(coordinator)
    assert session.user == coordinator and not session.returning


def test_every_page_follows_another_user_logging_in_at_the_lock(qtbot, records_env: RecordsEnv) -> None:
    """The nurse locks; a coordinator logs in at the lock screen: no worklist, no case, the print queue is theirs."""
    record_id = todays_case(records_env)
    window = show_window(qtbot, records_env.svc, records_env.nurse)
    window.open_case(record_id)
    assert window.worklist.model.row_of(record_id) >= 0 and window.checklist.case is not None
    assert window.print_queue_page.user is None and window.print_queue_page.model.rowCount() == 0

    window.lock()
    assert set(page_users(window).values()) == {None}
    coordinator = records_env.coordinator
    with qtbot.waitSignal(window.session.user_changed):
        log_in(qtbot, window.login_form, coordinator.username, records_env.password(coordinator))

    assert page_users(window) == {
        "window": coordinator,
        "print queue": coordinator,
        "records": None,
        "users": coordinator,
    }
    assert window.tabs.indexOf(window.cases_page) < 0 and window.tabs.indexOf(window.print_queue_page) >= 0
    assert window.worklist.model.rowCount() == 0 and window.checklist.case is None
    assert window.print_queue_page.model.rowCount() == len(SIGNED)
    assert coordinator.full_name in window.user_label.text()


def test_the_same_nurse_logging_back_in_returns_to_her_case(qtbot, records_env: RecordsEnv) -> None:
    """After the lock the same nurse finds her open case and worklist as she left them."""
    record_id = todays_case(records_env)
    window = show_window(qtbot, records_env.svc, records_env.nurse)
    window.open_case(record_id)
    window.lock()
    nurse = records_env.nurse
    with qtbot.waitSignal(window.unlocked):
        log_in(qtbot, window.login_form, nurse.username, records_env.password(nurse))
    assert window.user == nurse and window.session.returning
    assert window.checklist.case is not None and window.checklist.case.record_id == record_id
    assert window.worklist.model.row_of(record_id) >= 0


def test_a_charge_nurse_after_the_coordinator_gets_the_records_not_the_queue(qtbot, records_env: RecordsEnv) -> None:
    """Each login re-decides every page: the charge nurse's records appear and the coordinator's queue empties."""
    coordinator, charge = records_env.coordinator, records_env.charge
    window = show_window(qtbot, records_env.svc, coordinator)
    assert window.print_queue_page.model.rowCount() == len(SIGNED)
    window.lock()
    with qtbot.waitSignal(window.user_changed):
        log_in(qtbot, window.login_form, charge.username, records_env.password(charge))
    assert page_users(window) == {"window": charge, "print queue": None, "records": charge, "users": charge}
    assert window.print_queue_page.model.rowCount() == 0
    assert window.tabs.indexOf(window.records_page) >= 0 and window.tabs.indexOf(window.print_queue_page) < 0


def test_after_another_login_only_the_current_page_is_drawn(qtbot, records_env: RecordsEnv) -> None:
    """Issue 12 item 6: a page added for the new user was shown on top of the current one ("Saved records" over
    "Today, …") until a case was opened. Only the current tab's page is visible, and the grab shows its title."""
    coordinator, charge = records_env.coordinator, records_env.charge
    window = show_window(qtbot, records_env.svc, coordinator)
    window.lock()
    with qtbot.waitSignal(window.user_changed):
        log_in(qtbot, window.login_form, charge.username, records_env.password(charge))
    tabs = window.tabs
    assert tabs.count() >= 2
    shown = [tabs.widget(n) for n in range(tabs.count()) if tabs.widget(n).isVisible()]
    assert shown == [tabs.currentWidget()]
    assert not window.records_page.isVisible() or tabs.currentWidget() is window.records_page
    tabs.setCurrentWidget(window.records_page)  # and every page still shows when chosen
    visible = [tabs.widget(n).isVisible() for n in range(tabs.count())]
    assert window.records_page.isVisible() and visible.count(True) == 1
