"""Signing, co-signing, PDF export, verification, printing and amendments of checklist records."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from ..domain import lifecycle
from ..domain.lifecycle import NO_KEY, Action, Status
from ..domain.records import canonical_json, content_sha256
from ..store import Store
from ..store.audit import Actions
from ..store.record_rows import RecordRow, SignatureRow
from .auth import AuthService
from .cases import CaseService
from .errors import LoginError, PermissionRefused, SigningRefused
from .integrity import version_number
from .long_term import long_term_settings, refuse_if_revoked
from .models import CaseState, Meaning, Role, User
from .record_checks import RecordChecks
from .signing_rules import ALLOWED, ATTESTATION, SigningRules, first_meaning, signing_role

if TYPE_CHECKING:
    from ..export.pdf_document import RecordDocument, SignatureBlock
    from ..export.pki import UnlockedIdentity


def _override_json(block: SignatureBlock) -> dict[str, str] | None:
    if not block.override_reason:
        return None
    out = {"reason": block.override_reason}
    if block.override_authorised_by:
        out["authorised_by"] = block.override_authorised_by
    return out


def _first_document(
    row: RecordRow, fresh: CaseState, status: Status, block: SignatureBlock, digest: str, user: User, now: datetime
) -> RecordDocument:
    """The document the first signature (prepared, amended or cancelled) is made over: one builder, so every
    such PDF shows the same things (a site form's note among them)."""
    from ..export.pdf_document import RecordDocument

    return RecordDocument(
        record_id=row.id,
        status=status.value,
        form=fresh.form,
        record=row.record,
        readiness=fresh.readiness,
        content_sha256=digest,
        signatures=(block,),
        generated_by=user.full_name,
        generated_at=now,
        supersedes_id=row.supersedes_id,
        amendment_reason=row.amendment_reason,
        form_note=fresh.form_note,
    )


class DocumentService(SigningRules, RecordChecks):
    """Signing, co-signing, cancelling, the PDF out, printing and amendments; who may do what comes from
    SigningRules, the checks of a stored record from RecordChecks."""

    def __init__(self, store: Store, auth: AuthService, cases: CaseService) -> None:
        self._store = store
        self._auth = auth
        self._cases = cases
        # Called with (record id, co_signed) once a signature is stored: the EHR feed (site option) hooks in here.
        self.after_signing: Callable[[str, bool], object] | None = None

    # -- signing ----------------------------------------------------------------------------------------------

    def _reauthenticate(self, user: User, password: str, record_id: str, refused_action: str) -> None:
        """The password again before a signature. A refusal (wrong password, locked account) is also logged
        against the record, like every other refused signature: the login.failed entry names no record, so
        the record's own trail would otherwise not show the attempt."""
        try:
            self._auth.check_password(user, password)
        except LoginError as exc:
            self._store.audit.append(user.username, refused_action, record_id, {"reason": str(exc)})
            raise

    def _block(
        self, user: User, meaning: Meaning, at: datetime, override_reason: str | None, authorised_by: str | None = None
    ) -> SignatureBlock:
        from ..export.pdf_document import SignatureBlock

        return SignatureBlock(
            meaning=meaning.value,
            meaning_title=meaning.label,
            full_name=user.full_name,
            username=user.username,
            role_title=(signing_role(user, meaning) or ALLOWED[meaning][0]).label,
            signed_at=at,
            attestation=ATTESTATION,
            override_reason=override_reason or None,
            override_authorised_by=(authorised_by or None) if override_reason else None,
        )

    def sign(
        self,
        user: User,
        password: str,
        case: CaseState,
        *,
        override_reason: str | None = None,
        authorised_by: str | None = None,
    ) -> CaseState:
        """Sign as “Prepared by” (or “Amended by” for an amendment): re-authenticate, freeze the canonical
        JSON, render and sign the PDF."""
        return self._sign(user, password, case, override_reason, authorised_by, None)

    def sign_batch(self, user: User, password: str, cases: Sequence[CaseState]) -> list[CaseState]:
        """Sign several cases in one act: the password is checked and the signing key unlocked once, then each
        case is judged, signed and stored on its own (21 CFR 11.200(a)(1)(i): one continuous session, all
        components at the first signing). A case that may not be signed stops the batch there (SigningRefused),
        the ones before it stay signed."""
        from ..export.pki import open_identity

        if not cases:
            return []
        self._reauthenticate(user, password, cases[0].record_id, Actions.RECORD_SIGN_REFUSED)
        identity = self._auth.identity(user)
        unlocked = open_identity(identity[0], password) if identity is not None else None
        return [self._sign(user, password, case, None, None, unlocked, authenticated=True) for case in cases]

    def _sign(
        self,
        user: User,
        password: str,
        case: CaseState,
        override_reason: str | None,
        authorised_by: str | None,
        unlocked: UnlockedIdentity | None,
        *,
        authenticated: bool = False,
    ) -> CaseState:

        row = self._store.records.get(case.record_id)
        now = self._cases.now()
        fresh = self._cases.state(row)  # judge what is saved, at this moment, not what a window shows
        meaning = first_meaning(fresh)
        reason = self.why_not_signable(user, fresh, meaning, override_reason, authorised_by)
        if reason:
            self._store.audit.append(user.username, Actions.RECORD_SIGN_REFUSED, case.record_id, {"reason": reason})
            raise SigningRefused(reason)
        if not authenticated:
            self._reauthenticate(user, password, case.record_id, Actions.RECORD_SIGN_REFUSED)
        identity = self._auth.identity(user)
        assert identity is not None
        refuse_if_revoked(self._store, user.username, identity[1])
        # Stored, printed and logged exactly as the manifestation shows it (stripped), and only if needed.
        override = (override_reason or "").strip() or None
        authoriser = (authorised_by or "").strip() or None
        block = self._block(user, meaning, now, override if fresh.readiness.blockers else None, authoriser)
        # The override is frozen with the record: it is part of what the signature's hash covers.
        canonical = canonical_json(row.record, override=_override_json(block))
        digest = content_sha256(canonical)
        doc = _first_document(row, fresh, Status.SIGNED, block, digest, user, now)
        pdf = self._sealed_pdf(doc, canonical, meaning, user, identity[0], password, unlocked, now)
        signature = SignatureRow(
            meaning=meaning.value,
            username=user.username,
            full_name=user.full_name,
            role=block.role_title,
            signed_at=now,
            manifestation=self.manifestation(user, meaning, block.override_reason, now, block.override_authorised_by),
            override_reason=block.override_reason,
            override_authorised_by=block.override_authorised_by,
        )
        signed = self._store.records.sign(
            row.id, expected_version=case.version, canonical_json=canonical, sha256=digest, signature=signature, pdf=pdf
        )
        if self.after_signing is not None:
            self.after_signing(row.id, False)
        return self._cases.state(signed, fresh.readiness)

    def _sealed_pdf(
        self,
        doc: RecordDocument,
        canonical: str,
        meaning: Meaning,
        user: User,
        key: bytes,
        password: str,
        unlocked: UnlockedIdentity | None,
        now: datetime,
    ) -> bytes:
        """The record's first signed PDF: rendered, made PDF/A-3b with the frozen JSON and the record binding
        inside (before any signature, so every signature covers both), and signed with `meaning`."""
        from ..export.binding import RecordBinding, binding_file
        from ..export.pdf import render_record_pdf
        from ..export.pdfa import make_pdfa
        from ..export.signing import add_signature_field, sign_pdf

        rendered = render_record_pdf(doc)
        # The binding: which record, version and content this PDF is, and the audit chain head now.
        audit_seq, audit_hash = self._store.audit.head()
        binding = RecordBinding(
            record_id=doc.record_id,
            version=version_number(self._store, doc.record_id),
            content_sha256=content_sha256(canonical),
            audit_seq=audit_seq,
            audit_hash=audit_hash,
        )
        pdf = make_pdfa(
            rendered.pdf, canonical, record_id=doc.record_id, created=now, supplements=binding_file(binding)
        )
        reviewed = rendered.signature_fields.get(Meaning.REVIEWED)
        if reviewed is not None and meaning is not Meaning.CANCELLED:
            pdf = add_signature_field(pdf, Meaning.REVIEWED.value, page=reviewed.page, box=reviewed.box)
        field = rendered.signature_fields.get(meaning.value) or rendered.signature_fields.get(Meaning.PREPARED)
        return sign_pdf(
            pdf,
            key,
            password,
            field_name=meaning.value,
            meaning=meaning.label,
            signer_name=user.full_name,
            stamp_box=field.box if field else None,
            page=field.page if field else -1,
            certify=True,
            long_term=long_term_settings(self._store),
            unlocked=unlocked,
        )

    def cancel(self, user: User, password: str, record_id: str, reason: str) -> CaseState:
        """The case will not go ahead: sign the checklist as it stands with the meaning “Not ready — procedure
        cancelled” and its reason (password again, frozen and signed like any record, never printed as ready)."""

        row = self._store.records.get(record_id)
        now = self._cases.now()
        fresh = self._cases.state(row)
        refused = self.why_not(user, fresh, Action.CANCEL)
        if not refused and not reason.strip():
            refused = "Cancelling needs a reason (for example “patient unwell” or “procedure no longer indicated”)."
        if refused:
            self._store.audit.append(
                user.username,
                Actions.RECORD_SIGN_REFUSED,
                record_id,
                {"reason": refused, "meaning": Meaning.CANCELLED.value},
            )
            raise SigningRefused(refused)
        self._reauthenticate(user, password, record_id, Actions.RECORD_SIGN_REFUSED)
        identity = self._auth.identity(user)
        assert identity is not None
        refuse_if_revoked(self._store, user.username, identity[1])
        # The reason is frozen with the record, so the signature covers why the case did not go ahead.
        canonical = canonical_json(row.record, cancellation={"reason": reason.strip()})
        digest = content_sha256(canonical)
        block = self._block(user, Meaning.CANCELLED, now, reason.strip())
        doc = _first_document(row, fresh, Status.CANCELLED, block, digest, user, now)
        pdf = self._sealed_pdf(doc, canonical, Meaning.CANCELLED, user, identity[0], password, None, now)
        signature = SignatureRow(
            meaning=Meaning.CANCELLED.value,
            username=user.username,
            full_name=user.full_name,
            role=block.role_title,
            signed_at=now,
            manifestation=self.manifestation(user, Meaning.CANCELLED, None, now) + f" Reason: {reason.strip()}",
            override_reason=reason.strip(),
        )
        cancelled = self._store.records.sign(
            row.id, expected_version=row.version, canonical_json=canonical, sha256=digest, signature=signature, pdf=pdf
        )
        return self._cases.state(cancelled, fresh.readiness)

    def co_sign(self, user: User, password: str, record_id: str) -> CaseState:
        """Sign as “Reviewed by” (charge nurse, not the preparer) as an incremental PDF signature."""
        from ..export.signing import sign_pdf

        row = self._store.records.get(record_id)
        case = self._cases.state(row)
        reason = self.why_not_signable(user, case, Meaning.REVIEWED)
        if reason:
            self._store.audit.append(user.username, Actions.RECORD_COSIGN_REFUSED, record_id, {"reason": reason})
            raise SigningRefused(reason)
        self._reauthenticate(user, password, record_id, Actions.RECORD_COSIGN_REFUSED)
        identity = self._auth.identity(user)
        if identity is None:
            raise SigningRefused(NO_KEY)
        refuse_if_revoked(self._store, user.username, identity[1])
        stored = self._store.records.latest_pdf(record_id)
        if stored is None:
            raise SigningRefused("This checklist has no signed PDF to co-sign.")
        now = self._cases.now()
        pdf = sign_pdf(
            stored.pdf,
            identity[0],
            password,
            field_name=Meaning.REVIEWED.value,
            meaning=Meaning.REVIEWED.label,
            signer_name=user.full_name,
            long_term=long_term_settings(self._store),
        )
        signature = SignatureRow(
            meaning=Meaning.REVIEWED.value,
            username=user.username,
            full_name=user.full_name,
            role=Role.CHARGE_NURSE.label,
            signed_at=now,
            manifestation=self.manifestation(user, Meaning.REVIEWED, None, now),
        )
        reviewed = self._store.records.add_signature(record_id, signature, pdf, expected_version=row.version)
        if self.after_signing is not None:
            self.after_signing(record_id, True)
        return self._cases.state(reviewed)

    # -- documents --------------------------------------------------------------------------------------------

    def _draft_document(self, row: RecordRow, user: User) -> RecordDocument:
        from ..export.pdf_document import RecordDocument

        case = self._cases.state(row)
        return RecordDocument(
            record_id=row.id,
            status=row.status,
            form=case.form,
            record=row.record,
            readiness=case.readiness,
            content_sha256=None,
            signatures=(),
            generated_by=user.full_name,
            generated_at=self._cases.now(),
            supersedes_id=row.supersedes_id,
            amendment_reason=row.amendment_reason,
            form_note=case.form_note,
        )

    def pdf(self, user: User, record_id: str, *, refuse_tampered: bool = True) -> bytes:
        """The signed PDF exactly as stored once signed; before that a DRAFT rendering. Logged.

        A signed record is handed out only when it passes check(): a PDF that is not this record's own, or a
        record whose rows contradict its signatures, is refused with the first mismatch (TamperedRecord).
        refuse_tampered=False is for a screen that shows the PDF beside check()'s verdict (the records view)."""
        stored = self._store.records.latest_pdf(record_id)
        row = self._store.records.get(record_id)
        if refuse_tampered:
            self.refuse_if_tampered(user.username, record_id, "pdf")
        if stored is not None:
            data = stored.pdf
        else:
            from ..export.pdf import render_record_pdf

            data = render_record_pdf(self._draft_document(row, user)).pdf
        self._store.audit.append(
            user.username, Actions.RECORD_EXPORTED, record_id, {"format": "pdf", "signed": stored is not None}
        )
        return data

    def mark_printed(
        self, user: User, record_ids: list[str], *, printer: str | None = None, jobs: dict[str, str] | None = None
    ) -> None:
        """Record that these were *sent to the printer* (named, with its job ids where the platform gave them);
        what came out is recorded by confirm_printed."""
        refused = lifecycle.why_not(Action.PRINT, roles=user.roles, user_id=user.username, facts=None)
        if refused:  # the record's own state is judged by the store as it writes
            raise PermissionRefused(refused)
        for record_id in record_ids:
            self._store.records.mark_printed(record_id, user.username, printer=printer, job=(jobs or {}).get(record_id))

    def confirm_printed(self, user: User, record_ids: list[str], printed: bool, *, source: str) -> None:
        """What came out: printed, or not (then the record is back in the print queue)."""
        refused = lifecycle.why_not(Action.PRINT, roles=user.roles, user_id=user.username, facts=None)
        if refused:
            raise PermissionRefused(refused)
        for record_id in record_ids:
            self._store.records.confirm_printed(
                record_id, user.username, "printed" if printed else "not_printed", source=source
            )

    def amend(self, user: User, record_id: str, reason: str) -> CaseState:
        refused = lifecycle.why_not(Action.AMEND, roles=user.roles, user_id=user.username, facts=None)
        if refused:  # the record's own state is judged by the store as it writes
            raise PermissionRefused(refused)
        if not reason.strip():
            raise SigningRefused("An amendment needs a reason.")
        return self._cases.state(self._store.records.amend(record_id, reason.strip(), user.username))
