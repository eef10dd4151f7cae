"""The new-case dialog's look-up of a known MRN agrees with what `new_case` enforces (the patients table), on
SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from checklist_app.domain.records import Patient, Procedure
from checklist_app.services.app import AppServices
from tests.helpers.databases import BACKENDS, copy_sqlite
from tests.helpers.hashing import QUICK_HASHER
from tests.helpers.world import World, local_now


@pytest.fixture(params=BACKENDS)
def world(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[World]:
    if request.param == "sqlite":
        url = copy_sqlite(request.getfixturevalue("sqlite_template"), tmp_path / "checklists.db")
    else:
        url = request.getfixturevalue("pg_databases").take()
    svc = AppServices.open(url, hasher=QUICK_HASHER)
    try:
        yield World(svc=svc, url=url, folder=tmp_path)
    finally:
        svc.close()


def _procedure() -> Procedure:
    return Procedure(type="interlaminar_epidural", level="L4-L5", scheduled_at=local_now() + timedelta(hours=5))


def test_after_a_name_correction_the_known_patient_is_the_corrected_one_and_can_be_booked(world: World) -> None:
    signed = world.signed_case()  # signed records keep the name they were signed with
    old = signed.record.patient
    corrected = old.model_copy(update={"name": "Ærin Corrected-Name"})
    store = world.svc.store
    store.db.write(
        lambda conn: store.patients.update_in(conn, corrected, issuer="", source="hl7", actor="adt", reference={})
    )
    assert world.svc.cases.known_patient(old.mrn) == corrected
    case = world.svc.cases.new_case(world.user("nurse"), corrected, _procedure())  # what the dialog submits
    assert case.record.patient == corrected


def test_a_short_mrn_that_begins_fifty_others_is_still_known(world: World) -> None:
    nurse = world.user("nurse")
    short = Patient(name="Sam Short", birth_date=date(1955, 2, 3), mrn="Q7", sex="female")
    world.svc.cases.new_case(
        nurse, short, _procedure().model_copy(update={"scheduled_at": local_now() + timedelta(hours=1)})
    )
    for n in range(51):  # newer cases whose MRNs begin with the short one
        other = Patient(name=f"Pat Other {n}", birth_date=date(1960, 1, 1), mrn=f"Q7{n:03d}", sex="male")
        world.svc.cases.new_case(nurse, other, _procedure())
    assert world.svc.cases.known_patient(" Q7 ") == short
    assert world.svc.cases.known_patient("Q799") is None
