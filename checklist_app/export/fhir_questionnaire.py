"""A checklist form as a FHIR R4 Questionnaire: sections as groups, kinds as item types, conditions as enableWhen."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from typing import Any

from checklist_app.domain.conditions import Condition
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

# Canonical URLs name things; they need not resolve. A site sets its own base once (CHECKLIST_FHIR_BASE) so
# its forms and code systems are told apart from another site's; the default is a reserved, never-real host.
DEFAULT_FHIR_BASE = "https://checklist-app.invalid/fhir"

# A check item's three answers: one code system for every form.
CHECK_RESULTS = (("met", "Met"), ("not_met", "Not met"), ("na", "Not applicable"))

# The parts of one medication_list entry, as child items of a repeating group.
MEDICATION_PARTS = ("drug", "last_dose_at", "dose")


@dataclass(frozen=True, slots=True)
class FhirNames:
    """Every canonical URL the export writes, derived from one base."""

    base: str

    @classmethod
    def from_environment(cls) -> FhirNames:
        return cls(base=(os.environ.get("CHECKLIST_FHIR_BASE") or DEFAULT_FHIR_BASE).rstrip("/"))

    def questionnaire(self, form: FormDefinition) -> str:
        return f"{self.base}/Questionnaire/{form.id}"

    def options(self, form: FormDefinition, item_id: str) -> str:
        """The code system of one choice item's options (codes are unique only within an item)."""
        return f"{self.base}/CodeSystem/{form.id}/{item_id}"

    @property
    def check_results(self) -> str:
        return f"{self.base}/CodeSystem/check-result"

    def drugs(self, form: FormDefinition) -> str:
        return f"{self.base}/CodeSystem/{form.id}/drugs"

    def extension(self, name: str) -> str:
        return f"{self.base}/StructureDefinition/{name}"

    @property
    def mrn_system(self) -> str:
        return os.environ.get("CHECKLIST_MRN_SYSTEM") or f"{self.base}/NamingSystem/mrn"

    @property
    def record_ids(self) -> str:
        return f"{self.base}/NamingSystem/record-id"


def questionnaire_json(form: FormDefinition, names: FhirNames) -> dict[str, Any]:
    """The form as a Questionnaire resource (plain JSON, R4)."""
    return {
        "resourceType": "Questionnaire",
        "id": _fhir_id(form.id),
        "url": names.questionnaire(form),
        "identifier": [{"system": "urn:ietf:rfc:3986", "value": f"urn:sha256:{form.content_hash}"}],
        "version": form.version,
        "name": _computable_name(form.id),
        "title": form.title,
        "status": "active",
        **({"description": form.description} if form.description else {}),
        "subjectType": ["Patient"],
        "item": [
            {
                "linkId": section.id,
                "text": section.title,
                "type": "group",
                "item": [_item(form, item, names) for item in section.items],
            }
            for section in form.sections
        ],
    }


def _item(form: FormDefinition, item: Item, names: FhirNames) -> dict[str, Any]:
    out: dict[str, Any] = {"linkId": item.id, "text": item.text}
    if isinstance(item, CheckItem):
        out["type"] = "choice"
        out["answerOption"] = [
            {"valueCoding": {"system": names.check_results, "code": code, "display": label}}
            for code, label in CHECK_RESULTS
            if code != "na" or item.na_allowed
        ]
    elif isinstance(item, YesNoItem):
        out["type"] = "boolean"
    elif isinstance(item, ChoiceItem):
        out["type"] = "choice"
        out["answerOption"] = [
            {"valueCoding": {"system": names.options(form, item.id), "code": o.code, "display": o.label}}
            for o in item.options
        ]
    elif isinstance(item, NumberItem):
        out["type"] = "decimal"
    elif isinstance(item, DateTimeItem):
        out["type"] = "dateTime"
    elif isinstance(item, TextItem):
        out["type"] = "text"
        out["maxLength"] = item.max_length
    elif isinstance(item, MedicationListItem):
        out["type"] = "group"
        out["repeats"] = True
        out["item"] = [
            {
                "linkId": f"{item.id}.drug",
                "text": "Medicine",
                "type": "choice",
                "required": True,
                "answerOption": [
                    {"valueCoding": {"system": names.drugs(form), "code": d.code, "display": d.name}}
                    for d in form.drugs
                ],
            },
            {"linkId": f"{item.id}.last_dose_at", "text": "Last dose", "type": "dateTime", "required": True},
            {"linkId": f"{item.id}.dose", "text": "Dose", "type": "string"},
        ]
    out["required"] = item.required and not isinstance(item, MedicationListItem)  # an empty list is an answer
    if item.when is not None:
        mapped = _enable_when(form, item.when, names)
        if mapped is None or mapped is False:
            # A condition on the patient (sex, age), or one this site's parameters switch off for good, has no
            # enableWhen form: it is kept as data in an extension and the item stays shown.
            out["extension"] = [
                {
                    "url": names.extension("applies-when"),
                    "valueString": json.dumps(item.when.model_dump(by_alias=True, exclude_none=True), sort_keys=True),
                }
            ]
        elif isinstance(mapped, tuple):
            behaviour, conditions = mapped
            out["enableWhen"] = conditions
            if len(conditions) > 1:
                out["enableBehavior"] = behaviour
    return out


