"""How times and durations are shown to a nurse: in the procedure's offset, short and unambiguous."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo


def local_now(*, whole_minutes: bool = False) -> datetime:
    """The workstation's time with its UTC offset; `whole_minutes` for what a nurse types (no seconds)."""
    now = datetime.now().astimezone()
    return now.replace(second=0, microsecond=0) if whole_minutes else now


def moment_text(moment: datetime | None) -> str:
    """'2026-11-24 09:30' in this workstation's time zone, always with the year (records span years) and
    re-parseable by the date/time entry; '' for no moment."""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M") if moment else ""


def hours(delta: timedelta) -> float:
    return delta.total_seconds() / 3600


def tenths_down(delta: timedelta) -> float:
    """Hours to one decimal, cut (never rounded) up: 71.99 h held is 71.9, not the 72 a hold needs."""
    return (delta // timedelta(minutes=6)) / 10


def hours_text(value: float) -> str:
    """'49 h', '71.9 h' — one decimal only when it matters, and never rounding up to a limit."""
    tenths = int(value * 10) / 10  # truncate: 71.96 h must not read as "72 h"
    return f"{tenths:g} h" if tenths != int(tenths) else f"{int(tenths)} h"


def when_text(moment: datetime, tz: tzinfo | None) -> str:
    """'Tue 24 Nov 08:00' in the procedure's offset; every use is a "not before" time, so a moment with
    seconds rounds UP to the next minute (09:30:36 must not read 09:30, when the patient is still blocked)."""
    local = moment.astimezone(tz) if tz else moment
    if local.second or local.microsecond:
        local = local.replace(second=0, microsecond=0) + timedelta(minutes=1)
    return local.strftime("%a %d %b %H:%M")


def future_text(moment: datetime, now: datetime) -> str:
    """Why a past time was refused, as a nurse says it: '22:00 today is in the future — did you mean yesterday
    22:00?' (in the workstation's time; the suggestion only when a day earlier is in the past)."""
    local, here = moment.astimezone(), now.astimezone()
    clock = local.strftime("%H:%M")
    days = (local.date() - here.date()).days
    said = {0: f"{clock} today", 1: f"{clock} tomorrow"}.get(days, local.strftime("%a %d %b %Y %H:%M"))
    earlier = local - timedelta(days=1)
    if days in (0, 1) and earlier <= here:
        guess = "yesterday" if days == 0 else "today"
        return f"{said} is in the future — did you mean {clock} {guess}?"
    return f"{said} is in the future; enter when it happened."
