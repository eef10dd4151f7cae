"""Readiness: READY / NOT READY (with blockers) / INCOMPLETE from a form, a record and the time now."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from .answers import MedicationEntry, coerce_value
from .antithrombotics import listed_drugs
from .conditions import Facts, holds
from .effects import effect_of
from .errors import RecordError
from .fasting import FastingResult, FastingSummary, assess_fasting
from .forms import (
    CheckItem,
    DateTimeItem,
    FormDefinition,
    Item,
    MedicationListItem,
    NumberItem,
)
from .freshness import AgeResult, assess_age
from .holds import HoldResult, assess_hold
from .ready_from import ready_from
from .records import Record, age_on

State = Literal["ready", "not_ready", "incomplete"]


class Finding(BaseModel):
    """A blocker or a warning on one item, in words a nurse can act on."""

    model_config = ConfigDict(frozen=True)

    item: str
    reason: str
    hard_stop: bool = False
    override_allowed: bool = False
    authoriser: str = ""  # who must authorise an override (named when signing NOT READY)


class Readiness(BaseModel):
    """The verdict and what it was computed from; `to_json()` is the readiness JSON of the design card."""

    model_config = ConfigDict(frozen=True)

    state: State
    blockers: tuple[Finding, ...] = ()
    missing: tuple[str, ...] = ()
    warnings: tuple[Finding, ...] = ()
    applicable: tuple[str, ...] = Field(default=(), exclude=True)
    procedure_time: datetime  # the time the case is checked for: the scheduled time, or now if later
    age: int
    risk_class: str
    holds: tuple[HoldResult, ...] = ()  # one row per anticoagulant entry, in entry order
    fasting: FastingSummary = FastingSummary()
    result_ages: tuple[AgeResult, ...] = ()  # each result with a maximum age (INR sample, pregnancy test)
    # clinical.md Rules v2 "Ready from": READY for the scheduled start but not yet now; else None.
    ready_from: datetime | None = None
    # Every answer as its item's typed value (coerce_value), by item id: what the rules judged. Not in the JSON.
    values: dict[str, Any] = Field(default_factory=dict, exclude=True)

    @property
    def can_override(self) -> bool:
        """Blockers exist and every one may be overridden with a documented reason."""
        return bool(self.blockers) and all(b.override_allowed for b in self.blockers)

    @property
    def computed(self) -> dict[str, Any]:
        """The readiness JSON's "computed" object (derived from the typed fields)."""
        data: dict[str, Any] = {
            "procedure_time": self.procedure_time.isoformat(),
            "age": self.age,
            "risk_class": self.risk_class,
            "anticoagulants": [_hold_json(h) for h in self.holds],
            "fasting": {
                "required": self.fasting.required,
                "ok": self.fasting.ok,
                "items": [f.model_dump(mode="json") for f in self.fasting.items],
            },
        }
        # Added only when there is something to say, so a v1 record's readiness JSON stays byte for byte as it was
        # (an absent ready_from reads as null: ready now, or not ready at all).
        if self.result_ages:
            data["result_ages"] = [a.model_dump(mode="json") for a in self.result_ages]
        if self.ready_from is not None:
            data["ready_from"] = self.ready_from.isoformat()
        return data

    def to_json(self) -> dict[str, Any]:
        """The readiness JSON of the design card."""
        data = self.model_dump(mode="json", include={"state", "blockers", "missing", "warnings"})
        # The authoriser stays out: the JSON keeps its v1 shape (the signing services read it from the Finding).
        data["blockers"] = [
            {k: v for k, v in b.items() if k in ("item", "reason") or (v and k != "authoriser")}
            for b in data["blockers"]
        ]
        data["warnings"] = [{"item": w["item"], "reason": w["reason"]} for w in data["warnings"]]
        data["computed"] = self.computed
        return data


def risk_class(form: FormDefinition, procedure_type: str, facts: Facts | None) -> str:
    base = form.procedure_table[procedure_type].risk_class
    if form.risk_upgrade and facts is not None and holds(form.risk_upgrade.when, facts):
        index = min(form.risk_classes.index(base) + 1, len(form.risk_classes) - 1)
        return form.risk_classes[index]
    return base


