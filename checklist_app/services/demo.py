"""Synthetic demo data: one account per role and made-up patients around today (never real people)."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any

from ..domain.records import Patient, Procedure
from ..store import NotFoundError
from .app import AppServices
from .models import Role, User

# Synthetic accounts, also listed in the README; for trying the app only.
DEMO_USERS: tuple[tuple[str, str, frozenset[Role], str], ...] = (
    ("nurse", "Zoë Łukasiewicz-Ødegård", frozenset({Role.NURSE}), "ready-to-sign-2026"),
    ("coordinator", "Jordan Example", frozenset({Role.COORDINATOR}), "print-queue-2026"),
    ("charge", "Σοφία Παπαδοπούλου", frozenset({Role.CHARGE_NURSE}), "review-all-2026"),
    ("admin", "Alex Admin", frozenset({Role.ADMIN}), "site-setup-2026"),
)
_FIRST = (
    "Avery",
    "Blake",
    "Casey",
    "Devon",
    "Emery",
    "Finley",
    "Harper",
    "Jamie",
    "Kendall",
    "Logan",
    "Morgan",
    "Noel",
    "Parker",
    "Quinn",
    "Reese",
    "Sage",
    "Taylor",
    "Rowan",
    "Skyler",
    "Dana",
)
_LAST = ("Example", "Sample", "Testcase", "Placeholder", "Fictional", "Mockwell", "Demoson", "Synthetic")
_TYPES = ("interlaminar_epidural", "transforaminal_epidural", "caudal_epidural", "subarachnoid_injection")
# Every item of the shipped form answered so that a plain case is READY (synthetic; also used by tests/bench).
READY_ANSWERS: dict[str, Any] = {
    "patient.two_identifiers": "met",
    "consent.signed": "met",
    "procedure.verified": "met",
    "site.marked": "met",
    "imaging.reviewed": "met",
    "allergies.reviewed": "met",
    "infection.absent": "met",
    "contrast.prior_reaction": "no",
    "sedation.planned": "no",
    "anticoagulants": [],
    "bleeding_risk.elevated": "no",
    "diabetes.present": "no",
    "vitals.recorded": "met",
    "personnel.proceduralist": "met",
    "personnel.radiologic_technologist": "met",
    "personnel.nurse": "met",
    "setting.fluoroscopy_ready": "met",
    "setting.radiation_protection": "met",
    "setting.resuscitation_ready": "met",
    "neuro.baseline_documented": "met",
    "steroid.planned": "dexamethasone",
}
# The notes some of those answers need to count (a check whose `met` names someone).
READY_NOTES: dict[str, str] = {"personnel.proceduralist": "Dr. Demo Rivera"}
# What a synthetic anticoagulant case adds: the prescriber asked, thrombotic risk not high.
DRUG_ANSWERS: dict[str, Any] = {"thrombotic_risk.high": "no", "antithrombotic.prescriber_agreed": "met"}
DRUG_NOTES: dict[str, str] = {"antithrombotic.prescriber_agreed": "Dr. Demo Okafor (cardiology)"}


def ensure_users(svc: AppServices) -> list[User]:
    users = []
    for username, name, roles, password in DEMO_USERS:
        try:
            users.append(svc.auth.get(username))
        except NotFoundError:
            users.append(svc.auth.create_user(username, name, set(roles), password, actor="demo"))
    return users


def create_demo(svc: AppServices, records: int = 24, today: date | None = None) -> tuple[int, int]:
    """Users plus `records` synthetic cases (idempotent: tops up to that many). Returns (created, total)."""
    ensure_users(svc)
    nurse = svc.auth.get("nurse")
    existing = svc.store.records.count(None)
    rng = random.Random(2026)
    today = today or date.today()
    created = 0
    now = svc.cases.now()
    for n in range(existing, records):
        day = today + timedelta(days=(n % 5) - 2)
        at = datetime.combine(day, time(7, 30)).astimezone() + timedelta(minutes=25 * (n % 18))
        sex = rng.choice(("female", "male"))
        patient = Patient(
            name=f"{rng.choice(_FIRST)} {rng.choice(_LAST)}",
            sex=sex,
            mrn=f"DEMO{100000 + n}",
            birth_date=date(rng.randint(1940, 1995), rng.randint(1, 12), rng.randint(1, 28)),
        )
        kind_code = rng.choice(_TYPES)
        # A level the form offers for this type (no caudal injection at C6-C7).
        levels = svc.cases.form_levels(kind_code) or ("L4-L5",)
        procedure = Procedure(
            type=kind_code,
            level=rng.choice(levels),
            laterality=rng.choice(("left", "right", "midline")),
            scheduled_at=at,
        )
        case = svc.cases.new_case(nurse, patient, procedure)
        created += 1
        answers = dict(READY_ANSWERS)
        notes = dict(READY_NOTES)
        # Whether pregnancy is asked is the form's rule (sex and age): ask the engine, not a copy of the ages.
        if "pregnancy.status" in case.readiness.applicable:
            answers["pregnancy.status"] = "not_pregnant_test_negative"
            answers["pregnancy.test_at"] = (now - timedelta(hours=2)).isoformat()
        kind = n % 4
        if kind == 1:  # an anticoagulant held too short: a blocker the nurse can read
            answers["anticoagulants"] = [{"drug": "apixaban", "last_dose_at": (now - timedelta(hours=30)).isoformat()}]
            answers.update(DRUG_ANSWERS)
            notes.update(DRUG_NOTES)
        if kind == 2:  # unfinished: stops half way
            answers = dict(list(answers.items())[: len(answers) // 2])
        for item_id, value in answers.items():
            case = svc.cases.answer(nurse, case, item_id, value, note=notes.get(item_id, ""))
        if kind == 3 and day < today and case.readiness.state == "ready":
            svc.documents.sign(nurse, DEMO_USERS[0][3], case)
    return created, svc.store.records.count(None)
