"""DICOM Modality Worklist: one C-FIND for a day's scheduled procedure steps (pynetdicom), and each answer
as a domain ScheduledCase."""

from __future__ import annotations

import gc
import logging
import warnings
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo

from pydicom.dataset import Dataset
from pydicom.valuerep import PersonName
from pynetdicom import AE
from pynetdicom.sop_class import ModalityWorklistInformationFind  # type: ignore[attr-defined]

from checklist_app.domain.errors import ChecklistError
from checklist_app.domain.records import Patient
from checklist_app.domain.schedule import (
    CodeRef,
    ScheduledCase,
    ScheduleRefusal,
    level_in,
    parse_day,
    person_name,
    sex_code,
)

_PENDING = (0xFF00, 0xFF01)
# Tags named in refusals, as DICOM people read them.
T_PATIENT_ID, T_NAME, T_BIRTH = "(0010,0020) PatientID", "(0010,0010) PatientName", "(0010,0030) PatientBirthDate"
T_CODE, T_START = "(0032,1064) RequestedProcedureCodeSequence", "(0040,0002) ScheduledProcedureStepStartDate"


class WorklistError(ChecklistError):
    """The worklist could not be read whole: no connection, a refused association, a failed or cut query."""


@dataclass(frozen=True, slots=True)
class Answer:
    """One C-FIND match: the dataset, and a short reference for report lines (accession and step id)."""

    dataset: Dataset
    reference: str


def query_worklist(
    host: str,
    port: int,
    *,
    day: date,
    called_aet: str = "ANY-SCP",
    calling_aet: str = "CHECKLIST",
    timeout_s: float = 15.0,
) -> list[Answer]:
    """Every scheduled procedure step of `day`; WorklistError unless the server answered completely."""
    ae = AE(ae_title=calling_aet)
    ae.add_requested_context(ModalityWorklistInformationFind)
    ae.acse_timeout = ae.dimse_timeout = ae.network_timeout = timeout_s
    ae.connection_timeout = timeout_s
    with warnings.catch_warnings():
        # pynetdicom leaves the socket of a refused TCP connection for the garbage collector (a ResourceWarning
        # later, anywhere); it is collected here, where that warning is expected.
        warnings.simplefilter("ignore", ResourceWarning)
        assoc = ae.associate(host, port, ae_title=called_aet)
        rejected, established = assoc.is_rejected, assoc.is_established
        if not established:
            del assoc
            gc.collect()
    if rejected:
        raise WorklistError(
            f"the worklist server at {host}:{port} refused the association (called AE title "
            f"{called_aet!r}, calling {calling_aet!r}); check both AE titles with the RIS"
        )
    if not established:
        raise WorklistError(f"cannot reach a worklist server at {host}:{port} (no DICOM association)")
    answers: list[Answer] = []
    try:
        for status, identifier in assoc.send_c_find(_identifier(day), ModalityWorklistInformationFind):
            code = getattr(status, "Status", None)
            if code is None:
                raise WorklistError(
                    f"the worklist server at {host}:{port} went away mid-query "
                    f"({len(answers)} answers read); nothing was changed"
                )
            if code in _PENDING:
                if identifier is not None:
                    answers.append(Answer(identifier, _reference(identifier)))
            elif code == 0x0000:
                break
            else:
                raise WorklistError(
                    f"the worklist server at {host}:{port} answered the query with status "
                    f"0x{code:04X}; nothing was changed"
                )
    finally:
        if assoc.is_established:
            assoc.release()
    return answers


def _identifier(day: date) -> Dataset:
    ds = Dataset()
    ds.SpecificCharacterSet = "ISO_IR 192"  # answers may come back in UTF-8
    for keyword in (
        "PatientName",
        "PatientID",
        "IssuerOfPatientID",
        "PatientBirthDate",
        "PatientSex",
        "AccessionNumber",
        "RequestedProcedureID",
        "RequestedProcedureDescription",
    ):
        setattr(ds, keyword, "")
    code = Dataset()
    code.CodeValue = code.CodingSchemeDesignator = code.CodeMeaning = ""
    ds.RequestedProcedureCodeSequence = [code]
    step = Dataset()
    step.ScheduledProcedureStepStartDate = day.strftime("%Y%m%d")
    for keyword in (
        "ScheduledProcedureStepStartTime",
        "Modality",
        "ScheduledStationAETitle",
        "ScheduledProcedureStepID",
        "ScheduledProcedureStepDescription",
        "ScheduledProcedureStepStatus",
    ):
        setattr(step, keyword, "")
    ds.ScheduledProcedureStepSequence = [step]
    return ds


