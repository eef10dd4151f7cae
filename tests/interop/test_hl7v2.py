"""HL7 v2 messages → domain values and ACKs, without a network: charsets, versions, timestamps, escapes."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from checklist_app.domain.schedule import ScheduleRefusal
from checklist_app.interop import hl7v2
from tests.interop.peers import adt, msh, pid, siu

ZONE = ZoneInfo("America/New_York")


def test_a_booking_becomes_a_scheduled_case() -> None:
    message = hl7v2.parse(siu("S12", "C1").encode(), ZONE)
    case = message.case
    assert message.kind == "book" and case is not None
    assert (case.key, case.accession, case.issuer, case.level) == ("placer:APT1^RIS", "ACC1", "HOSP", "L4-L5")
    assert (case.patient.name, case.patient.sex, case.code.code, case.code.scheme) == (
        "Jane Doe",
        "female",
        "62323",
        "CPT",
    )
    assert case.scheduled_at == datetime(2026, 11, 24, 9, 30, tzinfo=timezone(timedelta(hours=-5)))


def test_a_latin1_message_says_so_in_msh18_and_is_read_as_such() -> None:
    text = adt("A04", "L1", family="Ødegård", given="Zoë").replace("UNICODE UTF-8", "8859/1")
    message = hl7v2.parse(text.encode("latin-1"), ZONE)
    assert message.patient is not None and message.patient.name == "Zoë Ødegård"


def test_a_utf8_message_that_is_not_utf8_is_rejected_naming_msh18() -> None:
    with pytest.raises(hl7v2.Hl7Rejected) as caught:
        hl7v2.parse(adt("A04", "L2", family="Ødegård").encode("latin-1"), ZONE)
    assert caught.value.where == "MSH-18" and caught.value.code == hl7v2.ERR_DATA_TYPE


@pytest.mark.parametrize(
    ("text", "where", "code"),
    [
        (siu("S12", "V1").replace("|P|2.5|", "|P|2.9|"), "MSH-12", hl7v2.ERR_UNSUPPORTED_VERSION),
        (siu("S12", "").replace("SIU_S12||P", "SIU_S12||P"), "MSH-10", hl7v2.ERR_REQUIRED_MISSING),
        (siu("S12", "V3").replace("SIU^S12^SIU_S12", "SIU^S99^SIU_S12"), "MSH-9", hl7v2.ERR_UNSUPPORTED_EVENT),
        ("garbage", "MSH", hl7v2.ERR_SEGMENT_SEQUENCE),
    ],
)
def test_what_cannot_be_processed_is_rejected_naming_where(text: str, where: str, code: str) -> None:
    with pytest.raises(hl7v2.Hl7Rejected) as caught:
        hl7v2.parse(text.encode(), ZONE)
    assert (caught.value.where, caught.value.code) == (where, code)


def test_version_2_3_and_a_timestamp_without_offset_in_the_site_zone() -> None:
    text = siu("S12", "O1", start="202611240930").replace("|P|2.5|", "|P|2.3|")
    case = hl7v2.parse(text.encode(), ZONE).case
    assert case is not None and case.scheduled_at == datetime(2026, 11, 24, 9, 30, tzinfo=ZONE)
    assert case.scheduled_at.utcoffset() == timedelta(hours=-5)


def test_a_cancel_needs_only_the_appointment() -> None:
    text = "\r".join([msh("S15", "X1"), "SCH|APT1^RIS"])
    message = hl7v2.parse(text.encode(), ZONE)
    assert (message.kind, message.key, message.case) == ("cancel", "placer:APT1^RIS", None)


def test_missing_fields_are_refused_by_name() -> None:
    for text, field in (
        (siu("S12", "M1", patient=pid(birth="")), "PID-7"),
        (siu("S12", "M2", patient=pid(family="")), "PID-5"),
        ("\r".join([msh("S12", "M3"), pid()]), "SCH"),
    ):
        with pytest.raises(ScheduleRefusal) as caught:
            hl7v2.parse(text.encode(), ZONE)
        assert caught.value.field == field


def test_escaped_delimiters_in_a_name_are_undone() -> None:
    message = hl7v2.parse(adt("A04", "E1", family="Smith\\T\\Jones").encode(), ZONE)
    assert message.patient is not None and message.patient.name == "Jane Smith&Jones"


def test_an_ack_swaps_the_applications_and_escapes_its_reason() -> None:
    header = hl7v2.peek_header(siu("S12", "K1").encode())
    text = hl7v2.ack(
        header,
        "AE",
        control_id="A1",
        now=datetime(2026, 11, 24, 8, 0, tzinfo=ZONE),
        error_where="AIS-3",
        error_code=hl7v2.ERR_TABLE_VALUE,
        error_text="code CPT^99999 | unknown",
    )
    msh_seg, msa, err = text.strip("\r").split("\r")
    assert msh_seg.split("|")[2:6] == ["CHECKLIST", "SUITE", "RIS", "HOSP"]
    assert msh_seg.split("|")[8:12] == ["ACK^S12^ACK", "A1", "P", "2.5"]
    assert msa.split("|")[:3] == ["MSA", "AE", "K1"]
    assert err.split("|")[2:5] == ["AIS^1^3", "103^Table value not found^HL70357", "E"]
    assert err.endswith("code CPT\\S\\99999 \\F\\ unknown")
