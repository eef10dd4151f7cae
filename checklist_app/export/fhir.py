"""A record as a FHIR R4 Bundle (collection): Questionnaire, QuestionnaireResponse, Patient, DocumentReference."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import uuid
from dataclasses import dataclass
from typing import Any

from pydantic_core import to_jsonable_python

from checklist_app.domain.errors import ChecklistError
from checklist_app.domain.forms import (
    CheckItem,
    ChoiceItem,
    DateTimeItem,
    FormDefinition,
    Item,
    MedicationListItem,
    NumberItem,
    TextItem,
    YesNoItem,
)
from checklist_app.domain.lifecycle import Meaning
from checklist_app.domain.records import Answer, Record
from checklist_app.export.fhir_questionnaire import CHECK_RESULTS, FhirNames, questionnaire_json

# Stable ids inside one export: the same record always gets the same urn:uuid references.
_NAMESPACE = uuid.UUID("6f1b2f0e-3c1e-4b8e-9a59-6a0c6c1d7e14")
_GENDERS = {"female": "female", "male": "male", "other": "other", "unknown": "unknown"}


class FhirExportError(ChecklistError):
    """The record or form could not be written as valid FHIR."""


@dataclass(frozen=True, slots=True)
class Signer:
    """One signature as the export shows it: who, with what meaning, when."""

    meaning: str  # prepared | reviewed | amended
    full_name: str
    username: str
    signed_at: dt.datetime


@dataclass(frozen=True, slots=True)
class FhirRecord:
    """Everything a record's Bundle is made of; built by the services."""

    record_id: str
    status: str  # draft | signed | reviewed | amended | cancelled ...
    form: FormDefinition
    record: Record
    signers: tuple[Signer, ...]
    pdf: bytes | None  # the signed PDF (PDF/A-3b) once signed
    supersedes_id: str | None = None
    generated_at: dt.datetime | None = None


def questionnaire(form: FormDefinition, names: FhirNames | None = None) -> dict[str, Any]:
    """The form as a validated FHIR R4 Questionnaire."""
    data = questionnaire_json(form, names or FhirNames.from_environment())
    _validated("Questionnaire", data)
    return data


def record_bundle(rec: FhirRecord, names: FhirNames | None = None) -> dict[str, Any]:
    """The record as a validated Bundle of type collection."""
    names = names or FhirNames.from_environment()
    urls = {
        kind: f"urn:uuid:{uuid.uuid5(_NAMESPACE, f'{rec.record_id}/{kind}')}"
        for kind in ("bundle", "Questionnaire", "QuestionnaireResponse", "Patient", "DocumentReference")
    }
    form_json = questionnaire_json(rec.form, names)
    patient = _patient(rec, names, urls)
    response = _response(rec, names, urls)
    entries = [("Questionnaire", form_json), ("QuestionnaireResponse", response), ("Patient", patient)]
    if rec.pdf is not None:
        entries.append(("DocumentReference", _document(rec, names, urls)))
    when = rec.generated_at or dt.datetime.now(dt.UTC)
    bundle = {
        "resourceType": "Bundle",
        "id": urls["bundle"].removeprefix("urn:uuid:"),
        "identifier": {"system": names.record_ids, "value": rec.record_id},
        "type": "collection",
        "timestamp": _instant(when),
        "entry": [{"fullUrl": urls[kind], "resource": resource} for kind, resource in entries],
    }
    _validated("Bundle", bundle)
    return bundle


def to_bytes(resource: dict[str, Any]) -> bytes:
    """The JSON file a FHIR server or EHR interface reads (UTF-8, indented)."""
    return (json.dumps(resource, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


# --- the parts ----------------------------------------------------------------------------------------------------


def _patient(rec: FhirRecord, names: FhirNames, urls: dict[str, str]) -> dict[str, Any]:
    patient = rec.record.patient
    return {
        "resourceType": "Patient",
        "id": _id_of(urls["Patient"]),
        "identifier": [{
            "use": "usual",
            "type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "MR",
                                 "display": "Medical record number"}]},
            "system": names.mrn_system,
            "value": patient.mrn,
        }],
        "name": [{"text": patient.name}],
        "gender": _GENDERS[patient.sex],
        "birthDate": patient.birth_date.isoformat(),
    }  # fmt: skip


