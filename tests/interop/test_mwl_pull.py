"""`checklist-app worklist pull` against dcmtk's wlmscpfs (started here with -csk, worklist files made by dump2dcm
from dumps written here): new, updated, unchanged, refused, non-ASCII names, removals, refused and cut queries."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from checklist_app import cli
from checklist_app.domain.records import Answer
from checklist_app.interop.mwl import WorklistError
from checklist_app.services.app import AppServices
from checklist_app.store import Store
from checklist_app.store.tables import schedule_entries
from tests.interop.peers import SITE_TZ, TIMEOUT_S, WorklistServer, wait_for_line, worklist_server

DAY = "2026-11-24"


@pytest.fixture
def db_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("CHECKLIST_SITE_TZ", SITE_TZ)
    return f"sqlite:///{tmp_path / 'suite.db'}"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[WorklistServer]:
    with worklist_server(tmp_path) as running:
        yield running


def pull(db_url: str, server: WorklistServer, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str, str]:
    code = cli.main(
        ["--db", db_url, "worklist", "pull", "--mwl", server.address, "--called-aet", server.aet, "--date", DAY, *extra]
    )
    out, err = capsys.readouterr()
    return code, out, err


def listed(db_url: str, capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    assert cli.main(["--db", db_url, "records", "list", "--json"]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_new_then_unchanged_then_updated(
    db_url: str, server: WorklistServer, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each step becomes a draft once; pulling again changes nothing; a moved step updates its draft."""
    server.write_step("a", accession="ACC1", step_id="S1", mrn="MRN1", patient_name="Doe^Jane")
    server.write_step(
        "b",
        accession="ACC2",
        step_id="S2",
        mrn="MRN2",
        patient_name="Roe^Rick",
        sex="M",
        code="64483",
        description="Transforaminal epidural",
        start="1015",
    )
    assert pull(db_url, server, capsys)[:2] == (0, "2 new, 0 updated, 0 unchanged, 0 refused\n")
    rows = {r["mrn"]: r for r in listed(db_url, capsys)}
    assert rows["MRN1"]["patient_name"] == "Jane Doe" and rows["MRN1"]["level"] == "L4-L5"
    assert (rows["MRN1"]["source"], rows["MRN1"]["accession"]) == ("mwl", "ACC1")  # where it came from
    assert (rows["MRN2"]["source"], rows["MRN2"]["accession"]) == ("mwl", "ACC2")
    assert rows["MRN1"]["scheduled_at"] == "2026-11-24T09:30:00-05:00"  # site time with its offset
    assert rows["MRN2"]["procedure_type"] == "transforaminal_epidural" and rows["MRN2"]["level"] == ""
    with Store.open(db_url) as store:
        record = store.records.get(str(rows["MRN1"]["id"])).record
        assert (record.source, record.procedure.accession, record.patient.sex) == ("mwl", "ACC1", "female")

    assert pull(db_url, server, capsys)[1] == "0 new, 0 updated, 2 unchanged, 0 refused\n"
    server.write_step("a", accession="ACC1", step_id="S1", mrn="MRN1", patient_name="Doe^Jane", start="1400")
    assert pull(db_url, server, capsys)[1] == "0 new, 1 updated, 1 unchanged, 0 refused\n"
    moved = {r["mrn"]: r for r in listed(db_url, capsys)}["MRN1"]
    assert moved["scheduled_at"] == "2026-11-24T14:00:00-05:00" and moved["id"] == rows["MRN1"]["id"]
    assert pull(db_url, server, capsys)[1] == "0 new, 0 updated, 2 unchanged, 0 refused\n"


def test_unmapped_code_and_known_mrn_with_another_name_are_refused(
    db_url: str, server: WorklistServer, capsys: pytest.CaptureFixture[str]
) -> None:
    server.write_step("a", accession="ACC1", step_id="S1", mrn="MRN1")
    assert pull(db_url, server, capsys)[1].startswith("1 new")
    server.write_step("b", accession="ACC2", step_id="S2", mrn="MRN2", code="99999")
    server.write_step("c", accession="ACC3", step_id="S3", mrn="MRN1", patient_name="Doe^Janet")
    code, out, _ = pull(db_url, server, capsys)
    lines = out.splitlines()
    assert code == 0 and lines[0] == "0 new, 0 updated, 1 unchanged, 2 refused"
    assert sorted(lines[1:]) == [
        "refused accession ACC2, step S2: (0032,1064) RequestedProcedureCodeSequence: procedure code CPT 99999 is "
        "not mapped to a procedure in form fluoro-spine-injection (add it under schedule_codes)",
        "refused accession ACC3, step S3: (0010,0020) PatientID: this MRN is already known with a different name; "
        "check the patient's identity (an ADT^A08 update corrects it)",
    ]
    assert "Janet" not in out  # the refusal names the field, not the patient
    assert [r["mrn"] for r in listed(db_url, capsys)] == ["MRN1"]


