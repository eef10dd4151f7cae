"""Declarative conditions over answers and patient/procedure facts: when an item applies."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    field_validator,
    model_serializer,
    model_validator,
)

_LEAVES = (
    "answer",
    "patient_sex",
    "age_between",
    "drug_listed",
    "param",
    "drugs",
    "procedure_type",
    "level_starts_with",
)
HoldKind = Literal["none", "shared", "interval", "not_in_table"]


def omit_added_defaults(model: BaseModel, data: dict[str, Any], added: frozenset[str]) -> dict[str, Any]:
    """Drop fields added to the format after 2026.11.1 while they keep their default.

    A form's content hash is over its dumped model: a field the format gains must not change the dump (and so
    the hash) of a form that does not use it, or every record pinned to an older form would lose its form.
    """
    for name in added:
        info = type(model).model_fields[name]
        if getattr(model, name) == info.get_default(call_default_factory=True):
            data.pop(info.alias or name, None)
            data.pop(name, None)
    return data


class DrugsTest(BaseModel):
    """How many distinct listed drugs match: by code, by whether a prescriber manages them, and by the kind
    of their rule at the case's bleeding-risk class."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    codes: tuple[str, ...] | None = None
    prescriber_managed: bool | None = None
    hold: tuple[HoldKind, ...] | None = None
    at_least: int = Field(default=1, ge=1)


_BRANCHES = ("all_of", "any_of", "not_")


def _yes_no(value: Any) -> Any:
    # YAML 1.1 reads an unquoted `yes` as True; answers are the strings "yes"/"no".
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return value


class Condition(BaseModel):
    """One test, or a combination (`all`, `any`, `not`) of tests.

    Exactly one key is set: `answer` (with `equals` or `in`, or alone for "answered"),
    `patient_sex`, `age_between` (numbers or parameter names), `drug_listed`, `param`
    (a true boolean parameter), `all`, `any` or `not`.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    answer: str | None = None
    equals: str | float | None = None
    in_: tuple[str | float, ...] | None = Field(default=None, alias="in")
    patient_sex: str | None = None
    age_between: tuple[float | str, float | str] | None = None
    drug_listed: tuple[str, ...] | None = None
    param: str | None = None
    drugs: DrugsTest | None = None
    procedure_type: tuple[str, ...] | None = None
    level_starts_with: tuple[str, ...] | None = None
    all_of: tuple[Condition, ...] | None = Field(default=None, alias="all")
    any_of: tuple[Condition, ...] | None = Field(default=None, alias="any")
    not_: Condition | None = Field(default=None, alias="not")

    @field_validator("equals", mode="before")
    @classmethod
    def _equals_yes_no(cls, value: Any) -> Any:
        return _yes_no(value)

    @field_validator("in_", mode="before")
    @classmethod
    def _in_yes_no(cls, value: Any) -> Any:
        return [_yes_no(v) for v in value] if isinstance(value, list | tuple) else value

    @field_validator("procedure_type", "level_starts_with", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @model_serializer(mode="wrap")
    def _dump(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        return omit_added_defaults(self, handler(self), _ADDED_LEAVES)

    @model_validator(mode="after")
    def _exactly_one(self) -> Condition:
        keys = [k for k in (*_LEAVES, *_BRANCHES) if getattr(self, k) is not None]
        if len(keys) != 1:
            names = ", ".join(k.rstrip("_").replace("_of", "") for k in keys) or "nothing"
            raise ValueError(
                f"a condition needs exactly one of answer, patient_sex, age_between, drug_listed, "
                f"param, drugs, procedure_type, level_starts_with, all, any, not (found: {names})"
            )
        if (self.equals is not None or self.in_ is not None) and self.answer is None:
            raise ValueError("'equals' and 'in' go with 'answer'")
        if self.equals is not None and self.in_ is not None:
            raise ValueError("use either 'equals' or 'in', not both")
        return self

    def answer_refs(self) -> Iterator[str]:
        """Every item id this condition reads."""
        if self.answer is not None:
            yield self.answer
        for child in (*(self.all_of or ()), *(self.any_of or ()), *((self.not_,) if self.not_ else ())):
            yield from child.answer_refs()

    def param_refs(self) -> Iterator[str]:
        if self.param is not None:
            yield self.param
        for bound in self.age_between or ():
            if isinstance(bound, str):
                yield bound
        for child in (*(self.all_of or ()), *(self.any_of or ()), *((self.not_,) if self.not_ else ())):
            yield from child.param_refs()

    def children(self) -> tuple[Condition, ...]:
        return (*(self.all_of or ()), *(self.any_of or ()), *((self.not_,) if self.not_ else ()))

    def leaves(self) -> Iterator[Condition]:
        """Every test in this condition (itself when it is one)."""
        if self.all_of is None and self.any_of is None and self.not_ is None:
            yield self
        for child in self.children():
            yield from child.leaves()

    def needs_risk_class(self) -> bool:
        """True when a test looks at drug rules at the case's class (so it cannot decide the class itself)."""
        return any(leaf.drugs is not None and leaf.drugs.hold is not None for leaf in self.leaves())

    def drug_refs(self) -> Iterator[str]:
        yield from self.drug_listed or ()
        if self.drugs is not None:
            yield from self.drugs.codes or ()
        for child in (*(self.all_of or ()), *(self.any_of or ()), *((self.not_,) if self.not_ else ())):
            yield from child.drug_refs()


