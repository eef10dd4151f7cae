"""The weekly trend: cases and cases NOT READY at some save, per week, as two lines painted by hand.

Not QtCharts: measured offscreen (PySide6 6.x, this machine) it opened quickly (about 80 ms for the first chart)
but its view warns ("This plugin does not support propagateSizeHints()") and it adds a Qt module to load;
a dozen points on two lines need neither.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from ..shell.i18n import tr

CASES_COLOUR = QColor("#1f3a5f")  # the record PDF's navy
NOT_READY_COLOUR = QColor("#b71c1c")
GRID = QColor("#d5d9de")


class TrendChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dashboardTrend")
        self.setAccessibleName(tr("Weekly trend"))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # so a screen reader user can reach the description
        self._labels: tuple[str, ...] = ()
        self._cases: tuple[int, ...] = ()
        self._blocked: tuple[int, ...] = ()

    def set_weeks(self, labels: Sequence[str], cases: Sequence[int], not_ready: Sequence[int]) -> None:
        self._labels, self._cases, self._blocked = tuple(labels), tuple(cases), tuple(not_ready)
        self.setAccessibleDescription(
            "; ".join(
                tr("week of {day}: {cases} cases, {blocked} not ready at some save").format(day=d, cases=c, blocked=b)
                for d, c, b in zip(self._labels, self._cases, self._blocked, strict=True)
            )
        )
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(520, 200)

    def minimumSizeHint(self) -> QSize:
        return QSize(260, 140)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = painter.fontMetrics()
        line = metrics.height()
        top = max(self._cases, default=0)
        scale_top = max(1, top)
        axis_width = metrics.horizontalAdvance(str(scale_top)) + 8
        # Inset by half a week label on both sides, so the first and last labels are not cut off.
        half_label = metrics.horizontalAdvance("00 Mmm") / 2 + 2
        plot = QRectF(
            axis_width + half_label,
            line * 1.6,
            self.width() - axis_width - 2 * half_label - 4,
            self.height() - line * 3.4,
        )
        painter.setPen(QPen(GRID, 1))
        for step in range(3):
            y = plot.bottom() - plot.height() * step / 2
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(self.palette().text().color())
            painter.drawText(
                QRectF(0, y - line / 2, axis_width, line),
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                str(round(scale_top * step / 2)),
            )
            painter.setPen(QPen(GRID, 1))
        self._legend(painter, line)
        if not self._labels:
            painter.setPen(self.palette().text().color())
            painter.drawText(plot, int(Qt.AlignmentFlag.AlignCenter), tr("No cases in this period"))
            return
        count = len(self._labels)

        def point(n: int, value: int) -> QPointF:
            x = plot.left() + (plot.width() * n / (count - 1) if count > 1 else plot.width() / 2)
            return QPointF(x, plot.bottom() - plot.height() * value / scale_top)

        for values, colour in ((self._cases, CASES_COLOUR), (self._blocked, NOT_READY_COLOUR)):
            painter.setPen(QPen(colour, 2))
            points = [point(n, v) for n, v in enumerate(values)]
            for first, second in pairwise(points):
                painter.drawLine(first, second)
            painter.setBrush(colour)
            for p in points:
                painter.drawEllipse(p, 3, 3)
        painter.setPen(self.palette().text().color())
        every = max(1, -(-count * metrics.horizontalAdvance("00-00 ") // max(int(plot.width()), 1)))
        for n, label in enumerate(self._labels):
            if n % every == 0:
                x = point(n, 0).x()
                painter.drawText(
                    QRectF(x - 40, plot.bottom() + 4, 80, line),
                    int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop),
                    label,
                )

    def _legend(self, painter: QPainter, line: int) -> None:
        x = 8.0
        for text, colour in ((tr("Cases"), CASES_COLOUR), (tr("Not ready at some save"), NOT_READY_COLOUR)):
            painter.setPen(QPen(colour, 3))
            painter.drawLine(QPointF(x, line * 0.6), QPointF(x + 18, line * 0.6))
            painter.setPen(self.palette().text().color())
            painter.drawText(QPointF(x + 24, line * 0.6 + painter.fontMetrics().ascent() / 2 - 1), text)
            x += 24 + painter.fontMetrics().horizontalAdvance(text) + 20
