"""Cases: answers are durable before answer() returns, bad answers save nothing, no silent overwrite between
workstations, amendments keep the signed version, the print queue, search and the worklist."""

from __future__ import annotations

from datetime import timedelta

import pytest

from checklist_app.domain.errors import RecordError
from checklist_app.services.errors import PermissionRefused, SigningRefused
from checklist_app.services.models import CaseFilter
from checklist_app.store import Actions, ConflictError, ImmutableRecordError, RecordStateError
from tests.helpers.world import PATIENT, World, local_now


def test_new_case_is_a_logged_draft_of_the_nurse(world: World) -> None:
    case = world.new_case()
    assert (case.status, case.version, case.nurse, case.editable) == ("draft", 1, "zoe", True)
    assert case.readiness.state == "incomplete" and "consent.signed" in case.readiness.missing
    entries = world.svc.store.audit.entries(record_id=case.record_id)
    assert [(e.action, e.actor) for e in entries] == [(Actions.RECORD_CREATED, "zoe")]


def test_only_nurses_start_or_answer_a_checklist(world: World) -> None:
    case = world.new_case()
    coordinator = world.user("coordinator")
    with pytest.raises(PermissionRefused):
        world.svc.cases.new_case(coordinator, case.record.patient, case.record.procedure)
    with pytest.raises(PermissionRefused):
        world.svc.cases.answer(coordinator, case, "consent.signed", "met")
    assert world.svc.store.records.get(case.record_id).record.answers == {}


def test_an_answer_is_saved_before_answer_returns(world: World) -> None:
    case = world.new_case()
    case = world.svc.cases.answer(world.user("nurse"), case, "consent.signed", "met", note="signed in clinic")
    assert case.version == 2 and case.record.value("consent.signed") == "met"

    # Another workstation opening the database now sees it: it was committed, not just cached.
    other = world.open_other()
    try:
        row = other.store.records.get(case.record_id)
    finally:
        other.close()
    saved = row.record.answers["consent.signed"]
    assert (saved.value, saved.note, saved.by, row.version) == ("met", "signed in clinic", "zoe", 2)
    assert saved.at is not None and abs(saved.at - local_now()) < timedelta(minutes=5)
    entry = world.svc.store.audit.entries(record_id=case.record_id)[-1]
    assert entry.action == Actions.ANSWER_SET and entry.detail["item"] == "consent.signed"
    assert entry.detail["old"] is None and entry.detail["new"]["value"] == "met"


def test_answers_change_readiness_and_clearing_removes_the_answer(world: World) -> None:
    case = world.ready_case()
    assert case.readiness.state == "ready"
    nurse = world.user("nurse")
    case = world.svc.cases.answer(nurse, case, "consent.signed", None)
    assert case.readiness.state == "incomplete" and case.readiness.missing == ("consent.signed",)
    assert "consent.signed" not in world.svc.store.records.get(case.record_id).record.answers
    assert world.svc.store.audit.entries(record_id=case.record_id)[-1].action == Actions.ANSWER_CLEARED
    case = world.svc.cases.answer(nurse, case, "consent.signed", "not_met")
    assert case.readiness.state == "not_ready" and [b.item for b in case.readiness.blockers] == ["consent.signed"]


@pytest.mark.parametrize(
    ("item_id", "value", "field"),
    [
        ("anticoagulants", "future-dose", "[0].last_dose_at"),
        ("fasting.last_solids_at", "future", ""),
    ],
)
def test_a_future_time_is_refused_and_nothing_is_saved(world: World, item_id: str, value: str, field: str) -> None:
    nurse = world.user("nurse")
    case = world.new_case()
    case = world.svc.cases.answer(nurse, case, "sedation.planned", "yes")
    future = (local_now() + timedelta(hours=1)).isoformat()
    raw = [{"drug": "apixaban", "last_dose_at": future}] if value == "future-dose" else future
    entries_before = world.svc.store.audit.entries(record_id=case.record_id)

    with pytest.raises(RecordError) as caught:
        world.svc.cases.answer(nurse, case, item_id, raw)
    assert "later than now" in str(caught.value)
    # The message names the item as the nurse sees it, and the field inside it.
    assert caught.value.where == case.form.items[item_id].text + field

    other = world.open_other()
    try:
        row = other.store.records.get(case.record_id)
    finally:
        other.close()
    assert row.version == case.version and item_id not in row.record.answers
    assert world.svc.store.audit.entries(record_id=case.record_id) == entries_before


