"""Properties over many generated cases: time only helps a hold; evaluate never raises on a valid record."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from checklist_app.domain.forms import (
    CheckItem,
    ChoiceItem,
    DateTimeItem,
    Drug,
    FormDefinition,
    Item,
    MedicationListItem,
    NumberItem,
    TextItem,
    YesNoItem,
)
from checklist_app.domain.holds import assess_hold
from tests.helpers.forms import FORM, FORM_V1, assess, ready_record

SETTINGS = settings(max_examples=150, deadline=None)
FEWER = settings(max_examples=60, deadline=None)  # each example evaluates a whole generated record (or two)

offsets = st.integers(-14 * 60, 14 * 60).map(lambda minutes: timezone(timedelta(minutes=minutes)))
moments = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC))


def before(now: datetime, max_days: int = 60) -> st.SearchStrategy[str]:
    """ISO text of an instant at or before `now`, written in any offset."""
    return st.builds(
        lambda seconds, tz: (now - timedelta(seconds=seconds)).astimezone(tz).isoformat(),
        st.integers(0, max_days * 86400),
        offsets,
    )


def medication_entries(now: datetime, form: FormDefinition = FORM) -> st.SearchStrategy[dict[str, Any]]:
    """One valid entry: a catch-all code ("other") always with a name, a listed code never."""

    def entry(code: str) -> st.SearchStrategy[dict[str, Any]]:
        named = {"name": st.sampled_from(["vorapaxar", "Vorapaxar ", "pentoxifylline"])}
        return st.fixed_dictionaries(
            {
                "drug": st.just(code),
                "last_dose_at": before(now, 30),
                **(named if form.drug_table[code].needs_name else {}),
            },
            optional={"dose": st.sampled_from(["5 mg", "75 mg", 40])},
        )

    return st.sampled_from(sorted(form.drug_table)).flatmap(entry)


def medication_lists(now: datetime, form: FormDefinition = FORM) -> st.SearchStrategy[list[dict[str, Any]]]:
    return st.lists(medication_entries(now, form), max_size=4)


def values_for(item: Item, now: datetime, form: FormDefinition = FORM) -> st.SearchStrategy[Any]:
    """Every valid answer value of one item, from the form's own definition of the item."""
    if isinstance(item, CheckItem):
        plain = st.sampled_from(["met", "not_met", "na"])
        return plain | st.fixed_dictionaries(
            {"value": plain, "note": st.sampled_from(["", " ", "midline approach", "Dr. Rivera"])}
        )
    if isinstance(item, YesNoItem):
        return st.sampled_from(["yes", "no"])
    if isinstance(item, ChoiceItem):
        return st.sampled_from([option.code for option in item.options])
    if isinstance(item, NumberItem):
        return st.floats(item.min, item.max, allow_nan=False) | st.integers(
            int(item.min) + (item.min % 1 > 0), int(item.max)
        )
    if isinstance(item, DateTimeItem):
        return before(now, 3)
    if isinstance(item, TextItem):
        return st.text(max_size=item.max_length)
    assert isinstance(item, MedicationListItem)
    return medication_lists(now, form)


@st.composite
def valid_records(draw: st.DrawFn, form: FormDefinition = FORM) -> tuple[dict[str, Any], datetime]:
    """A record the app must accept: any patient, procedure and subset of valid answers, with its `now`."""
    now = draw(moments).astimezone(draw(offsets))
    scheduled = (now + timedelta(minutes=draw(st.integers(-3 * 24 * 60, 30 * 24 * 60)))).astimezone(draw(offsets))
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=scheduled.date()))
    answers = {}
    for item_id, item in form.items.items():
        if draw(st.booleans()) or draw(st.booleans()):  # most items answered, many left out
            answers[item_id] = draw(values_for(item, now, form))
    record = ready_record(
        patient={"birth_date": born.isoformat(), "sex": draw(st.sampled_from(["female", "male", "other", "unknown"]))},
        procedure={
            "type": draw(st.sampled_from(sorted(form.procedure_table))),
            "scheduled_at": scheduled.isoformat(),
            "level": draw(st.sampled_from(["L4-L5", "C6-C7", "c5-C6", "S1", "", "Sacral hiatus"])),
            "laterality": draw(st.sampled_from(["left", "right", "bilateral", "midline", "not_applicable"])),
        },
    )
    record["answers"] = answers
    return record, now


