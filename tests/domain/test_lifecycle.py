"""The record lifecycle: who may do which action to which record, and the exact sentence when not."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, get_args

import pytest

from checklist_app.domain.lifecycle import (
    Action,
    AuditAction,
    Facts,
    Meaning,
    MeaningName,
    Role,
    Status,
    StatusName,
    why_not,
)
from checklist_app.domain.readiness import Finding, Readiness
from tests.helpers.forms import SCHEDULED

NURSE = frozenset({Role.NURSE})
CHARGE = frozenset({Role.CHARGE_NURSE})
COORDINATOR = frozenset({Role.COORDINATOR})
ADMIN = frozenset({Role.ADMIN})
BOTH = frozenset({Role.NURSE, Role.CHARGE_NURSE})


def _verdict(state: str, **fields: Any) -> Readiness:
    """A readiness verdict; the lifecycle rules read only its state and findings."""
    return Readiness(state=state, procedure_time=SCHEDULED, age=60, risk_class="intermediate", **fields)


READY = _verdict("ready")
DRAFT = Facts(status=Status.DRAFT, prepared_by="zoe", answered_by=frozenset({"zoe"}), readiness=READY)
AMENDMENT = Facts(status=Status.DRAFT, is_amendment=True, prepared_by="sofia", readiness=READY)
SIGNED = Facts(status=Status.SIGNED, prepared_by="zoe", signed_by=frozenset({"zoe"}), answered_by=frozenset({"zoe"}))
REVIEWED = Facts(status=Status.REVIEWED, prepared_by="zoe", signed_by=frozenset({"zoe", "sofia"}))
AMENDED = Facts(status=Status.AMENDED, is_latest=False, prepared_by="zoe")


def _ready(**changes: Any) -> Facts:
    return replace(Facts(status=Status.DRAFT, prepared_by="zoe", readiness=READY), **changes)


HOLD = Finding(item="anticoagulants", reason="held too short", override_allowed=True)
GLP1 = Finding(item="glp1.gi_symptoms", reason="nausea today", override_allowed=True, authoriser="sedation provider")
HARD = Finding(item="consent.signed", reason="not met", hard_stop=True)

TEMPORARY = "Your password was set by an administrator: choose your own (log in again) before signing."
REPLACED = (
    "This version of the checklist was replaced by an amendment and cannot be changed. Open the latest version instead."
)

CASES = [
    # Starting and answering: nurses and charge nurses work on cases; a coordinator or admin does not.
    (Action.START, NURSE, None, None),
    (Action.START, CHARGE, None, None),
    (Action.START, COORDINATOR, None, "Only a nurse can start a checklist."),
    (Action.ANSWER, NURSE, DRAFT, None),
    (Action.ANSWER, CHARGE, DRAFT, None),
    (Action.ANSWER, COORDINATOR, DRAFT, "Only a nurse can answer checklist items."),
    (Action.ANSWER, ADMIN, None, "Only a nurse can answer checklist items."),
    (
        Action.ANSWER,
        NURSE,
        SIGNED,
        "This checklist is signed and cannot be changed. "
        "Start an amendment to correct it; the signed version stays as it was.",
    ),
    (
        Action.ANSWER,
        NURSE,
        REVIEWED,
        "This checklist is reviewed and cannot be changed. "
        "Start an amendment to correct it; the signed version stays as it was.",
    ),
    (Action.ANSWER, NURSE, AMENDED, REPLACED),
    # Signing ("Prepared by"; "Amended by" for an amendment).
    (Action.SIGN, NURSE, DRAFT, None),
    (Action.SIGN, CHARGE, DRAFT, "Only a nurse can sign as “Prepared by”."),
    (Action.SIGN, COORDINATOR, DRAFT, "Only a nurse can sign as “Prepared by”."),
    (Action.SIGN, ADMIN, None, "Only a nurse can sign as “Prepared by”."),
    (Action.SIGN, CHARGE, AMENDMENT, None),
    (Action.SIGN, COORDINATOR, AMENDMENT, "Only a nurse or charge nurse can sign as “Amended by”."),
    (Action.SIGN, NURSE, _ready(temporary_password=True), TEMPORARY),
    (Action.SIGN, NURSE, SIGNED, "This checklist is already signed."),
    (
        Action.SIGN,
        NURSE,
        _ready(readiness=_verdict("incomplete", missing=("a", "b", "c", "d", "e"))),
        "Not complete: 5 required item(s) unanswered (a, b, c and 2 more).",
    ),
    (
        Action.SIGN,
        NURSE,
        _ready(readiness=_verdict("not_ready", blockers=(HOLD, HARD))),
        "NOT READY: consent.signed cannot be overridden; resolve it before signing.",
    ),
    (
        Action.SIGN,
        NURSE,
        _ready(readiness=_verdict("not_ready", blockers=(HOLD,))),
        "NOT READY: signing needs a documented override reason for every blocker.",
    ),
    (
        Action.SIGN,
        NURSE,
        _ready(readiness=_verdict("not_ready", blockers=(HOLD,)), override_reason="  "),
        "NOT READY: signing needs a documented override reason for every blocker.",
    ),
    # Rules v2: the reason alone is not enough; the clinician who authorised the override is named too.
    (
        Action.SIGN,
        NURSE,
        _ready(
            readiness=_verdict("not_ready", blockers=(HOLD,)),
            override_reason="apixaban bridged, cleared by haematology",
        ),
        "NOT READY: an override needs the name of the proceduralist who authorised it.",
    ),
    (
        Action.SIGN,
        NURSE,
        _ready(
            readiness=_verdict("not_ready", blockers=(HOLD,)),
            override_reason="apixaban bridged, cleared by haematology",
            override_authorised_by=" ",
        ),
        "NOT READY: an override needs the name of the proceduralist who authorised it.",
    ),
    (
        Action.SIGN,
        NURSE,
        _ready(readiness=_verdict("not_ready", blockers=(GLP1,)), override_reason="accepted"),
        "NOT READY: an override needs the name of the sedation provider who authorised it.",
    ),
    (
        Action.SIGN,
        NURSE,
        _ready(
            readiness=_verdict("not_ready", blockers=(HOLD,)),
            override_reason="apixaban bridged, cleared by haematology",
            override_authorised_by="Dr. Rivera",
        ),
        None,
    ),
    (
        Action.SIGN,
        NURSE,
        _ready(has_signing_key=False),
        "You have no signing key: a new account gets one when you choose your own password; after a password "
        "reset a charge nurse or a second administrator issues one with you.",
    ),
    # Co-signing ("Reviewed by"): a charge nurse, not the preparer, not someone who answered.
    (Action.CO_SIGN, CHARGE, SIGNED, None),
    (Action.CO_SIGN, NURSE, SIGNED, "Only a charge nurse can sign as “Reviewed by”."),
    (Action.CO_SIGN, COORDINATOR, SIGNED, "Only a charge nurse can sign as “Reviewed by”."),
    (Action.CO_SIGN, CHARGE, Facts(status=Status.SIGNED, temporary_password=True), TEMPORARY),
    (Action.CO_SIGN, CHARGE, DRAFT, "Only a signed checklist can be co-signed."),
    (Action.CO_SIGN, CHARGE, REVIEWED, "This checklist is reviewed; it cannot be co-signed again."),
    (Action.CO_SIGN, CHARGE, AMENDED, "This checklist is amended; it cannot be co-signed again."),
    (
        Action.CO_SIGN,
        CHARGE,
        Facts(status=Status.SIGNED, prepared_by="sofia"),
        "The reviewer must be a different person from the nurse who prepared the checklist.",
    ),
    (
        Action.CO_SIGN,
        CHARGE,
        Facts(status=Status.SIGNED, prepared_by="zoe", signed_by=frozenset({"sofia"})),
        "The reviewer must be a different person from the nurse who prepared the checklist.",
    ),
    (
        Action.CO_SIGN,
        CHARGE,
        Facts(status=Status.SIGNED, prepared_by="zoe", answered_by=frozenset({"sofia"})),
        "You entered answers in this checklist, so another charge nurse must review it.",
    ),
    # Amending: a charge nurse, a signed record, the latest version only.
    (Action.AMEND, CHARGE, SIGNED, None),
    (Action.AMEND, CHARGE, REVIEWED, None),
    (Action.AMEND, NURSE, SIGNED, "Only a charge nurse can start an amendment."),
    (Action.AMEND, COORDINATOR, None, "Only a charge nurse can start an amendment."),
    (Action.AMEND, CHARGE, DRAFT, "A draft is changed directly, not amended."),
    (Action.AMEND, CHARGE, AMENDED, "Only the latest version can be amended: a newer version replaces this one."),
    (
        Action.AMEND,
        CHARGE,
        Facts(status=Status.SIGNED, is_latest=False),
        "Only the latest version can be amended: a newer version replaces this one.",
    ),
    # Printing: the coordinator, a signed record.
    (Action.PRINT, COORDINATOR, SIGNED, None),
    (Action.PRINT, COORDINATOR, REVIEWED, None),
    (Action.PRINT, NURSE, SIGNED, "Only a coordinator marks records as printed."),
    (Action.PRINT, COORDINATOR, DRAFT, "Only a signed checklist can be printed."),
    # Cancelling and rescheduling: a draft in its latest version, by a nurse or charge nurse.
    (Action.CANCEL, NURSE, DRAFT, None),
    (Action.CANCEL, CHARGE, DRAFT, None),
    (Action.CANCEL, COORDINATOR, DRAFT, "Only a nurse or charge nurse can cancel a checklist."),
    (Action.CANCEL, NURSE, SIGNED, "This checklist is signed; only a draft can be cancelled."),
    (Action.CANCEL, NURSE, Facts(status=Status.DRAFT, is_latest=False), "Only the latest version can be cancelled."),
    (
        Action.CANCEL,
        NURSE,
        Facts(status=Status.CANCELLED),
        "This checklist is cancelled; only a draft can be cancelled.",
    ),
    (
        Action.PRINT,
        COORDINATOR,
        Facts(status=Status.CANCELLED),
        "This procedure was cancelled: its checklist is not printed as a record.",
    ),
    (Action.RESCHEDULE, BOTH, DRAFT, None),
    (Action.RESCHEDULE, ADMIN, DRAFT, "Only a nurse or charge nurse can reschedule a checklist."),
    (Action.RESCHEDULE, CHARGE, REVIEWED, "This checklist is reviewed; only a draft can be rescheduled."),
    (Action.RESCHEDULE, NURSE, AMENDED, "Only the latest version can be rescheduled."),
]


@pytest.mark.parametrize(("action", "roles", "facts", "expected"), CASES)
def test_who_may_do_what(action: Action, roles: frozenset[Role], facts: Facts | None, expected: str | None) -> None:
    """Each rule answers allowed (None) or refuses with the one sentence every screen shows."""
    # The user is zoe (a nurse) unless the roles are a charge nurse's alone: then sofia.
    user_id = "sofia" if Role.CHARGE_NURSE in roles and Role.NURSE not in roles else "zoe"
    assert why_not(action, roles=roles, user_id=user_id, facts=facts) == expected


def test_every_action_has_a_rule() -> None:
    """No action falls through: a user without any role is refused every one of them."""
    for action in Action:
        assert why_not(action, roles=(), user_id="nobody", facts=DRAFT)


def test_a_plain_status_text_is_judged_like_the_enum() -> None:
    """Rows from the store carry the status as stored text; the rules judge it the same."""
    assert why_not(Action.CO_SIGN, roles=CHARGE, user_id="sofia", facts=Facts(status="signed")) is None
    assert why_not(Action.AMEND, roles=CHARGE, user_id="sofia", facts=Facts(status="draft")) == (
        "A draft is changed directly, not amended."
    )


def test_the_names_are_the_stored_strings() -> None:
    """Values are stored, printed and hashed: they are today's strings, and the text types agree with the enums."""
    assert [s.value for s in Status] == ["draft", "signed", "reviewed", "amended", "cancelled"]
    assert [m.value for m in Meaning] == ["prepared", "reviewed", "amended", "cancelled"]
    assert get_args(StatusName) == tuple(s.value for s in Status)
    assert get_args(MeaningName) == tuple(m.value for m in Meaning)
    assert [m.label for m in Meaning] == ["Prepared by", "Reviewed by", "Amended by", "Not ready — procedure cancelled"]
    assert [r.label for r in Role] == ["Nurse", "Coordinator", "Charge nurse", "Administrator"]


