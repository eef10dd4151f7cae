"""Signed records, their answers, signatures, PDFs and the audit log resist raw SQL, on both databases."""

from __future__ import annotations

import importlib
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from checklist_app.store import Store
from checklist_app.store.tables import records
from tests.helpers.store_rows import answer, cosign, new_draft, sign

# The module name starts with a digit (Alembic convention), so import it by string.
migration = importlib.import_module("checklist_app.store.migrations.versions.0002_immutability")

# Columns a signed record may still change: lifecycle and bookkeeping, never content.
NON_CONTENT = {"version", "status", "updated_by", "updated_at", "printed_at", "printed_by", "print_outcome"}


def raw(store: Store, sql: str, **params: Any) -> None:
    with store.db.engine.begin() as conn:
        conn.execute(text(sql), params)


def signed_record(store: Store) -> str:
    row = new_draft(store)
    store.records.set_answer(
        row.id, "consent.signed", answer("met"), expected_version=1, actor="nurse.kim", readiness_state="ready"
    )
    return sign(store, row).id


def test_every_records_column_is_either_frozen_or_lifecycle() -> None:
    assert set(migration.CONTENT_COLUMNS) | NON_CONTENT == {c.name for c in records.c}
    assert not set(migration.CONTENT_COLUMNS) & NON_CONTENT


NEW_VALUES: dict[str, Any] = {
    "id": "00000000-0000-0000-0000-000000000000",
    "readiness_state": "not_ready",
    "form_id": "other",
    "form_version": "9",
    "form_hash": "f" * 64,
    "patient_name": "Someone Else",
    "mrn": "MRN999999",
    "birth_date": "1970-01-01",
    "sex": "male",
    "procedure_type": "other",
    "level": "C1",
    "laterality": "right",
    "scheduled_at": datetime(2030, 1, 1, tzinfo=UTC),
    "scheduled_offset_s": 0,
    "created_by": "mallory",
    "created_at": datetime(2030, 1, 1, tzinfo=UTC),
    "supersedes_id": None,
    "amendment_reason": "x",
    "canonical_json": "{}",
    "content_sha256": "0" * 64,
    "signed_at": datetime(2030, 1, 1, tzinfo=UTC),
}


def test_raw_update_of_any_signed_content_column_fails(store: Store) -> None:
    record_id = signed_record(store)
    before = store.records.get(record_id)
    for column in sorted(migration.CONTENT_COLUMNS):
        value = record_id if column == "supersedes_id" else NEW_VALUES[column]  # a value the FK accepts
        if isinstance(value, datetime) and store.dialect == "sqlite":
            value = value.strftime("%Y-%m-%d %H:%M:%S.%f")
        with pytest.raises(IntegrityError, match="cannot be changed"):
            raw(store, f"UPDATE records SET {column} = :v WHERE id = :id", v=value, id=record_id)
    assert store.records.get(record_id) == before


def test_raw_delete_and_status_rollback_of_signed_record_fail(store: Store) -> None:
    record_id = signed_record(store)
    before = store.records.get(record_id)
    with pytest.raises(IntegrityError, match="cannot be changed"):
        raw(store, "DELETE FROM records WHERE id = :id", id=record_id)
    with pytest.raises(IntegrityError, match="cannot be changed"):
        raw(store, "UPDATE records SET status = 'draft' WHERE id = :id", id=record_id)
    for sql in (
        "UPDATE answers SET value_json = '\"not_met\"' WHERE record_id = :id",
        "DELETE FROM answers WHERE record_id = :id",
        "INSERT INTO answers (record_id, item_id, value_json, note, na_reason) VALUES (:id, 'extra', '1', '', '')",
    ):
        with pytest.raises(IntegrityError, match="cannot be changed"):
            raw(store, sql, id=record_id)
    for table in ("signatures", "record_pdfs"):
        with pytest.raises(IntegrityError, match="append-only"):
            raw(store, f"UPDATE {table} SET record_id = record_id WHERE record_id = :id", id=record_id)
        with pytest.raises(IntegrityError, match="append-only"):
            raw(store, f"DELETE FROM {table} WHERE record_id = :id", id=record_id)
    assert store.records.get(record_id) == before


