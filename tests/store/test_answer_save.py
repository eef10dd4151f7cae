"""The answer save's fast paths (store/answer_save.py) write what the general path writes, on both databases."""

from __future__ import annotations

import pytest

from checklist_app.store import ConflictError, ImmutableRecordError, Store
from tests.helpers.store_rows import answer, new_draft, sign


def save_all(store: Store, record_id: str, *, with_previous: bool) -> list[dict[str, object]]:
    """Set, change, note with non-ASCII and quotes, and clear one item; return its audit details."""
    steps = [answer("met"), answer("not_met", note='copy "unsigned" — Zoë\n\ttab'), answer({"a": [1, 2.5]}), None]
    version, previous = 1, None
    for step in steps:
        kwargs = {"previous": previous} if with_previous else {}
        version = store.records.set_answer(
            record_id,
            "consent.signed",
            step,
            expected_version=version,
            actor="nurse.kim",
            readiness_state="incomplete",
            **kwargs,
        )
        previous = step
    assert version == 5
    return [e.detail for e in store.audit.entries(record_id=record_id)][1:]


def test_fast_path_writes_what_the_general_path_writes(store: Store) -> None:
    """Given the previous answer (PostgreSQL: the one-call function) or not: same rows, same audit details,
    and the chain (hashed by the server on PostgreSQL) verifies."""
    fast = save_all(store, new_draft(store).id, with_previous=True)
    general = save_all(store, new_draft(store).id, with_previous=False)
    assert fast == general
    assert [d["version"] for d in fast] == [2, 3, 4, 5]
    report = store.audit.verify()
    assert report.ok, report.message


def test_a_wrong_previous_answer_falls_back_and_the_audit_tells_the_stored_one(store: Store) -> None:
    row = new_draft(store)
    v2 = store.records.set_answer(
        row.id, "consent.signed", answer("met"), expected_version=1, actor="nurse.kim", readiness_state="incomplete"
    )
    v3 = store.records.set_answer(
        row.id,
        "consent.signed",
        answer("na"),
        expected_version=v2,
        actor="nurse.kim",
        readiness_state="incomplete",
        previous=answer("not_met"),
    )
    assert v3 == 3
    last = store.audit.entries(record_id=row.id)[-1]
    assert (last.detail["old"]["value"], last.detail["new"]["value"]) == ("met", "na")
    assert store.records.get(row.id).version == 3
    assert store.audit.verify().ok


def test_fast_path_keeps_compare_and_set_and_immutability(store: Store) -> None:
    row = new_draft(store)
    store.records.set_answer(
        row.id,
        "consent.signed",
        answer("met"),
        expected_version=1,
        actor="nurse.kim",
        readiness_state="incomplete",
        previous=None,
    )
    with pytest.raises(ConflictError):
        store.records.set_answer(
            row.id,
            "consent.signed",
            answer("na"),
            expected_version=1,
            actor="nurse.kim",
            readiness_state="incomplete",
            previous=None,
        )
    signed = sign(store, store.records.get(row.id))
    with pytest.raises(ImmutableRecordError):
        store.records.set_answer(
            row.id,
            "consent.signed",
            answer("na"),
            expected_version=signed.version,
            actor="nurse.kim",
            readiness_state="incomplete",
            previous=answer("met"),
        )
    assert store.records.get(row.id).record.answers["consent.signed"].value == "met"


def test_sqlite_driver_statements_store_times_as_sqlalchemy_does(store: Store) -> None:
    """The driver-statement path binds datetimes through the columns' processors: the same DATETIME text."""
    if not store.db.is_sqlite:
        return  # PostgreSQL binds timestamptz values, not text
    row = new_draft(store)
    store.records.set_answer(
        row.id,
        "consent.signed",
        answer("met"),
        expected_version=1,
        actor="nurse.kim",
        readiness_state="incomplete",
        previous=None,
    )
    from sqlalchemy import text

    with store.db.engine.connect() as conn:
        texts = (
            conn.execute(
                text(
                    "SELECT answered_at FROM answers UNION ALL SELECT updated_at FROM records "
                    "UNION ALL SELECT at FROM audit"
                )
            )
            .scalars()
            .all()
        )
    assert texts and all(len(t) == len("2026-01-01 00:00:00.000000") for t in texts), texts
