"""Why cases are not ready (issue 16): the charge nurse's figures for a period, for the dashboard and `report`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from ..domain import limits
from ..domain.errors import RecordError
from ..domain.timefmt import local_now
from ..export.report_document import DashboardReport, ReportTable, ReportTrend
from ..store import Store
from ..store.readiness_report import ReasonCount, ReportFigures, ReportScope
from .errors import PermissionRefused
from .models import CaseFilter, Role, User

__all__ = [
    "DashboardReport",
    "DashboardService",
    "Period",
    "ReasonCount",
    "ReportFigures",
    "ReportTable",
    "ReportTrend",
    "figures_json",
    "parse_day",
    "reason_label",
]

READERS = frozenset({Role.CHARGE_NURSE, Role.ADMIN})
PERIODS = ("week", "4weeks", "quarter", "custom")


@dataclass(frozen=True, slots=True)
class Period:
    """Calendar days, both included, in the workstation's time zone."""

    first: date
    last: date

    @classmethod
    def checked(cls, first: date, last: date, where: str = "period") -> Period:
        if first > last:
            raise RecordError(where, f"the start {first.isoformat()} is after the end {last.isoformat()}")
        if (last - first).days + 1 > limits.REPORT_DAYS:
            raise RecordError(where, f"a report covers at most {limits.REPORT_DAYS} days")
        return cls(first, last)

    @classmethod
    def named(cls, name: str, today: date) -> Period:
        """this week (from Monday), the last 4 weeks (28 days to today), this quarter (calendar)."""
        if name == "week":
            return cls(today - timedelta(days=today.weekday()), today)
        if name == "4weeks":
            return cls(today - timedelta(days=27), today)
        if name == "quarter":
            return cls(date(today.year, 3 * ((today.month - 1) // 3) + 1, 1), today)
        raise ValueError(f"unknown period {name!r}; one of {PERIODS[:-1]}")

    def scope(self, procedure_type: str | None = None, nurse: str | None = None) -> ReportScope:
        start = datetime.combine(self.first, time()).astimezone()
        end = datetime.combine(self.last + timedelta(days=1), time()).astimezone()
        return ReportScope(start, end, procedure_type or None, nurse or None)


def parse_day(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise RecordError(option, f"{text!r} is not a date (YYYY-MM-DD)") from None


class DashboardService:
    def __init__(self, store: Store, clock: Any = local_now) -> None:
        self._store = store
        self._clock = clock

    def today(self) -> date:
        today: date = self._clock().date()
        return today

    @staticmethod
    def may_read(user: User) -> bool:
        return bool(user.roles & READERS)

    def _check(self, user: User) -> None:
        if not self.may_read(user):
            raise PermissionRefused("Only a charge nurse or an administrator can see the readiness report.")

    def figures(
        self, user: User, period: Period, *, procedure_type: str | None = None, nurse: str | None = None
    ) -> ReportFigures:
        self._check(user)
        return self._store.reports.figures(period.scope(procedure_type, nurse))

    def operator_figures(self, period: Period) -> ReportFigures:
        """The figures for the command line without a login, as `records list`: whoever runs it already holds
        the database's credentials (design.md keeps `report --from --to` without --user)."""
        return self._store.reports.figures(period.scope(None, None))

    def choices(self, user: User, period: Period) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(procedure types, nurses) seen in the period, for the filters."""
        self._check(user)
        return self._store.reports.choices(period.scope())

    def pdf(self, user: User, report: DashboardReport) -> bytes:
        """The dashboard as a PDF for the ward meeting (counts only: no patient is named in it)."""
        from ..export.report_pdf import render_report  # reportlab: loaded on the first print, not at start-up

        self._check(user)
        return render_report(report)

    @staticmethod
    def records_filter(
        period: Period, reason: ReasonCount, *, procedure_type: str | None = None, nurse: str | None = None
    ) -> CaseFilter:
        """The records view's filter for the cases behind one reason (the dashboard's click-through)."""
        return CaseFilter(
            date_from=period.first,
            date_to=period.last,
            nurse=nurse or None,
            procedure_type=procedure_type or None,
            reason=(reason.item, reason.drug or ""),
            latest_only=True,
        )


def reason_label(item_id: str, drug: str | None) -> str:
    """A reason in a nurse's words: the item's text (and the drug's name); the ids when the form lacks them."""
    from .catalog import DEFAULT_FORM_ID, load_form

    form = load_form(DEFAULT_FORM_ID)
    item = form.items.get(item_id)
    text = item.text if item is not None else item_id
    if drug:
        entry = form.drug_table.get(drug)
        text = f"{text}: {entry.name if entry is not None else drug}"
    return text


def figures_json(figures: ReportFigures) -> dict[str, Any]:
    """The contract's JSON (design.md, "Why cases are not ready")."""
    return {
        "cases": figures.cases,
        "outcomes": dict(figures.outcomes),
        "reasons": [{"item": r.item, "drug": r.drug, "cases": r.cases} for r in figures.reasons],
        "median_minutes_to_sign": figures.median_minutes_to_sign,
        "overrides": [{"authorised_by": name, "cases": n} for name, n in figures.overrides],
    }
