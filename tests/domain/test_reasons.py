"""Why a case is NOT READY as countable keys (domain/reasons.py): per drug on the medication list, else per item."""

from __future__ import annotations

from checklist_app.domain.reasons import blocker_keys
from tests.domain.test_antithrombotics import case, entry
from tests.helpers.forms import FORM


def test_each_drug_held_too_briefly_is_its_own_reason_and_other_blockers_their_item() -> None:
    result = case(
        entry("apixaban", 2), entry("clopidogrel", 24), entry("ibuprofen", 200), **{"consent.signed": "not_met"}
    )
    assert result.state == "not_ready"
    assert blocker_keys(FORM, result) == (
        ("consent.signed", None),
        ("anticoagulants", "apixaban"),
        ("anticoagulants", "clopidogrel"),
    )


def test_a_ready_case_has_no_reason() -> None:
    assert blocker_keys(FORM, case(entry("apixaban", 200))) == ()
