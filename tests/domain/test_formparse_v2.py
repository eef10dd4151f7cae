"""Form format additions for Rules v2: each one parses, and each misuse is one `PATH:LINE: message`."""

from __future__ import annotations

import pytest

from checklist_app.domain.formparse import parse_form
from checklist_app.services.catalog import find_form
from tests.helpers.forms import FORM, FORM_TEXT, FORM_V1, V1_HASH

from .test_formparse import line_after, line_no, problems, shipped_with


def test_the_v1_form_keeps_its_content_hash_under_the_extended_format() -> None:
    """Records pin forms by hash: a field the format gained must not change the hash of a form without it."""
    assert FORM_V1.content_hash == V1_HASH
    assert FORM_V1.version == "2026.11.1"


def test_the_shipped_form_is_a_new_version() -> None:
    assert FORM.version == "2026.12.2" and FORM.content_hash != V1_HASH


def test_records_pinned_to_2026_12_1_still_find_their_form() -> None:
    """2026.12.2 only marks the subarachnoid levels unconfirmed; 2026.12.1 stays shipped for its records."""
    previous = find_form(FORM.id, version="2026.12.1")
    assert previous is not None and previous.content_hash != FORM.content_hash
    assert find_form(FORM.id, form_hash=previous.content_hash) == previous
    assert previous.model_dump(exclude={"version", "procedure_types"}) == FORM.model_dump(
        exclude={"version", "procedure_types"}
    )  # the same rules


def test_the_unsourced_subarachnoid_levels_are_marked_unconfirmed() -> None:
    levels = {p.code: p for p in FORM.procedure_types}
    assert levels["subarachnoid_injection"].levels == ("L2-L3", "L3-L4", "L4-L5")
    assert not levels["subarachnoid_injection"].levels_confirmed
    assert all(p.levels_confirmed for code, p in levels.items() if code != "subarachnoid_injection")


def test_every_v2_item_drug_and_parameter_names_a_known_source() -> None:
    for item_id in (
        "antithrombotic.prescriber_agreed",
        "thrombotic_risk.high",
        "labs.inr_at",
        "labs.crcl_at",
        "pregnancy.test_at",
        "glp1.taking",
        "glp1.gi_symptoms",
        "glp1.higher_risk",
        "sedation.monitoring_ready",
        "neuro.baseline_documented",
        "steroid.planned",
        "contrast.reaction_severity",
    ):
        assert FORM.source_text(FORM.items[item_id].source), item_id
    for name in ("inr_max_age_hours", "pregnancy_test_max_age_hours", "glucose_block_above", "dabigatran_crcl_below"):
        assert FORM.source_text(FORM.parameters[name].source), name
    for drug in FORM.drugs:
        assert FORM.source_text(drug.source), drug.code


def test_glucose_block_above_ships_unset() -> None:
    assert FORM.parameters["glucose_block_above"].value is None


def test_a_site_glucose_block_limit_blocks_above_it() -> None:
    from tests.helpers.forms import assess, blocker_ids, ready_record

    site = parse_form(shipped_with("    value: null  # no default is shipped", "    value: 300  # site"), "site.yaml")
    answers = {"diabetes.present": "yes", "glucose.mg_dl": 301}
    assert blocker_ids(assess(ready_record(answers), form=site)) == ["glucose.mg_dl"]
    assert assess(ready_record({**answers, "glucose.mg_dl": 300}), form=site).state == "ready"
    shipped = assess(ready_record(answers))  # unset: only the warning above 200
    assert shipped.state == "ready" and [w.item for w in shipped.warnings] == ["glucose.mg_dl"]


def test_the_level_picker_offers_no_cervical_level_for_a_caudal_injection() -> None:
    levels = {p.code: p.levels for p in FORM.procedure_types}
    assert levels["caudal_epidural"] and not any(level.startswith("C") for level in levels["caudal_epidural"])
    assert "C6-C7" in levels["transforaminal_epidural"]


# Misuse of the new format, each on its line.


def test_a_risk_upgrade_testing_drug_rules_at_its_own_class_is_refused() -> None:
    text = shipped_with("      - {drugs: {at_least: 2}}\n", "      - {drugs: {at_least: 2, hold: [interval]}}\n")
    [problem] = problems(text)
    line = line_after(text, "risk_upgrade:", "when:")
    assert f":{line}: risk_upgrade.when: the risk upgrade cannot test drug rules" in problem


def test_an_unknown_rule_kind_in_a_drugs_test_names_its_line() -> None:
    text = shipped_with("hold: [interval, shared]}}", "hold: [interval, sometimes]}}")
    [problem] = problems(text)
    assert f":{line_no(text, 'sometimes')}: " in problem


def test_a_drugs_test_needs_at_least_one() -> None:
    text = shipped_with("      - {drugs: {at_least: 2}}\n", "      - {drugs: {at_least: 0}}\n")
    [problem] = problems(text)
    assert f":{line_no(text, 'at_least: 0')}: " in problem and "greater than or equal to 1" in problem


def test_an_unknown_procedure_type_in_a_condition_names_its_line() -> None:
    text = shipped_with("when: {procedure_type: subarachnoid_injection}", "when: {procedure_type: intrathecal}")
    [problem] = problems(text)
    assert f":{line_no(text, 'procedure_type: intrathecal')}: " in problem
    assert "procedure type 'intrathecal'" in problem


def test_an_empty_level_prefix_is_refused() -> None:
    text = shipped_with("{level_starts_with: C}", "{level_starts_with: ' '}")
    [problem] = problems(text)
    assert "level_starts_with needs a non-empty prefix" in problem


