"""The feed's steps and the drafts they made: create, update, mark removed, inside the caller's transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from checklist_app.domain.lifecycle import Status
from checklist_app.domain.records import Record

from .audit import AuditLog
from .connection import Database
from .patients import replace_terms
from .record_rows import record_columns
from .record_writes import RecordRepository
from .tables import case_sources, records, schedule_entries

SCHEDULE_CREATED = "schedule.created"
SCHEDULE_UPDATED = "schedule.updated"
SCHEDULE_REMOVED = "schedule.removed"
HL7_MESSAGE = "hl7.message"  # every message the listener answered, by its control id
LEVEL_CONFIRMED = "schedule.level_confirmed"  # the nurse gave the level the schedule did not


@dataclass(frozen=True, slots=True)
class ScheduleEntry:
    source: str
    key: str
    record_id: str
    scheduled_day: date
    fingerprint: str
    removed_at: datetime | None
    removed_reason: str | None
    status: str  # of the record
    version: int


@dataclass(frozen=True, slots=True)
class CaseOrigin:
    """What the worklist shows beside a case: where it came from, its accession, whether the schedule dropped it."""

    source: str  # typed, mwl, hl7
    accession: str | None = None
    removed_reason: str | None = None  # set: "removed from schedule" (the draft and its answers stay)


_ENTRY = select(schedule_entries, records.c.status, records.c.version).join(
    records, records.c.id == schedule_entries.c.record_id
)


def _entry(row: Any) -> ScheduleEntry:
    return ScheduleEntry(
        source=row.source,
        key=row.entry_key,
        record_id=row.record_id,
        scheduled_day=row.scheduled_day,
        fingerprint=row.fingerprint,
        removed_at=row.removed_at,
        removed_reason=row.removed_reason,
        status=row.status,
        version=row.version,
    )


class ScheduleRepository:
    def __init__(self, db: Database, audit_log: AuditLog, record_repo: RecordRepository) -> None:
        self._db = db
        self._audit = audit_log
        self._records = record_repo

    def entry_in(self, conn: Connection, source: str, key: str) -> ScheduleEntry | None:
        row = conn.execute(
            _ENTRY.where(schedule_entries.c.source == source, schedule_entries.c.entry_key == key)
        ).first()
        return None if row is None else _entry(row)

    def entries_of_day_in(self, conn: Connection, source: str, day: date) -> list[ScheduleEntry]:
        rows = conn.execute(
            _ENTRY.where(schedule_entries.c.source == source, schedule_entries.c.scheduled_day == day).order_by(
                schedule_entries.c.entry_key
            )
        ).all()
        return [_entry(r) for r in rows]

    def origins(self, record_ids: list[str]) -> dict[str, CaseOrigin]:
        """Source, accession and removal of each of these records (records made before sources: absent)."""
        if not record_ids:
            return {}

        def tx(conn: Connection) -> dict[str, CaseOrigin]:
            out: dict[str, CaseOrigin] = {}
            for start in range(0, len(record_ids), 500):  # bounded IN lists
                chunk = record_ids[start : start + 500]
                rows = conn.execute(
                    select(
                        case_sources.c.record_id,
                        case_sources.c.source,
                        case_sources.c.accession,
                        schedule_entries.c.removed_reason,
                    )
                    .outerjoin(schedule_entries, schedule_entries.c.record_id == case_sources.c.record_id)
                    .where(case_sources.c.record_id.in_(chunk))
                ).all()
                out.update({r.record_id: CaseOrigin(r.source, r.accession, r.removed_reason) for r in rows})
            return out

        return self._db.read(tx)

    def entry(self, source: str, key: str) -> ScheduleEntry | None:
        return self._db.read(lambda conn: self.entry_in(conn, source, key))

    def create_in(
        self,
        conn: Connection,
        *,
        source: str,
        key: str,
        record: Record,
        actor: str,
        form_version: str,
        form_hash: str,
        readiness_state: str,
        day: date,
        fingerprint: str,
        reference: dict[str, str],
    ) -> str:
        """A new draft for a step the feed booked (with its source row) and the entry that points at it."""
        now = self._db.now()
        record_id = self._records._insert_draft(conn, record, actor, form_version, form_hash, readiness_state, now)
        conn.execute(
            insert(schedule_entries).values(
                source=source,
                entry_key=key,
                record_id=record_id,
                scheduled_day=day,
                fingerprint=fingerprint,
                updated_at=now,
            )
        )
        self._audit.append_in(
            conn,
            actor,
            SCHEDULE_CREATED,
            record_id,
            {
                **reference,
                "source": source,
                "key": key,
                "form": record.form,
                "form_version": form_version,
                "form_hash": form_hash,
            },
        )
        return record_id

    def update_in(
        self,
        conn: Connection,
        entry: ScheduleEntry,
        *,
        record: Record,
        actor: str,
        readiness_state: str,
        day: date,
        fingerprint: str,
        reference: dict[str, str],
    ) -> None:
        """The step changed (time, procedure, demographics): the draft follows, its answers untouched."""
        now = self._db.now()
        columns = record_columns(record)
        columns.pop("form_id", None)
        result = conn.execute(
            update(records)
            .where(records.c.id == entry.record_id, records.c.status == "draft")
            .values(
                **columns,
                readiness_state=readiness_state,
                version=records.c.version + 1,
                updated_at=now,
                updated_by=actor,
            )
        )
        if result.rowcount != 1:
            raise RuntimeError(f"record {entry.record_id} is no longer a draft")
        replace_terms(conn, entry.record_id, record.patient.name, record.patient.mrn)
        found = conn.execute(select(case_sources.c.record_id).where(case_sources.c.record_id == entry.record_id))
        if found.first() is None:
            conn.execute(
                insert(case_sources).values(
                    record_id=entry.record_id, source=entry.source, accession=record.procedure.accession
                )
            )
        else:
            conn.execute(
                update(case_sources)
                .where(case_sources.c.record_id == entry.record_id)
                .values(accession=record.procedure.accession)
            )
        conn.execute(
            update(schedule_entries)
            .where(schedule_entries.c.source == entry.source, schedule_entries.c.entry_key == entry.key)
            .values(fingerprint=fingerprint, scheduled_day=day, removed_at=None, removed_reason=None, updated_at=now)
        )
        self._audit.append_in(
            conn,
            actor,
            SCHEDULE_UPDATED,
            entry.record_id,
            {**reference, "source": entry.source, "key": entry.key, "readiness_state": readiness_state},
        )

    def mark_removed_in(
        self,
        conn: Connection,
        entry: ScheduleEntry,
        *,
        reason: str,
        actor: str,
        fingerprint: str | None,
        reference: dict[str, str],
    ) -> None:
        """The step is gone or discontinued: the draft stays with its answers, marked "removed from schedule"."""
        now = self._db.now()
        values: dict[str, Any] = {"removed_at": now, "removed_reason": reason, "updated_at": now}
        if fingerprint is not None:
            values["fingerprint"] = fingerprint
        conn.execute(
            update(schedule_entries)
            .where(schedule_entries.c.source == entry.source, schedule_entries.c.entry_key == entry.key)
            .values(**values)
        )
        self._audit.append_in(
            conn,
            actor,
            SCHEDULE_REMOVED,
            entry.record_id,
            {**reference, "source": entry.source, "key": entry.key, "reason": reason},
        )

    def set_level(self, record_id: str, level: str, *, expected_version: int, actor: str, readiness_state: str) -> int:
        """The nurse's confirmed level on a draft (compare-and-set on the version); returns the new version."""

        def tx(conn: Connection) -> int:
            result = conn.execute(
                update(records)
                .where(records.c.id == record_id, records.c.status == "draft", records.c.version == expected_version)
                .values(
                    level=level,
                    readiness_state=readiness_state,
                    version=records.c.version + 1,
                    updated_at=self._db.now(),
                    updated_by=actor,
                )
            )
            if result.rowcount != 1:
                self._records._refuse(conn, record_id, expected_version, want=Status.DRAFT.value)
            self._audit.append_in(
                conn, actor, LEVEL_CONFIRMED, record_id, {"level": level, "version": expected_version + 1}
            )
            return expected_version + 1

        return self._db.write(tx)
