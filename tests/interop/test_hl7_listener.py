"""`checklist-app hl7 listen` as a ward runs it, driven by HL7 clients no one here wrote (mllp_send from the hl7
package, node-hl7-client): each message type, each refusal, split reads, two clients, 1,000 messages."""

from __future__ import annotations

import json
import select
import socket
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select as sql_select

from checklist_app.store import Store
from checklist_app.store.tables import audit, patients, schedule_entries
from tests.interop.peers import (
    TIMEOUT_S,
    Ack,
    RunningListener,
    adt,
    frame,
    hl7_listener,
    mllp_send,
    node_acks,
    node_send,
    pid,
    siu,
)
from tests.pgserver import PgServer


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'ward.db'}"
    Store.open(url).close()  # migrated before the listener starts, as `db upgrade` would
    return url


@pytest.fixture
def listener(db_url: str, tmp_path: Path) -> Iterator[RunningListener]:
    with hl7_listener(db_url, tmp_path) as running:
        yield running
        code, log = running.stop()
        assert code == 0, log
        assert "stopped" in log


def drafts(url: str) -> list[dict[str, object]]:
    with Store.open(url) as store:
        rows = store.records.search(None, limit=500).items
        return [
            {
                "id": r.id,
                "name": r.patient_name,
                "mrn": r.mrn,
                "type": r.procedure_type,
                "level": r.level,
                "at": r.scheduled_at,
                "birth": r.birth_date,
            }
            for r in rows
        ]


def audit_details(url: str, action: str) -> list[dict[str, object]]:
    with Store.open(url) as store:
        rows = store.db.read(
            lambda c: (
                c.execute(sql_select(audit.c.detail).where(audit.c.action == action).order_by(audit.c.seq))
                .scalars()
                .all()
            )
        )
    return [json.loads(r) for r in rows]


def test_each_message_type_is_applied_and_acknowledged(listener: RunningListener, tmp_path: Path) -> None:
    """S12 books, S13 reschedules, S14 modifies, A04 registers, A08 updates (audited), S15 cancels."""
    acks = mllp_send(
        listener.port,
        [
            siu("S12", "C1"),
            siu("S13", "C2", start="20261124110000-0500"),
            siu("S14", "C3", start="20261124110000-0500", code="64483", text="Transforaminal epidural L5-S1"),
            adt("A04", "C4", mrn="MRN2002", family="Smith", given="Sam", birth="19700101", sex="M"),
            adt("A08", "C5", family="Doe-Brown", given="Jane"),
        ],
        tmp_path,
    )
    assert [(a.code, a.control_id) for a in acks] == [
        ("AA", "C1"),
        ("AA", "C2"),
        ("AA", "C3"),
        ("AA", "C4"),
        ("AA", "C5"),
    ]
    [row] = drafts(listener.db_url)
    assert row["type"] == "transforaminal_epidural" and row["level"] == "L5-S1"
    assert row["at"] == datetime.fromisoformat("2026-11-24T11:00:00-05:00")
    assert row["name"] == "Jane Doe-Brown"  # the A08 reached the open draft
    with Store.open(listener.db_url) as store:
        record = store.records.get(str(row["id"])).record
        assert (record.source, record.procedure.accession) == ("hl7", "ACC1")
        known = store.db.read(
            lambda c: c.execute(sql_select(patients.c.mrn, patients.c.name).order_by(patients.c.mrn)).all()
        )
        assert [tuple(k) for k in known] == [("MRN1001", "Jane Doe-Brown"), ("MRN2002", "Sam Smith")]
    [update] = audit_details(listener.db_url, "patient.updated")
    assert update["control_id"] == "C5" and update["old"]["name"] == "Jane Doe"  # type: ignore[index]

    [cancel] = mllp_send(listener.port, [siu("S15", "C6")], tmp_path)
    assert (cancel.code, cancel.control_id) == ("AA", "C6")
    with Store.open(listener.db_url) as store:
        entry = store.db.read(lambda c: c.execute(sql_select(schedule_entries)).one())
        assert entry.removed_at is not None and "S15" in entry.removed_reason
        assert store.records.get(str(row["id"])).status == "draft"  # marked, never deleted
    controls = [d["control_id"] for d in audit_details(listener.db_url, "hl7.message")]
    assert controls == ["C1", "C2", "C3", "C4", "C5", "C6"]


REFUSALS = [
    # (message, MSA-1, ERR-2 location, ERR-3 code)
    (siu("S12", "E1", patient=pid(mrn="")), "AE", "PID^1^3", "101"),
    (siu("S12", "E2", code="99999"), "AE", "AIS^1^3", "103"),
    (siu("S12", "E3", appt="APT9", patient=pid(given="Janet")), "AE", "PID^1^3", "207"),
    (siu("S12", "E4", appt="APT8", patient=pid(birth="19610403")), "AE", "PID^1^3", "207"),
    (siu("S12", "E5", appt="APT7").replace("RGS|1", "R@S|1"), "AR", "", "100"),  # no name to give: ERR-8 says
    (siu("S12", "E6", appt="APT6").replace("RGS|1", "P1D|1"), "AR", "P1D^1", "100"),
    (siu("S12", "E7").replace("SIU^S12^SIU_S12", "ORU^R01^ORU_R01"), "AR", "MSH^1^9", "200"),
    (siu("S12", "E8", start="2026-11-24 09:30"), "AE", "AIS^1^4", "102"),
]


