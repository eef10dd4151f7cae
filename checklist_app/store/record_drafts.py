"""Drafts and their answers: a new draft, one-answer-at-a-time saves with compare-and-set, a new time, bulk drafts.

The first of the record repository's writing layers (record_signing.py, then record_writes.py, build on it);
the compare-and-set guard and the refusal that explains a guarded UPDATE which touched no row live here.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select, update
from sqlalchemy.exc import DBAPIError

from checklist_app.domain.lifecycle import Status
from checklist_app.domain.reasons import BlockerKey
from checklist_app.domain.records import Answer, Record

from .answer_save import STALE_PREVIOUS, UNKNOWN, AnswerSave, write_history
from .audit import Actions
from .errors import ConflictError, ImmutableRecordError, NotFoundError, RecordStateError
from .record_rows import DraftSpec, RecordRow, answer_columns, record_columns, search_terms
from .record_search import RecordReads
from .tables import NO_BLOCKER, answers, case_sources, record_terms, records

# Plain strings for SQL binds (a driver may bind an enum member by its name).
_DRAFT, _SIGNED = Status.DRAFT.value, Status.SIGNED.value
_AMENDED, _CANCELLED = Status.AMENDED.value, Status.CANCELLED.value


def require(text: str | None, what: str) -> str:
    """The text, unless it is missing or blank (then a ValueError naming `what`)."""
    if text is None or not str(text).strip():
        raise ValueError(f"{what} is required")
    return text


_BUMP_DRAFT = (
    update(records)
    .where(records.c.id == bindparam("k_id"), records.c.version == bindparam("k_version"), records.c.status == _DRAFT)
    .values(version=records.c.version + 1)
)


class RecordDrafts(RecordReads):
    """Every method is one transaction; writes are committed (durably) before they return."""

    # -- drafts and answers -------------------------------------------------------------------------------------

    def create_draft(
        self, record: Record, nurse: str, form_version: str, form_hash: str, readiness_state: str
    ) -> RecordRow:
        """Store a new draft pinned to the form version and hash; its answers (if any) are stored too."""
        require(nurse, "the nurse's user name")
        require(form_version, "form_version")
        require(form_hash, "form_hash")
        require(readiness_state, "readiness_state")
        for pinned, given, name in (
            (record.form_version, form_version, "form_version"),
            (record.form_hash, form_hash, "form_hash"),
        ):
            if pinned is not None and pinned != given:
                raise ValueError(f"the record says {name}={pinned!r} but the draft is pinned to {given!r}")

        def tx(conn: Connection) -> RecordRow:
            record_id = self._insert_draft(
                conn, record, nurse, form_version, form_hash, readiness_state, self._db.now()
            )
            self._audit.append_in(
                conn,
                nurse,
                Actions.RECORD_CREATED,
                record_id,
                {
                    "form": record.form,
                    "form_version": form_version,
                    "form_hash": form_hash,
                    "answers": sorted(record.answers),
                },
            )
            return self._load(conn, record_id)

        return self._db.write(tx)

    def _insert_draft(
        self,
        conn: Connection,
        record: Record,
        nurse: str,
        form_version: str,
        form_hash: str,
        readiness_state: str,
        now: datetime,
    ) -> str:
        record_id = str(uuid.uuid4())
        conn.execute(
            insert(records).values(
                id=record_id,
                version=1,
                status=_DRAFT,
                readiness_state=readiness_state,
                form_version=form_version,
                form_hash=form_hash,
                created_by=nurse,
                created_at=now,
                updated_by=nurse,
                updated_at=now,
                **record_columns(record),
            )
        )
        conn.execute(insert(record_terms), [{"term": t, "record_id": record_id} for t in sorted(search_terms(record))])
        if record.answers:
            conn.execute(
                insert(answers),
                [
                    {"record_id": record_id, "item_id": item_id, **answer_columns(answer)}
                    for item_id, answer in record.answers.items()
                ],
            )
        if record.source is not None:  # issue 13: where the case came from, and its accession number
            conn.execute(
                insert(case_sources).values(
                    record_id=record_id, source=record.source, accession=record.procedure.accession
                )
            )
        return record_id

    def set_answer(
        self,
        record_id: str,
        item_id: str,
        answer: Answer | None,
        *,
        expected_version: int,
        actor: str,
        readiness_state: str,
        previous: Any = UNKNOWN,
        blockers: Sequence[BlockerKey] = (),
    ) -> int:
        """Save (or with None clear) one answer; returns the record's new version once committed.

        `previous`: the answer the caller saw at `expected_version` (None = unanswered); given, PostgreSQL
        saves in one round trip and checks it against the row (a mismatch falls back, nothing lost).
        Raises ConflictError when the record moved past `expected_version` (another workstation saved
        first: reload), ImmutableRecordError when it is no longer a draft, NotFoundError.
        """
        require(item_id, "item_id")
        require(actor, "actor")
        require(readiness_state, "readiness_state")
        if len(item_id) > 100:
            raise ValueError(f"item id {item_id[:40]!r}... is longer than 100 characters")
        save = AnswerSave(self, record_id, item_id, answer, expected_version, actor, readiness_state, blockers)
        if self._db.is_sqlite:
            return self._db.write(save.sqlite)
        if previous is not UNKNOWN:
            try:
                return save.postgresql(previous)
            except DBAPIError as exc:
                if STALE_PREVIOUS not in str(exc.orig):
                    raise
        return self._db.write(save.general)

    def _bump_draft(self, conn: Connection, record_id: str, expected_version: int, actor: str, **values: Any) -> int:
        # The other columns to set come in as parameters named like them (SQLAlchemy adds them to SET).
        result = conn.execute(
            _BUMP_DRAFT,
            {
                "k_id": record_id,
                "k_version": expected_version,
                "updated_at": self._db.now(),
                "updated_by": actor,
                **values,
            },
        )
        if result.rowcount != 1:
            self._refuse(conn, record_id, expected_version, want=_DRAFT)
        return expected_version + 1

    def _refuse(self, conn: Connection, record_id: str, expected_version: int | None, *, want: str) -> None:
        """Raise the error that explains why a guarded UPDATE touched no row."""
        row = conn.execute(
            select(records.c.status, records.c.version, records.c.updated_by, records.c.updated_at).where(
                records.c.id == record_id
            )
        ).first()
        if row is None:
            raise NotFoundError(
                f"There is no checklist with id {record_id}. It may have been typed wrongly, "
                "or this workstation is connected to a different database."
            )
        if want == _DRAFT and row.status != _DRAFT:
            raise ImmutableRecordError(record_id, row.status)
        if want == _SIGNED:
            if row.status == _DRAFT:
                raise RecordStateError(
                    "This checklist has not been signed yet. It can be co-signed, amended or "
                    "printed as a record only after the nurse signs it.",
                    record_id=record_id,
                    status=row.status,
                )
            if row.status == _CANCELLED:
                raise RecordStateError(
                    "This procedure was cancelled: its checklist is not printed, co-signed or amended as a record.",
                    record_id=record_id,
                    status=row.status,
                )
            if row.status == _AMENDED:
                newer = conn.execute(select(records.c.id).where(records.c.supersedes_id == record_id)).scalar()
                raise RecordStateError(
                    f"This version of the checklist was replaced by an amendment ({newer}). "
                    "Open the latest version instead.",
                    record_id=record_id,
                    status=row.status,
                )
        raise ConflictError(
            record_id,
            expected_version=expected_version,
            current_version=row.version,
            changed_by=row.updated_by,
            changed_at=row.updated_at,
        )

    # -- cases that do not go ahead -------------------------------------------------------------------------------

    def reschedule(
        self,
        record_id: str,
        scheduled_at: datetime,
        reason: str,
        *,
        expected_version: int,
        actor: str,
        readiness_state: str,
        blockers: Sequence[BlockerKey] = (),
    ) -> RecordRow:
        """Move a draft to a new time (audited with the old time and the reason); the caller re-judged it."""
        require(reason, "the reason for the new time")
        require(actor, "actor")
        if scheduled_at.utcoffset() is None:
            raise ValueError("the new time needs a UTC offset")

        def tx(conn: Connection) -> RecordRow:
            old = conn.execute(select(records.c.scheduled_at).where(records.c.id == record_id)).scalar()
            version = self._bump_draft(
                conn,
                record_id,
                expected_version,
                actor,
                scheduled_at=scheduled_at,
                scheduled_offset_s=int(scheduled_at.utcoffset().total_seconds()),  # type: ignore[union-attr]
                readiness_state=readiness_state,
            )
            write_history(
                conn,
                record_id,
                version,
                self._db.now(),
                readiness_state,
                "reschedule",
                [(item, drug or NO_BLOCKER) for item, drug in blockers] or [(NO_BLOCKER, NO_BLOCKER)],
            )
            self._audit.append_in(
                conn,
                actor,
                Actions.RECORD_RESCHEDULED,
                record_id,
                {
                    "from": old.isoformat() if old else None,
                    "to": scheduled_at.isoformat(),
                    "reason": reason,
                    "version": version,
                    "readiness_state": readiness_state,
                },
            )
            return self._load(conn, record_id)

        return self._db.write(tx)

    # -- bulk ---------------------------------------------------------------------------------------------------

    def bulk_insert_for_benchmarks(self, specs: Iterable[DraftSpec], *, actor: str = "system") -> list[str]:
        """Insert many drafts in one transaction (demo data, benchmarks, tests); one audit entry in total."""

        def tx(conn: Connection) -> list[str]:
            now = self._db.now()
            rows: list[dict[str, Any]] = []
            terms: list[dict[str, Any]] = []
            answer_rows: list[dict[str, Any]] = []
            for spec in specs:
                record_id = str(uuid.uuid4())
                at = spec.created_at or now
                rows.append(
                    {
                        "id": record_id,
                        "version": 1,
                        "status": _DRAFT,
                        "readiness_state": spec.readiness_state,
                        "form_version": spec.form_version,
                        "form_hash": spec.form_hash,
                        "created_by": spec.nurse,
                        "created_at": at,
                        "updated_by": spec.nurse,
                        "updated_at": at,
                        "supersedes_id": None,
                        "amendment_reason": None,
                        "canonical_json": None,
                        "content_sha256": None,
                        "signed_at": None,
                        "printed_at": None,
                        "printed_by": None,
                        **record_columns(spec.record),
                    }
                )
                terms.extend({"term": t, "record_id": record_id} for t in sorted(search_terms(spec.record)))
                answer_rows.extend(
                    {"record_id": record_id, "item_id": item_id, **answer_columns(answer)}
                    for item_id, answer in spec.record.answers.items()
                )
            if rows:
                conn.execute(insert(records), rows)
                conn.execute(insert(record_terms), terms)
            if answer_rows:
                conn.execute(insert(answers), answer_rows)
            self._audit.append_in(conn, actor, Actions.RECORDS_BULK_INSERTED, None, {"count": len(rows)})
            return [r["id"] for r in rows]

        return self._db.write(tx)
