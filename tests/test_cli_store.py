"""The store-backed command line, run as a user would (`python -m checklist_app --db URL ...` in a subprocess):
users add → records import → records sign (prepared, then reviewed by someone else) → records export → verify;
records list --json; audit verify before and after an attacker edits the log. Synthetic data only."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from checklist_app.services.auth import WRONG
from tests.helpers.databases import copy_sqlite

ZOE = "Zoë Łukasiewicz-Ødegård"
SOFIA = "Σοφία Παπαδοπούλου"
PATIENT = "Ærin Ñúñez-Łęcka"
PASSWORDS = {"zoe": "ready-set-go-2026", "sofia": "review-all-2026", "admin": "site-setup-by-alex-2026"}
TEMPORARY = "temporary-from-admin-2026"
READY = {
    "patient.two_identifiers": "met",
    "consent.signed": "met",
    "procedure.verified": "met",
    "site.marked": "met",
    "imaging.reviewed": "met",
    "allergies.reviewed": "met",
    "infection.absent": "met",
    "contrast.prior_reaction": "no",
    "sedation.planned": "no",
    "anticoagulants": [],
    "bleeding_risk.elevated": "no",
    "diabetes.present": "no",
    "vitals.recorded": "met",
    "personnel.proceduralist": {"value": "met", "note": "Dr. Rivera"},
    "personnel.radiologic_technologist": "met",
    "personnel.nurse": "met",
    "setting.fluoroscopy_ready": "met",
    "setting.radiation_protection": "met",
    "setting.resuscitation_ready": "met",
    "neuro.baseline_documented": "met",
    "steroid.planned": "dexamethasone",
}


@dataclass
class Cli:
    folder: Path
    db_path: Path
    log: list[subprocess.CompletedProcess[str]] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"sqlite:///{self.db_path}"

    def run(self, *args: str, stdin: str | None = None, db: str | None = None) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [sys.executable, "-m", "checklist_app", "--db", db or self.url, *args],
            input=stdin or "",
            capture_output=True,
            encoding="utf-8",
            timeout=120,
            check=False,
            cwd=self.folder,
        )
        self.log.append(result)
        return result

    def ok(self, *args: str, stdin: str | None = None) -> str:
        result = self.run(*args, stdin=stdin)
        assert result.returncode == 0, f"{args}: exit {result.returncode}\n{result.stderr}"
        assert "Traceback" not in result.stderr
        return result.stdout


def one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    """The contract: exit 1, exactly one readable line on stderr, never a traceback."""
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def record_json(name: str = PATIENT, mrn: str = "SYNCLI001", **answers: object) -> dict:
    now = datetime.now().astimezone()
    return {
        "form": "fluoro-spine-injection",
        "patient": {"name": name, "birth_date": "1961-04-02", "mrn": mrn, "sex": "male"},
        "procedure": {
            "type": "interlaminar_epidural",
            "level": "L4-L5",
            "laterality": "left",
            "scheduled_at": (now + timedelta(hours=3)).replace(microsecond=0).isoformat(),
        },
        "answers": {**READY, **answers},
    }


def poppler(tool: str) -> str:
    exe = shutil.which(tool)
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail(f"{tool} is missing: CI must install poppler-utils (apt-get install -y poppler-utils)")
        pytest.skip(f"{tool} not installed (apt-get install -y poppler-utils)")
    return exe


def flip_byte_in_first_stream(pdf: bytes) -> bytes:
    """Still a readable PDF, but one byte of signed content differs."""
    match = re.search(rb"stream\r?\n", pdf)
    assert match is not None
    data = bytearray(pdf)
    data[match.end() + 100] ^= 0x01
    return bytes(data)


@dataclass
class Flow:
    cli: Cli
    record_id: str
    record: dict
    wrong_password: subprocess.CompletedProcess[str]
    nurse_reviews: subprocess.CompletedProcess[str]
    sign_out: str
    cosign_out: str
    pdf_path: Path


def enrol(cli: Cli, *accounts: tuple[str, str, str]) -> None:
    """The first administrator needs no other (design.md); every later account is added by one, with a temporary
    password that the user replaces with their own (which issues their signing key)."""
    assert "added admin" in cli.ok(
        "users",
        "add",
        "admin",
        "--name",
        "Alex Admin",
        "--role",
        "admin",
        "--password-stdin",
        stdin=PASSWORDS["admin"] + "\n",
    )
    for username, name, role in accounts:
        assert f"added {username}" in cli.ok(
            "users",
            "add",
            username,
            "--name",
            name,
            "--role",
            role,
            "--admin",
            "admin",
            "--password-stdin",
            stdin=f"{PASSWORDS['admin']}\n{TEMPORARY}\n",
        )
        cli.ok("users", "password", username, "--password-stdin", stdin=f"{TEMPORARY}\n{PASSWORDS[username]}\n")


@pytest.fixture(scope="module")
def flow(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Flow:
    """The whole happy path once (keys and signatures are slow); the tests below check each step's output."""
    folder = tmp_path_factory.mktemp("cli")
    cli = Cli(folder=folder, db_path=folder / "checklists.db")
    copy_sqlite(sqlite_template, cli.db_path)  # the CLI finds it at the schema's head and skips the migrations
    enrol(cli, ("zoe", ZOE, "nurse"), ("sofia", SOFIA, "charge_nurse"))
    record = record_json()
    path = folder / "record.json"
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    record_id = cli.ok(
        "records", "import", str(path), "--user", "zoe", "--password-stdin", stdin=PASSWORDS["zoe"] + "\n"
    ).strip()

    wrong = cli.run("records", "sign", record_id, "--user", "zoe", "--password-stdin", stdin="ready-set-go-2025\n")
    signed = cli.ok("records", "sign", record_id, "--user", "zoe", "--password-stdin", stdin=PASSWORDS["zoe"] + "\n")
    nurse_reviews = cli.run(
        "records",
        "sign",
        record_id,
        "--user",
        "zoe",
        "--password-stdin",
        "--meaning",
        "reviewed",
        stdin=PASSWORDS["zoe"] + "\n",
    )
    cosigned = cli.ok(
        "records",
        "sign",
        record_id,
        "--user",
        "sofia",
        "--password-stdin",
        "--meaning",
        "reviewed",
        stdin=PASSWORDS["sofia"] + "\n",
    )
    pdf_path = folder / "exported.pdf"
    cli.ok("records", "export", record_id, "-o", str(pdf_path))
    return Flow(cli, record_id, record, wrong, nurse_reviews, signed, cosigned, pdf_path)


