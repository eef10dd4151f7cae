"""Storage for the record out: the site authority's revocation lists and the outbox of messages to the EHR."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, func, insert, select, update

from .audit import AuditLog
from .connection import Database
from .tables import outbox, site_crls


@dataclass(frozen=True, slots=True)
class SiteCrl:
    number: int
    crl_der: bytes
    issued_at: datetime
    next_update: datetime
    issued_by: str


class SiteCrlRepository:
    """Append-only: each revocation (or renewal) adds a CRL with the next number; the newest one counts."""

    def __init__(self, db: Database, audit: AuditLog) -> None:
        self._db = db
        self._audit = audit

    def latest(self) -> SiteCrl | None:
        def fn(conn: Connection) -> SiteCrl | None:
            row = conn.execute(select(site_crls).order_by(site_crls.c.number.desc()).limit(1)).first()
            return (
                None
                if row is None
                else SiteCrl(row.number, bytes(row.crl_der), row.issued_at, row.next_update, row.issued_by)
            )

        return self._db.read(fn)

    def next_number(self) -> int:
        return int(self._db.read(lambda conn: conn.execute(select(func.max(site_crls.c.number))).scalar() or 0)) + 1

    def add(self, crl: SiteCrl, *, audit_action: str, audit_detail: dict[str, object]) -> SiteCrl:
        def fn(conn: Connection) -> SiteCrl:
            conn.execute(
                insert(site_crls).values(
                    number=crl.number,
                    crl_der=crl.crl_der,
                    issued_at=crl.issued_at,
                    next_update=crl.next_update,
                    issued_by=crl.issued_by,
                )
            )
            self._audit.append_in(conn, crl.issued_by, audit_action, None, audit_detail)
            return crl

        return self._db.write(fn)


@dataclass(frozen=True, slots=True)
class OutboxMessage:
    id: int
    record_id: str
    kind: str
    destination: str
    control_id: str
    message: bytes
    state: str
    attempts: int
    last_error: str | None
    created_at: datetime
    sent_at: datetime | None


class OutboxRepository:
    """Messages wait here until the receiver answers; a crash or a down interface loses none of them."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def add(self, record_id: str, kind: str, destination: str, control_id: str, message: bytes) -> OutboxMessage:
        def fn(conn: Connection) -> OutboxMessage:
            new_id = conn.execute(
                insert(outbox)
                .values(
                    record_id=record_id,
                    kind=kind,
                    destination=destination,
                    control_id=control_id,
                    message=message,
                    state="pending",
                    attempts=0,
                    created_at=self._db.now(),
                )
                .returning(outbox.c.id)
            ).scalar_one()
            return self._get(conn, int(new_id))

        return self._db.write(fn)

    def get(self, message_id: int) -> OutboxMessage:
        return self._db.read(lambda conn: self._get(conn, message_id))

    def pending(self, limit: int = 100) -> list[OutboxMessage]:
        def fn(conn: Connection) -> list[OutboxMessage]:
            rows = conn.execute(
                select(outbox).where(outbox.c.state == "pending").order_by(outbox.c.id).limit(limit)
            ).all()
            return [_message(r) for r in rows]

        return self._db.read(fn)

    def for_record(self, record_id: str) -> list[OutboxMessage]:
        def fn(conn: Connection) -> list[OutboxMessage]:
            rows = conn.execute(select(outbox).where(outbox.c.record_id == record_id).order_by(outbox.c.id)).all()
            return [_message(r) for r in rows]

        return self._db.read(fn)

    def mark(self, message_id: int, state: str, error: str | None = None) -> OutboxMessage:
        """Record one delivery attempt: still pending (with the error), sent (AA) or refused (AE/AR)."""

        def fn(conn: Connection) -> OutboxMessage:
            values: dict[str, object] = {"state": state, "attempts": outbox.c.attempts + 1, "last_error": error}
            if state == "sent":
                values["sent_at"] = self._db.now()
            conn.execute(update(outbox).where(outbox.c.id == message_id).values(**values))
            return self._get(conn, message_id)

        return self._db.write(fn)

    @staticmethod
    def _get(conn: Connection, message_id: int) -> OutboxMessage:
        row = conn.execute(select(outbox).where(outbox.c.id == message_id)).one()
        return _message(row)


def _message(row: object) -> OutboxMessage:
    r = row._mapping  # type: ignore[attr-defined]
    return OutboxMessage(
        id=r["id"],
        record_id=r["record_id"],
        kind=r["kind"],
        destination=r["destination"],
        control_id=r["control_id"],
        message=bytes(r["message"]),
        state=r["state"],
        attempts=r["attempts"],
        last_error=r["last_error"],
        created_at=r["created_at"],
        sent_at=r["sent_at"],
    )
