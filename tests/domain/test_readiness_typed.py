"""Readiness carries typed fields (risk class, procedure time, age, holds, fasting, ready_from, typed answers)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from checklist_app.domain.errors import RecordError
from checklist_app.domain.fasting import FastingResult
from checklist_app.domain.holds import HoldResult, HoldVerdict
from checklist_app.domain.readiness import evaluate
from checklist_app.domain.records import parse_record
from tests.helpers.forms import FORM, NOW, SCHEDULED, assess, before, ready_record


def test_typed_fields_of_a_ready_record() -> None:
    result = assess(ready_record())
    assert (result.procedure_time, result.risk_class, result.ready_from) == (SCHEDULED, "intermediate", None)
    assert isinstance(result.age, int)
    assert result.holds == () and (result.fasting.required, result.fasting.ok) == (False, True)


def test_hold_rows_and_fasting_are_result_models_with_datetimes() -> None:
    result = assess(
        ready_record(
            {
                "anticoagulants": [{"drug": "apixaban", "last_dose_at": before(49)}],
                "sedation.planned": "yes",
                "escort.arranged": "met",
                "iv.access": "met",
                "personnel.sedation_provider": "met",
                "fasting.last_solids_at": before(10),
                "fasting.last_clear_liquids_at": before(3),
            }
        )
    )
    (hold,) = result.holds
    assert isinstance(hold, HoldResult) and hold.eligible_at == SCHEDULED + timedelta(hours=72 - 49)
    assert hold.verdict is HoldVerdict.BLOCKER
    assert all(isinstance(f, FastingResult) for f in result.fasting.items) and result.fasting.ok is True


def test_ready_from_stays_out_of_the_json_until_it_is_set() -> None:
    result = assess(ready_record())
    assert "ready_from" not in result.to_json()["computed"]
    later = result.model_copy(update={"ready_from": SCHEDULED})
    assert later.to_json()["computed"]["ready_from"] == SCHEDULED.isoformat()


@pytest.mark.parametrize(
    ("answers", "verdict", "finding"),
    [
        ({"anticoagulants": [{"drug": "apixaban", "last_dose_at": before(10)}]}, HoldVerdict.BLOCKER, "blocker"),
        ({"anticoagulants": [{"drug": "apixaban", "last_dose_at": before(80)}]}, HoldVerdict.WARNING, "warning"),
        ({"anticoagulants": [{"drug": "apixaban", "last_dose_at": before(200)}]}, HoldVerdict.OK, "ok"),
        ({"anticoagulants": [{"drug": "dabigatran", "last_dose_at": before(100)}]}, HoldVerdict.NEEDS_LAB, "warning"),
    ],
)
def test_hold_verdict_and_the_json_verdict_string(
    answers: dict[str, object], verdict: HoldVerdict, finding: str
) -> None:
    result = assess(ready_record(answers))
    (hold,) = result.holds
    assert hold.verdict is verdict and verdict.finding == finding
    assert result.to_json()["computed"]["anticoagulants"][0]["verdict"] == finding


def test_values_are_the_typed_answers() -> None:
    result = assess(ready_record({"fasting.last_solids_at": before(10)}))
    assert isinstance(result.values["fasting.last_solids_at"], datetime)
    assert "values" not in result.to_json()


def test_checked_answers_are_taken_as_given_and_the_rest_still_checked() -> None:
    record = parse_record(ready_record({"labs.inr": 25}))  # out of range: bad input if checked
    with pytest.raises(RecordError, match="plausible range"):
        evaluate(FORM, record, NOW)
    assert evaluate(FORM, record, NOW, checked={"labs.inr": 1.0}).values["labs.inr"] == 1.0
    bad = parse_record(ready_record({"labs.inr": 25, "consent.signed": "maybe"}))
    with pytest.raises(RecordError, match=r"consent\.signed"):
        evaluate(FORM, bad, NOW, checked={"labs.inr": 1.0})
