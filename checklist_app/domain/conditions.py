"""Declarative conditions over answers and patient/procedure facts: when an item applies."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

_LEAVES = ("answer", "patient_sex", "age_between", "drug_listed", "param")
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

    @model_validator(mode="after")
    def _exactly_one(self) -> Condition:
        keys = [k for k in (*_LEAVES, *_BRANCHES) if getattr(self, k) is not None]
        if len(keys) != 1:
            names = ", ".join(k.rstrip("_").replace("_of", "") for k in keys) or "nothing"
            raise ValueError(
                f"a condition needs exactly one of answer, patient_sex, age_between, drug_listed, "
                f"param, all, any, not (found: {names})"
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

    def drug_refs(self) -> Iterator[str]:
        yield from self.drug_listed or ()
        for child in (*(self.all_of or ()), *(self.any_of or ()), *((self.not_,) if self.not_ else ())):
            yield from child.drug_refs()


@dataclass(frozen=True)
class Facts:
    """What a condition may look at; answers hold only items that apply and are answered."""

    answers: Mapping[str, Any]
    sex: str
    age: int
    drugs: frozenset[str]
    params: Mapping[str, float | bool]


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
        return low <= facts.age <= high
    if cond.drug_listed is not None:
        return not facts.drugs.isdisjoint(cond.drug_listed)
    if cond.param is not None:
        return bool(facts.params[cond.param])
    if cond.all_of is not None:
        return all(holds(c, facts) for c in cond.all_of)
    if cond.any_of is not None:
        return any(holds(c, facts) for c in cond.any_of)
    assert cond.not_ is not None
    return not holds(cond.not_, facts)
