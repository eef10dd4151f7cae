"""The inline bar of the reasons table: the share of cases as a bar behind its percentage."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from .reasons_model import SHARE_ROLE

BAR = QColor("#b71c1c")  # the NOT READY red of the tables (style.STATE_COLOURS), as a fill
TRACK = QColor("#f3e0de")


class BarDelegate(QStyledItemDelegate):
    """Draws the bar, then the text (the model's DisplayRole, e.g. "25%") to its right: the number stays
    readable, and a screen reader reads the model's AccessibleTextRole, not the picture."""

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        share = index.data(SHARE_ROLE)
        if not isinstance(share, float):
            super().paint(painter, option, index)
            return
        style = option.widget.style() if option.widget is not None else None
        if style is not None:  # the selection and focus background first
            background = QStyleOptionViewItem(option)
            self.initStyleOption(background, index)
            background.text = ""
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, background, painter, option.widget)
        rect = option.rect
        metrics = option.fontMetrics
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        text_width = metrics.horizontalAdvance("100%") + 8
        track = QRectF(
            rect.left() + 4,
            rect.top() + rect.height() * 0.25,
            max(rect.width() - text_width - 12, 10),
            rect.height() * 0.5,
        )
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(TRACK)
        painter.drawRoundedRect(track, 2, 2)
        painter.setBrush(BAR)
        painter.drawRoundedRect(
            QRectF(track.left(), track.top(), track.width() * min(max(share, 0.0), 1.0), track.height()), 2, 2
        )
        painter.restore()
        painter.drawText(
            QRectF(track.right() + 6, rect.top(), text_width, rect.height()),
            int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
            text,
        )
