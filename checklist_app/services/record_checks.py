"""Whether a stored record tells the truth, as every screen, export and `records verify` asks: the PDF's own
signatures, and the rows beside it against what the PDF signed (services.integrity)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..domain.lifecycle import Status
from ..domain.records import canonical_json, content_sha256
from ..store import Store
from ..store.audit import Actions
from ..store.record_rows import RecordRow
from . import integrity
from .errors import TamperedRecord
from .long_term import site_crls, tsa_roots
from .models import Meaning
from .site import trust_roots
from .verification import ANSWERS_CHANGED, HASH_MISMATCH, RecordVerification

if TYPE_CHECKING:
    from ..export.verification import VerificationReport


def _frozen_json(row: RecordRow) -> str:
    """The canonical JSON the row's answers and first signature give: what signing froze, if nothing changed."""
    first = next((s for s in row.signatures if s.meaning != "reviewed"), None)
    if first is not None and first.meaning == Meaning.CANCELLED.value and first.override_reason:
        return canonical_json(row.record, cancellation={"reason": first.override_reason})
    return canonical_json(row.record, override=_signed_override(row))


def _signed_override(row: RecordRow) -> dict[str, str] | None:
    """The override frozen at the first signature (prepared or amended), as canonical_json took it."""
    first = next((s for s in row.signatures if s.meaning != "reviewed"), None)
    if first is None or not first.override_reason:
        return None
    out = {"reason": first.override_reason}
    if first.override_authorised_by:
        out["authorised_by"] = first.override_authorised_by
    return out


class RecordChecks:
    """The checks of a stored record (a base of DocumentService, which holds the store)."""

    _store: Store

    def verify_pdf_bytes(self, pdf: bytes) -> VerificationReport:
        from ..domain import limits
        from ..export.errors import VerificationError
        from ..export.verification import verify_pdf

        if len(pdf) > limits.PDF_VERIFY_BYTES:
            raise VerificationError(
                f"The file is larger than {limits.PDF_VERIFY_BYTES // limits.MIB} MiB; no signed record is that large."
            )
        return verify_pdf(
            pdf, trust_roots(self._store), tsa_roots_pem=tsa_roots(), site_crls_der=site_crls(self._store)
        )

    def refuse_if_tampered(self, actor: str, record_id: str, fmt: str) -> None:
        """Every way a signed record leaves the app (PDF, record JSON, FHIR, HL7) passes check() first: a record
        that fails is refused with its first mismatch (TamperedRecord) and the refusal audited."""
        row = self._store.records.get(record_id)
        if row.status == Status.DRAFT.value and self._store.records.latest_pdf(record_id) is None:
            return  # a draft leaves as a DRAFT rendering or its answers; never a signed record's bytes
        result = self.check(record_id)
        if not result.ok:
            self._store.audit.append(
                actor, Actions.RECORD_EXPORT_REFUSED, record_id, {"format": fmt, "problem": result.problem}
            )
            raise TamperedRecord(f"record {record_id} was not exported: {result.verdict_text}")

    def check(self, record_id: str) -> RecordVerification:
        """The stored PDF's signatures and the stored record checked together (the PDF once): the record's hash,
        the PDF's signed binding to this record, its signers and its status (services.integrity)."""
        from ..export.binding import read_binding
        from ..export.errors import VerificationError

        row = self._store.records.get(record_id)
        stored = self._store.records.latest_pdf(record_id)
        if stored is None:
            if row.status != Status.DRAFT.value:
                return RecordVerification(
                    None, f"The record is marked {row.status} but has no signed PDF: {integrity.ALTERED}."
                )
            return RecordVerification(None)
        report = self.verify_pdf_bytes(stored.pdf)
        if row.canonical_json is None or row.status == Status.DRAFT.value:
            return RecordVerification(report, f"The record is a draft but has a signed PDF: {integrity.ALTERED}.")
        if content_sha256(row.canonical_json) != row.content_sha256:
            return RecordVerification(report, HASH_MISMATCH)
        if _frozen_json(row) != row.canonical_json:
            return RecordVerification(report, ANSWERS_CHANGED)
        try:
            binding = read_binding(stored.pdf)
        except VerificationError:
            binding = None
        if binding is None and not report.ok:
            return RecordVerification(report)  # the file itself is broken: its own report says how
        problem = (
            integrity.binding_problem(self._store, row, binding)
            or integrity.signers_problem(self._store, row, report)
            or integrity.status_problem(self._store, row, report)
        )
        return RecordVerification(report, problem)

    def verify(self, record_id: str) -> tuple[bool, list[str]]:
        """check() as the verdict and its report lines."""
        result = self.check(record_id)
        return result.ok, result.lines()
