"""HL7 v2 scheduling and registration messages (SIU^S12–S15, ADT^A04/A08) → domain values, and their ACKs.

hl7apy parses and checks each segment (names, structure, the version's field layout); the fields this app
needs are then read and checked here, and every refusal names the field (PID-3, AIS-3, ...).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone, tzinfo
from typing import Literal

from hl7apy.consts import VALIDATION_LEVEL
from hl7apy.core import Segment
from hl7apy.exceptions import HL7apyException
from hl7apy.parser import parse_segment

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

Kind = Literal["book", "cancel", "register", "update"]

# Message types this listener takes, and what each means here.
KINDS: dict[str, Kind] = {
    "SIU^S12": "book",
    "SIU^S13": "book",
    "SIU^S14": "book",
    "SIU^S15": "cancel",
    "ADT^A04": "register",
    "ADT^A08": "update",
}
# MSH-18 → Python codec; an absent MSH-18 is read as UTF-8 (ASCII is a subset of it).
CHARSETS = {"": "utf-8", "UNICODE UTF-8": "utf-8", "ASCII": "ascii", "8859/1": "latin-1", "8859/15": "iso8859-15"}
SUPPORTED_VERSIONS = ("2.3", "2.3.1", "2.4", "2.5", "2.5.1", "2.6", "2.7", "2.7.1", "2.8")

# Segments whose content becomes the case: hl7apy parses them whole (its field layout for the version). The
# rest (MSH, SCH with its 27 fields, RGS, EVN) only need to be segments of that version; parsing them whole
# cost most of a message's time (bench: a thousand messages in a row).
PARSED_WHOLE = frozenset({"PID", "AIS", "OBR"})

# HL7 table 0357 (message error condition codes) used in ERR-3.
ERR_SEGMENT_SEQUENCE, ERR_REQUIRED_MISSING, ERR_DATA_TYPE, ERR_TABLE_VALUE = "100", "101", "102", "103"
ERR_UNSUPPORTED_TYPE, ERR_UNSUPPORTED_EVENT, ERR_UNSUPPORTED_VERSION, ERR_INTERNAL = "200", "201", "203", "207"
ERR_TEXT = {
    "100": "Segment sequence error",
    "101": "Required field missing",
    "102": "Data type error",
    "103": "Table value not found",
    "200": "Unsupported message type",
    "201": "Unsupported event code",
    "203": "Unsupported version id",
    "207": "Application internal error",
}
# ScheduleRefusal.code → table 0357 code.
REFUSAL_CODES = {
    "missing": ERR_REQUIRED_MISSING,
    "unmapped": ERR_TABLE_VALUE,
    "malformed": ERR_DATA_TYPE,
    "identity": ERR_INTERNAL,
}


class Hl7Rejected(Exception):
    """The message cannot be processed at all (AR): unreadable, malformed, a type or version not taken."""

    def __init__(self, where: str, message: str, code: str) -> None:
        self.where = where
        self.message = message
        self.code = code
        super().__init__(f"{where}: {message}" if where else message)


@dataclass(frozen=True, slots=True)
class Header:
    """The MSH fields an ACK needs (no patient data)."""

    control_id: str = ""
    message_type: str = ""  # "SIU^S12"
    sending_app: str = ""
    sending_facility: str = ""
    receiving_app: str = ""
    receiving_facility: str = ""
    version: str = "2.5"
    charset: str = ""
    encoding: str = "^~\\&"


@dataclass(frozen=True, slots=True)
class Hl7Message:
    header: Header
    kind: Kind
    case: ScheduledCase | None = None  # book
    key: str = ""  # book, cancel: the appointment
    patient: Patient | None = None  # register, update
    issuer: str = ""
    segments: tuple[str, ...] = field(default=(), repr=False)


def peek_header(raw: bytes) -> Header:
    """The MSH of a message as far as it can be read (for the ACK of a message that cannot be parsed)."""
    first = raw.split(b"\r", 1)[0].split(b"\n", 1)[0]
    if not first.startswith(b"MSH") or len(first) < 8:
        return Header()
    sep = chr(first[3])
    fields = first.decode("latin-1").split(sep)
    enc = fields[1] if len(fields) > 1 else "^~\\&"

    def at(n: int) -> str:  # MSH-n is fields[n - 1]: MSH-1 is the separator itself
        return fields[n - 1] if len(fields) >= n else ""

    comp = enc[0] if enc else "^"
    msg_type = comp.join(at(9).split(comp)[:2])
    version = at(12).split(comp)[0] or "2.5"
    return Header(
        control_id=at(10)[:199],
        message_type=msg_type,
        sending_app=at(3),
        sending_facility=at(4),
        receiving_app=at(5),
        receiving_facility=at(6),
        version=version,
        charset=at(18).split("~")[0],
        encoding=enc[:4] or "^~\\&",
    )


def decode(raw: bytes, header: Header) -> str:
    codec = CHARSETS.get(header.charset.strip().upper())
    if codec is None:
        raise Hl7Rejected("MSH-18", f"character set {header.charset!r} is not supported", ERR_DATA_TYPE)
    try:
        return raw.decode(codec)
    except UnicodeDecodeError as exc:
        raise Hl7Rejected("MSH-18", f"the message is not valid {codec} (byte {exc.start})", ERR_DATA_TYPE) from None


class _Segment:
    """One hl7apy-parsed segment, read by field number; repetitions and components split, escapes undone."""

    def __init__(self, name: str, index: int, fields: list[str], enc: str) -> None:
        self.name, self.index, self._fields = name, index, fields
        self._comp, self._rep, self._esc, self._sub = enc[0], enc[1], enc[2], enc[3] if len(enc) > 3 else "&"

    def where(self, n: int) -> str:
        return f"{self.name}-{n}"

    def reps(self, n: int) -> list[list[str]]:
        """Field n's repetitions, each split into its components (still escaped: see comp)."""
        raw = self._fields[n] if n < len(self._fields) else ""
        return [rep.split(self._comp) for rep in raw.split(self._rep) if rep]

    def comp(self, n: int, c: int = 1, rep: int = 0) -> str:
        """Component c of field n (its first subcomponent), escapes undone: split first, then unescape."""
        reps = self.reps(n)
        if len(reps) <= rep or len(reps[rep]) < c:
            return ""
        return self._unescape(reps[rep][c - 1].split(self._sub)[0]).strip()

    def _unescape(self, text: str) -> str:
        if self._esc not in text:
            return text
        e = re.escape(self._esc)
        table = {"F": "|", "S": self._comp, "R": self._rep, "E": self._esc, "T": self._sub}
        return re.sub(f"{e}([FSRET]){e}", lambda m: table[m.group(1)], text)


