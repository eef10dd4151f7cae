"""Idle auto-lock: an application-wide event filter that calls a lock callback after minutes without input."""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Signal

from ...domain.errors import ChecklistError
from .i18n import tr

if TYPE_CHECKING:
    from .main_window import MainWindow

ENV_VAR = "CHECKLIST_IDLE_MINUTES"
DEFAULT_IDLE_MINUTES = 10.0
# A day is far beyond any sensible shift setting and keeps the interval inside QTimer's int milliseconds.
MAX_IDLE_MINUTES = 24 * 60

# Only what a person does counts as activity; paint, timer and focus events happen on their own.
_INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.TabletPress,
    }
)


class IdleSettingError(ChecklistError):
    """CHECKLIST_IDLE_MINUTES holds something that is not a usable number of minutes."""


def idle_minutes(environ: Mapping[str, str] | None = None) -> float:
    """Minutes of no input before the screen locks: CHECKLIST_IDLE_MINUTES, else the site settings'
    [site] idle_lock_minutes, else 10."""
    from ...store.site_config import load_site_config

    env = os.environ if environ is None else environ
    raw = env.get(ENV_VAR, "").strip()
    if not raw:
        site = load_site_config(env).options.get("site.idle_lock_minutes")
        if site is None:
            return DEFAULT_IDLE_MINUTES
        raw = str(site)
    try:
        minutes = float(raw)
    except ValueError:
        raise IdleSettingError(
            tr("{setting}={raw} is not a number of minutes; use e.g. {setting}=10.").format(
                setting=ENV_VAR, raw=repr(raw)
            )
        ) from None
    # Zero or negative would mean "never lock", which patient data on a shared workstation may not have.
    if not math.isfinite(minutes) or not 0 < minutes <= MAX_IDLE_MINUTES:
        raise IdleSettingError(
            tr("{setting}={raw} must be more than 0 and at most {n} minutes.").format(
                setting=ENV_VAR, raw=repr(raw), n=MAX_IDLE_MINUTES
            )
        )
    return minutes


class IdleLock(QObject):
    """Calls `on_lock` once after `minutes` without key, mouse or touch input; `resume()` re-arms it."""

    locked = Signal()

    def __init__(
        self,
        on_lock: Callable[[], None],
        minutes: float | None = None,
        parent: QObject | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(parent)
        self._on_lock = on_lock
        self._clock = clock
        self._timeout_s = (idle_minutes() if minutes is None else minutes) * 60
        self._last_input = clock()
        self._is_locked = False
        self._installed = False
        # The timer is not restarted on every mouse move (hundreds a second); the filter only notes the time
        # and the timer, when it fires early, waits out the rest.
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._check)

    @property
    def timeout_ms(self) -> int:
        return max(1, round(self._timeout_s * 1000))

    @property
    def is_locked(self) -> bool:
        return self._is_locked

    def start(self) -> None:
        """Watch the whole application's input and arm the timer."""
        app = QCoreApplication.instance()
        if app is not None and not self._installed:
            app.installEventFilter(self)
            self._installed = True
        self.resume()

    def stop(self) -> None:
        """Stop watching (at logout or shutdown)."""
        app = QCoreApplication.instance()
        if app is not None and self._installed:
            app.removeEventFilter(self)
            self._installed = False
        self._timer.stop()

    def resume(self) -> None:
        """Re-arm after a (re)login; the idle time counts from now."""
        self._is_locked = False
        self._last_input = self._clock()
        self._timer.start(self.timeout_ms)

    def lock_now(self) -> None:
        """Lock at once (a "Lock" button or shortcut uses the same path as the idle timeout)."""
        if self._is_locked:
            return
        self._is_locked = True
        self._timer.stop()
        self._on_lock()
        self.locked.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self._is_locked and event.type() in _INPUT_EVENTS:
            self._last_input = self._clock()
        return False  # observe only: the input still goes where it was going

    def _check(self) -> None:
        remaining_s = self._timeout_s - (self._clock() - self._last_input)
        if remaining_s > 0:
            self._timer.start(max(1, math.ceil(remaining_s * 1000)))
        else:
            self.lock_now()


def install(window: MainWindow, minutes: float | None = None) -> IdleLock:
    """Lock `window` after the idle minutes; re-arm when someone logs in again. Lives as long as the window."""
    if minutes is None:
        try:
            minutes = idle_minutes()
        except IdleSettingError as exc:
            # A bad setting must not switch the lock off: keep the safe default and say what was wrong.
            from . import msgbox

            msgbox.warn(
                window, tr("Idle lock"), tr("{exc} Using {n:g} minutes.").format(exc=exc, n=DEFAULT_IDLE_MINUTES)
            )
            minutes = DEFAULT_IDLE_MINUTES
    idle = IdleLock(window.lock, minutes, window)
    window.locked.connect(idle.lock_now)  # Ctrl+L locks too: the idle timer waits for the next login
    window.unlocked.connect(idle.resume)
    idle.start()
    return idle
