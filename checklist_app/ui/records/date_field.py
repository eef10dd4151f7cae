"""A date field that may be left empty ("Any"): the records view's and the dashboard's From and To."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QDateEdit, QWidget

from ..shell.i18n import tr


class OptionalDateEdit(QDateEdit):
    """A date field whose lowest value reads "Any" (no limit); leaving "Any" starts from today, not 1900."""

    ANY = QDate(1900, 1, 1)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setDisplayFormat("yyyy-MM-dd")
        self.setMinimumDate(self.ANY)
        self.setSpecialValueText(tr("Any"))
        self.setDate(self.ANY)

    def value(self) -> date | None:
        chosen = self.date()
        return None if chosen == self.ANY else date(chosen.year(), chosen.month(), chosen.day())

    def set_value(self, day: date | None) -> None:
        self.setDate(self.ANY if day is None else QDate(day.year, day.month, day.day))

    def stepBy(self, steps: int) -> None:
        if self.date() == self.ANY:
            self.setDate(QDate.currentDate())
        else:
            super().stepBy(steps)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self.date() == self.ANY:
            self.setDate(QDate.currentDate())  # the popup opens on this month, not on January 1900
        super().mousePressEvent(event)
