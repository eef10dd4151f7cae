"""Rules v2 for the antithrombotic list: concurrent drugs, the new codes, `other`, prescriber and thrombotic risk."""

from __future__ import annotations

from typing import Any

import pytest

from checklist_app.domain.errors import RecordError
from tests.helpers.forms import FORM, FORM_V1, assess, before, blocker_ids, ready_record, warning_ids

NONE, SHARED = "none", "shared"
Rule = str | int | tuple[int, int]

# clinical.md "Rules v2", new drug codes: drug -> (intermediate, high); (48, "shared") = interval then shared.
V2_HOLD_TABLE: dict[str, tuple[Rule, Rule]] = {
    "celecoxib": (NONE, NONE),
    "aspirin_dipyridamole": (SHARED, 48),
    "ticlopidine": (336, 336),
    "abciximab": ((24, 48), (24, 48)),
    "eptifibatide": ((4, 8), (4, 8)),
    "tirofiban": ((4, 8), (4, 8)),
    "garlic": (NONE, 168),
    "ginkgo": (NONE, 36),
    "herbal_other": (NONE, SHARED),
    "ssri_snri": (NONE, SHARED),
}
# [V] in clinical.md: garlic and ginkgo (ASRA News 2016); every other new code is [U].
V2_CONFIRMED = {"garlic", "ginkgo"}
PATIENT_MANAGED = {
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
    "celecoxib",
    "garlic",
    "ginkgo",
    "herbal_other",
    "ssri_snri",
}
PROCEDURE_FOR = {"intermediate": "interlaminar_epidural", "high": "subarachnoid_injection"}


def entry(drug: str, hours: float, **more: Any) -> dict[str, Any]:
    return {"drug": drug, "last_dose_at": before(hours), **more}


def case(*entries: dict[str, Any], kind: str = "interlaminar_epidural", **answers: Any) -> Any:
    return assess(ready_record({"anticoagulants": list(entries), **answers}, procedure={"type": kind}))


def rows(kind: type) -> list[Any]:
    return [
        pytest.param(drug, risk, rule, id=f"{drug}-{risk}")
        for drug, rules in V2_HOLD_TABLE.items()
        for risk, rule in zip(("intermediate", "high"), rules, strict=True)
        if isinstance(rule, kind)
    ]


def test_shipped_form_has_the_v1_and_the_v2_drug_codes_and_other() -> None:
    assert set(FORM.drug_table) == set(FORM_V1.drug_table) | set(V2_HOLD_TABLE) | {"other"}


@pytest.mark.parametrize("drug", sorted(V2_HOLD_TABLE))
def test_new_codes_carry_a_source_and_whether_they_are_confirmed(drug: str) -> None:
    row = FORM.drug_table[drug]
    assert FORM.source_text(row.source)
    assert row.confirmed is (drug in V2_CONFIRMED)


@pytest.mark.parametrize("drug", sorted(FORM.drug_table))
def test_only_nsaids_herbal_products_and_ssris_are_stopped_without_a_prescriber(drug: str) -> None:
    assert FORM.drug_table[drug].prescriber_managed is (drug not in PATIENT_MANAGED)


# The new hold rows, at and around each boundary.


@pytest.mark.parametrize(("drug", "risk", "required"), rows(int))
def test_new_code_one_minute_short_of_its_hold_blocks(drug: str, risk: str, required: int) -> None:
    result = case(entry(drug, required - 1 / 60), kind=PROCEDURE_FOR[risk])
    assert blocker_ids(result) == ["anticoagulants"]
    assert "eligible from" in result.blockers[0].reason


@pytest.mark.parametrize(("drug", "risk", "required"), rows(int))
def test_new_code_at_exactly_its_hold_does_not_block(drug: str, risk: str, required: int) -> None:
    result = case(entry(drug, required), kind=PROCEDURE_FOR[risk])
    assert "anticoagulants" not in blocker_ids(result)
    assert result.state == "ready"


