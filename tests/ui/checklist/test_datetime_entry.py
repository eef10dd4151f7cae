"""What a nurse types as a time becomes the moment she meant, in the workstation's offset — or a clear refusal."""

from __future__ import annotations

from datetime import datetime

import pytest

from checklist_app.ui.checklist.datetime_entry import ago_text, moment_text, parse_moment

NOW = datetime(2026, 11, 25, 9, 41).astimezone()  # a Wednesday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("08:00", datetime(2026, 11, 25, 8, 0)),
        ("0800", datetime(2026, 11, 25, 8, 0)),
        ("8:05", datetime(2026, 11, 25, 8, 5)),
        ("yesterday 20:00", datetime(2026, 11, 24, 20, 0)),
        ("y 2000", datetime(2026, 11, 24, 20, 0)),
        ("sat 08:00", datetime(2026, 11, 21, 8, 0)),
        ("Saturday 08:00", datetime(2026, 11, 21, 8, 0)),
        ("wed 07:00", datetime(2026, 11, 25, 7, 0)),  # today's weekday is today, not a week ago
        ("2026-11-21 08:00", datetime(2026, 11, 21, 8, 0)),
        ("2026-11-21T08:00:00", datetime(2026, 11, 21, 8, 0)),
        ("  today   06:30 ", datetime(2026, 11, 25, 6, 30)),
    ],
)
def test_typed_times(text: str, expected: datetime) -> None:
    moment = parse_moment(text, NOW)
    assert moment == expected.astimezone() and moment.utcoffset() is not None


def test_now_and_empty() -> None:
    assert parse_moment("NOW", NOW) == NOW
    assert parse_moment("   ", NOW) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("25:00", "not a time of day"),
        ("8", "not a time"),
        ("2026-02-30 08:00", "not a real date"),
        ("last week 08:00", "not a date and time"),
        ("tomorrowish 08:00", "not a day"),
    ],
)
def test_refusals_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_moment(text, NOW)


def test_shown_text_reads_back_to_the_same_moment() -> None:
    moment = datetime(2026, 11, 21, 8, 0).astimezone()
    assert parse_moment(moment_text(moment), NOW) == moment


def test_ago_text_names_the_day_so_a_wrong_day_shows() -> None:
    assert ago_text(datetime(2026, 11, 24, 20, 0).astimezone(), NOW) == "Tue 24 Nov 20:00 · 13 h ago"
    assert ago_text(datetime(2026, 11, 21, 8, 0).astimezone(), NOW).endswith("4 d 1 h ago")
    assert ago_text(datetime(2026, 11, 25, 9, 30).astimezone(), NOW).endswith("11 min ago")


def test_the_field_shows_the_forms_it_reads(qtbot) -> None:
    """Issue 12 item 7: the empty field says it takes "yesterday 22:00", and shows that hint whole."""
    from checklist_app.ui.checklist.datetime_entry import DateTimeEntry

    entry = DateTimeEntry("Last clear liquids")
    qtbot.addWidget(entry)
    entry.show()
    placeholder = entry.edit.placeholderText()
    assert "yesterday 22:00" in placeholder and "now" in entry.edit.toolTip()
    assert parse_moment("yesterday 22:00", datetime.now().astimezone()) is not None  # what it shows, it reads
    assert entry.edit.width() >= entry.edit.fontMetrics().horizontalAdvance(placeholder)
