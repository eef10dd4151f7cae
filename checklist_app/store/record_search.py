"""Reading stored records: one record with its answers and signatures, version chains, search and paging."""

from __future__ import annotations

import base64
import binascii
import functools
from collections.abc import Callable, Sequence
from contextlib import suppress
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Connection, Select, and_, func, literal, select, tuple_

from checklist_app.domain.lifecycle import Status

from .audit import AuditLog
from .connection import Database
from .errors import NotFoundError
from .record_rows import (
    SIGNED_BY,
    SUMMARY_COLUMNS,
    AnyRow,
    Page,
    RecordFilter,
    RecordRow,
    RecordSummary,
    StoredPdf,
    _zone,
    record_from_row,
    signature_from_row,
    summary_of,
    words,
)
from .tables import answers, case_sources, readiness_history, record_pdfs, record_terms, records, signatures

_MAX_PAGE = 500
T = TypeVar("T")

# What a list row shows (the worklist, the records view, the print queue): `search_page` hands these
# to the caller's row type by position, with scheduled_at in its offset (scheduled_offset_s consumed); the last
# three are who printed it, what came out and who signed it (the first non-review signature).
PAGE_COLUMNS = (
    records.c.id,
    records.c.status,
    records.c.readiness_state,
    records.c.patient_name,
    records.c.mrn,
    records.c.birth_date,
    records.c.procedure_type,
    records.c.level,
    records.c.laterality,
    records.c.scheduled_at,
    records.c.scheduled_offset_s,
    records.c.created_by,
    records.c.signed_at,
    records.c.printed_at,
    records.c.supersedes_id,
    records.c.printed_by,
    records.c.print_outcome,
    SIGNED_BY,
)


def _encode_cursor(row: AnyRow) -> str:
    return _cursor(row.scheduled_at, row.id)


def _result_processor(column: Any, conn: Connection) -> Callable[[Any], Any] | None:
    """What SQLAlchemy applies to this column's values on this dialect (None: the driver's value as is)."""
    processor: Callable[[Any], Any] | None = column.type.dialect_impl(conn.dialect).result_processor(conn.dialect, None)
    return processor


