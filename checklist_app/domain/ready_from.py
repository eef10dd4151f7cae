"""READY for a start at or after …: the earliest instant at which every time rule (hold, fast) holds."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from .fasting import FastingResult
from .holds import HoldResult


def ready_from(ready: bool, now: datetime, procedure_time: datetime, holds: Iterable[HoldResult],
               fasting: Iterable[FastingResult]) -> datetime | None:
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
