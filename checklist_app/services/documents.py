"""Signing, co-signing, PDF export, verification, printing and amendments of checklist records."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from ..domain import lifecycle
from ..domain.lifecycle import SIGNERS, Action, Facts, Status
from ..domain.records import canonical_json, content_sha256
from ..store import Store
from ..store.audit import Actions
from ..store.record_rows import RecordRow, SignatureRow
from .auth import AuthService
from .cases import CaseService
from .errors import LoginError, PermissionRefused, SigningRefused
from .models import CaseState, CaseSummary, Meaning, Role, User
from .site import trust_roots
from .verification import ANSWERS_CHANGED, HASH_MISMATCH, RecordVerification

if TYPE_CHECKING:
    from ..export.pdf_document import RecordDocument, SignatureBlock
    from ..export.verification import VerificationReport

ATTESTATION = ("By entering my password I confirm that I checked every answer recorded in this checklist, and I "
               "intend this electronic signature to be the legally binding equivalent of my handwritten signature.")
ALLOWED = SIGNERS  # who may sign with which meaning (the domain's rule)


def signing_role(user: User, meaning: Meaning) -> Role | None:
    """The role the user signs in for this meaning, or None when no role of theirs allows it."""
    return next((r for r in ALLOWED[meaning] if user.has(r)), None)


def first_meaning(case: CaseState | CaseSummary) -> Meaning:
    """A draft that supersedes a signed record is signed as an amendment."""
    return Meaning.AMENDED if case.supersedes_id else Meaning.PREPARED


class DocumentService:
    def __init__(self, store: Store, auth: AuthService, cases: CaseService) -> None:
        self._store = store
        self._auth = auth
        self._cases = cases

    # -- signing ----------------------------------------------------------------------------------------------

    def why_not(self, user: User, case: CaseState | CaseSummary, action: Action, *,
                override_reason: str | None = None) -> str | None:
        """None when the user may do the action to this record now; otherwise the reason, in the words every
        screen and refusal uses (the domain's lifecycle rules, judged on what the store holds)."""
        facts = self.facts(user, case, action, override_reason)
        return lifecycle.why_not(action, roles=user.roles, user_id=user.username, facts=facts)

    def facts(self, user: User, case: CaseState | CaseSummary, action: Action,
              override_reason: str | None = None) -> Facts:
        """What the lifecycle rules need to know for this action. A summary (a row of a list) carries no
        answers or signatures: its verdict is a first look, and the action judges the full record again."""
        answered_by: frozenset[str] = frozenset()
        signed_by: frozenset[str] = frozenset()
        readiness = None
        item_texts: dict[str, str] | None = None
        if isinstance(case, CaseState):
            readiness = case.readiness
            item_texts = {item_id: item.text for item_id, item in case.form.items.items()}
            answered_by = frozenset(a.by for a in case.record.answers.values() if a.by)
            if action is Action.CO_SIGN and case.status == Status.SIGNED and user.has(Role.CHARGE_NURSE):
                row = self._store.records.get(case.record_id)  # the signatures, as saved
                signed_by = frozenset(s.username for s in row.signatures)
                answered_by = frozenset(a.by for a in row.record.answers.values() if a.by)
        # The signer's credentials are read only for someone whose role may sign with this meaning.
        meaning = {Action.CO_SIGN: Meaning.REVIEWED, Action.CANCEL: Meaning.CANCELLED}.get(action,
                                                                                         first_meaning(case))
        signs = (action in (Action.SIGN, Action.CO_SIGN, Action.CANCEL)
                 and signing_role(user, meaning) is not None)
        first = action in (Action.SIGN, Action.CANCEL)
        return Facts(status=case.status, is_latest=case.status != Status.AMENDED,
                     is_amendment=bool(case.supersedes_id), prepared_by=case.nurse, signed_by=signed_by,
                     answered_by=answered_by, readiness=readiness, override_reason=override_reason or "",
                     temporary_password=signs and self._auth.get(user.username).must_change_password,
                     has_signing_key=not (signs and first) or self._auth.identity(user) is not None,
                     item_texts=item_texts)

    def why_not_signable(self, user: User, case: CaseState, meaning: Meaning = Meaning.PREPARED,
                         override_reason: str | None = None) -> str | None:
        """None when the user may sign now with this meaning (co-sign for “Reviewed by”); otherwise why not."""
        action = Action.CO_SIGN if meaning is Meaning.REVIEWED else Action.SIGN
        return self.why_not(user, case, action, override_reason=override_reason)

    def manifestation(self, user: User, meaning: Meaning, override_reason: str | None = None,
                      at: datetime | None = None) -> str:
        """The words shown before signing and printed with the signature (21 CFR 11.50)."""
        when = (at or self._cases.now()).strftime("%Y-%m-%d %H:%M %z")
        role = signing_role(user, meaning) or ALLOWED[meaning][0]
        text = (f"{meaning.label}: {user.full_name} (user {user.username}), {role.label}, "
                f"at {when}. {ATTESTATION}")
        if override_reason:
            text += f" Signed NOT READY with this documented override: {override_reason.strip()}"
        return text

    def _reauthenticate(self, user: User, password: str, record_id: str, refused_action: str) -> None:
        """The password again before a signature. A refusal (wrong password, locked account) is also logged
        against the record, like every other refused signature: the login.failed entry names no record, so
        the record's own trail would otherwise not show the attempt."""
        try:
            self._auth.check_password(user, password)
        except LoginError as exc:
            self._store.audit.append(user.username, refused_action, record_id, {"reason": str(exc)})
            raise

    def _block(self, user: User, meaning: Meaning, at: datetime, override_reason: str | None) -> SignatureBlock:
        from ..export.pdf_document import SignatureBlock

        return SignatureBlock(meaning=meaning.value, meaning_title=meaning.label, full_name=user.full_name,
                              username=user.username,
                              role_title=(signing_role(user, meaning) or ALLOWED[meaning][0]).label, signed_at=at,
                              attestation=ATTESTATION, override_reason=override_reason or None)

    def sign(self, user: User, password: str, case: CaseState, *, override_reason: str | None = None) -> CaseState:
        """Sign as “Prepared by” (or “Amended by” for an amendment): re-authenticate, freeze the canonical
        JSON, render and sign the PDF."""
        from ..export.pdf import render_record_pdf
        from ..export.pdf_document import RecordDocument
        from ..export.signing import add_signature_field, sign_pdf

        row = self._store.records.get(case.record_id)
        now = self._cases.now()
        fresh = self._cases.state(row)  # judge what is saved, at this moment, not what a window shows
        meaning = first_meaning(fresh)
        reason = self.why_not_signable(user, fresh, meaning, override_reason)
        if reason:
            self._store.audit.append(user.username, Actions.RECORD_SIGN_REFUSED, case.record_id, {"reason": reason})
            raise SigningRefused(reason)
        self._reauthenticate(user, password, case.record_id, Actions.RECORD_SIGN_REFUSED)
        identity = self._auth.identity(user)
        assert identity is not None
        canonical = canonical_json(row.record)
        digest = content_sha256(canonical)
        # Stored, printed and logged exactly as the manifestation shows it (stripped), and only if needed.
        override = (override_reason or "").strip() or None
        block = self._block(user, meaning, now, override if fresh.readiness.blockers else None)
        doc = RecordDocument(record_id=row.id, status=Status.SIGNED.value, form=fresh.form, record=row.record,
                             readiness=fresh.readiness, content_sha256=digest, signatures=(block,),
                             generated_by=user.full_name, generated_at=now, supersedes_id=row.supersedes_id,
                             amendment_reason=row.amendment_reason)
        rendered = render_record_pdf(doc)
        pdf = rendered.pdf
        reviewed = rendered.signature_fields.get(Meaning.REVIEWED)
        if reviewed is not None:
            pdf = add_signature_field(pdf, Meaning.REVIEWED.value, page=reviewed.page, box=reviewed.box)
        prepared = rendered.signature_fields.get(meaning.value) or rendered.signature_fields.get(Meaning.PREPARED)
        pdf = sign_pdf(pdf, identity[0], password, field_name=meaning.value, meaning=meaning.label,
                       signer_name=user.full_name, stamp_box=prepared.box if prepared else None,
                       page=prepared.page if prepared else -1, certify=True)
        signature = SignatureRow(meaning=meaning.value, username=user.username, full_name=user.full_name,
                                 role=block.role_title, signed_at=now,
                                 manifestation=self.manifestation(user, meaning, block.override_reason, now),
                                 override_reason=block.override_reason)
        signed = self._store.records.sign(row.id, expected_version=case.version, canonical_json=canonical,
                                          sha256=digest, signature=signature, pdf=pdf)
        return self._cases.state(signed, fresh.readiness)

    def cancel(self, user: User, password: str, record_id: str, reason: str) -> CaseState:
        """The case will not go ahead: sign the checklist as it stands with the meaning “Not ready — procedure
        cancelled” and its reason (password again, frozen and signed like any record, never printed as ready)."""
        from ..export.pdf import render_record_pdf
        from ..export.pdf_document import RecordDocument
        from ..export.signing import sign_pdf

        row = self._store.records.get(record_id)
        now = self._cases.now()
        fresh = self._cases.state(row)
        refused = self.why_not(user, fresh, Action.CANCEL)
        if not refused and not reason.strip():
            refused = "Cancelling needs a reason (for example “patient unwell” or “procedure no longer indicated”)."
        if refused:
            self._store.audit.append(user.username, Actions.RECORD_SIGN_REFUSED, record_id,
                                     {"reason": refused, "meaning": Meaning.CANCELLED.value})
            raise SigningRefused(refused)
        self._reauthenticate(user, password, record_id, Actions.RECORD_SIGN_REFUSED)
        identity = self._auth.identity(user)
        assert identity is not None
        canonical = canonical_json(row.record)
        digest = content_sha256(canonical)
        block = self._block(user, Meaning.CANCELLED, now, reason.strip())
        doc = RecordDocument(record_id=row.id, status=Status.CANCELLED.value, form=fresh.form, record=row.record,
                             readiness=fresh.readiness, content_sha256=digest, signatures=(block,),
                             generated_by=user.full_name, generated_at=now, supersedes_id=row.supersedes_id,
                             amendment_reason=row.amendment_reason)
        rendered = render_record_pdf(doc)
        box = rendered.signature_fields.get(Meaning.CANCELLED.value)
        pdf = sign_pdf(rendered.pdf, identity[0], password, field_name=Meaning.CANCELLED.value,
                       meaning=Meaning.CANCELLED.label, signer_name=user.full_name,
                       stamp_box=box.box if box else None, page=box.page if box else -1, certify=True)
        signature = SignatureRow(meaning=Meaning.CANCELLED.value, username=user.username, full_name=user.full_name,
                                 role=block.role_title, signed_at=now,
                                 manifestation=self.manifestation(user, Meaning.CANCELLED, None, now)
                                 + f" Reason: {reason.strip()}",
                                 override_reason=reason.strip())
        cancelled = self._store.records.sign(row.id, expected_version=row.version, canonical_json=canonical,
                                             sha256=digest, signature=signature, pdf=pdf)
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
            raise SigningRefused("You have no signing key yet; ask an administrator to reset your password.")
        stored = self._store.records.latest_pdf(record_id)
        if stored is None:
            raise SigningRefused("This checklist has no signed PDF to co-sign.")
        now = self._cases.now()
        pdf = sign_pdf(stored.pdf, identity[0], password, field_name=Meaning.REVIEWED.value,
                       meaning=Meaning.REVIEWED.label, signer_name=user.full_name)
        signature = SignatureRow(meaning=Meaning.REVIEWED.value, username=user.username, full_name=user.full_name,
                                 role=Role.CHARGE_NURSE.label, signed_at=now,
                                 manifestation=self.manifestation(user, Meaning.REVIEWED, None, now))
        return self._cases.state(self._store.records.add_signature(record_id, signature, pdf,
                                                                   expected_version=row.version))

    # -- documents --------------------------------------------------------------------------------------------

    def _draft_document(self, row: RecordRow, user: User) -> RecordDocument:
        from ..export.pdf_document import RecordDocument

        case = self._cases.state(row)
        return RecordDocument(record_id=row.id, status=row.status, form=case.form, record=row.record,
                              readiness=case.readiness, content_sha256=None, signatures=(),
                              generated_by=user.full_name, generated_at=self._cases.now(),
                              supersedes_id=row.supersedes_id, amendment_reason=row.amendment_reason)

    def pdf(self, user: User, record_id: str) -> bytes:
        """The signed PDF exactly as stored once signed; before that a DRAFT rendering. Logged."""
        stored = self._store.records.latest_pdf(record_id)
        if stored is not None:
            data = stored.pdf
        else:
            from ..export.pdf import render_record_pdf

            data = render_record_pdf(self._draft_document(self._store.records.get(record_id), user)).pdf
        self._store.audit.append(user.username, Actions.RECORD_EXPORTED, record_id,
                                 {"format": "pdf", "signed": stored is not None})
        return data

    def verify_pdf_bytes(self, pdf: bytes) -> VerificationReport:
        from ..export.verification import verify_pdf

        return verify_pdf(pdf, trust_roots(self._store))

    def check(self, record_id: str) -> RecordVerification:
        """The stored PDF's signatures and the stored record's hash, checked together (the PDF once)."""
        row = self._store.records.get(record_id)
        stored = self._store.records.latest_pdf(record_id)
        if stored is None or row.canonical_json is None:
            return RecordVerification(None)
        report = self.verify_pdf_bytes(stored.pdf)
        if content_sha256(row.canonical_json) != row.content_sha256:
            return RecordVerification(report, HASH_MISMATCH)
        if canonical_json(row.record) != row.canonical_json:
            return RecordVerification(report, ANSWERS_CHANGED)
        return RecordVerification(report)

    def verify(self, record_id: str) -> tuple[bool, list[str]]:
        """check() as the verdict and its report lines."""
        result = self.check(record_id)
        return result.ok, result.lines()

    def mark_printed(self, user: User, record_ids: list[str], *, printer: str | None = None,
                     jobs: dict[str, str] | None = None) -> None:
        """Record that these were *sent to the printer* (named, with its job ids where the platform gave them);
        what came out is recorded by confirm_printed."""
        refused = lifecycle.why_not(Action.PRINT, roles=user.roles, user_id=user.username, facts=None)
        if refused:  # the record's own state is judged by the store as it writes
            raise PermissionRefused(refused)
        for record_id in record_ids:
            self._store.records.mark_printed(record_id, user.username, printer=printer,
                                             job=(jobs or {}).get(record_id))

    def confirm_printed(self, user: User, record_ids: list[str], printed: bool, *, source: str) -> None:
        """What came out: printed, or not (then the record is back in the print queue)."""
        refused = lifecycle.why_not(Action.PRINT, roles=user.roles, user_id=user.username, facts=None)
        if refused:
            raise PermissionRefused(refused)
        for record_id in record_ids:
            self._store.records.confirm_printed(record_id, user.username, "printed" if printed else "not_printed",
                                                source=source)

    def amend(self, user: User, record_id: str, reason: str) -> CaseState:
        refused = lifecycle.why_not(Action.AMEND, roles=user.roles, user_id=user.username, facts=None)
        if refused:  # the record's own state is judged by the store as it writes
            raise PermissionRefused(refused)
        if not reason.strip():
            raise SigningRefused("An amendment needs a reason.")
        return self._cases.state(self._store.records.amend(record_id, reason.strip(), user.username))
