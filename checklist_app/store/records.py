"""Record repository: drafts, one-answer-at-a-time saves with compare-and-set, signing, amendments, search."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
import unicodedata
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from functools import lru_cache
from typing import Any, Literal, TypeAlias

from pydantic_core import to_jsonable_python
from sqlalchemy import (
    ColumnElement,
    Connection,
    Row,
    and_,
    bindparam,
    delete,
    func,
    insert,
    literal,
    select,
    tuple_,
    update,
)
from sqlalchemy.exc import IntegrityError

from checklist_app.domain.records import Answer, Patient, Procedure, Record

from .audit import Actions, AuditLog
from .connection import Database
from .errors import ConflictError, ImmutableRecordError, NotFoundError, RecordStateError
from .tables import answers, record_pdfs, record_terms, records, signatures

# Rows of any width (SQLAlchemy 2.1 types Row by its column tuple).
AnyRow: TypeAlias = "Row[*tuple[Any, ...]]"

Status = Literal["draft", "signed", "reviewed", "amended"]
Meaning = Literal["prepared", "reviewed", "amended"]

_MAX_PAGE = 500


@dataclass(frozen=True, slots=True)
class SignatureRow:
    """One signature as stored beside the record (the cryptographic one lives in the PDF)."""

    meaning: Meaning
    username: str
    full_name: str
    role: str
    signed_at: datetime
    manifestation: str = ""  # the human-readable "Signed by ... meaning ... at ..." line
    override_reason: str | None = None  # signed although NOT READY: the documented reason
    id: int | None = None
    override_authorised_by: str | None = None  # ... and the clinician who authorised it (Rules v2)


@dataclass(frozen=True, slots=True)
class StoredPdf:
    record_id: str
    revision: int
    pdf: bytes
    sha256: str
    created_at: datetime
    created_by: str


@dataclass(frozen=True, slots=True)
class RecordRow:
    """A record as stored: the domain Record plus status, version and signing metadata."""

    id: str
    version: int
    status: Status
    readiness_state: str
    record: Record
    nurse: str
    created_at: datetime
    updated_at: datetime
    updated_by: str
    supersedes_id: str | None
    superseded_by_id: str | None
    amendment_reason: str | None
    canonical_json: str | None
    content_sha256: str | None
    signed_at: datetime | None
    printed_at: datetime | None
    printed_by: str | None
    signatures: tuple[SignatureRow, ...] = ()

    @property
    def is_draft(self) -> bool:
        return self.status == "draft"

    @property
    def form_id(self) -> str:
        return self.record.form

    @property
    def form_version(self) -> str:
        assert self.record.form_version is not None
        return self.record.form_version

    @property
    def form_hash(self) -> str:
        assert self.record.form_hash is not None
        return self.record.form_hash


@dataclass(frozen=True, slots=True)
class RecordSummary:
    """One search hit: enough for a list row, without the answers."""

    id: str
    version: int
    status: Status
    readiness_state: str
    form_id: str
    form_version: str
    patient_name: str
    mrn: str
    birth_date: date
    sex: str
    procedure_type: str
    level: str
    laterality: str | None
    scheduled_at: datetime  # with the offset it was entered with
    nurse: str
    created_at: datetime
    updated_at: datetime
    signed_at: datetime | None
    printed_at: datetime | None
    supersedes_id: str | None

    def to_json(self) -> dict[str, Any]:
        """Plain JSON (the fields of `records list --json`)."""
        data: dict[str, Any] = to_jsonable_python({f: getattr(self, f) for f in self.__slots__})
        data["patient"] = {"name": self.patient_name, "mrn": self.mrn}
        return data


@dataclass(frozen=True, slots=True)
class RecordFilter:
    """Search filters; all given ones must match. Dates are aware; the range is [from, to)."""

    status: str | Sequence[str] | None = None
    readiness_state: str | Sequence[str] | None = None
    scheduled_from: datetime | None = None
    scheduled_to: datetime | None = None
    nurse: str | None = None
    text: str | None = None  # words matched as prefixes of the patient's name words or the MRN
    printed: bool | None = None  # the coordinator's print queue asks for signed and not yet printed


@dataclass(frozen=True, slots=True)
class Page:
    items: tuple[RecordSummary, ...]
    next_cursor: str | None  # pass as `after` for the next page; None on the last page


@dataclass(frozen=True, slots=True)
class DraftSpec:
    """One draft for bulk_insert_for_benchmarks."""

    record: Record
    nurse: str
    form_version: str
    form_hash: str
    readiness_state: str = "incomplete"
    created_at: datetime | None = field(default=None)


# ---------------------------------------------------------------------------------------------------------------
# Conversions between domain values and rows


def fold(text: str) -> str:
    """Case- and accent-insensitive form used for search terms ("José" is found by "jose")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _words(text: str) -> list[str]:
    return [w[:200] for w in re.split(r"[^\w]+", fold(text)) if w]


