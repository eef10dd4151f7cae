"""What the printed dashboard says (issue 16), as plain data: the UI fills it in its words, report_pdf lays it out.

Kept apart from report_pdf so the services and the UI can build one without importing reportlab at start-up.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class ReportTable:
    heading: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    bars: tuple[float, ...] = ()  # with one share 0 … 1 per row: a bar column is drawn last
    empty: str = ""  # said instead of an empty table


@dataclass(frozen=True, slots=True)
class ReportTrend:
    heading: str
    labels: tuple[str, ...]  # one per week
    series: tuple[tuple[str, tuple[int, ...]], ...]  # (legend, one value per week); the first is navy, then red


@dataclass(frozen=True, slots=True)
class DashboardReport:
    title: str
    subtitle: str  # the period and the filters
    facts: tuple[str, ...]  # short lines under the title (e.g. the median time to sign)
    tables: tuple[ReportTable, ...]
    trend: ReportTrend | None = None
    footer: str = ""
    extra: dict[str, str] = field(default_factory=dict)  # PDF metadata: author, subject
