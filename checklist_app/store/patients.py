"""One MRN, one patient: the patients table, looked up and written inside the caller's transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, delete, insert, or_, select, update

from checklist_app.domain.records import Patient
from checklist_app.domain.schedule import PatientMismatch, identity_differences

from .audit import AuditLog
from .connection import Database
from .record_rows import AnyRow, fold, words
from .tables import patients, record_terms, records

PATIENT_REGISTERED = "patient.registered"
PATIENT_UPDATED = "patient.updated"  # an ADT^A08 demographics update (the only way a known MRN changes)


@dataclass(frozen=True, slots=True)
class KnownPatient:
    issuer: str
    patient: Patient
    source: str


def _known(row: AnyRow) -> KnownPatient:
    return KnownPatient(
        issuer=row.issuer,
        source=row.source,
        patient=Patient(name=row.name, birth_date=row.birth_date, mrn=row.mrn, sex=row.sex),
    )


class PatientRepository:
    """Patients by (issuer, MRN). An MRN without an issuer ("", typed by a nurse) matches every issuer."""

    def __init__(self, db: Database, audit_log: AuditLog) -> None:
        self._db = db
        self._audit = audit_log

    def find(self, mrn: str, issuer: str | None = None) -> list[KnownPatient]:
        return self._db.read(lambda conn: self.find_in(conn, mrn, issuer))

    def find_in(self, conn: Connection, mrn: str, issuer: str | None = None) -> list[KnownPatient]:
        """Rows for this MRN: of this issuer and of none; any issuer when `issuer` is None (a typed case)."""
        query = select(patients).where(patients.c.mrn == mrn)
        if issuer is not None:
            query = query.where(or_(patients.c.issuer == issuer, patients.c.issuer == ""))
        return [_known(r) for r in conn.execute(query.order_by(patients.c.issuer)).all()]

    def resolve_in(
        self, conn: Connection, patient: Patient, *, issuer: str | None, source: str, actor: str, mrn_field: str
    ) -> Patient:
        """The patient to book: the known demographics when this MRN is known with the same name and birth date
        (registered now when new); PatientMismatch when it is known as someone else."""
        known = self.find_in(conn, patient.mrn, issuer)
        for row in known:
            differs = identity_differences(row.patient, patient)
            if differs:
                raise PatientMismatch(mrn_field, differs)
        own = issuer if issuer is not None else ""
        if not any(k.issuer == own for k in known):
            now = self._db.now()
            conn.execute(
                insert(patients).values(
                    issuer=own,
                    mrn=patient.mrn,
                    name=patient.name,
                    birth_date=patient.birth_date,
                    sex=patient.sex,
                    source=source,
                    created_at=now,
                    updated_at=now,
                )
            )
            self._audit.append_in(
                conn, actor, PATIENT_REGISTERED, None, {"issuer": own, "mrn": patient.mrn, "source": source}
            )
        if not known:
            return patient
        first = known[0].patient
        # Sex "unknown" from one feed does not erase what another said.
        sex = first.sex if patient.sex == "unknown" else patient.sex
        return first.model_copy(update={"sex": sex}) if first.sex != sex else first

    def update_in(
        self, conn: Connection, patient: Patient, *, issuer: str, source: str, actor: str, reference: dict[str, str]
    ) -> list[str]:
        """ADT^A08: new demographics for a known MRN (registered when new), carried into its open drafts;
        audited with the old and new values. Returns the ids of the drafts changed."""
        now = self._db.now()
        own = conn.execute(select(patients).where(patients.c.issuer == issuer, patients.c.mrn == patient.mrn)).first()
        others = [k for k in self.find_in(conn, patient.mrn, issuer) if k.issuer != issuer]
        old = None if own is None else _known(own).patient
        if own is None:
            conn.execute(
                insert(patients).values(
                    issuer=issuer,
                    mrn=patient.mrn,
                    name=patient.name,
                    birth_date=patient.birth_date,
                    sex=patient.sex,
                    source=source,
                    created_at=now,
                    updated_at=now,
                )
            )
        else:
            conn.execute(
                update(patients)
                .where(patients.c.issuer == issuer, patients.c.mrn == patient.mrn)
                .values(name=patient.name, birth_date=patient.birth_date, sex=patient.sex, updated_at=now)
            )
        # An issuer-less (typed) row for the MRN is the same person: it follows the update.
        for other in others:
            old = old or other.patient
            conn.execute(
                update(patients)
                .where(patients.c.issuer == other.issuer, patients.c.mrn == patient.mrn)
                .values(name=patient.name, birth_date=patient.birth_date, sex=patient.sex, updated_at=now)
            )
        changed = self._update_drafts(conn, patient, actor, now)
        self._audit.append_in(
            conn,
            actor,
            PATIENT_UPDATED,
            None,
            {
                **reference,
                "issuer": issuer,
                "mrn": patient.mrn,
                "old": None if old is None else old.model_dump(mode="json"),
                "new": patient.model_dump(mode="json"),
                "drafts": changed,
            },
        )
        return changed

    def _update_drafts(self, conn: Connection, patient: Patient, actor: str, now: datetime) -> list[str]:
        ids = list(
            conn.execute(
                select(records.c.id)
                .where(records.c.mrn == patient.mrn, records.c.status == "draft")
                .order_by(records.c.id)
            ).scalars()
        )
        for record_id in ids:
            conn.execute(
                update(records)
                .where(records.c.id == record_id, records.c.status == "draft")
                .values(
                    patient_name=patient.name,
                    birth_date=patient.birth_date,
                    sex=patient.sex,
                    version=records.c.version + 1,
                    updated_at=now,
                    updated_by=actor,
                )
            )
            replace_terms(conn, record_id, patient.name, patient.mrn)
        return ids


def replace_terms(conn: Connection, record_id: str, name: str, mrn: str) -> None:
    """The record's search terms after its patient's name changed (the terms come from name and MRN only)."""
    terms = set(words(name)) | set(words(mrn))
    if folded := fold(mrn).strip():
        terms.add(folded[:200])  # as search_terms() does for a whole record
    conn.execute(delete(record_terms).where(record_terms.c.record_id == record_id))
    conn.execute(insert(record_terms), [{"term": t, "record_id": record_id} for t in sorted(terms)])
