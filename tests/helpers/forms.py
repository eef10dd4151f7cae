"""The shipped form, a READY record dict, and short ways to change and evaluate it (domain tests, CLI)."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from checklist_app.domain.formparse import parse_form
from checklist_app.domain.forms import FormDefinition
from checklist_app.domain.readiness import Readiness, evaluate
from checklist_app.domain.records import parse_record
from checklist_app.services.demo import READY_ANSWERS, READY_NOTES

__all__ = ["READY_ANSWERS", "READY_NOTES"]

REPO = Path(__file__).resolve().parents[2]
FORM_FILE = REPO / "forms" / "fluoro-spine-injection.yaml"
FORM_TEXT = FORM_FILE.read_text(encoding="utf-8")
FORM = parse_form(FORM_TEXT, str(FORM_FILE))
# The Rules v1 form (2026.11.1), kept for the records made with it.
FORM_V1_FILE = REPO / "forms" / "previous" / "fluoro-spine-injection-2026.11.1.yaml"
FORM_V1 = parse_form(FORM_V1_FILE.read_text(encoding="utf-8"), str(FORM_V1_FILE))
V1_HASH = "7daf7e07f91eb150439e1acd29ceef397928afd97d6749cfa8f99fc5b7fe8a7a"
# READY under v1: the v2 answers left out (v1 does not know those items) and no name needed.
V1_READY_ANSWERS: dict[str, Any] = {k: v for k, v in READY_ANSWERS.items() if k in FORM_V1.items}
# READY under the shipped form, as record JSON (an answer with its note as {value, note}).
READY_RECORD_ANSWERS: dict[str, Any] = {
    k: {"value": v, "note": READY_NOTES[k]} if k in READY_NOTES else v for k, v in READY_ANSWERS.items()
}
# What a listed prescriber-managed drug adds under v2 for READY (the prescriber agreed; risk not high).
DRUG_READY: dict[str, Any] = {
    "thrombotic_risk.high": "no",
    "antithrombotic.prescriber_agreed": {"value": "met", "note": "Dr. Okafor (cardiology) agreed by phone"},
}
# Answered, but ignored until their condition holds (a drug listed, a lab, a negative test).
V2_FOLLOW_UPS: dict[str, Any] = {
    **DRUG_READY,
    "labs.inr_at": "2026-11-24T07:00:00-05:00",
    "labs.crcl_at": "2026-11-24T07:00:00-05:00",
    "pregnancy.test_at": "2026-11-24T07:00:00-05:00",
}

EST = timezone(timedelta(hours=-5))
SCHEDULED = datetime(2026, 11, 24, 10, 0, tzinfo=EST)
NOW = datetime(2026, 11, 24, 8, 0, tzinfo=EST)  # two hours before the scheduled start


# Answers that make a sedation case READY on top of READY_ANSWERS (intake well before NOW).
SEDATION_ANSWERS: dict[str, Any] = {
    "sedation.planned": "yes",
    "fasting.last_solids_at": "2026-11-23T22:00:00-05:00",
    "fasting.last_clear_liquids_at": "2026-11-24T06:00:00-05:00",
    "escort.arranged": "met",
    "iv.access": "met",
    "personnel.sedation_provider": "met",
    "glp1.taking": "no",
    "sedation.monitoring_ready": "met",
}


def iso(moment: datetime) -> str:
    return moment.isoformat()


def before(hours: float, ref: datetime = SCHEDULED) -> str:
    """ISO text of the instant `hours` before `ref` (the scheduled start by default)."""
    return iso(ref - timedelta(hours=hours))


def ready_record(
    answers: Mapping[str, Any] | None = None,
    *,
    drop: Iterable[str] = (),
    patient: Mapping[str, Any] | None = None,
    procedure: Mapping[str, Any] | None = None,
    form: FormDefinition = FORM,
) -> dict[str, Any]:
    """A fresh record dict: a male 66-year-old's READY interlaminar case, changed as asked (READY under
    `form`: the shipped one, or FORM_V1)."""
    record: dict[str, Any] = {
        "form": "fluoro-spine-injection",
        "patient": {"name": "Jordan Example", "birth_date": "1960-01-15", "mrn": "MRN100001", "sex": "male"},
        "procedure": {
            "type": "interlaminar_epidural",
            "level": "L4-L5",
            "laterality": "left",
            "scheduled_at": iso(SCHEDULED),
        },
        "answers": copy.deepcopy(READY_RECORD_ANSWERS if form is not FORM_V1 else V1_READY_ANSWERS),
    }
    if form is not FORM_V1:
        # A test that lists warfarin checks the hold and the INR, not that the v2 follow-up questions were asked.
        record["answers"].update(copy.deepcopy(V2_FOLLOW_UPS))
    record["answers"].update(copy.deepcopy(dict(answers or {})))
    for item_id in drop:
        record["answers"].pop(item_id)
    record["patient"].update(patient or {})
    record["procedure"].update(procedure or {})
    return record


def assess(record: Mapping[str, Any], now: datetime = NOW, form: FormDefinition = FORM) -> Readiness:
    """Validate the record dict and evaluate it, as the app does."""
    return evaluate(form, parse_record(dict(record)), now)


def blocker_ids(result: Readiness) -> list[str]:
    return [b.item for b in result.blockers]


def warning_ids(result: Readiness) -> list[str]:
    return [w.item for w in result.warnings]


def reasons(result: Readiness) -> str:
    return " | ".join(f.reason for f in (*result.blockers, *result.warnings))
