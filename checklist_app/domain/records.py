"""A checklist record: patient, procedure and answers, as the record JSON of the design card."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from . import limits
from .errors import RecordError

Sex = Literal["female", "male", "other", "unknown"]
# Plausibility bounds for typed dates (data entry, not clinical rules): outside them a date is a typo,
# and far-off years would overflow the hold arithmetic instead of naming the field.
EARLIEST_YEAR, LATEST_YEAR = 1900, 2200


def _plausible(moment: date, what: str) -> None:
    if not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
        raise ValueError(f"{what} {moment.isoformat()} is not plausible (years {EARLIEST_YEAR}–{LATEST_YEAR})")


Laterality = Literal["left", "right", "bilateral", "midline", "not_applicable"]
# Where a case came from (issue 13): typed by a nurse, the Modality Worklist, or an HL7 feed.
CaseSource = Literal["typed", "mwl", "hl7"]


class _Value(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Patient(_Value):
    name: str = Field(min_length=1, max_length=200)
    birth_date: date
    mrn: str = Field(min_length=1, max_length=64)
    sex: Sex

    @field_validator("name", "mrn")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank")
        return value

    @field_validator("birth_date")
    @classmethod
    def _birth_plausible(cls, value: date) -> date:
        _plausible(value, "birth date")
        return value


class Procedure(_Value):
    type: str = Field(min_length=1)
    level: str = ""
    laterality: Laterality | None = None
    scheduled_at: AwareDatetime
    accession: str | None = Field(default=None, max_length=64)  # the schedule's accession number

    @field_validator("scheduled_at")
    @classmethod
    def _scheduled_plausible(cls, value: datetime) -> datetime:
        _plausible(value.date(), "scheduled time")
        return value


class Answer(_Value):
    """One answer with who gave it, when, and the nurse's note (the N/A reason for a check)."""

    value: Any = None
    note: str = Field(default="", max_length=limits.NOTE_CHARS)
    na_reason: str = Field(default="", max_length=limits.NOTE_CHARS)
    by: str | None = None
    at: AwareDatetime | None = None

    @property
    def reason(self) -> str:
        return (self.na_reason or self.note).strip()


class Record(_Value):
    """The record JSON: `answers` maps item id to a plain value or to {value, note, ...}."""

    form: str
    form_version: str | None = None
    form_hash: str | None = None
    patient: Patient
    procedure: Procedure
    answers: dict[str, Answer] = Field(default_factory=dict)
    source: CaseSource | None = None  # None: made before sources were kept (typed)

    @model_validator(mode="before")
    @classmethod
    def _wrap_plain_answers(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("answers"), dict):
            data = dict(data)
            # An object is the {value, note} form only when it has a value; anything else is a plain value,
            # so a medicine given as one object is told "expected a list", not "extra inputs".
            data["answers"] = {
                k: v if isinstance(v, Answer) or (isinstance(v, dict) and "value" in v) else {"value": v}
                for k, v in data["answers"].items()
            }
        return data

    def value(self, item_id: str) -> Any:
        answer = self.answers.get(item_id)
        return None if answer is None else answer.value

    def with_answer(self, item_id: str, answer: Answer | None) -> Record:
        answers = dict(self.answers)
        if answer is None:
            answers.pop(item_id, None)
        else:
            answers[item_id] = answer
        return self.model_copy(update={"answers": answers})

    def to_json(self) -> dict[str, Any]:
        """The record JSON of the design card (answers as objects only where they carry more)."""
        data = self.model_dump(mode="json", exclude_none=True)
        answers = {}
        for item_id, answer in data["answers"].items():
            kept = {f: v for f, v in answer.items() if v not in ("", None) or f == "value"}
            answers[item_id] = kept["value"] if set(kept) == {"value"} else kept
        data["answers"] = answers
        return data


_FRIENDLY = {
    "timezone_aware": "has no UTC offset; write it like 2026-11-24T09:30:00-05:00",
    "date_from_datetime_parsing": "is not a real date (use YYYY-MM-DD)",
    "date_parsing": "is not a real date (use YYYY-MM-DD)",
    "datetime_from_date_parsing": "is not a valid date and time (ISO 8601 with offset)",
    "datetime_parsing": "is not a valid date and time (ISO 8601 with offset)",
    "missing": "is missing",
}


def _where(loc: tuple[Any, ...]) -> str:
    out = ""
    for step in loc:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out


def parse_record(data: Any) -> Record:
    """Validate record JSON (already decoded); raises RecordError naming the first bad field."""
    if not isinstance(data, dict):
        raise RecordError("record", "must be a JSON object with form, patient, procedure and answers")
    try:
        return Record.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(err["loc"])
        message = _FRIENDLY.get(err["type"], err["msg"])
        if loc[:1] == ("patient",):
            # Patient data never goes into an error line (error lines end up in logs): say what is wrong with the
            # field, never what was given (issue 10, finding 9).
            if err["type"] == "value_error":
                message = f"is not plausible (years {EARLIEST_YEAR}–{LATEST_YEAR})"
            raise RecordError(_where(loc), message) from None
        if err["type"] == "value_error":  # our own validators already say what and why
            message = str(err.get("ctx", {}).get("error", message))
        elif "input" in err and err["type"] != "missing" and not isinstance(err["input"], dict | list):
            message = f"{err['input']!r} {message}" if err["type"] in _FRIENDLY else f"{message} (got {err['input']!r})"
        raise RecordError(_where(loc), message) from None


def age_on(birth_date: date, day: date) -> int:
    """Completed years on a calendar day."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def parse_iso(value: Any, where: str) -> datetime:
    """An ISO 8601 datetime with an offset; naive or malformed ones are bad input."""
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            raise RecordError(where, f"{value!r} is not a valid date and time (ISO 8601 with offset)") from None
    else:
        raise RecordError(where, f"expected a date and time, got {value!r}")
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise RecordError(where, f"{value!r} has no UTC offset; write it like 2026-11-24T09:30:00-05:00")
    if not EARLIEST_YEAR <= parsed.year <= LATEST_YEAR:
        raise RecordError(where, f"{value!r} is not a plausible date (years {EARLIEST_YEAR}–{LATEST_YEAR})")
    return parsed


def canonical_json(
    record: Record, override: dict[str, str] | None = None, cancellation: dict[str, str] | None = None
) -> str:
    """The frozen form of a record at signing: every answer with who and when, keys sorted, UTF-8; with an
    `override` (signed NOT READY: reason and authoriser) or a `cancellation` (the case did not go ahead: its
    reason) when there is one, so the hash covers it."""
    data = record.model_dump(mode="json")
    # Keys added later (issue 13) appear only when set, so records frozen before them hash as they did.
    if data.get("source") is None:
        data.pop("source", None)
    if data["procedure"].get("accession") is None:
        data["procedure"].pop("accession", None)
    if override:
        data["override"] = dict(override)
    if cancellation:
        data["cancellation"] = dict(cancellation)
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_sha256(canonical: str) -> str:
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
