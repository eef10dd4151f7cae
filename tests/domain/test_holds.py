"""Antithrombotic holds against clinical.md's hold table (Narouze 2018), at both risk classes."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from tests.helpers.forms import (
    FORM,
    FORM_V1,
    NOW,
    SCHEDULED,
    assess,
    before,
    blocker_ids,
    iso,
    ready_record,
    warning_ids,
)

NONE, SHARED = "none", "shared"
Rule = str | int | tuple[int, int]  # "none", "shared", hours, or (min hours, preferred hours)

# clinical.md "Hold before the procedure", in hours: drug -> (intermediate, high).
HOLD_TABLE: dict[str, tuple[Rule, Rule]] = {
    "aspirin_primary": (SHARED, 144),
    "aspirin_secondary": (SHARED, SHARED),
    "ibuprofen": (NONE, 24),
    "diclofenac": (NONE, 24),
    "ketorolac": (NONE, 24),
    "etodolac": (NONE, 48),
    "indomethacin": (NONE, 48),
    "naproxen": (NONE, 96),
    "meloxicam": (NONE, 96),
    "nabumetone": (NONE, 144),
    "oxaprozin": (NONE, 240),
    "piroxicam": (NONE, 240),
    "cilostazol": (NONE, 48),
    "dipyridamole": (NONE, 48),
    "warfarin": (120, 120),
    "acenocoumarol": (72, 72),
    "heparin_iv": (6, 6),
    "heparin_sc": (6, 24),
    "enoxaparin_prophylactic": (12, 12),
    "enoxaparin_therapeutic": (24, 24),
    "dalteparin": (24, 24),
    "fondaparinux": (96, 96),
    "clopidogrel": (168, 168),
    "prasugrel": ((168, 240), (168, 240)),
    "ticagrelor": (120, 120),
    "cangrelor": (3, 3),
    "dabigatran": ((96, 120), (96, 120)),  # CrCl >= 50
    "rivaroxaban": (72, 72),
    "edoxaban": (72, 72),
    "apixaban": ((72, 120), (72, 120)),
}

# Labs that let the hold alone decide (INR at a normal value, CrCl normal).
NORMAL_LABS: dict[str, dict[str, float]] = {
    "warfarin": {"labs.inr": 1.0},
    "acenocoumarol": {"labs.inr": 1.0},
    "dabigatran": {"labs.crcl_ml_min": 80},
}

# The intermediate class comes from an interlaminar epidural, the high class from a subarachnoid injection.
PROCEDURE_FOR = {"intermediate": "interlaminar_epidural", "high": "subarachnoid_injection"}


def judge(
    drug: str,
    hours_held: float,
    *,
    risk: str = "intermediate",
    elevated: str = "no",
    answers: dict[str, Any] | None = None,
    now: datetime = NOW,
) -> tuple[Any, dict[str, Any]]:
    """Evaluate a READY record with one dose of `drug` taken `hours_held` before the scheduled start."""
    record = ready_record(
        {
            "anticoagulants": [{"drug": drug, "last_dose_at": before(hours_held)}],
            "bleeding_risk.elevated": elevated,
            **NORMAL_LABS.get(drug, {}),
            **(answers or {}),
        },
        procedure={"type": PROCEDURE_FOR[risk]},
    )
    result = assess(record, now)
    return result, result.computed["anticoagulants"][0]


def rows(kind: type) -> list[Any]:
    return [
        pytest.param(drug, risk, rule, id=f"{drug}-{risk}")
        for drug, rules in HOLD_TABLE.items()
        for risk, rule in zip(("intermediate", "high"), rules, strict=True)
        if isinstance(rule, kind)
    ]


# Rows marked [U] in clinical.md: a clinician must still confirm them, and the app says so.
UNCONFIRMED = {
    "fondaparinux",
    "clopidogrel",
    "prasugrel",
    "ticagrelor",
    "cangrelor",
    "dabigatran",
    "rivaroxaban",
    "edoxaban",
    "apixaban",
}


def test_v1_form_has_exactly_the_drug_codes_of_the_hold_table() -> None:
    assert set(FORM_V1.drug_table) == set(HOLD_TABLE)


def test_shipped_form_keeps_every_drug_of_the_v1_hold_table() -> None:
    assert set(HOLD_TABLE) <= set(FORM.drug_table)  # the v2 codes are checked in test_antithrombotics


@pytest.mark.parametrize("drug", sorted(HOLD_TABLE))
def test_hold_row_names_its_guideline_and_whether_it_is_confirmed(drug: str) -> None:
    _, row = judge(drug, 300)
    assert "Narouze" in row["source"]
    assert row["confirmed"] is (drug not in UNCONFIRMED)


@pytest.mark.parametrize(("drug", "risk", "required"), rows(int))
def test_a_tenth_of_an_hour_short_of_the_hold_blocks(drug: str, risk: str, required: int) -> None:
    result, row = judge(drug, required - 0.1, risk=risk)
    assert result.state == "not_ready"
    assert blocker_ids(result) == ["anticoagulants"]
    reason = result.blockers[0].reason
    assert f"held {required - 0.1:g} h of the required {required} h" in reason
    assert "eligible from" in reason
    assert row["status"] == "too_short"
    assert row["ok"] is False


@pytest.mark.parametrize(("drug", "risk", "required"), rows(int))
def test_exactly_the_required_hold_is_enough(drug: str, risk: str, required: int) -> None:
    result, row = judge(drug, required, risk=risk)
    assert result.state == "ready"
    assert "anticoagulants" not in warning_ids(result)
    assert row["status"] == "ok"
    assert row["required_hours"] == required


@pytest.mark.parametrize(("drug", "risk", "required"), rows(int))
def test_eligible_at_is_the_last_dose_plus_the_required_hours(drug: str, risk: str, required: int) -> None:
    _, row = judge(drug, required - 0.1, risk=risk)
    assert row["eligible_at"] == iso(SCHEDULED + timedelta(hours=0.1))


@pytest.mark.parametrize(("drug", "risk", "window"), rows(tuple))
def test_range_drug_below_the_minimum_blocks(drug: str, risk: str, window: tuple[int, int]) -> None:
    result, row = judge(drug, window[0] - 0.1, risk=risk)
    assert blocker_ids(result) == ["anticoagulants"]
    assert "eligible from" in result.blockers[0].reason
    assert row["eligible_at"] == iso(SCHEDULED + timedelta(hours=0.1))


@pytest.mark.parametrize(("drug", "risk", "window"), rows(tuple))
def test_range_drug_at_the_minimum_warns_within_the_guideline_range(
    drug: str, risk: str, window: tuple[int, int]
) -> None:
    result, row = judge(drug, window[0], risk=risk)
    assert result.state == "ready"
    assert warning_ids(result) == ["anticoagulants"]
    assert "within the guideline range" in result.warnings[0].reason
    assert row["status"] == "in_range"


@pytest.mark.parametrize(("drug", "risk", "window"), rows(tuple))
def test_range_drug_just_below_the_preferred_hold_still_warns(drug: str, risk: str, window: tuple[int, int]) -> None:
    result, _ = judge(drug, window[1] - 0.1, risk=risk)
    assert warning_ids(result) == ["anticoagulants"]


@pytest.mark.parametrize(("drug", "risk", "window"), rows(tuple))
def test_range_drug_at_the_preferred_hold_is_ok_without_warning(drug: str, risk: str, window: tuple[int, int]) -> None:
    result, row = judge(drug, window[1], risk=risk)
    assert result.state == "ready"
    assert result.warnings == ()
    assert row["status"] == "ok"


@pytest.mark.parametrize(("drug", "risk", "rule"), [p for p in rows(str) if p.values[2] == SHARED])
def test_shared_decision_warns_but_does_not_block(drug: str, risk: str, rule: str) -> None:
    result, row = judge(drug, 2, risk=risk)  # taken just now
    assert result.state == "ready"
    assert warning_ids(result) == ["anticoagulants"]
    assert "shared decision" in result.warnings[0].reason
    assert row["status"] == "shared"


@pytest.mark.parametrize(("drug", "risk", "rule"), [p for p in rows(str) if p.values[2] == NONE])
def test_no_hold_needed_at_this_class_neither_blocks_nor_warns(drug: str, risk: str, rule: str) -> None:
    result, row = judge(drug, 2, risk=risk)  # taken just now
    assert result.state == "ready"
    assert result.warnings == ()
    assert row["status"] == "no_hold"


# clinical.md "Restart after the procedure".
RESTART: dict[str, tuple[str, str]] = {
    **{
        drug: ("24 h", "24 h")
        for drug in (
            "aspirin_primary",
            "aspirin_secondary",
            "ibuprofen",
            "diclofenac",
            "ketorolac",
            "etodolac",
            "indomethacin",
            "naproxen",
            "meloxicam",
            "nabumetone",
            "oxaprozin",
            "piroxicam",
            "cilostazol",
            "dipyridamole",
            "clopidogrel",
            "prasugrel",
            "ticagrelor",
            "cangrelor",
            "dabigatran",
            "rivaroxaban",
            "edoxaban",
            "apixaban",
            "fondaparinux",
        )
    },
    "warfarin": ("6 h", "6 h"),
    "heparin_iv": ("2 h", "2 h"),
    "heparin_sc": ("2 h", "6 h"),
    "enoxaparin_prophylactic": ("12–24 h", "12–24 h"),
    "enoxaparin_therapeutic": ("12–24 h", "12–24 h"),
    "dalteparin": ("12–24 h", "12–24 h"),
}


@pytest.mark.parametrize(
    ("drug", "risk", "restart"),
    [
        pytest.param(drug, risk, text, id=f"{drug}-{risk}")
        for drug, texts in RESTART.items()
        for risk, text in zip(("intermediate", "high"), texts, strict=True)
    ],
)
def test_restart_after_the_procedure_is_printed(drug: str, risk: str, restart: str) -> None:
    _, row = judge(drug, 300, risk=risk)
    assert row["restart_after"] == f"{restart} after the procedure"


# Vitamin K antagonists: the hold and the INR on the day.


@pytest.mark.parametrize("drug", ["warfarin", "acenocoumarol"])
def test_vitamin_k_antagonist_without_inr_lists_inr_as_missing(drug: str) -> None:
    result, _ = judge(drug, 200, answers={"labs.inr": None})
    assert result.state == "incomplete"
    assert result.missing == ("labs.inr",)


@pytest.mark.parametrize("drug", ["warfarin", "acenocoumarol"])
def test_inr_exactly_at_inr_max_is_accepted(drug: str) -> None:
    result, _ = judge(drug, 200, answers={"labs.inr": 1.4})
    assert result.state == "ready"


@pytest.mark.parametrize("drug", ["warfarin", "acenocoumarol"])
def test_inr_above_inr_max_blocks_on_the_inr_item(drug: str) -> None:
    result, _ = judge(drug, 200, answers={"labs.inr": 1.5})
    assert blocker_ids(result) == ["labs.inr"]
    assert "1.5 is above 1.4" in result.blockers[0].reason


def test_warfarin_short_hold_blocks_even_with_a_normal_inr() -> None:
    result, _ = judge("warfarin", 119.9, answers={"labs.inr": 1.0})
    assert blocker_ids(result) == ["anticoagulants"]


# Dabigatran: creatinine clearance decides the interval.


def test_dabigatran_with_crcl_49_needs_144_hours() -> None:
    short, row = judge("dabigatran", 143.9, answers={"labs.crcl_ml_min": 49})
    enough, _ = judge("dabigatran", 144, answers={"labs.crcl_ml_min": 49})
    assert row["required_hours"] == 144
    assert blocker_ids(short) == ["anticoagulants"]
    assert enough.state == "ready"


def test_dabigatran_with_crcl_50_needs_96_hours() -> None:
    result, row = judge("dabigatran", 96, answers={"labs.crcl_ml_min": 50})
    assert row["required_hours"] == 96
    assert result.blockers == ()


def test_dabigatran_with_crcl_50_blocks_below_96_hours() -> None:
    result, _ = judge("dabigatran", 95.9, answers={"labs.crcl_ml_min": 50})
    assert blocker_ids(result) == ["anticoagulants"]


def test_dabigatran_without_crcl_lists_crcl_as_missing() -> None:
    result, _ = judge("dabigatran", 200, answers={"labs.crcl_ml_min": None})
    assert result.missing == ("labs.crcl_ml_min",)
    assert result.state == "incomplete"


def test_dabigatran_without_crcl_is_incomplete_not_blocked_between_the_two_holds() -> None:
    """clinical.md: CrCl missing → labs.crcl_ml_min missing; 100 h is enough unless CrCl turns out < 50."""
    result, row = judge("dabigatran", 100, answers={"labs.crcl_ml_min": None})
    assert result.state == "incomplete" and result.missing == ("labs.crcl_ml_min",)
    assert not result.blockers
    assert row["status"] == "lab_pending" and row["ok"] is False
    assert any("144 h if creatinine clearance < 50" in w.reason for w in result.warnings)


def test_dabigatran_without_crcl_still_blocks_below_the_usual_hold() -> None:
    result, row = judge("dabigatran", 90, answers={"labs.crcl_ml_min": None})
    assert result.state == "not_ready" and row["required_hours"] == 96
    assert "144 h if creatinine clearance < 50" in result.blockers[0].reason


# Several drugs, each judged on its own.


def test_each_listed_drug_is_judged_on_its_own() -> None:
    result, _ = judge(
        "apixaban",
        130,
        answers={
            "anticoagulants": [
                {"drug": "apixaban", "last_dose_at": before(130)},
                {"drug": "clopidogrel", "last_dose_at": before(100)},
            ]
        },
    )
    statuses = {row["drug"]: row["status"] for row in result.computed["anticoagulants"]}
    assert statuses == {"apixaban": "ok", "clopidogrel": "too_short"}
    assert blocker_ids(result) == ["anticoagulants"]
    assert "Clopidogrel" in result.blockers[0].reason


def test_two_short_holds_give_two_blockers() -> None:
    result, _ = judge(
        "apixaban",
        10,
        answers={
            "anticoagulants": [
                {"drug": "apixaban", "last_dose_at": before(10)},
                {"drug": "clopidogrel", "last_dose_at": before(10)},
            ]
        },
    )
    assert blocker_ids(result) == ["anticoagulants", "anticoagulants"]
    assert {"Apixaban", "Clopidogrel"} == {b.reason.split()[0] for b in result.blockers}


def test_a_warning_drug_and_a_blocking_drug_give_one_of_each() -> None:
    result, _ = judge(
        "aspirin_secondary",
        2,
        answers={
            "anticoagulants": [
                {"drug": "aspirin_secondary", "last_dose_at": before(2)},
                {"drug": "rivaroxaban", "last_dose_at": before(50)},
            ]
        },
    )
    assert blocker_ids(result) == ["anticoagulants"]
    assert warning_ids(result) == ["anticoagulants"]


def test_empty_medication_list_means_none_taken() -> None:
    result = assess(ready_record({"anticoagulants": []}))
    assert result.state == "ready"
    assert result.computed["anticoagulants"] == []


# Procedure risk class and its upgrade.


@pytest.mark.parametrize(
    ("procedure_type", "risk"),
    [
        ("interlaminar_epidural", "intermediate"),
        ("transforaminal_epidural", "intermediate"),
        ("caudal_epidural", "intermediate"),
        ("subarachnoid_injection", "high"),
    ],
)
def test_procedure_type_sets_the_risk_class(procedure_type: str, risk: str) -> None:
    result = assess(ready_record(procedure={"type": procedure_type}))
    assert result.computed["risk_class"] == risk


def test_ibuprofen_needs_no_hold_for_an_intermediate_procedure() -> None:
    result, _ = judge("ibuprofen", 10)
    assert result.state == "ready"


def test_elevated_bleeding_risk_moves_intermediate_to_high() -> None:
    result, row = judge("ibuprofen", 10, elevated="yes")
    assert result.computed["risk_class"] == "high"
    assert row["risk_class"] == "high"
    assert blocker_ids(result) == ["anticoagulants"]
    assert "required 24 h" in result.blockers[0].reason


def test_elevated_bleeding_risk_lengthens_the_sc_heparin_hold() -> None:
    normal, _ = judge("heparin_sc", 10)
    elevated, _ = judge("heparin_sc", 10, elevated="yes")
    assert normal.state == "ready"
    assert blocker_ids(elevated) == ["anticoagulants"]


def test_high_risk_stays_high_when_bleeding_risk_is_elevated() -> None:
    result, row = judge("heparin_sc", 24, risk="high", elevated="yes")
    assert result.computed["risk_class"] == "high"
    assert row["status"] == "ok"


def test_subarachnoid_injection_holds_ibuprofen_as_high_risk() -> None:
    result, _ = judge("ibuprofen", 23.9, risk="high")
    assert blocker_ids(result) == ["anticoagulants"]


# A delayed case is judged at the time it can really start.


def test_delayed_case_counts_the_hours_up_to_now() -> None:
    late_now = SCHEDULED + timedelta(hours=1)
    on_time, _ = judge("rivaroxaban", 71, now=NOW)
    delayed, row = judge("rivaroxaban", 71, now=late_now)
    assert blocker_ids(on_time) == ["anticoagulants"]
    assert delayed.state == "ready"
    assert row["elapsed_hours"] == 72


def test_one_second_short_never_reads_as_the_required_hours() -> None:
    result, row = judge("rivaroxaban", 72 - 1 / 3600)
    assert row["elapsed_hours"] == 71.9
    assert row["ok"] is False
    assert "held 71.9 h of the required 72 h" in result.blockers[0].reason


def test_eligible_from_rounds_up_to_the_next_minute() -> None:
    """A hold that ends at 09:30:36 reads 'eligible from ... 09:31', never a minute when it still blocks."""
    from datetime import timedelta

    from checklist_app.domain.timefmt import when_text

    moment = NOW.replace(hour=9, minute=30, second=36)
    assert when_text(moment, NOW.tzinfo).endswith("09:31")
    assert when_text(moment.replace(second=0), NOW.tzinfo).endswith("09:30")
    assert when_text(moment + timedelta(minutes=29, seconds=24), NOW.tzinfo).endswith("10:00")
