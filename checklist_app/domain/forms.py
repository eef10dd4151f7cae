"""The checklist definition: a versioned, hashed form of sections and typed items (data, not code)."""

from __future__ import annotations

import hashlib
import json
from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .conditions import Condition

Id = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$", max_length=80)]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)]
NumberOrParam = float | str  # a number, or the name of a numeric form parameter


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Model):
    """A guideline or paper a rule comes from."""

    citation: str
    url: str | None = None
    short: str = ""


class Parameter(_Model):
    """A site-editable number or switch, with its source."""

    value: float | bool
    label: str
    unit: str = ""
    source: str | None = None
    confirmed: bool = True


class ProcedureType(_Model):
    code: Id
    label: str
    risk_class: str
    source: str | None = None
    note: str = ""


class ScheduleCode(_Model):
    """A schedule's procedure code (DICOM code sequence, HL7 AIS-3/OBR-4) and the procedure type it books."""

    scheme: str = Field(min_length=1, max_length=16)  # coding scheme designator / coding system, e.g. CPT
    code: str = Field(min_length=1, max_length=64)
    procedure: Id
    label: str = ""

    @field_validator("code", mode="before")
    @classmethod
    def _code_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) else value  # 62321 written without quotes


class RiskUpgrade(_Model):
    """When this condition holds, the procedure's risk class moves up one step."""

    when: Condition
    source: str | None = None


class Interval(_Model):
    """A hold: below `min_hours` blocks; between min and `preferred_hours` warns."""

    min_hours: float = Field(ge=0)
    preferred_hours: float | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> Interval:
        if self.preferred_hours is not None and self.preferred_hours < self.min_hours:
            raise ValueError("preferred_hours must not be below min_hours")
        return self


class Restart(_Model):
    min_hours: float = Field(ge=0)
    max_hours: float | None = Field(default=None, ge=0)

    def text(self) -> str:
        if self.max_hours is None or self.max_hours == self.min_hours:
            return f"{self.min_hours:g} h after the procedure"
        return f"{self.min_hours:g}–{self.max_hours:g} h after the procedure"


class ClassRule(_Model):
    """What a drug needs at one risk class: no hold, a shared decision, or an interval."""

    hold: Literal["none", "shared"] | Interval
    restart: Restart | None = None


class LabAdjustment(_Model):
    """A longer hold when a lab value is below a threshold (e.g. dabigatran with low CrCl)."""

    item: Id
    below: NumberOrParam
    hold: Interval


class Drug(_Model):
    code: Id
    name: str
    group: str
    source: str
    confirmed: bool = True
    rules: dict[str, ClassRule]
    lab_adjustment: LabAdjustment | None = None
    note: str = ""


class Option(_Model):
    code: Id
    label: str
    effect: Literal["blocker", "warning"] | None = None
    reason: str = ""

    @model_validator(mode="after")
    def _reason(self) -> Option:
        if self.effect and not self.reason:
            raise ValueError(f"option '{self.code}' has an effect but no reason to show the nurse")
        return self


class _Item(_Model):
    id: Id
    text: str = Field(min_length=1)
    help: str = ""
    source: str | None = None
    when: Condition | None = None
    required: bool = True
    override_allowed: bool = False


class CheckItem(_Item):
    kind: Literal["check"]
    hard_stop: bool = False
    na_allowed: bool = False
    na_hint: str = ""

    @model_validator(mode="after")
    def _hard_stop_no_override(self) -> CheckItem:
        if self.hard_stop and (self.override_allowed or self.na_allowed):
            raise ValueError("a hard stop allows neither N/A nor an override")
        return self


class YesNoItem(_Item):
    kind: Literal["yes_no"]


class ChoiceItem(_Item):
    kind: Literal["choice"]
    options: tuple[Option, ...] = Field(min_length=2)

    def option(self, code: str) -> Option | None:
        return next((o for o in self.options if o.code == code), None)


class NumberItem(_Item):
    kind: Literal["number"]
    unit: str = ""
    # Plausibility bounds for input checking, not clinical thresholds.
    min: float
    max: float
    decimals: int = Field(default=1, ge=0, le=4)
    block_above: NumberOrParam | None = None
    warn_above: NumberOrParam | None = None


class DateTimeItem(_Item):
    kind: Literal["datetime"]
    min_hours_before_procedure: NumberOrParam | None = None


class TextItem(_Item):
    kind: Literal["text"]
    max_length: int = 500


class MedicationListItem(_Item):
    kind: Literal["medication_list"]


Item = Annotated[
    CheckItem | YesNoItem | ChoiceItem | NumberItem | DateTimeItem | TextItem | MedicationListItem,
    Field(discriminator="kind"),
]


class Section(_Model):
    id: Id
    title: str
    items: tuple[Item, ...] = Field(min_length=1)


class FormDefinition(_Model):
    """A whole checklist form. Semantic checks (references, cycles) live in `formcheck`."""

    id: Slug
    version: str = Field(min_length=1)
    title: str
    description: str = ""
    sources: dict[str, Source] = Field(default_factory=dict)
    parameters: dict[str, Parameter] = Field(default_factory=dict)
    risk_classes: tuple[str, ...] = Field(min_length=1)
    procedure_types: tuple[ProcedureType, ...] = Field(min_length=1)
    risk_upgrade: RiskUpgrade | None = None
    drugs: tuple[Drug, ...] = ()
    sections: tuple[Section, ...] = Field(min_length=1)
    # Site data: which schedule codes book which procedure (issue 13). Left out of the hash while empty,
    # so forms stored before it existed keep the hash their records pinned.
    schedule_codes: tuple[ScheduleCode, ...] = ()

    @field_validator("version", mode="before")
    @classmethod
    def _version_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int | float) else value

    @cached_property
    def items(self) -> dict[str, Item]:
        return {item.id: item for section in self.sections for item in section.items}

    @cached_property
    def drug_table(self) -> dict[str, Drug]:
        return {drug.code: drug for drug in self.drugs}

    @cached_property
    def procedure_table(self) -> dict[str, ProcedureType]:
        return {p.code: p for p in self.procedure_types}

    @cached_property
    def schedule_table(self) -> dict[tuple[str, str], ScheduleCode]:
        """(scheme upper-cased, code) → mapping entry."""
        return {(c.scheme.upper(), c.code): c for c in self.schedule_codes}

    @cached_property
    def param_values(self) -> dict[str, float | bool]:
        return {name: p.value for name, p in self.parameters.items()}

    @cached_property
    def content_hash(self) -> str:
        """SHA-256 of the canonical JSON of the form: pinned into every record made with it."""
        dumped = self.model_dump(mode="json", by_alias=True,
                                 exclude=None if self.schedule_codes else {"schedule_codes"})
        canonical = json.dumps(dumped, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    @cached_property
    def evaluation_order(self) -> tuple[str, ...]:
        """Item ids ordered so every condition's inputs come before the item (checked acyclic)."""
        order: list[str] = []
        seen: set[str] = set()

        def visit(item_id: str) -> None:
            if item_id in seen:
                return
            seen.add(item_id)
            item = self.items[item_id]
            for ref in item.when.answer_refs() if item.when else ():
                if ref in self.items:
                    visit(ref)
            order.append(item_id)

        for item_id in self.items:
            visit(item_id)
        return tuple(order)

    def number(self, value: NumberOrParam) -> float:
        """A literal number, or the value of the named numeric parameter."""
        return float(self.param_values[value]) if isinstance(value, str) else value

    def source_text(self, source_id: str | None) -> str:
        if not source_id or source_id not in self.sources:
            return ""
        source = self.sources[source_id]
        return source.short or source.citation
