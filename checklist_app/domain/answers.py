"""Check one answer against its item's kind and turn it into a typed value (or say what is wrong)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from .errors import FutureTimeError, RecordError
from .forms import (
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
from .records import parse_iso
from .timefmt import future_text

CHECK_VALUES = ("met", "not_met", "na")
YES_NO_VALUES = ("yes", "no")


class MedicationEntry(BaseModel):
    model_config = ConfigDict(frozen=True)

    drug: str
    last_dose_at: datetime
    dose: str | None = None
    name: str | None = None  # the medicine's own name, for a catch-all code ("other")

    @property
    def key(self) -> str:
        """What makes two entries the same drug: the code, or for a named catch-all its name."""
        return f"{self.drug}:{self.name.strip().casefold()}" if self.name else self.drug


# Data-entry limit for a free-text medicine name (not a clinical rule).
MAX_DRUG_NAME = 120


def _not_future(moment: datetime, now: datetime, where: str, raw: Any) -> datetime:
    if moment > now:
        raise FutureTimeError(
            where, f"{raw!r} is later than now ({now.isoformat()}); a past time is expected", future_text(moment, now)
        )
    return moment


def coerce_value(form: FormDefinition, item: Item, raw: Any, now: datetime, where: str) -> Any:
    """The typed value of an answer; None means unanswered. Raises RecordError for bad input."""
    if raw is None:
        return None
    if isinstance(item, CheckItem):
        if raw not in CHECK_VALUES:
            raise RecordError(where, f"{raw!r} is not a check answer (met, not_met or na)")
        return raw
    if isinstance(item, YesNoItem):
        if raw is True or raw is False:
            return "yes" if raw else "no"
        if raw not in YES_NO_VALUES:
            raise RecordError(where, f"{raw!r} is not yes or no")
        return raw
    if isinstance(item, ChoiceItem):
        if not isinstance(raw, str) or item.option(raw) is None:
            codes = ", ".join(o.code for o in item.options)
            raise RecordError(where, f"{raw!r} is not one of {codes}")
        return raw
    if isinstance(item, NumberItem):
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            raise RecordError(where, f"{raw!r} is not a number")
        if not item.min <= raw <= item.max:
            unit = f" {item.unit}" if item.unit else ""
            raise RecordError(where, f"{raw:g}{unit} is outside the plausible range {item.min:g}–{item.max:g}{unit}")
        return float(raw)
    if isinstance(item, DateTimeItem):
        return _not_future(parse_iso(raw, where), now, where, raw)
    if isinstance(item, TextItem):
        if not isinstance(raw, str):
            raise RecordError(where, f"{raw!r} is not text")
        if len(raw) > item.max_length:
            raise RecordError(where, f"text is longer than {item.max_length} characters")
        return raw
    assert isinstance(item, MedicationListItem)
    if not isinstance(raw, list):
        raise RecordError(where, "expected a list of {drug, last_dose_at} ([] means none taken)")
    entries = []
    for n, entry in enumerate(raw):
        at = f"{where}[{n}]"
        if not isinstance(entry, dict) or "drug" not in entry or "last_dose_at" not in entry:
            raise RecordError(at, "each medicine needs 'drug' and 'last_dose_at'")
        unknown = set(entry) - {"drug", "last_dose_at", "dose", "name"}
        if unknown:
            raise RecordError(at, f"unknown field(s) {', '.join(sorted(unknown))}")
        code = entry["drug"]
        if not isinstance(code, str) or code not in form.drug_table:
            raise RecordError(f"{at}.drug", f"unknown drug code {code!r}; known codes are listed in the form")
        last = _not_future(
            parse_iso(entry["last_dose_at"], f"{at}.last_dose_at"), now, f"{at}.last_dose_at", entry["last_dose_at"]
        )
        dose = entry.get("dose")
        if dose is not None and not isinstance(dose, str | int | float):
            raise RecordError(f"{at}.dose", "dose must be text")
        name = _drug_name(form.drug_table[code].needs_name, code, entry.get("name"), f"{at}.name")
        entries.append(
            MedicationEntry(drug=code, last_dose_at=last, dose=None if dose is None else str(dose), name=name)
        )
    return tuple(entries)


def _drug_name(needs_name: bool, code: str, raw: Any, where: str) -> str | None:
    """A catch-all entry must name its medicine; a listed code must not carry a second name."""
    if not needs_name:
        if raw is not None:
            raise RecordError(where, f"only a drug the site's table does not list takes a name; {code!r} is listed")
        return None
    if not isinstance(raw, str) or not raw.strip():
        raise RecordError(where, f'drug {code!r} needs the medicine\'s name, e.g. "name": "vorapaxar"')
    if len(raw) > MAX_DRUG_NAME:
        raise RecordError(where, f"name is longer than {MAX_DRUG_NAME} characters")
    return raw.strip()
