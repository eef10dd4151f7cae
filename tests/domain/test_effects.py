"""Rules v2 answer effects: steroid type by level, contrast severity and gadolinium, GLP-1 before sedation."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers.forms import SEDATION_ANSWERS, assess, blocker_ids, ready_record, warning_ids


def steroid(kind: str, level: str, planned: str = "particulate") -> Any:
    return assess(ready_record({"steroid.planned": planned}, procedure={"type": kind, "level": level}))


def test_particulate_steroid_for_a_cervical_transforaminal_injection_is_a_hard_stop() -> None:
    result = steroid("transforaminal_epidural", "C6-C7")
    [blocker] = result.blockers
    assert blocker.item == "steroid.planned" and blocker.hard_stop and not blocker.override_allowed
    assert "dexamethasone" in blocker.reason


@pytest.mark.parametrize("level", ["C5-C6", "c7-T1", " C4-C5"])
def test_any_level_text_starting_with_c_is_cervical(level: str) -> None:
    assert blocker_ids(steroid("transforaminal_epidural", level)) == ["steroid.planned"]


@pytest.mark.parametrize("level", ["L4-L5", "L5-S1", "S1", "T12-L1"])
def test_particulate_steroid_for_a_lumbar_transforaminal_injection_warns(level: str) -> None:
    result = steroid("transforaminal_epidural", level)
    assert result.state == "ready"
    assert warning_ids(result) == ["steroid.planned"]
    assert "non-particulate steroid first" in result.warnings[0].reason


@pytest.mark.parametrize("kind", ["interlaminar_epidural", "caudal_epidural", "subarachnoid_injection"])
def test_particulate_steroid_outside_a_transforaminal_injection_is_accepted(kind: str) -> None:
    result = steroid(kind, "C7-T1" if kind == "interlaminar_epidural" else "L4-L5")
    assert (result.state, result.warnings) == ("ready", ())


@pytest.mark.parametrize("planned", ["dexamethasone", "none"])
def test_non_particulate_or_no_steroid_at_a_cervical_level_is_ready(planned: str) -> None:
    assert steroid("transforaminal_epidural", "C6-C7", planned).state == "ready"


def test_the_steroid_plan_is_always_required() -> None:
    assert assess(ready_record(drop=["steroid.planned"])).missing == ("steroid.planned",)


# Contrast: severity of the prior reaction and gadolinium.


def contrast(plan: str, severity: str | None = "moderate", kind: str = "interlaminar_epidural") -> Any:
    answers: dict[str, Any] = {"contrast.prior_reaction": "yes", "contrast.plan": plan}
    if severity is not None:
        answers["contrast.reaction_severity"] = severity
    return assess(ready_record(answers, procedure={"type": kind}))


def test_a_prior_reaction_needs_its_severity_and_a_plan() -> None:
    result = assess(ready_record({"contrast.prior_reaction": "yes"}))
    assert result.missing == ("contrast.reaction_severity", "contrast.plan")


@pytest.mark.parametrize("severity", ["severe", "unknown"])
def test_no_premedication_after_a_severe_or_unknown_reaction_blocks_with_a_named_override(severity: str) -> None:
    result = contrast("proceed_without_premedication", severity)
    [blocker] = result.blockers
    assert blocker.item == "contrast.plan" and blocker.override_allowed and blocker.authoriser == "proceduralist"


def test_no_premedication_after_a_moderate_reaction_warns() -> None:
    result = contrast("proceed_without_premedication", "moderate")
    assert result.state == "ready" and warning_ids(result) == ["contrast.plan"]


def test_no_premedication_after_a_mild_reaction_needs_no_warning() -> None:
    result = contrast("proceed_without_premedication", "mild")
    assert (result.state, result.warnings) == ("ready", ())


def test_no_premedication_with_the_severity_unanswered_is_incomplete() -> None:
    result = contrast("proceed_without_premedication", None)
    assert result.missing == ("contrast.reaction_severity",)


@pytest.mark.parametrize("severity", ["mild", "moderate", "severe", "unknown"])
def test_premedicated_or_no_contrast_is_ready_at_every_severity(severity: str) -> None:
    assert contrast("no_contrast", severity).state == "ready"
    premedicated = assess(
        ready_record(
            {
                "contrast.prior_reaction": "yes",
                "contrast.reaction_severity": severity,
                "contrast.plan": "premedicated",
                "contrast.premedication_complete": "met",
            }
        )
    )
    assert premedicated.state == "ready"


def test_gadolinium_for_an_intrathecal_injection_is_a_hard_stop() -> None:
    result = contrast("gadolinium", kind="subarachnoid_injection")
    [blocker] = result.blockers
    assert blocker.item == "contrast.plan" and blocker.hard_stop and not blocker.override_allowed
    assert "intrathecal" in blocker.reason


@pytest.mark.parametrize("kind", ["interlaminar_epidural", "transforaminal_epidural", "caudal_epidural"])
def test_gadolinium_for_an_epidural_warns(kind: str) -> None:
    result = contrast("gadolinium", kind=kind)
    assert result.state == "ready" and warning_ids(result) == ["contrast.plan"]
    assert "unintentional intrathecal" in result.warnings[0].reason


# GLP-1 receptor agonists before sedation; sedation monitors.


def sedated(**answers: Any) -> Any:
    return assess(ready_record({**SEDATION_ANSWERS, **answers}))


def test_sedation_asks_about_glp1_and_the_monitors() -> None:
    result = assess(ready_record({**SEDATION_ANSWERS, "glp1.taking": None, "sedation.monitoring_ready": None}))
    assert set(result.missing) == {"glp1.taking", "sedation.monitoring_ready"}


def test_no_sedation_asks_nothing_about_glp1() -> None:
    assert assess(ready_record({"glp1.taking": "yes", "glp1.gi_symptoms": "yes"})).state == "ready"


def test_monitors_not_ready_block() -> None:
    assert blocker_ids(sedated(**{"sedation.monitoring_ready": "not_met"})) == ["sedation.monitoring_ready"]


def test_glp1_taking_needs_symptoms_and_risk_answered() -> None:
    assert sedated(**{"glp1.taking": "yes"}).missing == ("glp1.gi_symptoms", "glp1.higher_risk")


def test_weekly_semaglutide_with_nausea_today_before_sedation_blocks_for_the_sedation_provider() -> None:
    result = sedated(**{"glp1.taking": "yes", "glp1.gi_symptoms": "yes", "glp1.higher_risk": "yes"})
    [blocker] = result.blockers
    assert blocker.item == "glp1.gi_symptoms"
    assert blocker.override_allowed and blocker.authoriser == "sedation provider"
    assert "inform the sedation provider" in blocker.reason
    assert "glp1.higher_risk" in warning_ids(result)


def test_higher_risk_glp1_without_symptoms_warns_about_a_clear_liquid_diet() -> None:
    result = sedated(**{"glp1.taking": "yes", "glp1.gi_symptoms": "no", "glp1.higher_risk": "yes"})
    assert result.state == "ready"
    assert "24-h clear-liquid diet" in result.warnings[0].reason


def test_lower_risk_glp1_without_symptoms_is_ready_without_a_warning() -> None:
    result = sedated(**{"glp1.taking": "yes", "glp1.gi_symptoms": "no", "glp1.higher_risk": "no"})
    assert (result.state, result.warnings) == ("ready", ())


# The proceduralist's name and the baseline neuro exam.


def test_the_proceduralist_present_without_a_name_is_missing() -> None:
    result = assess(ready_record({"personnel.proceduralist": "met"}))
    assert result.missing == ("personnel.proceduralist",)


def test_the_proceduralist_present_with_a_name_counts() -> None:
    result = assess(ready_record({"personnel.proceduralist": {"value": "met", "note": "Dr. Rivera"}}))
    assert result.state == "ready"


def test_the_proceduralist_absent_blocks() -> None:
    assert blocker_ids(assess(ready_record({"personnel.proceduralist": "not_met"}))) == ["personnel.proceduralist"]


def test_no_baseline_neuro_exam_blocks() -> None:
    result = assess(ready_record({"neuro.baseline_documented": "not_met"}))
    assert blocker_ids(result) == ["neuro.baseline_documented"]


def test_the_baseline_neuro_exam_is_marked_as_needing_clinician_confirmation() -> None:
    from tests.helpers.forms import FORM

    assert FORM.items["neuro.baseline_documented"].confirmed is False
