"""The record lifecycle: statuses, signature meanings, roles, actions, and who may do what to which record."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Literal, TypeAlias

if TYPE_CHECKING:  # only a type here: the CLI imports this module and must start fast
    from .readiness import Readiness


class Status(StrEnum):
    """Where a record stands; the values are stored in the database and printed in the CLI's JSON."""

    DRAFT = "draft"
    SIGNED = "signed"
    REVIEWED = "reviewed"
    AMENDED = "amended"
    CANCELLED = "cancelled"  # the case did not go ahead: signed "Not ready — procedure cancelled", never ready


# The same names as plain-text types, for rows that carry the stored text (never an enum object: a database
# driver may bind an enum by its member name). tests/domain/test_lifecycle.py keeps them equal to the enums.
StatusName: TypeAlias = Literal["draft", "signed", "reviewed", "amended", "cancelled"]
MeaningName: TypeAlias = Literal["prepared", "reviewed", "amended", "cancelled"]


class Meaning(StrEnum):
    """What a signature means; the words printed on the record."""

    PREPARED = "prepared"
    REVIEWED = "reviewed"
    AMENDED = "amended"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return {
            Meaning.PREPARED: "Prepared by",
            Meaning.REVIEWED: "Reviewed by",
            Meaning.AMENDED: "Amended by",
            Meaning.CANCELLED: CANCELLED_LABEL,
        }[self]


# The words a cancelled checklist is signed with (design.md, "Cases that do not go ahead").
CANCELLED_LABEL = "Not ready — procedure cancelled"


class Role(StrEnum):
    NURSE = "nurse"
    COORDINATOR = "coordinator"
    CHARGE_NURSE = "charge_nurse"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return {
            Role.NURSE: "Nurse",
            Role.COORDINATOR: "Coordinator",
            Role.CHARGE_NURSE: "Charge nurse",
            Role.ADMIN: "Administrator",
        }[self]


class Action(StrEnum):
    """What a person may try to do to a record."""

    START = "start"  # start a new checklist (no record yet)
    ANSWER = "answer"
    SIGN = "sign"  # the first signature: "Prepared by", or "Amended by" for an amendment
    CO_SIGN = "co_sign"  # "Reviewed by"
    AMEND = "amend"
    PRINT = "print"
    CANCEL = "cancel"
    RESCHEDULE = "reschedule"


class AuditAction(StrEnum):
    """Every action name written to the audit log. The values are hashed into the chain: never change one."""

    RECORD_CREATED = "record.created"
    ANSWER_SET = "answer.set"
    ANSWER_CLEARED = "answer.cleared"
    RECORD_SIGNED = "record.signed"
    RECORD_SIGN_REFUSED = "record.sign_refused"
    RECORD_COSIGNED = "record.cosigned"
    RECORD_COSIGN_REFUSED = "record.cosign_refused"
    RECORD_AMENDED = "record.amended"
    RECORD_PRINTED = "record.printed"  # sent to the printer (older entries: "marked printed")
    RECORD_PRINT_CONFIRMED = "record.print_confirmed"  # what came out: the printer's job state or the coordinator
    RECORD_RESCHEDULED = "record.rescheduled"
    RECORD_CANCELLED = "record.cancelled"
    RECORD_VIEWED = "record.viewed"  # appended by services when a person opens a record
    RECORD_EXPORTED = "record.exported"  # appended by services on PDF/JSON export
    RECORDS_BULK_INSERTED = "records.bulk_inserted"
    LOGIN_SUCCEEDED = "login.succeeded"
    LOGIN_FAILED = "login.failed"
    LOGOUT = "logout"
    SESSION_LOCKED = "session.locked"
    USER_CREATED = "user.created"
    USER_CHANGED = "user.changed"
    SITE_AUTHORITY_CREATED = "site_authority.created"
    # The record out (issue 14): revocation, and messages to the EHR.
    USER_KEY_REVOKED = "user.key_revoked"
    SITE_CRL_ISSUED = "site.crl_issued"
    RECORD_SENT_TO_EHR = "record.sent_to_ehr"
    RECORD_REFUSED_BY_EHR = "record.refused_by_ehr"
    RECORD_SEND_FAILED = "record.send_failed"
    RECORD_EXPORT_REFUSED = "record.export_refused"  # a signed record failed its check and was not handed out
    AUDIT_CHECKPOINT = "audit.checkpoint"  # the chain head was written to a checkpoint file