def test_bad_values_and_unknown_items_are_refused_before_saving(world: World) -> None:
    nurse = world.user("nurse")
    case = world.new_case()
    for item_id, value in (
        ("consent.signed", "yes"),
        ("sedation.planned", "maybe"),
        ("no.such.item", "met"),
        ("fasting.last_solids_at", "2026-11-24T08:00:00"),  # no offset
        ("anticoagulants", [{"drug": "not-a-drug", "last_dose_at": "2020-01-01T00:00:00Z"}]),
    ):
        with pytest.raises(RecordError):
            world.svc.cases.answer(nurse, case, item_id, value)
    assert world.svc.store.records.get(case.record_id).version == 1


def test_two_workstations_on_one_draft_the_second_write_is_told(world: World) -> None:
    nurse, nurse2 = world.user("nurse"), world.user("nurse2")
    draft = world.new_case()
    here = world.svc.cases.open_case(nurse, draft.record_id)
    other_svc = world.open_other()
    try:
        there = other_svc.cases.open_case(nurse2, draft.record_id)
        assert here.version == there.version == 1
        world.svc.cases.answer(nurse, here, "consent.signed", "met")
        with pytest.raises(ConflictError) as caught:
            other_svc.cases.answer(nurse2, there, "consent.signed", "not_met")
        assert "another workstation" in str(caught.value) and "zoe" in str(caught.value)
        # The loser reloads and sees the winner's answer; nothing was overwritten.
        reloaded = other_svc.cases.open_case(nurse2, draft.record_id)
        assert reloaded.version == 2 and reloaded.record.value("consent.signed") == "met"
        reloaded = other_svc.cases.answer(nurse2, reloaded, "imaging.reviewed", "met")
        assert reloaded.version == 3
    finally:
        other_svc.close()
    assert world.svc.store.records.get(draft.record_id).record.value("consent.signed") == "met"


def test_open_case_is_logged_as_a_view(world: World) -> None:
    case = world.new_case()
    world.svc.cases.open_case(world.user("charge"), case.record_id)
    last = world.svc.store.audit.entries(record_id=case.record_id)[-1]
    assert (last.action, last.actor) == (Actions.RECORD_VIEWED, "sofia")


@pytest.fixture(scope="module")
def signed_id(world: World) -> str:
    """One signed record shared by the read-only tests below (signing is slow)."""
    return world.signed_case(name="Quinn Printqueue").record_id


def test_a_signed_record_cannot_be_answered(world: World, signed_id: str) -> None:
    nurse = world.user("nurse")
    case = world.svc.cases.open_case(nurse, signed_id)
    assert case.status == "signed" and not case.editable
    with pytest.raises(ImmutableRecordError):
        world.svc.cases.answer(nurse, case, "consent.signed", "not_met")
    assert world.svc.store.records.get(signed_id).record.value("consent.signed") == "met"


def test_print_queue_lists_signed_unprinted_records_and_mark_printed_removes_them(world: World, signed_id: str) -> None:
    draft = world.ready_case(name="Drew Draftonly")
    queue = [s.record_id for s in world.svc.cases.print_queue()]
    assert signed_id in queue and draft.record_id not in queue
    assert all(s.status in ("signed", "reviewed") and s.printed_at is None for s in world.svc.cases.print_queue())

    for not_coordinator in ("nurse", "charge", "admin"):
        with pytest.raises(PermissionRefused):
            world.svc.documents.mark_printed(world.user(not_coordinator), [signed_id])
    assert signed_id in [s.record_id for s in world.svc.cases.print_queue()]

    with pytest.raises(RecordStateError):  # a draft is not a record to print
        world.svc.documents.mark_printed(world.user("coordinator"), [draft.record_id])

    before = world.svc.store.records.get(signed_id)
    world.svc.documents.mark_printed(world.user("coordinator"), [signed_id])
    assert signed_id not in [s.record_id for s in world.svc.cases.print_queue()]
    after = world.svc.store.records.get(signed_id)
    assert after.printed_at is not None and after.printed_by == "jordan"
    assert (after.canonical_json, after.content_sha256, after.record) == (
        before.canonical_json,
        before.content_sha256,
        before.record,
    )
    last = world.svc.store.audit.entries(record_id=signed_id)[-1]
    assert (last.action, last.actor) == (Actions.RECORD_PRINTED, "jordan")
    printed = world.svc.cases.search(CaseFilter(printed=True)).rows
    assert [r.record_id for r in printed] == [signed_id]