def test_a_non_ascii_name_in_utf8_arrives_exactly(
    db_url: str, server: WorklistServer, capsys: pytest.CaptureFixture[str]
) -> None:
    """Specific Character Set ISO_IR 192 in the file; wlmscpfs -csk passes it on; pydicom decodes it."""
    server.write_step("a", patient_name="Łukasiewicz-Ødegård^Zoë", mrn="MRN7")
    assert pull(db_url, server, capsys)[1].startswith("1 new")
    assert [r["patient_name"] for r in listed(db_url, capsys)] == ["Zoë Łukasiewicz-Ødegård"]


def test_a_step_gone_or_discontinued_marks_its_draft_removed_and_keeps_the_answers(
    db_url: str, server: WorklistServer, capsys: pytest.CaptureFixture[str]
) -> None:
    server.write_step("a", accession="ACC1", step_id="S1", mrn="MRN1")
    server.write_step("b", accession="ACC2", step_id="S2", mrn="MRN2", patient_name="Roe^Rick")
    assert pull(db_url, server, capsys)[1].startswith("2 new")
    by_mrn = {r["mrn"]: str(r["id"]) for r in listed(db_url, capsys)}
    with Store.open(db_url) as store:
        store.records.set_answer(
            by_mrn["MRN1"],
            "consent.signed",
            Answer(value="met", by="zoe", at=datetime.fromisoformat("2026-11-24T08:00:00-05:00")),
            expected_version=1,
            actor="zoe",
            readiness_state="incomplete",
        )
    server.remove_step("a")
    server.write_step("b", accession="ACC2", step_id="S2", mrn="MRN2", patient_name="Roe^Rick", status="DISCONTINUED")
    assert pull(db_url, server, capsys)[1] == "0 new, 2 updated, 0 unchanged, 0 refused\n"
    assert pull(db_url, server, capsys)[1] == "0 new, 0 updated, 1 unchanged, 0 refused\n"
    with Store.open(db_url) as store:
        entries = store.db.read(
            lambda c: c.execute(select(schedule_entries.c.record_id, schedule_entries.c.removed_reason)).all()
        )
        reasons = {r.record_id: r.removed_reason for r in entries}
        assert reasons[by_mrn["MRN1"]] == "no longer on the worklist"
        assert reasons[by_mrn["MRN2"]] == "discontinued in the schedule"
        kept = store.records.get(by_mrn["MRN1"])
        assert kept.status == "draft" and kept.record.value("consent.signed") == "met"


def test_an_empty_worklist(db_url: str, server: WorklistServer, capsys: pytest.CaptureFixture[str]) -> None:
    assert pull(db_url, server, capsys)[:2] == (0, "0 new, 0 updated, 0 unchanged, 0 refused\n")


def test_a_refused_association_is_one_line_and_exit_1(
    db_url: str, server: WorklistServer, capsys: pytest.CaptureFixture[str]
) -> None:
    server.write_step("a")
    code = cli.main(
        ["--db", db_url, "worklist", "pull", "--mwl", server.address, "--called-aet", "NOT-OURS", "--date", DAY]
    )
    out, err = capsys.readouterr()
    assert code == 1 and out == ""
    assert err.startswith("checklist-app: the worklist server at 127.0.0.1:") and "refused the association" in err
    assert len(err.strip().splitlines()) == 1


def test_the_server_going_away_mid_query_changes_nothing(db_url: str, tmp_path: Path) -> None:
    """wlmscpfs answers slowly (--sleep-during); it is killed after its first pending answer."""
    with worklist_server(tmp_path, extra=["--sleep-during", "5"]) as slow:
        for n in range(3):
            slow.write_step(f"s{n}", accession=f"ACC{n}", step_id=f"S{n}", mrn=f"MRN{n}")
        svc = AppServices.open(db_url)
        outcome: list[object] = []

        def run() -> None:
            try:
                outcome.append(
                    svc.schedule.pull(
                        "127.0.0.1", slow.port, day=date(2026, 11, 24), called_aet=slow.aet, timeout_s=TIMEOUT_S
                    )
                )
            except WorklistError as exc:
                outcome.append(exc)

        worker = threading.Thread(target=run)
        worker.start()
        try:
            wait_for_line(slow.log, "Find SCP Response 1 (Pending)", slow.proc, timeout_s=TIMEOUT_S)
            slow.proc.kill()
        finally:
            worker.join(TIMEOUT_S)
        assert not worker.is_alive()
        [error] = outcome
        assert isinstance(error, WorklistError) and "went away mid-query" in str(error), error
        assert svc.store.records.count(None) == 0
        svc.close()
