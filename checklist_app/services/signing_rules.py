"""Who may sign what, when, and the words they sign: the domain's lifecycle rules judged on what the store holds."""

from __future__ import annotations

from datetime import datetime

from ..domain import lifecycle
from ..domain.lifecycle import SIGNERS, Action, Facts, Status
from ..store import Store
from .auth import AuthService
from .cases import CaseService
from .models import CaseState, CaseSummary, Meaning, Role, User

ATTESTATION = (
    "By entering my password I confirm that I checked every answer recorded in this checklist, and I "
    "intend this electronic signature to be the legally binding equivalent of my handwritten signature."
)
ALLOWED = SIGNERS  # who may sign with which meaning (the domain's rule)


def signing_role(user: User, meaning: Meaning) -> Role | None:
    """The role the user signs in for this meaning, or None when no role of theirs allows it."""
    return next((r for r in ALLOWED[meaning] if user.has(r)), None)


def first_meaning(case: CaseState | CaseSummary) -> Meaning:
    """A draft that supersedes a signed record is signed as an amendment."""
    return Meaning.AMENDED if case.supersedes_id else Meaning.PREPARED


class SigningRules:
    """The rules part of DocumentService (its base), which holds the store, accounts and cases."""

    _store: Store
    _auth: AuthService
    _cases: CaseService

    def why_not(
        self,
        user: User,
        case: CaseState | CaseSummary,
        action: Action,
        *,
        override_reason: str | None = None,
        authorised_by: str | None = None,
    ) -> str | None:
        """None when the user may do the action to this record now; otherwise the reason, in the words every
        screen and refusal uses (the domain's lifecycle rules, judged on what the store holds)."""
        facts = self.facts(user, case, action, override_reason, authorised_by)
        return lifecycle.why_not(action, roles=user.roles, user_id=user.username, facts=facts)

    def facts(
        self,
        user: User,
        case: CaseState | CaseSummary,
        action: Action,
        override_reason: str | None = None,
        authorised_by: str | None = None,
    ) -> Facts:
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
        meaning = {Action.CO_SIGN: Meaning.REVIEWED, Action.CANCEL: Meaning.CANCELLED}.get(action, first_meaning(case))
        signs = action in (Action.SIGN, Action.CO_SIGN, Action.CANCEL) and signing_role(user, meaning) is not None
        first = action in (Action.SIGN, Action.CANCEL)
        return Facts(
            status=case.status,
            is_latest=case.status != Status.AMENDED,
            is_amendment=bool(case.supersedes_id),
            prepared_by=case.nurse,
            signed_by=signed_by,
            answered_by=answered_by,
            readiness=readiness,
            override_reason=override_reason or "",
            override_authorised_by=authorised_by or "",
            temporary_password=signs and self._auth.get(user.username).must_change_password,
            has_signing_key=not (signs and first) or self._auth.identity(user) is not None,
            item_texts=item_texts,
        )

    def why_not_signable(
        self,
        user: User,
        case: CaseState,
        meaning: Meaning = Meaning.PREPARED,
        override_reason: str | None = None,
        authorised_by: str | None = None,
    ) -> str | None:
        """None when the user may sign now with this meaning (co-sign for “Reviewed by”); otherwise why not."""
        action = Action.CO_SIGN if meaning is Meaning.REVIEWED else Action.SIGN
        return self.why_not(user, case, action, override_reason=override_reason, authorised_by=authorised_by)

    def manifestation(
        self,
        user: User,
        meaning: Meaning,
        override_reason: str | None = None,
        at: datetime | None = None,
        authorised_by: str | None = None,
    ) -> str:
        """The words shown before signing and printed with the signature (21 CFR 11.50)."""
        when = (at or self._cases.now()).strftime("%Y-%m-%d %H:%M %z")
        role = signing_role(user, meaning) or ALLOWED[meaning][0]
        text = f"{meaning.label}: {user.full_name} (user {user.username}), {role.label}, at {when}. {ATTESTATION}"
        if override_reason:
            text += f" Signed NOT READY with this documented override: {override_reason.strip()}"
            authoriser = (authorised_by or "").strip()
            if authoriser:
                text += f" Authorised by: {authoriser}."
        return text