def test_import_prints_the_new_draft_id(flow: Flow) -> None:
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", flow.record_id)


def test_signing_with_a_wrong_password_is_one_line_and_exit_1(flow: Flow) -> None:
    assert one_error_line(flow.wrong_password) == f"checklist-app: {WRONG}"


def test_a_nurse_cannot_co_sign_as_reviewer(flow: Flow) -> None:
    line = one_error_line(flow.nurse_reviews)
    assert "Only a charge nurse can sign as “Reviewed by”" in line


def test_sign_and_co_sign_report_status_and_hash(flow: Flow) -> None:
    assert re.fullmatch(rf"{flow.record_id} signed sha256 [0-9a-f]{{64}}\n", flow.sign_out)
    assert flow.cosign_out.startswith(f"{flow.record_id} reviewed sha256 ")
    assert flow.sign_out.split()[-1] == flow.cosign_out.split()[-1]  # the review does not change the content


def test_verify_prints_both_signers_and_exits_0(flow: Flow) -> None:
    out = flow.cli.ok("verify", str(flow.pdf_path))
    lines = out.strip().splitlines()
    assert len(lines) == 3, out
    assert f"Signed by {ZOE} (zoe) as Prepared by" in lines[0] and lines[0].endswith("VALID")
    assert f"Signed by {SOFIA} (sofia) as Reviewed by" in lines[1] and lines[1].endswith("VALID")
    assert lines[2].startswith("Verdict: VALID")


def test_export_again_is_byte_identical(flow: Flow) -> None:
    again = flow.cli.folder / "again.pdf"
    assert flow.cli.ok("records", "export", flow.record_id, "-o", str(again)) == f"wrote {again}\n"
    assert again.read_bytes() == flow.pdf_path.read_bytes()


def test_verify_of_a_byte_flipped_copy_exits_1_and_pdfsig_sees_a_digest_mismatch(flow: Flow) -> None:
    flipped = flow.cli.folder / "flipped.pdf"
    flipped.write_bytes(flip_byte_in_first_stream(flow.pdf_path.read_bytes()))
    result = flow.cli.run("verify", str(flipped))
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert "Verdict: NOT VALID" in result.stdout
    assert "INVALID: the document was changed after this signature" in result.stdout
    text = subprocess.run(
        [poppler("pdfsig"), str(flipped)], capture_output=True, check=False, timeout=60
    ).stdout.decode("utf-8", "replace")
    assert "Digest Mismatch" in text, text


def test_verify_of_a_file_that_is_not_a_pdf_is_one_line(flow: Flow) -> None:
    junk = flow.cli.folder / "junk.pdf"
    junk.write_text("not a pdf at all\n", encoding="utf-8")
    assert one_error_line(flow.cli.run("verify", str(junk))).endswith("The file is not a PDF.")


def test_records_list_json_lines(flow: Flow) -> None:
    lines = flow.cli.ok("records", "list", "--json").splitlines()
    rows = [json.loads(line) for line in lines]
    (row,) = [r for r in rows if r["id"] == flow.record_id]
    assert row["status"] == "reviewed"
    assert row["patient"] == {"name": PATIENT, "mrn": "SYNCLI001"}
    assert (row["source"], row["accession"]) == ("typed", None)  # imported by hand: no schedule, no accession
    scheduled = datetime.fromisoformat(row["scheduled_at"])
    assert scheduled == datetime.fromisoformat(flow.record["procedure"]["scheduled_at"])
    assert flow.cli.ok("records", "list", "--json", "--status", "draft") == ""  # the only record is reviewed