def test_amendment_is_a_new_draft_pointing_to_the_unchanged_signed_version(world: World) -> None:
    signed = world.signed_case(name="Amanda Amendcase")
    old_before = world.svc.store.records.get(signed.record_id)
    pdf_before = world.svc.store.records.latest_pdf(signed.record_id)
    assert pdf_before is not None

    with pytest.raises(PermissionRefused):
        world.svc.documents.amend(world.user("nurse"), signed.record_id, "wrong level recorded")
    with pytest.raises(SigningRefused, match="reason"):
        world.svc.documents.amend(world.user("charge"), signed.record_id, "   ")
    with pytest.raises(RecordStateError, match="draft"):
        world.svc.documents.amend(world.user("charge"), world.new_case().record_id, "not signed yet")

    new = world.svc.documents.amend(world.user("charge"), signed.record_id, "wrong level recorded")
    assert new.record_id != signed.record_id and new.supersedes_id == signed.record_id
    assert (new.status, new.version, new.content_sha256, new.signed_at) == ("draft", 1, None, None)
    assert {k: a.value for k, a in new.record.answers.items()} == {
        k: a.value for k, a in old_before.record.answers.items()
    }
    assert new.record.patient == old_before.record.patient

    old_after = world.svc.store.records.get(signed.record_id)
    assert old_after.status == "amended" and old_after.superseded_by_id == new.record_id
    assert (old_after.record, old_after.canonical_json, old_after.content_sha256, old_after.signatures) == (
        old_before.record,
        old_before.canonical_json,
        old_before.content_sha256,
        old_before.signatures,
    )
    assert world.svc.store.records.latest_pdf(signed.record_id) == pdf_before
    ok, _lines = world.svc.documents.verify(signed.record_id)
    assert ok

    # The new version is edited; the old one stays frozen; the amended one is no longer amendable.
    world.svc.cases.answer(world.user("nurse"), new, "imaging.reviewed", "not_met")
    assert world.svc.store.records.get(signed.record_id).record == old_before.record
    with pytest.raises(RecordStateError, match="replaced by an amendment"):
        world.svc.documents.amend(world.user("charge"), signed.record_id, "again")
    actions = [e.action for e in world.svc.store.audit.entries(record_id=signed.record_id)]
    assert Actions.RECORD_AMENDED in actions
    # An amended version leaves the worklist (its replacement is there instead) and the print queue.
    day = signed.record.procedure.scheduled_at.date()
    worklist = [s.record_id for s in world.svc.cases.worklist(world.user("nurse"), day)]
    assert new.record_id in worklist and signed.record_id not in worklist
    assert signed.record_id not in [s.record_id for s in world.svc.cases.print_queue()]


def test_search_finds_names_without_accents_and_by_mrn(world: World) -> None:
    case = world.new_case(name="Żaneta Ñúñez-Søren")
    hits = {r.record_id for r in world.svc.cases.search(CaseFilter(text="nunez zaneta")).rows}
    assert case.record_id in hits
    assert world.svc.cases.search(CaseFilter(text=case.record.patient.mrn)).rows[0].record_id == case.record_id
    assert world.svc.cases.count(CaseFilter(text="nunez zaneta")) == len(hits)
    assert world.svc.cases.search(CaseFilter(text="nobody-by-this-name")).rows == ()
    drafts = world.svc.cases.search(CaseFilter(status="draft"), limit=500).rows
    assert drafts and all(r.status == "draft" for r in drafts)


def test_search_pages_with_a_cursor_without_gaps_or_repeats(world: World) -> None:
    for _ in range(3):
        world.new_case(name="Pat Pagination")
    everyone: list[str] = []
    after = None
    while True:
        page = world.svc.cases.search(CaseFilter(text="pagination"), limit=2, after=after)
        everyone += [r.record_id for r in page.rows]
        after = page.next_cursor
        if after is None:
            break
    assert len(everyone) == len(set(everyone)) == world.svc.cases.count(CaseFilter(text="pagination")) >= 3


def test_worklist_is_the_day_by_scheduled_time(world: World) -> None:
    case = world.new_case(name=PATIENT)
    day = case.record.procedure.scheduled_at.date()
    rows = world.svc.cases.worklist(world.user("nurse"), day)
    assert case.record_id in [r.record_id for r in rows]
    assert [r.scheduled_at for r in rows] == sorted(r.scheduled_at for r in rows)
    assert all(r.scheduled_at.astimezone().date() == day for r in rows)
    assert case.record_id not in [
        r.record_id for r in world.svc.cases.worklist(world.user("nurse"), day + timedelta(days=2))
    ]
