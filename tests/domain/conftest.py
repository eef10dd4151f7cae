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
    k: {"value": v, "note": READY_NOTES[k]} if k in READY_NOTES else v for k, v in READY_ANSWERS.items()}
# What a listed prescriber-managed drug adds under v2 for READY (the prescriber agreed; risk not high).
DRUG_READY: dict[str, Any] = {
    "thrombotic_risk.high": "no",
    "antithrombotic.prescriber_agreed": {"value": "met", "note": "Dr. Okafor (cardiology) agreed by phone"},
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


V2_FOLLOW_UPS: dict[str, Any] = {
    **DRUG_READY,
    "labs.inr_at": "2026-11-24T07:00:00-05:00",
    "labs.crcl_at": "2026-11-24T07:00:00-05:00",
    "pregnancy.test_at": "2026-11-24T07:00:00-05:00",
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
        "procedure": {"type": "interlaminar_epidural", "level": "L4-L5", "laterality": "left",
                      "scheduled_at": iso(SCHEDULED)},
        "answers": copy.deepcopy(READY_RECORD_ANSWERS if form is not FORM_V1 else V1_READY_ANSWERS),
    }
    if form is not FORM_V1:
        # Answered, but ignored until their condition holds (a drug listed, a lab, a negative test): a test that
        # lists warfarin checks the hold and the INR, not that the v2 follow-up questions were asked.
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


@pytest.fixture(scope="session")
def form() -> FormDefinition:
    return FORM


# Worked examples: ../shared/examples (the team's, for the v1 form), ../shared/examples-v2 (for the shipped v2
# form) and tests/domain/examples (ours: each record pins the form version it was made with), same format.
def _shared_folder() -> Path:
    """The team's shared folder: beside the checkout (/work/main) or beside the worktrees folder."""
    for parent in REPO.parents:
        if (parent / "shared" / "examples").is_dir():
            return parent / "shared"
    return REPO.parent / "shared"


SHARED = _shared_folder()
SHARED_EXAMPLES = SHARED / "examples"
SHARED_EXAMPLES_V2 = SHARED / "examples-v2"
OWN_EXAMPLES = Path(__file__).resolve().parent / "examples"
EXPECT_KEYS = {"state", "blockers_all", "blockers_any", "missing_all", "warnings", "computed_eligible", "exit",
               "computed_ready_from"}
V1_FORM_REF = f"{FORM_V1.id}@{FORM_V1.version}"


def example_files() -> list[Any]:
    """One pytest param (path, --form) per example file; a `None` path stands for a missing shared folder."""
    params: list[Any] = []
    for folder, ref, tag in ((SHARED_EXAMPLES, V1_FORM_REF, "shared"), (SHARED_EXAMPLES_V2, FORM.id, "shared-v2")):
        params += ([pytest.param(p, ref, id=f"{tag}/{p.name}") for p in sorted(folder.glob("*.json"))]
                   if folder.is_dir() else [pytest.param(None, ref, id=f"{tag}-folder-missing")])
    return params + [pytest.param(p, FORM.id, id=f"own/{p.name}") for p in sorted(OWN_EXAMPLES.glob("*.json"))]


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
    if "computed_ready_from" in expect:
        got, want = readiness["computed"]["ready_from"], expect["computed_ready_from"]
        assert (got is None) == (want is None), f"ready_from {got!r}, expected {want!r}"
        if want is not None:
            assert datetime.fromisoformat(got) == datetime.fromisoformat(want)
    eligible = {row["drug"]: row["eligible_at"] for row in readiness["computed"]["anticoagulants"]}
    for drug, moment in expect.get("computed_eligible", {}).items():
        assert eligible.get(drug) is not None, f"no eligible_at for {drug}"
        assert datetime.fromisoformat(eligible[drug]) == datetime.fromisoformat(moment)  # the same instant
