"""The dashboard's figures in words: outcomes, the median time to sign, overrides, week labels, and the
printed report for the ward meeting built from them."""

from __future__ import annotations

from ...services.dashboard import DashboardReport, Period, ReportFigures, ReportTable, ReportTrend
from ..shell.i18n import tr
from .reasons_model import ReasonsModel


def outcome_words() -> tuple[tuple[str, str], ...]:
    return (
        ("signed_ready", tr("Ready and signed")),
        ("signed_override", tr("Signed with override")),
        ("rescheduled", tr("Rescheduled")),
        ("cancelled", tr("Cancelled")),
        ("open", tr("Not yet signed")),
    )


def median_text(figures: ReportFigures) -> str:
    """The median time from first answer to signing, in hours and minutes."""
    median = figures.median_minutes_to_sign
    if median is None:
        return tr("No signed case in this period")
    if median < 1:
        return tr("under 1 min")
    hours, minutes = divmod(round(median), 60)
    return (tr("{h} h {m} min") if hours else tr("{m} min")).format(h=hours, m=minutes)


def override_lines(figures: ReportFigures) -> list[str]:
    return [
        tr("{name}: {n} case(s)").format(name=name or tr("(authoriser not named)"), n=n)
        for name, n in figures.overrides
    ]


def week_labels(figures: ReportFigures) -> list[str]:
    return [w[0].strftime("%d %b") for w in figures.weeks]


def dashboard_report(
    figures: ReportFigures, period: Period, kind: str | None, nurse: str | None, model: ReasonsModel, author: str
) -> DashboardReport:
    """The figures shown, as the printed report for the ward meeting (no patient named)."""
    subtitle = tr("Cases scheduled {first} to {last} · procedure: {kind} · nurse: {nurse}").format(
        first=period.first.isoformat(), last=period.last.isoformat(), kind=kind or tr("any"), nurse=nurse or tr("any")
    )
    outcomes = ReportTable(
        tr("Outcomes ({n} cases)").format(n=figures.cases),
        (tr("Outcome"), tr("Cases")),
        tuple((words, str(figures.outcomes.get(key, 0))) for key, words in outcome_words()),
    )
    reasons = tuple(model.reason(n) for n in range(model.rowCount()))
    top = ReportTable(
        tr("Top reasons cases were NOT READY at some save"),
        (tr("Reason not ready"), tr("Cases"), tr("Share")),
        tuple((r.label, str(r.cases), f"{round(100 * model.share(r))}%") for r in reasons),
        bars=tuple(model.share(r) for r in reasons),
        empty=tr("No case was NOT READY."),
    )
    overrides = ReportTable(
        tr("Overrides, by who authorised them"),
        (tr("Authorised by"), tr("Cases")),
        tuple((name or tr("(authoriser not named)"), str(n)) for name, n in figures.overrides),
        empty=tr("No overrides in this period"),
    )
    trend = ReportTrend(
        tr("Weekly trend"),
        tuple(week_labels(figures)),
        (
            (tr("Cases"), tuple(w[1] for w in figures.weeks)),
            (tr("Not ready at some save"), tuple(w[2] for w in figures.weeks)),
        ),
    )
    return DashboardReport(
        title=tr("Why cases are not ready"),
        subtitle=subtitle,
        facts=(tr("Median time from first answer to signing: {t}").format(t=median_text(figures)),),
        tables=(outcomes, top, overrides),
        trend=trend,
        footer=tr("Counts from the saved checklists; no patient is named in this report."),
        extra={"author": author, "subject": subtitle},
    )
