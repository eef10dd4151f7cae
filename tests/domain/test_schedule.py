"""The schedule's case as the domain sees it: names, sex, levels, and the form's code mapping (site data)."""

from __future__ import annotations

import pytest

from checklist_app.domain.errors import FormError
from checklist_app.domain.formparse import parse_form
from checklist_app.domain.schedule import CodeRef, ScheduleRefusal, level_in, person_name, procedure_type, sex_code
from tests.helpers.forms import FORM, FORM_TEXT


@pytest.mark.parametrize(
    ("code", "procedure"),
    [
        ("62321", "interlaminar_epidural"),
        ("62323", "interlaminar_epidural"),
        ("64479", "transforaminal_epidural"),
        ("64483", "transforaminal_epidural"),
    ],
)
def test_the_shipped_form_maps_the_design_cpt_codes(code: str, procedure: str) -> None:
    assert procedure_type(FORM, CodeRef(scheme="CPT", code=code), "AIS-3") == procedure
    assert procedure_type(FORM, CodeRef(scheme="cpt", code=code), "AIS-3") == procedure  # scheme case-blind


def test_an_unmapped_code_is_refused_naming_the_code_and_the_field() -> None:
    with pytest.raises(ScheduleRefusal) as caught:
        procedure_type(FORM, CodeRef(scheme="CPT", code="99999"), "AIS-3")
    assert caught.value.field == "AIS-3" and caught.value.code == "unmapped"
    assert "CPT 99999 is not mapped" in str(caught.value)


def test_a_mapping_to_an_unknown_procedure_is_a_form_error_with_its_line() -> None:
    text = FORM_TEXT.replace(
        'procedure: transforaminal_epidural, label: "Transforaminal epidural, lumbar',
        'procedure: lumbar_magic, label: "Transforaminal epidural, lumbar',
    )
    line = next(n for n, t in enumerate(text.splitlines(), start=1) if "lumbar_magic" in t)
    with pytest.raises(FormError) as caught:
        parse_form(text, "site.yaml")
    assert caught.value.lines() == [
        f"site.yaml:{line}: schedule_codes[3].procedure: unknown procedure type 'lumbar_magic'"
    ]


def test_a_code_mapped_twice_is_a_form_error() -> None:
    text = FORM_TEXT.replace('code: "62323"', 'code: "62321"')
    with pytest.raises(FormError, match=r"schedule_codes\[1\]\.code: schedule code CPT 62321 is mapped twice"):
        parse_form(text, "site.yaml")


def test_a_form_without_schedule_codes_keeps_the_hash_it_had_before_they_existed() -> None:
    # A fresh model, not model_copy: a copy would carry FORM's cached content_hash along.
    without = type(FORM).model_validate({**FORM.model_dump(mode="json", by_alias=True), "schedule_codes": []})
    dumped = without.model_dump(mode="json", by_alias=True)
    assert "schedule_codes" in dumped and without.content_hash != FORM.content_hash
    import hashlib
    import json

    del dumped["schedule_codes"]
    old_style = hashlib.sha256(
        json.dumps(dumped, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    ).hexdigest()
    assert without.content_hash == old_style


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("Lumbar interlaminar epidural L4-L5", "L4-L5"),
        ("TFESI l5/s1", "L5-S1"),
        ("C6 - C7 epidural", "C6-C7"),
        ("caudal epidural", ""),
        ("", ""),
    ],
)
def test_the_level_is_taken_from_the_description_where_it_says_it(text: str, level: str) -> None:
    assert level_in(text) == level


def test_names_read_given_then_family_and_sex_codes_map() -> None:
    assert person_name("Łukasiewicz-Ødegård", "Zoë", "", "Dr") == "Zoë Łukasiewicz-Ødegård"
    assert person_name("Doe", "Jane", "Q", suffix="Jr") == "Jane Q Doe Jr"
    assert [sex_code(c) for c in ("F", "m", "O", "U", "")] == ["female", "male", "other", "unknown", "unknown"]
