"""Form YAML -> FormDefinition: malformed forms name the file and the exact line; the shipped form is canonical."""

from __future__ import annotations

import pytest

from checklist_app.domain.errors import FormError
from checklist_app.domain.formparse import parse_form
from tests.helpers.forms import FORM, FORM_TEXT, FORM_V1

# clinical.md "Canonical item ids (the shipped form must use exactly these)".
CANONICAL_IDS = [
    "patient.two_identifiers",
    "consent.signed",
    "procedure.verified",
    "site.marked",
    "imaging.reviewed",
    "allergies.reviewed",
    "infection.absent",
    "contrast.prior_reaction",
    "contrast.plan",
    "contrast.premedication_complete",
    "pregnancy.status",
    "sedation.planned",
    "fasting.last_solids_at",
    "fasting.last_clear_liquids_at",
    "escort.arranged",
    "iv.access",
    "anticoagulants",
    "labs.inr",
    "labs.crcl_ml_min",
    "bleeding_risk.elevated",
    "diabetes.present",
    "glucose.mg_dl",
    "vitals.recorded",
    "personnel.proceduralist",
    "personnel.radiologic_technologist",
    "personnel.nurse",
    "personnel.sedation_provider",
    "setting.fluoroscopy_ready",
    "setting.radiation_protection",
    "setting.resuscitation_ready",
]

# clinical.md "Rules v2": the new canonical ids (the v2 form has these as well).
V2_IDS = [
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
]
V2_KINDS = {
    "antithrombotic.prescriber_agreed": "check",
    "thrombotic_risk.high": "yes_no",
    "labs.inr_at": "datetime",
    "labs.crcl_at": "datetime",
    "pregnancy.test_at": "datetime",
    "glp1.taking": "yes_no",
    "glp1.gi_symptoms": "yes_no",
    "glp1.higher_risk": "yes_no",
    "sedation.monitoring_ready": "check",
    "neuro.baseline_documented": "check",
    "steroid.planned": "choice",
    "contrast.reaction_severity": "choice",
}
V2_CONDITIONAL = set(V2_IDS) - {"neuro.baseline_documented", "steroid.planned"}

# clinical.md's kind column, by the form's kind names.
CANONICAL_KINDS = {
    "contrast.prior_reaction": "yes_no",
    "contrast.plan": "choice",
    "pregnancy.status": "choice",
    "sedation.planned": "yes_no",
    "fasting.last_solids_at": "datetime",
    "fasting.last_clear_liquids_at": "datetime",
    "anticoagulants": "medication_list",
    "labs.inr": "number",
    "labs.crcl_ml_min": "number",
    "bleeding_risk.elevated": "yes_no",
    "diabetes.present": "yes_no",
    "glucose.mg_dl": "number",
}

# Conditional items (clinical.md "Which items are required"); every other item is always required.
CONDITIONAL = {
    "pregnancy.status",
    "contrast.plan",
    "contrast.premedication_complete",
    "fasting.last_solids_at",
    "fasting.last_clear_liquids_at",
    "escort.arranged",
    "iv.access",
    "personnel.sedation_provider",
    "labs.inr",
    "labs.crcl_ml_min",
    "glucose.mg_dl",
}

MINIMAL = """\
id: tiny
version: 1
title: Tiny form
risk_classes: [intermediate, high]
procedure_types:
  - {code: interlaminar_epidural, label: Interlaminar, risk_class: intermediate}
sections:
  - id: main
    title: Main
    items:
      - id: a
        kind: yes_no
        text: A?
      - id: b
        kind: yes_no
        text: B?
"""


def problems(text: str, source: str = "site/form.yaml") -> list[str]:
    """The `PATH:LINE: message` lines of a form that must not load."""
    with pytest.raises(FormError) as caught:
        parse_form(text, source)
    return caught.value.lines()


def line_no(text: str, needle: str) -> int:
    """1-based number of the only line of `text` that contains `needle`."""
    found = [n for n, line in enumerate(text.splitlines(), start=1) if needle in line]
    assert len(found) == 1, f"{needle!r} is on lines {found}"
    return found[0]


