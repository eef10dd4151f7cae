"""Synthetic data for the records, print-queue and idle-lock tests: users' passwords, bulk drafts, signed cases."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from checklist_app.domain.records import Patient, Procedure, Record
from checklist_app.services.app import AppServices
from checklist_app.services.catalog import DEFAULT_FORM_ID, load_form
from checklist_app.services.demo import DEMO_USERS, READY_ANSWERS, READY_NOTES
from checklist_app.services.models import User
from checklist_app.store.record_rows import DraftSpec

PASSWORDS = {username: password for username, _name, _roles, password in DEMO_USERS}
EST = timezone(timedelta(hours=-5))
BULK_RECORDS = 1000
# Synthetic names only; "Quinn" appears in exactly every 10th bulk record so text filters have a known answer.
FIRST = ("Quinn", "Avery", "Blake", "Casey", "Devon", "Emery", "Finley", "Harper", "Jamie", "Kendall")
LAST = ("Example", "Sample", "Testcase", "Placeholder", "Fictional")
# The signed records every test starts with: (patient name, MRN).
SIGNED = (("Rowan Signedfirst", "SGN000001"), ("Sage Signedsecond", "SGN000002"), ("Taylor Signedthird", "SGN000003"))
READINESS_CYCLE = ("ready", "not_ready", "incomplete", "incomplete")


@dataclass(frozen=True)
class RecordsEnv:
    """One test's services on its own database copy, with the demo users and the known record ids."""

    svc: AppServices
    nurse: User
    charge: User
    coordinator: User
    signed_ids: tuple[str, ...]

    def password(self, user: User) -> str:
        return PASSWORDS[user.username]


def sign_ready_case(svc: AppServices, nurse: User, name: str, mrn: str, scheduled_at: datetime) -> str:
    """A READY case created, answered and signed through the services; returns its record id."""
    case = svc.cases.new_case(
        nurse,
        Patient(name=name, birth_date=date(1958, 3, 9), mrn=mrn, sex="male"),
        Procedure(type="interlaminar_epidural", level="L4-L5", laterality="left", scheduled_at=scheduled_at),
    )
    for item_id, value in READY_ANSWERS.items():
        case = svc.cases.answer(nurse, case, item_id, value, note=READY_NOTES.get(item_id, ""))
    assert case.readiness.state == "ready"
    return svc.documents.sign(nurse, PASSWORDS[nurse.username], case).record_id


def bulk_specs(count: int) -> list[DraftSpec]:
    """`count` synthetic drafts spread over three years, two nurses and the three readiness states."""
    form = load_form(DEFAULT_FORM_ID)
    start = datetime(2024, 1, 1, 8, 0, tzinfo=EST)
    specs = []
    for n in range(count):
        record = Record.model_validate(
            {
                "form": form.id,
                "patient": {
                    "name": f"{FIRST[n % 10]} {LAST[(n // 10) % 5]}",
                    "birth_date": "1961-04-02",
                    "mrn": f"SYN{n:06d}",
                    "sex": "female",
                },
                "procedure": {
                    "type": "interlaminar_epidural",
                    "level": "L4-L5",
                    "laterality": "left",
                    "scheduled_at": (start + timedelta(days=n, minutes=15 * (n % 4))).isoformat(),
                },
            }
        )
        specs.append(
            DraftSpec(
                record=record,
                nurse="nurse" if n % 2 == 0 else "nurse.b",
                form_version=form.version,
                form_hash=form.content_hash,
                readiness_state=READINESS_CYCLE[n % 4],
            )
        )
    return specs


def tamper_stored_pdf(db_file: Path, record_id: str) -> None:
    """Flip one byte inside the signed range of the stored PDF, as someone editing the database file would."""
    with sqlite3.connect(db_file) as conn:
        conn.execute("DROP TRIGGER IF EXISTS trg_record_pdfs_no_update")
        (pdf,) = conn.execute("SELECT pdf FROM record_pdfs WHERE record_id = ?", (record_id,)).fetchone()
        at = pdf.index(b"/Type /Page") if b"/Type /Page" in pdf else len(pdf) // 3
        changed = pdf[:at] + bytes([pdf[at] ^ 0x01]) + pdf[at + 1 :]
        conn.execute("UPDATE record_pdfs SET pdf = ? WHERE record_id = ?", (changed, record_id))
