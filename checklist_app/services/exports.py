"""The record out: export a record as its PDF, its record JSON or a FHIR R4 Bundle, and a form as a Questionnaire."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..domain.records import canonical_json
from ..store import Store
from ..store.audit import Actions
from .cases import CaseService
from .documents import DocumentService
from .models import User

if TYPE_CHECKING:
    from ..export.fhir import FhirRecord

FORMATS = ("pdf", "fhir", "json")


class ExportService:
    def __init__(self, store: Store, cases: CaseService, documents: DocumentService) -> None:
        self._store = store
        self._cases = cases
        self._documents = documents

    def record(self, user: User, record_id: str, fmt: str = "pdf") -> bytes:
        """The record in one of FORMATS, as the bytes of the file to write. Logged like every export."""
        if fmt == "pdf":
            return self._documents.pdf(user, record_id)
        if fmt not in FORMATS:
            raise ValueError(f"unknown export format {fmt!r}")
        self._documents.refuse_if_tampered(user.username, record_id, fmt)  # as the PDF: never a record that lies
        row = self._store.records.get(record_id)
        if fmt == "json":
            # A signed record leaves as exactly the JSON it was signed as, so its SHA-256 is the record's hash.
            text = row.canonical_json if row.canonical_json is not None else canonical_json(row.record)
            data = (text + "\n").encode("utf-8")
        elif fmt == "fhir":
            from ..export.fhir import record_bundle, to_bytes

            data = to_bytes(record_bundle(self.fhir_record(record_id)))
        else:
            raise ValueError(f"unknown export format {fmt!r}")
        self._store.audit.append(
            user.username, Actions.RECORD_EXPORTED, record_id, {"format": fmt, "signed": row.canonical_json is not None}
        )
        return data

    def fhir_record(self, record_id: str) -> FhirRecord:
        """What the FHIR Bundle of one record is made of: the form it was made with, its answers and signatures."""
        from ..export.fhir import FhirRecord, Signer

        row = self._store.records.get(record_id)
        case = self._cases.state(row)
        stored = self._store.records.latest_pdf(record_id)
        return FhirRecord(
            record_id=row.id, status=str(row.status), form=case.form, record=row.record,
            signers=tuple(Signer(meaning=str(s.meaning), full_name=s.full_name, username=s.username,
                                 signed_at=s.signed_at) for s in row.signatures),
            pdf=stored.pdf if stored is not None else None, supersedes_id=row.supersedes_id,
            generated_at=self._cases.now(),
        )  # fmt: skip

    @staticmethod
    def form_questionnaire(form_id: str) -> dict[str, Any]:
        """A form of the catalog as a FHIR R4 Questionnaire."""
        from ..export.fhir import questionnaire
        from .catalog import load_form

        return questionnaire(load_form(form_id))