def line_after(text: str, start: str, needle: str) -> int:
    """1-based number of the first line containing `needle` after the only line containing `start`."""
    lines = text.splitlines()
    first = line_no(text, start)
    return next(n for n in range(first + 1, len(lines) + 1) if needle in lines[n - 1])


def shipped_with(old: str, new: str) -> str:
    assert FORM_TEXT.count(old) == 1, f"{old!r} is not unique in the shipped form"
    return FORM_TEXT.replace(old, new)


# The shipped form.


def test_shipped_form_has_exactly_the_canonical_item_ids() -> None:
    ids = [item.id for section in FORM.sections for item in section.items]
    assert sorted(ids) == sorted(CANONICAL_IDS + V2_IDS)


def test_previous_form_has_exactly_the_v1_canonical_item_ids() -> None:
    ids = [item.id for section in FORM_V1.sections for item in section.items]
    assert sorted(ids) == sorted(CANONICAL_IDS)


def test_shipped_form_items_have_the_canonical_kinds() -> None:
    kinds = {item_id: FORM.items[item_id].kind for item_id in {**CANONICAL_KINDS, **V2_KINDS}}
    assert kinds == {**CANONICAL_KINDS, **V2_KINDS}
    others = {FORM.items[i].kind for i in CANONICAL_IDS if i not in CANONICAL_KINDS}
    assert others == {"check"}


def test_shipped_form_conditions_only_the_conditional_items() -> None:
    conditional = {item_id for item_id, item in FORM.items.items() if item.when is not None}
    assert conditional == CONDITIONAL | V2_CONDITIONAL


def test_previous_form_conditions_only_the_v1_conditional_items() -> None:
    assert {item_id for item_id, item in FORM_V1.items.items() if item.when is not None} == CONDITIONAL


def test_shipped_form_hard_stops_are_the_three_of_clinical_md() -> None:
    hard = {i for i, item in FORM.items.items() if getattr(item, "hard_stop", False)}
    assert hard == {"patient.two_identifiers", "consent.signed", "procedure.verified"}


def test_shipped_form_allows_na_only_on_site_marked() -> None:
    assert {i for i, item in FORM.items.items() if getattr(item, "na_allowed", False)} == {"site.marked"}


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("inr_max", 1.4),
        ("glucose_warn_above", 200),
        ("fasting_solids_hours", 8),
        ("fasting_clear_liquids_hours", 2),
        ("fasting_always", False),
        ("pregnancy_age_min", 12),
        ("pregnancy_age_max", 50),
    ],
)
def test_shipped_form_parameter_defaults_match_clinical_md(name: str, value: float | bool) -> None:
    assert FORM.parameters[name].value == value


def test_shipped_form_cites_a_source_for_every_parameter() -> None:
    assert all(FORM.source_text(p.source) for p in FORM.parameters.values())


def test_minimal_form_parses() -> None:
    assert list(parse_form(MINIMAL).items) == ["a", "b"]


# Malformed forms: PATH:LINE: message.


def test_problem_lines_start_with_path_and_line() -> None:
    text = shipped_with("        min: 0.5\n", "        min: low\n")
    assert problems(text, "site/form.yaml")[0].startswith(f"site/form.yaml:{line_no(text, 'min: low')}: ")


def test_malformed_yaml_names_its_line() -> None:
    text = shipped_with("      - id: iv.access\n", "      - id: iv.access: in place\n")
    assert problems(text) == [
        f"site/form.yaml:{line_no(text, 'iv.access: in place')}: not valid YAML: mapping values are not allowed here"
    ]


def test_tab_indentation_names_its_line() -> None:
    assert problems("id: tiny\n\tversion: 1\n") == [
        "site/form.yaml:2: not valid YAML: found character '\\t' that cannot start any token"
    ]


