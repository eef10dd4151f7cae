"""Writing records after signing: amendments and printing. RecordRepository is the whole repository:
reads (record_search.py), drafts and answers (record_drafts.py), signing (record_signing.py) and these."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Connection, insert, literal, select, update

from checklist_app.domain.lifecycle import Status

from .audit import Actions
from .errors import RecordStateError
from .record_drafts import require
from .record_rows import RecordRow
from .record_signing import RecordSigning
from .tables import answers, record_terms, records

# Plain strings for SQL binds (a driver may bind an enum member by its name).
_DRAFT, _SIGNED = Status.DRAFT.value, Status.SIGNED.value
_REVIEWED, _AMENDED = Status.REVIEWED.value, Status.AMENDED.value
PRINT_OUTCOMES = ("printed", "not_printed")


class RecordRepository(RecordSigning):
    """Every method is one transaction; writes are committed (durably) before they return."""

    # -- amendments and printing --------------------------------------------------------------------------------

    def amend(self, record_id: str, reason: str, actor: str) -> RecordRow:
        """Start an amendment: a new draft with the same answers pointing to this record, which becomes
        "amended" (its content, signatures and PDFs stay exactly as they were)."""
        require(reason, "the reason for the amendment")
        require(actor, "actor")

        def tx(conn: Connection) -> RecordRow:
            now = self._db.now()
            result = conn.execute(
                update(records)
                .where(records.c.id == record_id, records.c.status.in_((_SIGNED, _REVIEWED)))
                .values(version=records.c.version + 1, updated_at=now, updated_by=actor)
            )
            if result.rowcount != 1:
                self._refuse_amend(conn, record_id)
            old = conn.execute(select(records).where(records.c.id == record_id)).one()
            new_id = str(uuid.uuid4())
            copied = {c.name: old._mapping[c.name] for c in records.c if c.name in _COPIED_ON_AMEND}
            conn.execute(
                insert(records).values(
                    id=new_id,
                    version=1,
                    status=_DRAFT,
                    created_by=actor,
                    created_at=now,
                    updated_by=actor,
                    updated_at=now,
                    supersedes_id=record_id,
                    amendment_reason=reason,
                    **copied,
                )
            )
            conn.execute(
                insert(record_terms).from_select(
                    ["term", "record_id"],
                    select(record_terms.c.term, literal(new_id, records.c.id.type)).where(
                        record_terms.c.record_id == record_id
                    ),
                )
            )
            answer_columns = [c.name for c in answers.c if c.name != "record_id"]
            conn.execute(
                insert(answers).from_select(
                    ["record_id", *answer_columns],
                    select(literal(new_id, records.c.id.type), *(answers.c[c] for c in answer_columns)).where(
                        answers.c.record_id == record_id
                    ),
                )
            )
            # Only now, with its successor stored, may the old version say "amended" (migration 0012).
            conn.execute(update(records).where(records.c.id == record_id).values(status=_AMENDED))
            self._audit.append_in(
                conn, actor, Actions.RECORD_AMENDED, record_id, {"new_record_id": new_id, "reason": reason}
            )
            self._audit.append_in(
                conn,
                actor,
                Actions.RECORD_CREATED,
                new_id,
                {
                    "supersedes": record_id,
                    "reason": reason,
                    "form": old.form_id,
                    "form_version": old.form_version,
                    "form_hash": old.form_hash,
                },
            )
            return self._load(conn, new_id)

        return self._db.write(tx)

    def _refuse_amend(self, conn: Connection, record_id: str) -> None:
        row = conn.execute(select(records.c.status).where(records.c.id == record_id)).first()
        if row is not None and row.status == _DRAFT:
            raise RecordStateError(
                "This checklist is still a draft: change the answers directly. Amendments are for signed checklists.",
                record_id=record_id,
                status=_DRAFT,
            )
        self._refuse(conn, record_id, None, want=_SIGNED)

    def mark_printed(
        self, record_id: str, actor: str, *, printer: str | None = None, job: str | None = None
    ) -> RecordRow:
        """Record that a signed checklist was *sent to the printer* (when, by whom, where); what came out is
        unknown until confirm_printed says. The content is untouched. A version replaced by an amendment is
        refused: paper of it would pass for the current record."""
        require(actor, "actor")

        def tx(conn: Connection) -> RecordRow:
            now = self._db.now()
            result = conn.execute(
                update(records)
                .where(records.c.id == record_id, records.c.status.in_((_SIGNED, _REVIEWED)))
                .values(printed_at=now, printed_by=actor, print_outcome=None)
            )
            if result.rowcount != 1:
                self._refuse(conn, record_id, None, want=_SIGNED)
            self._audit.append_in(conn, actor, Actions.RECORD_PRINTED, record_id, {"sent_to": printer, "job": job})
            return self._load(conn, record_id)

        return self._db.write(tx)

    def confirm_printed(self, record_id: str, actor: str, outcome: str, *, source: str) -> RecordRow:
        """What came out of a job sent earlier: "printed" or "not_printed" (then it is back in the queue),
        as told by `source` ("printer": the job state; "coordinator": asked)."""
        if outcome not in PRINT_OUTCOMES:
            raise ValueError(f"a print outcome is one of {PRINT_OUTCOMES}, not {outcome!r}")

        def tx(conn: Connection) -> RecordRow:
            values: dict[str, Any] = {"print_outcome": outcome}
            if outcome == "not_printed":
                values.update(printed_at=None, printed_by=None)
            result = conn.execute(
                update(records).where(records.c.id == record_id, records.c.printed_at.is_not(None)).values(**values)
            )
            if result.rowcount != 1:
                raise RecordStateError("This checklist was not sent to a printer.", record_id=record_id)
            self._audit.append_in(
                conn, actor, Actions.RECORD_PRINT_CONFIRMED, record_id, {"outcome": outcome, "source": source}
            )
            return self._load(conn, record_id)

        return self._db.write(tx)


# Content columns an amendment starts from (id, status, signing and printing data are new).
_COPIED_ON_AMEND = frozenset(
    {
        "readiness_state",
        "form_id",
        "form_version",
        "form_hash",
        "patient_name",
        "mrn",
        "birth_date",
        "sex",
        "procedure_type",
        "level",
        "laterality",
        "scheduled_at",
        "scheduled_offset_s",
    }
)
