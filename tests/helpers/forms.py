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
from checklist_app.services.demo import READY_ANSWERS

REPO = Path(__file__).resolve().parents[2]
FORM_FILE = REPO / "forms" / "fluoro-spine-injection.yaml"
FORM_TEXT = FORM_FILE.read_text(encoding="utf-8")
FORM = parse_form(FORM_TEXT, str(FORM_FILE))

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
) -> dict[str, Any]:
    """A fresh record dict: a male 66-year-old's READY interlaminar case, changed as asked."""
    record: dict[str, Any] = {
        "form": "fluoro-spine-injection",
        "patient": {"name": "Jordan Example", "birth_date": "1960-01-15", "mrn": "MRN100001", "sex": "male"},
        "procedure": {"type": "interlaminar_epidural", "level": "L4-L5", "laterality": "left",
                      "scheduled_at": iso(SCHEDULED)},
        "answers": copy.deepcopy(READY_ANSWERS),
    }
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