def _text(ds: Dataset, keyword: str) -> str:
    value = ds.get(keyword)
    if value is None:
        return ""
    return str(value).strip()


def _step(ds: Dataset) -> Dataset:
    seq = ds.get("ScheduledProcedureStepSequence")
    return seq[0] if seq else Dataset()


def _reference(ds: Dataset) -> str:
    accession = _text(ds, "AccessionNumber") or "-"
    step_id = _text(_step(ds), "ScheduledProcedureStepID") or "-"
    return f"accession {accession}, step {step_id}"


def step_key(ds: Dataset) -> str:
    accession, requested = _text(ds, "AccessionNumber"), _text(ds, "RequestedProcedureID")
    step_id = _text(_step(ds), "ScheduledProcedureStepID")
    if not (accession or step_id):
        raise ScheduleRefusal(
            "(0008,0050) AccessionNumber", "neither an accession number nor a step id", code="missing"
        )
    return f"{accession}|{requested}|{step_id}"[:200]


def _start(ds: Dataset, step: Dataset, zone: tzinfo) -> datetime:
    day_text = _text(step, "ScheduledProcedureStepStartDate")
    if not day_text:
        raise ScheduleRefusal(T_START, "no scheduled date", code="missing")
    day = parse_day(day_text, T_START)
    time_text = _text(step, "ScheduledProcedureStepStartTime").replace(":", "")
    digits = time_text.split(".")[0]
    try:
        moment = time(int(digits[0:2] or 0), int(digits[2:4] or 0), int(digits[4:6] or 0)) if digits else time()
    except ValueError:
        raise ScheduleRefusal(
            "(0040,0003) ScheduledProcedureStepStartTime", f"{time_text!r} is not a time", code="malformed"
        ) from None
    offset = _text(ds, "TimezoneOffsetFromUTC")  # (0008,0201) "+HHMM", when the RIS says it
    if len(offset) == 5 and offset[0] in "+-" and offset[1:].isdigit():
        sign = 1 if offset[0] == "+" else -1
        zone = timezone(sign * timedelta(hours=int(offset[1:3]), minutes=int(offset[3:5])))
    return datetime.combine(day, moment).replace(tzinfo=zone)


def to_case(ds: Dataset, zone: tzinfo) -> ScheduledCase:
    """One MWL answer → ScheduledCase (PN "Family^Given" → "Given Family", site time with its offset)."""
    step = _step(ds)
    mrn = _text(ds, "PatientID")
    if not mrn:
        raise ScheduleRefusal(T_PATIENT_ID, "no patient id (MRN)", code="missing")
    pn = ds.get("PatientName")
    name = ""
    if pn:
        pn = pn if isinstance(pn, PersonName) else PersonName(str(pn))
        name = person_name(pn.family_name, pn.given_name, pn.middle_name, pn.name_prefix, pn.name_suffix)
    if not name:
        raise ScheduleRefusal(T_NAME, "no patient name", code="missing")
    birth_text = _text(ds, "PatientBirthDate")
    if not birth_text:
        raise ScheduleRefusal(T_BIRTH, "no birth date", code="missing")
    try:
        patient = Patient(
            name=name[:200],
            birth_date=parse_day(birth_text, T_BIRTH),
            mrn=mrn[:64],
            sex=sex_code(_text(ds, "PatientSex")),
        )
    except ValueError:
        raise ScheduleRefusal(T_BIRTH, "the birth date is not plausible", code="malformed") from None
    codes = ds.get("RequestedProcedureCodeSequence") or step.get("ScheduledProtocolCodeSequence") or []
    first = codes[0] if codes else Dataset()
    code = CodeRef(
        scheme=_text(first, "CodingSchemeDesignator"), code=_text(first, "CodeValue"), text=_text(first, "CodeMeaning")
    )
    description = " ".join(
        (_text(ds, "RequestedProcedureDescription"), _text(step, "ScheduledProcedureStepDescription"), code.text)
    )
    status = _text(step, "ScheduledProcedureStepStatus").upper()
    accession = _text(ds, "AccessionNumber")[:64] or None
    try:
        return ScheduledCase(
            source="mwl",
            key=step_key(ds),
            issuer=_text(ds, "IssuerOfPatientID")[:64],
            patient=patient,
            accession=accession,
            code=code,
            code_field=T_CODE,
            scheduled_at=_start(ds, step, zone),
            level=level_in(description),
            cancelled=status in ("DISCONTINUED", "CANCELED", "CANCELLED"),
        )
    except ValueError:
        raise ScheduleRefusal(T_START, "not a plausible scheduled time", code="malformed") from None


logging.getLogger("pynetdicom").setLevel(logging.WARNING)  # its debug lines would carry the answers (PHI)
