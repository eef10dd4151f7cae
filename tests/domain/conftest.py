"""Shared builders: the shipped form, a READY record, and short ways to change and evaluate it."""

from __future__ import annotations

import copy
import os
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

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


@pytest.fixture(scope="session")
def form() -> FormDefinition:
    return FORM


# Worked examples: ../shared/examples (the team's) and tests/domain/examples (ours), same format.
SHARED_EXAMPLES = Path(__file__).resolve().parents[2] / ".." / "shared" / "examples"
OWN_EXAMPLES = Path(__file__).resolve().parent / "examples"
EXPECT_KEYS = {"state", "blockers_all", "blockers_any", "missing_all", "warnings", "computed_eligible", "exit"}


def example_files() -> list[Any]:
    """One pytest param per example file; `None` stands for a missing shared folder."""
    shared = ([pytest.param(p, id=f"shared/{p.name}") for p in sorted(SHARED_EXAMPLES.glob("*.json"))]
              if SHARED_EXAMPLES.is_dir() else [pytest.param(None, id="shared-folder-missing")])
    own = [pytest.param(p, id=f"own/{p.name}") for p in sorted(OWN_EXAMPLES.glob("*.json"))]
    return shared + own


def require_example(path: Path | None) -> Path:
    """The example path; fails in CI and skips elsewhere when the shared folder is not there."""
    if path is None:
        message = f"shared examples folder not found at {SHARED_EXAMPLES.resolve()}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


def check_expectations(expect: Mapping[str, Any], readiness: Mapping[str, Any]) -> None:
    """Assert the readiness JSON meets every `expect` key of the examples README."""
    assert set(expect) <= EXPECT_KEYS, f"unknown expect keys {set(expect) - EXPECT_KEYS}"
    blockers = [b["item"] for b in readiness["blockers"]]
    if "state" in expect:
        assert readiness["state"] == expect["state"]
    for item_id in expect.get("blockers_all", ()):
        assert item_id in blockers
    if "blockers_any" in expect:
        assert set(expect["blockers_any"]) & set(blockers)
    for item_id in expect.get("missing_all", ()):
        assert item_id in readiness["missing"]
    if expect.get("warnings"):
        assert readiness["warnings"]
    eligible = {row["drug"]: row["eligible_at"] for row in readiness["computed"]["anticoagulants"]}
    for drug, moment in expect.get("computed_eligible", {}).items():
        assert eligible.get(drug) is not None, f"no eligible_at for {drug}"
        assert datetime.fromisoformat(eligible[drug]) == datetime.fromisoformat(moment)  # the same instant