def search_terms(record: Record) -> set[str]:
    terms = set(_words(record.patient.name)) | set(_words(record.patient.mrn))
    mrn = fold(record.patient.mrn).strip()
    if mrn:
        terms.add(mrn[:200])
    return terms


def _offset_seconds(value: datetime) -> int:
    offset = value.utcoffset()
    assert offset is not None
    return int(offset.total_seconds())


def _with_offset(utc_value: datetime, offset_s: int) -> datetime:
    return utc_value.astimezone(_zone(offset_s))


@lru_cache(maxsize=64)
def _zone(offset_s: int) -> timezone:
    # A site sees a handful of offsets; one zone object each instead of one per row of a page.
    return timezone(timedelta(seconds=offset_s))


def _answer_columns(answer: Answer) -> dict[str, Any]:
    return {
        "value_json": json.dumps(to_jsonable_python(answer.value), ensure_ascii=False, separators=(",", ":")),
        "note": answer.note,
        "na_reason": answer.na_reason,
        "answered_by": answer.by,
        "answered_at": answer.at,
        "answered_offset_s": None if answer.at is None else _offset_seconds(answer.at),
    }


def _answer_from_row(row: AnyRow) -> Answer:
    at = None if row.answered_at is None else _with_offset(row.answered_at, row.answered_offset_s or 0)
    return Answer(value=json.loads(row.value_json), note=row.note, na_reason=row.na_reason, by=row.answered_by,
                  at=at)


def _answer_json(answer: Answer | None) -> dict[str, Any] | None:
    return None if answer is None else answer.model_dump(mode="json")


def _record_columns(record: Record) -> dict[str, Any]:
    patient, procedure = record.patient, record.procedure
    return {
        "form_id": record.form,
        "patient_name": patient.name,
        "mrn": patient.mrn,
        "birth_date": patient.birth_date,
        "sex": patient.sex,
        "procedure_type": procedure.type,
        "level": procedure.level,
        "laterality": procedure.laterality,
        "scheduled_at": procedure.scheduled_at,
        "scheduled_offset_s": _offset_seconds(procedure.scheduled_at),
    }


def _scheduled(row: AnyRow) -> datetime:
    return _with_offset(row.scheduled_at, row.scheduled_offset_s)


def _record_from_row(row: AnyRow, answer_rows: Iterable[AnyRow]) -> Record:
    return Record(
        form=row.form_id,
        form_version=row.form_version,
        form_hash=row.form_hash,
        patient=Patient(name=row.patient_name, birth_date=row.birth_date, mrn=row.mrn, sex=row.sex),
        procedure=Procedure(type=row.procedure_type, level=row.level, laterality=row.laterality,
                            scheduled_at=_scheduled(row)),
        # Answers go in as dicts: Record's before-validator would wrap Answer instances as plain values.
        answers={a.item_id: _answer_from_row(a).model_dump() for a in answer_rows},
    )


# The columns a list row needs, in _summary's order. Lists select these only: a signed row also holds its
# frozen record JSON (kilobytes) that no list shows (bench/RESULTS.md, review).
_SUMMARY_COLUMNS = (
    records.c.id, records.c.version, records.c.status, records.c.readiness_state, records.c.form_id,
    records.c.form_version, records.c.patient_name, records.c.mrn, records.c.birth_date, records.c.sex,
    records.c.procedure_type, records.c.level, records.c.laterality, records.c.scheduled_at,
    records.c.scheduled_offset_s, records.c.created_by, records.c.created_at, records.c.updated_at,
    records.c.signed_at, records.c.printed_at, records.c.supersedes_id,
)


def _summary(row: AnyRow) -> RecordSummary:
    """A row of select(*_SUMMARY_COLUMNS) as a RecordSummary (unpacked by position: a page has hundreds)."""
    (record_id, version, status, readiness_state, form_id, form_version, patient_name, mrn, birth_date, sex,
     procedure_type, level, laterality, scheduled_at, scheduled_offset_s, created_by, created_at, updated_at,
     signed_at, printed_at, supersedes_id) = row
    return RecordSummary(
        id=record_id, version=version, status=status, readiness_state=readiness_state, form_id=form_id,
        form_version=form_version, patient_name=patient_name, mrn=mrn, birth_date=birth_date, sex=sex,
        procedure_type=procedure_type, level=level, laterality=laterality,
        scheduled_at=_with_offset(scheduled_at, scheduled_offset_s), nurse=created_by, created_at=created_at,
        updated_at=updated_at, signed_at=signed_at, printed_at=printed_at, supersedes_id=supersedes_id,
    )


