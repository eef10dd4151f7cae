"""Writing records: drafts, one-answer-at-a-time saves with compare-and-set, signing, amendments, printing."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, insert, literal, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError

from checklist_app.domain.lifecycle import Meaning, Status
from checklist_app.domain.reasons import BlockerKey
from checklist_app.domain.records import Answer, Record

from .answer_save import STALE_PREVIOUS, UNKNOWN, AnswerSave, write_history
from .audit import Actions
from .errors import ConflictError, ImmutableRecordError, NotFoundError, RecordStateError
from .record_rows import (
    DraftSpec,
    RecordRow,
    SignatureRow,
    answer_columns,
    record_columns,
    search_terms,
)
from .record_search import RecordReads
from .tables import NO_BLOCKER, answers, case_sources, record_pdfs, record_terms, records, signatures

# Plain strings for SQL binds (a driver may bind an enum member by its name).
_DRAFT, _SIGNED = Status.DRAFT.value, Status.SIGNED.value
_REVIEWED, _AMENDED = Status.REVIEWED.value, Status.AMENDED.value
_CANCELLED, _CANCELLED_M = Status.CANCELLED.value, Meaning.CANCELLED.value
_PREPARED_M, _REVIEWED_M, _AMENDED_M = Meaning.PREPARED.value, Meaning.REVIEWED.value, Meaning.AMENDED.value
PRINT_OUTCOMES = ("printed", "not_printed")


def _require(text: str | None, what: str) -> str:
    if text is None or not str(text).strip():
        raise ValueError(f"{what} is required")
    return text


_BUMP_DRAFT = (update(records)
               .where(records.c.id == bindparam("k_id"), records.c.version == bindparam("k_version"),
                      records.c.status == _DRAFT)
               .values(version=records.c.version + 1))


class RecordRepository(RecordReads):
    """Every method is one transaction; writes are committed (durably) before they return."""

    # -- drafts and answers -------------------------------------------------------------------------------------

    def create_draft(self, record: Record, nurse: str, form_version: str, form_hash: str,
                     readiness_state: str) -> RecordRow:
        """Store a new draft pinned to the form version and hash; its answers (if any) are stored too."""
        _require(nurse, "the nurse's user name")
        _require(form_version, "form_version")
        _require(form_hash, "form_hash")
        _require(readiness_state, "readiness_state")
        for pinned, given, name in ((record.form_version, form_version, "form_version"),
                                    (record.form_hash, form_hash, "form_hash")):
            if pinned is not None and pinned != given:
                raise ValueError(f"the record says {name}={pinned!r} but the draft is pinned to {given!r}")

        def tx(conn: Connection) -> RecordRow:
            record_id = self._insert_draft(conn, record, nurse, form_version, form_hash, readiness_state,
                                           self._db.now())
            self._audit.append_in(conn, nurse, Actions.RECORD_CREATED, record_id, {
                "form": record.form, "form_version": form_version, "form_hash": form_hash,
                "answers": sorted(record.answers)})
            return self._load(conn, record_id)

        return self._db.write(tx)

    def _insert_draft(self, conn: Connection, record: Record, nurse: str, form_version: str, form_hash: str,
                      readiness_state: str, now: datetime) -> str:
        record_id = str(uuid.uuid4())
        conn.execute(insert(records).values(
            id=record_id, version=1, status=_DRAFT, readiness_state=readiness_state, form_version=form_version,
            form_hash=form_hash, created_by=nurse, created_at=now, updated_by=nurse, updated_at=now,
            **record_columns(record)))
        conn.execute(insert(record_terms), [{"term": t, "record_id": record_id} for t in sorted(search_terms(record))])
        if record.answers:
            conn.execute(insert(answers), [{"record_id": record_id, "item_id": item_id, **answer_columns(answer)}
                                           for item_id, answer in record.answers.items()])
        if record.source is not None:  # issue 13: where the case came from, and its accession number
            conn.execute(insert(case_sources).values(record_id=record_id, source=record.source,
                                                     accession=record.procedure.accession))
        return record_id

    def set_answer(self, record_id: str, item_id: str, answer: Answer | None, *, expected_version: int,
                   actor: str, readiness_state: str, previous: Any = UNKNOWN,
                   blockers: Sequence[BlockerKey] = ()) -> int:
        """Save (or with None clear) one answer; returns the record's new version once committed.

        `previous`: the answer the caller saw at `expected_version` (None = unanswered); given, PostgreSQL
        saves in one round trip and checks it against the row (a mismatch falls back, nothing lost).
        Raises ConflictError when the record moved past `expected_version` (another workstation saved
        first: reload), ImmutableRecordError when it is no longer a draft, NotFoundError.
        """
        _require(item_id, "item_id")
        _require(actor, "actor")
        _require(readiness_state, "readiness_state")
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

    def _bump_draft(self, conn: Connection, record_id: str, expected_version: int, actor: str,
                    **values: Any) -> int:
        # The other columns to set come in as parameters named like them (SQLAlchemy adds them to SET).
        result = conn.execute(_BUMP_DRAFT, {"k_id": record_id, "k_version": expected_version,
                                            "updated_at": self._db.now(), "updated_by": actor, **values})
        if result.rowcount != 1:
            self._refuse(conn, record_id, expected_version, want=_DRAFT)
        return expected_version + 1

    def _refuse(self, conn: Connection, record_id: str, expected_version: int | None, *, want: str) -> None:
        """Raise the error that explains why a guarded UPDATE touched no row."""
        row = conn.execute(select(records.c.status, records.c.version, records.c.updated_by, records.c.updated_at)
                           .where(records.c.id == record_id)).first()
        if row is None:
            raise NotFoundError(f"There is no checklist with id {record_id}. It may have been typed wrongly, "
                                "or this workstation is connected to a different database.")
        if want == _DRAFT and row.status != _DRAFT:
            raise ImmutableRecordError(record_id, row.status)
        if want == _SIGNED:
            if row.status == _DRAFT:
                raise RecordStateError("This checklist has not been signed yet. It can be co-signed, amended or "
                                       "printed as a record only after the nurse signs it.",
                                       record_id=record_id, status=row.status)
            if row.status == _CANCELLED:
                raise RecordStateError("This procedure was cancelled: its checklist is not printed, co-signed or "
                                       "amended as a record.", record_id=record_id, status=row.status)
            if row.status == _AMENDED:
                newer = conn.execute(select(records.c.id).where(records.c.supersedes_id == record_id)).scalar()
                raise RecordStateError(f"This version of the checklist was replaced by an amendment ({newer}). "
                                       "Open the latest version instead.", record_id=record_id, status=row.status)
        raise ConflictError(record_id, expected_version=expected_version, current_version=row.version,
                            changed_by=row.updated_by, changed_at=row.updated_at)

    # -- signing ------------------------------------------------------------------------------------------------

    def sign(self, record_id: str, *, expected_version: int, canonical_json: str, sha256: str,
             signature: SignatureRow, pdf: bytes) -> RecordRow:
        """Freeze the draft: canonical JSON + SHA-256, the "prepared" signature and PDF revision 1.

        A "cancelled" signature freezes it the same way with status cancelled (the case did not go ahead);
        its reason is the signature's override_reason column (the one free-text reason a signature has)."""
        if hashlib.sha256(canonical_json.encode("utf-8")).hexdigest() != sha256:
            raise ValueError("sha256 is not the SHA-256 of canonical_json (UTF-8); refusing to sign")
        if signature.meaning not in (_PREPARED_M, _AMENDED_M, _CANCELLED_M):
            raise ValueError(f"a first signature means 'prepared', 'amended' or 'cancelled', not {signature.meaning!r}")
        cancelled = signature.meaning == _CANCELLED_M
        if cancelled:
            _require(signature.override_reason, "the reason the procedure was cancelled")
        _check_pdf(pdf)

        def tx(conn: Connection) -> RecordRow:
            # Compare-and-set (and the row lock) first; the status changes last, after the signature and PDF
            # rows that justify it exist: the database refuses "signed" or "cancelled" without them (0008, 0012).
            self._bump_draft(conn, record_id, expected_version, signature.username)
            self._insert_signature(conn, record_id, signature)
            pdf_sha = self._insert_pdf(conn, record_id, 1, pdf, signature.username)
            conn.execute(update(records).where(records.c.id == record_id).values(
                status=_CANCELLED if cancelled else _SIGNED, canonical_json=canonical_json, content_sha256=sha256,
                signed_at=signature.signed_at))
            detail = {"sha256": sha256, "pdf_sha256": pdf_sha, "meaning": signature.meaning, "role": signature.role,
                      "version": expected_version + 1}
            if cancelled:
                self._audit.append_in(conn, signature.username, Actions.RECORD_CANCELLED, record_id,
                                      {**detail, "reason": signature.override_reason})
            else:
                self._audit.append_in(conn, signature.username, Actions.RECORD_SIGNED, record_id, {
                    **detail, "override_reason": signature.override_reason,
                    "override_authorised_by": signature.override_authorised_by})
            return self._load(conn, record_id)

        return self._db.write(tx)

    def add_signature(self, record_id: str, signature: SignatureRow, pdf: bytes, *,
                      expected_version: int | None = None) -> RecordRow:
        """Co-sign ("reviewed"): status becomes reviewed; `pdf` must be an incremental update of the
        stored PDF (start with its exact bytes), else it is refused and nothing changes."""
        if signature.meaning != _REVIEWED_M:
            raise ValueError(f"a co-signature means 'reviewed', not {signature.meaning!r}")
        _check_pdf(pdf)

        def tx(conn: Connection) -> RecordRow:
            guard = [records.c.id == record_id, records.c.status.in_((_SIGNED, _REVIEWED))]
            if expected_version is not None:
                guard.append(records.c.version == expected_version)
            # A paper copy printed before this has an empty reviewer box: the record goes back to the queue.
            result = conn.execute(update(records).where(*guard).values(
                version=records.c.version + 1, updated_at=self._db.now(), updated_by=signature.username,
                printed_at=None, printed_by=None, print_outcome=None))
            if result.rowcount != 1:
                self._refuse(conn, record_id, expected_version, want=_SIGNED)
            stored = conn.execute(select(record_pdfs.c.revision, record_pdfs.c.pdf)
                                  .where(record_pdfs.c.record_id == record_id)
                                  .order_by(record_pdfs.c.revision.desc())).all()
            if stored:
                latest = bytes(stored[0].pdf)
                if not (len(pdf) > len(latest) and pdf.startswith(latest)):
                    if any(pdf.startswith(bytes(r.pdf)) for r in stored[1:]):
                        raise ConflictError(record_id, message=(
                            "This checklist was co-signed on another workstation while you were signing. "
                            "Reload it and sign again."))
                    raise RecordStateError(
                        "The co-signed PDF does not extend the stored signed PDF byte for byte (an incremental "
                        "update is required so earlier signatures stay valid); it was not saved.",
                        record_id=record_id)
            revision = (stored[0].revision if stored else 0) + 1
            self._insert_signature(conn, record_id, signature)
            pdf_sha = self._insert_pdf(conn, record_id, revision, pdf, signature.username)
            # Last, once the co-signature and its PDF revision exist (migration 0008 checks for them).
            conn.execute(update(records).where(records.c.id == record_id).values(status=_REVIEWED))
            self._audit.append_in(conn, signature.username, Actions.RECORD_COSIGNED, record_id, {
                "meaning": signature.meaning, "role": signature.role, "pdf_sha256": pdf_sha, "revision": revision})
            return self._load(conn, record_id)

        try:
            return self._db.write(tx)
        except IntegrityError as exc:
            # Two co-signers raced for the same PDF revision number: the later one lost.
            if "record_pdfs" in str(exc.orig) or "pk_record_pdfs" in str(exc.orig):
                raise ConflictError(record_id, message=(
                    "This checklist was co-signed on another workstation while you were signing. "
                    "Reload it and sign again.")) from exc
            raise

    def _insert_signature(self, conn: Connection, record_id: str, signature: SignatureRow) -> None:
        for name in ("username", "full_name", "role"):
            _require(getattr(signature, name), f"the signer's {name}")
        conn.execute(insert(signatures).values(
            record_id=record_id, meaning=signature.meaning, username=signature.username,
            full_name=signature.full_name, role=signature.role, signed_at=signature.signed_at,
            manifestation=signature.manifestation, override_reason=signature.override_reason,
            override_authorised_by=signature.override_authorised_by))

    def _insert_pdf(self, conn: Connection, record_id: str, revision: int, pdf: bytes, actor: str) -> str:
        digest = hashlib.sha256(pdf).hexdigest()
        conn.execute(insert(record_pdfs).values(record_id=record_id, revision=revision, pdf=pdf, sha256=digest,
                                                created_at=self._db.now(), created_by=actor))
        return digest

    # -- amendments and printing --------------------------------------------------------------------------------

    def amend(self, record_id: str, reason: str, actor: str) -> RecordRow:
        """Start an amendment: a new draft with the same answers pointing to this record, which becomes
        "amended" (its content, signatures and PDFs stay exactly as they were)."""
        _require(reason, "the reason for the amendment")
        _require(actor, "actor")

        def tx(conn: Connection) -> RecordRow:
            now = self._db.now()
            result = conn.execute(update(records)
                                  .where(records.c.id == record_id, records.c.status.in_((_SIGNED, _REVIEWED)))
                                  .values(version=records.c.version + 1, updated_at=now, updated_by=actor))
            if result.rowcount != 1:
                self._refuse_amend(conn, record_id)
            old = conn.execute(select(records).where(records.c.id == record_id)).one()
            new_id = str(uuid.uuid4())
            copied = {c.name: old._mapping[c.name] for c in records.c if c.name in _COPIED_ON_AMEND}
            conn.execute(insert(records).values(
                id=new_id, version=1, status=_DRAFT, created_by=actor, created_at=now, updated_by=actor,
                updated_at=now, supersedes_id=record_id, amendment_reason=reason, **copied))
            conn.execute(insert(record_terms).from_select(
                ["term", "record_id"],
                select(record_terms.c.term, literal(new_id, records.c.id.type))
                .where(record_terms.c.record_id == record_id)))
            answer_columns = [c.name for c in answers.c if c.name != "record_id"]
            conn.execute(insert(answers).from_select(
                ["record_id", *answer_columns],
                select(literal(new_id, records.c.id.type), *(answers.c[c] for c in answer_columns))
                .where(answers.c.record_id == record_id)))
            # Only now, with its successor stored, may the old version say "amended" (migration 0008).
            conn.execute(update(records).where(records.c.id == record_id).values(status=_AMENDED))
            self._audit.append_in(conn, actor, Actions.RECORD_AMENDED, record_id,
                                  {"new_record_id": new_id, "reason": reason})
            self._audit.append_in(conn, actor, Actions.RECORD_CREATED, new_id,
                                  {"supersedes": record_id, "reason": reason, "form": old.form_id,
                                   "form_version": old.form_version, "form_hash": old.form_hash})
            return self._load(conn, new_id)

        return self._db.write(tx)

    def _refuse_amend(self, conn: Connection, record_id: str) -> None:
        row = conn.execute(select(records.c.status).where(records.c.id == record_id)).first()
        if row is not None and row.status == _DRAFT:
            raise RecordStateError("This checklist is still a draft: change the answers directly. Amendments are "
                                   "for signed checklists.", record_id=record_id, status=_DRAFT)
        self._refuse(conn, record_id, None, want=_SIGNED)

    def mark_printed(self, record_id: str, actor: str, *, printer: str | None = None,
                     job: str | None = None) -> RecordRow:
        """Record that a signed checklist was *sent to the printer* (when, by whom, where); what came out is
        unknown until confirm_printed says. The content is untouched."""
        _require(actor, "actor")

        def tx(conn: Connection) -> RecordRow:
            now = self._db.now()
            result = conn.execute(update(records)
                                  .where(records.c.id == record_id, records.c.status.in_((_SIGNED, _REVIEWED,
                                                                                          _AMENDED)))
                                  .values(printed_at=now, printed_by=actor, print_outcome=None))
            if result.rowcount != 1:
                self._refuse(conn, record_id, None, want=_SIGNED)
            self._audit.append_in(conn, actor, Actions.RECORD_PRINTED, record_id,
                                  {"sent_to": printer, "job": job})
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
            result = conn.execute(update(records).where(records.c.id == record_id,
                                                        records.c.printed_at.is_not(None)).values(**values))
            if result.rowcount != 1:
                raise RecordStateError("This checklist was not sent to a printer.", record_id=record_id)
            self._audit.append_in(conn, actor, Actions.RECORD_PRINT_CONFIRMED, record_id,
                                  {"outcome": outcome, "source": source})
            return self._load(conn, record_id)

        return self._db.write(tx)

    # -- cases that do not go ahead -------------------------------------------------------------------------------

    def reschedule(self, record_id: str, scheduled_at: datetime, reason: str, *, expected_version: int,
                   actor: str, readiness_state: str, blockers: Sequence[BlockerKey] = ()) -> RecordRow:
        """Move a draft to a new time (audited with the old time and the reason); the caller re-judged it."""
        _require(reason, "the reason for the new time")
        _require(actor, "actor")
        if scheduled_at.utcoffset() is None:
            raise ValueError("the new time needs a UTC offset")

        def tx(conn: Connection) -> RecordRow:
            old = conn.execute(select(records.c.scheduled_at).where(records.c.id == record_id)).scalar()
            version = self._bump_draft(conn, record_id, expected_version, actor, scheduled_at=scheduled_at,
                                       scheduled_offset_s=int(scheduled_at.utcoffset().total_seconds()),  # type: ignore[union-attr]
                                       readiness_state=readiness_state)
            write_history(conn, record_id, version, self._db.now(), readiness_state, "reschedule",
                          [(item, drug or NO_BLOCKER) for item, drug in blockers] or [(NO_BLOCKER, NO_BLOCKER)])
            self._audit.append_in(conn, actor, Actions.RECORD_RESCHEDULED, record_id, {
                "from": old.isoformat() if old else None, "to": scheduled_at.isoformat(), "reason": reason,
                "version": version, "readiness_state": readiness_state})
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
                rows.append({"id": record_id, "version": 1, "status": _DRAFT,
                             "readiness_state": spec.readiness_state, "form_version": spec.form_version,
                             "form_hash": spec.form_hash, "created_by": spec.nurse, "created_at": at,
                             "updated_by": spec.nurse, "updated_at": at, "supersedes_id": None,
                             "amendment_reason": None, "canonical_json": None, "content_sha256": None,
                             "signed_at": None, "printed_at": None, "printed_by": None,
                             **record_columns(spec.record)})
                terms.extend({"term": t, "record_id": record_id} for t in sorted(search_terms(spec.record)))
                answer_rows.extend({"record_id": record_id, "item_id": item_id, **answer_columns(answer)}
                                   for item_id, answer in spec.record.answers.items())
            if rows:
                conn.execute(insert(records), rows)
                conn.execute(insert(record_terms), terms)
            if answer_rows:
                conn.execute(insert(answers), answer_rows)
            self._audit.append_in(conn, actor, Actions.RECORDS_BULK_INSERTED, None, {"count": len(rows)})
            return [r["id"] for r in rows]

        return self._db.write(tx)


# Content columns an amendment starts from (id, status, signing and printing data are new).
_COPIED_ON_AMEND = frozenset({
    "readiness_state", "form_id", "form_version", "form_hash", "patient_name", "mrn", "birth_date", "sex",
    "procedure_type", "level", "laterality", "scheduled_at", "scheduled_offset_s",
})


def _check_pdf(pdf: bytes) -> None:
    if not isinstance(pdf, bytes | bytearray) or not bytes(pdf[:5]) == b"%PDF-":
        raise ValueError("the signed PDF must be the PDF file's bytes (starting with %PDF-)")
