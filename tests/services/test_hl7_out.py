"""HL7 out: `hl7 send` to a real MLLP receiver (the `hl7` package's server): AA, AE, a down link that comes back.

The receiver runs in its own process so a test can stop and start it; it keeps every message it gets.
"""

from __future__ import annotations

import base64
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from checklist_app.cli import main
from checklist_app.export.hl7_out import escape, parse_ack
from tests.helpers.mllp_server import AE_REASON, MllpReceiver
from tests.helpers.world import World


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def receiver(tmp_path: Path) -> Iterator[MllpReceiver]:
    server = MllpReceiver(port=_free_port(), ack="AA", out=tmp_path / "inbox")
    server.out.mkdir()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def reviewed_id(world: World) -> str:
    case = world.signed_case("nurse")
    world.svc.documents.co_sign(world.user("charge"), world.password("charge"), case.record_id)
    return case.record_id


def _fields(message: str, segment: str) -> list[str]:
    line = next(s for s in message.split("\r") if s.startswith(segment + "|"))
    return line.split("|")


def test_hl7_send_gets_aa_and_the_pdf_arrives_whole(
    world: World, reviewed_id: str, receiver: MllpReceiver, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", world.url, "hl7", "send", reviewed_id, "--to", receiver.address]) == 0
    assert "(AA)" in capsys.readouterr().out
    (message,) = receiver.messages()
    msh, obx, txa = _fields(message, "MSH"), _fields(message, "OBX"), _fields(message, "TXA")
    assert msh[8] == "MDM^T02^MDM_T02" and msh[11] == "2.5.1"
    assert obx[2] == "ED"
    _, kind, subtype, encoding, data = obx[5].split("^")
    assert (kind, subtype, encoding) == ("AP", "PDF", "Base64")
    assert base64.b64decode(data) == world.svc.store.records.latest_pdf(reviewed_id).pdf
    assert txa[12] == f"{reviewed_id}-2" and txa[17] == "LA"
    pid = _fields(message, "PID")
    assert pid[3].split("^")[0] == world.svc.store.records.get(reviewed_id).record.patient.mrn
    (sent,) = world.svc.hl7.history(reviewed_id)
    assert sent.state == "sent" and sent.attempts == 1


def test_a_second_send_is_a_replacement_t10(world: World, reviewed_id: str, receiver: MllpReceiver) -> None:
    assert main(["--db", world.url, "hl7", "send", reviewed_id, "--to", receiver.address]) == 0
    assert main(["--db", world.url, "hl7", "send", reviewed_id, "--to", receiver.address]) == 0
    kinds = sorted(_fields(m, "MSH")[8] for m in receiver.messages())
    assert kinds == ["MDM^T02^MDM_T02", "MDM^T10^MDM_T02"]
    replacement = next(m for m in receiver.messages() if "MDM^T10" in m)
    assert _fields(replacement, "TXA")[13] == f"{reviewed_id}-1"  # it replaces the first signed revision


def test_an_ae_is_reported_with_its_reason_and_not_retried(
    world: World, reviewed_id: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server = MllpReceiver(port=_free_port(), ack="AE", out=tmp_path / "ae")
    server.out.mkdir()
    server.start()
    try:
        assert main(["--db", world.url, "hl7", "send", reviewed_id, "--to", server.address]) == 1
    finally:
        server.stop()
    err = capsys.readouterr().err
    assert "refused" in err and "(AE)" in err and AE_REASON in err
    assert list(server.received().values()) == [1]  # an AE is an answer: it is not sent again
    refused = [m for m in world.svc.hl7.history(reviewed_id) if m.destination == server.address]
    assert [m.state for m in refused] == ["refused"]


def test_a_down_link_queues_the_message_and_it_arrives_once(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Auto-send on signing with the receiver down: signing still succeeds and the message waits; once the
    receiver is up, `hl7 flush` delivers it, exactly once, and a later flush sends nothing again."""
    server = MllpReceiver(port=_free_port(), ack="AA", out=tmp_path / "later")
    server.out.mkdir()
    monkeypatch.setenv("CHECKLIST_HL7_AUTOSEND", server.address)
    case = world.signed_case("nurse")  # the receiver is not running
    (queued,) = world.svc.hl7.history(case.record_id)
    assert queued.state == "pending" and queued.kind == "MDM^T02" and "refused" in (queued.last_error or "")
    assert main(["--db", world.url, "hl7", "flush"]) == 1  # still down
    server.start()
    try:
        assert main(["--db", world.url, "hl7", "flush"]) == 0
        assert main(["--db", world.url, "hl7", "flush"]) == 0
        assert server.received() == {queued.control_id: 1}
        # The co-signature goes out as a replacement (T10) straight away now that the link is up.
        world.svc.documents.co_sign(world.user("charge"), world.password("charge"), case.record_id)
    finally:
        server.stop()
    states = [(m.kind, m.state) for m in world.svc.hl7.history(case.record_id)]
    assert states == [("MDM^T02", "sent"), ("MDM^T10", "sent")]
    assert len(server.received()) == 2


def test_escaping_and_ack_parsing() -> None:
    assert escape("a|b^c&d~e\\f\ng") == "a\\F\\b\\S\\c\\T\\d\\R\\e\\E\\f\\.br\\g"
    ack = parse_ack(b"\x0bMSH|^~\\&|EHR|X|CHK|Y|20261201||ACK|1|P|2.5.1\rMSA|AE|ABC|Bad \\F\\ thing\r\x1c\r")
    assert (ack.code, ack.control_id, ack.text, ack.accepted) == ("AE", "ABC", "Bad | thing", False)


def test_send_refuses_a_draft_and_a_bad_destination(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    draft = world.ready_case("nurse")
    assert main(["--db", world.url, "hl7", "send", draft.record_id, "--to", "127.0.0.1:9"]) == 1
    assert "Only a signed checklist" in capsys.readouterr().err
    assert main(["--db", world.url, "hl7", "send", draft.record_id, "--to", "nowhere"]) == 1
    assert "HOST:PORT" in capsys.readouterr().err
