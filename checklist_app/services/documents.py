"""Signing, co-signing, PDF export, verification, printing and amendments of checklist records."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from ..domain import lifecycle
from ..domain.lifecycle import NO_KEY, SIGNERS, Action, Facts, Status
from ..domain.records import canonical_json, content_sha256
from ..store import Store
from ..store.audit import Actions
from ..store.record_rows import RecordRow, SignatureRow
from . import integrity
from .auth import AuthService
from .cases import CaseService
from .errors import LoginError, PermissionRefused, SigningRefused, TamperedRecord
from .integrity import version_number
from .long_term import long_term_settings, refuse_if_revoked, site_crls, tsa_roots
from .models import CaseState, CaseSummary, Meaning, Role, User
from .site import trust_roots
from .verification import ANSWERS_CHANGED, HASH_MISMATCH, RecordVerification

if TYPE_CHECKING:
    from ..export.pdf_document import RecordDocument, SignatureBlock
    from ..export.pki import UnlockedIdentity
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


def _override_json(block: SignatureBlock) -> dict[str, str] | None:
    if not block.override_reason:
        return None
    out = {"reason": block.override_reason}
    if block.override_authorised_by:
        out["authorised_by"] = block.override_authorised_by
    return out


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


class DocumentService:
    def __init__(self, store: Store, auth: AuthService, cases: CaseService) -> None:
        self._store = store
        self._auth = auth
        self._cases = cases
        # Called with (record id, co_signed) once a signature is stored: the EHR feed (site option) hooks in here.
        self.after_signing: Callable[[str, bool], object] | None = None

    # -- signing ----------------------------------------------------------------------------------------------

    def why_not(self, user: User, case: CaseState | CaseSummary, action: Action, *,
                override_reason: str | None = None, authorised_by: str | None = None) -> str | None:
        """None when the user may do the action to this record now; otherwise the reason, in the words every
        screen and refusal uses (the domain's lifecycle rules, judged on what the store holds)."""
        facts = self.facts(user, case, action, override_reason, authorised_by)
        return lifecycle.why_not(action, roles=user.roles, user_id=user.username, facts=facts)

    def facts(self, user: User, case: CaseState | CaseSummary, action: Action,
              override_reason: str | None = None, authorised_by: str | None = None) -> Facts:
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
                     override_authorised_by=authorised_by or "",
                     temporary_password=signs and self._auth.get(user.username).must_change_password,
                     has_signing_key=not (signs and first) or self._auth.identity(user) is not None,
                     item_texts=item_texts)

    def why_not_signable(self, user: User, case: CaseState, meaning: Meaning = Meaning.PREPARED,
                         override_reason: str | None = None, authorised_by: str | None = None) -> str | None:
        """None when the user may sign now with this meaning (co-sign for “Reviewed by”); otherwise why not."""
        action = Action.CO_SIGN if meaning is Meaning.REVIEWED else Action.SIGN
        return self.why_not(user, case, action, override_reason=override_reason, authorised_by=authorised_by)

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
        from ..export.pdf_document import SignatureBlock

        return SignatureBlock(meaning=meaning.value, meaning_title=meaning.label, full_name=user.full_name,
                              username=user.username,
                              role_title=(signing_role(user, meaning) or ALLOWED[meaning][0]).label, signed_at=at,
                              attestation=ATTESTATION, override_reason=override_reason or None,
                              override_authorised_by=(authorised_by or None) if override_reason else None)

    def sign(self, user: User, password: str, case: CaseState, *, override_reason: str | None = None,
             authorised_by: str | None = None) -> CaseState:
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

    def _sign(self, user: User, password: str, case: CaseState, override_reason: str | None,
              authorised_by: str | None, unlocked: UnlockedIdentity | None, *,
              authenticated: bool = False) -> CaseState:
        from ..export.pdf_document import RecordDocument

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
        doc = RecordDocument(record_id=row.id, status=Status.SIGNED.value, form=fresh.form, record=row.record,
                             readiness=fresh.readiness, content_sha256=digest, signatures=(block,),
                             generated_by=user.full_name, generated_at=now, supersedes_id=row.supersedes_id,
                             amendment_reason=row.amendment_reason, form_note=fresh.form_note)
        pdf = self._sealed_pdf(doc, canonical, meaning, user, identity[0], password, unlocked, now)
        signature = SignatureRow(meaning=meaning.value, username=user.username, full_name=user.full_name,
                                 role=block.role_title, signed_at=now,
                                 manifestation=self.manifestation(user, meaning, block.override_reason, now,
                                                                  block.override_authorised_by),
                                 override_reason=block.override_reason,
                                 override_authorised_by=block.override_authorised_by)
        signed = self._store.records.sign(row.id, expected_version=case.version, canonical_json=canonical,
                                          sha256=digest, signature=signature, pdf=pdf)
        if self.after_signing is not None:
            self.after_signing(row.id, False)
        return self._cases.state(signed, fresh.readiness)

    def _sealed_pdf(self, doc: RecordDocument, canonical: str, meaning: Meaning, user: User, key: bytes,
                    password: str, unlocked: UnlockedIdentity | None, now: datetime) -> bytes:
        """The record's first signed PDF: rendered, made PDF/A-3b with the frozen JSON and the record binding
        inside (before any signature, so every signature covers both), and signed with `meaning`."""
        from ..export.binding import RecordBinding, binding_file
        from ..export.pdf import render_record_pdf
        from ..export.pdfa import make_pdfa
        from ..export.signing import add_signature_field, sign_pdf

        rendered = render_record_pdf(doc)
        # The binding: which record, version and content this PDF is, and the audit chain head now.
        audit_seq, audit_hash = self._store.audit.head()
        binding = RecordBinding(record_id=doc.record_id, version=version_number(self._store, doc.record_id),
                                content_sha256=content_sha256(canonical), audit_seq=audit_seq,
                                audit_hash=audit_hash)
        pdf = make_pdfa(rendered.pdf, canonical, record_id=doc.record_id, created=now,
                        supplements=binding_file(binding))
        reviewed = rendered.signature_fields.get(Meaning.REVIEWED)
        if reviewed is not None and meaning is not Meaning.CANCELLED:
            pdf = add_signature_field(pdf, Meaning.REVIEWED.value, page=reviewed.page, box=reviewed.box)
        field = rendered.signature_fields.get(meaning.value) or rendered.signature_fields.get(Meaning.PREPARED)
        return sign_pdf(pdf, key, password, field_name=meaning.value, meaning=meaning.label,
                        signer_name=user.full_name, stamp_box=field.box if field else None,
                        page=field.page if field else -1, certify=True,
                        long_term=long_term_settings(self._store), unlocked=unlocked)

    def cancel(self, user: User, password: str, record_id: str, reason: str) -> CaseState:
        """The case will not go ahead: sign the checklist as it stands with the meaning “Not ready — procedure
        cancelled” and its reason (password again, frozen and signed like any record, never printed as ready)."""
        from ..export.pdf_document import RecordDocument

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
        refuse_if_revoked(self._store, user.username, identity[1])
        # The reason is frozen with the record, so the signature covers why the case did not go ahead.
        canonical = canonical_json(row.record, cancellation={"reason": reason.strip()})
        digest = content_sha256(canonical)
        block = self._block(user, Meaning.CANCELLED, now, reason.strip())
        doc = RecordDocument(record_id=row.id, status=Status.CANCELLED.value, form=fresh.form, record=row.record,
                             readiness=fresh.readiness, content_sha256=digest, signatures=(block,),
                             generated_by=user.full_name, generated_at=now, supersedes_id=row.supersedes_id,
                             amendment_reason=row.amendment_reason)
        pdf = self._sealed_pdf(doc, canonical, Meaning.CANCELLED, user, identity[0], password, None, now)
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
            raise SigningRefused(NO_KEY)
        refuse_if_revoked(self._store, user.username, identity[1])
        stored = self._store.records.latest_pdf(record_id)
        if stored is None:
            raise SigningRefused("This checklist has no signed PDF to co-sign.")
        now = self._cases.now()
        pdf = sign_pdf(stored.pdf, identity[0], password, field_name=Meaning.REVIEWED.value,
                       meaning=Meaning.REVIEWED.label, signer_name=user.full_name,
                       long_term=long_term_settings(self._store))
        signature = SignatureRow(meaning=Meaning.REVIEWED.value, username=user.username, full_name=user.full_name,
                                 role=Role.CHARGE_NURSE.label, signed_at=now,
                                 manifestation=self.manifestation(user, Meaning.REVIEWED, None, now))
        reviewed = self._store.records.add_signature(record_id, signature, pdf, expected_version=row.version)
        if self.after_signing is not None:
            self.after_signing(record_id, True)
        return self._cases.state(reviewed)

    # -- documents --------------------------------------------------------------------------------------------

    def _draft_document(self, row: RecordRow, user: User) -> RecordDocument:
        from ..export.pdf_document import RecordDocument

        case = self._cases.state(row)
        return RecordDocument(record_id=row.id, status=row.status, form=case.form, record=row.record,
                              readiness=case.readiness, content_sha256=None, signatures=(),
                              generated_by=user.full_name, generated_at=self._cases.now(),
                              supersedes_id=row.supersedes_id, amendment_reason=row.amendment_reason,
                              form_note=case.form_note)

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
        self._store.audit.append(user.username, Actions.RECORD_EXPORTED, record_id,
                                 {"format": "pdf", "signed": stored is not None})
        return data

    def verify_pdf_bytes(self, pdf: bytes) -> VerificationReport:
        from ..domain import limits
        from ..export.errors import VerificationError
        from ..export.verification import verify_pdf

        if len(pdf) > limits.PDF_VERIFY_BYTES:
            raise VerificationError(f"The file is larger than {limits.PDF_VERIFY_BYTES // limits.MIB} MiB; "
                                    "no signed record is that large.")
        return verify_pdf(pdf, trust_roots(self._store), tsa_roots_pem=tsa_roots(),
                          site_crls_der=site_crls(self._store))

    def refuse_if_tampered(self, actor: str, record_id: str, fmt: str) -> None:
        """Every way a signed record leaves the app (PDF, record JSON, FHIR, HL7) passes check() first: a record
        that fails is refused with its first mismatch (TamperedRecord) and the refusal audited."""
        row = self._store.records.get(record_id)
        if row.status == Status.DRAFT.value and self._store.records.latest_pdf(record_id) is None:
            return  # a draft leaves as a DRAFT rendering or its answers; never a signed record's bytes
        result = self.check(record_id)
        if not result.ok:
            self._store.audit.append(actor, Actions.RECORD_EXPORT_REFUSED, record_id,
                                     {"format": fmt, "problem": result.problem})
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
                return RecordVerification(None, f"The record is marked {row.status} but has no signed PDF: "
                                                f"{integrity.ALTERED}.")
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
        problem = (integrity.binding_problem(self._store, row, binding)
                   or integrity.signers_problem(self._store, row, report)
                   or integrity.status_problem(self._store, row, report))
        return RecordVerification(report, problem)

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
