"""`records reschedule` and `records cancel` run as a user would (subprocess, a real SQLite file): a draft moves
and is judged again, audited; a cancelled case is signed "Not ready — procedure cancelled" with its reason, is
listed by `records list --status cancelled`, verifies, and never enters the print queue. Synthetic data only."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.helpers.databases import copy_sqlite
from tests.test_cli_store import PASSWORDS, Cli, enrol, one_error_line, record_json


@pytest.fixture(scope="module")
def cli(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Cli:
    folder = tmp_path_factory.mktemp("outcomes")
    cli = Cli(folder=folder, db_path=folder / "checklists.db")
    copy_sqlite(sqlite_template, cli.db_path)
    enrol(cli, ("zoe", "Zoe Nurse", "nurse"))
    return cli


def _import(cli: Cli, mrn: str) -> str:
    path = cli.folder / f"{mrn}.json"
    path.write_text(json.dumps(record_json(mrn=mrn, **{"consent.signed": "not_met"})), encoding="utf-8")
    return cli.ok(
        "records", "import", str(path), "--user", "zoe", "--password-stdin", stdin=PASSWORDS["zoe"] + "\n"
    ).strip()


def _audit(cli: Cli, record_id: str) -> list[tuple[str, dict]]:
    with sqlite3.connect(cli.db_path) as db:
        rows = db.execute("SELECT action, detail FROM audit WHERE record_id = ? ORDER BY seq", (record_id,)).fetchall()
    return [(a, json.loads(d)) for a, d in rows]


def test_reschedule_moves_the_draft_and_audits_old_new_and_reason(cli: Cli) -> None:
    record_id = _import(cli, "SYNRES001")
    to = (datetime.now().astimezone() + timedelta(days=2)).replace(microsecond=0, second=0)
    out = cli.ok(
        "records",
        "reschedule",
        record_id,
        "--to",
        to.isoformat(),
        "--reason",
        "patient has a cold",
        "--user",
        "zoe",
        "--password-stdin",
        stdin=PASSWORDS["zoe"] + "\n",
    )
    assert out.split()[:3] == [record_id, "draft", to.isoformat()]
    (row,) = [
        json.loads(line)
        for line in cli.ok("records", "list", "--json").splitlines()
        if json.loads(line)["id"] == record_id
    ]
    assert datetime.fromisoformat(row["scheduled_at"]) == to
    action, detail = _audit(cli, record_id)[-1]
    assert action == "record.rescheduled" and detail["reason"] == "patient has a cold"
    assert datetime.fromisoformat(detail["to"]) == to and detail["from"] is not None


def test_reschedule_without_offset_is_one_line(cli: Cli) -> None:
    record_id = _import(cli, "SYNRES002")
    line = one_error_line(
        cli.run(
            "records",
            "reschedule",
            record_id,
            "--to",
            "2026-12-03T09:00",
            "--reason",
            "x",
            "--user",
            "zoe",
            "--password-stdin",
            stdin=PASSWORDS["zoe"] + "\n",
        )
    )
    assert line.startswith("checklist-app: --to:") and "UTC offset" in line


def test_cancel_signs_not_ready_with_its_reason_and_is_never_queued(cli: Cli) -> None:
    record_id = _import(cli, "SYNCAN001")
    out = cli.ok(
        "records",
        "cancel",
        record_id,
        "--reason",
        "procedure no longer indicated",
        "--user",
        "zoe",
        "--password-stdin",
        stdin=PASSWORDS["zoe"] + "\n",
    )
    assert out.startswith(f"{record_id} cancelled sha256 ")
    listed = cli.ok("records", "list", "--status", "cancelled", "--json").splitlines()
    assert [json.loads(line)["id"] for line in listed] == [record_id]
    pdf = cli.folder / "cancelled.pdf"
    cli.ok("records", "export", record_id, "-o", str(pdf))
    verified = cli.ok("verify", str(pdf))
    assert "as Not ready — procedure cancelled" in verified and "Verdict: VALID" in verified
    (detail,) = [d for a, d in _audit(cli, record_id) if a == "record.cancelled"]
    assert detail["reason"] == "procedure no longer indicated" and detail["meaning"] == "cancelled"
    again = one_error_line(
        cli.run(
            "records",
            "cancel",
            record_id,
            "--reason",
            "again",
            "--user",
            "zoe",
            "--password-stdin",
            stdin=PASSWORDS["zoe"] + "\n",
        )
    )
    assert again == "checklist-app: This checklist is cancelled; only a draft can be cancelled."
    signing = one_error_line(
        cli.run("records", "sign", record_id, "--user", "zoe", "--password-stdin", stdin=PASSWORDS["zoe"] + "\n")
    )
    assert "cancelled" in signing


def test_cancel_needs_a_reason(cli: Cli) -> None:
    record_id = _import(cli, "SYNCAN002")
    line = one_error_line(
        cli.run(
            "records",
            "cancel",
            record_id,
            "--reason",
            "  ",
            "--user",
            "zoe",
            "--password-stdin",
            stdin=PASSWORDS["zoe"] + "\n",
        )
    )
    assert "Cancelling needs a reason" in line
