"""One MRN, one patient: a typed case for an MRN the store knows uses its demographics or is refused."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from checklist_app.domain.records import Patient, Procedure
from checklist_app.domain.schedule import PatientMismatch
from tests.helpers.world import World, local_now


def _procedure() -> Procedure:
    return Procedure(type="interlaminar_epidural", level="L4-L5", scheduled_at=local_now() + timedelta(hours=2))


def test_a_typed_case_registers_the_patient_and_records_its_source(world: World) -> None:
    patient = Patient(name="Ida Identity", birth_date=date(1950, 1, 2), mrn="ID0001", sex="female")
    case = world.svc.cases.new_case(world.user("nurse"), patient, _procedure())
    assert case.record.source == "typed"
    [known] = world.svc.store.patients.find("ID0001")
    assert (known.issuer, known.source, known.patient) == ("", "typed", patient)
    again = world.svc.cases.open_case(world.user("nurse"), case.record_id)
    assert again.record.source == "typed"  # stored beside the record, read back with it


def test_the_same_mrn_with_another_name_or_birth_date_is_refused(world: World) -> None:
    patient = Patient(name="Ola Original", birth_date=date(1960, 3, 4), mrn="ID0002", sex="male")
    world.svc.cases.new_case(world.user("nurse"), patient, _procedure())
    before = world.svc.store.records.count(None)
    for other in (
        patient.model_copy(update={"name": "Ola Other"}),
        patient.model_copy(update={"birth_date": date(1960, 3, 5)}),
    ):
        with pytest.raises(PatientMismatch, match="this MRN is already known with a different"):
            world.svc.cases.new_case(world.user("nurse"), other, _procedure())
    assert world.svc.store.records.count(None) == before


def test_a_typed_case_for_a_known_mrn_takes_the_known_demographics(world: World) -> None:
    known = Patient(name="Kai Known", birth_date=date(1970, 5, 6), mrn="ID0003", sex="male")
    world.svc.cases.new_case(world.user("nurse"), known, _procedure())
    # The same person typed with other spacing and case, sex not given: the known record wins.
    typed = Patient(name="kai  KNOWN", birth_date=date(1970, 5, 6), mrn="ID0003", sex="unknown")
    case = world.svc.cases.new_case(world.user("nurse"), typed, _procedure())
    assert case.record.patient == known
