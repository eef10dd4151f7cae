"""Synthetic test data for store tests (no real patients) and small signing helpers."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from checklist_app.domain.records import Answer, Record
from checklist_app.store import RecordRow, SignatureRow, Store

FORM_VERSION = "1.0.0"
FORM_HASH = hashlib.sha256(b"synthetic form").hexdigest()


def make_record(
    name: str = "Jordan Example",
    mrn: str = "MRN100001",
    scheduled_at: str = "2026-11-24T09:30:00-05:00",
    answers: dict[str, Any] | None = None,
) -> Record:
    return Record.model_validate(
        {
            "form": "fluoro-spine-injection",
            "patient": {"name": name, "birth_date": "1961-04-02", "mrn": mrn, "sex": "female"},
            "procedure": {
                "type": "interlaminar_epidural",
                "level": "L4-L5",
                "laterality": "left",
                "scheduled_at": scheduled_at,
            },
            "answers": answers or {},
        }
    )


def new_draft(store: Store, record: Record | None = None, nurse: str = "nurse.kim") -> RecordRow:
    return store.records.create_draft(record or make_record(), nurse, FORM_VERSION, FORM_HASH, "incomplete")


def answer(value: Any, by: str = "nurse.kim", note: str = "") -> Answer:
    return Answer(value=value, by=by, at=datetime(2026, 11, 24, 8, 15, tzinfo=UTC), note=note)


def canonical(row: RecordRow) -> tuple[str, str]:
    text = json.dumps(row.record.to_json(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text, hashlib.sha256(text.encode("utf-8")).hexdigest()


def fake_pdf(tag: str = "prepared") -> bytes:
    return b"%PDF-1.7\n% synthetic " + tag.encode() + b"\n%%EOF\n"


def signature(meaning: str = "prepared", username: str = "nurse.kim", role: str = "nurse") -> SignatureRow:
    return SignatureRow(
        meaning=meaning,
        username=username,
        full_name=f"{username.title()} Example",  # type: ignore[arg-type]
        role=role,
        signed_at=datetime(2026, 11, 24, 9, 0, tzinfo=UTC),
        manifestation=f"Signed by {username} ({meaning})",
    )


def sign(store: Store, row: RecordRow) -> RecordRow:
    current = store.records.get(row.id)
    text, digest = canonical(current)
    return store.records.sign(
        row.id,
        expected_version=current.version,
        canonical_json=text,
        sha256=digest,
        signature=signature(),
        pdf=fake_pdf(),
    )


def cosign(store: Store, row: RecordRow, username: str = "charge.lee") -> RecordRow:
    latest = store.records.latest_pdf(row.id)
    assert latest is not None
    return store.records.add_signature(
        row.id,
        signature("reviewed", username, "charge_nurse"),
        latest.pdf + b"% incremental update by " + username.encode() + b"\n%%EOF\n",
    )