def _segments(text: str, header: Header) -> list[_Segment]:
    lines = [line for line in re.split(r"\r\n|\r|\n", text) if line.strip()]
    if not lines or not lines[0].startswith("MSH"):
        raise Hl7Rejected("MSH", "the message does not start with an MSH segment", ERR_SEGMENT_SEQUENCE)
    version = header.version if header.version in SUPPORTED_VERSIONS else None
    if version is None:
        raise Hl7Rejected("MSH-12", f"version {header.version!r} is not supported", ERR_UNSUPPORTED_VERSION)
    hl7apy_version = {
        "2.3": "2.3",
        "2.3.1": "2.3.1",
        "2.4": "2.4",
        "2.5": "2.5",
        "2.5.1": "2.5.1",
        "2.6": "2.6",
        "2.7": "2.7",
        "2.7.1": "2.7.1",
        "2.8": "2.8",
    }[version]
    out: list[_Segment] = []
    counts: dict[str, int] = {}
    sep = lines[0][3]
    for line in lines:
        name = line[:3]
        counts[name] = counts.get(name, 0) + 1
        where = f"{name}^{counts[name]}" if re.fullmatch(r"[A-Z][A-Z0-9]{2}", name) else f"segment {len(out) + 1}"
        position = f"segment {len(out) + 1} ({name.encode('unicode_escape').decode('ascii')})"
        if len(line) > 3 and line[3] != sep:
            raise Hl7Rejected(
                where, f"{position} is malformed: its name is not followed by the field separator", ERR_SEGMENT_SEQUENCE
            )
        try:
            if name in PARSED_WHOLE:
                parse_segment(
                    line,
                    version=hl7apy_version,
                    encoding_chars=_encoding_chars(header, sep),
                    validation_level=VALIDATION_LEVEL.TOLERANT,
                )
            else:  # the segment must exist in this version; its fields are not read (or only a few, below)
                Segment(name, version=hl7apy_version, validation_level=VALIDATION_LEVEL.TOLERANT)
        except HL7apyException as exc:
            raise Hl7Rejected(where, f"{position} is malformed ({type(exc).__name__})", ERR_SEGMENT_SEQUENCE) from None
        fields = line.split(sep)
        if name == "MSH":  # MSH-1 is the separator: keep field numbers equal to list positions
            fields = ["MSH", sep, *fields[1:]]
        out.append(_Segment(name, counts[name], fields, header.encoding))
    return out


def _encoding_chars(header: Header, sep: str) -> dict[str, str]:
    enc = header.encoding + "^~\\&"[len(header.encoding) :]
    return {
        "FIELD": sep,
        "COMPONENT": enc[0],
        "REPETITION": enc[1],
        "ESCAPE": enc[2],
        "SUBCOMPONENT": enc[3],
        "GROUP": "\r",
        "SEGMENT": "\r",
    }