@pytest.mark.parametrize(("drug", "risk", "window"), rows(tuple))
def test_new_range_code_at_its_minimum_warns_and_at_its_preferred_is_ok(
    drug: str, risk: str, window: tuple[int, int]
) -> None:
    short = case(entry(drug, window[0] - 0.1), kind=PROCEDURE_FOR[risk])
    assert blocker_ids(short) == ["anticoagulants"]
    at_min = case(entry(drug, window[0]), kind=PROCEDURE_FOR[risk])
    assert at_min.state == "ready" and warning_ids(at_min) == ["anticoagulants"]
    at_preferred = case(entry(drug, window[1]), kind=PROCEDURE_FOR[risk])
    assert at_preferred.state == "ready" and "anticoagulants" not in warning_ids(at_preferred)


@pytest.mark.parametrize(("drug", "risk", "rule"), rows(str))
def test_new_code_without_an_interval_never_blocks(drug: str, risk: str, rule: str) -> None:
    result = case(entry(drug, 3), kind=PROCEDURE_FOR[risk])  # taken an hour before now
    assert result.state == "ready"
    assert ("anticoagulants" in warning_ids(result)) is (rule == SHARED)


def test_aspirin_dipyridamole_at_high_risk_needs_two_days_and_then_the_shared_decision() -> None:
    short = case(entry("aspirin_dipyridamole", 47.9), kind="subarachnoid_injection")
    assert blocker_ids(short) == ["anticoagulants"]
    held = case(entry("aspirin_dipyridamole", 48), kind="subarachnoid_injection")
    assert held.state == "ready"
    assert "shared decision" in held.warnings[0].reason
    assert held.computed["anticoagulants"][0]["required_hours"] == 48


# Concurrent antithrombotics move the class up one (Narouze 2018 patient factors).


def test_aspirin_plus_naproxen_yesterday_before_a_transforaminal_injection_is_not_ready() -> None:
    result = case(entry("aspirin_primary", 20), entry("naproxen", 20), kind="transforaminal_epidural")
    assert result.computed["risk_class"] == "high"
    assert result.state == "not_ready"
    assert [b.item for b in result.blockers] == ["anticoagulants", "anticoagulants"]
    assert "Aspirin" in result.blockers[0].reason and "Naproxen" in result.blockers[1].reason


def test_naproxen_alone_is_intermediate_and_needs_no_hold() -> None:
    result = case(entry("naproxen", 20))
    assert result.computed["risk_class"] == "intermediate"
    assert result.state == "ready"


def test_a_second_drug_added_moves_the_class_up_and_removed_moves_it_back() -> None:
    one = case(entry("naproxen", 20))
    two = case(entry("naproxen", 20), entry("celecoxib", 20))
    assert (one.computed["risk_class"], two.computed["risk_class"]) == ("intermediate", "high")
    assert blocker_ids(two) == ["anticoagulants"]  # naproxen needs 4 d at high risk; celecoxib none
    removed = case(entry("naproxen", 20))
    assert removed.computed["risk_class"] == "intermediate" and removed.state == "ready"


def test_two_doses_of_one_drug_are_one_drug() -> None:
    result = case(entry("naproxen", 20), entry("naproxen", 44))
    assert result.computed["risk_class"] == "intermediate"


def test_two_named_other_medicines_are_two_drugs_but_one_name_twice_is_one() -> None:
    two = case(entry("other", 30, name="vorapaxar"), entry("other", 30, name="pentoxifylline"))
    same = case(entry("other", 30, name="vorapaxar"), entry("other", 40, name=" Vorapaxar"))
    assert (two.computed["risk_class"], same.computed["risk_class"]) == ("high", "intermediate")


def test_concurrent_drugs_do_not_move_the_class_under_the_v1_form() -> None:
    record = ready_record(
        {"anticoagulants": [entry("aspirin_primary", 20), entry("naproxen", 20)]},
        procedure={"type": "transforaminal_epidural"},
        form=FORM_V1,
    )
    result = assess(record, form=FORM_V1)
    assert result.computed["risk_class"] == "intermediate"
    assert result.state == "ready"  # the v1 verdict the clinical review found wrong, kept for v1 records


# `other`: recordable with a name; the proceduralist decides.


