"""Reading stored records: one record with its answers and signatures, version chains, search and paging."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, Connection, and_, func, literal, select, tuple_

from .audit import AuditLog
from .connection import Database
from .errors import NotFoundError
from .record_rows import (
    SUMMARY_COLUMNS,
    AnyRow,
    Page,
    RecordFilter,
    RecordRow,
    RecordSummary,
    StoredPdf,
    record_from_row,
    signature_from_row,
    summary_of,
    words,
)
from .tables import answers, record_pdfs, record_terms, records, signatures

_MAX_PAGE = 500


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


def _prefix_range(word: str) -> ColumnElement[bool]:
    lower = record_terms.c.term >= word
    last = ord(word[-1])
    if last >= 0x10FFFF:
        return lower
    return and_(lower, record_terms.c.term < word[:-1] + chr(last + 1))



class RecordReads:
    """The reading half of the record repository; every method is one consistent snapshot."""

    def __init__(self, db: Database, audit_log: AuditLog) -> None:
        self._db = db
        self._audit = audit_log

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
            record=record_from_row(row, answer_rows), nurse=row.created_by, created_at=row.created_at,
            updated_at=row.updated_at, updated_by=row.updated_by, supersedes_id=row.supersedes_id,
            superseded_by_id=newer, amendment_reason=row.amendment_reason, canonical_json=row.canonical_json,
            content_sha256=row.content_sha256, signed_at=row.signed_at, printed_at=row.printed_at,
            printed_by=row.printed_by, signatures=tuple(signature_from_row(s) for s in signature_rows),
            print_outcome=row.print_outcome)

    def versions(self, record_id: str) -> list[RecordSummary]:
        """Every version of the record's amendment chain, oldest first."""

        summary = select(*SUMMARY_COLUMNS)

        def tx(conn: Connection) -> list[RecordSummary]:
            row = conn.execute(summary.where(records.c.id == record_id)).first()
            if row is None:
                raise NotFoundError(f"There is no checklist with id {record_id}.")
            chain = [row]
            while chain[0].supersedes_id is not None:
                chain.insert(0, conn.execute(summary.where(records.c.id == chain[0].supersedes_id)).one())
            while (newer := conn.execute(summary.where(records.c.supersedes_id == chain[-1].id)).first()):
                chain.append(newer)
            return [summary_of(r) for r in chain]

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
        for word in sorted(set(words(f.text or ""))):
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
        query = select(*SUMMARY_COLUMNS).where(*clauses).order_by(*order).limit(limit + 1)

        def tx(conn: Connection) -> Page:
            rows = conn.execute(query).all()
            more = len(rows) > limit
            rows = rows[:limit]
            return Page(tuple(summary_of(r) for r in rows), _encode_cursor(rows[-1]) if more and rows else None)

        return self._db.read(tx)

    def count(self, filters: RecordFilter | None = None) -> int:
        query = select(func.count()).select_from(records).where(*self._where(filters))
        return int(self._db.read(lambda conn: conn.execute(query).scalar_one()))
