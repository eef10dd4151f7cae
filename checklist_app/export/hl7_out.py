"""HL7 v2.5.1 MDM messages that carry the signed record PDF to the EHR, and reading the ACK that answers them."""

from __future__ import annotations

import base64
import datetime as dt
import re
from dataclasses import dataclass

from checklist_app.domain.errors import ChecklistError
from checklist_app.domain.records import Record

# MLLP framing (HL7 v2 minimal lower layer protocol): <VT> message <FS><CR>.
START_BLOCK, END_BLOCK = b"\x0b", b"\x1c\r"
ORIGINAL, REPLACEMENT = "MDM^T02^MDM_T02", "MDM^T10^MDM_T02"  # T10: document replaced (after a co-signature)
_SEX = {"female": "F", "male": "M", "other": "O", "unknown": "U"}


class Hl7Error(ChecklistError):
    """A message could not be built, or the answer to it is not an HL7 ACK."""


@dataclass(frozen=True, slots=True)
class OutgoingDocument:
    """What one MDM message says about one signed record."""

    record_id: str
    record: Record
    pdf: bytes
    status: str  # signed | reviewed | amended ...
    signed_at: dt.datetime
    signed_by: str  # "username^Full Name" is built from these two
    signer_name: str
    document_number: str = ""  # TXA-12: one per signed revision of the PDF
    parent_document_number: str | None = None  # TXA-13: the document this one replaces (T10, amendments)
    accession_number: str | None = None  # TXA-14 (placer order): the schedule's order, where the draft came from it


@dataclass(frozen=True, slots=True)
class Ack:
    code: str  # AA, AE, AR (or CA/CE/CR)
    control_id: str  # MSA-2: the MSH-10 it answers
    text: str  # MSA-3 / ERR, for the AE/AR report

    @property
    def accepted(self) -> bool:
        return self.code in ("AA", "CA")


def escape(text: str) -> str:
    """HL7 escape sequences for the delimiters (|^~\\&) and line breaks in free text."""
    text = text.replace("\\", "\\E\\").replace("|", "\\F\\").replace("^", "\\S\\").replace("&", "\\T\\")
    text = text.replace("~", "\\R\\")
    return re.sub(r"\r\n|\r|\n", "\\\\.br\\\\", text)


def mdm_message(
    doc: OutgoingDocument,
    *,
    control_id: str,
    replacement: bool,
    now: dt.datetime,
    sending_facility: str = "CHECKLIST",
    receiving: str = "EHR",
) -> str:
    """An MDM^T02 (original) or MDM^T10 (replacement) with the PDF base64-encoded in OBX-5 (type ED)."""
    patient = doc.record.patient
    family, _, given = patient.name.strip().rpartition(" ")
    if not family:  # a single name: the family name is all there is
        family, given = given, ""
    event = "T10" if replacement else "T02"
    when = _ts(now)
    signed = _ts(doc.signed_at)
    status = "LA"  # TXA-17 legally authenticated: every document sent is signed
    txa = [
        "TXA",
        "1",
        "CN^Pre-procedure readiness checklist^L",
        "AP",
        _ts(doc.record.procedure.scheduled_at),
        f"{escape(doc.signed_by)}^{escape(doc.signer_name)}",
        when,
        signed,
        "",
        "",
        "",
        "",
        escape(doc.document_number or doc.record_id),
        escape(doc.parent_document_number or ""),
        escape(doc.accession_number or ""),
        "",
        "",
        status,
        "",
        "AV",
        "",
        "",
        f"{escape(doc.signed_by)}^{escape(doc.signer_name)}^^^^^^^^^^^^{signed}",
    ]
    segments = [
        [
            "MSH",
            "^~\\&",
            "CHECKLIST-APP",
            escape(sending_facility),
            receiving,
            receiving,
            when,
            "",
            REPLACEMENT if replacement else ORIGINAL,
            control_id,
            "P",
            "2.5.1",
            "",
            "",
            "AL",
            "NE",
            "",
            "UNICODE UTF-8",
        ],
        ["EVN", event, when],
        [
            "PID",
            "1",
            "",
            f"{escape(patient.mrn)}^^^^MR",
            "",
            f"{escape(family)}^{escape(given)}",
            "",
            patient.birth_date.strftime("%Y%m%d"),
            _SEX[patient.sex],
        ],
        ["PV1", "1", "O"],
        txa,
        [
            "OBX",
            "1",
            "ED",
            "CHECKLIST^Pre-procedure readiness checklist (signed PDF/A-3b)^L",
            "",
            "^AP^PDF^Base64^" + base64.b64encode(doc.pdf).decode("ascii"),
            "",
            "",
            "",
            "",
            "",
            "F",
            "",
            "",
            signed,
        ],
    ]
    # MSH-1 is the field separator itself, so MSH's fields are joined after it.
    lines = ["MSH|" + "|".join(segments[0][1:])] + ["|".join(s) for s in segments[1:]]
    return "\r".join(lines) + "\r"


def frame(message: str) -> bytes:
    return START_BLOCK + message.encode("utf-8") + END_BLOCK


def parse_ack(block: bytes) -> Ack:
    """The acknowledgement code, the control id it answers and its error text (MSA-3, ERR-8 or ERR-1)."""
    text = block.removeprefix(START_BLOCK).removesuffix(END_BLOCK).decode("utf-8", "replace")
    segments = [s for s in re.split(r"\r\n|\r|\n", text) if s]
    if not segments or not segments[0].startswith("MSH"):
        raise Hl7Error("The receiver's answer is not an HL7 message.")
    msa = next((s.split("|") for s in segments if s.startswith("MSA|")), None)
    if msa is None or len(msa) < 3:
        raise Hl7Error("The receiver's answer has no MSA segment (not an ACK).")
    words = [msa[3]] if len(msa) > 3 and msa[3] else []
    for err in (s.split("|") for s in segments if s.startswith("ERR|")):
        words += [f for f in (err[8] if len(err) > 8 else "", err[1] if len(err) > 1 else "") if f]
    return Ack(code=msa[1], control_id=msa[2], text="; ".join(_unescape(w) for w in words))


def _unescape(text: str) -> str:
    return (
        text.replace("\\F\\", "|")
        .replace("\\S\\", "^")
        .replace("\\T\\", "&")
        .replace("\\R\\", "~")
        .replace("\\.br\\", " ")
        .replace("\\E\\", "\\")
        .replace("^", " ")
    )


def _ts(when: dt.datetime) -> str:
    """HL7 DTM with seconds and the UTC offset, e.g. 20261124093000-0500."""
    return when.strftime("%Y%m%d%H%M%S%z")
