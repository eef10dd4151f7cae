"""Audit chain: every entry hashes the one before; verify names the first edited, deleted or moved entry."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import text

from checklist_app.store import Store
from checklist_app.store.audit import entry_hash
from tests.helpers.store_rows import answer, new_draft, sign

_SQLITE_AUDIT_TRIGGERS = (
    "trg_audit_no_update",
    "trg_audit_no_delete",
    "trg_audit_extends_chain",
    "trg_audit_head_update",
    "trg_audit_head_delete",
)


def tamper(store: Store, *statements: str, **params: Any) -> None:
    """What someone with direct database access could do: switch the guards off and rewrite rows."""
    with store.db.engine.begin() as conn:
        if store.dialect == "sqlite":
            for trigger in _SQLITE_AUDIT_TRIGGERS:
                conn.execute(text(f"DROP TRIGGER IF EXISTS {trigger}"))
        else:
            conn.execute(text("SET LOCAL session_replication_role = replica"))
        for sql in statements:
            conn.execute(text(sql), params)


def busy_log(store: Store) -> int:
    """A realistic mix of entries; returns the last seq."""
    row = new_draft(store)
    version = row.version
    for i, value in enumerate(["met", "not_met", "met"]):
        version = store.records.set_answer(
            row.id,
            f"item.{i}",
            answer(value),
            expected_version=version,
            actor="nurse.kim",
            readiness_state="incomplete",
        )
    sign(store, row)
    store.audit.append("coord.ray", "record.viewed", row.id)
    store.audit.append("unknown.user", "login.failed", None, {"reason": "bad password"})
    store.audit.append("coord.ray", "record.exported", row.id, {"format": "pdf"})
    return store.audit.entries()[-1].seq


def test_intact_chain_verifies(store: Store) -> None:
    last = busy_log(store)
    entries = store.audit.entries()
    assert [e.seq for e in entries] == list(range(1, last + 1))
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(entries))
    assert entries[0].prev_hash == "0" * 64
    for e in entries:
        assert e.hash == entry_hash(e.seq, e.at, e.actor, e.action, e.record_id, _canonical(e.detail), e.prev_hash)
    report = store.audit.verify()
    assert report.ok and report.entries_checked == last and report.first_bad is None


def _canonical(detail: dict[str, Any]) -> str:
    from checklist_app.store.audit import canonical_detail

    return canonical_detail(detail)


@pytest.mark.parametrize(
    "column, value",
    [("detail", '{"item":"forged"}'), ("actor", "mallory"), ("action", "record.viewed"), ("record_id", None)],
)
def test_an_edited_entry_is_named(store: Store, column: str, value: str | None) -> None:
    busy_log(store)
    tamper(store, f"UPDATE audit SET {column} = :v WHERE seq = 3", v=value)
    report = store.audit.verify()
    assert not report.ok and report.first_bad == 3
    assert "Audit entry 3" in report.message and "edited" in report.message
    assert report.entries_checked == 2


def test_an_edit_with_a_recomputed_hash_breaks_the_next_link(store: Store) -> None:
    busy_log(store)
    row = store.audit.entries()[3]  # seq 4
    forged = entry_hash(4, row.at, "mallory", row.action, row.record_id, _canonical(row.detail), row.prev_hash)
    tamper(store, "UPDATE audit SET actor = 'mallory', hash = :h WHERE seq = 4", h=forged)
    report = store.audit.verify()
    assert not report.ok and report.first_bad == 5 and "entry 4 was changed" in report.message


def test_a_deleted_entry_is_found(store: Store) -> None:
    busy_log(store)
    tamper(store, "DELETE FROM audit WHERE seq = 4")
    report = store.audit.verify()
    assert not report.ok and report.first_bad == 5 and "entries 4..4 were deleted" in report.message


def test_reordered_entries_are_found(store: Store) -> None:
    busy_log(store)
    # Swap the contents of entries 3 and 4 but keep their numbers: a reordering.
    cols = "at, actor, action, record_id, detail, prev_hash, hash"
    tamper(
        store,
        "CREATE TEMPORARY TABLE swap AS SELECT seq, " + cols + " FROM audit WHERE seq IN (3, 4)",
        "DELETE FROM audit WHERE seq IN (3, 4)",
        f"INSERT INTO audit (seq, {cols}) SELECT 7 - seq, {cols} FROM swap",
    )
    report = store.audit.verify()
    assert not report.ok and report.first_bad == 3


def test_deleting_the_newest_entries_is_found(store: Store) -> None:
    last = busy_log(store)
    tamper(store, "DELETE FROM audit WHERE seq >= :s", s=last - 1)
    report = store.audit.verify()
    assert not report.ok and report.first_bad == last - 1
    assert "newest entries were deleted" in report.message


def test_concurrent_appends_from_two_workstations_never_fork_the_chain(open_store: Callable[..., Store]) -> None:
    stores = [open_store(), open_store()]
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def worker(store: Store, n: int) -> None:
        try:
            barrier.wait()
            for i in range(15):
                store.audit.append(f"ws{n}", "record.viewed", None, {"i": i})
        except BaseException as exc:  # reported below: threads must not swallow failures
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(stores[n % 2], n)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    report = stores[0].audit.verify()
    assert report.ok and report.entries_checked == 60
    assert [e.seq for e in stores[1].audit.entries(limit=100)] == list(range(1, 61))