def test_an_effect_on_a_value_the_item_never_takes_names_its_line() -> None:
    text = shipped_with(
        "          - value: gadolinium\n            when: {procedure_type: subarachnoid_injection}",
        "          - value: gadolinum\n            when: {procedure_type: subarachnoid_injection}",
    )
    [problem] = problems(text)
    assert f":{line_no(text, 'gadolinum')}: " in problem
    assert "'contrast.plan' can never be 'gadolinum'" in problem


def test_an_effect_on_a_number_item_is_refused() -> None:
    text = shipped_with(
        "        warn_above: glucose_warn_above\n",
        "        warn_above: glucose_warn_above\n        effects: [{value: 'yes', effect: warning, reason: x}]\n",
    )
    [problem] = problems(text)
    assert "effects are for check, yes/no and choice items, not number items" in problem


def test_an_option_with_its_own_effect_cannot_also_have_effects() -> None:
    text = shipped_with(
        "          - {code: no_contrast, label: Proceed without contrast}",
        "          - {code: no_contrast, label: Proceed without contrast, effect: warning, "
        "reason: x}\n          - {code: iodine_free, label: x}",
    )
    text = text.replace(
        "          - value: proceed_without_premedication\n            when: {answer: "
        "contrast.reaction_severity, equals: moderate}",
        "          - value: no_contrast\n            when: {answer: contrast.reaction_severity, equals: moderate}",
    )
    [problem] = problems(text)
    assert "option 'no_contrast' already has an effect" in problem


def test_a_hard_stop_effect_that_allows_an_override_is_refused_on_its_line() -> None:
    text = shipped_with(
        "            effect: blocker\n            hard_stop: true\n            source: fda_gadolinium",
        "            effect: blocker\n            hard_stop: true\n            override_allowed: true\n"
        "            source: fda_gadolinium",
    )
    [problem] = problems(text)
    assert "a hard stop cannot allow an override" in problem


def test_a_hard_stop_warning_is_refused() -> None:
    text = shipped_with(
        "            effect: warning\n            source: benzon2021",
        "            effect: warning\n            hard_stop: true\n            source: benzon2021",
    )
    [problem] = problems(text)
    assert "only a blocker can be a hard stop" in problem


def test_an_effect_citing_an_unknown_source_names_its_line() -> None:
    text = shipped_with("            source: benzon2021\n", "            source: benzon2022\n")
    [problem] = problems(text)
    assert f":{line_no(text, 'benzon2022')}: " in problem and "unknown source 'benzon2022'" in problem


def test_a_maximum_age_without_advice_is_refused() -> None:
    text = shipped_with("        max_age_reason: a result from the day is needed\n", "")
    [problem] = problems(text)
    assert f":{line_no(text, 'max_age_hours: inr_max_age_hours')}: " in problem
    assert "needs max_age_reason" in problem


def test_a_maximum_age_naming_no_numeric_parameter_is_refused() -> None:
    text = shipped_with("max_age_hours: inr_max_age_hours", "max_age_hours: inr_max_age")
    [problem] = problems(text)
    assert f":{line_no(text, 'max_age_hours: inr_max_age')}: " in problem and "not a numeric parameter" in problem


def test_a_fasting_rule_on_an_unset_parameter_is_refused() -> None:
    text = shipped_with(
        "min_hours_before_procedure: fasting_clear_liquids_hours", "min_hours_before_procedure: glucose_block_above"
    )
    [problem] = problems(text)
    assert f":{line_no(text, 'min_hours_before_procedure: glucose_block_above')}: " in problem
    assert "unset (value: null)" in problem


def test_a_condition_on_an_unset_parameter_is_refused() -> None:
    text = shipped_with(
        "{age_between: [pregnancy_age_min, pregnancy_age_max]}",
        "{age_between: [pregnancy_age_min, glucose_block_above]}",
    )
    [problem] = problems(text)
    assert "parameter 'glucose_block_above', which is unset" in problem


def test_a_conditional_hard_stop_on_a_missing_item_names_its_line() -> None:
    text = shipped_with("hard_stop_when: {answer: thrombotic_risk.high", "hard_stop_when: {answer: thrombotic.high")
    [problem] = problems(text)
    assert f":{line_no(text, 'thrombotic.high')}: " in problem and "item 'thrombotic.high'" in problem


def test_a_drug_test_on_an_unknown_code_names_its_line() -> None:
    text = shipped_with("      - {drugs: {at_least: 2}}\n", "      - {drugs: {at_least: 2, codes: [coumadin]}}\n")
    [problem] = problems(text)
    assert "drug 'coumadin'" in problem


def test_a_class_dependent_condition_on_an_item_the_class_depends_on_is_a_cycle() -> None:
    text = shipped_with(
        "        text: Elevated bleeding risk?",
        "        when: {drugs: {hold: [interval]}}\n        text: Elevated bleeding risk?",
    )
    found = problems(text)
    assert any("conditions form a cycle: bleeding_risk.elevated -> bleeding_risk.elevated" in p for p in found)


@pytest.mark.parametrize("text", ["value: yes", "value: 'yes'"])
def test_an_effect_value_yes_is_the_answer_yes(text: str) -> None:
    changed = FORM_TEXT.replace(
        '          - value: "yes"\n            effect: warning\n            reason: High thrombotic',
        f"          - {text}\n            effect: warning\n            reason: High thrombotic",
    )
    form = parse_form(changed, "site.yaml")
    assert form.items["thrombotic_risk.high"].effects[0].value == "yes"
