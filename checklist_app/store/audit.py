"""Append-only audit log whose entries are chained by SHA-256, and the verifier that walks the chain."""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic_core import to_jsonable_python
from sqlalchemy import Connection, bindparam, insert, select, update
from sqlalchemy.exc import DBAPIError

from ..domain.lifecycle import AuditAction
from .connection import Database
from .tables import GENESIS_HASH, audit, audit_head

# The app's log mirrors the audit trail by ids only: the detail (which may hold a name or an MRN) stays in the
# database.
log = logging.getLogger("checklist_app.audit")

# The action names live in the domain, in one place; `Actions` is the name the store and services use.
Actions = AuditAction


@dataclass(frozen=True, slots=True)
class AuditEntry:
    seq: int
    at: datetime
    actor: str
    action: str
    record_id: str | None
    detail: dict[str, Any]
    prev_hash: str
    hash: str


@dataclass(frozen=True, slots=True)
class AuditReport:
    ok: bool
    entries_checked: int
    first_bad: int | None
    message: str


def canonical_detail(detail: Mapping[str, Any] | None) -> str:
    """The detail as canonical JSON text; this exact text is stored and hashed."""
    return json.dumps(to_jsonable_python(dict(detail or {})), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(
    seq: int, at: datetime, actor: str, action: str, record_id: str | None, detail: str, prev_hash: str
) -> str:
    """SHA-256 over every field of the entry and the previous entry's hash."""
    payload = json.dumps(
        [seq, at.isoformat(timespec="microseconds"), actor, action, record_id, detail, prev_hash],
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


# Built once: every saved answer appends an entry, and building these statements anew (values bound as
# literals) cost more CPU than running them (bench/RESULTS.md, answer).
_HEAD = select(audit_head.c.seq, audit_head.c.hash).where(audit_head.c.id == 1)
_HEAD_LOCKED = _HEAD.with_for_update()
_INSERT_ENTRY = insert(audit)
_MOVE_HEAD = update(audit_head).where(audit_head.c.id == 1).values(seq=bindparam("to_seq"), hash=bindparam("to_hash"))


_SQLITE_HEAD = "SELECT seq, hash FROM audit_head WHERE id = 1"
_SQLITE_ENTRY = (
    "INSERT INTO audit (seq, at, actor, action, record_id, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)
_SQLITE_MOVE_HEAD = "UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1"


def _append_sqlite(
    conn: Connection, at: datetime, actor: str, action: str, record_id: str | None, text: str
) -> tuple[int, str, str]:
    """The append as driver statements (SQLite: BEGIN IMMEDIATE already serialises writers). SQLAlchemy's
    per-statement work was most of an answer save's CPU (bench/RESULTS.md, answer); the time is bound
    through the column's own processor, so the stored text is what SQLAlchemy would write."""
    bind = audit.c.at.type.dialect_impl(conn.dialect).bind_processor(conn.dialect)  # UTC, then DATETIME text
    stored_at = bind(at) if bind is not None else at
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        seq, prev_hash = cursor.execute(_SQLITE_HEAD).fetchone()
        seq += 1
        digest = entry_hash(seq, at, actor, action, record_id, text, prev_hash)
        cursor.execute(_SQLITE_ENTRY, (seq, stored_at, actor, action, record_id, text, prev_hash, digest))
        cursor.execute(_SQLITE_MOVE_HEAD, (seq, digest))
    except sqlite3.Error as exc:  # wrapped as SQLAlchemy would, so the runner classifies it
        raise DBAPIError.instance("audit append", None, exc, sqlite3.Error) from exc
    finally:
        cursor.close()
    return int(seq), str(prev_hash), digest


class AuditLog:
    """Append entries (in the caller's transaction or our own), list them, and verify the chain."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def append(
        self, actor: str, action: str, record_id: str | None = None, detail: Mapping[str, Any] | None = None
    ) -> AuditEntry:
        """Append one entry in its own durable transaction (views, exports, failed logins, ...)."""
        return self._db.write(lambda conn: self.append_in(conn, actor, action, record_id, detail))

    def append_in(
        self,
        conn: Connection,
        actor: str,
        action: str,
        record_id: str | None = None,
        detail: Mapping[str, Any] | None = None,
    ) -> AuditEntry:
        """Append inside an open write transaction, so the entry commits or rolls back with the change."""
        if not actor or not actor.strip():
            raise ValueError("an audit entry needs the actor (user name, or 'system')")
        if not action:
            raise ValueError("an audit entry needs an action")
        action = str(action)  # the plain text, never an enum object: drivers may bind enums by their name
        at = self._db.now()
        text = canonical_detail(detail)
        if self._db.is_sqlite:
            seq, prev_hash, digest = _append_sqlite(conn, at, actor, action, record_id, text)
            log.info("audit #%d %s record=%s by %s", seq, action, record_id or "-", actor)
            return AuditEntry(seq, at, actor, action, record_id, json.loads(text), prev_hash, digest)
        # Row lock on the head: two workstations appending at once queue here instead of both linking to
        # the same predecessor (a forked chain).
        head = conn.execute(_HEAD_LOCKED).one()
        seq = int(head.seq) + 1
        digest = entry_hash(seq, at, actor, action, record_id, text, head.hash)
        conn.execute(
            _INSERT_ENTRY,
            {
                "seq": seq,
                "at": at,
                "actor": actor,
                "action": action,
                "record_id": record_id,
                "detail": text,
                "prev_hash": head.hash,
                "hash": digest,
            },
        )
        conn.execute(_MOVE_HEAD, {"to_seq": seq, "to_hash": digest})
        log.info("audit #%d %s record=%s by %s", seq, action, record_id or "-", actor)
        return AuditEntry(seq, at, actor, action, record_id, json.loads(text), head.hash, digest)

    def entries(self, *, record_id: str | None = None, after_seq: int = 0, limit: int = 200) -> list[AuditEntry]:
        """Entries in chain order, optionally for one record; page with after_seq=<last seq seen>."""
        query = select(audit).where(audit.c.seq > after_seq).order_by(audit.c.seq).limit(max(1, min(limit, 5000)))
        if record_id is not None:
            query = query.where(audit.c.record_id == record_id)
        rows = self._db.read(lambda conn: conn.execute(query).all())
        return [
            AuditEntry(int(r.seq), r.at, r.actor, r.action, r.record_id, json.loads(r.detail), r.prev_hash, r.hash)
            for r in rows
        ]

    def actions_of(self, record_id: str, action: str) -> list[AuditEntry]:
        """Every entry of one action for one record, in chain order (a handful: amendments, signatures)."""
        query = (
            select(audit)
            .where(audit.c.record_id == record_id, audit.c.action == action)
            .order_by(audit.c.seq)
            .limit(1000)
        )
        rows = self._db.read(lambda conn: conn.execute(query).all())
        return [
            AuditEntry(int(r.seq), r.at, r.actor, r.action, r.record_id, json.loads(r.detail), r.prev_hash, r.hash)
            for r in rows
        ]

    def head(self) -> tuple[int, str]:
        """The chain head now: the newest entry's number and hash (0 and the genesis hash when empty)."""
        row = self._db.read(lambda conn: conn.execute(_HEAD).one())
        return int(row.seq), str(row.hash)

    def hash_at(self, seq: int) -> str | None:
        """The stored hash of entry `seq`, or None when there is no such entry (0 is the genesis hash)."""
        if seq == 0:
            return GENESIS_HASH
        query = select(audit.c.hash).where(audit.c.seq == seq)
        value = self._db.read(lambda conn: conn.execute(query).scalar())
        return None if value is None else str(value)

    def verify(self) -> AuditReport:
        """Recompute every hash in order; the first entry that was edited, deleted or moved is named."""
        return self._db.read(_verify)


def _verify(conn: Connection) -> AuditReport:
    expected_seq = 1
    prev_hash = GENESIS_HASH
    checked = 0
    # Stream in batches: the log grows for years and must not be loaded whole.
    result = conn.execution_options(yield_per=2000).execute(select(audit).order_by(audit.c.seq))
    for row in result:
        seq = int(row.seq)
        where = f"Audit entry {seq} ({row.at.isoformat(timespec='seconds')}, {row.actor}, {row.action})"
        if seq != expected_seq:
            result.close()
            return AuditReport(
                False,
                checked,
                seq,
                f"{where} follows entry {expected_seq - 1}: entries {expected_seq}..{seq - 1} "
                "were deleted or renumbered.",
            )
        if row.prev_hash != prev_hash:
            result.close()
            return AuditReport(
                False,
                checked,
                seq,
                f"{where} does not link to the entry before it: entry {seq - 1} was changed, "
                "or entries were deleted, inserted or reordered.",
            )
        digest = entry_hash(seq, row.at, row.actor, row.action, row.record_id, row.detail, row.prev_hash)
        if digest != row.hash:
            result.close()
            return AuditReport(False, checked, seq, f"{where} was edited: its content no longer matches its hash.")
        checked += 1
        prev_hash = row.hash
        expected_seq = seq + 1
    head = conn.execute(select(audit_head.c.seq, audit_head.c.hash).where(audit_head.c.id == 1)).first()
    last_seq = expected_seq - 1
    if head is None:
        return AuditReport(False, checked, last_seq + 1, "The audit chain head is missing: the log was tampered with.")
    if int(head.seq) != last_seq or head.hash != prev_hash:
        return AuditReport(
            False,
            checked,
            min(last_seq + 1, int(head.seq)),
            f"The audit log ends at entry {last_seq} but its chain head records entry {head.seq}: "
            "the newest entries were deleted or the head was altered.",
        )
    return AuditReport(True, checked, None, f"Audit log intact: {checked} entries checked.")
