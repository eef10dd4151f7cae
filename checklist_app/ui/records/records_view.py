"""The charge nurse's records view: filters, the paged records table, and the commands' actions and buttons."""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...domain.errors import ChecklistError
from ...domain.lifecycle import Status
from ...services.models import CaseFilter, Role, User
from ..shell.commands import action_button, command
from ..shell.i18n import tr
from ..shell.style import state_text
from .date_field import OptionalDateEdit
from .record_commands import RecordCommands
from .records_model import RecordsModel

if TYPE_CHECKING:
    from ...services.app import AppServices
    from ..shell.session import Session

DEBOUNCE_MS = 300  # typing "Quinn Ex" searches once, after the pause, not eight times
STATUSES = tuple(s.value for s in Status)
READINESS = ("ready", "not_ready", "incomplete")


class RecordsView(RecordCommands):
    """The charge nurse's records page; its commands on the selected record are RecordCommands'.

    Signals:
    amendment_started(object): the CaseState of a new amendment draft, for the window to open.
    """

    roles = frozenset({Role.CHARGE_NURSE})

    def __init__(
        self, svc: AppServices, session: Session, parent: QWidget | None = None, *, debounce_ms: int = DEBOUNCE_MS
    ) -> None:
        super().__init__(parent)
        self.setObjectName("recordsView")
        self._svc = svc
        self.session = session
        self.record_dialog = None
        # Set by the dashboard's click-through (show_matching): a reason, procedure type, latest versions only.
        self._matching: tuple[CaseFilter, str] | None = None
        self.model = RecordsModel(svc.cases, parent=self)
        self.model.clear()  # nothing is read before someone is logged in

        title = QLabel(tr("Saved records"), self)
        title.setObjectName("viewTitle")
        self.count_label = QLabel(self)
        self.count_label.setObjectName("recordsCount")
        self.count_label.setAccessibleName(tr("Number of matching records"))
        self.message = QLabel(self)
        self.message.setObjectName("recordsMessage")
        self.message.setWordWrap(True)
        self.message.hide()

        self.text_edit = self._line_edit(
            "recordsSearch", tr("Search patient name or MRN"), tr("Patient name or MRN (start of a word)")
        )
        self.nurse_edit = self._line_edit("recordsNurse", tr("Nurse user id"), tr("User id, exact"))
        self.from_edit = OptionalDateEdit(self)
        self.from_edit.setObjectName("recordsFrom")
        self.from_edit.setAccessibleName(tr("Scheduled from date"))
        self.to_edit = OptionalDateEdit(self)
        self.to_edit.setObjectName("recordsTo")
        self.to_edit.setAccessibleName(tr("Scheduled to date (included)"))
        self.status_combo = self._combo("recordsStatus", tr("Status"), [(s.capitalize(), s) for s in STATUSES])
        self.readiness_combo = self._combo("recordsReadiness", tr("Readiness"), [(state_text(s), s) for s in READINESS])
        self.clear_button = QPushButton(tr("Clear filters"), self)
        self.clear_button.setObjectName("recordsClearFilters")
        self.clear_button.setAutoDefault(False)

        self.table = QTableView(self)
        self.table.setObjectName("recordsTable")
        self.table.setAccessibleName(tr("Saved records"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setHighlightSections(False)

        self.open_action = command(self, tr("&Open"), "Ctrl+O", self.open_current, tr("Show the record and its PDF"))
        self.verify_action = command(
            self,
            tr("&Verify"),
            "Ctrl+Shift+V",
            self.verify_current,
            tr("Check the record's signatures and stored hash"),
        )
        self.co_sign_action = command(
            self, tr("&Co-sign…"), "Ctrl+Shift+R", self.co_sign_current, tr("Sign as “Reviewed by” with your password")
        )
        self.amend_action = command(
            self,
            tr("&Amend…"),
            "Ctrl+Shift+A",
            self.amend_current,
            tr("Start a new version of the record, with a reason"),
        )
        self.export_action = command(
            self,
            tr("Export for the &EHR…"),
            "Ctrl+Shift+E",
            self.export_current,
            tr("Save as PDF/A, FHIR or JSON, or send over HL7, and see what was sent where"),
        )
        self.search_action = command(self, tr("Search"), "Ctrl+E", self.focus_search, tr("Go to the search field"))
        # F5 belongs to the main window (install() forwards it here); a second F5 action would be ambiguous.
        self.refresh_action = command(self, tr("&Refresh"), None, self.refresh, tr("Search again (F5)"))

        # Two rows of label + field pairs; boxes rather than a grid so no label is squeezed at 200% scaling.
        search_row = QHBoxLayout()
        self._add_field(search_row, tr("&Search"), self.text_edit, stretch=3)
        self._add_field(search_row, tr("&Nurse"), self.nurse_edit, stretch=1)
        filter_row = QHBoxLayout()
        self._add_field(filter_row, tr("&From"), self.from_edit)
        self._add_field(filter_row, tr("&To"), self.to_edit)
        self._add_field(filter_row, tr("Stat&us"), self.status_combo)
        self._add_field(filter_row, tr("Rea&diness"), self.readiness_combo)
        filter_row.addWidget(self.clear_button)
        filter_row.addStretch(1)

        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(self.count_label)
        buttons = QHBoxLayout()
        buttons.addWidget(action_button(self.open_action, primary=True))
        for action in (
            self.verify_action,
            self.co_sign_action,
            self.amend_action,
            self.export_action,
            self.refresh_action,
        ):
            buttons.addWidget(action_button(action))
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(search_row)
        layout.addLayout(filter_row)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        # Tab order follows reading order: filters left to right, then the table, then the commands.
        order = [
            self.text_edit,
            self.nurse_edit,
            self.from_edit,
            self.to_edit,
            self.status_combo,
            self.readiness_combo,
            self.clear_button,
            self.table,
        ]
        for first, second in pairwise(order):
            QWidget.setTabOrder(first, second)

        self.debounce = QTimer(self)
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(debounce_ms)
        self.debounce.timeout.connect(self.apply_filters)
        restart = lambda *_: self.debounce.start()  # noqa: E731 (the signals' arguments are not an interval)
        for edit in (self.text_edit, self.nurse_edit):
            edit.textChanged.connect(restart)
            edit.returnPressed.connect(self.apply_filters)
        for date_edit in (self.from_edit, self.to_edit):
            date_edit.dateChanged.connect(restart)  # typing a date changes it digit by digit
        for combo in (self.status_combo, self.readiness_combo):
            combo.currentIndexChanged.connect(self.apply_filters)
        self.clear_button.clicked.connect(self.clear_filters)
        self.table.activated.connect(self.open_current)
        self.table.selectionModel().selectionChanged.connect(self._update_actions)
        self.model.modelReset.connect(self._update_actions)
        self.model.rowsInserted.connect(self._on_rows_inserted)
        self.model.load_failed.connect(self._show_message)
        self._update_actions()

    # -- construction helpers -----------------------------------------------------------------------------------
    def _line_edit(self, name: str, accessible: str, placeholder: str) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setObjectName(name)
        edit.setAccessibleName(accessible)
        edit.setPlaceholderText(placeholder)
        edit.setClearButtonEnabled(True)
        return edit

    def _combo(self, name: str, accessible: str, items: list[tuple[str, str]]) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        combo.setAccessibleName(accessible)
        combo.addItem(tr("Any"), None)
        for text, code in items:
            combo.addItem(text, code)
        return combo

    def _add_field(self, row: QHBoxLayout, text: str, field: QWidget, stretch: int = 0) -> None:
        label = QLabel(text, self)
        label.setBuddy(field)  # Alt+letter focuses the field, and screen readers read the label with it
        # Qt measures "To" with kerning but draws the underlined mnemonic apart, clipping the last letter.
        label.setMinimumWidth(label.sizeHint().width() + label.fontMetrics().horizontalAdvance(" "))
        row.addWidget(label)
        row.addWidget(field, stretch)
        row.addSpacing(label.fontMetrics().horizontalAdvance("M"))

    # -- session ------------------------------------------------------------------------------------------------
    def set_user(self, user: User | None) -> None:
        """Show records for this user; None (locked) or a user without the page's role sees nothing."""
        if self.user is None:
            self.clear()
        else:
            self.apply_filters()

    def clear(self) -> None:
        """Hide every patient detail: close the open record and drop the loaded rows."""
        self.debounce.stop()
        if self.record_dialog is not None:
            self.record_dialog.reject()
        self.model.clear()
        self.count_label.clear()
        self._show_message("")

    # -- filters ------------------------------------------------------------------------------------------------
    def filters(self) -> CaseFilter:
        """The filters as the fields show them now."""
        return CaseFilter(
            text=self.text_edit.text().strip() or None,
            nurse=self.nurse_edit.text().strip() or None,
            date_from=self.from_edit.value(),
            date_to=self.to_edit.value(),
            status=self.status_combo.currentData(),
            readiness=self.readiness_combo.currentData(),
        ).model_copy(
            update={}
            if self._matching is None
            else {k: getattr(self._matching[0], k) for k in ("procedure_type", "reason", "latest_only")}
        )

    def show_matching(self, filters: CaseFilter, description: str) -> None:
        """The cases behind a dashboard reason: its period and nurse in the fields, the reason kept (and said)
        until Clear filters."""
        self._matching = (filters, description)
        fields = (
            self.text_edit,
            self.nurse_edit,
            self.from_edit,
            self.to_edit,
            self.status_combo,
            self.readiness_combo,
        )
        for widget in fields:
            widget.blockSignals(True)
        self.text_edit.clear()
        self.nurse_edit.setText(filters.nurse or "")
        for edit, day in ((self.from_edit, filters.date_from), (self.to_edit, filters.date_to)):
            edit.set_value(day)
        self.status_combo.setCurrentIndex(0)
        self.readiness_combo.setCurrentIndex(0)
        for widget in fields:
            widget.blockSignals(False)
        self.apply_filters()

    def apply_filters(self) -> None:
        """Search with the current filters now (typing waits for the debounce timer to call this)."""
        self.debounce.stop()
        if self.user is None:
            return
        filters = self.filters()
        if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
            self._show_message(tr("The From date is after the To date; nothing can match."))
            self.model.clear()
            self.count_label.setText(tr("0 records"))
            return
        self._show_message("" if self._matching is None else self._matching[1])
        self.model.set_filters(filters)
        try:
            total = self._svc.cases.count(filters)
        except ChecklistError as exc:
            self._show_message(str(exc))
            return
        self.count_label.setText((tr("{n:,} record") if total == 1 else tr("{n:,} records")).format(n=total))
        # Fill the first page now: the count and the rows should agree the moment the view repaints.
        if self.model.canFetchMore(QModelIndex()):
            self.model.fetchMore(QModelIndex())

    def clear_filters(self) -> None:
        self._matching = None
        for widget in (
            self.text_edit,
            self.nurse_edit,
            self.from_edit,
            self.to_edit,
            self.status_combo,
            self.readiness_combo,
        ):
            widget.blockSignals(True)  # one search at the end, not six
        self.text_edit.clear()
        self.nurse_edit.clear()
        self.from_edit.setDate(OptionalDateEdit.ANY)
        self.to_edit.setDate(OptionalDateEdit.ANY)
        self.status_combo.setCurrentIndex(0)
        self.readiness_combo.setCurrentIndex(0)
        for widget in (
            self.text_edit,
            self.nurse_edit,
            self.from_edit,
            self.to_edit,
            self.status_combo,
            self.readiness_combo,
        ):
            widget.blockSignals(False)
        self.apply_filters()

    def refresh(self) -> None:
        """Read the records again with the same filters (other workstations sign and print too)."""
        selected = self.current_summary()
        self.apply_filters()
        if selected is not None:
            self.select(selected.record_id)

    def focus_search(self) -> None:
        self.text_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.text_edit.selectAll()

    def _on_rows_inserted(self, _parent: QModelIndex, first: int, _last: int) -> None:
        if first == 0:  # the first page after a reset: size columns to what is there, once
            self.table.resizeColumnsToContents()
            self.table.selectRow(0)