# A mapped condition: True (always applies, e.g. a switched-on parameter), or (behaviour, enableWhen list).
_Mapped = bool | tuple[str, list[dict[str, Any]]]


def _enable_when(form: FormDefinition, cond: Condition, names: FhirNames) -> _Mapped | None:
    """The condition as enableWhen, or None where FHIR's enableWhen cannot say it.

    Parameters are site constants known when the form is exported, so they are folded in; answers map to
    `=` / `exists`; `in` and `any` become enableBehavior any, `all` becomes all; a mix of the two, or a test
    of the patient's sex or age, does not map.
    """
    simplified = _fold_params(form, cond)
    if isinstance(simplified, bool):
        return simplified
    if simplified.any_of is not None or simplified.all_of is not None:
        behaviour = "any" if simplified.any_of is not None else "all"
        parts: list[dict[str, Any]] = []
        for child in simplified.any_of or simplified.all_of or ():
            leaf = _leaf(form, child, names)
            if leaf is None or (len(leaf) > 1 and behaviour == "all"):
                return None
            parts.extend(leaf)
        return behaviour, parts
    leaf = _leaf(form, simplified, names)
    if leaf is None:
        return None
    return ("any", leaf)


def _fold_params(form: FormDefinition, cond: Condition) -> Condition | bool:
    if cond.param is not None:
        return bool(form.param_values[cond.param])
    for branch, absorbing in (("any_of", True), ("all_of", False)):
        children = getattr(cond, branch)
        if children is None:
            continue
        kept: list[Condition] = []
        for child in children:
            folded = _fold_params(form, child)
            if folded is absorbing:
                return absorbing
            if isinstance(folded, Condition):
                kept.append(folded)
        if not kept:
            return not absorbing
        if len(kept) == 1:
            return kept[0]
        return cond.model_copy(update={branch: tuple(kept)})
    return cond


def _leaf(form: FormDefinition, cond: Condition, names: FhirNames) -> list[dict[str, Any]] | None:
    if cond.drug_listed is not None:
        medication = _medication_item(form)
        if medication is None:
            return None
        return [
            {
                "question": f"{medication}.drug",
                "operator": "=",
                "answerCoding": {"system": names.drugs(form), "code": code},
            }
            for code in cond.drug_listed
        ]
    if cond.answer is None or cond.answer not in form.items:
        return None
    target = form.items[cond.answer]
    if cond.equals is None and cond.in_ is None:
        return [{"question": cond.answer, "operator": "exists", "answerBoolean": True}]
    values = (cond.equals,) if cond.equals is not None else tuple(cond.in_ or ())
    out = []
    for value in values:
        answer = _answer_value(form, target, value, names)
        if answer is None:
            return None
        out.append({"question": cond.answer, "operator": "=", **answer})
    return out


def _answer_value(form: FormDefinition, item: Item, value: Any, names: FhirNames) -> dict[str, Any] | None:
    """A plain answer value of `item` as a FHIR answer[x] (None for values FHIR cannot compare)."""
    if isinstance(item, YesNoItem):
        return {"answerBoolean": value == "yes"} if value in ("yes", "no") else None
    if isinstance(item, CheckItem):
        return {"answerCoding": {"system": names.check_results, "code": str(value)}}
    if isinstance(item, ChoiceItem):
        return {"answerCoding": {"system": names.options(form, item.id), "code": str(value)}}
    if isinstance(item, NumberItem) and isinstance(value, int | float):
        return {"answerDecimal": value}
    return None


def _medication_item(form: FormDefinition) -> str | None:
    return next((i.id for i in form.items.values() if isinstance(i, MedicationListItem)), None)


def _fhir_id(text: str) -> str:
    """FHIR ids are [A-Za-z0-9-.]{1,64}."""
    return re.sub(r"[^A-Za-z0-9.-]", "-", text)[:64]


def _computable_name(slug: str) -> str:
    """Questionnaire.name must start with a capital and hold only letters, digits and underscores."""
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[^A-Za-z0-9]+", slug) if part) or "Checklist"