def _first(segments: list[_Segment], name: str) -> _Segment | None:
    return next((s for s in segments if s.name == name), None)


def _need(segments: list[_Segment], name: str) -> _Segment:
    seg = _first(segments, name)
    if seg is None:
        raise ScheduleRefusal(name, f"the message has no {name} segment", code="missing")
    return seg


_TS = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})?(\d{2})?(?:\.\d{1,4})?)?([+-]\d{4})?$")


def parse_ts(text: str, where: str, zone: tzinfo) -> datetime:
    """An HL7 TS/DTM; without an offset it is the site's local time."""
    match = _TS.match(text.strip())
    if match is None:
        raise ScheduleRefusal(
            where, f"{text.strip()!r} is not a date and time (YYYYMMDDHHMM[SS][+/-ZZZZ])", code="malformed"
        )
    y, mo, d, h, mi, s, off = match.groups()
    try:
        naive = datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0))
    except ValueError:
        raise ScheduleRefusal(where, f"{text.strip()!r} is not a real date and time", code="malformed") from None
    if off:
        sign = 1 if off[0] == "+" else -1
        return naive.replace(tzinfo=timezone(sign * timedelta(hours=int(off[1:3]), minutes=int(off[3:5]))))
    return naive.replace(tzinfo=zone)


def _patient(segments: list[_Segment]) -> tuple[Patient, str]:
    pid = _need(segments, "PID")
    reps = pid.reps(3)
    if not reps or not reps[0][0].strip():
        raise ScheduleRefusal("PID-3", "no patient identifier (MRN)", code="missing")
    chosen = next((i for i, r in enumerate(reps) if len(r) > 4 and r[4].strip().upper() == "MR"), 0)
    mrn = pid.comp(3, 1, chosen)
    issuer = pid.comp(3, 4, chosen)
    if len(mrn) > 64:
        raise ScheduleRefusal("PID-3", "the MRN is longer than 64 characters", code="malformed")
    family, given, middle = pid.comp(5, 1), pid.comp(5, 2), pid.comp(5, 3)
    name = person_name(family, given, middle, suffix=pid.comp(5, 4))
    if not family:
        raise ScheduleRefusal("PID-5", "no patient family name", code="missing")
    birth_text = pid.comp(7, 1)
    if not birth_text:
        raise ScheduleRefusal("PID-7", "no birth date", code="missing")
    birth: date = parse_day(birth_text, "PID-7")
    try:
        patient = Patient(name=name[:200], birth_date=birth, mrn=mrn, sex=sex_code(pid.comp(8, 1)))
    except ValueError:
        raise ScheduleRefusal("PID-7", "the birth date is not plausible", code="malformed") from None
    return patient, issuer[:64]


def _appointment_key(segments: list[_Segment]) -> str:
    sch = _need(segments, "SCH")
    for n in (1, 2):  # placer appointment id, else the filler's
        ident = sch.comp(n, 1)
        if ident:
            namespace = sch.comp(n, 2)
            return f"{'placer' if n == 1 else 'filler'}:{ident}^{namespace}"[:200]
    raise ScheduleRefusal("SCH-1", "no appointment id (SCH-1 placer or SCH-2 filler)", code="missing")


def _booking(segments: list[_Segment], zone: tzinfo, key: str, cancelled: bool) -> ScheduledCase:
    sch = _need(segments, "SCH")
    patient, issuer = _patient(segments)
    ais, obr = _first(segments, "AIS"), _first(segments, "OBR")
    if ais is not None and ais.comp(3, 1):
        code = CodeRef(code=ais.comp(3, 1), text=ais.comp(3, 2), scheme=ais.comp(3, 3))
        code_field = "AIS-3"
    elif obr is not None and obr.comp(4, 1):
        code = CodeRef(code=obr.comp(4, 1), text=obr.comp(4, 2), scheme=obr.comp(4, 3))
        code_field = "OBR-4"
    else:
        raise ScheduleRefusal("AIS-3", "no procedure code (AIS-3 universal service identifier)", code="missing")
    start_text, start_field = "", "AIS-4"
    if ais is not None and ais.comp(4, 1):
        start_text = ais.comp(4, 1)
    elif sch.comp(11, 4):  # the older TQ timing of SCH-11
        start_text, start_field = sch.comp(11, 4), "SCH-11"
    if not start_text:
        raise ScheduleRefusal("AIS-4", "no start date and time", code="missing")
    accession = sch.comp(27, 1) or sch.comp(26, 1) or (obr.comp(3, 1) if obr else "") or None
    level = level_in(code.text) or level_in(sch.comp(7, 2))
    try:
        return ScheduledCase(
            source="hl7",
            key=key,
            issuer=issuer,
            patient=patient,
            accession=accession[:64] if accession else None,
            code=code,
            code_field=code_field,
            scheduled_at=parse_ts(start_text, start_field, zone),
            level=level,
            cancelled=cancelled,
        )
    except ValueError as exc:
        raise ScheduleRefusal(
            start_field, f"not a plausible appointment ({exc.__class__.__name__})", code="malformed"
        ) from None


