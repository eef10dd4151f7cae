"""The base of every item row: glyph, text, source/help, input area, finding, inline error and note."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QLineEdit, QWidget

from ...domain.answer_text import answer_text
from ...domain.forms import FormDefinition, Item
from ...domain.readiness import Finding
from ...domain.records import Answer
from ..shell.i18n import tr
from ..shell.style import WARNING_GLYPH, set_prop


class _ArrowKeysMove(QObject):
    """Up/Down inside a line edit move to the previous/next item, as they do on answer rows."""

    def __init__(self, row: ItemRow) -> None:
        super().__init__(row)
        self._row = row

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down)
            and not event.modifiers()
        ):
            self._row.navigate.emit(self._row, -1 if event.key() == Qt.Key.Key_Up else 1)
            return True
        return False


class ItemRow(QFrame):
    """One form item: status glyph, text, source/help, the input, and inline finding or error.

    Signals:
        answer_requested(str, object, str, str): item id, new value (None clears), N/A reason, note.
        navigate(object, int): this row and -1/+1 — move focus to the previous/next visible item.
    """

    answer_requested = Signal(str, object, str, str)
    navigate = Signal(object, int)

    def __init__(self, item: Item, form: FormDefinition, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item = item
        self.form = form
        self.answer: Answer | None = None
        self.editable = True
        self.has_error = False
        self.setObjectName(f"item:{item.id}")
        self.setProperty("itemRow", True)
        self.setAccessibleName(item.text)

        self.glyph = QLabel("○", self)
        self.glyph.setObjectName("itemGlyph")
        self.glyph.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.text_label = QLabel(item.text, self)
        self.text_label.setObjectName("itemText")
        self.text_label.setWordWrap(True)
        self.text_label.setTextFormat(Qt.TextFormat.PlainText)
        meta = " · ".join(part for part in (item.help, form.source_text(item.source)) if part)
        self.meta_label = QLabel(meta, self)
        self.meta_label.setObjectName("itemMeta")
        self.meta_label.setWordWrap(True)
        self.meta_label.setVisible(bool(meta))
        if form.needs_confirmation(item):  # a [U] rule or number: shipped, but a clinician must still confirm it
            flag = tr("needs clinician confirmation")
            self.meta_label.setTextFormat(Qt.TextFormat.RichText)
            self.meta_label.setText(
                html.escape(meta)
                + (" · " if meta else "")
                + f"<span style='color:#b71c1c'>⚠ {html.escape(flag)}</span>"
            )
            self.meta_label.setAccessibleDescription(flag)
            self.meta_label.show()
        self.finding_label = QLabel(self)
        self.finding_label.setObjectName("itemFinding")
        self.finding_label.setWordWrap(True)
        self.finding_label.hide()
        self.message_label = QLabel(self)
        self.message_label.setObjectName("itemMessage")
        self.message_label.setWordWrap(True)
        self.message_label.hide()
        self.input_area = QWidget(self)
        self.input_area.setObjectName("itemInput")
        # A free-text note on any item (F2, or N on an answer row): e.g. the proceduralist's name.
        self.note_edit = QLineEdit(self)
        self.note_edit.setObjectName("itemNote")
        self.note_edit.setAccessibleName(tr("Note: {text}").format(text=item.text))
        self.note_edit.setPlaceholderText(tr("Note — Enter to save, Esc to cancel"))
        self.note_edit.hide()
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        note_action = QAction(tr("Note… (F2)"), self)
        note_action.triggered.connect(self.open_note)
        clear_action = QAction(tr("Clear the answer (Delete)"), self)
        clear_action.triggered.connect(self.clear_answer)
        self.addActions([note_action, clear_action])

        self.grid = grid = QGridLayout(self)
        grid.setContentsMargins(8, 6, 8, 6)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(2)
        grid.addWidget(self.glyph, 0, 0, 4, 1)
        grid.addWidget(self.text_label, 0, 1)
        grid.addWidget(self.meta_label, 1, 1)
        grid.addWidget(self.finding_label, 3, 1, 1, 2)
        grid.addWidget(self.message_label, 4, 1, 1, 2)
        grid.addWidget(self.note_edit, 5, 1, 1, 2)
        grid.setColumnStretch(1, 1)
        self.narrow = False
        self._place_input()
        self._arrow_filter = _ArrowKeysMove(self)
        self.watch_arrows(self.note_edit)
        self.note_edit.installEventFilter(self)
        self.note_edit.returnPressed.connect(self._save_note)

    # Subclasses: lay out the input area, show a value, focus the input.
    input_below = False

    def _place_input(self) -> None:
        self.grid.removeWidget(self.input_area)
        if self.input_below:
            self.grid.addWidget(self.input_area, 2, 1, 1, 2)
        elif self.narrow:
            self.grid.addWidget(self.input_area, 2, 1, 1, 2, Qt.AlignmentFlag.AlignLeft)
        else:
            self.grid.addWidget(self.input_area, 0, 2, 2, 1, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignRight)

    def wide_width(self) -> int:
        """The width this row needs in its wide layout (input beside the text, which keeps ~28 characters)."""
        margins = self.grid.contentsMargins()
        base = margins.left() + margins.right() + self.glyph.sizeHint().width() + 2 * self.grid.horizontalSpacing()
        text = self.fontMetrics().averageCharWidth() * 28
        return base + (max(text, self.input_width()) if self.input_below else text + self.input_width())

    def input_width(self) -> int:
        return self.input_area.minimumSizeHint().width()

    def set_narrow(self, narrow: bool) -> None:
        """Little width (200% scaling, a half-screen window): the input goes under the text, not beside it."""
        if narrow != self.narrow:
            self.narrow = narrow
            self._place_input()

    def show_value(self, value: Any) -> None:
        raise NotImplementedError

    def focus_input(self) -> None:
        self.setFocus(Qt.FocusReason.TabFocusReason)

    def set_editable(self, editable: bool) -> None:
        self.editable = editable
        self.note_edit.setReadOnly(not editable)

    def watch_arrows(self, edit: QLineEdit) -> None:
        edit.installEventFilter(self._arrow_filter)

    def set_state(self, answer: Answer | None, finding: Finding | None, is_warning: bool) -> None:
        """Show the saved answer and what readiness says about it (no signal is emitted)."""
        self.answer = answer
        value = None if answer is None else answer.value
        self.show_value(value)
        answered = value is not None
        kind = "" if finding is None else ("warning" if is_warning else "blocker")
        styled = (self.glyph, self.text_label)
        set_prop(self, "answered", answered, children=styled)
        set_prop(self, "finding", kind, children=styled)
        self.glyph.setText({"blocker": "✖", "warning": WARNING_GLYPH}.get(kind, "✓" if answered else "○"))
        self.finding_label.setText(finding.reason if finding else "")
        self.finding_label.setVisible(finding is not None)
        set_prop(self.finding_label, "finding", kind)
        description = answer_text(self.item, value)
        self.setAccessibleDescription(f"{description}. {finding.reason}" if finding else description)
        note = answer.note if answer is not None else ""
        if not self.note_edit.hasFocus():
            self.note_edit.setText(note)
            self.note_edit.setVisible(bool(note))

    def show_error(self, text: str, *, unsaved: bool = True) -> None:
        """An inline message next to the item: the service's words, and whether the value is unsaved."""
        self.has_error = bool(text)
        self.message_label.setText((tr("Not saved — ") if unsaved and text else "") + text)
        self.message_label.setVisible(bool(text))
        set_prop(self, "pending", bool(text) and unsaved)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and not event.modifiers():
            self.navigate.emit(self, -1 if key == Qt.Key.Key_Up else 1)
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and not event.modifiers():
            self.clear_answer()
        elif key == Qt.Key.Key_F2:
            self.open_note()
        else:
            super().keyPressEvent(event)

    def clear_answer(self) -> None:
        if self.answer is not None and self.answer.value is not None:
            self.request(None)

    def request(self, value: Any, na_reason: str = "", note: str | None = None) -> None:
        """Ask for a save; the note given before stays with the item unless a new one is passed."""
        if self.editable:
            kept = self.answer.note if self.answer is not None else ""
            self.answer_requested.emit(self.item.id, value, na_reason, kept if note is None else note)

    def open_note(self) -> None:
        if not self.editable and not self.note_edit.text():
            return
        self.note_edit.show()
        self.note_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self.note_edit.selectAll()

    def _save_note(self) -> None:
        note = self.note_edit.text().strip()
        answer = self.answer
        if note != (answer.note if answer else ""):
            self.request(None if answer is None else answer.value, answer.na_reason if answer else "", note)
        if not self.has_error:
            self.note_edit.setVisible(bool(note))
            self.focus_input()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.note_edit
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
        ):
            note = self.answer.note if self.answer else ""
            self.note_edit.setText(note)
            self.note_edit.setVisible(bool(note))
            self.focus_input()
            return True
        return super().eventFilter(watched, event)