def test_lifecycle_changes_stay_allowed_on_signed_records(store: Store) -> None:
    """Bookkeeping stays writable; the status moves forward only with the rows that justify it (0012)."""
    record_id = signed_record(store)
    raw(store, "UPDATE records SET printed_by = 'coord.ray', version = version + 1 WHERE id = :id", id=record_id)
    with pytest.raises(IntegrityError, match="without the row that justifies it"):
        raw(store, "UPDATE records SET status = 'reviewed' WHERE id = :id", id=record_id)
    cosign(store, store.records.get(record_id))
    with pytest.raises(IntegrityError, match="cannot be changed"):
        raw(store, "UPDATE records SET status = 'signed' WHERE id = :id", id=record_id)
    with pytest.raises(IntegrityError, match="without the row that justifies it"):
        raw(store, "UPDATE records SET status = 'amended' WHERE id = :id", id=record_id)
    store.records.amend(record_id, "level corrected", "charge.lee")
    assert store.records.get(record_id).status == "amended"
    with pytest.raises(IntegrityError, match="cannot be changed"):
        raw(store, "UPDATE records SET status = 'reviewed' WHERE id = :id", id=record_id)


def test_drafts_stay_editable_with_raw_sql(store: Store) -> None:
    row = new_draft(store)
    raw(store, "UPDATE records SET level = 'L5-S1' WHERE id = :id", id=row.id)
    raw(
        store,
        "INSERT INTO answers (record_id, item_id, value_json, note, na_reason) VALUES (:id, 'x', '1', '', '')",
        id=row.id,
    )
    raw(store, "DELETE FROM answers WHERE record_id = :id", id=row.id)
    assert store.records.get(row.id).record.procedure.level == "L5-S1"


def test_audit_rows_cannot_be_updated_or_deleted(store: Store) -> None:
    signed_record(store)
    with pytest.raises(IntegrityError, match="append-only"):
        raw(store, "UPDATE audit SET actor = 'mallory' WHERE seq = 1")
    with pytest.raises(IntegrityError, match="append-only"):
        raw(store, "DELETE FROM audit WHERE seq = (SELECT MAX(seq) FROM audit)")
    with pytest.raises(IntegrityError, match="append-only"):
        raw(store, "UPDATE audit_head SET seq = 1, hash = (SELECT hash FROM audit WHERE seq = 1)")
    with pytest.raises(IntegrityError, match="append-only"):
        raw(
            store,
            "INSERT INTO audit (seq, at, actor, action, detail, prev_hash, hash) "
            "VALUES (1000, :at, 'mallory', 'x', '{}', :h, :h)",
            at=datetime.now(UTC),
            h="0" * 64,
        )
    assert store.audit.verify().ok


def test_reviewed_record_is_frozen_too(store: Store) -> None:
    record_id = signed_record(store)
    cosign(store, store.records.get(record_id))
    with pytest.raises(IntegrityError, match="cannot be changed"):
        raw(store, "UPDATE records SET canonical_json = '{}' WHERE id = :id", id=record_id)


@pytest.mark.postgres
@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_truncate_is_refused_on_postgresql(store: Store) -> None:
    signed_record(store)
    for table in ("audit", "records", "answers", "signatures", "record_pdfs"):
        with pytest.raises(IntegrityError, match="append-only"):
            raw(store, f"TRUNCATE {table} CASCADE")
    assert store.audit.verify().ok


def test_status_cannot_lie_with_raw_sql(store: Store) -> None:
    """Finding 2: signed→reviewed with no co-signature, signed→amended with no newer version, a draft marked
    signed with no signature, a record inserted as signed: each refused by the database itself."""
    record_id = signed_record(store)
    for status in ("reviewed", "amended"):
        with pytest.raises(IntegrityError, match="without the row that justifies it"):
            raw(store, "UPDATE records SET status = :s WHERE id = :id", s=status, id=record_id)
    draft = new_draft(store)
    with pytest.raises(IntegrityError, match="without the row that justifies it"):
        raw(
            store,
            "UPDATE records SET status = 'signed', canonical_json = '{}', content_sha256 = :h, "
            "signed_at = signed_at WHERE id = :id",
            h="0" * 64,
            id=draft.id,
        )
    row = store.records.get(record_id)
    with pytest.raises(IntegrityError, match="created as a draft"):
        raw(
            store,
            "INSERT INTO records (id, version, status, readiness_state, form_id, form_version, form_hash, "
            "patient_name, mrn, birth_date, sex, procedure_type, level, scheduled_at, scheduled_offset_s, "
            "created_by, created_at, updated_by, updated_at, canonical_json, content_sha256, signed_at) "
            "SELECT :new, 1, 'signed', readiness_state, form_id, form_version, form_hash, patient_name, "
            "mrn, birth_date, sex, procedure_type, level, scheduled_at, scheduled_offset_s, created_by, "
            "created_at, updated_by, updated_at, canonical_json, content_sha256, signed_at "
            "FROM records WHERE id = :id",
            new="11111111-1111-1111-1111-111111111111",
            id=record_id,
        )
    assert store.records.get(record_id) == row
    assert store.records.get(draft.id).status == "draft"
