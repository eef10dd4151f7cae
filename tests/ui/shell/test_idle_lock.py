"""Idle auto-lock: the setting, the timer, and that locking hides patient data."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLabel, QLineEdit, QWidget
from shiboken6 import isValid

from checklist_app.ui.shell import idle_lock
from checklist_app.ui.shell.idle_lock import DEFAULT_IDLE_MINUTES, IdleLock, IdleSettingError, idle_minutes
from tests.helpers.records_env import SIGNED, RecordsEnv
from tests.helpers.ui import show_window


class FakeClock:
    """A monotonic clock the test moves by hand, so no test waits for real minutes."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_idle_minutes_defaults_to_ten() -> None:
    """Without CHECKLIST_IDLE_MINUTES the screen locks after 10 minutes."""
    assert idle_minutes({}) == DEFAULT_IDLE_MINUTES == 10


def test_idle_minutes_reads_the_environment() -> None:
    """CHECKLIST_IDLE_MINUTES sets the minutes, fractions allowed."""
    assert idle_minutes({"CHECKLIST_IDLE_MINUTES": " 2.5 "}) == 2.5


@pytest.mark.parametrize("raw", ["ten", "0", "-5", "nan", "inf", "100000"])
def test_idle_minutes_refuses_unusable_values(raw: str) -> None:
    """A value that is not a positive number of minutes (at most a day) is an error naming the setting."""
    with pytest.raises(IdleSettingError, match="CHECKLIST_IDLE_MINUTES"):
        idle_minutes({"CHECKLIST_IDLE_MINUTES": raw})


def test_locks_after_the_idle_time(qtbot) -> None:
    """With no input, the lock callback runs once the (tiny, for the test) idle time has passed."""
    calls: list[str] = []
    lock = IdleLock(lambda: calls.append("lock"), minutes=0.0005)  # 30 ms
    with qtbot.waitSignal(lock.locked, timeout=5000):
        lock.start()
    lock.stop()
    assert calls == ["lock"]
    assert lock.is_locked


def test_input_postpones_the_lock(qtbot) -> None:
    """A key press restarts the idle time: when the first deadline comes, the lock waits out the rest."""
    clock = FakeClock()
    calls: list[str] = []
    lock = IdleLock(lambda: calls.append("lock"), minutes=10, clock=clock)
    field = QLineEdit()
    qtbot.addWidget(field)
    lock.start()
    clock.now += 9 * 60
    qtbot.keyClick(field, Qt.Key.Key_A)
    clock.now += 60  # the original 10-minute deadline
    lock._check()
    assert calls == [] and not lock.is_locked
    clock.now += 9 * 60  # ten minutes after the key press
    lock._check()
    lock.stop()
    assert calls == ["lock"]


def test_mouse_click_counts_as_input(qtbot) -> None:
    """A mouse click restarts the idle time like a key press."""
    clock = FakeClock()
    lock = IdleLock(lambda: None, minutes=1, clock=clock)
    field = QLineEdit()
    qtbot.addWidget(field)
    lock.start()
    clock.now += 59
    qtbot.mouseClick(field, Qt.MouseButton.LeftButton)
    clock.now += 2
    lock._check()
    lock.stop()
    assert not lock.is_locked


def test_input_while_locked_does_not_unlock(qtbot) -> None:
    """Only resume() (after a login) re-arms; typing at the lock screen does not."""
    clock = FakeClock()
    calls: list[str] = []
    lock = IdleLock(lambda: calls.append("lock"), minutes=1, clock=clock)
    field = QLineEdit()
    qtbot.addWidget(field)
    lock.start()
    lock.lock_now()
    qtbot.keyClick(field, Qt.Key.Key_A)
    lock.lock_now()  # a second lock request while locked is a no-op
    assert lock.is_locked and calls == ["lock"]
    lock.resume()
    lock.stop()
    assert not lock.is_locked


def test_resume_rearms_the_timer(qtbot) -> None:
    """After resume() the lock fires again after the idle time."""
    calls: list[str] = []
    lock = IdleLock(lambda: calls.append("lock"), minutes=0.0005)
    lock.start()
    lock.lock_now()
    with qtbot.waitSignal(lock.locked, timeout=5000):
        lock.resume()
    lock.stop()
    assert calls == ["lock", "lock"]


def visible_text(widget: QWidget) -> str:
    """Everything a person (or a screen reader) could read in the window right now."""
    parts = [widget.windowTitle()]
    for child in [widget, *widget.findChildren(QWidget)]:
        if not child.isVisible():
            continue
        if isinstance(child, QLabel | QLineEdit):
            parts.append(child.text())
        elif isinstance(child, QAbstractItemView) and child.model() is not None:
            model = child.model()
            parts.extend(
                str(model.data(model.index(r, c))) for r in range(model.rowCount()) for c in range(model.columnCount())
            )
    return "\n".join(parts)


def on_screen() -> str:
    return "\n".join(visible_text(w) for w in QApplication.topLevelWidgets() if w.isVisible())


def test_idle_lock_hides_patient_data(qtbot, records_env: RecordsEnv, messages) -> None:
    """After the idle time every patient detail is gone from the screen (table, open record, worklist);
    logging in again brings the records back and re-arms the lock."""
    window = show_window(qtbot, records_env.svc, records_env.charge)
    records = window.records_page
    window.show_page(records)
    records.text_edit.setText(SIGNED[0][1])
    records.apply_filters()
    dialog = records.open_current()
    assert dialog is not None and dialog.isVisible()
    patient, mrn = SIGNED[0]
    assert patient in on_screen() and mrn in on_screen()

    with qtbot.waitSignal(window.locked, timeout=5000):
        idle = idle_lock.install(window, minutes=0.0005)  # 30 ms instead of 10 minutes

    screen = on_screen()
    assert patient not in screen and mrn not in screen
    assert not isValid(dialog) or not dialog.isVisible()  # closed (and deleted on close)
    assert records.model.rowCount() == 0 and idle.is_locked
    assert window.stack.currentWidget() is window.lock_page

    idle.stop()  # the test logs in at its own pace
    window.login_form.user_edit.setText(records_env.charge.username)
    window.login_form.password_edit.setText(records_env.password(records_env.charge))
    with qtbot.waitSignal(window.unlocked):
        window.login_form.submit()
    assert not idle.is_locked
    assert records.model.rowCount() == 1 and mrn in on_screen()