def test_refusals_are_one_line_each(flow: Flow) -> None:
    cli = flow.cli
    admin_in = PASSWORDS["admin"] + "\n"
    assert "already exists" in one_error_line(
        cli.run(
            "users",
            "add",
            "zoe",
            "--name",
            "Other",
            "--role",
            "nurse",
            "--admin",
            "admin",
            "--password-stdin",
            stdin=admin_in + "another-one-for-her-2026\n",
        )
    )
    assert "--role" in one_error_line(
        cli.run(
            "users",
            "add",
            "x",
            "--name",
            "X",
            "--role",
            "surgeon",
            "--admin",
            "admin",
            "--password-stdin",
            stdin=admin_in + "whatever-we-say-2026\n",
        )
    )
    assert "already reviewed" in one_error_line(
        cli.run("records", "sign", flow.record_id, "--user", "zoe", "--password-stdin", stdin=PASSWORDS["zoe"] + "\n")
    )
    assert "no checklist with id" in one_error_line(cli.run("records", "export", "no-such-id", "-o", "x.pdf"))
    missing_dir = cli.folder / "no-such-folder" / "out.pdf"
    line = one_error_line(cli.run("records", "export", flow.record_id, "-o", str(missing_dir)))
    assert line.startswith(f"checklist-app: {missing_dir}: cannot write") and "unexpected" not in line
    assert "already exists" in one_error_line(
        cli.run("site", "init", "--admin", "admin", "--password-stdin", stdin=admin_in)
    )


def test_import_of_a_bad_answer_names_the_item_and_creates_nothing(flow: Flow) -> None:
    def count_records() -> int:
        with sqlite3.connect(flow.cli.db_path) as conn:
            count = int(conn.execute("SELECT count(*) FROM records").fetchone()[0])
        conn.close()
        return count

    before = count_records()
    future = (datetime.now().astimezone() + timedelta(hours=1)).isoformat()
    path = flow.cli.folder / "bad.json"
    # The bad answer comes last, after many good ones: a half-imported draft must not be left behind.
    path.write_text(json.dumps(record_json(mrn="SYNCLI002", **{"fasting.last_solids_at": future})), encoding="utf-8")
    line = one_error_line(
        flow.cli.run("records", "import", str(path), "--user", "zoe", "--password-stdin", stdin=PASSWORDS["zoe"] + "\n")
    )
    assert f"{path}: answers.fasting.last_solids_at" in line and "later than now" in line
    assert count_records() == before


def test_audit_verify_passes_then_names_the_entry_an_attacker_edited(flow: Flow) -> None:
    # Runs last in this module: it leaves the database with a broken audit chain.
    out = flow.cli.ok("audit", "verify")
    assert re.fullmatch(r"Audit log intact: \d+ entries checked\.\n", out)

    # An attacker with the database file: drop the append-only trigger, then rewrite who signed.
    with sqlite3.connect(flow.cli.db_path) as conn:
        (seq,) = conn.execute("SELECT seq FROM audit WHERE action = 'record.signed'").fetchone()
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute("UPDATE audit SET actor = 'mallory' WHERE seq = ?", (seq,))
        conn.execute("DROP TRIGGER trg_audit_no_update")
        conn.execute("UPDATE audit SET actor = 'mallory' WHERE seq = ?", (seq,))
    conn.close()

    line = one_error_line(flow.cli.run("audit", "verify"))
    assert f"Audit entry {seq} " in line and "was edited" in line


def test_signing_not_ready_needs_the_override_reason_and_the_authoriser(flow: Flow) -> None:
    """`records sign ... --override-reason TEXT --authorised-by NAME`: both, or one line and exit 1."""
    dose = (datetime.now().astimezone() - timedelta(hours=30)).replace(microsecond=0).isoformat()
    record = record_json(
        mrn="SYNCLI009",
        anticoagulants=[{"drug": "apixaban", "last_dose_at": dose}],
        **{"thrombotic_risk.high": "no", "antithrombotic.prescriber_agreed": {"value": "met", "note": "Dr. Okafor"}},
    )
    path = flow.cli.folder / "not-ready.json"
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    record_id = flow.cli.ok(
        "records", "import", str(path), "--user", "zoe", "--password-stdin", stdin=PASSWORDS["zoe"] + "\n"
    ).strip()
    sign = ("records", "sign", record_id, "--user", "zoe", "--password-stdin")
    reason_only = flow.cli.run(
        *sign, "--override-reason", "Proceduralist accepts the hold", stdin=PASSWORDS["zoe"] + "\n"
    )
    assert "name of the proceduralist who authorised it" in one_error_line(reason_only)
    out = flow.cli.ok(
        *sign,
        "--override-reason",
        "Proceduralist accepts the hold",
        "--authorised-by",
        "Dr. Amara Rivera",
        stdin=PASSWORDS["zoe"] + "\n",
    )
    assert out.startswith(f"{record_id} signed sha256 ")
