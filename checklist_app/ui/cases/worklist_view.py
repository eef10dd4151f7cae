"""The nurse's worklist: the day's cases with readiness at a glance, an MRN scan field, and New case."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
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
from ...services.catalog import DEFAULT_FORM_ID, load_form
from ...services.errors import StoreUnavailableError
from ...services.models import CaseState, User
from ...services.schedule import MwlSettings, PullReport
from ..checklist.datetime_entry import day_label
from ..shell.i18n import tr
from ..shell.table_model import RECORD_ID_ROLE
from .schedule_refresh import ScheduleRefresher
from .worklist_model import COL_PATIENT, COL_PROCEDURE, WorklistModel

if TYPE_CHECKING:
    from ...services.app import AppServices
    from ..shell.session import Session

REFRESH_MS = 60_000  # other workstations add cases; pick them up every minute


class WorklistView(QWidget):
    """Signals:
    open_requested(str): open this record id.
    new_case_requested(str): start a new case, with this MRN already typed (may be '').
    """

    open_requested = Signal(str)
    new_case_requested = Signal(str)

    def __init__(self, svc: AppServices, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("worklistView")
        self._svc = svc
        self._session = session
        self._shown = False  # set_user was given someone who works on cases
        self.day = date.today()
        labels = {p.code: p.label for p in load_form(DEFAULT_FORM_ID).procedure_types}
        self.model = WorklistModel(labels, self)

        self.title = QLabel(self)
        self.title.setObjectName("viewTitle")
        self.title.setWordWrap(True)  # the list may be given little width beside the checklist
        self.prev_button = QPushButton("◀", self)
        self.prev_button.setObjectName("previousDay")
        self.prev_button.setAccessibleName(tr("Previous day"))
        self.prev_button.setToolTip(tr("Previous day (Alt+Left)"))
        self.prev_button.setShortcut("Alt+Left")
        self.today_button = QPushButton(tr("Today"), self)
        self.today_button.setObjectName("today")
        self.today_button.setToolTip(tr("Back to today (Alt+Home)"))
        self.today_button.setShortcut("Alt+Home")
        self.next_button = QPushButton("▶", self)
        self.next_button.setObjectName("nextDay")
        self.next_button.setAccessibleName(tr("Next day"))
        self.next_button.setToolTip(tr("Next day (Alt+Right)"))
        self.next_button.setShortcut("Alt+Right")
        for button in (self.prev_button, self.today_button, self.next_button):
            button.setAutoDefault(False)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.scan_edit = QLineEdit(self)
        self.scan_edit.setObjectName("mrnScan")
        self.scan_edit.setAccessibleName(tr("Scan or type an MRN"))
        self.scan_edit.setPlaceholderText(tr("Scan or type MRN, Enter"))
        self.scan_edit.setClearButtonEnabled(True)
        self.scan_message = QLabel(self)
        self.scan_message.setObjectName("scanMessage")
        self.scan_message.setProperty("muted", True)
        self.scan_message.setWordWrap(True)
        self.scan_message.hide()

        self.table = QTableView(self)
        self.table.setObjectName("worklistTable")
        self.table.setAccessibleName(tr("Today's cases"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move within it
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # The name is what a nurse reads first: it gets its full width; the procedure gives way (tooltip).
        header.setSectionResizeMode(COL_PROCEDURE, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        self.empty = QLabel(tr("No cases on this day. Press Ctrl+N to start one."), self)
        self.empty.setObjectName("worklistEmpty")
        self.empty.setProperty("muted", True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)

        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.prev_button)
        top.addWidget(self.today_button)
        top.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(self.scan_edit)
        layout.addWidget(self.scan_message)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        self.setTabOrder(self.scan_edit, self.table)

        self._schedule_setup(layout, top)

        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.reload)
        self.table.activated.connect(self._on_activated)
        self.scan_edit.returnPressed.connect(self._on_scan)
        self.prev_button.clicked.connect(lambda: self.set_day(self.day - timedelta(days=1)))
        self.next_button.clicked.connect(lambda: self.set_day(self.day + timedelta(days=1)))
        self.today_button.clicked.connect(lambda: self.set_day(date.today()))
        self._show_title()

    def set_user(self, user: User | None) -> None:
        """List the day's cases for `user` (the session's user, when they work on cases), or nothing."""
        self._shown = user is not None
        if user is None:
            self._timer.stop()
            self._schedule_timer.stop()
            self.model.set_rows([])
        else:
            self.day = date.today()
            self.reload()
            self._timer.start()
            if self.refresher is not None and self.refresher.settings.refresh_minutes:
                self._schedule_timer.start()

    def set_day(self, day: date) -> None:
        self.day = day
        self.reload()

    def reload(self) -> None:
        user = self._session.user
        if user is None or not self._shown:
            return
        current = self.current_record_id()
        try:
            rows = self._svc.cases.worklist(user, self.day)
        except StoreUnavailableError as exc:
            self._say(tr("The worklist could not be read: {exc}").format(exc=exc))
            return
        try:
            origins = self._svc.schedule.origins([r.record_id for r in rows])
        except StoreUnavailableError:
            origins = {}  # the list still shows; the source tags come back with the next reload
        try:
            ready = self._svc.cases.ready_times(rows)
        except StoreUnavailableError:
            ready = {}  # as the source tags: the "ready from" times come back with the next reload
        self.model.set_rows(rows, origins, ready)
        self._show_title()
        if current:
            self.select(current)

    def update_case(self, case: CaseState) -> None:
        """Reflect an answer or a signature in its row at once (no query)."""
        if self.model.row_of(case.record_id) < 0 and case.record.procedure.scheduled_at.astimezone().date() == self.day:
            self.reload()
        else:
            self.model.update_case(case, self._svc.cases.ready_time(case))

    def current_record_id(self) -> str | None:
        index = self.table.currentIndex()
        return index.data(RECORD_ID_ROLE) if index.isValid() else None

    def select(self, record_id: str) -> None:
        n = self.model.row_of(record_id)
        if n >= 0:
            # The patient's cell, and the view scrolled back to the left edge: a narrow list (200 % scaling)
            # must show the time and the name of the case picked, not scroll sideways to a cell further right.
            self.table.setCurrentIndex(self.model.index(n, COL_PATIENT))
            self.table.selectRow(n)
            self.table.horizontalScrollBar().setValue(0)

    def preferred_width(self) -> int:
        """Width that shows every column but the procedure in full (the procedure gives way first)."""
        header = self.table.horizontalHeader()
        columns = sum(
            max(self.table.sizeHintForColumn(c), header.sectionSizeHint(c))
            for c in range(self.model.columnCount())
            if c != COL_PROCEDURE
        )
        chrome = self.table.verticalScrollBar().sizeHint().width() + 2 * self.table.frameWidth()
        layout = self.layout()
        sides = layout.contentsMargins().left() + layout.contentsMargins().right() if layout is not None else 0
        return columns + chrome + sides + self.fontMetrics().averageCharWidth() * 12

    def focus_scan(self) -> None:
        self.scan_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.scan_edit.selectAll()

    def _show_title(self) -> None:
        today = self.day == date.today()
        day = tr("Today, {day}").format(day=day_label(self.day)) if today else day_label(self.day)
        self.title.setText(tr("{day} — {n} case(s)").format(day=day, n=self.model.rowCount()))
        self.empty.setVisible(self.model.rowCount() == 0)

    def _say(self, text: str) -> None:
        self.scan_message.setText(text)
        self.scan_message.setVisible(bool(text))

    def _on_activated(self, index: QModelIndex) -> None:
        record_id = index.data(RECORD_ID_ROLE)
        if record_id:
            self.open_requested.emit(record_id)

    def _on_scan(self) -> None:
        # Scanners type the code and press Enter; trim what some add around it.
        mrn = self.scan_edit.text().strip()
        if not mrn:
            return
        matches = [r for r in self.model.rows() if r.mrn.casefold() == mrn.casefold() and r.status != Status.AMENDED]
        self.scan_edit.clear()
        if len(matches) == 1:
            self._say("")
            self.select(matches[0].record_id)
            self.open_requested.emit(matches[0].record_id)
        elif matches:
            self._say(tr("{n} cases on this day for MRN {mrn}: pick one in the list.").format(n=len(matches), mrn=mrn))
            self.select(matches[0].record_id)
            self.table.setFocus()
        else:
            self._say(tr("No case for MRN {mrn} on this day — starting a new one.").format(mrn=mrn))
            self.new_case_requested.emit(mrn)

    # -- "Refresh from schedule" (issue 13) -------------------------------------------------------------------

    def _schedule_setup(self, layout: QVBoxLayout, top: QHBoxLayout) -> None:
        """The button (and optional timer) when the site names its worklist server (CHECKLIST_MWL)."""
        self.refresher: ScheduleRefresher | None = None
        self.refresh_button: QPushButton | None = None
        self._schedule_timer = QTimer(self)
        try:
            settings = MwlSettings.from_environ()
        except ChecklistError as exc:
            self._say(tr("Refresh from schedule is off: {exc}").format(exc=exc))
            return
        if settings is None:
            return
        self.refresher = ScheduleRefresher(self._svc, settings, self)
        self.refresh_button = QPushButton(tr("Refresh from schedule"), self)
        self.refresh_button.setObjectName("refreshSchedule")
        self.refresh_button.setToolTip(tr("Read today's cases from the DICOM worklist (Ctrl+Shift+R)"))
        self.refresh_button.setShortcut("Ctrl+Shift+R")
        self.refresh_button.setAutoDefault(False)
        top.insertWidget(1, self.refresh_button)
        self.refresh_button.clicked.connect(self.refresh_from_schedule)
        self.refresher.finished.connect(self._on_schedule_pulled)
        self.refresher.failed.connect(self._on_schedule_failed)
        self._schedule_timer.setInterval(max(1, settings.refresh_minutes) * 60_000)
        self._schedule_timer.timeout.connect(self.refresh_from_schedule)

    def refresh_from_schedule(self) -> None:
        if self.refresher is None or self._session.user is None or not self._shown:
            return
        if self.refresher.start() and self.refresh_button is not None:
            self.refresh_button.setEnabled(False)
            self.refresh_button.setText(tr("Refreshing…"))

    def _schedule_done(self) -> None:
        if self.refresh_button is not None:
            self.refresh_button.setEnabled(True)
            self.refresh_button.setText(tr("Refresh from schedule"))

    def _on_schedule_pulled(self, report: PullReport) -> None:
        self._schedule_done()
        self.reload()
        refused = f" — {report.refusals[0]}" if report.refusals else ""
        self._say(tr("From the schedule: {report}{refused}").format(report=report.lines()[0], refused=refused))

    def _on_schedule_failed(self, text: str) -> None:
        self._schedule_done()
        self._say(tr("The schedule could not be read: {text}").format(text=text))
