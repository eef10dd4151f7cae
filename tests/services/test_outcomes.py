"""Cases that do not go ahead and what paper exists, at the services: who may reschedule or cancel, what a
cancelled record holds, that it is never printed, and that a co-signature after printing asks for new paper."""

from __future__ import annotations

from datetime import timedelta

import pytest

from checklist_app.domain.errors import RecordError
from checklist_app.services.errors import LoginError, PermissionRefused, SigningRefused
from checklist_app.store import Actions, RecordStateError
from tests.helpers.world import World


def test_only_case_workers_reschedule_and_the_case_is_judged_again(world: World) -> None:
    case = world.new_case()
    later = case.record.procedure.scheduled_at + timedelta(days=1)
    with pytest.raises(PermissionRefused):
        world.svc.cases.reschedule(world.user("coordinator"), case.record_id, later, "moved")
    with pytest.raises(RecordError, match="reason"):
        world.svc.cases.reschedule(world.user("nurse"), case.record_id, later, "  ")
    moved = world.svc.cases.reschedule(world.user("nurse"), case.record_id, later, "theatre list overran")
    assert moved.record.procedure.scheduled_at == later and moved.version == case.version + 1
    assert world.svc.store.records.get(case.record_id).readiness_state == moved.readiness.state


def test_a_signed_record_is_neither_rescheduled_nor_cancelled(world: World) -> None:
    signed = world.signed_case()
    later = signed.record.procedure.scheduled_at + timedelta(days=1)
    with pytest.raises(PermissionRefused, match="only a draft can be rescheduled"):
        world.svc.cases.reschedule(world.user("nurse"), signed.record_id, later, "moved")
    with pytest.raises(SigningRefused, match="only a draft can be cancelled"):
        world.svc.documents.cancel(world.user("nurse"), world.password("nurse"), signed.record_id, "no")


def test_cancel_needs_the_password_and_is_never_printed(world: World) -> None:
    case = world.new_case()
    with pytest.raises(LoginError):
        world.svc.documents.cancel(world.user("nurse"), "not-the-password", case.record_id, "unwell")
    assert world.svc.store.records.get(case.record_id).status == "draft"
    cancelled = world.svc.documents.cancel(world.user("nurse"), world.password("nurse"), case.record_id, "unwell")
    assert cancelled.status == "cancelled" and cancelled.content_sha256
    ok, lines = world.svc.documents.verify(case.record_id)
    assert ok, lines
    assert case.record_id not in [r.record_id for r in world.svc.cases.print_queue()]
    with pytest.raises(RecordStateError):
        world.svc.documents.mark_printed(world.user("coordinator"), [case.record_id])


def test_a_co_signature_after_printing_puts_the_record_back_in_the_queue(world: World) -> None:
    """The paper printed before the review has an empty reviewer box: it needs printing again."""
    signed = world.signed_case()
    coordinator = world.user("coordinator")
    world.svc.documents.mark_printed(coordinator, [signed.record_id], printer="ward-printer")
    world.svc.documents.confirm_printed(coordinator, [signed.record_id], True, source="coordinator")
    assert signed.record_id not in [r.record_id for r in world.svc.cases.print_queue()]
    (sent,) = [r for r in world.svc.cases.sent_to_printer() if r.record_id == signed.record_id]
    assert (sent.print_outcome, sent.printed_by) == ("printed", coordinator.username)
    world.svc.documents.co_sign(world.user("charge"), world.password("charge"), signed.record_id)
    assert signed.record_id in [r.record_id for r in world.svc.cases.print_queue()]
    printed = [
        e for e in world.svc.store.audit.entries(record_id=signed.record_id) if e.action == Actions.RECORD_PRINTED
    ]
    assert printed[-1].detail["sent_to"] == "ward-printer"
