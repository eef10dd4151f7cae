"""The dashboard's figures (issue 16) as SQL aggregates over records, signatures and the readiness history.

Nothing here reads a record's JSON or its answers: every figure is a GROUP BY or an index look-up, so the
dashboard over 100,000 records costs what the same hand-written SQL does (bench/dashboard.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Date,
    Float,
    String,
    and_,
    case,
    cast,
    distinct,
    exists,
    func,
    or_,
    select,
    union_all,
)

from checklist_app.domain.lifecycle import Meaning, Status

from .connection import Database
from .tables import NO_BLOCKER, readiness_history, records, signatures

OUTCOMES = ("signed_ready", "signed_override", "rescheduled", "cancelled", "open")
_SIGNED = (Status.SIGNED.value, Status.REVIEWED.value)
_FIRST_SIGNATURES = (Meaning.PREPARED.value, Meaning.AMENDED.value)
_h = readiness_history


@dataclass(frozen=True, slots=True)
class ReportScope:
    """Cases scheduled in [start, end) (aware), optionally of one procedure type and one nurse."""

    start: datetime
    end: datetime
    procedure_type: str | None = None
    nurse: str | None = None


@dataclass(frozen=True, slots=True)
class ReasonCount:
    item: str
    drug: str | None
    cases: int


@dataclass(frozen=True, slots=True)
class ReportFigures:
    cases: int
    outcomes: dict[str, int]
    reasons: tuple[ReasonCount, ...]  # most cases first
    median_minutes_to_sign: float | None
    overrides: tuple[tuple[str | None, int], ...]  # (authorised by, cases), most first; None: not named (v1)
    weeks: tuple[tuple[date, int, int], ...]  # (first day of the week, cases, not ready at a save)


def _override_exists() -> ColumnElement[bool]:
    return exists().where(
        signatures.c.record_id == records.c.id,
        signatures.c.meaning.in_(_FIRST_SIGNATURES),
        signatures.c.override_reason.is_not(None),
    )


def outcome_column() -> ColumnElement[str]:
    """Each case's outcome, in this order of precedence: cancelled, signed (override or not), rescheduled, open."""
    rescheduled = exists().where(_h.c.record_id == records.c.id, _h.c.event == "reschedule")
    return case(
        (records.c.status == Status.CANCELLED.value, "cancelled"),
        (and_(records.c.status.in_(_SIGNED), _override_exists()), "signed_override"),
        (records.c.status.in_(_SIGNED), "signed_ready"),
        (rescheduled, "rescheduled"),
        else_="open",
    )


def _scope_where(scope: ReportScope) -> list[ColumnElement[bool]]:
    where = [
        records.c.scheduled_at >= scope.start,
        records.c.scheduled_at < scope.end,
        records.c.status != Status.AMENDED.value,
    ]  # the latest version of each case only
    if scope.procedure_type:
        where.append(records.c.procedure_type == scope.procedure_type)
    if scope.nurse:
        where.append(records.c.created_by == scope.nurse)
    return where


def _minutes(conn: Connection, later: Any, earlier: Any) -> ColumnElement[Any]:
    if conn.dialect.name == "sqlite":  # DATETIME text: julianday is in days
        return (func.julianday(later) - func.julianday(earlier)) * 1440.0
    return cast(func.extract("epoch", later - earlier), Float) / 60.0


def _local_day(conn: Connection, at: Any, offset_s: Any) -> ColumnElement[Any]:
    """The day a case is scheduled on where it is booked (its UTC time plus the offset stored beside it), so an
    evening case is in the week the period's local days put it in, whatever the database's own zone."""
    if conn.dialect.name == "sqlite":
        return func.date(at, cast(offset_s, String) + " seconds")
    return cast(func.timezone("UTC", at) + func.make_interval(0, 0, 0, 0, 0, 0, offset_s), Date)


