"""Readiness rules of clinical.md: required and conditional items, N/A, hard stops, pregnancy, contrast, glucose."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from checklist_app.domain.errors import RecordError
from checklist_app.domain.forms import FormDefinition
from checklist_app.domain.readiness import Readiness
from checklist_app.domain.records import parse_record
from tests.helpers.forms import (
    FORM,
    FORM_V1,
    NOW,
    READY_ANSWERS,
    SCHEDULED,
    assess,
    before,
    blocker_ids,
    iso,
    ready_record,
    warning_ids,
)

CHECKS = [item_id for item_id, value in READY_ANSWERS.items() if value == "met"]
HARD_STOPS = ["patient.two_identifiers", "consent.signed", "procedure.verified"]


def test_the_base_record_is_ready() -> None:
    result = assess(ready_record())
    assert (result.state, result.blockers, result.missing, result.warnings) == ("ready", (), (), ())


# Required items.


@pytest.mark.parametrize("item_id", list(READY_ANSWERS))
def test_an_unanswered_required_item_is_missing(item_id: str) -> None:
    result = assess(ready_record(drop=[item_id]))
    assert result.state == "incomplete"
    assert item_id in result.missing


@pytest.mark.parametrize("item_id", CHECKS)
def test_a_check_not_met_blocks(item_id: str) -> None:
    result = assess(ready_record({item_id: "not_met"}))
    assert result.state == "not_ready"
    assert blocker_ids(result) == [item_id]


@pytest.mark.parametrize("item_id", HARD_STOPS)
def test_a_hard_stop_not_met_is_a_hard_stop_without_override(item_id: str) -> None:
    blocker = assess(ready_record({item_id: "not_met"})).blockers[0]
    assert blocker.hard_stop is True
    assert blocker.override_allowed is False
    assert "hard stop" in blocker.reason


def test_a_blocker_wins_over_missing_items() -> None:
    result = assess(ready_record({"consent.signed": "not_met"}, drop=["imaging.reviewed"]))
    assert result.state == "not_ready"
    assert result.missing == ("imaging.reviewed",)


def test_a_warning_alone_keeps_the_record_ready() -> None:
    result = assess(ready_record({"diabetes.present": "yes", "glucose.mg_dl": 250}))
    assert result.state == "ready"
    assert warning_ids(result) == ["glucose.mg_dl"]


# N/A on checks.


def test_na_without_a_reason_counts_as_unanswered() -> None:
    result = assess(ready_record({"site.marked": "na"}))
    assert result.state == "incomplete"
    assert result.missing == ("site.marked",)


def test_na_with_a_blank_reason_counts_as_unanswered() -> None:
    result = assess(ready_record({"site.marked": {"value": "na", "note": "   "}}))
    assert result.missing == ("site.marked",)


def test_site_marked_na_with_a_reason_is_accepted() -> None:
    result = assess(ready_record({"site.marked": {"value": "na", "note": "midline approach"}}))
    assert result.state == "ready"


def test_site_marked_na_reason_may_be_given_as_na_reason() -> None:
    result = assess(ready_record({"site.marked": {"value": "na", "na_reason": "midline approach"}}))
    assert result.state == "ready"


def test_na_with_a_reason_on_an_item_that_does_not_allow_it_blocks() -> None:
    result = assess(ready_record({"imaging.reviewed": {"value": "na", "note": "no imaging"}}))
    assert blocker_ids(result) == ["imaging.reviewed"]
    assert "N/A is not accepted" in result.blockers[0].reason


def test_na_on_a_hard_stop_blocks_as_a_hard_stop() -> None:
    blocker = assess(ready_record({"consent.signed": {"value": "na", "note": "emergency"}})).blockers[0]
    assert (blocker.item, blocker.hard_stop) == ("consent.signed", True)


def test_na_without_reason_on_an_item_that_does_not_allow_it_is_missing() -> None:
    result = assess(ready_record({"imaging.reviewed": "na"}))
    assert result.state == "incomplete"
    assert result.missing == ("imaging.reviewed",)


# Conditional items whose condition does not hold are ignored, even when answered.


@pytest.mark.parametrize(
    "answers",
    [
        {
            "sedation.planned": "no",
            "escort.arranged": "not_met",
            "iv.access": "not_met",
            "personnel.sedation_provider": "not_met",
        },
        {"diabetes.present": "no", "glucose.mg_dl": 400},
        {"contrast.prior_reaction": "no", "contrast.plan": "proceed_without_premedication"},
        {
            "contrast.prior_reaction": "yes",
            "contrast.reaction_severity": "mild",
            "contrast.plan": "no_contrast",
            "contrast.premedication_complete": "not_met",
        },
        {"labs.inr": 3.0, "labs.crcl_ml_min": 20},
        {"pregnancy.status": "pregnant"},  # a male patient
    ],
    ids=["sedation-items", "glucose", "contrast-plan", "premedication", "labs", "pregnancy-male"],
)
def test_answered_items_whose_condition_does_not_hold_are_ignored(answers: dict[str, object]) -> None:
    result = assess(ready_record(answers))
    assert (result.state, result.blockers, result.missing, result.warnings) == ("ready", (), (), ())


def test_an_ignored_answer_is_kept_in_the_record() -> None:
    record = parse_record(ready_record({"escort.arranged": "not_met"}))
    assert record.to_json()["answers"]["escort.arranged"] == "not_met"


# Pregnancy: patients aged 12-50 on the procedure date, in the offset of scheduled_at; v1 asked female patients
# only, v2 every patient who is not male.


def pregnancy_required(
    birth_date: str,
    sex: str = "female",
    scheduled_at: str = iso(SCHEDULED),
    now: datetime = NOW,
    form: FormDefinition = FORM,
) -> bool:
    record = ready_record(
        patient={"sex": sex, "birth_date": birth_date}, procedure={"scheduled_at": scheduled_at}, form=form
    )
    return "pregnancy.status" in assess(record, now, form=form).missing


def test_pregnancy_status_is_required_for_a_35_year_old_woman() -> None:
    assert pregnancy_required("1991-03-10") is True


@pytest.mark.parametrize("sex", ["male", "other", "unknown"])
def test_v1_form_asks_pregnancy_status_only_of_female_patients(sex: str) -> None:
    assert pregnancy_required("1991-03-10", sex=sex, form=FORM_V1) is False


def test_pregnancy_status_is_not_asked_of_a_male_patient() -> None:
    assert pregnancy_required("1991-03-10", sex="male") is False


@pytest.mark.parametrize("sex", ["other", "unknown"])
def test_pregnancy_status_is_asked_of_every_patient_not_male(sex: str) -> None:
    assert pregnancy_required("1991-03-10", sex=sex) is True


def test_pregnancy_status_is_required_at_50_the_day_before_turning_51() -> None:
    assert pregnancy_required("1975-11-25") is True


def test_pregnancy_status_is_not_required_when_turning_51_on_the_procedure_date() -> None:
    assert pregnancy_required("1975-11-24") is False


def test_pregnancy_status_is_required_when_turning_50_on_the_procedure_date() -> None:
    assert pregnancy_required("1976-11-24") is True


def test_pregnancy_status_is_required_when_turning_12_on_the_procedure_date() -> None:
    assert pregnancy_required("2014-11-24") is True


def test_pregnancy_status_is_not_required_at_11() -> None:
    assert pregnancy_required("2014-11-25") is False


def test_age_uses_the_local_date_of_scheduled_at_not_utc() -> None:
    # 23:30 at -05:00 on the 24th is already the 25th in UTC, when she would be 51.
    assert pregnancy_required("1975-11-25", scheduled_at="2026-11-24T23:30:00-05:00") is True


def test_age_uses_the_local_date_of_scheduled_at_east_of_utc() -> None:
    # 00:30 at +09:00 on the 25th is still the 24th in UTC, when she would be 50.
    assert pregnancy_required("1975-11-25", scheduled_at="2026-11-25T00:30:00+09:00") is False


def test_age_of_a_case_delayed_past_midnight_uses_the_new_date() -> None:
    assert pregnancy_required("1975-11-25", now=SCHEDULED + timedelta(days=1)) is False


@pytest.mark.parametrize("status", ["pregnant", "unknown"])
def test_pregnant_or_unknown_status_blocks(status: str) -> None:
    record = ready_record({"pregnancy.status": status}, patient={"sex": "female", "birth_date": "1991-03-10"})
    assert blocker_ids(assess(record)) == ["pregnancy.status"]


@pytest.mark.parametrize("status", ["not_pregnant_test_negative", "not_pregnant_attested", "not_applicable"])
def test_not_pregnant_or_not_applicable_status_is_ready(status: str) -> None:
    record = ready_record({"pregnancy.status": status}, patient={"sex": "female", "birth_date": "1991-03-10"})
    assert assess(record).state == "ready"


# Contrast: prior reaction -> plan -> premedication.


def assess_v1(answers: dict[str, object]) -> Readiness:
    """A v1 record (form 2026.11.1) judged by the v1 form, as its pinned form."""
    return assess(ready_record(answers, form=FORM_V1), form=FORM_V1)


def test_prior_contrast_reaction_requires_a_contrast_plan_v1() -> None:
    result = assess_v1({"contrast.prior_reaction": "yes"})
    assert result.missing == ("contrast.plan",)


def test_premedicated_plan_requires_premedication_complete_v1() -> None:
    result = assess_v1({"contrast.prior_reaction": "yes", "contrast.plan": "premedicated"})
    assert result.missing == ("contrast.premedication_complete",)


def test_premedication_not_complete_blocks() -> None:
    result = assess(
        ready_record(
            {
                "contrast.prior_reaction": "yes",
                "contrast.plan": "premedicated",
                "contrast.reaction_severity": "severe",
                "contrast.premedication_complete": "not_met",
            }
        )
    )
    assert blocker_ids(result) == ["contrast.premedication_complete"]


def test_premedication_complete_is_ready_v1() -> None:
    result = assess_v1(
        {"contrast.prior_reaction": "yes", "contrast.plan": "premedicated", "contrast.premedication_complete": "met"}
    )
    assert result.state == "ready"


def test_no_contrast_plan_needs_no_premedication_v1() -> None:
    result = assess_v1({"contrast.prior_reaction": "yes", "contrast.plan": "no_contrast"})
    assert result.state == "ready"


def test_contrast_without_premedication_after_a_reaction_warns_v1() -> None:
    result = assess_v1({"contrast.prior_reaction": "yes", "contrast.plan": "proceed_without_premedication"})
    assert result.state == "ready"
    assert warning_ids(result) == ["contrast.plan"]


# Contrast under v2 (severity, gadolinium) is in test_contrast.py; the v1 rules above stay for v1 records.

# Glucose with diabetes.


def test_diabetes_requires_a_glucose() -> None:
    result = assess(ready_record({"diabetes.present": "yes"}))
    assert result.missing == ("glucose.mg_dl",)


def test_glucose_201_with_diabetes_warns() -> None:
    result = assess(ready_record({"diabetes.present": "yes", "glucose.mg_dl": 201}))
    assert warning_ids(result) == ["glucose.mg_dl"]
    assert "above 200" in result.warnings[0].reason


def test_glucose_exactly_200_does_not_warn() -> None:
    result = assess(ready_record({"diabetes.present": "yes", "glucose.mg_dl": 200}))
    assert result.warnings == ()


# Bleeding risk.


def test_unanswered_bleeding_risk_is_missing_and_the_risk_class_provisional() -> None:
    result = assess(ready_record(drop=["bleeding_risk.elevated"]))
    assert result.missing == ("bleeding_risk.elevated",)
    assert "provisional" in result.warnings[0].reason


# Time used by the rules.


def test_procedure_time_is_the_scheduled_time_when_now_is_earlier() -> None:
    assert assess(ready_record(), now=NOW).computed["procedure_time"] == iso(SCHEDULED)


def test_procedure_time_of_a_delayed_case_is_now_in_the_scheduled_offset() -> None:
    late = datetime(2026, 11, 24, 17, 15, tzinfo=UTC)  # 12:15 at -05:00
    assert assess(ready_record(), now=late).computed["procedure_time"] == "2026-11-24T12:15:00-05:00"


def test_delayed_case_is_ready_once_the_hold_is_reached_at_now() -> None:
    record = ready_record({"anticoagulants": [{"drug": "apixaban", "last_dose_at": before(71.5)}]})
    assert assess(record, now=NOW).state == "not_ready"
    assert assess(record, now=SCHEDULED + timedelta(hours=0.5)).state == "ready"


# Bad input: RecordError naming where, never a wrong verdict.


def test_last_dose_later_than_now_is_bad_input() -> None:
    record = ready_record({"anticoagulants": [{"drug": "apixaban", "last_dose_at": before(1)}]})
    with pytest.raises(RecordError, match=r"anticoagulants\[0\]\.last_dose_at.*later than now"):
        assess(record)


def test_naive_scheduled_at_is_bad_input() -> None:
    with pytest.raises(RecordError, match=r"procedure\.scheduled_at.*no UTC offset"):
        assess(ready_record(procedure={"scheduled_at": "2026-11-24T10:00:00"}))


def test_naive_last_dose_is_bad_input() -> None:
    record = ready_record({"anticoagulants": [{"drug": "apixaban", "last_dose_at": "2026-11-20T10:00:00"}]})
    with pytest.raises(RecordError, match="no UTC offset"):
        assess(record)


def test_naive_fasting_time_is_bad_input() -> None:
    with pytest.raises(RecordError, match=r"fasting\.last_solids_at.*no UTC offset"):
        assess(ready_record({"fasting.last_solids_at": "2026-11-23T22:00:00"}))


def test_naive_now_is_bad_input() -> None:
    with pytest.raises(RecordError, match="now"):
        assess(ready_record(), now=NOW.replace(tzinfo=None))


def test_unknown_item_id_is_bad_input() -> None:
    with pytest.raises(RecordError, match=r"answers\.consent\.signed_twice.*unknown item id"):
        assess(ready_record({"consent.signed_twice": "met"}))


def test_unknown_drug_code_is_bad_input() -> None:
    record = ready_record({"anticoagulants": [{"drug": "aspirin", "last_dose_at": before(200)}]})
    with pytest.raises(RecordError, match="unknown drug code 'aspirin'"):
        assess(record)


@pytest.mark.parametrize(
    ("item_id", "value"),
    [
        ("labs.inr", 25),
        ("labs.inr", 0.4),
        ("glucose.mg_dl", 5),
        ("labs.crcl_ml_min", -1),
    ],
)
def test_a_number_outside_the_plausible_range_is_bad_input(item_id: str, value: float) -> None:
    with pytest.raises(RecordError, match=rf"{item_id}.*outside the plausible range"):
        assess(ready_record({item_id: value}))


@pytest.mark.parametrize(
    ("item_id", "value"),
    [
        ("consent.signed", "done"),
        ("sedation.planned", "maybe"),
        ("contrast.plan", "iodixanol"),
        ("labs.inr", "1.2"),
        ("anticoagulants", "none"),
    ],
)
def test_a_value_of_the_wrong_kind_is_bad_input(item_id: str, value: object) -> None:
    with pytest.raises(RecordError, match=re.escape(item_id)):
        assess(ready_record({item_id: value}))


def test_gadolinium_is_not_a_contrast_plan_of_the_v1_form() -> None:
    with pytest.raises(RecordError, match=re.escape("contrast.plan")):
        assess(ready_record({"contrast.plan": "gadolinium"}, form=FORM_V1), form=FORM_V1)


def test_birth_date_after_the_procedure_is_bad_input() -> None:
    with pytest.raises(RecordError, match="birth_date"):
        assess(ready_record(patient={"birth_date": "2027-01-01"}))


def test_unknown_procedure_type_is_bad_input() -> None:
    with pytest.raises(RecordError, match=r"procedure\.type"):
        assess(ready_record(procedure={"type": "facet_injection"}))


def test_record_for_another_form_is_bad_input() -> None:
    record = ready_record()
    record["form"] = "other-form"
    with pytest.raises(RecordError, match="form"):
        assess(record)


def test_items_of_the_form_are_the_ones_the_record_uses() -> None:
    # Guard for the builders: the READY answers only use ids of the shipped form.
    assert set(READY_ANSWERS) <= set(FORM.items)