def test_each_refusal_names_the_field_with_a_second_client(listener: RunningListener, tmp_path: Path) -> None:
    """AE for content (missing PID-3, unmapped code, another name or birth date for a known MRN, a bad time),
    AR for what cannot be processed (malformed segment, unsupported type); nothing is written for them."""
    [booked] = mllp_send(listener.port, [siu("S12", "OK1")], tmp_path)
    assert booked.code == "AA"
    acks = node_send(listener.port, [m for m, *_ in REFUSALS], tmp_path)
    assert isinstance(acks, list)
    for ack, (_, code, location, err) in zip(acks, REFUSALS, strict=True):
        assert ack.code == code, ack
        assert ack.err is not None and ack.err.split("|")[2] == location and ack.err.split("|")[3].startswith(err), ack
    assert [a.control_id for a in acks] == [f"E{n}" for n in range(1, 9)]
    assert acks[4].err is not None and "segment 4" in acks[4].err
    assert len(drafts(listener.db_url)) == 1
    assert "Janet" not in listener.log.read_text()  # logs name control ids and fields, never the patient
    refused = [(d["control_id"], d["ack"]) for d in audit_details(listener.db_url, "hl7.message")][1:]
    assert refused == [(f"E{n}", code) for n, (_, code, *_rest) in enumerate(REFUSALS, start=1)]


def test_a_message_split_across_tcp_reads_is_answered_once_whole(listener: RunningListener) -> None:
    data = frame(siu("S12", "SPLIT1"))
    pieces = [data[:7], data[7:60], data[60:-1], data[-1:]]
    with socket.create_connection(("127.0.0.1", listener.port), timeout=TIMEOUT_S) as sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for piece in pieces[:-1]:
            sock.sendall(piece)
            # No ACK may come for part of a message (bounded look, not a sleep the test depends on).
            readable, _, _ = select.select([sock], [], [], 0.3)
            assert not readable, "the listener answered a message it had not read whole"
        sock.sendall(pieces[-1])
        reply = b""
        deadline = time.monotonic() + TIMEOUT_S
        while not reply.endswith(b"\x1c\r") and time.monotonic() < deadline:
            chunk = sock.recv(4096)
            assert chunk, "the listener closed the connection"
            reply += chunk
    ack = Ack.parse(reply.decode())
    assert (ack.code, ack.control_id) == ("AA", "SPLIT1")
    assert len(drafts(listener.db_url)) == 1


def test_two_clients_at_once_lose_nothing(listener: RunningListener, tmp_path: Path) -> None:
    """node-hl7-client and mllp_send on two connections at the same time, 60 bookings each."""
    node_messages = [siu("S12", f"N{i}", appt=f"NAPT{i}", patient=pid(mrn=f"N{i:04d}")) for i in range(60)]
    py_messages = [siu("S12", f"P{i}", appt=f"PAPT{i}", patient=pid(mrn=f"P{i:04d}")) for i in range(60)]
    background = node_send(listener.port, node_messages, tmp_path, background=True)
    assert not isinstance(background, list)
    py_acks = mllp_send(listener.port, py_messages, tmp_path)
    node_ack_list = node_acks(background)
    assert [a.code for a in py_acks + node_ack_list] == ["AA"] * 120
    assert sorted(a.control_id for a in node_ack_list) == sorted(f"N{i}" for i in range(60))
    assert len(drafts(listener.db_url)) == 120


@pytest.mark.postgres
def test_a_thousand_messages_in_a_row_none_lost(pg_server: PgServer, tmp_path: Path) -> None:
    """On PostgreSQL, as a ward runs the listener (one per database)."""
    url = pg_server.create_database()
    Store.open(url).close()
    with hl7_listener(url, tmp_path) as listener:
        _thousand(listener, tmp_path)
        code, log = listener.stop()
        assert code == 0, log


def _thousand(listener: RunningListener, tmp_path: Path) -> None:
    messages = [
        siu("S12", f"T{i:04d}", appt=f"TAPT{i}", accession=f"TACC{i}", patient=pid(mrn=f"T{i:05d}"))
        for i in range(1000)
    ]
    acks = mllp_send(listener.port, messages, tmp_path)
    assert [(a.code, a.control_id) for a in acks] == [("AA", f"T{i:04d}") for i in range(1000)]
    with Store.open(listener.db_url) as store:
        assert store.records.count(None) == 1000
        # Sending the same messages again changes nothing (idempotent, as a resending interface engine needs).
    again = mllp_send(listener.port, messages[:50], tmp_path)
    assert {a.code for a in again} == {"AA"}
    with Store.open(listener.db_url) as store:
        assert store.records.count(None) == 1000
        assert store.audit.verify().ok


def test_a_port_already_taken_is_one_line_and_exit_1(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    from checklist_app import cli

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert cli.main(["--db", db_url, "hl7", "listen", "--port", str(port)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"checklist-app: cannot listen on 127.0.0.1:{port}: ") and len(err.splitlines()) == 1