def _signature_from_row(row: AnyRow) -> SignatureRow:
    return SignatureRow(meaning=row.meaning, username=row.username, full_name=row.full_name, role=row.role,
                        signed_at=row.signed_at, manifestation=row.manifestation,
                        override_reason=row.override_reason, id=row.id,
                        override_authorised_by=row.override_authorised_by)


def _encode_cursor(row: AnyRow) -> str:
    raw = f"{row.scheduled_at.astimezone(UTC).isoformat()}|{row.id}".encode()
    return base64.urlsafe_b64encode(raw).decode("ascii")


def _decode_cursor(cursor: str) -> tuple[datetime, str]:
    try:
        at_text, record_id = base64.urlsafe_b64decode(cursor.encode("ascii")).decode().split("|", 1)
        at = datetime.fromisoformat(at_text)
    except (ValueError, UnicodeError, binascii.Error):
        raise ValueError(f"invalid search cursor {cursor!r}") from None
    if at.tzinfo is None:
        raise ValueError(f"invalid search cursor {cursor!r}")
    return at, record_id


def _as_tuple(value: str | Sequence[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


def _require(text: str | None, what: str) -> str:
    if text is None or not str(text).strip():
        raise ValueError(f"{what} is required")
    return text


def _prefix_range(word: str) -> ColumnElement[bool]:
    lower = record_terms.c.term >= word
    last = ord(word[-1])
    if last >= 0x10FFFF:
        return lower
    return and_(lower, record_terms.c.term < word[:-1] + chr(last + 1))


# Statements of the one-answer save, built once: building them anew with the values as literals cost more
# CPU than the database spent running them (bench/RESULTS.md, answer). Values come as execute() parameters.
_ANSWER_KEY = and_(answers.c.record_id == bindparam("k_record"), answers.c.item_id == bindparam("k_item"))
_SELECT_ANSWER = select(answers).where(_ANSWER_KEY)
_DELETE_ANSWER = delete(answers).where(_ANSWER_KEY)
_INSERT_ANSWER = insert(answers)
_UPDATE_ANSWER = update(answers).where(_ANSWER_KEY)
_BUMP_DRAFT = (update(records)
               .where(records.c.id == bindparam("k_id"), records.c.version == bindparam("k_version"),
                      records.c.status == "draft")
               .values(version=records.c.version + 1))


# ---------------------------------------------------------------------------------------------------------------


class RecordRepository:
    """Every method is one transaction; writes are committed (durably) before they return."""

    def __init__(self, db: Database, audit_log: AuditLog) -> None:
        self._db = db
        self._audit = audit_log

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
            id=record_id, version=1, status="draft", readiness_state=readiness_state, form_version=form_version,
            form_hash=form_hash, created_by=nurse, created_at=now, updated_by=nurse, updated_at=now,
            **_record_columns(record)))
        conn.execute(insert(record_terms), [{"term": t, "record_id": record_id} for t in sorted(search_terms(record))])
        if record.answers:
            conn.execute(insert(answers), [{"record_id": record_id, "item_id": item_id, **_answer_columns(answer)}
                                           for item_id, answer in record.answers.items()])
        return record_id

    def set_answer(self, record_id: str, item_id: str, answer: Answer | None, *, expected_version: int,
                   actor: str, readiness_state: str) -> int:
        """Save (or with None clear) one answer; returns the record's new version once committed.

        Raises ConflictError when the record moved past `expected_version` (another workstation saved
        first: reload), ImmutableRecordError when it is no longer a draft, NotFoundError.
        """
        _require(item_id, "item_id")
        _require(actor, "actor")
        _require(readiness_state, "readiness_state")
        if len(item_id) > 100:
            raise ValueError(f"item id {item_id[:40]!r}... is longer than 100 characters")

        def tx(conn: Connection) -> int:
            # Compare-and-set first: on PostgreSQL this row lock also queues a concurrent writer,
            # which then finds the version moved and loses cleanly.
            new_version = self._bump_draft(conn, record_id, expected_version, actor,
                                           readiness_state=readiness_state)
            key = {"k_record": record_id, "k_item": item_id}
            old_row = conn.execute(_SELECT_ANSWER, key).first()
            old = None if old_row is None else _answer_from_row(old_row)
            if answer is None:
                if old_row is not None:
                    conn.execute(_DELETE_ANSWER, key)
            elif old_row is None:
                conn.execute(_INSERT_ANSWER, {"record_id": record_id, "item_id": item_id, **_answer_columns(answer)})
            else:
                conn.execute(_UPDATE_ANSWER, {**key, **_answer_columns(answer)})
            self._audit.append_in(conn, actor, Actions.ANSWER_CLEARED if answer is None else Actions.ANSWER_SET,
                                  record_id, {"item": item_id, "old": _answer_json(old), "new": _answer_json(answer),
                                              "version": new_version, "readiness_state": readiness_state})
            return new_version

        return self._db.write(tx)

    def _bump_draft(self, conn: Connection, record_id: str, expected_version: int, actor: str,
                    **values: Any) -> int:
        # The other columns to set come in as parameters named like them (SQLAlchemy adds them to SET).
        result = conn.execute(_BUMP_DRAFT, {"k_id": record_id, "k_version": expected_version,
                                            "updated_at": self._db.now(), "updated_by": actor, **values})
        if result.rowcount != 1:
            self._refuse(conn, record_id, expected_version, want="draft")
        return expected_version + 1

    def _refuse(self, conn: Connection, record_id: str, expected_version: int | None, *, want: str) -> None:
        """Raise the error that explains why a guarded UPDATE touched no row."""
        row = conn.execute(select(records.c.status, records.c.version, records.c.updated_by, records.c.updated_at)
                           .where(records.c.id == record_id)).first()
        if row is None:
            raise NotFoundError(f"There is no checklist with id {record_id}. It may have been typed wrongly, "
                                "or this workstation is connected to a different database.")
        if want == "draft" and row.status != "draft":
            raise ImmutableRecordError(record_id, row.status)
        if want == "signed":
            if row.status == "draft":
                raise RecordStateError("This checklist has not been signed yet. It can be co-signed, amended or "
                                       "printed as a record only after the nurse signs it.",
                                       record_id=record_id, status=row.status)
            if row.status == "amended":
                newer = conn.execute(select(records.c.id).where(records.c.supersedes_id == record_id)).scalar()
                raise RecordStateError(f"This version of the checklist was replaced by an amendment ({newer}). "
                                       "Open the latest version instead.", record_id=record_id, status=row.status)
        raise ConflictError(record_id, expected_version=expected_version, current_version=row.version,
                            changed_by=row.updated_by, changed_at=row.updated_at)

    # -- reading ------------------------------------------------------------------------------------------------

    def get(self, record_id: str) -> RecordRow:
        """The record with its answers and signatures (one consistent snapshot); NotFoundError if absent."""
        return self._db.read(lambda conn: self._load(conn, record_id))

    def _load(self, conn: Connection, record_id: str) -> RecordRow:
        row = conn.execute(select(records).where(records.c.id == record_id)).first()
        if row is None:
            raise NotFoundError(f"There is no checklist with id {record_id}. It may have been typed wrongly, "
                                "or this workstation is connected to a different database.")
        answer_rows = conn.execute(select(answers).where(answers.c.record_id == record_id)
                                   .order_by(answers.c.item_id)).all()
        signature_rows = conn.execute(select(signatures).where(signatures.c.record_id == record_id)
                                      .order_by(signatures.c.id)).all()
        newer = conn.execute(select(records.c.id).where(records.c.supersedes_id == record_id)).scalar()
        return RecordRow(
            id=row.id, version=row.version, status=row.status, readiness_state=row.readiness_state,
            record=_record_from_row(row, answer_rows), nurse=row.created_by, created_at=row.created_at,
            updated_at=row.updated_at, updated_by=row.updated_by, supersedes_id=row.supersedes_id,
            superseded_by_id=newer, amendment_reason=row.amendment_reason, canonical_json=row.canonical_json,
            content_sha256=row.content_sha256, signed_at=row.signed_at, printed_at=row.printed_at,
            printed_by=row.printed_by, signatures=tuple(_signature_from_row(s) for s in signature_rows))

    def versions(self, record_id: str) -> list[RecordSummary]:
        """Every version of the record's amendment chain, oldest first."""

        summary = select(*_SUMMARY_COLUMNS)

        def tx(conn: Connection) -> list[RecordSummary]:
            row = conn.execute(summary.where(records.c.id == record_id)).first()
            if row is None:
                raise NotFoundError(f"There is no checklist with id {record_id}.")
            chain = [row]
            while chain[0].supersedes_id is not None:
                chain.insert(0, conn.execute(summary.where(records.c.id == chain[0].supersedes_id)).one())
            while (newer := conn.execute(summary.where(records.c.supersedes_id == chain[-1].id)).first()):
                chain.append(newer)
            return [_summary(r) for r in chain]

        return self._db.read(tx)

    def latest_pdf(self, record_id: str) -> StoredPdf | None:
        """The newest stored PDF revision (the one with every signature so far), or None before signing."""

        def tx(conn: Connection) -> StoredPdf | None:
            row = conn.execute(select(record_pdfs).where(record_pdfs.c.record_id == record_id)
                               .order_by(record_pdfs.c.revision.desc()).limit(1)).first()
            return None if row is None else StoredPdf(row.record_id, row.revision, bytes(row.pdf), row.sha256,
                                                      row.created_at, row.created_by)

        return self._db.read(tx)

    # -- search -------------------------------------------------------------------------------------------------

    def _where(self, filters: RecordFilter | None) -> list[ColumnElement[bool]]:
        f = filters or RecordFilter()
        clauses: list[ColumnElement[bool]] = []
        if statuses := _as_tuple(f.status):
            clauses.append(records.c.status == statuses[0] if len(statuses) == 1 else records.c.status.in_(statuses))
        if states := _as_tuple(f.readiness_state):
            clauses.append(records.c.readiness_state == states[0] if len(states) == 1
                           else records.c.readiness_state.in_(states))
        if f.scheduled_from is not None:
            clauses.append(records.c.scheduled_at >= f.scheduled_from)
        if f.scheduled_to is not None:
            clauses.append(records.c.scheduled_at < f.scheduled_to)
        if f.nurse:
            clauses.append(records.c.created_by == f.nurse)
        if f.printed is not None:
            clauses.append(records.c.printed_at.is_not(None) if f.printed else records.c.printed_at.is_(None))
        for word in sorted(set(_words(f.text or ""))):
            # Each word narrows: an index range on record_terms per word, never a scan of names.
            clauses.append(records.c.id.in_(select(record_terms.c.record_id).where(_prefix_range(word))))
        return clauses

    def search(self, filters: RecordFilter | None = None, *, limit: int = 50, after: str | None = None,
               descending: bool = False) -> Page:
        """One page ordered by (scheduled_at, id) — keyset paging, so page 2,000 costs what page 1 does."""
        limit = max(1, min(limit, _MAX_PAGE))
        clauses = self._where(filters)
        key = tuple_(records.c.scheduled_at, records.c.id)
        if after is not None:
            at, last_id = _decode_cursor(after)
            cursor = tuple_(literal(at, records.c.scheduled_at.type), literal(last_id, records.c.id.type))
            clauses.append(key < cursor if descending else key > cursor)
        order = ((records.c.scheduled_at.desc(), records.c.id.desc()) if descending
                 else (records.c.scheduled_at, records.c.id))
        query = select(*_SUMMARY_COLUMNS).where(*clauses).order_by(*order).limit(limit + 1)

        def tx(conn: Connection) -> Page:
            rows = conn.execute(query).all()
            more = len(rows) > limit
            rows = rows[:limit]
            return Page(tuple(_summary(r) for r in rows), _encode_cursor(rows[-1]) if more and rows else None)

        return self._db.read(tx)

    def count(self, filters: RecordFilter | None = None) -> int:
        query = select(func.count()).select_from(records).where(*self._where(filters))
        return int(self._db.read(lambda conn: conn.execute(query).scalar_one()))

    # -- signing ------------------------------------------------------------------------------------------------

    def sign(self, record_id: str, *, expected_version: int, canonical_json: str, sha256: str,
             signature: SignatureRow, pdf: bytes) -> RecordRow:
        """Freeze the draft: canonical JSON + SHA-256, the "prepared" signature and PDF revision 1."""
        if hashlib.sha256(canonical_json.encode("utf-8")).hexdigest() != sha256:
            raise ValueError("sha256 is not the SHA-256 of canonical_json (UTF-8); refusing to sign")
        if signature.meaning not in ("prepared", "amended"):
            raise ValueError(f"a first signature means 'prepared' or 'amended', not {signature.meaning!r}")
        _check_pdf(pdf)

        def tx(conn: Connection) -> RecordRow:
            self._bump_draft(conn, record_id, expected_version, signature.username, status="signed",
                             canonical_json=canonical_json, content_sha256=sha256, signed_at=signature.signed_at)
            self._insert_signature(conn, record_id, signature)
            pdf_sha = self._insert_pdf(conn, record_id, 1, pdf, signature.username)
            self._audit.append_in(conn, signature.username, Actions.RECORD_SIGNED, record_id, {
                "sha256": sha256, "pdf_sha256": pdf_sha, "meaning": signature.meaning, "role": signature.role,
                "override_reason": signature.override_reason,
                "override_authorised_by": signature.override_authorised_by, "version": expected_version + 1})
            return self._load(conn, record_id)

        return self._db.write(tx)

    def add_signature(self, record_id: str, signature: SignatureRow, pdf: bytes, *,
                      expected_version: int | None = None) -> RecordRow:
        """Co-sign ("reviewed"): status becomes reviewed; `pdf` must be an incremental update of the
        stored PDF (start with its exact bytes), else it is refused and nothing changes."""
        if signature.meaning != "reviewed":
            raise ValueError(f"a co-signature means 'reviewed', not {signature.meaning!r}")
        _check_pdf(pdf)

        def tx(conn: Connection) -> RecordRow:
            guard = [records.c.id == record_id, records.c.status.in_(("signed", "reviewed"))]
            if expected_version is not None:
                guard.append(records.c.version == expected_version)
            result = conn.execute(update(records).where(*guard).values(
                status="reviewed", version=records.c.version + 1, updated_at=self._db.now(),
                updated_by=signature.username))
            if result.rowcount != 1:
                self._refuse(conn, record_id, expected_version, want="signed")
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
                                  .where(records.c.id == record_id, records.c.status.in_(("signed", "reviewed")))
                                  .values(status="amended", version=records.c.version + 1, updated_at=now,
                                          updated_by=actor))
            if result.rowcount != 1:
                self._refuse_amend(conn, record_id)
            old = conn.execute(select(records).where(records.c.id == record_id)).one()
            new_id = str(uuid.uuid4())
            copied = {c.name: old._mapping[c.name] for c in records.c if c.name in _COPIED_ON_AMEND}
            conn.execute(insert(records).values(
                id=new_id, version=1, status="draft", created_by=actor, created_at=now, updated_by=actor,
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
            self._audit.append_in(conn, actor, Actions.RECORD_AMENDED, record_id,
                                  {"new_record_id": new_id, "reason": reason})
            self._audit.append_in(conn, actor, Actions.RECORD_CREATED, new_id,
                                  {"supersedes": record_id, "reason": reason, "form": old.form_id,
                                   "form_version": old.form_version, "form_hash": old.form_hash})
            return self._load(conn, new_id)

        return self._db.write(tx)

    def _refuse_amend(self, conn: Connection, record_id: str) -> None:
        row = conn.execute(select(records.c.status).where(records.c.id == record_id)).first()
        if row is not None and row.status == "draft":
            raise RecordStateError("This checklist is still a draft: change the answers directly. Amendments are "
                                   "for signed checklists.", record_id=record_id, status="draft")
        self._refuse(conn, record_id, None, want="signed")

    def mark_printed(self, record_id: str, actor: str) -> RecordRow:
        """Record that a signed checklist was printed (when and by whom); the content is untouched."""
        _require(actor, "actor")

        def tx(conn: Connection) -> RecordRow:
            now = self._db.now()
            result = conn.execute(update(records).where(records.c.id == record_id, records.c.status != "draft")
                                  .values(printed_at=now, printed_by=actor))
            if result.rowcount != 1:
                self._refuse(conn, record_id, None, want="signed")
            self._audit.append_in(conn, actor, Actions.RECORD_PRINTED, record_id, {})
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
                rows.append({"id": record_id, "version": 1, "status": "draft",
                             "readiness_state": spec.readiness_state, "form_version": spec.form_version,
                             "form_hash": spec.form_hash, "created_by": spec.nurse, "created_at": at,
                             "updated_by": spec.nurse, "updated_at": at, "supersedes_id": None,
                             "amendment_reason": None, "canonical_json": None, "content_sha256": None,
                             "signed_at": None, "printed_at": None, "printed_by": None,
                             **_record_columns(spec.record)})
                terms.extend({"term": t, "record_id": record_id} for t in sorted(search_terms(spec.record)))
                answer_rows.extend({"record_id": record_id, "item_id": item_id, **_answer_columns(answer)}
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
