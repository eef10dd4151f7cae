"""How times are said to a nurse: a refused future time in the ward's words."""

from __future__ import annotations

from datetime import datetime, timedelta


def test_future_text_says_it_as_a_nurse_would() -> None:
    """No ISO text, no seconds: the clock time, the day in words, and the likely meant time."""
    from checklist_app.domain.timefmt import future_text

    now = datetime(2026, 12, 1, 21, 5).astimezone()
    assert future_text(now.replace(hour=22, minute=0), now) == (
        "22:00 today is in the future — did you mean 22:00 yesterday?"
    )
    assert future_text(now.replace(hour=20, minute=0) + timedelta(days=1), now) == (
        "20:00 tomorrow is in the future — did you mean 20:00 today?"
    )
    assert future_text(now + timedelta(days=5), now).endswith("is in the future; enter when it happened.")
