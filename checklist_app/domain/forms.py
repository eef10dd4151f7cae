"""The checklist definition: a versioned, hashed form of sections and typed items (data, not code)."""

from __future__ import annotations

import hashlib
import json
from functools import cached_property
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    field_validator,
    model_serializer,
    model_validator,
)

from .conditions import Condition, HoldKind, omit_added_defaults

Id = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$", max_length=80)]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)]
NumberOrParam = float | str  # a number, or the name of a numeric form parameter


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    # Fields the format gained after 2026.11.1: left out of the dump while at their default, so the content
    # hash of a form that does not use them stays what it was (records pin forms by that hash).
    _added: ClassVar[frozenset[str]] = frozenset()

    @model_serializer(mode="wrap")
    def _dump(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data = handler(self)
        return omit_added_defaults(self, data, self._added) if self._added else data


class Source(_Model):
    """A guideline or paper a rule comes from."""

    citation: str
    url: str | None = None
    short: str = ""


class Parameter(_Model):
    """A site-editable number or switch, with its source; `value: null` = unset (site policy, rule off)."""

    value: float | bool | None
    label: str
    unit: str = ""
    source: str | None = None
    confirmed: bool = True


class ProcedureType(_Model):
    _added = frozenset({"levels", "levels_confirmed"})

    code: Id
    label: str
    risk_class: str
    source: str | None = None
    note: str = ""
    # The levels a case of this type can be at, offered by the new-case dialog (empty: free text).
    levels: tuple[Annotated[str, Field(min_length=1, max_length=40)], ...] = ()
    # false: no source gives these levels; a clinician must confirm them ([U]).
    levels_confirmed: bool = True


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
    """What a drug needs at one risk class: no hold, a shared decision, an interval, or (`not_in_table`, for a
    drug the site's table does not know) a blocker until the proceduralist decides."""

    _added = frozenset({"shared_decision"})

    hold: Literal["none", "shared", "not_in_table"] | Interval
    restart: Restart | None = None
    # With an interval: the interval is needed *and* continuing or stopping is a shared decision (a warning).
    shared_decision: bool = False

    @property
    def kind(self) -> HoldKind:
        return "interval" if isinstance(self.hold, Interval) else self.hold


class LabAdjustment(_Model):
    """A longer hold when a lab value is below a threshold (e.g. dabigatran with low CrCl)."""

    item: Id
    below: NumberOrParam
    hold: Interval


class Drug(_Model):
    _added = frozenset({"prescriber_managed", "needs_name"})

    code: Id
    name: str
    group: str
    source: str
    confirmed: bool = True
    rules: dict[str, ClassRule]
    lab_adjustment: LabAdjustment | None = None
    note: str = ""
    # Stopped only with its prescriber's agreement (anticoagulants, antiplatelets); false for what patients
    # stop on their own (NSAIDs, herbal products, SSRIs/SNRIs).
    prescriber_managed: bool = True
    # A catch-all entry ("other"): each one names the medicine in free text.
    needs_name: bool = False


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


class Effect(_Model):
    """What an answer does to readiness: a blocker or a warning, only while `when` holds (always without it)."""

    value: str | float
    when: Condition | None = None
    effect: Literal["blocker", "warning"]
    reason: str = Field(min_length=1)
    hard_stop: bool = False
    override_allowed: bool | None = None  # None: as the item says
    override_authoriser: str | None = None  # None: as the item says
    source: str | None = None  # the guideline this rule comes from, when not the item's

    @field_validator("value", mode="before")
    @classmethod
    def _value_yes_no(cls, value: Any) -> Any:
        # YAML 1.1 reads an unquoted `yes` as True; answers are the strings "yes"/"no".
        return {True: "yes", False: "no"}.get(value, value) if isinstance(value, bool) else value

    @model_validator(mode="after")
    def _consistent(self) -> Effect:
        if self.hard_stop and self.override_allowed:
            raise ValueError("a hard stop cannot allow an override")
        if self.hard_stop and self.effect != "blocker":
            raise ValueError("only a blocker can be a hard stop")
        return self


class _Item(_Model):
    _added = frozenset({"confirmed", "effects", "override_authoriser"})

    id: Id
    text: str = Field(min_length=1)
    help: str = ""
    source: str | None = None
    confirmed: bool = True  # false: the rule still needs a clinician's confirmation ([U])
    when: Condition | None = None
    required: bool = True
    override_allowed: bool = False
    # Who must authorise an override of this item's blockers (named when signing NOT READY).
    override_authoriser: str = "proceduralist"
    # First effect whose value equals the answer and whose `when` holds applies.
    effects: tuple[Effect, ...] = ()


class CheckItem(_Item):
    _added = _Item._added | {"met_needs_note", "note_hint", "hard_stop_when"}

    kind: Literal["check"]
    hard_stop: bool = False
    na_allowed: bool = False
    na_hint: str = ""
    # `met` counts only with a note (a name), as N/A only with a reason; without it the item is missing.
    met_needs_note: bool = False
    note_hint: str = ""
    # While this holds, `not_met` is a hard stop (never overridable).
    hard_stop_when: Condition | None = None

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
    _added = _Item._added | {"max_age_hours", "max_age_reason"}

    kind: Literal["datetime"]
    min_hours_before_procedure: NumberOrParam | None = None
    # A result (sample, test) older than this before the procedure time is a blocker.
    max_age_hours: NumberOrParam | None = None
    max_age_reason: str = ""


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
    def param_values(self) -> dict[str, float | bool | None]:
        return {name: p.value for name, p in self.parameters.items()}

    @cached_property
    def content_hash(self) -> str:
        """SHA-256 of the canonical JSON of the form: pinned into every record made with it."""
        dumped = self.model_dump(
            mode="json", by_alias=True, exclude=None if self.schedule_codes else {"schedule_codes"}
        )
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
            for ref in self.condition_inputs(item_id):
                if ref in self.items:
                    visit(ref)
            order.append(item_id)

        for item_id in self.items:
            visit(item_id)
        return tuple(order)

    def condition_inputs(self, item_id: str) -> tuple[str, ...]:
        """The items an item's `when` reads; a test on drug rules at the case's class also reads the class."""
        when = self.items[item_id].when
        if when is None:
            return ()
        refs = tuple(when.answer_refs())
        if when.needs_risk_class() and self.risk_upgrade:
            refs += tuple(self.risk_upgrade.when.answer_refs())
        return refs

    def number(self, value: NumberOrParam) -> float:
        """A literal number, or the value of the named numeric parameter."""
        number = self.number_or_unset(value)
        if number is None:
            raise ValueError(f"parameter '{value}' is unset")
        return number

    def number_or_unset(self, value: NumberOrParam) -> float | None:
        """As `number`, but None for a parameter left unset (site policy: the rule is off)."""
        if not isinstance(value, str):
            return value
        found = self.param_values[value]
        return None if found is None else float(found)

    def needs_confirmation(self, item: Item) -> bool:
        """The item's rule, or a parameter its rule or condition uses, is shipped `confirmed: false` ([U])."""
        if not item.confirmed:
            return True
        names = [
            getattr(item, f, None) for f in ("block_above", "warn_above", "min_hours_before_procedure", "max_age_hours")
        ]
        names += list(item.when.param_refs()) if item.when is not None else []
        return any(isinstance(n, str) and n in self.parameters and not self.parameters[n].confirmed for n in names)

    def source_text(self, source_id: str | None) -> str:
        if not source_id or source_id not in self.sources:
            return ""
        source = self.sources[source_id]
        return source.short or source.citation