@pytest.mark.parametrize("text", ["", "- a list\n- not a form\n", "just text\n"])
def test_a_document_that_is_not_a_mapping_is_refused_on_line_1(text: str) -> None:
    assert problems(text) == ["site/form.yaml:1: a form must be a YAML mapping with id, version, title and sections"]


def test_wrong_type_names_its_line() -> None:
    text = shipped_with("        min: 0.5\n", "        min: low\n")
    [problem] = problems(text)
    assert f":{line_no(text, 'min: low')}: " in problem
    assert ".min: Input should be a valid number" in problem


def test_wrong_type_in_a_union_is_one_line_without_pydantic_tags() -> None:
    text = shipped_with("    value: 1.4\n", '    value: "high"\n')
    [problem] = problems(text)
    line = line_no(text, 'value: "high"')
    assert problem.startswith(f"site/form.yaml:{line}: parameters.inr_max.value: Input should be a valid number")
    assert "float" not in problem


def test_unknown_key_names_its_line() -> None:
    text = shipped_with("      - id: iv.access\n", "      - id: iv.access\n        colour: red\n")
    [problem] = problems(text)
    assert f":{line_no(text, 'colour: red')}: " in problem
    assert "colour: Extra inputs are not permitted" in problem


def test_missing_key_names_the_item_line_and_the_key() -> None:
    text = shipped_with("        text: IV access in place\n", "")
    [problem] = problems(text)
    assert f":{line_no(text, '- id: iv.access')}: " in problem
    assert problem.endswith(".text: Field required")


def test_unknown_item_kind_names_its_item() -> None:
    text = shipped_with("      - id: iv.access\n        kind: check\n", "      - id: iv.access\n        kind: tick\n")
    [problem] = problems(text)
    assert f":{line_no(text, '- id: iv.access')}: " in problem
    assert "'tick'" in problem


def test_duplicate_yaml_key_names_its_line() -> None:
    # YAML keeps the last of two keys silently; a site's edit must not vanish unseen.
    text = shipped_with("    value: false\n", "    value: false\n    value: true\n")
    [problem] = problems(text)
    assert f":{line_no(text, 'value: true')}: " in problem
    assert f"duplicate key (first on line {line_no(text, 'value: false')})" in problem


def test_anchor_that_contains_itself_is_refused_with_its_line() -> None:
    text = MINIMAL + "extra: &loop\n  - *loop\n"
    [problem] = problems(text)
    assert problem.startswith(f"site/form.yaml:{line_no(text, '&loop')}: ")
    assert "alias to itself" in problem


def test_condition_referring_to_a_missing_item_names_its_line() -> None:
    text = shipped_with("{answer: diabetes.present,", "{answer: diabetes.known,")
    [problem] = problems(text)
    assert f":{line_no(text, 'diabetes.known')}: " in problem
    assert "refers to item 'diabetes.known', which this form does not have" in problem


def test_condition_referring_to_a_missing_drug_names_its_line() -> None:
    text = shipped_with(
        "{drug_listed: [warfarin, acenocoumarol]}\n        block_above",
        "{drug_listed: [warfarin, coumadin]}\n        block_above",
    )
    [problem] = problems(text)
    assert f":{line_no(text, 'coumadin')}: " in problem
    assert "drug 'coumadin'" in problem


def test_lab_adjustment_of_a_missing_item_names_its_line() -> None:
    text = shipped_with("      item: labs.crcl_ml_min\n", "      item: labs.crcl\n")
    [problem] = problems(text)
    assert f":{line_no(text, 'item: labs.crcl')}: " in problem
    assert "'labs.crcl' is not a number item" in problem


def test_self_referencing_condition_is_a_cycle_on_its_line() -> None:
    text = MINIMAL.replace("        text: A?\n", "        text: A?\n        when: {answer: a, equals: 'yes'}\n")
    assert problems(text) == [
        f"site/form.yaml:{line_no(text, 'when:')}: sections[0].items[0].when: conditions form a cycle: a -> a"
    ]