# Who works on cases: starts them, answers, signs, and (later) cancels or reschedules them.
EDITORS = frozenset({Role.NURSE, Role.CHARGE_NURSE})
# Who may sign with which meaning; an amendment is completed by a nurse or the charge nurse who started it.
SIGNERS: dict[Meaning, tuple[Role, ...]] = {
    Meaning.PREPARED: (Role.NURSE,),
    Meaning.REVIEWED: (Role.CHARGE_NURSE,),
    Meaning.AMENDED: (Role.NURSE, Role.CHARGE_NURSE),
    Meaning.CANCELLED: (Role.NURSE, Role.CHARGE_NURSE),
}
# The roles each action needs (any one of them), and the sentence when the user holds none.
_NEEDS: dict[Action, tuple[frozenset[Role], str]] = {
    Action.START: (EDITORS, "Only a nurse can start a checklist."),
    Action.ANSWER: (EDITORS, "Only a nurse can answer checklist items."),
    Action.AMEND: (frozenset({Role.CHARGE_NURSE}), "Only a charge nurse can start an amendment."),
    Action.PRINT: (frozenset({Role.COORDINATOR}), "Only a coordinator marks records as printed."),
    Action.CANCEL: (EDITORS, "Only a nurse or charge nurse can cancel a checklist."),
    Action.RESCHEDULE: (EDITORS, "Only a nurse or charge nurse can reschedule a checklist."),
}


@dataclass(frozen=True, slots=True)
class Facts:
    """What the rules need to know about one record (and the signer's credentials, for signing)."""

    status: Status | str
    is_latest: bool = True  # no newer version replaces it
    is_amendment: bool = False  # a draft that supersedes a signed record: its first signature means "amended"
    prepared_by: str | None = None  # the nurse the record names
    signed_by: frozenset[str] = frozenset()  # user ids of every signature so far
    answered_by: frozenset[str] = frozenset()  # user ids who entered an answer
    readiness: Readiness | None = None  # needed to judge signing
    override_reason: str = ""  # the documented reason offered for signing NOT READY
    override_authorised_by: str = ""  # ... and the clinician who authorised it (Rules v2)
    temporary_password: bool = False  # set by an administrator: no signing until the user picks their own
    has_signing_key: bool = True
    item_texts: Mapping[str, str] | None = None  # the form's words for item ids, so refusals name items as read


def override_authorisers(readiness: Readiness) -> str:
    """Who must authorise an override of these blockers, in words: 'proceduralist or sedation provider'."""
    roles = list(dict.fromkeys(b.authoriser for b in readiness.blockers if b.override_allowed and b.authoriser))
    return " or ".join(roles) or "proceduralist"


def first_meaning(facts: Facts | None) -> Meaning:
    """A draft that supersedes a signed record is signed as an amendment."""
    return Meaning.AMENDED if facts is not None and facts.is_amendment else Meaning.PREPARED


def _names(ids: list[str], limit: int = 3) -> str:
    shown = ", ".join(ids[:limit])
    return shown + (f" and {len(ids) - limit} more" if len(ids) > limit else "")


