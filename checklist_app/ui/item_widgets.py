"""One small row widget per item kind (check, yes/no, choice, number, datetime, text); the factory picks one."""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Any

from PySide6.QtCore import QEvent, QObject, QRegularExpression, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..domain.forms import (
    CheckItem,
    ChoiceItem,
    DateTimeItem,
    FormDefinition,
    Item,
    NumberItem,
    TextItem,
    YesNoItem,
)
from ..domain.readiness import Finding
from ..domain.records import Answer
from .datetime_entry import DateTimeEntry, local_now, moment_text, parse_moment
from .style import WARNING_GLYPH, set_prop

CHECK_LABELS = {"met": "Met", "not_met": "Not met", "na": "N/A"}
YES_NO_LABELS = {"yes": "Yes", "no": "No"}


def answer_text(item: Item, value: Any) -> str:
    """An answer in words, for accessible descriptions and tooltips."""
    if value is None:
        return "Not answered"
    if isinstance(item, CheckItem):
        return CHECK_LABELS.get(value, str(value))
    if isinstance(item, YesNoItem):
        return YES_NO_LABELS.get(value, str(value))
    if isinstance(item, ChoiceItem):
        option = item.option(value)
        return option.label if option else str(value)
    if isinstance(item, NumberItem):
        return f"{value:g} {item.unit}".strip() if isinstance(value, int | float) else str(value)
    return str(value)


class _ArrowKeysMove(QObject):
    """Up/Down inside a line edit move to the previous/next item, as they do on answer rows."""

    def __init__(self, row: ItemRow) -> None:
        super().__init__(row)
        self._row = row

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down) and not event.modifiers()):
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
        self.note_edit.setAccessibleName(f"Note: {item.text}")
        self.note_edit.setPlaceholderText("Note — Enter to save, Esc to cancel")
        self.note_edit.hide()
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        note_action = QAction("Note… (F2)", self)
        note_action.triggered.connect(self.open_note)
        clear_action = QAction("Clear the answer (Delete)", self)
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
        self.message_label.setText(("Not saved — " if unsaved and text else "") + text)
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
        if (watched is self.note_edit and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.key() == Qt.Key.Key_Escape):
            note = self.answer.note if self.answer else ""
            self.note_edit.setText(note)
            self.note_edit.setVisible(bool(note))
            self.focus_input()
            return True
        return super().eventFilter(watched, event)


class OptionsRow(ItemRow):
    """Answer buttons numbered 1…n; the row takes focus and the digit keys answer (then move on)."""

    space_value: str | None = None

    def __init__(self, item: Item, form: FormDefinition, options: list[tuple[str, str]],
                 parent: QWidget | None = None) -> None:
        super().__init__(item, form, parent)
        self.options = options
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.buttons: dict[str, QPushButton] = {}
        layout = QVBoxLayout(self.input_area) if self.input_below else QHBoxLayout(self.input_area)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        for number, (code, label) in enumerate(options, 1):
            button = QPushButton(f"{number}  {label}", self.input_area)
            button.setObjectName(f"answer:{code}")
            button.setProperty("answer", code)
            button.setProperty("option", self.input_below)  # long option labels read left-aligned
            button.setCheckable(True)
            # The row, not each button, takes focus: Tab moves item to item and digits answer.
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setAccessibleName(f"{label}: {item.text}")
            button.setToolTip(f"Press {number}")
            button.clicked.connect(partial(self._choose, code, False))
            layout.addWidget(button)
            self.buttons[code] = button
        if self.input_below:
            layout.setAlignment(Qt.AlignmentFlag.AlignLeft)

    def show_value(self, value: Any) -> None:
        for code, button in self.buttons.items():
            button.setChecked(code == value)

    def set_editable(self, editable: bool) -> None:
        super().set_editable(editable)
        for button in self.buttons.values():
            button.setEnabled(editable)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text()
        if text.isdigit() and 1 <= int(text) <= len(self.options) and not event.modifiers() & ~(
                Qt.KeyboardModifier.KeypadModifier):
            self._choose(self.options[int(text) - 1][0], True)
        elif event.key() == Qt.Key.Key_Space and self.space_value is not None:
            self._choose(self.space_value, True)
        elif event.key() == Qt.Key.Key_N and not event.modifiers():
            self.open_note()
        else:
            super().keyPressEvent(event)

    def _choose(self, code: str, by_key: bool) -> None:
        current = None if self.answer is None else self.answer.value
        if code == current:
            self.show_value(current)  # a click on the chosen answer must not un-check it
        else:
            self.request(code)  # the view shows the outcome: saved, or kept and marked "not saved"
        if by_key and not self.has_error:
            self.navigate.emit(self, 1)


