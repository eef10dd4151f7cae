"""A case as the hospital's schedule books it (MWL step or HL7 appointment), and how it becomes a draft."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from datetime import date
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from .errors import ChecklistError
from .forms import FormDefinition
from .records import Patient, Procedure, Record, Sex

FeedSource = Literal["mwl", "hl7"]


class ScheduleRefusal(ChecklistError):
    """The schedule's data cannot become a case; `field` names where (PID-3, AIS-3, (0010,0020) ...)."""

    def __init__(self, field: str, message: str, *, code: str = "unknown") -> None:
        self.field = field
        self.message = message
        # What kind of refusal, for the HL7 ERR segment: missing, unmapped, identity, malformed, ...
        self.code = code
        super().__init__(f"{field}: {message}" if field else message)


class PatientMismatch(ScheduleRefusal):
    """An MRN already known with another name or birth date: a possible wrong-patient booking."""

    def __init__(self, mrn_field: str, differs: list[str]) -> None:
        self.differs = differs
        # No value is repeated: error lines and ACKs travel through logs, and demographics are PHI.
        super().__init__(
            mrn_field,
            f"this MRN is already known with a different {' and '.join(differs)}; "
            "check the patient's identity (an ADT^A08 update corrects it)",
            code="identity",
        )


class CodeRef(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    scheme: str = ""
    code: str = ""
    text: str = ""


class ScheduledCase(BaseModel):
    """One booked procedure step, already converted from the feed's encoding (names, sex, times)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: FeedSource
    key: str = Field(min_length=1, max_length=200)  # the step's identity in the feed
    issuer: str = Field(default="", max_length=64)  # assigning authority of the MRN
    patient: Patient
    accession: str | None = Field(default=None, max_length=64)
    code: CodeRef
    code_field: str  # where the code came from, for refusals
    scheduled_at: AwareDatetime
    level: str = ""
    cancelled: bool = False

    def fingerprint(self) -> str:
        """Equal for two pulls of an unchanged step (idempotence)."""
        text = json.dumps(self.model_dump(mode="json"), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def procedure_type(form: FormDefinition, code: CodeRef, where: str) -> str:
    """The form's procedure type for a schedule code; a code the site has not mapped is refused."""
    if not code.code:
        raise ScheduleRefusal(where, "no requested procedure code", code="missing")
    entry = form.schedule_table.get((code.scheme.upper(), code.code))
    if entry is None:
        raise ScheduleRefusal(
            where,
            f"procedure code {code.scheme or '?'} {code.code} is not mapped to a procedure "
            f"in form {form.id} (add it under schedule_codes)",
            code="unmapped",
        )
    return entry.procedure


def procedure_for(form: FormDefinition, case: ScheduledCase) -> Procedure:
    return Procedure(
        type=procedure_type(form, case.code, case.code_field),
        level=case.level,
        scheduled_at=case.scheduled_at,
        accession=case.accession,
    )


def draft_record(form: FormDefinition, case: ScheduledCase, patient: Patient) -> Record:
    return Record(
        form=form.id,
        form_version=form.version,
        form_hash=form.content_hash,
        patient=patient,
        procedure=procedure_for(form, case),
        source=case.source,
    )


_LEVEL = re.compile(r"\b([CTLS])\s?(\d{1,2})\s*[-/–]\s*([CTLS])?\s?(\d{1,2})\b", re.IGNORECASE)


def level_in(text: str) -> str:
    """A spinal level written in a description ("... L4-L5 ...", "l5/s1") as L4-L5; "" when none."""
    match = _LEVEL.search(text or "")
    if match is None:
        return ""
    first, a, second, b = match.groups()
    return f"{first.upper()}{int(a)}-{(second or first).upper()}{int(b)}"


def person_name(family: str, given: str = "", middle: str = "", prefix: str = "", suffix: str = "") -> str:
    """DICOM PN / HL7 XPN components as the app writes names: "Given Middle Family Suffix"."""
    del prefix  # titles are not part of the identity the nurse checks
    return " ".join(p.strip() for p in (given, middle, family, suffix) if p and p.strip())


_SEX: dict[str, Sex] = {"F": "female", "M": "male", "O": "other", "A": "other", "N": "other"}


def sex_code(value: str) -> Sex:
    """DICOM (0010,0040) / HL7 PID-8 (table 0001) → the record's sex."""
    return _SEX.get(value.strip().upper(), "unknown")


def same_name(a: str, b: str) -> bool:
    """Names compared as a person would: case, spacing and Unicode normal form do not matter."""

    def norm(text: str) -> str:
        return " ".join(unicodedata.normalize("NFC", text).casefold().split())

    return norm(a) == norm(b)


def identity_differences(known: Patient, given: Patient) -> list[str]:
    """Which identifying fields differ (name, birth date); sex alone is a correction, not another person."""
    out = []
    if not same_name(known.name, given.name):
        out.append("name")
    if known.birth_date != given.birth_date:
        out.append("birth date")
    return out


def parse_day(text: str, where: str) -> date:
    """A DICOM DA / HL7 DT (YYYYMMDD) date."""
    digits = text.strip()[:8]
    try:
        if len(digits) != 8 or not digits.isdigit():
            raise ValueError
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        raise ScheduleRefusal(where, f"{text.strip()!r} is not a date (YYYYMMDD)", code="malformed") from None


LEVEL_FIRST = "the schedule gave no spinal level: confirm the level before the first answer"


def needs_level(record: Record) -> bool:
    """A case from the schedule without a level: the nurse confirms it before the first answer (design.md)."""
    return record.source in ("mwl", "hl7") and not record.procedure.level.strip() and not record.answers