def _response(rec: FhirRecord, names: FhirNames, urls: dict[str, str]) -> dict[str, Any]:
    first = next((s for s in rec.signers if s.meaning in (Meaning.PREPARED, Meaning.AMENDED)), None)
    data: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "id": _id_of(urls["QuestionnaireResponse"]),
        "identifier": {"system": names.record_ids, "value": rec.record_id},
        "questionnaire": f"{names.questionnaire(rec.form)}|{rec.form.version}",
        "status": response_status(rec),
        "subject": {"reference": urls["Patient"], "display": rec.record.patient.name},
    }
    if first is not None:
        data["authored"] = _datetime(first.signed_at)
        data["author"] = {"display": f"{first.full_name} ({first.username})"}
    items = []
    for section in rec.form.sections:
        answered = [part for item in section.items for part in _answered(rec.form, item, rec.record, names)]
        if answered:
            items.append({"linkId": section.id, "text": section.title, "item": answered})
    if items:
        data["item"] = items
    return data


def response_status(rec: FhirRecord) -> str:
    """completed once signed; amended for a signed amendment (it replaces an earlier version); in-progress before."""
    if not rec.signers:
        return "in-progress"
    return "amended" if rec.supersedes_id else "completed"


def _answered(form: FormDefinition, item: Item, record: Record, names: FhirNames) -> list[dict[str, Any]]:
    answer = record.answers.get(item.id)
    if answer is None or answer.value is None:
        return []
    provenance = _provenance(answer, names)
    if isinstance(item, MedicationListItem):
        entries = to_jsonable_python(answer.value) or []
        if not entries:
            # "No antithrombotic medicines" is an answer too: the group once, with no entries, says so.
            return [
                {
                    "linkId": item.id,
                    "text": item.text,
                    "extension": [*provenance, {"url": names.extension("no-entries"), "valueBoolean": True}],
                }
            ]
        out = []
        for entry in entries:
            parts = [
                {
                    "linkId": f"{item.id}.drug",
                    "answer": [
                        {
                            "valueCoding": {
                                "system": names.drugs(form),
                                "code": entry["drug"],
                                **(
                                    {"display": form.drug_table[entry["drug"]].name}
                                    if entry["drug"] in form.drug_table
                                    else {}
                                ),
                            }
                        }
                    ],
                },
                {"linkId": f"{item.id}.last_dose_at", "answer": [{"valueDateTime": _datetime(entry["last_dose_at"])}]},
            ]
            if entry.get("dose"):
                parts.append({"linkId": f"{item.id}.dose", "answer": [{"valueString": entry["dose"]}]})
            out.append({"linkId": item.id, "text": item.text, "extension": list(provenance), "item": parts})
        return out
    value = _value(form, item, to_jsonable_python(answer.value), names)
    return [{"linkId": item.id, "text": item.text, "extension": provenance, "answer": [value]}]


def _provenance(answer: Answer, names: FhirNames) -> list[dict[str, Any]]:
    """Who gave the answer and when, and the nurse's note or N/A reason (extensions on the item)."""
    out: list[dict[str, Any]] = []
    if answer.by:
        out.append({"url": names.extension("answered-by"), "valueString": answer.by})
    if answer.at is not None:
        out.append({"url": names.extension("answered-at"), "valueDateTime": _datetime(answer.at)})
    if answer.note:
        out.append({"url": names.extension("answer-note"), "valueString": answer.note})
    if answer.na_reason:
        out.append({"url": names.extension("na-reason"), "valueString": answer.na_reason})
    return out


def _value(form: FormDefinition, item: Item, value: Any, names: FhirNames) -> dict[str, Any]:
    if isinstance(item, CheckItem):
        labels = dict(CHECK_RESULTS)
        return {"valueCoding": {"system": names.check_results, "code": value, "display": labels.get(value, value)}}
    if isinstance(item, YesNoItem):
        return {"valueBoolean": value == "yes"}
    if isinstance(item, ChoiceItem):
        option = item.option(value)
        return {
            "valueCoding": {
                "system": names.options(form, item.id),
                "code": value,
                **({"display": option.label} if option else {}),
            }
        }
    if isinstance(item, NumberItem):
        return {"valueDecimal": value}
    if isinstance(item, DateTimeItem):
        return {"valueDateTime": _datetime(str(value))}
    if isinstance(item, TextItem):
        return {"valueString": str(value)}
    raise FhirExportError(f"Item {item.id}: its kind has no FHIR answer type.")


