"""A case booked by the schedule, signed like any other: its source and accession are frozen with it and printed."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.exc import IntegrityError

from checklist_app.domain.errors import RecordError
from checklist_app.domain.records import Patient
from checklist_app.domain.schedule import CodeRef, ScheduledCase
from checklist_app.services.schedule import ScheduleService
from tests.helpers.forms import READY_NOTES
from tests.helpers.poppler import pdftotext
from tests.helpers.world import READY, World, local_now

AT = local_now().replace(microsecond=0) + timedelta(hours=3)


def _booking(key: str, mrn: str, *, accession: str = "ACC9001") -> ScheduledCase:
    return ScheduledCase(
        source="mwl",
        key=key,
        issuer="HOSP",
        accession=accession,
        code_field="(0032,1064)",
        patient=Patient(name="Bo Booked", birth_date="1958-07-08", mrn=mrn, sex="male"),
        code=CodeRef(scheme="CPT", code="62323"),
        scheduled_at=AT,
        level="L3-L4",
    )


def _apply(world: World, case: ScheduledCase) -> tuple[str, str | None]:
    service = ScheduleService(world.svc.store, world.svc.cases, zone=ZoneInfo("America/New_York"))
    service.form()
    return world.svc.store.db.write(lambda conn: service.apply_in(conn, case, {"reference": case.key}))


def test_a_booked_case_signs_with_its_accession_on_the_pdf_and_verifies(world: World, tmp_path: Path) -> None:
    outcome, record_id = _apply(world, _booking("ACC9001|RP1|S1", "BK0001"))
    assert outcome == "new" and record_id is not None
    nurse = world.user("nurse")
    case = world.svc.cases.open_case(nurse, record_id)
    assert (case.record.source, case.record.procedure.accession, case.record.procedure.level) == (
        "mwl",
        "ACC9001",
        "L3-L4",
    )
    for item_id, value in READY.items():
        case = world.svc.cases.answer(nurse, case, item_id, value, note=READY_NOTES.get(item_id, ""))
    signed = world.svc.documents.sign(nurse, world.password("nurse"), case)
    assert '"accession":"ACC9001"' in (world.svc.store.records.get(record_id).canonical_json or "")
    ok, lines = world.svc.documents.verify(record_id)
    assert ok, lines
    text = " ".join(pdftotext(world.svc.documents.pdf(nurse, signed.record_id), tmp_path).split())
    assert "Accession ACC9001 · from the DICOM worklist" in text
    # Frozen: neither the feed nor raw SQL changes a signed record's accession.
    with pytest.raises(IntegrityError, match="cannot be changed"):
        world.raw_sql(f"UPDATE case_sources SET accession = 'X' WHERE record_id = '{record_id}'")
    with pytest.raises(Exception, match="already signed"):
        _apply(world, _booking("ACC9001|RP1|S1", "BK0001", accession="ACC9002"))


def test_pulling_the_same_booking_twice_changes_nothing(world: World) -> None:
    first = _apply(world, _booking("ACC9100|RP1|S1", "BK0002", accession="ACC9100"))
    seq = world.audit_seq()
    assert _apply(world, _booking("ACC9100|RP1|S1", "BK0002", accession="ACC9100")) == ("unchanged", first[1])
    assert world.audit_seq() == seq


def test_origins_tell_typed_mwl_and_removed_cases_apart(world: World) -> None:
    typed = world.new_case()
    _, booked = _apply(world, _booking("ACC9200|RP1|S1", "BK0003", accession="ACC9200"))
    assert booked is not None
    service = ScheduleService(world.svc.store, world.svc.cases, zone=ZoneInfo("America/New_York"))
    entry = world.svc.store.schedule.entry("mwl", "ACC9200|RP1|S1")
    assert entry is not None
    world.svc.store.db.write(
        lambda conn: world.svc.store.schedule.mark_removed_in(
            conn, entry, reason="no longer on the worklist", actor="feed:mwl", fingerprint=None, reference={}
        )
    )
    origins = service.origins([typed.record_id, booked])
    assert origins[typed.record_id].source == "typed" and origins[typed.record_id].accession is None
    assert (origins[booked].source, origins[booked].accession, origins[booked].removed_reason) == (
        "mwl",
        "ACC9200",
        "no longer on the worklist",
    )


def test_a_booking_without_a_level_asks_the_nurse_for_it_before_the_first_answer(world: World) -> None:
    booking = _booking("ACC9300|RP1|S1", "BK0004", accession="ACC9300").model_copy(update={"level": ""})
    _, record_id = _apply(world, booking)
    assert record_id is not None
    nurse = world.user("nurse")
    case = world.svc.cases.open_case(nurse, record_id)
    with pytest.raises(RecordError) as caught:
        world.svc.cases.answer(nurse, case, "consent.signed", "met")
    assert caught.value.where == "procedure.level"
    service = ScheduleService(world.svc.store, world.svc.cases, zone=ZoneInfo("America/New_York"))
    case = service.confirm_level(nurse, case, " L5-S1 ")
    case = world.svc.cases.answer(nurse, case, "consent.signed", "met")
    stored = world.svc.store.records.get(record_id)
    assert stored.record.procedure.level == "L5-S1" and stored.record.value("consent.signed") == "met"
    [entry] = [e for e in world.audit_since(0) if e.action == "schedule.level_confirmed" and e.record_id == record_id]
    assert entry.actor == nurse.username and entry.detail["level"] == "L5-S1"
