"""Signing records: the first signature that freezes a draft, and the co-signature over its PDF."""

from __future__ import annotations

import hashlib

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.exc import IntegrityError

from checklist_app.domain.lifecycle import Meaning, Status

from .audit import Actions
from .errors import ConflictError, RecordStateError
from .record_drafts import RecordDrafts, require
from .record_rows import RecordRow, SignatureRow
from .tables import record_pdfs, records, signatures

# Plain strings for SQL binds (a driver may bind an enum member by its name).
_SIGNED, _REVIEWED, _CANCELLED = Status.SIGNED.value, Status.REVIEWED.value, Status.CANCELLED.value
_CANCELLED_M = Meaning.CANCELLED.value
_PREPARED_M, _REVIEWED_M, _AMENDED_M = Meaning.PREPARED.value, Meaning.REVIEWED.value, Meaning.AMENDED.value


class RecordSigning(RecordDrafts):
    """Every method is one transaction; writes are committed (durably) before they return."""

    def sign(
        self,
        record_id: str,
        *,
        expected_version: int,
        canonical_json: str,
        sha256: str,
        signature: SignatureRow,
        pdf: bytes,
    ) -> RecordRow:
        """Freeze the draft: canonical JSON + SHA-256, the "prepared" signature and PDF revision 1.

        A "cancelled" signature freezes it the same way with status cancelled (the case did not go ahead);
        its reason is the signature's override_reason column (the one free-text reason a signature has)."""
        if hashlib.sha256(canonical_json.encode("utf-8")).hexdigest() != sha256:
            raise ValueError("sha256 is not the SHA-256 of canonical_json (UTF-8); refusing to sign")
        if signature.meaning not in (_PREPARED_M, _AMENDED_M, _CANCELLED_M):
            raise ValueError(f"a first signature means 'prepared', 'amended' or 'cancelled', not {signature.meaning!r}")
        cancelled = signature.meaning == _CANCELLED_M
        if cancelled:
            require(signature.override_reason, "the reason the procedure was cancelled")
        _check_pdf(pdf)

        def tx(conn: Connection) -> RecordRow:
            # Compare-and-set (and the row lock) first; the status changes last, after the signature and PDF
            # rows that justify it exist: the database refuses "signed" or "cancelled" without them (0012, 0013).
            self._bump_draft(conn, record_id, expected_version, signature.username)
            self._insert_signature(conn, record_id, signature)
            pdf_sha = self._insert_pdf(conn, record_id, 1, pdf, signature.username)
            conn.execute(
                update(records)
                .where(records.c.id == record_id)
                .values(
                    status=_CANCELLED if cancelled else _SIGNED,
                    canonical_json=canonical_json,
                    content_sha256=sha256,
                    signed_at=signature.signed_at,
                )
            )
            detail = {
                "sha256": sha256,
                "pdf_sha256": pdf_sha,
                "meaning": signature.meaning,
                "role": signature.role,
                "version": expected_version + 1,
            }
            if cancelled:
                self._audit.append_in(
                    conn,
                    signature.username,
                    Actions.RECORD_CANCELLED,
                    record_id,
                    {**detail, "reason": signature.override_reason},
                )
            else:
                self._audit.append_in(
                    conn,
                    signature.username,
                    Actions.RECORD_SIGNED,
                    record_id,
                    {
                        **detail,
                        "override_reason": signature.override_reason,
                        "override_authorised_by": signature.override_authorised_by,
                    },
                )
            return self._load(conn, record_id)

        return self._db.write(tx)

    def add_signature(
        self, record_id: str, signature: SignatureRow, pdf: bytes, *, expected_version: int | None = None
    ) -> RecordRow:
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
            result = conn.execute(
                update(records)
                .where(*guard)
                .values(
                    version=records.c.version + 1,
                    updated_at=self._db.now(),
                    updated_by=signature.username,
                    printed_at=None,
                    printed_by=None,
                    print_outcome=None,
                )
            )
            if result.rowcount != 1:
                self._refuse(conn, record_id, expected_version, want=_SIGNED)
            stored = conn.execute(
                select(record_pdfs.c.revision, record_pdfs.c.pdf)
                .where(record_pdfs.c.record_id == record_id)
                .order_by(record_pdfs.c.revision.desc())
            ).all()
            if stored:
                latest = bytes(stored[0].pdf)
                if not (len(pdf) > len(latest) and pdf.startswith(latest)):
                    if any(pdf.startswith(bytes(r.pdf)) for r in stored[1:]):
                        raise ConflictError(
                            record_id,
                            message=(
                                "This checklist was co-signed on another workstation while you were signing. "
                                "Reload it and sign again."
                            ),
                        )
                    raise RecordStateError(
                        "The co-signed PDF does not extend the stored signed PDF byte for byte (an incremental "
                        "update is required so earlier signatures stay valid); it was not saved.",
                        record_id=record_id,
                    )
            revision = (stored[0].revision if stored else 0) + 1
            self._insert_signature(conn, record_id, signature)
            pdf_sha = self._insert_pdf(conn, record_id, revision, pdf, signature.username)
            # Last, once the co-signature and its PDF revision exist (migration 0012 checks for them).
            conn.execute(update(records).where(records.c.id == record_id).values(status=_REVIEWED))
            self._audit.append_in(
                conn,
                signature.username,
                Actions.RECORD_COSIGNED,
                record_id,
                {"meaning": signature.meaning, "role": signature.role, "pdf_sha256": pdf_sha, "revision": revision},
            )
            return self._load(conn, record_id)

        try:
            return self._db.write(tx)
        except IntegrityError as exc:
            # Two co-signers raced for the same PDF revision number: the later one lost.
            if "record_pdfs" in str(exc.orig) or "pk_record_pdfs" in str(exc.orig):
                raise ConflictError(
                    record_id,
                    message=(
                        "This checklist was co-signed on another workstation while you were signing. "
                        "Reload it and sign again."
                    ),
                ) from exc
            raise

    def _insert_signature(self, conn: Connection, record_id: str, signature: SignatureRow) -> None:
        for name in ("username", "full_name", "role"):
            require(getattr(signature, name), f"the signer's {name}")
        conn.execute(
            insert(signatures).values(
                record_id=record_id,
                meaning=signature.meaning,
                username=signature.username,
                full_name=signature.full_name,
                role=signature.role,
                signed_at=signature.signed_at,
                manifestation=signature.manifestation,
                override_reason=signature.override_reason,
                override_authorised_by=signature.override_authorised_by,
            )
        )

    def _insert_pdf(self, conn: Connection, record_id: str, revision: int, pdf: bytes, actor: str) -> str:
        digest = hashlib.sha256(pdf).hexdigest()
        conn.execute(
            insert(record_pdfs).values(
                record_id=record_id,
                revision=revision,
                pdf=pdf,
                sha256=digest,
                created_at=self._db.now(),
                created_by=actor,
            )
        )
        return digest


def _check_pdf(pdf: bytes) -> None:
    if not isinstance(pdf, bytes | bytearray) or not bytes(pdf[:5]) == b"%PDF-":
        raise ValueError("the signed PDF must be the PDF file's bytes (starting with %PDF-)")
