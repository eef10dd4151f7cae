"""Signing, co-signing, PDF export, verification, printing and amendments of checklist records."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from ..domain.readiness import Readiness
from ..domain.records import canonical_json, content_sha256
from ..store import Store
from ..store.audit import Actions
from ..store.records import RecordRow, SignatureRow
from .auth import AuthService
from .cases import CaseService
from .errors import LoginError, PermissionRefused, SigningRefused
from .models import CaseState, Meaning, Role, User
from .site import trust_roots

if TYPE_CHECKING:
    from ..export.pdf import RecordDocument, SignatureBlock
    from ..export.signing import VerificationReport

ATTESTATION = ("By entering my password I confirm that I checked every answer recorded in this checklist, and I "
               "intend this electronic signature to be the legally binding equivalent of my handwritten signature.")
# Who may sign with which meaning; an amendment is completed by a nurse or the charge nurse who started it.
ALLOWED = {Meaning.PREPARED: (Role.NURSE,), Meaning.REVIEWED: (Role.CHARGE_NURSE,),
           Meaning.AMENDED: (Role.NURSE, Role.CHARGE_NURSE)}


def signing_role(user: User, meaning: Meaning) -> Role | None:
    """The role the user signs in for this meaning, or None when no role of theirs allows it."""
    return next((r for r in ALLOWED[meaning] if user.has(r)), None)


def first_meaning(case: CaseState) -> Meaning:
    """A draft that supersedes a signed record is signed as an amendment."""
    return Meaning.AMENDED if case.supersedes_id else Meaning.PREPARED


def _names(ids: list[str], limit: int = 3) -> str:
    shown = ", ".join(ids[:limit])
    return shown + (f" and {len(ids) - limit} more" if len(ids) > limit else "")


def override_authorisers(readiness: Readiness) -> str:
    """Who must authorise an override of these blockers, in words: 'proceduralist or sedation provider'."""
    roles = list(dict.fromkeys(b.authoriser for b in readiness.blockers if b.override_allowed and b.authoriser))
    return " or ".join(roles) or "proceduralist"


def _override_json(block: SignatureBlock) -> dict[str, str] | None:
    if not block.override_reason:
        return None
    out = {"reason": block.override_reason}
    if block.override_authorised_by:
        out["authorised_by"] = block.override_authorised_by
    return out


def _signed_override(row: RecordRow) -> dict[str, str] | None:
    """The override frozen at the first signature (prepared or amended), as canonical_json took it."""
    first = next((s for s in row.signatures if s.meaning != "reviewed"), None)
    if first is None or not first.override_reason:
        return None
    out = {"reason": first.override_reason}
    if first.override_authorised_by:
        out["authorised_by"] = first.override_authorised_by
    return out


class DocumentService:
    def __init__(self, store: Store, auth: AuthService, cases: CaseService) -> None:
        self._store = store
        self._auth = auth
        self._cases = cases

    # -- signing ----------------------------------------------------------------------------------------------

    def why_not_signable(self, user: User, case: CaseState, meaning: Meaning = Meaning.PREPARED,
                         override_reason: str | None = None, authorised_by: str | None = None) -> str | None:
        """None when the user may sign now; otherwise the reason, in words for a disabled button's tooltip."""
        if meaning is Meaning.PREPARED:
            meaning = first_meaning(case)
        if signing_role(user, meaning) is None:
            roles = " or ".join(r.label.lower() for r in ALLOWED[meaning])
            return f"Only a {roles} can sign as “{meaning.label}”."
        if self._auth.get(user.username).must_change_password:
            return "Your password was set by an administrator: choose your own (log in again) before signing."
        if meaning is Meaning.REVIEWED:
            if case.status != "signed":
                return ("Only a signed checklist can be co-signed." if case.status == "draft"
                        else f"This checklist is {case.status}; it cannot be co-signed again.")
            row = self._store.records.get(case.record_id)
            if user.username == case.nurse or any(s.username == user.username for s in row.signatures):
                return "The reviewer must be a different person from the nurse who prepared the checklist."
            if any(a.by == user.username for a in row.record.answers.values()):
                # A review checks someone else's work: whoever entered answers cannot be its reviewer.
                return "You entered answers in this checklist, so another charge nurse must review it."
            return None
        if case.status != "draft":
            return f"This checklist is already {case.status}."
        readiness = case.readiness
        # Missing answers are never overridable, whatever the blockers allow.
        if readiness.missing:
            missing = list(readiness.missing)
            return f"Not complete: {len(missing)} required item(s) unanswered ({_names(missing)})."
        if readiness.state == "not_ready":
            hard = [b.item for b in readiness.blockers if not b.override_allowed]
            if hard:
                return f"NOT READY: {_names(hard)} cannot be overridden; resolve it before signing."
            if not (override_reason or "").strip():
                return "NOT READY: signing needs a documented override reason for every blocker."
            if not (authorised_by or "").strip():
                return (f"NOT READY: an override needs the name of the {override_authorisers(readiness)} "
                        "who authorised it.")
        if self._auth.identity(user) is None:
            return "You have no signing key yet: change your password to get one."
        return None

    def manifestation(self, user: User, meaning: Meaning, override_reason: str | None = None,
                      at: datetime | None = None, authorised_by: str | None = None) -> str:
        """The words shown before signing and printed with the signature (21 CFR 11.50)."""
        when = (at or self._cases.now()).strftime("%Y-%m-%d %H:%M %z")
        role = signing_role(user, meaning) or ALLOWED[meaning][0]
        text = (f"{meaning.label}: {user.full_name} (user {user.username}), {role.label}, "
                f"at {when}. {ATTESTATION}")
        if override_reason:
            text += f" Signed NOT READY with this documented override: {override_reason.strip()}"
            authoriser = (authorised_by or "").strip()
            if authoriser:
                text += f" Authorised by: {authoriser}."
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

    def _block(self, user: User, meaning: Meaning, at: datetime, override_reason: str | None,
               authorised_by: str | None = None) -> SignatureBlock:
        from ..export.pdf import SignatureBlock

        return SignatureBlock(meaning=meaning.value, meaning_title=meaning.label, full_name=user.full_name,
                              username=user.username,
                              role_title=(signing_role(user, meaning) or ALLOWED[meaning][0]).label, signed_at=at,
                              attestation=ATTESTATION, override_reason=override_reason or None,
                              override_authorised_by=(authorised_by or None) if override_reason else None)

    def sign(self, user: User, password: str, case: CaseState, *, override_reason: str | None = None,
             authorised_by: str | None = None) -> CaseState:
        """Sign as “Prepared by” (or “Amended by” for an amendment): re-authenticate, freeze the canonical
        JSON, render and sign the PDF."""
        from ..export.pdf import RecordDocument, render_record_pdf
        from ..export.signing import add_signature_field, sign_pdf

        row = self._store.records.get(case.record_id)
        now = self._cases.now()
        fresh = self._cases.state(row)  # judge what is saved, at this moment, not what a window shows
        meaning = first_meaning(fresh)
        reason = self.why_not_signable(user, fresh, meaning, override_reason, authorised_by)
        if reason:
            self._store.audit.append(user.username, "record.sign_refused", case.record_id, {"reason": reason})
            raise SigningRefused(reason)
        self._reauthenticate(user, password, case.record_id, "record.sign_refused")
        identity = self._auth.identity(user)
        assert identity is not None
        # Stored, printed and logged exactly as the manifestation shows it (stripped), and only if needed.
        override = (override_reason or "").strip() or None
        authoriser = (authorised_by or "").strip() or None
        block = self._block(user, meaning, now, override if fresh.readiness.blockers else None, authoriser)
        # The override is frozen with the record: it is part of what the signature's hash covers.
        canonical = canonical_json(row.record, override=_override_json(block))
        digest = content_sha256(canonical)
        doc = RecordDocument(record_id=row.id, status="signed", form=fresh.form, record=row.record,
                             readiness=fresh.readiness, content_sha256=digest, signatures=(block,),
                             generated_by=user.full_name, generated_at=now, supersedes_id=row.supersedes_id,
                             amendment_reason=row.amendment_reason)
        rendered = render_record_pdf(doc)
        pdf = rendered.pdf
        reviewed = rendered.signature_fields.get("reviewed")
        if reviewed is not None:
            pdf = add_signature_field(pdf, "reviewed", page=reviewed.page, box=reviewed.box)
        prepared = rendered.signature_fields.get(meaning.value) or rendered.signature_fields.get("prepared")
        pdf = sign_pdf(pdf, identity[0], password, field_name=meaning.value, meaning=meaning.label,
                       signer_name=user.full_name, stamp_box=prepared.box if prepared else None,
                       page=prepared.page if prepared else -1, certify=True)
        signature = SignatureRow(meaning=meaning.value, username=user.username, full_name=user.full_name,
                                 role=block.role_title, signed_at=now,
                                 manifestation=self.manifestation(user, meaning, block.override_reason, now,
                                                                  block.override_authorised_by),
                                 override_reason=block.override_reason,
                                 override_authorised_by=block.override_authorised_by)
        signed = self._store.records.sign(row.id, expected_version=case.version, canonical_json=canonical,
                                          sha256=digest, signature=signature, pdf=pdf)
        return self._cases.state(signed, fresh.readiness)

    def co_sign(self, user: User, password: str, record_id: str) -> CaseState:
        """Sign as “Reviewed by” (charge nurse, not the preparer) as an incremental PDF signature."""
        from ..export.signing import sign_pdf

        row = self._store.records.get(record_id)
        case = self._cases.state(row)
        reason = self.why_not_signable(user, case, Meaning.REVIEWED)
        if reason:
            self._store.audit.append(user.username, "record.cosign_refused", record_id, {"reason": reason})
            raise SigningRefused(reason)
        self._reauthenticate(user, password, record_id, "record.cosign_refused")
        identity = self._auth.identity(user)
        if identity is None:
            raise SigningRefused("You have no signing key yet; ask an administrator to reset your password.")
        stored = self._store.records.latest_pdf(record_id)
        if stored is None:
            raise SigningRefused("This checklist has no signed PDF to co-sign.")
        now = self._cases.now()
        pdf = sign_pdf(stored.pdf, identity[0], password, field_name="reviewed", meaning=Meaning.REVIEWED.label,
                       signer_name=user.full_name)
        signature = SignatureRow(meaning="reviewed", username=user.username, full_name=user.full_name,
                                 role=Role.CHARGE_NURSE.label, signed_at=now,
                                 manifestation=self.manifestation(user, Meaning.REVIEWED, None, now))
        return self._cases.state(self._store.records.add_signature(record_id, signature, pdf,
                                                                   expected_version=row.version))

    # -- documents --------------------------------------------------------------------------------------------

    def _draft_document(self, row: RecordRow, user: User) -> RecordDocument:
        from ..export.pdf import RecordDocument

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
        from ..export.signing import verify_pdf

        return verify_pdf(pdf, trust_roots(self._store))

    def verify(self, record_id: str) -> tuple[bool, list[str]]:
        """The stored PDF's signatures and the stored record's hash, checked together."""
        row = self._store.records.get(record_id)
        stored = self._store.records.latest_pdf(record_id)
        if stored is None or row.canonical_json is None:
            return False, ["Not signed yet: there is nothing to verify."]
        report = self.verify_pdf_bytes(stored.pdf)
        lines = report.lines()
        ok = report.ok
        if content_sha256(row.canonical_json) != row.content_sha256:
            ok = False
            lines.append("The stored record does not match its SHA-256: the database was altered.")
        elif canonical_json(row.record, override=_signed_override(row)) != row.canonical_json:
            ok = False
            lines.append("The saved answers differ from the signed record: the database was altered.")
        return ok, lines

    def mark_printed(self, user: User, record_ids: list[str]) -> None:
        if not user.has(Role.COORDINATOR):
            raise PermissionRefused("Only a coordinator marks records as printed.")
        for record_id in record_ids:
            self._store.records.mark_printed(record_id, user.username)

    def amend(self, user: User, record_id: str, reason: str) -> CaseState:
        if not user.has(Role.CHARGE_NURSE):
            raise PermissionRefused("Only a charge nurse can start an amendment.")
        if not reason.strip():
            raise SigningRefused("An amendment needs a reason.")
        return self._cases.state(self._store.records.amend(record_id, reason.strip(), user.username))
