"""The answer save: one answer's compare-and-set, answer row and audit entry, on every database.

One answer per keystroke-and-tab is the app's hottest write (bench/RESULTS.md, answer). Every step of it lives
here, so a change to what a save writes (a trigger's needs, a history row) is made in this one place, on
all three paths: `sqlite` (driver statements in the BEGIN IMMEDIATE transaction), `postgresql` (one call of
checklist_save_answer, migration 0011, in autocommit: one round trip) and `general` (SQLAlchemy statements,
any database; PostgreSQL's fallback). `RecordRepository.set_answer` (record_drafts.py) chooses the path.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import Connection, and_, bindparam, delete, insert, select, text, update
from sqlalchemy.exc import DBAPIError

from checklist_app.domain.lifecycle import Status
from checklist_app.domain.reasons import BlockerKey
from checklist_app.domain.records import Answer

from .audit import Actions, AuditLog, canonical_detail
from .connection import Database
from .errors import ConflictError, StoreError, StoreUnavailableError
from .record_rows import answer_columns, answer_from_row, answer_json
from .tables import NO_BLOCKER, answers, readiness_history, records


class RecordWriter(Protocol):
    """What a save needs of RecordDrafts (record_drafts.py, which imports this module)."""

    _db: Database
    _audit: AuditLog

    def _bump_draft(
        self, conn: Connection, record_id: str, expected_version: int, actor: str, **values: Any
    ) -> int: ...

    def _refuse(self, conn: Connection, record_id: str, expected_version: int | None, *, want: str) -> None: ...


_DRAFT = Status.DRAFT.value
# SQLAlchemy statements built once: building them anew with the values as literals cost more CPU than the
# database spent running them. Values come as execute() parameters.
_ANSWER_KEY = and_(answers.c.record_id == bindparam("k_record"), answers.c.item_id == bindparam("k_item"))
_SELECT_ANSWER = select(answers).where(_ANSWER_KEY)
_DELETE_ANSWER = delete(answers).where(_ANSWER_KEY)
_INSERT_ANSWER = insert(answers)
_UPDATE_ANSWER = update(answers).where(_ANSWER_KEY)
_VERSION = select(records.c.version, records.c.updated_at).where(records.c.id == bindparam("k_id"))

UNKNOWN: Any = object()  # `previous` not given: the save reads the old answer from the database
STALE_PREVIOUS = "checklist_save_answer: the old answer is not the caller's"
_SQLITE_BUMP = (
    "UPDATE records SET version = version + 1, updated_at = ?, updated_by = ?, readiness_state = ? "
    "WHERE id = ? AND version = ? AND status = 'draft'"
)
_SQLITE_OLD = (
    "SELECT value_json, note, na_reason, answered_by, answered_at, answered_offset_s FROM answers "
    "WHERE record_id = ? AND item_id = ?"
)
_SQLITE_DELETE = "DELETE FROM answers WHERE record_id = ? AND item_id = ?"
_SQLITE_INSERT = (
    "INSERT INTO answers (value_json, note, na_reason, answered_by, answered_at, answered_offset_s, "
    "record_id, item_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)
_SQLITE_UPDATE = (
    "UPDATE answers SET value_json = ?, note = ?, na_reason = ?, answered_by = ?, answered_at = ?, "
    "answered_offset_s = ? WHERE record_id = ? AND item_id = ?"
)
_PG_SAVE = text(
    "SELECT checklist_save_answer(:record, :item, :expected, :actor, :state, :at, :at_text, :action, "
    ":clear, :value_json, :note, :na, :by, :answered_at, :offset, :had_old, :old_value_json, "
    ":old_note, :old_na, :old_by, :old_answered_at, :old_offset, :detail, "
    "CAST(:blocker_items AS text[]), CAST(:blocker_drugs AS text[]))"
)
_SQLITE_HISTORY = (
    "INSERT INTO readiness_history (record_id, version, saved_at, state, event, item, drug) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_HISTORY = insert(readiness_history)
_ANSWER_FIELDS = ("value_json", "note", "na_reason", "answered_by", "answered_at", "answered_offset_s")


class AnswerSave:
    """One answer's save: compare-and-set on the version, the answer row, the audit entry, one commit."""

    def __init__(
        self,
        repo: RecordWriter,
        record_id: str,
        item_id: str,
        answer: Answer | None,
        expected_version: int,
        actor: str,
        readiness_state: str,
        blockers: Sequence[BlockerKey] = (),
    ) -> None:
        self.repo, self.record_id, self.item_id, self.answer = repo, record_id, item_id, answer
        self.expected, self.actor, self.state = expected_version, actor, readiness_state
        # The readiness history's rows of this save (issue 16): one per blocker, or one saying there were none.
        self.reasons = [(item, drug or NO_BLOCKER) for item, drug in blockers] or [(NO_BLOCKER, NO_BLOCKER)]
        self.action = str(Actions.ANSWER_CLEARED if answer is None else Actions.ANSWER_SET)

    def detail(self, old: Answer | None) -> dict[str, Any]:
        return {
            "item": self.item_id,
            "old": answer_json(old),
            "new": answer_json(self.answer),
            "version": self.expected + 1,
            "readiness_state": self.state,
        }

    def general(self, conn: Connection) -> int:
        repo = self.repo
        new_version = repo._bump_draft(conn, self.record_id, self.expected, self.actor, readiness_state=self.state)
        key = {"k_record": self.record_id, "k_item": self.item_id}
        old_row = conn.execute(_SELECT_ANSWER, key).first()
        old = None if old_row is None else answer_from_row(old_row)
        if self.answer is None:
            if old_row is not None:
                conn.execute(_DELETE_ANSWER, key)
        elif old_row is None:
            conn.execute(
                _INSERT_ANSWER, {"record_id": self.record_id, "item_id": self.item_id, **answer_columns(self.answer)}
            )
        else:
            conn.execute(_UPDATE_ANSWER, {**key, **answer_columns(self.answer)})
        write_history(conn, self.record_id, new_version, repo._db.now(), self.state, "answer", self.reasons)
        repo._audit.append_in(conn, self.actor, self.action, self.record_id, self.detail(old))
        return new_version

    def sqlite(self, conn: Connection) -> int:
        # The same steps as `general`, as driver statements: SQLAlchemy's per-statement work was most of a
        # save's CPU. Datetimes are bound through the column type's own processor (identical text).
        at_bind = _sqlite_datetime(conn)
        now = self.repo._db.now()
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        key = (self.record_id, self.item_id)
        try:
            cursor.execute(_SQLITE_BUMP, (at_bind(now), self.actor, self.state, self.record_id, self.expected))
            if cursor.rowcount != 1:
                self.repo._refuse(conn, self.record_id, self.expected, want=_DRAFT)
            row = cursor.execute(_SQLITE_OLD, key).fetchone()
            old = None if row is None else answer_from_row(_Row(row))  # type: ignore[arg-type]
            if self.answer is None:
                if row is not None:
                    cursor.execute(_SQLITE_DELETE, key)
            else:
                cols = answer_columns(self.answer)
                values = (
                    *(cols[f] for f in _ANSWER_FIELDS[:4]),
                    at_bind(cols["answered_at"]),
                    cols["answered_offset_s"],
                    *key,
                )
                cursor.execute(_SQLITE_INSERT if row is None else _SQLITE_UPDATE, values)
            saved = (self.record_id, self.expected + 1, at_bind(now), self.state, "answer")
            cursor.executemany(_SQLITE_HISTORY, [(*saved, item, drug) for item, drug in self.reasons])
        except sqlite3.Error as exc:  # the same wrapping SQLAlchemy gives, so the runner classifies it
            raise DBAPIError.instance("answer save", None, exc, sqlite3.Error) from exc
        finally:
            cursor.close()
        # In the same transaction; on SQLite append_in runs driver statements too (store/audit.py).
        self.repo._audit.append_in(conn, self.actor, self.action, self.record_id, self.detail(old))
        return self.expected + 1

    def postgresql(self, previous: Answer | None, *, again: bool = False) -> int:
        now = self.repo._db.now()
        new = answer_columns(self.answer) if self.answer is not None else dict.fromkeys(_ANSWER_FIELDS)
        old = answer_columns(previous) if previous is not None else dict.fromkeys(_ANSWER_FIELDS)
        params = {
            "record": self.record_id,
            "item": self.item_id,
            "expected": self.expected,
            "actor": self.actor,
            "state": self.state,
            "at": now,
            "at_text": now.isoformat(timespec="microseconds"),
            "action": self.action,
            "clear": self.answer is None,
            "value_json": new["value_json"],
            "note": new["note"],
            "na": new["na_reason"],
            "by": new["answered_by"],
            "answered_at": new["answered_at"],
            "offset": new["answered_offset_s"],
            "had_old": previous is not None,
            "old_value_json": old["value_json"],
            "old_note": old["note"],
            "old_na": old["na_reason"],
            "old_by": old["answered_by"],
            "old_answered_at": old["answered_at"],
            "old_offset": old["answered_offset_s"],
            "detail": canonical_detail(self.detail(previous)),
            "blocker_items": [i for i, _ in self.reasons if i],
            "blocker_drugs": [d for i, d in self.reasons if i],
        }
        try:
            version = int(self.repo._db.write_one(lambda conn: conn.execute(_PG_SAVE, params).scalar_one()))
        except StoreUnavailableError as lost:
            if not lost.maybe_committed or again:
                raise
            return self._settle(previous, lost, now)
        if version == 0:
            self.repo._db.read(lambda conn: self.repo._refuse(conn, self.record_id, self.expected, want=_DRAFT))
        return version

    def _settle(self, previous: Answer | None, lost: StoreUnavailableError, sent_at: datetime) -> int:
        """The link died during the one-call save: was it committed? The call bumps the version and writes its
        own moment (`sent_at`, to the microsecond) as the record's updated_at in one transaction, so the record
        says so: the nurse is told "saved", or it is saved now, and "maybe" only when the database cannot tell.
        A connection that died without a word (store/liveness.py does not ping a young one) lands here."""
        committed = self._committed(sent_at, lost)
        if committed is None:  # not committed (as far as the record shows yet): the save runs once more
            try:
                return self.postgresql(previous, again=True)
            except ConflictError:
                # The first call's server process outlived the link and committed after the record was read.
                if self._committed(sent_at, lost):
                    return self.expected + 1
                raise lost from None
        if committed:
            return self.expected + 1
        raise lost  # someone else saved after the record was read: the nurse must reload and look

    def _committed(self, sent_at: datetime, lost: StoreUnavailableError) -> bool | None:
        """True: the record holds this call's save; None: it is still at the version the call expected; False:
        it moved on otherwise. `lost` (the doubt) is raised when the database cannot be asked."""

        def look(conn: Connection) -> tuple[int, datetime] | None:
            row = conn.execute(_VERSION, {"k_id": self.record_id}).first()
            return None if row is None else (int(row[0]), row[1])

        try:
            found = self.repo._db.read(look)
        except (StoreError, DBAPIError) as exc:
            raise lost from exc
        if found is None:
            return False
        version, updated_at = found
        if version == self.expected:
            return None
        return version == self.expected + 1 and updated_at == sent_at


def write_history(
    conn: Connection,
    record_id: str,
    version: int,
    at: datetime,
    state: str,
    event: str,
    reasons: Sequence[tuple[str, str]],
) -> None:
    """The readiness history rows of one save (general path, and reschedules), in the caller's transaction."""
    conn.execute(
        _INSERT_HISTORY,
        [
            {
                "record_id": record_id,
                "version": version,
                "saved_at": at,
                "state": state,
                "event": event,
                "item": item,
                "drug": drug,
            }
            for item, drug in reasons
        ],
    )


class _Row:
    """A driver row as answer_from_row reads it (attributes), with SQLite's UTC text parsed."""

    def __init__(self, row: tuple[Any, ...]) -> None:
        self.value_json, self.note, self.na_reason, self.answered_by, at, self.answered_offset_s = row
        self.answered_at = None if at is None else datetime.fromisoformat(at + "+00:00")


def _sqlite_datetime(conn: Connection) -> Any:
    # dialect_impl: the UTC conversion and then SQLite's DATETIME text, exactly as SQLAlchemy binds it.
    return answers.c.answered_at.type.dialect_impl(conn.dialect).bind_processor(conn.dialect) or (lambda v: v)
