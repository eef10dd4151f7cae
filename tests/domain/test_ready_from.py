"""Rules v2 "Ready from": READY for the scheduled start, but not yet now, names the earliest start."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from checklist_app.domain.readiness import evaluate, ready_after_waiting
from checklist_app.domain.records import parse_record
from tests.helpers.forms import FORM, NOW, SCHEDULED, SEDATION_ANSWERS, assess, before, ready_record

APIXABAN = "apixaban"  # 72 h minimum


def with_apixaban(hours_before_start: float, now: datetime = NOW) -> dict[str, object]:
    result = assess(
        ready_record({"anticoagulants": [{"drug": APIXABAN, "last_dose_at": before(hours_before_start)}]}), now
    ).to_json()
    result["computed"].setdefault("ready_from", None)  # absent in the JSON means null
    return result


def test_ready_now_has_no_ready_from() -> None:
    assert assess(ready_record()).ready_from is None


def test_a_hold_that_completes_before_the_start_gives_its_eligible_time() -> None:
    # Last dose 73 h before 10:00: eligible 09:00, after now (08:00).
    result = with_apixaban(73)
    assert result["state"] == "ready"
    assert datetime.fromisoformat(result["computed"]["ready_from"]) == SCHEDULED - timedelta(hours=1)


def test_a_hold_already_complete_now_gives_no_ready_from() -> None:
    assert with_apixaban(150)["computed"]["ready_from"] is None


def test_a_hold_completing_exactly_now_gives_no_ready_from() -> None:
    assert with_apixaban(74)["computed"]["ready_from"] is None  # eligible at 08:00 = now


def test_not_ready_has_no_ready_from() -> None:
    result = with_apixaban(50)
    assert result["state"] == "not_ready" and result["computed"]["ready_from"] is None


def test_incomplete_has_no_ready_from() -> None:
    result = assess(
        ready_record({"anticoagulants": [{"drug": APIXABAN, "last_dose_at": before(73)}]}, drop=["consent.signed"])
    )
    assert result.state == "incomplete" and result.ready_from is None


def test_the_latest_of_holds_and_fasts_decides() -> None:
    answers = {
        **SEDATION_ANSWERS,
        "fasting.last_solids_at": before(8.5),  # 8 h fast ends at 09:30
        "anticoagulants": [{"drug": APIXABAN, "last_dose_at": before(72.75)}],
    }  # eligible 09:15
    result = assess(ready_record(answers))
    assert result.state == "ready"
    assert result.ready_from == SCHEDULED - timedelta(minutes=30)


def test_ready_from_is_written_in_the_procedure_offset() -> None:
    assert with_apixaban(73)["computed"]["ready_from"] == "2026-11-24T09:00:00-05:00"


@settings(max_examples=100, deadline=None)
@given(hours=st.floats(0.5, 200), delay=st.integers(0, 24 * 60))
def test_ready_from_is_never_before_now_nor_after_the_procedure_time(hours: float, delay: int) -> None:
    now = NOW + timedelta(minutes=delay)
    record = ready_record(
        {"anticoagulants": [{"drug": APIXABAN, "last_dose_at": (NOW - timedelta(hours=hours)).isoformat()}]}
    )
    result = assess(record, now)
    start = result.ready_from
    if start is not None:
        assert result.state == "ready"
        assert now < start <= max(SCHEDULED, now)


# -- ready_after_waiting: what the worklist shows ("ready from 10:00") -----------------------------------------


def waiting(answers: dict[str, object], now: datetime, *, drop: tuple[str, ...] = ()) -> datetime | None:
    record = parse_record(ready_record(answers, drop=drop))
    return ready_after_waiting(FORM, record, now, evaluate(FORM, record, now))


def test_a_delayed_case_blocked_only_by_a_hold_is_ready_when_the_hold_ends() -> None:
    # Scheduled 10:00, now 10:30 (delayed): the apixaban dose 72 h before 11:00 is eligible at 11:00.
    late = SCHEDULED + timedelta(minutes=30)
    answers = {"anticoagulants": [{"drug": APIXABAN, "last_dose_at": before(71)}]}
    assert assess(ready_record(answers), late).state == "not_ready"
    assert waiting(answers, late) == SCHEDULED + timedelta(hours=1)


def test_a_hold_and_another_blocker_give_no_time() -> None:
    """Waiting does not sign the consent: a case with any other blocker has no "ready from"."""
    answers = {"anticoagulants": [{"drug": APIXABAN, "last_dose_at": before(71)}], "consent.signed": "not_met"}
    assert waiting(answers, SCHEDULED + timedelta(minutes=30)) is None


def test_a_hold_that_ends_while_something_is_missing_gives_no_time() -> None:
    answers = {"anticoagulants": [{"drug": APIXABAN, "last_dose_at": before(71)}]}
    assert waiting(answers, SCHEDULED + timedelta(minutes=30), drop=("vitals.recorded",)) is None


def test_a_ready_case_waits_for_its_ready_from() -> None:
    answers = {"anticoagulants": [{"drug": APIXABAN, "last_dose_at": before(73)}]}
    assert waiting(answers, NOW) == SCHEDULED - timedelta(hours=1)
    assert waiting({}, NOW) is None  # ready now: nothing to wait for