class CheckRow(OptionsRow):
    """Met / Not met / N/A (only where the form allows it; N/A asks for the reason)."""

    space_value = "met"

    def __init__(self, item: CheckItem, form: FormDefinition, parent: QWidget | None = None) -> None:
        codes = ["met", "not_met"] + (["na"] if item.na_allowed else [])
        super().__init__(item, form, [(c, CHECK_LABELS[c]) for c in codes], parent)
        self.check_item = item
        self.reason_edit = QLineEdit(self)
        self.reason_edit.setObjectName("naReason")
        self.reason_edit.setAccessibleName(f"Reason for N/A: {item.text}")
        self.reason_edit.setPlaceholderText(f"Why N/A? {item.na_hint}".strip() + " — Enter to save, Esc to cancel")
        self.reason_edit.hide()
        self.grid.addWidget(self.reason_edit, 2, 1, 1, 2)
        self.watch_arrows(self.reason_edit)
        self.reason_edit.returnPressed.connect(self._save_reason)
        self.reason_edit.installEventFilter(self)

    def show_value(self, value: Any) -> None:
        super().show_value(value)
        if value == "na":
            reason = self.answer.reason if self.answer else ""
            if not self.reason_edit.hasFocus():
                self.reason_edit.setText(reason)
            self.reason_edit.show()
        elif not self.reason_edit.hasFocus():
            self.reason_edit.hide()

    def set_editable(self, editable: bool) -> None:
        super().set_editable(editable)
        self.reason_edit.setReadOnly(not editable)

    def _choose(self, code: str, by_key: bool) -> None:
        if code != "na":
            self.reason_edit.hide()
            super()._choose(code, by_key)
            return
        if not self.editable:
            return
        # N/A is only saved together with its reason: ask for it first, right here in the row.
        self.show_value(None if self.answer is None else self.answer.value)
        self.buttons["na"].setChecked(True)
        self.reason_edit.show()
        self.reason_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self.reason_edit.selectAll()
        self.show_error(f"Write why this is N/A{f' ({self.check_item.na_hint})' if self.check_item.na_hint else ''}, "
                        "then press Enter.", unsaved=False)

    def _save_reason(self) -> None:
        reason = self.reason_edit.text().strip()
        if not reason:
            self.show_error("N/A needs a reason.", unsaved=False)
            return
        self.show_error("", unsaved=False)
        self.request("na", reason)
        if not self.has_error:
            self.navigate.emit(self, 1)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.reason_edit and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.key() == Qt.Key.Key_Escape):
            self.show_error("", unsaved=False)
            self.reason_edit.clearFocus()
            self.show_value(None if self.answer is None else self.answer.value)
            self.setFocus(Qt.FocusReason.OtherFocusReason)
            return True
        return super().eventFilter(watched, event)


class YesNoRow(OptionsRow):
    def __init__(self, item: YesNoItem, form: FormDefinition, parent: QWidget | None = None) -> None:
        super().__init__(item, form, list(YES_NO_LABELS.items()), parent)


class ChoiceRow(OptionsRow):
    """Options listed under the text: their labels are long, and a choice may have five of them."""

    input_below = True

    def __init__(self, item: ChoiceItem, form: FormDefinition, parent: QWidget | None = None) -> None:
        super().__init__(item, form, [(o.code, o.label) for o in item.options], parent)


class _EditorRow(ItemRow):
    """A row whose input is typed: saved on Enter or when focus leaves; Enter also moves on once saved."""

    _last_sent: str | None = None

    def watch_editor(self, edit: QLineEdit) -> None:
        self.watch_arrows(edit)
        edit.editingFinished.connect(self._commit_text)
        # Enter: save first, then move on only if it was saved (returnPressed comes before editingFinished).
        edit.returnPressed.connect(self._on_enter)
        edit.textEdited.connect(self._forget_sent)

    def _forget_sent(self) -> None:
        self._last_sent = None

    def _on_enter(self) -> None:
        self._commit_text()
        if not self.has_error:
            self.navigate.emit(self, 1)

    def _commit_text(self) -> None:
        text = self.current_text()
        # editingFinished follows Enter and comes again on focus-out: send each distinct text once.
        if text == self._last_sent or (text == self.shown_text() and not self.has_error):
            return
        self._last_sent = text
        self.send_text(text)

    def current_text(self) -> str:
        raise NotImplementedError

    def shown_text(self) -> str:
        raise NotImplementedError

    def send_text(self, text: str) -> None:
        raise NotImplementedError