def test_audit_actions_keep_their_hashed_text() -> None:
    """The audit chain hashes these strings: a renamed value would break every stored chain."""
    assert {a.name: a.value for a in AuditAction} == {
        "RECORD_CREATED": "record.created",
        "ANSWER_SET": "answer.set",
        "ANSWER_CLEARED": "answer.cleared",
        "RECORD_SIGNED": "record.signed",
        "RECORD_SIGN_REFUSED": "record.sign_refused",
        "RECORD_COSIGNED": "record.cosigned",
        "RECORD_COSIGN_REFUSED": "record.cosign_refused",
        "RECORD_AMENDED": "record.amended",
        "RECORD_PRINTED": "record.printed",
        "RECORD_PRINT_CONFIRMED": "record.print_confirmed",
        "RECORD_RESCHEDULED": "record.rescheduled",
        "RECORD_CANCELLED": "record.cancelled",
        "RECORD_VIEWED": "record.viewed",
        "RECORD_EXPORTED": "record.exported",
        "RECORDS_BULK_INSERTED": "records.bulk_inserted",
        "LOGIN_SUCCEEDED": "login.succeeded",
        "LOGIN_FAILED": "login.failed",
        "LOGOUT": "logout",
        "SESSION_LOCKED": "session.locked",
        "USER_CREATED": "user.created",
        "USER_CHANGED": "user.changed",
        "SITE_AUTHORITY_CREATED": "site_authority.created",
        "USER_KEY_REVOKED": "user.key_revoked",
        "SITE_CRL_ISSUED": "site.crl_issued",
        "RECORD_SENT_TO_EHR": "record.sent_to_ehr",
        "RECORD_REFUSED_BY_EHR": "record.refused_by_ehr",
        "RECORD_SEND_FAILED": "record.send_failed",
        "RECORD_EXPORT_REFUSED": "record.export_refused",
        "AUDIT_CHECKPOINT": "audit.checkpoint",
    }