def parse(raw: bytes, zone: tzinfo) -> Hl7Message:
    """Read one message; Hl7Rejected (AR) when it cannot be processed, ScheduleRefusal (AE) when its content
    is refused."""
    header = peek_header(raw)
    if not header.message_type:
        raise Hl7Rejected("MSH", "not an HL7 v2 message (no MSH segment with a message type)", ERR_SEGMENT_SEQUENCE)
    if not header.control_id:
        raise Hl7Rejected("MSH-10", "no message control id", ERR_REQUIRED_MISSING)
    text = decode(raw, header)
    kind = KINDS.get(header.message_type)
    if kind is None:
        known_type = header.message_type.split("^")[0] in {"SIU", "ADT"}
        raise Hl7Rejected(
            "MSH-9",
            f"message type {header.message_type} is not taken here (SIU^S12-S15, ADT^A04/A08)",
            ERR_UNSUPPORTED_EVENT if known_type else ERR_UNSUPPORTED_TYPE,
        )
    segments = _segments(text, header)
    names = tuple(s.name for s in segments)
    if kind in ("register", "update"):
        patient, issuer = _patient(segments)
        return Hl7Message(header, kind, patient=patient, issuer=issuer, segments=names)
    key = _appointment_key(segments)
    if kind == "cancel":
        return Hl7Message(header, kind, key=key, segments=names)
    case = _booking(segments, zone, key, cancelled=False)
    return Hl7Message(header, kind, case=case, key=key, segments=names)


def _escape(text: str, enc: str) -> str:
    full = (enc + "^~\\&"[len(enc) :])[:4]
    comp, rep, esc, sub = full[0], full[1], full[2], full[3]
    out = text.replace(esc, f"{esc}E{esc}")
    for ch, code in (("|", "F"), (comp, "S"), (rep, "R"), (sub, "T")):
        out = out.replace(ch, f"{esc}{code}{esc}")
    return out.replace("\r", " ").replace("\n", " ")


def _location(where: str) -> str:
    """ "PID-3" → "PID^1^3" (ERR-2: segment id ^ sequence ^ field position)."""
    match = re.fullmatch(r"([A-Z][A-Z0-9]{2})(?:\^(\d+))?(?:-(\d+))?", where)
    if match is None:
        return ""
    name, seq, fld = match.groups()
    return "^".join(p for p in (name, seq or "1", fld or "") if p)


def ack(
    header: Header,
    code: Literal["AA", "AE", "AR"],
    *,
    control_id: str,
    now: datetime,
    error_where: str = "",
    error_code: str = "",
    error_text: str = "",
) -> str:
    """The ACK for a message: MSH + MSA (+ ERR naming the field when refused)."""
    enc = header.encoding if len(header.encoding) >= 4 else "^~\\&"
    trigger = header.message_type.split("^")[1] if "^" in header.message_type else ""
    stamp = now.strftime("%Y%m%d%H%M%S") + now.strftime("%z")
    charset = header.charset if header.charset.strip().upper() in CHARSETS else ""
    msh = "|".join(
        [
            "MSH",
            enc,
            header.receiving_app,
            header.receiving_facility,
            header.sending_app,
            header.sending_facility,
            stamp,
            "",
            f"ACK^{trigger}^ACK" if trigger else "ACK",
            control_id,
            "P",
            header.version if header.version in SUPPORTED_VERSIONS else "2.5",
            "",
            "",
            "",
            "",
            "",
            charset,
        ]
    )
    msa_text = "" if code == "AA" else _escape(error_text, enc)[:80]
    segments = [msh.rstrip("|"), "|".join(["MSA", code, _escape(header.control_id, enc), msa_text]).rstrip("|")]
    if code != "AA":
        location = _location(error_where)
        codetext = f"{error_code}^{ERR_TEXT.get(error_code, '')}^HL70357" if error_code else ""
        eld = f"{location}^{error_code}" if location else ""  # v2.3/2.4 ERR-1 for older receivers
        segments.append("|".join(["ERR", eld, location, codetext, "E", "", "", "", _escape(error_text, enc)]))
    return "\r".join(segments) + "\r"