class ReadinessReport:
    def __init__(self, db: Database) -> None:
        self._db = db

    def figures(self, scope: ReportScope) -> ReportFigures:
        return self._db.read(lambda conn: self._figures(conn, scope))

    def choices(self, scope: ReportScope) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The procedure types and nurses of the period's cases (the dashboard's filter lists)."""
        where = _scope_where(ReportScope(scope.start, scope.end))

        def tx(conn: Connection) -> tuple[tuple[str, ...], tuple[str, ...]]:
            kinds = conn.execute(select(records.c.procedure_type).where(*where).distinct()).scalars().all()
            nurses = conn.execute(select(records.c.created_by).where(*where).distinct()).scalars().all()
            return tuple(sorted(kinds)), tuple(sorted(nurses))

        return self._db.read(tx)

    def _figures(self, conn: Connection, scope: ReportScope) -> ReportFigures:
        where = _scope_where(scope)
        cases = (
            select(
                records.c.id,
                records.c.signed_at,
                records.c.scheduled_at,
                records.c.scheduled_offset_s,
                records.c.supersedes_id,
                outcome_column().label("outcome"),
            )
            .where(*where)
            .cte("cases")
        )
        # A case is its latest version; the versions it replaced keep their history rows under their own ids, and
        # those rows are the case's too (an amendment writes none until it is answered). Few cases are amendments:
        # their earlier versions are looked up apart, so every other case costs what it did.
        earlier = (
            select(records.c.id.label("case_id"), records.c.supersedes_id.label("record_id"))
            .where(*where, records.c.supersedes_id.is_not(None))
            .cte("earlier", recursive=True)
        )
        earlier = earlier.union_all(
            select(earlier.c.case_id, records.c.supersedes_id)
            .join(records, records.c.id == earlier.c.record_id)
            .where(records.c.supersedes_id.is_not(None))
        )
        inherited = select(_h).join(earlier, earlier.c.record_id == _h.c.record_id)

        outcomes = dict.fromkeys(OUTCOMES, 0)
        for outcome, count in conn.execute(select(cases.c.outcome, func.count()).group_by(cases.c.outcome)):
            outcomes[outcome] = int(count)

        blockers = union_all(
            select(_h.c.item, _h.c.drug, cases.c.id.label("case_id"))
            .join(cases, cases.c.id == _h.c.record_id)
            .where(_h.c.item != NO_BLOCKER),
            inherited.with_only_columns(_h.c.item, _h.c.drug, earlier.c.case_id).where(_h.c.item != NO_BLOCKER),
        ).subquery()
        n = func.count(distinct(blockers.c.case_id))
        reasons = conn.execute(
            select(blockers.c.item, blockers.c.drug, n.label("n"))
            .group_by(blockers.c.item, blockers.c.drug)
            .order_by(n.desc(), blockers.c.item, blockers.c.drug)
        ).all()

        # Per signed case, its first answer: an index range of its own history rows (the primary key's prefix),
        # not a GROUP BY over every save of every record.
        own_first = (
            select(func.min(_h.c.saved_at))
            .where(_h.c.record_id == cases.c.id, _h.c.event == "answer")
            .scalar_subquery()
        )
        inherited_first = (
            inherited.with_only_columns(func.min(_h.c.saved_at))
            .where(earlier.c.case_id == cases.c.id, _h.c.event == "answer")
            .scalar_subquery()
        )
        first_at = case(
            (cases.c.supersedes_id.is_(None), own_first), else_=func.coalesce(inherited_first, own_first)
        )  # the earlier versions were answered first
        signed = (
            select(cases.c.signed_at, first_at.label("first_at"))
            .where(cases.c.outcome.in_(("signed_ready", "signed_override")))
            .subquery()
        )
        minutes = (
            select(_minutes(conn, signed.c.signed_at, signed.c.first_at).label("m"))
            .where(signed.c.first_at.is_not(None))
            .subquery()
        )
        median = self._median(conn, minutes)

        overrides = conn.execute(
            select(signatures.c.override_authorised_by, func.count(distinct(signatures.c.record_id)))
            .join(cases, cases.c.id == signatures.c.record_id)
            .where(
                cases.c.outcome == "signed_override",
                signatures.c.meaning.in_(_FIRST_SIGNATURES),
                signatures.c.override_reason.is_not(None),
            )
            .group_by(signatures.c.override_authorised_by)
            .order_by(func.count(distinct(signatures.c.record_id)).desc(), signatures.c.override_authorised_by)
        ).all()

        blocked = or_(
            exists().where(_h.c.record_id == cases.c.id, _h.c.item != NO_BLOCKER),
            and_(
                cases.c.supersedes_id.is_not(None),
                inherited.where(earlier.c.case_id == cases.c.id, _h.c.item != NO_BLOCKER).exists(),
            ),
        )
        day = _local_day(conn, cases.c.scheduled_at, cases.c.scheduled_offset_s)
        daily = conn.execute(
            select(day, func.count(), func.sum(case((blocked, 1), else_=0))).group_by(day).order_by(day)
        ).all()
        return ReportFigures(
            cases=sum(outcomes.values()),
            outcomes=outcomes,
            reasons=tuple(ReasonCount(r.item, r.drug or None, int(r.n)) for r in reasons),
            median_minutes_to_sign=median,
            overrides=tuple((name, int(n)) for name, n in overrides),
            weeks=_weeks(daily, scope),
        )

    @staticmethod
    def _median(conn: Connection, minutes: Any) -> float | None:
        # Portable (SQLite has no percentile aggregate): the middle one or two values by their rank, in one
        # statement; a count first and the values after ran the whole case pipeline twice (bench dashboard).
        ranked = select(
            minutes.c.m,
            func.row_number().over(order_by=minutes.c.m).label("rank"),
            func.count().over().label("n"),
        ).subquery()
        middle = conn.execute(
            select(func.avg(ranked.c.m)).where(ranked.c.rank.in_(((ranked.c.n + 1) // 2, (ranked.c.n + 2) // 2)))
        ).scalar_one()
        return None if middle is None else round(float(middle), 1)


def _weeks(daily: Any, scope: ReportScope) -> tuple[tuple[date, int, int], ...]:
    """Days summed into weeks from the period's first day (7-day buckets; a week with no case counts 0)."""
    first = scope.start.date()
    count = max(1, -(-(scope.end - scope.start).days // 7))
    totals = [0] * count
    blocked_totals = [0] * count
    for day, cases, blocked in daily:
        day = day if isinstance(day, date) else date.fromisoformat(str(day))
        index = min(max((day - first).days // 7, 0), count - 1)
        totals[index] += int(cases)
        blocked_totals[index] += int(blocked or 0)
    return tuple((first + timedelta(days=7 * n), totals[n], blocked_totals[n]) for n in range(count))
