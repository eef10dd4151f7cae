"""The medication-list row: antithrombotics with a drug picker, each last dose, and its hold status."""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QBoxLayout,
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...domain.forms import FormDefinition, MedicationListItem
from ...domain.holds import HoldResult
from ...domain.readiness import Finding
from ...domain.records import Answer
from ...domain.timefmt import local_now
from ..shell.i18n import tr
from ..shell.style import WARNING_GLYPH, set_prop
from .answer_button import AnswerButton
from .datetime_entry import DateTimeEntry, parse_moment
from .item_row import ItemRow


def _entries(value: Any) -> list[dict[str, Any]]:
    """The saved list as plain dicts ({drug, last_dose_at, dose?}); [] = none taken."""
    out = []
    for entry in value or []:
        data = dict(entry) if isinstance(entry, dict) else entry.model_dump(mode="json")
        at = data.get("last_dose_at")
        data["last_dose_at"] = at.isoformat() if isinstance(at, datetime) else at
        out.append({k: v for k, v in data.items() if v is not None})
    return out


class MedicationListRow(ItemRow):
    """Entries (drug, last dose, hold status, remove), a 'None taken' answer, and an add line."""

    input_below = True

    def __init__(self, item: MedicationListItem, form: FormDefinition, parent: QWidget | None = None) -> None:
        super().__init__(item, form, parent)
        self._entries: list[dict[str, Any]] = []
        self._holds: list[HoldResult] = []
        self._entry_widgets: list[DateTimeEntry] = []
        self._shown_key: object = None

        self.none_button = AnswerButton(tr("None taken"), self.input_area)
        self.none_button.setObjectName("noneTaken")
        self.none_button.setCheckable(True)
        self.none_button.setAccessibleName(tr("No antithrombotic medicines taken"))
        self.none_button.setToolTip(tr("The patient takes none of these medicines"))
        self.none_button.setAutoDefault(False)
        # Plain box layouts, one small block per drug: grids with spanning wrapped text get their
        # height wrong (clipped fields at 200% scaling).
        self.table = QWidget(self.input_area)
        self.table.setObjectName("medicationEntries")
        self.table_layout = QVBoxLayout(self.table)
        self.table_layout.setContentsMargins(0, 0, 0, 0)
        self.table_layout.setSpacing(6)

        self.picker = QComboBox(self)
        self.picker.setObjectName("drugPicker")
        self.picker.setAccessibleName(tr("Add medicine: drug"))
        self.picker.setEditable(True)
        self.picker.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        # Not as wide as the longest drug name: the row must fit at 200% scaling.
        self.picker.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.picker.setMinimumContentsLength(14)
        for drug in sorted(form.drugs, key=lambda d: d.name.lower()):
            self.picker.addItem(f"{drug.name} — {drug.group}", drug.code)
        completer = QCompleter(self.picker.model(), self.picker)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)  # 'xaban' finds the Xa inhibitors
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.picker.setCompleter(completer)
        self.picker.setCurrentIndex(-1)
        picker_edit = self.picker.lineEdit()
        assert picker_edit is not None  # the picker is editable
        picker_edit.setPlaceholderText(tr("Type a drug name, or 'none'"))
        picker_edit.setAccessibleName(tr("Add medicine: drug name, or 'none' if none taken"))
        # A medicine the table does not list ("other") is entered with its own name (Rules v2).
        self.name_edit = QLineEdit(self)
        self.name_edit.setObjectName("otherDrugName")
        self.name_edit.setAccessibleName(tr("Add medicine: its name (not in the table)"))
        self.name_edit.setPlaceholderText(tr("Name of the medicine"))
        self.name_edit.hide()
        self.new_dose = DateTimeEntry(tr("Add medicine: last dose"), self)
        self.new_dose.setObjectName("newDoseEntry")
        self.add_button = QPushButton(tr("Add"), self)
        self.add_button.setObjectName("addMedicine")
        self.add_button.setAccessibleName(tr("Add medicine"))
        self.add_button.setAutoDefault(False)
        self.add_line = QWidget(self.input_area)
        self.add_line.setObjectName("addMedicineLine")
        add_line = self._add_layout = QBoxLayout(QBoxLayout.Direction.LeftToRight, self.add_line)
        add_line.setContentsMargins(0, 0, 0, 0)
        pick = QHBoxLayout()
        pick.addWidget(QLabel(tr("Add:"), self.add_line))
        pick.addWidget(self.picker, 1)
        pick.addWidget(self.name_edit, 1)
        when = QHBoxLayout()
        when.addWidget(QLabel(tr("last dose"), self.add_line))
        when.addWidget(self.new_dose, 1)
        when.addWidget(self.add_button)
        add_line.addLayout(pick, 1)
        add_line.addLayout(when, 1)

        layout = QVBoxLayout(self.input_area)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.table)
        layout.addWidget(self.add_line)
        none_line = QHBoxLayout()
        none_line.addWidget(self.none_button)
        none_line.addStretch(1)
        layout.addLayout(none_line)
        self.setFocusProxy(self.picker)
        self.watch_arrows(self.new_dose.edit)

        self.none_button.clicked.connect(self._on_none)
        self.add_button.clicked.connect(self._on_add)
        completer.activated.connect(lambda _text: self._after_pick())
        picker_edit.returnPressed.connect(self._on_picker_enter)
        self.name_edit.returnPressed.connect(self.new_dose.edit.setFocus)
        self.picker.currentIndexChanged.connect(lambda _index: self._show_name_field())
        # Enter in the last-dose field adds the medicine; the entry's own commit is not used here.
        self.new_dose.edit.returnPressed.connect(self._on_add)

    # -- showing the saved answer ---------------------------------------------------------------------------
    def input_width(self) -> int:
        """Width in the wide layout, whatever the current one is: the add line on one row, or a drug's line."""
        parts = [w for w in self.add_line.findChildren(QWidget) if w.parentWidget() is self.add_line]
        widths = [self.new_dose.compact_width() if w is self.new_dose else w.minimumSizeHint().width() for w in parts]
        add_line = sum(widths) + self._add_layout.spacing() * (len(widths) - 1)
        # Drug names wrap (some are long: "Heparin (unfractionated, subcutaneous)"); keep ~14 characters.
        remove = QPushButton(tr("Remove")).sizeHint().width()
        drug_line = self.fontMetrics().averageCharWidth() * 14 + self.new_dose.wide_width() + remove
        return max(add_line, drug_line)

    def set_narrow(self, narrow: bool) -> None:
        super().set_narrow(narrow)
        self._add_layout.setDirection(QBoxLayout.Direction.TopToBottom if narrow else QBoxLayout.Direction.LeftToRight)
        for entry in self.findChildren(DateTimeEntry):
            entry.set_narrow(narrow)

    def set_holds(self, rows: list[HoldResult]) -> None:
        """The per-drug hold results of the readiness (shown beside each entry)."""
        self._holds = rows

    def show_value(self, value: Any) -> None:
        self._entries = _entries(value)
        self.none_button.setChecked(value is not None and not self._entries)
        self.none_button.setVisible(not self._entries and self.editable)
        # Every answer anywhere re-shows every row: rebuild only when this list really changed,
        # so a last-dose time being typed is never thrown away.
        key = (repr(self._entries), repr(self._holds), self.editable)
        if key != self._shown_key:
            self._shown_key = key
            self._rebuild_table()

    def set_state(self, answer: Answer | None, finding: Finding | None, is_warning: bool) -> None:
        super().set_state(answer, finding, is_warning)
        # Each drug's hold verdict is shown on its own line; repeat the finding only if it is about
        # something else (e.g. a missing lab) so the row never says the same thing twice.
        if finding is not None and any(h.reason == finding.reason for h in self._holds):
            self.finding_label.hide()

    def _rebuild_table(self) -> None:
        focused = next((n for n, w in enumerate(self._entry_widgets) if w.edit.hasFocus()), None)
        while self.table_layout.count():
            taken = self.table_layout.takeAt(0)
            widget = taken.widget() if taken is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self._entry_widgets = []
        names = {d.code: d for d in self.form.drugs}
        for n, entry in enumerate(self._entries):
            drug = names.get(entry["drug"])
            block = QWidget(self.table)
            block.setObjectName(f"medication:{entry['drug']}")
            shown = entry.get("name") or (drug.name if drug else entry["drug"])
            name = QLabel(tr("{shown} (not in the table)").format(shown=shown) if entry.get("name") else shown, block)
            name.setObjectName("drugName")
            name.setWordWrap(True)
            name.setMaximumWidth(self.fontMetrics().averageCharWidth() * 22)
            name.setToolTip(drug.group if drug else "")
            dose = DateTimeEntry(tr("Last dose of {name}").format(name=name.text()), block)
            dose.setObjectName(f"lastDose:{entry['drug']}")
            dose.set_moment(datetime.fromisoformat(entry["last_dose_at"]))
            dose.set_narrow(self.narrow)
            dose.set_read_only(not self.editable)
            dose.committed.connect(partial(self._on_dose_changed, n))
            dose.invalid.connect(lambda message: self.show_error(message))
            self.watch_arrows(dose.edit)
            hold = self._hold_for(n, entry)
            status = QLabel(self._hold_text(hold), block)
            status.setObjectName("holdStatus")
            status.setWordWrap(True)
            set_prop(status, "finding", "" if hold is None else hold.verdict.finding)
            remove = QPushButton(tr("Remove"), block)
            remove.setObjectName(f"remove:{entry['drug']}")
            remove.setAccessibleName(tr("Remove {name}").format(name=name.text()))
            remove.setAutoDefault(False)
            remove.clicked.connect(partial(self._on_remove, n))
            # The verdict gets its own full-width line under the drug: it is the sentence the nurse acts on.
            line = QHBoxLayout()
            line.addWidget(name)
            line.addWidget(dose, 1)
            line.addWidget(remove)
            block_layout = QVBoxLayout(block)
            block_layout.setContentsMargins(0, 0, 0, 0)
            block_layout.setSpacing(1)
            block_layout.addLayout(line)
            block_layout.addWidget(status)
            self.table_layout.addWidget(block)
            block.show()  # a layout shows new children only later, from the event loop
            remove.setVisible(self.editable)
            status.setVisible(bool(status.text()))
            self._entry_widgets.append(dose)
        self.table.setVisible(bool(self._entries))
        if focused is not None and focused < len(self._entry_widgets):
            self._entry_widgets[focused].edit.setFocus()

    def _hold_for(self, n: int, entry: dict[str, Any]) -> HoldResult | None:
        # Hold rows come in entry order; check the drug too so a stale list never mislabels.
        if n < len(self._holds) and self._holds[n].drug == entry["drug"]:
            return self._holds[n]
        return None

    def _hold_text(self, hold: HoldResult | None) -> str:
        if hold is None:
            return ""
        glyph = {"blocker": "✖", "warning": WARNING_GLYPH, "ok": "✓"}[hold.verdict.finding]
        return f"{glyph} {hold.reason}" + ("" if hold.confirmed else tr(" (interval not yet confirmed)"))

    def set_editable(self, editable: bool) -> None:
        super().set_editable(editable)
        self.add_line.setVisible(editable)
        self._shown_key = None
        self.show_value(None if self.answer is None else self.answer.value)

    def focus_input(self) -> None:
        target = self._entry_widgets[0].edit if self._entry_widgets else self.picker
        target.setFocus(Qt.FocusReason.TabFocusReason)

    # -- changes ---------------------------------------------------------------------------------------------
    def _send(self, entries: list[dict[str, Any]] | None) -> None:
        self.show_error("")
        self.request(entries)

    def _on_none(self) -> None:
        self._send([])

    def _on_remove(self, n: int) -> None:
        rest = [e for i, e in enumerate(self._entries) if i != n]
        # Removing the last drug leaves the question open: "none taken" must be said, not inferred.
        self._send(rest or None)

    def _on_dose_changed(self, n: int, moment: datetime | None) -> None:
        if moment is None:
            self.show_error(tr("A listed medicine needs its last dose time; use Remove to take it off the list."))
            return
        entries = [dict(e) for e in self._entries]
        entries[n]["last_dose_at"] = moment.isoformat()
        self._send(entries)

    def picked_drug(self) -> str | None:
        """The drug code in the picker: the selected entry, or the one entry the typed text names."""
        text = self.picker.currentText().strip().lower()
        if not text:
            return None
        index = self.picker.currentIndex()
        if index >= 0 and self.picker.itemText(index).lower() == text:
            code: str | None = self.picker.itemData(index)
            return code
        matches = [i for i in range(self.picker.count()) if text in self.picker.itemText(i).lower()]
        exact = [i for i in matches if self.picker.itemText(i).lower().startswith(text)]
        chosen = exact if len(exact) == 1 else matches
        return self.picker.itemData(chosen[0]) if len(chosen) == 1 else None

    def _needs_name(self, code: str | None) -> bool:
        drug = self.form.drug_table.get(code) if code else None
        return drug is not None and drug.needs_name

    def _after_pick(self) -> None:
        self._show_name_field()
        (self.name_edit if self.name_edit.isVisible() else self.new_dose.edit).setFocus()

    def _show_name_field(self) -> None:
        self.name_edit.setVisible(self._needs_name(self.picked_drug()))

    def _on_picker_enter(self) -> None:
        # Typing "none" + Enter answers "none taken" without leaving the keyboard's home row.
        if self.picker.currentText().strip().casefold() == "none":
            self.picker.clearEditText()
            self._on_none()
            if not self.has_error:
                self.navigate.emit(self, 1)
        elif self._needs_name(self.picked_drug()):
            self.name_edit.show()
            self.name_edit.setFocus()
        else:
            self.new_dose.edit.setFocus()

    def _on_add(self) -> None:
        code = self.picked_drug()
        if code is None:
            self.show_error(tr("Pick a drug from the list (type part of its name)."), unsaved=False)
            self.picker.setFocus()
            return
        try:
            moment = parse_moment(self.new_dose.text(), local_now(whole_minutes=True))
        except ValueError as exc:
            self.show_error(str(exc), unsaved=False)
            self.new_dose.edit.setFocus()
            return
        if moment is None:
            self.show_error(tr("Enter the time of the last dose."), unsaved=False)
            self.new_dose.edit.setFocus()
            return
        entry: dict[str, Any] = {"drug": code, "last_dose_at": moment.isoformat()}
        if self._needs_name(code):
            name = self.name_edit.text().strip()
            if not name:
                self.show_error(tr("Write the medicine's name: it is not in the site's table."), unsaved=False)
                self.name_edit.show()
                self.name_edit.setFocus()
                return
            entry["name"] = name
        self._send([*self._entries, entry])
        if not self.has_error:
            self.name_edit.clear()
            self.name_edit.hide()
            self.picker.setCurrentIndex(-1)
            self.picker.clearEditText()
            self.new_dose.set_moment(None)
            self.new_dose.edit.clear()
            self.picker.setFocus()