def typed_answers(
    form: FormDefinition, record: Record, now: datetime, checked: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Every answer checked against its item; raises RecordError on the first bad one.

    `checked`: typed values of answers already checked (by item id), taken as they are, so a save
    checks only its new answer.
    """
    values: dict[str, Any] = {}
    for item_id, answer in record.answers.items():
        if checked is not None and item_id in checked:
            values[item_id] = checked[item_id]
            continue
        item = form.items.get(item_id)
        if item is None:
            raise RecordError(f"answers.{item_id}", f"unknown item id; form '{form.id}' has no such item")
        values[item_id] = coerce_value(form, item, answer.value, now, f"answers.{item_id}")
    return values


def check_record(
    form: FormDefinition, record: Record, now: datetime, checked: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """All bad-input checks of the record against the form; returns the typed answers."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise RecordError("now", "the current time has no UTC offset")
    if record.form != form.id:
        raise RecordError("form", f"record is for form '{record.form}', not '{form.id}'")
    if record.procedure.type not in form.procedure_table:
        codes = ", ".join(form.procedure_table)
        raise RecordError("procedure.type", f"{record.procedure.type!r} is not one of {codes}")
    if record.patient.birth_date > record.procedure.scheduled_at.date():
        raise RecordError("patient.birth_date", "is after the procedure date")
    return typed_answers(form, record, now, checked)


def evaluate(
    form: FormDefinition, record: Record, now: datetime, checked: Mapping[str, Any] | None = None
) -> Readiness:
    """Apply every rule of the form. Raises RecordError only for bad input, never for a valid record.

    `checked`: answers already turned into typed values by `coerce_value` (e.g. the previous
    readiness's `values` plus the one new answer), which are not checked again.
    """
    values = check_record(form, record, now, checked)
    scheduled = record.procedure.scheduled_at
    # A delayed case is checked against the time it can really start.
    procedure_time = max(scheduled, now).astimezone(scheduled.tzinfo)
    age = age_on(record.patient.birth_date, procedure_time.date())
    drugs = frozenset(
        e.drug for item_id, v in values.items() if isinstance(form.items[item_id], MedicationListItem) and v for e in v
    )
    params = form.param_values
    applicable: dict[str, Any] = {}
    facts = Facts(
        answers=applicable,
        sex=record.patient.sex,
        age=age,
        drugs=drugs,
        params=params,
        listed=listed_drugs(form, values),
        procedure_type=record.procedure.type,
        level=record.procedure.level,
        risk_class=lambda f: risk_class(form, record.procedure.type, f),
    )
    order = []
    for item_id in form.evaluation_order:
        item = form.items[item_id]
        if item.when is None or holds(item.when, facts):
            order.append(item_id)
            if values.get(item_id) is not None:
                applicable[item_id] = values[item_id]
    cls = risk_class(form, record.procedure.type, facts)

    blockers: list[Finding] = []
    warnings: list[Finding] = []
    missing: list[str] = []
    holds_table: list[HoldResult] = []
    fasting: list[FastingResult] = []
    ages: list[AgeResult] = []
    position = {item_id: n for n, item_id in enumerate(form.items)}
    for item_id in sorted(order, key=position.__getitem__):
        item = form.items[item_id]
        value = applicable.get(item_id)
        if value is None:
            if item.required:
                missing.append(item_id)
            continue
        _judge(
            form,
            item,
            value,
            record,
            facts,
            procedure_time,
            cls,
            blockers,
            warnings,
            missing,
            holds_table,
            fasting,
            ages,
        )

    can_move_up = form.risk_classes.index(cls) < len(form.risk_classes) - 1
    if can_move_up and form.risk_upgrade and any(r in missing for r in form.risk_upgrade.when.answer_refs()):
        warnings.append(
            Finding(
                item=next(iter(form.risk_upgrade.when.answer_refs())),
                reason=f"Bleeding-risk class is provisional ({cls}) until this is answered",
            )
        )
    fasting_items = [
        i
        for i in order
        if isinstance(item := form.items[i], DateTimeItem) and item.min_hours_before_procedure is not None
    ]
    state: State = "not_ready" if blockers else ("incomplete" if missing else "ready")
    fasting_ok = (
        all(f.ok for f in fasting)
        if fasting_items and len(fasting) == len(fasting_items)
        else (None if fasting_items else True)
    )
    return Readiness(
        state=state,
        blockers=tuple(blockers),
        missing=tuple(missing),
        warnings=tuple(warnings),
        applicable=tuple(order),
        procedure_time=procedure_time,
        age=age,
        risk_class=cls,
        holds=tuple(holds_table),
        fasting=FastingSummary(required=bool(fasting_items), ok=fasting_ok, items=tuple(fasting)),
        result_ages=tuple(ages),
        ready_from=ready_from(state == "ready", now, procedure_time, holds_table, fasting),
        values=values,
    )


def ready_after_waiting(form: FormDefinition, record: Record, now: datetime, readiness: Readiness) -> datetime | None:
    """When the case can start: `ready_from` for a READY case; for a NOT READY case held up only by holds or
    fasts that time completes, the latest of their times, if the case judged at that moment is READY (a delayed
    case whose apixaban hold ends at 10:00). None otherwise: something else blocks, or nothing to wait for."""
    if readiness.state != "not_ready":
        return readiness.ready_from
    times = [h.eligible_at for h in readiness.holds if h.eligible_at is not None and h.status == "too_short"]
    times += [f.earliest_start for f in readiness.fasting.items if not f.ok]
    moment = max(times, default=None)
    if moment is None or moment <= now:
        return None
    later = evaluate(form, record, moment, readiness.values)
    return moment.astimezone(readiness.procedure_time.tzinfo) if later.state == "ready" else None


def _hold_json(h: HoldResult) -> dict[str, Any]:
    data = h.model_dump(mode="json")
    data["eligible_at"] = h.eligible_at.isoformat() if h.eligible_at else None
    # What the row means for readiness (blocker, warning or ok), kept in the contract JSON.
    data["verdict"] = h.verdict.finding
    return data


def _judge(
    form: FormDefinition,
    item: Item,
    value: Any,
    record: Record,
    facts: Facts,
    procedure_time: datetime,
    cls: str,
    blockers: list[Finding],
    warnings: list[Finding],
    missing: list[str],
    holds_table: list[HoldResult],
    fasting: list[FastingResult],
    ages: list[AgeResult],
) -> None:
    answers = facts.answers

    def block(reason: str, hard: bool = False, allowed: bool | None = None, authoriser: str | None = None) -> None:
        allowed = (item.override_allowed if allowed is None else allowed) and not hard
        blockers.append(
            Finding(
                item=item.id,
                reason=reason,
                hard_stop=hard,
                override_allowed=allowed,
                authoriser=(authoriser or item.override_authoriser) if allowed else "",
            )
        )

    def warn(reason: str) -> None:
        warnings.append(Finding(item=item.id, reason=reason))

    outcome = effect_of(item, value, facts)
    if outcome is not None:
        if outcome.effect == "blocker":
            block(outcome.reason, outcome.hard_stop, outcome.override_allowed, outcome.authoriser)
        else:
            warn(outcome.reason)
    if isinstance(item, CheckItem):
        if value == "met" and item.met_needs_note and not record.answers[item.id].note.strip():
            missing.append(item.id)  # e.g. "present" counts only with the proceduralist's name in the note
        elif value == "not_met":
            hard = item.hard_stop or (item.hard_stop_when is not None and holds(item.hard_stop_when, facts))
            block(f"Not met: {item.text}" + (" — hard stop" if hard else ""), hard)
        elif value == "na":
            answer = record.answers[item.id]
            if not answer.reason:
                missing.append(item.id)  # N/A without a reason counts as unanswered
            elif not item.na_allowed:
                block(f"N/A is not accepted for: {item.text}", item.hard_stop)
    elif isinstance(item, NumberItem):
        unit = f" {item.unit}" if item.unit else ""
        # A limit whose parameter is unset (site policy) is off.
        block_above = form.number_or_unset(item.block_above) if item.block_above is not None else None
        warn_above = form.number_or_unset(item.warn_above) if item.warn_above is not None else None
        if block_above is not None and value > block_above:
            block(f"{item.text} {value:g}{unit} is above {block_above:g}{unit}")
        if warn_above is not None and value > warn_above:
            warn(f"{item.text} {value:g}{unit} is above {warn_above:g}{unit}")
    elif isinstance(item, DateTimeItem):
        if item.min_hours_before_procedure is not None:
            fasted = assess_fasting(
                item.id, item.text, value, procedure_time, form.number(item.min_hours_before_procedure)
            )
            fasting.append(fasted)
            if not fasted.ok:
                block(fasted.reason)
        max_age = form.number_or_unset(item.max_age_hours) if item.max_age_hours is not None else None
        if max_age is not None:
            aged = assess_age(item.id, item.text, value, procedure_time, max_age, item.max_age_reason)
            ages.append(aged)
            if not aged.ok:
                block(aged.reason)
    elif isinstance(item, MedicationListItem):
        entries: tuple[MedicationEntry, ...] = value
        for entry in entries:
            drug = form.drug_table[entry.drug]
            lab = drug.lab_adjustment
            lab_value = answers.get(lab.item) if lab else None
            held = assess_hold(form, drug, entry.last_dose_at, procedure_time, cls, lab_value, entry.name)
            holds_table.append(held)
            if held.blocks:
                block(held.reason)
            elif held.warns:
                warn(held.reason)
