"""The command line refuses what the attack run did through it (issue 10, findings 5 and 9), on SQLite and
PostgreSQL: accounts and the site authority only through an authenticated administrator; a non-UTF-8 password
is one clear line and an audited failed attempt; no patient data in any error line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from checklist_app.services import passwords
from checklist_app.services.app import AppServices
from checklist_app.services.auth import NOT_TEXT, WRONG, AuthService
from checklist_app.services.models import Role
from checklist_app.store import Actions
from tests.helpers.databases import BACKENDS, copy_sqlite
from tests.helpers.forms import ready_record

ADMIN_PASSWORD = "site-setup-all-day-2026"
NURSE_PASSWORD = "real-nurse-secret-2026"


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield copy_sqlite(request.getfixturevalue("sqlite_template"), tmp_path / "checklists.db")
        return
    yield request.getfixturevalue("pg_databases").take()


def run(url: str, *args: str, stdin: bytes = b"", cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CHECKLIST_FORMS_DIR", "CHECKLIST_DB")}
    done = subprocess.run(
        [sys.executable, "-m", "checklist_app", "--db", url, *args],
        input=stdin,
        capture_output=True,
        env=env,
        timeout=120,
        check=False,
        cwd=cwd,
    )
    return subprocess.CompletedProcess(
        done.args, done.returncode, done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace")
    )


def refused(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 1, (done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr and "unexpected error" not in done.stderr, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    return lines[0]


def usernames(url: str) -> list[str]:
    svc = AppServices.open(url)
    try:
        return [u.username for u in svc.store.users.list_users()]
    finally:
        svc.close()


def test_only_an_authenticated_admin_adds_users_or_creates_the_site_authority(db_url: str) -> None:
    lines = f"{ADMIN_PASSWORD}\n{NURSE_PASSWORD}\n".encode()
    # On an empty database only an administrator may be the first account.
    assert "must be an administrator" in refused(
        run(
            db_url,
            "users",
            "add",
            "eve",
            "--name",
            "Real Nurse Name",
            "--role",
            "nurse",
            "--password-stdin",
            stdin=lines,
        )
    )
    assert usernames(db_url) == []
    run_ok = run(
        db_url,
        "users",
        "add",
        "alex",
        "--name",
        "Alex Admin",
        "--role",
        "admin",
        "--password-stdin",
        stdin=f"{ADMIN_PASSWORD}\n".encode(),
    )
    assert run_ok.returncode == 0, run_ok.stderr
    # The attack: anyone at the CLI creates a signer with a real nurse's full name. Now: no --admin, no account.
    assert "needs an administrator" in refused(
        run(
            db_url,
            "users",
            "add",
            "eve",
            "--name",
            "Real Nurse Name",
            "--role",
            "nurse",
            "--password-stdin",
            stdin=lines,
        )
    )
    assert (
        refused(
            run(
                db_url,
                "users",
                "add",
                "eve",
                "--name",
                "Real Nurse Name",
                "--role",
                "nurse",
                "--admin",
                "alex",
                "--password-stdin",
                stdin=f"wrong-admin-password-26\n{NURSE_PASSWORD}\n".encode(),
            )
        )
        == f"checklist-app: {WRONG}"
    )
    assert (
        refused(
            run(
                db_url,
                "users",
                "add",
                "eve",
                "--name",
                "Real Nurse Name",
                "--role",
                "nurse",
                "--admin",
                "nobody",
                "--password-stdin",
                stdin=lines,
            )
        )
        == f"checklist-app: {WRONG}"
    )
    assert usernames(db_url) == ["alex"]
    assert "--admin" in refused(run(db_url, "site", "init"))
    assert "--admin" in refused(run(db_url, "users", "reset", "alex", "--password-stdin", stdin=lines))

    added = run(
        db_url,
        "users",
        "add",
        "eve",
        "--name",
        "Eve Example",
        "--role",
        "nurse",
        "--admin",
        "alex",
        "--password-stdin",
        stdin=lines,
    )
    assert added.returncode == 0, added.stderr
    # A nurse is no administrator: she can neither add accounts nor reset passwords.
    nurse_lines = f"{NURSE_PASSWORD}\nanother-temporary-pass-26\n".encode()
    assert "not an administrator" in refused(
        run(
            db_url,
            "users",
            "add",
            "mallory",
            "--name",
            "Mal Example",
            "--role",
            "nurse",
            "--admin",
            "eve",
            "--password-stdin",
            stdin=nurse_lines,
        )
    )
    assert "not an administrator" in refused(
        run(db_url, "users", "reset", "alex", "--admin", "eve", "--password-stdin", stdin=nurse_lines)
    )
    assert sorted(usernames(db_url)) == ["alex", "eve"]


def test_a_non_utf8_password_is_one_clear_line_and_an_audited_failed_attempt(db_url: str) -> None:
    svc = AppServices.open(db_url)
    try:
        svc.auth.create_user("alex", "Alex Admin", {Role.ADMIN}, ADMIN_PASSWORD, actor="test-setup")
        before = svc.store.audit.verify()
        assert before.ok
    finally:
        svc.close()
    line = refused(
        run(
            db_url,
            "users",
            "add",
            "eve",
            "--name",
            "Eve Example",
            "--role",
            "nurse",
            "--admin",
            "alex",
            "--password-stdin",
            stdin=b"\xff\xfe-not-text\n" + NURSE_PASSWORD.encode() + b"\n",
        )
    )
    assert line == f"checklist-app: {NOT_TEXT}"
    svc = AppServices.open(db_url)
    try:
        failed = [e for e in svc.store.audit.entries(after_seq=0, limit=1000) if e.action == Actions.LOGIN_FAILED]
        assert [e.detail.get("reason") for e in failed] == ["password not UTF-8"]
        assert svc.store.users.get("alex").failed_attempts == 1  # counted toward the lockout like any other
        assert svc.store.audit.verify().ok
    finally:
        svc.close()


def test_unknown_names_are_checked_against_a_shipped_dummy_hash_not_one_built_per_process(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, sqlite_template: Path
) -> None:
    """Every CLI run is a new process: a dummy hash built on first use made the first unknown name ~120 ms slower
    than a known one. The shipped one has the production parameters, so checking it costs one real verify."""
    assert not passwords.needs_rehash(passwords.DUMMY_HASH, passwords.production_hasher())
    assert not passwords.verify_password(passwords.DUMMY_HASH, "not a real account, never a password!")
    from argon2 import PasswordHasher

    def no_hashing(self: PasswordHasher, password: str | bytes, *, salt: bytes | None = None) -> str:
        raise AssertionError("an unknown name must not cost a hash")

    url = copy_sqlite(sqlite_template, tmp_path / "checklists.db")
    svc = AppServices.open(url)  # production hasher, as the CLI runs
    try:
        auth: AuthService = svc.auth
        monkeypatch.setattr(PasswordHasher, "hash", no_hashing)
        with pytest.raises(Exception, match="Wrong user name"):
            auth.login("nobody-here", "whatever-they-typed-26")
    finally:
        svc.close()


@pytest.mark.parametrize(
    "patient",
    [
        {"sex": "SECRET-sex-value"},
        {"name": ""},
        {"name": "SECRET" * 100},
        {"name": 12345},
        {"birth_date": "SECRET-1961"},
        {"birth_date": "1761-04-02"},
        {"mrn": ["SECRET"]},
    ],
)
def test_a_rejected_patient_field_is_named_never_echoed(tmp_path: Path, patient: dict[str, object]) -> None:
    record = ready_record()
    record["patient"].update(patient)
    path = tmp_path / "record.json"
    path.write_text(json.dumps(record), encoding="utf-8")
    line = refused(run(f"sqlite:///{tmp_path / 'x.db'}", "evaluate", "--form", "fluoro-spine-injection", str(path)))
    (field,) = patient
    assert f"patient.{field}" in line
    for secret in ("SECRET", "12345", "1761"):
        assert secret not in line
