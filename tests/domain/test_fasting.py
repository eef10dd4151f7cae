"""Fasting (ASA 2017): 8 h solids, 2 h clear liquids, only when sedation is planned unless the site says always."""

from __future__ import annotations

from datetime import timedelta

import pytest

from checklist_app.domain.errors import RecordError
from checklist_app.domain.formparse import parse_form
from checklist_app.domain.forms import FormDefinition
from tests.helpers.forms import (
    FORM_TEXT,
    FORM_V1,
    NOW,
    SCHEDULED,
    SEDATION_ANSWERS,
    assess,
    before,
    blocker_ids,
    iso,
    ready_record,
)

SEDATION_ONLY_V1 = (
    "fasting.last_solids_at",
    "fasting.last_clear_liquids_at",
    "escort.arranged",
    "iv.access",
    "personnel.sedation_provider",
)
# Rules v2 adds the GLP-1 question and the sedation monitors.
SEDATION_ONLY = (*SEDATION_ONLY_V1, "glp1.taking", "sedation.monitoring_ready")


def sedated(**intake_hours: float) -> dict[str, object]:
    """A READY sedation case with the given intake times (hours before the scheduled start)."""
    answers = dict(SEDATION_ANSWERS)
    for key, hours in intake_hours.items():
        answers[f"fasting.{key}"] = before(hours)
    return ready_record(answers)


def form_with_fasting_always() -> FormDefinition:
    old = "  fasting_always:\n    value: false\n"
    assert old in FORM_TEXT
    return parse_form(FORM_TEXT.replace(old, "  fasting_always:\n    value: true\n"), "site-form.yaml")


def test_no_sedation_requires_no_fasting() -> None:
    result = assess(ready_record({"sedation.planned": "no"}))
    assert result.state == "ready"
    assert result.computed["fasting"]["required"] is False


def test_no_sedation_ignores_a_recent_meal() -> None:
    result = assess(ready_record({"sedation.planned": "no", "fasting.last_solids_at": before(2)}))
    assert result.state == "ready"
    assert result.blockers == ()


def test_sedation_requires_fasting_escort_iv_and_sedation_provider() -> None:
    result = assess(ready_record({"sedation.planned": "yes"}))
    assert result.state == "incomplete"
    assert set(result.missing) == set(SEDATION_ONLY)


def test_sedation_under_the_v1_form_requires_only_the_v1_items() -> None:
    result = assess(ready_record({"sedation.planned": "yes"}, form=FORM_V1), form=FORM_V1)
    assert result.state == "incomplete"
    assert set(result.missing) == set(SEDATION_ONLY_V1)


def test_ready_sedation_case_reports_fasting_ok() -> None:
    result = assess(sedated())
    assert result.state == "ready"
    assert result.computed["fasting"]["required"] is True
    assert result.computed["fasting"]["ok"] is True


def test_solids_exactly_8_hours_before_is_enough() -> None:
    assert assess(sedated(last_solids_at=8)).state == "ready"


def test_solids_7_9_hours_before_blocks_with_the_earliest_start() -> None:
    result = assess(sedated(last_solids_at=7.9))
    assert blocker_ids(result) == ["fasting.last_solids_at"]
    assert "earliest start" in result.blockers[0].reason
    assert "8 h needed" in result.blockers[0].reason


def test_solids_earliest_start_is_last_intake_plus_8_hours() -> None:
    result = assess(sedated(last_solids_at=7.9))
    items = {f["item"]: f for f in result.computed["fasting"]["items"]}
    assert items["fasting.last_solids_at"]["earliest_start"] == iso(SCHEDULED + timedelta(hours=0.1))
    assert result.computed["fasting"]["ok"] is False


def test_clear_liquids_exactly_2_hours_before_is_enough() -> None:
    assert assess(sedated(last_clear_liquids_at=2)).state == "ready"


def test_clear_liquids_1_9_hours_before_blocks() -> None:
    result = assess(sedated(last_clear_liquids_at=1.9), now=SCHEDULED)
    assert blocker_ids(result) == ["fasting.last_clear_liquids_at"]


def test_delayed_sedation_case_counts_fasting_up_to_now() -> None:
    result = assess(sedated(last_solids_at=7), now=SCHEDULED + timedelta(hours=1))
    assert result.state == "ready"


def test_intake_later_than_now_is_bad_input() -> None:
    with pytest.raises(RecordError, match=r"fasting\.last_solids_at.*later than now"):
        assess(sedated(last_solids_at=1), now=NOW)  # 09:00 eaten, but it is only 08:00


def test_site_fasting_always_requires_fasting_without_sedation() -> None:
    result = assess(ready_record({"sedation.planned": "no"}), form=form_with_fasting_always())
    assert result.state == "incomplete"
    assert set(result.missing) == {"fasting.last_solids_at", "fasting.last_clear_liquids_at"}


def test_site_fasting_always_blocks_a_recent_meal_without_sedation() -> None:
    record = ready_record(
        {"sedation.planned": "no", "fasting.last_solids_at": before(7.9), "fasting.last_clear_liquids_at": before(3)}
    )
    result = assess(record, form=form_with_fasting_always())
    assert blocker_ids(result) == ["fasting.last_solids_at"]


def test_site_fasting_always_does_not_ask_for_escort_or_iv_without_sedation() -> None:
    record = ready_record(
        {"sedation.planned": "no", "fasting.last_solids_at": before(9), "fasting.last_clear_liquids_at": before(3)}
    )
    assert assess(record, form=form_with_fasting_always()).state == "ready"


def test_one_second_short_of_8_hours_never_reads_as_8_hours() -> None:
    result = assess(sedated(last_solids_at=8 - 1 / 3600))
    items = {f["item"]: f for f in result.computed["fasting"]["items"]}
    assert items["fasting.last_solids_at"]["elapsed_hours"] == 7.9
    assert "only 7.9 h before the procedure" in result.blockers[0].reason
