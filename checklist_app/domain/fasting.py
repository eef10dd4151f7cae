"""Fasting: time from the last intake to the procedure against the form's minimum (ASA 2017)."""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict

from .timefmt import hours, hours_text, tenths_down, when_text


class FastingResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    item: str
    last_at: datetime
    required_hours: float
    elapsed_hours: float
    earliest_start: datetime
    ok: bool
    reason: str


class FastingSummary(BaseModel):
    """Fasting over the whole record: whether it applies, and whether every fasting time is long enough."""

    model_config = ConfigDict(frozen=True)

    required: bool = False
    ok: bool | None = True  # None: required, but not every fasting time is recorded yet
    items: tuple[FastingResult, ...] = ()


def assess_fasting(
    item_id: str, label: str, last_at: datetime, procedure_time: datetime, min_hours: float
) -> FastingResult:
    """Hours are exact: 8 h elapsed is enough, 7.9 h is not."""
    tz = procedure_time.tzinfo
    elapsed = procedure_time - last_at
    earliest = (last_at + timedelta(hours=min_hours)).astimezone(tz)
    ok = elapsed >= timedelta(hours=min_hours)
    if ok:
        reason = f"{label}: {hours_text(hours(elapsed))} before the procedure (needs {min_hours:g} h)"
    else:
        reason = (
            f"{label}: only {hours_text(hours(elapsed))} before the procedure, {min_hours:g} h needed; "
            f"earliest start {when_text(earliest, tz)}"
        )
    return FastingResult(
        item=item_id,
        last_at=last_at,
        required_hours=min_hours,
        elapsed_hours=tenths_down(elapsed),
        earliest_start=earliest,
        ok=ok,
        reason=reason,
    )
