"""The Dashboard page: why the period's cases were not ready, for the charge nurse and the administrator.

One screen: the period and filters, the outcomes, the top reasons (a sortable table with inline bars; Enter
or a double-click opens those records), the median time to sign, the overrides with who authorised them, a
weekly trend, and "Print / Save as PDF" for the ward meeting.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, QModelIndex, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...domain.errors import ChecklistError
from ...services.dashboard import (
    READERS,
    DashboardReport,
    Period,
    ReportFigures,
    reason_label,
)
from ...services.models import CaseFilter, User
from ..records.pdf_preview import PdfPreviewDialog
from ..shell.i18n import tr
from ..shell.worker import Task, run_in_background
from .bar_delegate import BarDelegate
from .figures_text import dashboard_report, median_text, outcome_words, override_lines, week_labels
from .reasons_model import REASON_ROLE, SHARE, Reason, ReasonsModel
from .trend_chart import TrendChart

if TYPE_CHECKING:
    from ...services.app import AppServices
    from ..records.records_view import RecordsView
    from ..shell.session import Session


def _period_words() -> tuple[tuple[str, str], ...]:
    return (
        ("week", tr("This week")),
        ("4weeks", tr("Last 4 weeks")),
        ("quarter", tr("This quarter")),
        ("custom", tr("Custom")),
    )


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _day(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class DashboardView(QWidget):
    """Signals:
    records_requested(object, str): a CaseFilter for the records behind a reason, and a line describing it.
    """

    records_requested = Signal(object, str)
    roles = READERS

    def __init__(self, svc: AppServices, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dashboardView")
        self._svc = svc
        self.session = session
        self.figures: ReportFigures | None = None
        self.period = Period.named("4weeks", svc.dashboard.today())
        self.preview: PdfPreviewDialog | None = None
        self.task: Task | None = None
        self._again = False
        self._stale = True  # figures not yet computed for this user: done when the page is first shown

        title = QLabel(tr("Why cases are not ready"), self)
        title.setObjectName("viewTitle")
        self.period_combo = self._combo("dashboardPeriod", tr("Period"), _period_words())
        self.period_combo.setCurrentIndex(1)
        self.from_edit, self.to_edit = self._date("dashboardFrom", tr("From")), self._date("dashboardTo", tr("To"))
        self.procedure_combo = self._combo("dashboardProcedure", tr("Procedure type"), ())
        self.nurse_combo = self._combo("dashboardNurse", tr("Nurse"), ())
        self.print_button = QPushButton(tr("&Print / Save as PDF…"), self)
        self.print_button.setObjectName("dashboardPrint")
        self.print_button.setAutoDefault(False)

        self.cases_label = QLabel(self)
        self.cases_label.setObjectName("dashboardCases")
        self.outcome_labels: dict[str, QLabel] = {}
        outcomes = QGridLayout()
        for n, (key, words) in enumerate(outcome_words()):
            value = QLabel("0", self)
            value.setObjectName(f"dashboardOutcome:{key}")
            value.setAlignment(Qt.AlignmentFlag.AlignCenter)
            value.setStyleSheet("font-size: 18pt; font-weight: 600;")
            caption = QLabel(words, self)
            caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
            value.setAccessibleName(words)
            outcomes.addWidget(value, 0, n)
            outcomes.addWidget(caption, 1, n)
            self.outcome_labels[key] = value

        self.model = ReasonsModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("dashboardReasons")
        self.table.setAccessibleName(tr("Top reasons cases were not ready"))
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(SHARE, BarDelegate(self.table))
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.resizeSection(SHARE, 220)

        self.median_label = QLabel(self)
        self.median_label.setObjectName("dashboardMedian")
        self.overrides_label = QLabel(self)
        self.overrides_label.setObjectName("dashboardOverrides")
        self.overrides_label.setWordWrap(True)
        self.overrides_label.setTextFormat(Qt.TextFormat.PlainText)
        self.trend = TrendChart(self)
        self.message = QLabel(self)
        self.message.setObjectName("dashboardMessage")
        self.message.hide()

        filters = QHBoxLayout()
        for text, widget in (
            (tr("Pe&riod"), self.period_combo),
            (tr("&From"), self.from_edit),
            (tr("&To"), self.to_edit),
            (tr("Procedure t&ype"), self.procedure_combo),
            (tr("N&urse"), self.nurse_combo),
        ):
            label = QLabel(text, self)
            label.setBuddy(widget)
            # Qt measures "To" with kerning but draws the underlined mnemonic apart (records_view does the same).
            label.setMinimumWidth(label.sizeHint().width() + label.fontMetrics().horizontalAdvance(" "))
            filters.addWidget(label)
            filters.addWidget(widget)
        filters.addStretch(1)
        filters.addWidget(self.print_button)
        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(self.cases_label)
        side = QVBoxLayout()
        side.addWidget(self._box(tr("Median time from first answer to signing"), self.median_label))
        side.addWidget(self._box(tr("Overrides, by who authorised them"), self.overrides_label))
        side.addWidget(self._box(tr("Weekly trend"), self.trend), 1)
        middle = QHBoxLayout()
        reasons = QVBoxLayout()
        reasons.addWidget(QLabel(tr("Top reasons cases were NOT READY at some save (Enter opens the records)"), self))
        reasons.addWidget(self.table, 1)
        middle.addLayout(reasons, 3)
        middle.addLayout(side, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.message)
        layout.addLayout(outcomes)
        layout.addLayout(middle, 1)

        self._show_period()
        self.period_combo.currentIndexChanged.connect(self._on_period)
        for edit in (self.from_edit, self.to_edit):
            edit.dateChanged.connect(self._on_dates)
        for combo in (self.procedure_combo, self.nurse_combo):
            combo.currentIndexChanged.connect(self.refresh)
        self.table.activated.connect(self.open_reason)
        self.print_button.clicked.connect(self.print_report)

    # -- construction helpers -----------------------------------------------------------------------------------
    def _combo(self, name: str, accessible: str, items: tuple[tuple[str, str], ...]) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        combo.setAccessibleName(accessible)
        # The filter lists are filled after the first show: grow with them.
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for code, words in items:
            combo.addItem(words, code)
        return combo

    def _date(self, name: str, accessible: str) -> QDateEdit:
        edit = QDateEdit(self)
        edit.setObjectName(name)
        edit.setAccessibleName(accessible)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        return edit

    def _box(self, title: str, content: QWidget) -> QGroupBox:
        box = QGroupBox(title, self)
        inner = QVBoxLayout(box)
        inner.addWidget(content)
        return box

    # -- session ------------------------------------------------------------------------------------------------
    @property
    def user(self) -> User | None:
        user = self.session.user
        return user if user is not None and user.roles & self.roles else None

    def set_user(self, user: User | None) -> None:
        """A login computes the figures only if the page is on screen: else on first showing (a charge nurse who
        logs in for the worklist or the records does not wait for a year of counts)."""
        if self.user is None:
            self.clear()
            return
        self._stale = True
        if self.isVisible():
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def clear(self) -> None:
        """Counts only, no patient; still dropped when the screen locks (someone else may log in)."""
        if self.preview is not None:
            self.preview.reject()
        self.figures = None
        self.model.set_reasons((), 0)
        self.cases_label.clear()
        self.trend.set_weeks((), (), ())

    # -- the period and filters ---------------------------------------------------------------------------------
    def _show_period(self) -> None:
        for edit, day in ((self.from_edit, self.period.first), (self.to_edit, self.period.last)):
            edit.blockSignals(True)
            edit.setDate(_qdate(day))
            edit.setEnabled(self.period_combo.currentData() == "custom")
            edit.blockSignals(False)

    def _on_period(self) -> None:
        name = self.period_combo.currentData()
        if name != "custom":
            self.period = Period.named(name, self._svc.dashboard.today())
        self._show_period()
        self.refresh()

    def _on_dates(self) -> None:
        self.refresh()

    def _read_period(self) -> Period:
        if self.period_combo.currentData() == "custom":
            return Period.checked(_day(self.from_edit.date()), _day(self.to_edit.date()), tr("From/To"))
        return self.period

    def filters(self) -> tuple[str | None, str | None]:
        return self.procedure_combo.currentData(), self.nurse_combo.currentData()

    def _fill_choices(self, combo: QComboBox, values: tuple[str, ...]) -> None:
        chosen = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(tr("Any"), None)
        for value in values:
            combo.addItem(value, value)
        combo.setCurrentIndex(max(combo.findData(chosen), 0) if chosen else 0)
        combo.blockSignals(False)

    # -- figures ------------------------------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        """The figures are being computed (off the GUI thread: a year of cases takes seconds)."""
        return self.task is not None

    def refresh(self) -> None:
        """Compute the figures for the period and filters now shown; a change meanwhile computes them again."""
        user = self.user
        if user is None:
            return
        if self.task is not None:
            self._again = True
            return
        try:
            period = self._read_period()
        except ChecklistError as exc:
            self._show_problem(exc)
            return
        kind, nurse = self.filters()
        dashboard = self._svc.dashboard

        def work() -> tuple[Any, ReportFigures]:
            return (dashboard.choices(user, period), dashboard.figures(user, period, procedure_type=kind, nurse=nurse))

        self.period, self._again, self._stale = period, False, False
        self.task = run_in_background(self, tr("Counting the period's cases…"), work, self._on_counted)

    def _on_counted(self, result: Any, error: BaseException | None) -> None:
        self.task = None
        if self._again or self.user is None:  # the filters changed (or the screen locked) while counting
            if self.user is not None:
                self.refresh()
            return
        if error is not None:
            if not isinstance(error, ChecklistError):
                raise error
            self._show_problem(error)
            return
        (kinds, nurses), figures = result
        self._fill_choices(self.procedure_combo, kinds)
        self._fill_choices(self.nurse_combo, nurses)
        self.message.hide()
        self.show_figures(figures)

    def _show_problem(self, exc: ChecklistError) -> None:
        self.message.setText(str(exc))
        self.message.show()

    def show_figures(self, figures: ReportFigures) -> None:
        self.figures = figures
        self.cases_label.setText(
            tr("{n} cases scheduled {first} to {last}").format(
                n=figures.cases, first=self.period.first.isoformat(), last=self.period.last.isoformat()
            )
        )
        for key, label in self.outcome_labels.items():
            label.setText(str(figures.outcomes.get(key, 0)))
        self.model.set_reasons(
            [Reason(r.item, r.drug, reason_label(r.item, r.drug), r.cases) for r in figures.reasons], figures.cases
        )
        self.median_label.setText(median_text(figures))
        self.overrides_label.setText("\n".join(override_lines(figures)) or tr("No overrides in this period"))
        self.trend.set_weeks(week_labels(figures), [w[1] for w in figures.weeks], [w[2] for w in figures.weeks])

    # -- the click-through --------------------------------------------------------------------------------------
    def open_reason(self, index: QModelIndex) -> None:
        """Ask the window for the records view with the cases behind this reason."""
        reason = index.data(REASON_ROLE)
        if not isinstance(reason, Reason):
            return
        kind, nurse = self.filters()
        count = next(
            (
                r
                for r in (self.figures.reasons if self.figures else ())
                if (r.item, r.drug) == (reason.item, reason.drug)
            ),
            None,
        )
        if count is None:
            return
        filters = self._svc.dashboard.records_filter(self.period, count, procedure_type=kind, nurse=nurse)
        self.records_requested.emit(
            filters, tr("Cases NOT READY at some save for: {reason}").format(reason=reason.label)
        )

    # -- print --------------------------------------------------------------------------------------------------
    def report(self) -> DashboardReport:
        figures = self.figures
        assert figures is not None
        kind, nurse = self.filters()
        return dashboard_report(figures, self.period, kind, nurse, self.model, self.user.full_name if self.user else "")

    def print_report(self) -> None:
        user = self.user
        if user is None or self.figures is None:
            return
        try:
            pdf = self._svc.dashboard.pdf(user, self.report())
        except ChecklistError as exc:
            self._show_problem(exc)
            return
        name = f"why-not-ready-{self.period.first.isoformat()}-{self.period.last.isoformat()}.pdf"
        self.preview = PdfPreviewDialog(self, pdf, tr("Why cases are not ready"), suggested_name=name)
        self.preview.finished.connect(lambda _result: setattr(self, "preview", None))
        self.preview.open()


def open_records_from(
    dashboard: DashboardView,
    records: RecordsView,
    show_page: Callable[[QWidget], None],
    show_status: Callable[[str], None],
) -> None:
    """The window's wiring: a reason opens the records page filtered to its cases (a charge nurse's page; an
    administrator is told so)."""

    def show(filters: CaseFilter, description: str) -> None:
        if records.user is None:
            show_status(tr("The records behind a reason are on the Records page, for charge nurses."))
            return
        records.show_matching(filters, description)
        show_page(records)

    dashboard.records_requested.connect(show)