class NumberRow(_EditorRow):
    def __init__(self, item: NumberItem, form: FormDefinition, parent: QWidget | None = None) -> None:
        super().__init__(item, form, parent)
        self.number_item = item
        self.edit = QLineEdit(self.input_area)
        self.edit.setObjectName("numberEdit")
        self.edit.setAccessibleName(f"{item.text} ({item.unit})" if item.unit else item.text)
        self.edit.setPlaceholderText(f"{item.min:g}–{item.max:g}")
        self.edit.setValidator(QRegularExpressionValidator(QRegularExpression(r"^\d{0,5}([.,]\d{0,4})?$"), self.edit))
        self.edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.edit.setMaximumWidth(self.edit.fontMetrics().horizontalAdvance("00000.00") + 24)
        unit = QLabel(item.unit, self.input_area)
        unit.setObjectName("unit")
        layout = QHBoxLayout(self.input_area)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        layout.addWidget(unit)
        self.setFocusProxy(self.edit)
        self._shown = ""
        self.watch_editor(self.edit)

    def show_value(self, value: Any) -> None:
        self._shown = "" if value is None else f"{float(value):.{self.number_item.decimals}f}"
        if not self.edit.hasFocus() or not self.edit.isModified():
            self.edit.setText(self._shown)
            self.edit.setModified(False)

    def set_editable(self, editable: bool) -> None:
        super().set_editable(editable)
        self.edit.setReadOnly(not editable)

    def focus_input(self) -> None:
        self.edit.setFocus(Qt.FocusReason.TabFocusReason)
        self.edit.selectAll()

    def current_text(self) -> str:
        return self.edit.text().strip().replace(",", ".")

    def shown_text(self) -> str:
        return self._shown

    def send_text(self, text: str) -> None:
        self.edit.setModified(False)
        self.request(None if text in ("", ".") else float(text))


class DateTimeRow(_EditorRow):
    def __init__(self, item: DateTimeItem, form: FormDefinition, parent: QWidget | None = None) -> None:
        super().__init__(item, form, parent)
        self.entry = DateTimeEntry(item.text, self.input_area, commit_on_edit=False)
        self.entry.setObjectName("dateTimeEntry")
        layout = QHBoxLayout(self.input_area)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.entry)
        self.setFocusProxy(self.entry)
        self._shown = ""
        self.watch_editor(self.entry.edit)
        self.entry.committed.connect(self._send_moment)  # the Now button

    def show_value(self, value: Any) -> None:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else value
        self._shown = moment_text(moment) if moment else ""
        self.entry.set_moment(moment)

    def set_editable(self, editable: bool) -> None:
        super().set_editable(editable)
        self.entry.set_read_only(not editable)

    def focus_input(self) -> None:
        self.entry.edit.setFocus(Qt.FocusReason.TabFocusReason)
        self.entry.edit.selectAll()

    def set_narrow(self, narrow: bool) -> None:
        super().set_narrow(narrow)
        self.entry.set_narrow(narrow)

    def input_width(self) -> int:
        return self.entry.wide_width()

    def current_text(self) -> str:
        return self.entry.text().strip()

    def shown_text(self) -> str:
        return self._shown

    def send_text(self, text: str) -> None:
        try:
            moment = parse_moment(text, local_now())
        except ValueError as exc:
            self.show_error(str(exc))
            return
        if moment is not None:
            self.entry.edit.setText(moment_text(moment))
        self._send_moment(moment)

    def _send_moment(self, moment: datetime | None) -> None:
        self.show_error("")
        self._last_sent = moment_text(moment) if moment else ""
        self.request(None if moment is None else moment.isoformat())


class TextRow(_EditorRow):
    input_below = True

    def __init__(self, item: TextItem, form: FormDefinition, parent: QWidget | None = None) -> None:
        super().__init__(item, form, parent)
        self.edit = QLineEdit(self.input_area)
        self.edit.setObjectName("textEdit")
        self.edit.setAccessibleName(item.text)
        self.edit.setMaxLength(item.max_length)
        layout = QHBoxLayout(self.input_area)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        self.setFocusProxy(self.edit)
        self._shown = ""
        self.watch_editor(self.edit)

    def show_value(self, value: Any) -> None:
        self._shown = "" if value is None else str(value)
        if not self.edit.hasFocus() or not self.edit.isModified():
            self.edit.setText(self._shown)
            self.edit.setModified(False)

    def set_editable(self, editable: bool) -> None:
        super().set_editable(editable)
        self.edit.setReadOnly(not editable)

    def current_text(self) -> str:
        return self.edit.text().strip()

    def shown_text(self) -> str:
        return self._shown

    def send_text(self, text: str) -> None:
        self.edit.setModified(False)
        self.request(text or None)


def make_row(item: Item, form: FormDefinition, parent: QWidget | None = None) -> ItemRow:
    """The row widget for an item's kind."""
    from .medication_widget import MedicationListRow  # the largest row lives in its own module

    rows: dict[str, type[ItemRow]] = {
        "check": CheckRow, "yes_no": YesNoRow, "choice": ChoiceRow, "number": NumberRow,
        "datetime": DateTimeRow, "text": TextRow, "medication_list": MedicationListRow,
    }
    return rows[item.kind](item, form, parent)  # type: ignore[arg-type]

