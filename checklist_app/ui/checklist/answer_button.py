"""The answer buttons of a checklist row (met / not met, yes / no, none taken)."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QPushButton


class AnswerButton(QPushButton):
    """A checkable answer button wide enough for its text in bold: app.qss draws a chosen answer bold, and the
    size hint Qt takes from the regular font cut "Not met" and "None taken" once chosen. (A minimum width set
    from outside does not hold: the stylesheet's min-width replaces it at every polish.)"""

    CHROME_PX = 2 * 10 + 2 * 1 + 6  # QPushButton[answer]'s side padding and border in app.qss, and some slack

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        bold = QFont(self.font())
        bold.setBold(True)
        return QSize(
            max(hint.width(), QFontMetrics(bold).horizontalAdvance(self.text()) + self.CHROME_PX), hint.height()
        )

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()
