"""One small row widget per item kind (check, yes/no, choice, number, datetime, text); the factory picks one."""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Any

from PySide6.QtCore import QEvent, QObject, QRegularExpression, Qt
from PySide6.QtGui import QKeyEvent, QRegularExpressionValidator
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from ...domain.answer_text import CHECK_WORDS, YES_NO_WORDS
from ...domain.forms import CheckItem, ChoiceItem, DateTimeItem, FormDefinition, Item, NumberItem, TextItem, YesNoItem
from ...domain.timefmt import local_now, moment_text
from ..shell.i18n import tr
from .answer_button import AnswerButton
from .datetime_entry import DateTimeEntry, parse_moment
from .item_row import ItemRow
from .medication_widget import MedicationListRow  # the largest row kind has its own module


class OptionsRow(ItemRow):
    """Answer buttons numbered 1…n; the row takes focus and the digit keys answer (then move on)."""

    space_value: str | None = None

    def __init__(
        self, item: Item, form: FormDefinition, options: list[tuple[str, str]], parent: QWidget | None = None
    ) -> None:
        super().__init__(item, form, parent)
        self.options = options
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.buttons: dict[str, QPushButton] = {}
        layout = QVBoxLayout(self.input_area) if self.input_below else QHBoxLayout(self.input_area)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        for number, (code, label) in enumerate(options, 1):
            button = AnswerButton(f"{number}  {label}", self.input_area)
            button.setObjectName(f"answer:{code}")
            button.setProperty("answer", code)
            button.setProperty("option", self.input_below)  # long option labels read left-aligned
            button.setCheckable(True)
            # The row, not each button, takes focus: Tab moves item to item and digits answer.
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setAccessibleName(f"{label}: {item.text}")
            button.setToolTip(tr("Press {number}").format(number=number))
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
        if (
            text.isdigit()
            and 1 <= int(text) <= len(self.options)
            and not event.modifiers() & ~(Qt.KeyboardModifier.KeypadModifier)
        ):
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
        super().__init__(item, form, [(c, CHECK_WORDS[c]) for c in codes], parent)
        self.check_item = item
        self.reason_edit = QLineEdit(self)
        self.reason_edit.setObjectName("naReason")
        self.reason_edit.setAccessibleName(tr("Reason for N/A: {text}").format(text=item.text))
        self.reason_edit.setPlaceholderText(
            tr("Why N/A? {hint}").format(hint=item.na_hint).strip() + tr(" — Enter to save, Esc to cancel")
        )
        self.reason_edit.hide()
        self.grid.addWidget(self.reason_edit, 2, 1, 1, 2)
        self.watch_arrows(self.reason_edit)
        self.reason_edit.returnPressed.connect(self._save_reason)
        self.reason_edit.installEventFilter(self)
        if item.met_needs_note:
            # "Present" counts only with a name (Rules v2): the note asks for it, and Enter on it moves on.
            self.note_edit.setPlaceholderText(
                tr("Name: {who} — Enter to save, Esc to cancel").format(who=item.note_hint or tr("who"))
            )
            self.note_edit.returnPressed.connect(self._named)

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
        if code == "met" and self.check_item.met_needs_note and not (self.answer and self.answer.note.strip()):
            self.reason_edit.hide()
            if self.editable and (self.answer is None or self.answer.value != "met"):
                self.request("met")  # saved now; it counts once the note names who
            self.open_note()
            self.show_error(self._name_hint, unsaved=False)
            return
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
        hint = tr(" ({hint})").format(hint=self.check_item.na_hint) if self.check_item.na_hint else ""
        self.show_error(tr("Write why this is N/A{hint}, then press Enter.").format(hint=hint), unsaved=False)

    @property
    def _name_hint(self) -> str:
        return tr("Write {what} in the note, then press Enter.").format(
            what=self.check_item.note_hint or tr("the name")
        )

    def _named(self) -> None:
        # After the note was saved (connected first): on with the checklist unless saving it failed.
        if self.note_edit.text().strip() and self.message_label.text() in ("", self._name_hint):
            self.show_error("", unsaved=False)
            self.navigate.emit(self, 1)

    def _save_reason(self) -> None:
        reason = self.reason_edit.text().strip()
        if not reason:
            self.show_error(tr("N/A needs a reason."), unsaved=False)
            return
        self.show_error("", unsaved=False)
        self.request("na", reason)
        if not self.has_error:
            self.navigate.emit(self, 1)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.reason_edit
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
        ):
            self.show_error("", unsaved=False)
            self.reason_edit.clearFocus()
            self.show_value(None if self.answer is None else self.answer.value)
            self.setFocus(Qt.FocusReason.OtherFocusReason)
            return True
        return super().eventFilter(watched, event)


class YesNoRow(OptionsRow):
    def __init__(self, item: YesNoItem, form: FormDefinition, parent: QWidget | None = None) -> None:
        super().__init__(item, form, list(YES_NO_WORDS.items()), parent)


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
        self._shown = moment_text(moment)
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
            moment = parse_moment(text, local_now(whole_minutes=True))
        except ValueError as exc:
            self.show_error(str(exc))
            return
        if moment is not None:
            self.entry.edit.setText(moment_text(moment))
        self._send_moment(moment)

    def _send_moment(self, moment: datetime | None) -> None:
        self.show_error("")
        self._last_sent = moment_text(moment)
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
    rows: dict[str, type[ItemRow]] = {
        "check": CheckRow,
        "yes_no": YesNoRow,
        "choice": ChoiceRow,
        "number": NumberRow,
        "datetime": DateTimeRow,
        "text": TextRow,
        "medication_list": MedicationListRow,
    }
    return rows[item.kind](item, form, parent)