def _document(rec: FhirRecord, names: FhirNames, urls: dict[str, str]) -> dict[str, Any]:
    assert rec.pdf is not None
    last = rec.signers[-1] if rec.signers else None
    data: dict[str, Any] = {
        "resourceType": "DocumentReference",
        "id": _id_of(urls["DocumentReference"]),
        "masterIdentifier": {"system": names.record_ids, "value": rec.record_id},
        "status": "current",
        "docStatus": "amended" if rec.supersedes_id else "final",
        "type": {"text": "Pre-procedure readiness checklist (signed PDF/A-3b)"},
        "subject": {"reference": urls["Patient"]},
        "author": [{"display": f"{s.full_name} ({s.username})"} for s in rec.signers],
        "description": rec.form.title,
        "content": [{"attachment": {
            "contentType": "application/pdf",
            "data": base64.b64encode(rec.pdf).decode("ascii"),
            "size": len(rec.pdf),
            # Attachment.hash is SHA-1 by the R4 specification; it guards the transfer, the signatures the content.
            "hash": base64.b64encode(hashlib.sha1(rec.pdf, usedforsecurity=False).digest()).decode("ascii"),
            "title": f"Checklist record {rec.record_id}.pdf",
        }}],
        "context": {"related": [{"reference": urls["QuestionnaireResponse"]}]},
    }  # fmt: skip
    if last is not None:
        data["date"] = _instant(last.signed_at)
        data["content"][0]["attachment"]["creation"] = _datetime(last.signed_at)
    if rec.supersedes_id:
        data["relatesTo"] = [
            {"code": "replaces", "target": {"identifier": {"system": names.record_ids, "value": rec.supersedes_id}}}
        ]
    return data


# --- reading back -------------------------------------------------------------------------------------------------


def answers_from_response(response: dict[str, Any], form: FormDefinition) -> dict[str, Any]:
    """The record's answer values as a QuestionnaireResponse carries them (the inverse of the export)."""
    out: dict[str, Any] = {}
    for section in response.get("item", []):
        for entry in section.get("item", []):
            item = form.items.get(entry["linkId"])
            if item is None:
                continue
            if isinstance(item, MedicationListItem):
                meds = out.setdefault(item.id, [])
                if "item" in entry:
                    parts = {p["linkId"].rsplit(".", 1)[1]: p["answer"][0] for p in entry["item"]}
                    med = {
                        "drug": parts["drug"]["valueCoding"]["code"],
                        "last_dose_at": parts["last_dose_at"]["valueDateTime"],
                    }
                    if "dose" in parts:
                        med["dose"] = parts["dose"]["valueString"]
                    meds.append(med)
                continue
            value = entry["answer"][0]
            if "valueCoding" in value:
                out[item.id] = value["valueCoding"]["code"]
            elif "valueBoolean" in value:
                out[item.id] = "yes" if value["valueBoolean"] else "no"
            else:
                out[item.id] = next(v for k, v in value.items() if k.startswith("value"))
    return out


# --- helpers ------------------------------------------------------------------------------------------------------


def _validated(kind: str, data: dict[str, Any]) -> None:
    """Parse the JSON with fhir.resources' R4B models (R4 for these resources); a rejection is our bug, said once."""
    import importlib

    from pydantic import ValidationError

    module = importlib.import_module(f"fhir.resources.R4B.{kind.lower()}")
    try:
        getattr(module, kind).model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise FhirExportError(f"The {kind} is not valid FHIR R4 ({where}: {first['msg']}).") from None


def _id_of(url: str) -> str:
    return url.removeprefix("urn:uuid:")


def _datetime(when: dt.datetime | str) -> str:
    """FHIR dateTime with its offset as written, UTC as "Z" (the form fhir.resources and most servers write)."""
    text = when if isinstance(when, str) else when.isoformat(timespec="seconds")
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _instant(when: dt.datetime) -> str:
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return _datetime(when)
