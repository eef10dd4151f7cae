"""Synthetic patients, cases and a signing nurse shared by the benchmarks (no real data, ever)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from checklist_app.services.demo import READY_ANSWERS, READY_NOTES

if TYPE_CHECKING:
    from checklist_app.domain.records import Patient, Procedure, Record
    from checklist_app.services.app import AppServices
    from checklist_app.services.models import User

NURSE = "bench.nurse"
NURSE_NAME = "Jordan Example 00001"
# Long enough for the password rules; argon2 makes every check of it cost the same as a real one.
PASSWORD = "bench-only-Passw0rd-2026"

# Every item of the shipped form answered, READY (the package's own synthetic demo answers).
FULL_ANSWERS = READY_ANSWERS

# Synthetic name parts: the review search needs prefixes of varying selectivity, not one shared name.
FIRST_NAMES = (
    "Jordan",
    "Alex",
    "Casey",
    "Morgan",
    "Riley",
    "Taylor",
    "Avery",
    "Quinn",
    "Jamie",
    "Rowan",
    "Skyler",
    "Dakota",
    "Reese",
    "Emerson",
    "Finley",
    "Harper",
    "Kendall",
    "Logan",
    "Parker",
    "Sage",
)
LAST_NAMES = (
    "Example",
    "Sample",
    "Specimen",
    "Placeholder",
    "Fixture",
    "Dummy",
    "Mock",
    "Stub",
    "Proxy",
    "Template",
    "Pattern",
    "Prototype",
    "Model",
    "Instance",
    "Exemplar",
    "Demo",
    "Trial",
    "Testcase",
    "Draft",
    "Sketch",
)
PROCEDURES = (
    ("interlaminar_epidural", "L4-L5", "left"),
    ("transforaminal_epidural", "L5-S1", "right"),
    ("caudal_epidural", "S5-Co1", "midline"),
)


def patient_name(i: int) -> str:
    """ "Jordan Example 00042"-style names; first and last names cycle independently."""
    return f"{FIRST_NAMES[i % len(FIRST_NAMES)]} {LAST_NAMES[(i // len(FIRST_NAMES)) % len(LAST_NAMES)]} {i:05d}"


def patient(i: int, *, ready: bool = False) -> Patient:
    """Patient number i. `ready=True` gives the base-ready patient's sex and age (a man born in 1960), for
    whom FULL_ANSWERS is complete; others vary, so some would also need e.g. the pregnancy item."""
    from checklist_app.domain.records import Patient

    if ready:
        return Patient(name=patient_name(i), birth_date=date(1960, 1, 15), mrn=f"BENCH{i:07d}", sex="male")
    return Patient(
        name=patient_name(i),
        birth_date=date(1940 + i % 60, 1 + i % 12, 1 + i % 28),
        mrn=f"BENCH{i:07d}",
        sex=("female", "male")[i % 2],
    )


def procedure(i: int, scheduled_at: datetime, *, ready: bool = False) -> Procedure:
    from checklist_app.domain.records import Procedure

    kind, level, side = PROCEDURES[0 if ready else i % len(PROCEDURES)]
    return Procedure(type=kind, level=level, laterality=side, scheduled_at=scheduled_at)  # type: ignore[arg-type]


def full_record(i: int, scheduled_at: datetime, form: Any, by: str = NURSE, at: datetime | None = None) -> Record:
    """A complete READY record (base-ready.json's answers, with who and when) pinned to `form`."""
    from checklist_app.domain.records import Record

    at = at or scheduled_at - timedelta(hours=1)
    return Record(
        form=form.id,
        form_version=form.version,
        form_hash=form.content_hash,
        patient=patient(i, ready=True),
        procedure=procedure(i, scheduled_at, ready=True),
        answers={k: {"value": v, "note": READY_NOTES.get(k, ""), "by": by, "at": at} for k, v in FULL_ANSWERS.items()},
    )


def default_form() -> Any:
    from checklist_app.services.catalog import DEFAULT_FORM_ID, load_form

    return load_form(DEFAULT_FORM_ID)


@contextmanager
def site_secret(folder: Path) -> Iterator[None]:
    """Point the site-authority secret at a scratch file while identities are issued, then restore."""
    old = os.environ.get("CHECKLIST_SITE_SECRET_FILE")
    os.environ["CHECKLIST_SITE_SECRET_FILE"] = str(folder / "site-authority.secret")
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("CHECKLIST_SITE_SECRET_FILE", None)
        else:
            os.environ["CHECKLIST_SITE_SECRET_FILE"] = old


@dataclass
class Workspace:
    """Opened services on one database, with a nurse who has a signing identity."""

    services: AppServices
    nurse: User

    def close(self) -> None:
        self.services.close()


def open_workspace(url: str, scratch: Path) -> Workspace:
    from checklist_app.services.app import AppServices
    from checklist_app.services.models import Role

    services = AppServices.open(url)
    with site_secret(scratch):
        if services.auth.has_users():
            nurse = services.auth.get(NURSE)
        else:
            nurse = services.auth.create_user(NURSE, NURSE_NAME, {Role.NURSE}, PASSWORD, actor="bench")
    return Workspace(services=services, nurse=nurse)


def local_now() -> datetime:
    return datetime.now(UTC).astimezone()


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"