_ADDED_LEAVES = frozenset({"drugs", "procedure_type", "level_starts_with"})


@dataclass(frozen=True)
class ListedDrug:
    """One distinct drug on the list: its code, a key (the name for `other` entries) and its rule kinds."""

    key: str
    code: str
    prescriber_managed: bool
    hold_by_class: Mapping[str, HoldKind]


@dataclass(frozen=True)
class Facts:
    """What a condition may look at; answers hold only items that apply and are answered."""

    answers: Mapping[str, Any]
    sex: str
    age: int
    drugs: frozenset[str]
    params: Mapping[str, float | bool | None]
    listed: tuple[ListedDrug, ...] = ()
    procedure_type: str = ""
    level: str = ""
    # The case's bleeding-risk class, asked only by drug tests on rule kinds (after the class is decidable).
    risk_class: Callable[[Facts], str] | None = field(default=None, compare=False)


def _drugs_match(test: DrugsTest, facts: Facts) -> bool:
    count = 0
    for drug in facts.listed:
        if test.codes is not None and drug.code not in test.codes:
            continue
        if test.prescriber_managed is not None and drug.prescriber_managed != test.prescriber_managed:
            continue
        if test.hold is not None:
            cls = facts.risk_class(facts) if facts.risk_class else ""
            if drug.hold_by_class.get(cls) not in test.hold:
                continue
        count += 1
    return count >= test.at_least


def holds(cond: Condition, facts: Facts) -> bool:
    """True when the condition is satisfied by these facts."""
    if cond.answer is not None:
        value = facts.answers.get(cond.answer)
        if cond.equals is not None:
            return value == cond.equals
        if cond.in_ is not None:
            return value in cond.in_
        return value is not None
    if cond.patient_sex is not None:
        return facts.sex == cond.patient_sex
    if cond.age_between is not None:
        low, high = (facts.params[b] if isinstance(b, str) else b for b in cond.age_between)
        return low is not None and high is not None and low <= facts.age <= high
    if cond.drug_listed is not None:
        return not facts.drugs.isdisjoint(cond.drug_listed)
    if cond.param is not None:
        return bool(facts.params[cond.param])
    if cond.drugs is not None:
        return _drugs_match(cond.drugs, facts)
    if cond.procedure_type is not None:
        return facts.procedure_type in cond.procedure_type
    if cond.level_starts_with is not None:
        # "C6-C7" is cervical: the level's text, ignoring case and leading spaces, starts with a prefix.
        level = facts.level.strip().upper()
        return any(level.startswith(prefix.upper()) for prefix in cond.level_starts_with)
    if cond.all_of is not None:
        return all(holds(c, facts) for c in cond.all_of)
    if cond.any_of is not None:
        return any(holds(c, facts) for c in cond.any_of)
    assert cond.not_ is not None
    return not holds(cond.not_, facts)