def test_two_items_conditioned_on_each_other_are_a_cycle_on_a_when_line() -> None:
    text = MINIMAL.replace(
        "        text: A?\n", "        text: A?\n        when: {answer: b, equals: 'yes'}\n"
    ).replace("        text: B?\n", "        text: B?\n        when: {answer: a, equals: 'yes'}\n")
    [problem] = problems(text)
    assert problem.split(":")[1] in {str(line_no(text, "answer: b")), str(line_no(text, "answer: a"))}
    assert "conditions form a cycle" in problem
    assert "a -> b -> a" in problem or "b -> a -> b" in problem


def test_cycle_in_the_shipped_form_names_the_line() -> None:
    text = shipped_with(
        "        text: Procedural sedation planned?\n",
        "        text: Procedural sedation planned?\n        when: {answer: iv.access, equals: met}\n",
    )
    [problem] = problems(text)
    assert "conditions form a cycle" in problem
    assert int(problem.split(":")[1]) in {
        line_no(text, "{answer: iv.access, equals: met}"),
        line_after(text, "- id: iv.access", "when:"),
    }


def test_duplicate_item_id_names_the_second_one() -> None:
    text = shipped_with("      - id: iv.access\n", "      - id: escort.arranged\n")
    lines = [n for n, line in enumerate(text.splitlines(), start=1) if "- id: escort.arranged" in line]
    [problem] = problems(text)
    assert f":{lines[1]}: " in problem
    assert "duplicate item id 'escort.arranged'" in problem


def test_unknown_parameter_in_a_threshold_names_its_line() -> None:
    text = shipped_with("block_above: inr_max", "block_above: inr_limit")
    [problem] = problems(text)
    assert f":{line_no(text, 'inr_limit')}: " in problem
    assert "'inr_limit' is not a numeric parameter" in problem


def test_unknown_parameter_in_a_condition_names_its_line() -> None:
    text = shipped_with("[pregnancy_age_min, pregnancy_age_max]", "[pregnancy_age_min, pregnancy_age_top]")
    [problem] = problems(text)
    assert f":{line_after(text, '- id: pregnancy.status', 'when:')}: " in problem
    assert "parameter 'pregnancy_age_top'" in problem


def test_unknown_source_names_its_line() -> None:
    text = shipped_with("        source: asra_last\n", "        source: asra_2099\n")
    [problem] = problems(text)
    assert f":{line_no(text, 'asra_2099')}: " in problem


def test_unknown_risk_class_names_its_line() -> None:
    text = shipped_with("    risk_class: high\n", "    risk_class: highest\n")
    [problem] = problems(text)
    assert f":{line_no(text, 'risk_class: highest')}: " in problem


def test_preferred_hold_below_the_minimum_is_refused_on_its_line() -> None:
    old = "      intermediate: {hold: {min_hours: 72, preferred_hours: 120}, restart: {min_hours: 24}}\n"
    text = FORM_TEXT.replace(old, old.replace("120", "12"), 1)
    [problem] = problems(text)
    assert f":{line_no(text, 'preferred_hours: 12}')}: " in problem
    assert "preferred_hours must not be below min_hours" in problem


def test_hard_stop_with_na_is_refused_on_its_item_line() -> None:
    text = shipped_with(
        "        source: fda_2014\n        hard_stop: true\n",
        "        source: fda_2014\n        hard_stop: true\n        na_allowed: true\n",
    )
    [problem] = problems(text)
    assert f":{line_no(text, '- id: consent.signed')}: " in problem
    assert "neither N/A nor an override" in problem


def test_a_condition_value_the_item_never_takes_names_its_line() -> None:
    """A typo in a compared value would silently switch a rule off; it is refused at the condition's line."""
    text = shipped_with(
        "when: {answer: contrast.plan, equals: premedicated}", "when: {answer: contrast.plan, equals: premedicatd}"
    )
    found = problems(text)
    assert len(found) == 1
    assert found[0].startswith(f"site/form.yaml:{line_no(text, 'equals: premedicatd')}:")
    assert "'contrast.plan' can never be 'premedicatd'" in found[0]
