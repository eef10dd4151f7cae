"""Typing a past date and time fast: '08:00', '0800', 'now', 'yesterday 20:00', 'sat 08:00' or ISO."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QLineEdit, QPushButton, QSizePolicy, QWidget

from ...domain.timefmt import local_now, moment_text
from ..shell.i18n import QT_TR_NOOP, tr

_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_TIME = re.compile(r"^(\d{1,2}):?(\d{2})(?::\d{2})?$")
_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
HINT = QT_TR_NOOP("e.g. 08:00, yesterday 20:00, sat 08:00, 2026-11-21 08:00, now")  # shown as tr(HINT)
PLACEHOLDER = QT_TR_NOOP("yesterday 22:00")  # fits the field at its narrowest; the tooltip lists every form


def _parse_time(text: str) -> time:
    match = _TIME.match(text)
    if not match:
        raise ValueError(tr("'{text}' is not a time; write it like 08:00").format(text=text))
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        raise ValueError(tr("'{text}' is not a time of day").format(text=text))
    return time(hour, minute)


def _parse_day(text: str, today: date) -> date:
    word = text.lower()
    if word in ("today", "t"):
        return today
    if word in ("yesterday", "y"):
        return today - timedelta(days=1)
    if word[:3] in _WEEKDAYS and len(word) >= 3:
        # The most recent such day: last doses and meals are in the past.
        back = (today.weekday() - _WEEKDAYS.index(word[:3])) % 7
        return today - timedelta(days=back)
    match = _DATE.match(text)
    if match:
        try:
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            raise ValueError(tr("'{text}' is not a real date").format(text=text)) from None
    raise ValueError(tr("'{text}' is not a day; write yesterday, a weekday or YYYY-MM-DD").format(text=text))


def parse_moment(text: str, now: datetime) -> datetime | None:
    """A local, offset-aware datetime from what a nurse types; None for empty. ValueError says what's wrong.

    The offset is the workstation's own for that date (so a time across a DST change is right).
    Whether the moment is in the future is the service's call, not ours.
    """
    text = " ".join(text.replace("T", " ").split())
    if not text:
        return None
    if text.lower() == "now":
        return now
    parts = text.split(" ")
    if len(parts) == 1:
        day, clock = now.date(), _parse_time(parts[0])
    elif len(parts) == 2:
        day, clock = _parse_day(parts[0], now.date()), _parse_time(parts[1])
    else:
        raise ValueError(tr("'{text}' is not a date and time; {hint}").format(text=text, hint=tr(HINT)))
    return datetime.combine(day, clock).astimezone()


def ago_text(moment: datetime, now: datetime) -> str:
    """'Mon 23 Nov 20:00 · 12 h ago' — the day name catches a wrong-day typo at a glance."""
    delta = now - moment
    hours = delta.total_seconds() / 3600
    if hours < 0:
        ago = tr("in the future")
    elif hours < 1:
        ago = tr("{n} min ago").format(n=int(delta.total_seconds() // 60))
    elif hours < 72:  # display only: hours read best up to three days, then days + hours
        ago = tr("{n} h ago").format(n=int(hours))
    else:
        ago = tr("{days} d {hours} h ago").format(days=int(hours // 24), hours=int(hours % 24))
    return f"{moment.astimezone().strftime('%a %d %b %H:%M')} · {ago}"


class DateTimeEntry(QWidget):
    """A line edit for a past moment plus a Now button; emits `committed` with the parsed moment.

    Signals:
        committed(object): a datetime, or None when the field was cleared.
        invalid(str): the text could not be read; the message says why.
    """

    committed = Signal(object)
    invalid = Signal(str)

    def __init__(self, name: str, parent: QWidget | None = None, *, commit_on_edit: bool = True) -> None:
        """`commit_on_edit=False`: the owner reads the text itself (only the Now button commits)."""
        super().__init__(parent)
        self.edit = QLineEdit(self)
        self.edit.setObjectName("dateTimeEdit")
        self.edit.setAccessibleName(name)
        self.edit.setAccessibleDescription(tr(HINT))
        self.edit.setPlaceholderText(tr(PLACEHOLDER))  # the forms it reads, in the field itself (the tooltip has all)
        self.edit.setToolTip(tr(HINT))
        self.edit.setClearButtonEnabled(True)
        self.edit.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.edit.setMinimumWidth(self.edit.fontMetrics().horizontalAdvance("2026-11-21 08:00") + 48)
        self.now_button = QPushButton(tr("Now"), self)
        self.now_button.setObjectName("nowButton")
        self.now_button.setAccessibleName(tr("Now: {name}").format(name=name))
        self.now_button.setToolTip(tr("Set to the current time (or type 'now')"))
        self.now_button.setAutoDefault(False)
        self.interpretation = QLabel(self)
        self.interpretation.setObjectName("interpretation")
        self.interpretation.setProperty("muted", True)
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.addWidget(self.edit, 0, 0)
        self._grid.addWidget(self.now_button, 0, 1)
        self._grid.setColumnStretch(0, 1)
        self.set_narrow(False)
        self.setFocusProxy(self.edit)
        self._committed_text = ""
        if commit_on_edit:
            self.edit.editingFinished.connect(self._on_editing_finished)
        self.now_button.clicked.connect(self._on_now)

    def set_moment(self, moment: datetime | None) -> None:
        """Show a saved moment (no signal)."""
        text = moment_text(moment)
        self._committed_text = text
        if not self.edit.hasFocus() or self.edit.text() == text or not self.edit.isModified():
            self.edit.setText(text)
            self.edit.setModified(False)
        self.interpretation.setText(ago_text(moment, local_now(whole_minutes=True)) if moment else "")
        self.interpretation.setVisible(moment is not None)

    def wide_width(self) -> int:
        """Width on one line with a typical '· 23 h ago' text, whatever is shown now (so it never flip-flops)."""
        sample = self.interpretation.fontMetrics().horizontalAdvance("Wed 25 Nov 11:41 · 23 h ago")
        spacing = 2 * max(self._grid.horizontalSpacing(), 0)
        return self.compact_width() + sample + spacing

    def compact_width(self) -> int:
        """Width of the field and its Now button alone (no interpretation text)."""
        edit = max(self.edit.minimumWidth(), self.edit.minimumSizeHint().width())
        return edit + max(self._grid.horizontalSpacing(), 0) + self.now_button.sizeHint().width()

    def set_narrow(self, narrow: bool) -> None:
        """The '· 12 h ago' line goes under the field when there is little width."""
        self._grid.removeWidget(self.interpretation)
        if narrow:
            self._grid.addWidget(self.interpretation, 1, 0, 1, 2)
        else:
            self._grid.addWidget(self.interpretation, 0, 2)

    def set_read_only(self, read_only: bool) -> None:
        self.edit.setReadOnly(read_only)
        self.now_button.setVisible(not read_only)

    def text(self) -> str:
        return self.edit.text()

    def _on_now(self) -> None:
        moment = local_now(whole_minutes=True)  # records never need seconds
        self.edit.setText(moment_text(moment))
        self._commit(moment)

    def _on_editing_finished(self) -> None:
        text = self.edit.text().strip()
        # editingFinished fires on Enter and again on focus-out: act once per distinct text.
        if text == self._committed_text:
            return
        try:
            moment = parse_moment(text, local_now(whole_minutes=True))
        except ValueError as exc:
            self.invalid.emit(str(exc))
            return
        if moment is not None:
            self.edit.setText(moment_text(moment))
        self._commit(moment)

    def _commit(self, moment: datetime | None) -> None:
        self._committed_text = moment_text(moment)
        self.edit.setModified(False)
        self.committed.emit(moment)


def day_label(day: date) -> str:
    return day.strftime("%a %d %b %Y")
