"""How old a result is (an INR sample, a pregnancy test) against the most the form accepts before the case."""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict

from .timefmt import tenths_down


class AgeResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    item: str
    taken_at: datetime
    max_hours: float
    age_hours: float
    ok: bool
    reason: str


def _moment(value: datetime, at: datetime) -> str:
    # Cut to the minute, never rounded up: a sample "from 09:59" must not read as inside the limit.
    return value.astimezone(at.tzinfo).strftime("%a %d %b %H:%M")


def assess_age(
    item_id: str, label: str, taken_at: datetime, procedure_time: datetime, max_hours: float, advice: str
) -> AgeResult:
    """Exactly `max_hours` old is still accepted; one minute more is not."""
    age = procedure_time - taken_at
    ok = age <= timedelta(hours=max_hours)
    if ok:
        reason = f"{label}: {_moment(taken_at, procedure_time)}, within {max_hours:g} h of the procedure"
    else:
        reason = (
            f"{label} {_moment(taken_at, procedure_time)} — more than {max_hours:g} h before the procedure "
            f"at {_moment(procedure_time, procedure_time)}" + (f": {advice}" if advice else "")
        )
    return AgeResult(
        item=item_id, taken_at=taken_at, max_hours=max_hours, age_hours=tenths_down(age), ok=ok, reason=reason
    )