def test_other_medicine_with_a_name_blocks_until_the_proceduralist_decides() -> None:
    result = case(entry("other", 30, name="vorapaxar"))
    [blocker] = result.blockers
    assert blocker.item == "anticoagulants"
    assert "vorapaxar" in blocker.reason and "proceduralist decides" in blocker.reason
    assert blocker.override_allowed and blocker.authoriser == "proceduralist"
    assert result.computed["anticoagulants"][0]["name"] == "vorapaxar"


def test_other_medicine_without_a_name_is_bad_input() -> None:
    with pytest.raises(RecordError, match=r"anticoagulants\[0\]\.name"):
        case(entry("other", 30))


def test_other_medicine_with_a_blank_name_is_bad_input() -> None:
    with pytest.raises(RecordError, match="needs the medicine's name"):
        case(entry("other", 30, name="   "))


def test_a_name_on_a_listed_code_is_bad_input() -> None:
    with pytest.raises(RecordError, match="takes a name"):
        case(entry("apixaban", 100, name="Eliquis"))


def test_an_unknown_code_stays_bad_input() -> None:
    with pytest.raises(RecordError, match="unknown drug code 'vorapaxar'"):
        case(entry("vorapaxar", 30))


# Prescriber agreement and thrombotic risk.


def bare(*entries: dict[str, Any], drop: tuple[str, ...] = (), **answers: Any) -> Any:
    """A case with these drugs and without the v2 follow-up answers unless given."""
    record = ready_record({"anticoagulants": list(entries), **answers})
    for item_id in ("thrombotic_risk.high", "antithrombotic.prescriber_agreed", *drop):
        if item_id not in answers:
            record["answers"].pop(item_id, None)
    return assess(record)


def test_a_held_anticoagulant_needs_the_prescribers_agreement_and_the_thrombotic_risk() -> None:
    result = bare(entry("apixaban", 100))
    assert result.missing == ("thrombotic_risk.high", "antithrombotic.prescriber_agreed")


def test_a_shared_decision_antiplatelet_needs_the_prescribers_agreement() -> None:
    assert "antithrombotic.prescriber_agreed" in bare(entry("aspirin_secondary", 10)).missing


def test_an_nsaid_needs_neither_the_prescriber_nor_the_thrombotic_risk() -> None:
    result = bare(entry("ibuprofen", 10))
    assert result.state == "ready"


def test_a_drug_with_no_hold_at_this_class_asks_the_thrombotic_risk_but_not_the_prescriber() -> None:
    result = bare(entry("cilostazol", 10))  # no hold at intermediate risk
    assert result.missing == ("thrombotic_risk.high",)


def test_prescriber_agreed_without_a_name_is_missing() -> None:
    result = bare(entry("apixaban", 100), **{"thrombotic_risk.high": "no", "antithrombotic.prescriber_agreed": "met"})
    assert result.missing == ("antithrombotic.prescriber_agreed",)


def test_prescriber_not_agreed_blocks_with_a_named_override() -> None:
    result = bare(
        entry("apixaban", 100), **{"thrombotic_risk.high": "no", "antithrombotic.prescriber_agreed": "not_met"}
    )
    [blocker] = result.blockers
    assert blocker.item == "antithrombotic.prescriber_agreed"
    assert blocker.override_allowed and not blocker.hard_stop
    assert result.can_override


def test_high_thrombotic_risk_warns_and_makes_no_agreement_a_hard_stop() -> None:
    agreed = bare(
        entry("clopidogrel", 200),
        **{"thrombotic_risk.high": "yes", "antithrombotic.prescriber_agreed": {"value": "met", "note": "Dr. Okafor"}},
    )
    assert agreed.state == "ready"
    assert "stopping may be unsafe" in agreed.warnings[0].reason
    refused = bare(
        entry("clopidogrel", 200), **{"thrombotic_risk.high": "yes", "antithrombotic.prescriber_agreed": "not_met"}
    )
    [blocker] = refused.blockers
    assert blocker.hard_stop and not blocker.override_allowed
    assert not refused.can_override


def test_stopping_clopidogrel_with_no_one_asking_the_cardiologist_is_not_ready() -> None:
    result = bare(entry("clopidogrel", 200), **{"thrombotic_risk.high": "no"})
    assert result.state == "incomplete"
    assert result.missing == ("antithrombotic.prescriber_agreed",)