@SETTINGS
@given(valid_records())
def test_evaluate_never_raises_on_a_valid_record(case: tuple[dict[str, Any], datetime]) -> None:
    record, now = case
    result = assess(record, now)
    assert result.state == ("not_ready" if result.blockers else "incomplete" if result.missing else "ready")
    assert {f.item for f in (*result.blockers, *result.warnings)} | set(result.missing) <= set(FORM.items)
    assert len(set(result.missing)) == len(result.missing)
    assert not any(b.hard_stop and b.override_allowed for b in result.blockers)  # hard stops: never overridable
    json.dumps(result.to_json())


@FEWER
@given(valid_records(FORM_V1))
def test_evaluate_never_raises_on_a_valid_v1_record(case: tuple[dict[str, Any], datetime]) -> None:
    record, now = case
    result = assess(record, now, form=FORM_V1)
    assert {f.item for f in (*result.blockers, *result.warnings)} | set(result.missing) <= set(FORM_V1.items)
    json.dumps(result.to_json())


@FEWER
@given(data=st.data())
def test_adding_a_drug_never_turns_a_not_ready_case_ready(data: st.DataObject) -> None:
    """Rules v2: a second antithrombotic only ever adds holds (the class moves up, never down)."""
    record, now = data.draw(valid_records())
    before_add = assess(record, now)
    extra = data.draw(medication_entries(now))
    position = data.draw(st.integers(0, len(record["answers"].get("anticoagulants") or [])))
    more = dict(record, answers=dict(record["answers"]))
    listed = list(more["answers"].get("anticoagulants") or [])
    more["answers"]["anticoagulants"] = [*listed[:position], extra, *listed[position:]]
    after_add = assess(more, now)
    if before_add.state == "not_ready":
        assert after_add.state == "not_ready"
    if before_add.state != "ready":
        assert after_add.state != "ready"


@SETTINGS
@given(
    drug=st.sampled_from(FORM.drugs),
    risk=st.sampled_from(["intermediate", "high"]),
    lab=st.none() | st.floats(0, 250),
    held=st.integers(0, 400 * 3600),
    more=st.integers(0, 400 * 3600),
)
def test_more_elapsed_time_never_turns_a_met_hold_into_a_blocker(
    drug: Drug, risk: str, lab: float | None, held: int, more: int
) -> None:
    last_dose = datetime(2026, 11, 1, 8, 0, tzinfo=timezone(timedelta(hours=-5)))
    first = assess_hold(FORM, drug, last_dose, last_dose + timedelta(seconds=held), risk, lab)
    later = assess_hold(FORM, drug, last_dose, last_dose + timedelta(seconds=held + more), risk, lab)
    if not first.blocks:
        assert not later.blocks
    if first.status == "ok":
        assert later.status == "ok"


@SETTINGS
@given(data=st.data(), delay_minutes=st.integers(0, 20 * 24 * 60))
def test_a_later_now_never_adds_a_hold_or_fasting_blocker(data: st.DataObject, delay_minutes: int) -> None:
    now = datetime(2026, 11, 24, 8, 0, tzinfo=timezone(timedelta(hours=-5)))
    answers = {
        "anticoagulants": data.draw(medication_lists(now)),
        "bleeding_risk.elevated": data.draw(st.sampled_from(["yes", "no"])),
        "sedation.planned": "yes",
        "escort.arranged": "met",
        "iv.access": "met",
        "personnel.sedation_provider": "met",
        "fasting.last_solids_at": data.draw(before(now, 1)),
        "fasting.last_clear_liquids_at": data.draw(before(now, 1)),
        "labs.inr": 1.0,
        "labs.crcl_ml_min": data.draw(st.integers(0, 250)),
    }
    record = ready_record(answers, procedure={"type": data.draw(st.sampled_from(sorted(FORM.procedure_table)))})
    time_blockers = {"anticoagulants", "fasting.last_solids_at", "fasting.last_clear_liquids_at"}
    earlier = [b for b in assess(record, now).blockers if b.item in time_blockers]
    later = [b for b in assess(record, now + timedelta(minutes=delay_minutes)).blockers if b.item in time_blockers]
    assert len(later) <= len(earlier)
