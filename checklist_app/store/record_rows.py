"""Stored records as Python values: the row types and the conversions between domain values and table rows."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from typing import Any, TypeAlias

from pydantic_core import to_jsonable_python
from sqlalchemy import Row, select

from checklist_app.domain import lifecycle
from checklist_app.domain.records import Answer, Patient, Procedure, Record

from .tables import records, signatures

# Rows of any width (SQLAlchemy 2.1 types Row by its column tuple).
AnyRow: TypeAlias = "Row[*tuple[Any, ...]]"

Status: TypeAlias = lifecycle.StatusName
Meaning: TypeAlias = lifecycle.MeaningName


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
    printed_at: datetime | None  # sent to the printer at (and by, below)
    printed_by: str | None
    signatures: tuple[SignatureRow, ...] = ()
    print_outcome: str | None = None  # "printed" / "not_printed" once the printer or the coordinator told

    @property
    def is_draft(self) -> bool:
        return self.status == lifecycle.Status.DRAFT.value

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
    printed_at: datetime | None  # sent to the printer at
    supersedes_id: str | None
    printed_by: str | None = None
    print_outcome: str | None = None  # "printed" / "not_printed" once told; None: sent, outcome unknown
    signed_by: str | None = None  # the full name on the first signature (prepared, amended or cancelled)

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
    procedure_type: str | None = None
    # The dashboard's click-through (issue 16): records NOT READY for this (item, drug "") at some save, and
    # only the latest version of each case (an amended version is counted as its amendment).
    reason: tuple[str, str] | None = None
    latest_only: bool = False


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


def words(text: str) -> list[str]:
    return [w[:200] for w in re.split(r"[^\w]+", fold(text)) if w]


def search_terms(record: Record) -> set[str]:
    terms = set(words(record.patient.name)) | set(words(record.patient.mrn))
    mrn = fold(record.patient.mrn).strip()
    if mrn:
        terms.add(mrn[:200])
    return terms


def _offset_seconds(value: datetime) -> int:
    offset = value.utcoffset()
    assert offset is not None
    return int(offset.total_seconds())


def with_offset(utc_value: datetime, offset_s: int) -> datetime:
    return utc_value.astimezone(_zone(offset_s))


@lru_cache(maxsize=64)
def _zone(offset_s: int) -> timezone:
    # A site sees a handful of offsets; one zone object each instead of one per row of a page.
    return timezone(timedelta(seconds=offset_s))


def answer_columns(answer: Answer) -> dict[str, Any]:
    return {
        "value_json": json.dumps(to_jsonable_python(answer.value), ensure_ascii=False, separators=(",", ":")),
        "note": answer.note,
        "na_reason": answer.na_reason,
        "answered_by": answer.by,
        "answered_at": answer.at,
        "answered_offset_s": None if answer.at is None else _offset_seconds(answer.at),
    }


def answer_from_row(row: AnyRow) -> Answer:
    at = None if row.answered_at is None else with_offset(row.answered_at, row.answered_offset_s or 0)
    return Answer(value=json.loads(row.value_json), note=row.note, na_reason=row.na_reason, by=row.answered_by, at=at)


def answer_json(answer: Answer | None) -> dict[str, Any] | None:
    return None if answer is None else answer.model_dump(mode="json")


def record_columns(record: Record) -> dict[str, Any]:
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
    return with_offset(row.scheduled_at, row.scheduled_offset_s)


def record_from_row(row: AnyRow, answer_rows: Iterable[AnyRow], source_row: AnyRow | None = None) -> Record:
    return Record(
        source=None if source_row is None else source_row.source,
        form=row.form_id,
        form_version=row.form_version,
        form_hash=row.form_hash,
        patient=Patient(name=row.patient_name, birth_date=row.birth_date, mrn=row.mrn, sex=row.sex),
        procedure=Procedure(
            type=row.procedure_type,
            level=row.level,
            laterality=row.laterality,
            scheduled_at=_scheduled(row),
            accession=None if source_row is None else source_row.accession,
        ),
        # Answers go in as dicts: Record's before-validator would wrap Answer instances as plain values.
        answers={a.item_id: answer_from_row(a).model_dump() for a in answer_rows},
    )


# The signer, not the creator: the print queue's Nurse column is who signed (one indexed look-up a row).
SIGNED_BY = (
    select(signatures.c.full_name)
    .where(signatures.c.record_id == records.c.id, signatures.c.meaning != "reviewed")
    .order_by(signatures.c.id)
    .limit(1)
    .correlate(records)
    .scalar_subquery()
    .label("signed_by")
)

# The columns a list row needs, in summary_of's order. Lists select these only: a signed row also holds its
# frozen record JSON (kilobytes) that no list shows (bench/RESULTS.md, review).
SUMMARY_COLUMNS = (
    records.c.id,
    records.c.version,
    records.c.status,
    records.c.readiness_state,
    records.c.form_id,
    records.c.form_version,
    records.c.patient_name,
    records.c.mrn,
    records.c.birth_date,
    records.c.sex,
    records.c.procedure_type,
    records.c.level,
    records.c.laterality,
    records.c.scheduled_at,
    records.c.scheduled_offset_s,
    records.c.created_by,
    records.c.created_at,
    records.c.updated_at,
    records.c.signed_at,
    records.c.printed_at,
    records.c.supersedes_id,
    records.c.printed_by,
    records.c.print_outcome,
    SIGNED_BY,
)


def summary_of(row: AnyRow) -> RecordSummary:
    """A row of select(*SUMMARY_COLUMNS) as a RecordSummary (unpacked by position: a page has hundreds)."""
    (
        record_id,
        version,
        status,
        readiness_state,
        form_id,
        form_version,
        patient_name,
        mrn,
        birth_date,
        sex,
        procedure_type,
        level,
        laterality,
        scheduled_at,
        scheduled_offset_s,
        created_by,
        created_at,
        updated_at,
        signed_at,
        printed_at,
        supersedes_id,
        printed_by,
        print_outcome,
        signed_by,
    ) = row
    return RecordSummary(
        id=record_id,
        version=version,
        status=status,
        readiness_state=readiness_state,
        form_id=form_id,
        form_version=form_version,
        patient_name=patient_name,
        mrn=mrn,
        birth_date=birth_date,
        sex=sex,
        procedure_type=procedure_type,
        level=level,
        laterality=laterality,
        scheduled_at=with_offset(scheduled_at, scheduled_offset_s),
        nurse=created_by,
        created_at=created_at,
        updated_at=updated_at,
        signed_at=signed_at,
        printed_at=printed_at,
        supersedes_id=supersedes_id,
        printed_by=printed_by,
        print_outcome=print_outcome,
        signed_by=signed_by,
    )


def signature_from_row(row: AnyRow) -> SignatureRow:
    return SignatureRow(
        meaning=row.meaning,
        username=row.username,
        full_name=row.full_name,
        role=row.role,
        signed_at=row.signed_at,
        manifestation=row.manifestation,
        override_reason=row.override_reason,
        id=row.id,
        override_authorised_by=row.override_authorised_by,
    )
