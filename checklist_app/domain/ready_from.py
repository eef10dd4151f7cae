"""READY for a start at or after …: the earliest instant at which every time rule (hold, fast) holds."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from .fasting import FastingResult
from .holds import HoldResult


def ready_from(
    ready: bool, now: datetime, procedure_time: datetime, holds: Iterable[HoldResult], fasting: Iterable[FastingResult]
) -> datetime | None:
    """None when the case is ready now or not ready at all (clinical.md, Rules v2 "Ready from").

    Only rules that a wait satisfies count: a hold's eligible time and a fast's earliest start. A result's
    maximum age only gets worse with time, so it never moves this instant later.
    """
    if not ready:
        return None
    times = [h.eligible_at for h in holds if h.eligible_at is not None]
    times += [f.earliest_start for f in fasting]
    latest = max(times, default=None)
    if latest is None or latest <= now:
        return None
    return latest.astimezone(procedure_time.tzinfo)


def ready_from_text(moment: datetime, procedure_time: datetime) -> str:
    """'READY for a start at or after 10:00' (with the day when it is not the procedure's day)."""
    local = moment.astimezone(procedure_time.tzinfo)
    if local.second or local.microsecond:  # a "not before" time: never shown earlier than it is
        local = local.replace(second=0, microsecond=0) + timedelta(minutes=1)
    same_day = local.date() == procedure_time.astimezone(procedure_time.tzinfo).date()
    return (
        f"READY for a start at or after {local:%H:%M}"
        if same_day
        else f"READY for a start at or after {local:%a %d %b %H:%M}"
    )