def _cursor(scheduled_at: datetime, record_id: str) -> str:
    raw = f"{scheduled_at.astimezone(UTC).isoformat()}|{record_id}".encode()
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

    def get_many(self, record_ids: Sequence[str]) -> dict[str, RecordRow]:
        """Several records as `get` reads one, in five queries whatever their number (a worklist's drafts);
        ids that name no record are left out."""
        return self._db.read(lambda conn: self._load_many(conn, list(dict.fromkeys(record_ids))))

    def _load(self, conn: Connection, record_id: str) -> RecordRow:
        found = self._load_many(conn, [record_id])
        if record_id not in found:
            raise NotFoundError(
                f"There is no checklist with id {record_id}. It may have been typed wrongly, "
                "or this workstation is connected to a different database."
            )
        return found[record_id]

    def _load_many(self, conn: Connection, record_ids: list[str]) -> dict[str, RecordRow]:
        if not record_ids:
            return {}
        rows = conn.execute(select(records).where(records.c.id.in_(record_ids))).all()
        answer_rows: dict[str, list[Any]] = {r.id: [] for r in rows}
        for a in conn.execute(
            select(answers).where(answers.c.record_id.in_(record_ids)).order_by(answers.c.record_id, answers.c.item_id)
        ):
            answer_rows[a.record_id].append(a)
        signature_rows: dict[str, list[Any]] = {r.id: [] for r in rows}
        for sig in conn.execute(
            select(signatures).where(signatures.c.record_id.in_(record_ids)).order_by(signatures.c.id)
        ):
            signature_rows[sig.record_id].append(sig)
        newer = {
            old: new
            for old, new in conn.execute(
                select(records.c.supersedes_id, records.c.id).where(records.c.supersedes_id.in_(record_ids))
            )
        }
        sources = {
            src.record_id: src
            for src in conn.execute(select(case_sources).where(case_sources.c.record_id.in_(record_ids)))
        }
        return {
            row.id: RecordRow(
                id=row.id,
                version=row.version,
                status=row.status,
                readiness_state=row.readiness_state,
                record=record_from_row(row, answer_rows[row.id], sources.get(row.id)),
                nurse=row.created_by,
                created_at=row.created_at,
                updated_at=row.updated_at,
                updated_by=row.updated_by,
                supersedes_id=row.supersedes_id,
                superseded_by_id=newer.get(row.id),
                amendment_reason=row.amendment_reason,
                canonical_json=row.canonical_json,
                content_sha256=row.content_sha256,
                signed_at=row.signed_at,
                printed_at=row.printed_at,
                printed_by=row.printed_by,
                signatures=tuple(signature_from_row(sig) for sig in signature_rows[row.id]),
                print_outcome=row.print_outcome,
            )
            for row in rows
        }

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
            while newer := conn.execute(summary.where(records.c.supersedes_id == chain[-1].id)).first():
                chain.append(newer)
            return [summary_of(r) for r in chain]

        return self._db.read(tx)

    def latest_pdf(self, record_id: str) -> StoredPdf | None:
        """The newest stored PDF revision (the one with every signature so far), or None before signing."""

        def tx(conn: Connection) -> StoredPdf | None:
            row = conn.execute(
                select(record_pdfs)
                .where(record_pdfs.c.record_id == record_id)
                .order_by(record_pdfs.c.revision.desc())
                .limit(1)
            ).first()
            return (
                None
                if row is None
                else StoredPdf(row.record_id, row.revision, bytes(row.pdf), row.sha256, row.created_at, row.created_by)
            )

        return self._db.read(tx)

    # -- search -------------------------------------------------------------------------------------------------

    @staticmethod
    def _where(filters: RecordFilter | None) -> list[ColumnElement[bool]]:
        f = filters or RecordFilter()
        clauses: list[ColumnElement[bool]] = []
        if statuses := _as_tuple(f.status):
            clauses.append(records.c.status == statuses[0] if len(statuses) == 1 else records.c.status.in_(statuses))
        if states := _as_tuple(f.readiness_state):
            clauses.append(
                records.c.readiness_state == states[0] if len(states) == 1 else records.c.readiness_state.in_(states)
            )
        if f.scheduled_from is not None:
            clauses.append(records.c.scheduled_at >= f.scheduled_from)
        if f.scheduled_to is not None:
            clauses.append(records.c.scheduled_at < f.scheduled_to)
        if f.nurse:
            clauses.append(records.c.created_by == f.nurse)
        if f.printed is not None:
            clauses.append(records.c.printed_at.is_not(None) if f.printed else records.c.printed_at.is_(None))
        if f.procedure_type:
            clauses.append(records.c.procedure_type == f.procedure_type)
        if f.latest_only:
            clauses.append(records.c.status != Status.AMENDED.value)
        if f.reason is not None:
            item, drug = f.reason
            clauses.append(
                records.c.id.in_(
                    select(readiness_history.c.record_id).where(
                        readiness_history.c.item == item, readiness_history.c.drug == drug
                    )
                )
            )
        for word in sorted(set(words(f.text or ""))):
            # Each word narrows: an index range on record_terms per word, never a scan of names.
            clauses.append(records.c.id.in_(select(record_terms.c.record_id).where(_prefix_range(word))))
        return clauses

    @staticmethod
    def _page_query(
        columns: Sequence[Any], filters: RecordFilter | None, limit: int, after: str | None, descending: bool
    ) -> Select[Any]:
        clauses = RecordReads._where(filters)
        key = tuple_(records.c.scheduled_at, records.c.id)
        if after is not None:
            at, last_id = _decode_cursor(after)
            cursor = tuple_(literal(at, records.c.scheduled_at.type), literal(last_id, records.c.id.type))
            clauses.append(key < cursor if descending else key > cursor)
        order = (
            (records.c.scheduled_at.desc(), records.c.id.desc())
            if descending
            else (records.c.scheduled_at, records.c.id)
        )
        return select(*columns).where(*clauses).order_by(*order).limit(limit + 1)

    def search(
        self,
        filters: RecordFilter | None = None,
        *,
        limit: int = 50,
        after: str | None = None,
        descending: bool = False,
    ) -> Page:
        """One page ordered by (scheduled_at, id) — keyset paging, so page 2,000 costs what page 1 does."""
        limit = max(1, min(limit, _MAX_PAGE))
        query = self._page_query(SUMMARY_COLUMNS, filters, limit, after, descending)

        def tx(conn: Connection) -> Page:
            rows = conn.execute(query).all()
            more = len(rows) > limit
            rows = rows[:limit]
            return Page(tuple(summary_of(r) for r in rows), _encode_cursor(rows[-1]) if more and rows else None)

        return self._db.read(tx)

    def search_page(
        self,
        make: Callable[..., T],
        filters: RecordFilter | None = None,
        *,
        limit: int = 50,
        after: str | None = None,
        descending: bool = False,
    ) -> tuple[list[T], str | None]:
        """`search` for list rows: each row is `make(*values)` over PAGE_COLUMNS built straight from the
        driver's tuples (no intermediate row objects: a page has hundreds; bench/RESULTS.md, review).
        Returns the rows and the next page's cursor (None on the last page)."""
        limit = max(1, min(limit, _MAX_PAGE))
        query = None
        if after is None:
            with suppress(TypeError):  # a filter given a list (unhashable): built each time
                query = _first_page_query(filters, limit, descending)
        if query is None:
            query = self._page_query(PAGE_COLUMNS, filters, limit, after, descending)

        def tx(conn: Connection) -> tuple[list[T], str | None]:
            result = conn.execute(query)
            try:
                raw = result.cursor.fetchall()  # the driver's tuples, before SQLAlchemy's row processing
            finally:
                result.close()
            more = len(raw) > limit
            raw = raw[:limit]
            # The columns' own result processors where the driver hands back text (SQLite), so values are
            # what `search` returns; PostgreSQL's driver already gives datetimes and dates.
            when = _result_processor(records.c.scheduled_at, conn)
            day = _result_processor(records.c.birth_date, conn)
            rows: list[T] = []
            append = rows.append
            parse_moment, parse_day = datetime.fromisoformat, date.fromisoformat
            sqlite = conn.dialect.name == "sqlite"
            for (
                record_id,
                status,
                state,
                name,
                mrn,
                birth,
                kind,
                level,
                side,
                at,
                offset_s,
                nurse,
                signed,
                printed,
                supersedes,
                printed_by,
                outcome,
                signer,
            ) in raw:
                if sqlite:
                    # The text UTCDateTime and Date write, parsed here as their processors do (a tenth of a
                    # page fewer calls; bench review); anything else, e.g. an offset or a date alone, goes
                    # through the processors, which parse it or say why not.
                    try:
                        at_ = parse_moment(at + "+00:00")
                        signed_ = None if signed is None else parse_moment(signed + "+00:00")
                        printed_ = None if printed is None else parse_moment(printed + "+00:00")
                        birth_ = parse_day(birth)
                        fast = at_.tzinfo is not None  # a date alone parses naive
                        fast = fast and (signed_ is None or signed_.tzinfo is not None)
                        fast = fast and (printed_ is None or printed_.tzinfo is not None)
                    except (TypeError, ValueError):
                        fast = False
                    if fast:
                        at, signed, printed, birth = at_, signed_, printed_, birth_
                    else:
                        assert when is not None  # SQLite's DATETIME has a result processor
                        at, signed, printed = when(at), when(signed), when(printed)
                        birth = day(birth) if day is not None else birth
                else:
                    if when is not None:
                        at, signed, printed = when(at), when(signed), when(printed)
                    if day is not None:
                        birth = day(birth)
                append(
                    make(
                        record_id,
                        status,
                        state,
                        name,
                        mrn,
                        birth,
                        kind,
                        level,
                        side,
                        at.astimezone(_zone(offset_s or 0)),
                        nurse,
                        signed,
                        printed,
                        supersedes,
                        printed_by,
                        outcome,
                        signer,
                    )
                )
            last = raw[-1] if more and raw else None
            cursor = None
            if last is not None:
                last_at = when(last[9]) if when is not None else last[9]
                cursor = _cursor(last_at, last[0])
            return rows, cursor

        return self._db.read_one(tx)  # one SELECT: its own snapshot

    def count(self, filters: RecordFilter | None = None) -> int:
        query = select(func.count()).select_from(records).where(*self._where(filters))
        return int(self._db.read(lambda conn: conn.execute(query).scalar_one()))


@functools.lru_cache(maxsize=64)
def _first_page_query(filters: RecordFilter | None, limit: int, descending: bool) -> Select[Any]:
    """The lists' first page, built once per filter: the worklist's timer and every refresh ask for the same one,
    and building the statement was a sixth of a page after a garbage collection (bench review). SQLAlchemy
    statements are immutable, so threads share them."""
    return RecordReads._page_query(PAGE_COLUMNS, filters, limit, None, descending)
