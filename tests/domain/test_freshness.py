"""Rules v2 result ages: an INR from the day (24 h) and a negative pregnancy test within 72 h."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.helpers.forms import FORM, NOW, SCHEDULED, assess, before, blocker_ids, iso, ready_record

WARFARIN = {"anticoagulants": [{"drug": "warfarin", "last_dose_at": before(200)}], "labs.inr": 1.1}


def inr_case(taken_hours_before_start: float, now: Any = NOW) -> Any:
    return assess(ready_record({**WARFARIN, "labs.inr_at": before(taken_hours_before_start)}), now)


def test_the_shipped_limits_are_24_h_for_the_inr_and_72_h_for_the_test() -> None:
    assert FORM.parameters["inr_max_age_hours"].value == 24
    assert FORM.parameters["inr_max_age_hours"].confirmed is False  # "INR on the day", Narouze 2018 [U]
    assert FORM.parameters["pregnancy_test_max_age_hours"].value == 72


def test_inr_taken_exactly_24_h_before_the_procedure_counts() -> None:
    result = inr_case(24)
    assert result.state == "ready"
    assert result.result_ages[0].ok is True


def test_inr_taken_24_h_1_min_before_the_procedure_blocks() -> None:
    result = inr_case(24 + 1 / 60)
    assert blocker_ids(result) == ["labs.inr_at"]
    reason = result.blockers[0].reason
    assert "Mon 23 Nov 09:59" in reason and "a result from the day is needed" in reason


def test_an_inr_of_1_2_drawn_last_week_is_not_ready() -> None:
    result = assess(ready_record({**WARFARIN, "labs.inr": 1.2, "labs.inr_at": before(7 * 24)}))
    assert result.state == "not_ready"
    assert blocker_ids(result) == ["labs.inr_at"]


def test_the_inr_time_is_required_whenever_the_inr_is() -> None:
    record = ready_record(WARFARIN)
    del record["answers"]["labs.inr_at"]
    assert assess(record).missing == ("labs.inr_at",)


def test_the_inr_age_counts_to_a_delayed_start() -> None:
    # Fine for the 10:00 start, too old once the case runs late and now is the procedure time.
    assert inr_case(23).state == "ready"
    late = inr_case(23, now=SCHEDULED + timedelta(hours=2))
    assert blocker_ids(late) == ["labs.inr_at"]


def test_the_creatinine_clearance_time_is_required_with_dabigatran_but_has_no_age_limit() -> None:
    answers = {"anticoagulants": [{"drug": "dabigatran", "last_dose_at": before(200)}], "labs.crcl_ml_min": 80}
    record = ready_record(answers)
    del record["answers"]["labs.crcl_at"]
    assert assess(record).missing == ("labs.crcl_at",)
    old = assess(ready_record({**answers, "labs.crcl_at": before(30 * 24)}))
    assert old.state == "ready"


# Pregnancy test.


def woman(**answers: Any) -> dict[str, Any]:
    return ready_record(
        {"pregnancy.status": "not_pregnant_test_negative", **answers},
        patient={"sex": "female", "birth_date": "1991-03-10"},
    )


def test_a_negative_test_needs_its_time() -> None:
    record = woman()
    del record["answers"]["pregnancy.test_at"]
    assert assess(record).missing == ("pregnancy.test_at",)


@pytest.mark.parametrize(("hours", "ok"), [(71.9, True), (72, True), (72 + 1 / 60, False), (14 * 24, False)])
def test_a_negative_test_counts_for_72_hours(hours: float, ok: bool) -> None:
    result = assess(woman(**{"pregnancy.test_at": before(hours)}))
    assert (result.state == "ready") is ok
    if not ok:
        assert blocker_ids(result) == ["pregnancy.test_at"]
        assert "repeat it" in result.blockers[0].reason


def test_an_attested_status_needs_no_test_time() -> None:
    record = woman(**{"pregnancy.status": "not_pregnant_attested"})
    del record["answers"]["pregnancy.test_at"]
    assert assess(record).state == "ready"


def test_a_30_year_old_of_unknown_sex_never_asked_about_pregnancy_is_incomplete() -> None:
    record = ready_record(patient={"sex": "unknown", "birth_date": "1996-05-01"})
    result = assess(record)
    assert result.state == "incomplete"
    assert result.missing == ("pregnancy.status",)


def test_exactly_on_the_procedure_date_the_age_is_counted_in_its_offset() -> None:
    # 72 h before a 10:00 -05:00 start is 10:00 -05:00 three days before, whatever offset the test was written in.
    taken = (SCHEDULED - timedelta(hours=72)).astimezone()
    assert assess(woman(**{"pregnancy.test_at": iso(taken)})).state == "ready"