def why_not(action: Action, *, roles: Collection[Role], user_id: str, facts: Facts | None) -> str | None:
    """None when the user may do the action to the record; otherwise why not, in words for a person.

    With `facts` None only the roles are judged (the store judges the record when it writes)."""
    held = frozenset(roles)
    if action is Action.SIGN:
        return _why_not_sign(held, facts)
    if action is Action.CO_SIGN:
        return _why_not_co_sign(held, user_id, facts)
    needed, refusal = _NEEDS[action]
    if not held & needed:
        return refusal
    if facts is None:
        return None
    status = facts.status
    if action is Action.ANSWER:
        if status == Status.AMENDED or not facts.is_latest:
            return (
                "This version of the checklist was replaced by an amendment and cannot be changed. "
                "Open the latest version instead."
            )
        if status != Status.DRAFT:
            return (
                f"This checklist is {status} and cannot be changed. "
                "Start an amendment to correct it; the signed version stays as it was."
            )
        return None
    if action is Action.AMEND:
        if status == Status.DRAFT:
            return "A draft is changed directly, not amended."
        if status == Status.AMENDED or not facts.is_latest:
            return "Only the latest version can be amended: a newer version replaces this one."
        return None
    if action is Action.PRINT:
        if status == Status.CANCELLED:
            return "This procedure was cancelled: its checklist is not printed as a record."
        return "Only a signed checklist can be printed." if status == Status.DRAFT else None
    # Cancel and reschedule: a case that has not gone ahead yet, in its latest version.
    verb = "cancelled" if action is Action.CANCEL else "rescheduled"
    if not facts.is_latest:
        return f"Only the latest version can be {verb}."
    if status != Status.DRAFT:
        return f"This checklist is {status}; only a draft can be {verb}."
    if action is Action.CANCEL and facts.temporary_password:
        return _TEMPORARY
    if action is Action.CANCEL and not facts.has_signing_key:
        return "You have no signing key yet: change your password to get one."
    return None


def _role_for(meaning: Meaning, roles: frozenset[Role]) -> str | None:
    if any(r in roles for r in SIGNERS[meaning]):
        return None
    names = " or ".join(r.label.lower() for r in SIGNERS[meaning])
    return f"Only a {names} can sign as “{meaning.label}”."


# After a reset nobody's password alone issues a key: a second person is present (`users reissue-key`).
NO_KEY = (
    "You have no signing key: a new account gets one when you choose your own password; after a password "
    "reset a charge nurse or a second administrator issues one with you."
)
_TEMPORARY = "Your password was set by an administrator: choose your own (log in again) before signing."


def _why_not_sign(roles: frozenset[Role], facts: Facts | None) -> str | None:
    meaning = first_meaning(facts)
    refused = _role_for(meaning, roles)
    if refused or facts is None:
        return refused
    if facts.temporary_password:
        return _TEMPORARY
    if facts.status != Status.DRAFT:
        return f"This checklist is already {facts.status}."
    readiness = facts.readiness
    if readiness is not None:
        # Missing answers are never overridable, whatever the blockers allow.
        words = facts.item_texts or {}
        if readiness.missing:
            missing = [words.get(i, i) for i in readiness.missing]
            return f"Not complete: {len(missing)} required item(s) unanswered ({_names(missing)})."
        if readiness.state == "not_ready":
            hard = [words.get(b.item, b.item) for b in readiness.blockers if not b.override_allowed]
            if hard:
                return f"NOT READY: {_names(hard)} cannot be overridden; resolve it before signing."
            if not facts.override_reason.strip():
                return "NOT READY: signing needs a documented override reason for every blocker."
            if not facts.override_authorised_by.strip():
                return (
                    f"NOT READY: an override needs the name of the {override_authorisers(readiness)} who authorised it."
                )
    if not facts.has_signing_key:
        return NO_KEY
    return None


def _why_not_co_sign(roles: frozenset[Role], user_id: str, facts: Facts | None) -> str | None:
    refused = _role_for(Meaning.REVIEWED, roles)
    if refused or facts is None:
        return refused
    if facts.temporary_password:
        return _TEMPORARY
    if facts.status != Status.SIGNED:
        return (
            "Only a signed checklist can be co-signed."
            if facts.status == Status.DRAFT
            else f"This checklist is {facts.status}; it cannot be co-signed again."
        )
    if user_id == facts.prepared_by or user_id in facts.signed_by:
        return "The reviewer must be a different person from the nurse who prepared the checklist."
    if user_id in facts.answered_by:
        # A review checks someone else's work: whoever entered answers cannot be its reviewer.
        return "You entered answers in this checklist, so another charge nurse must review it."
    return None
