"""`checklist-app report` run as a user would (subprocess, a real SQLite file): the contract's JSON, the text
form, who may run it, and bad dates as one clear line. Synthetic data only."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.helpers.databases import copy_sqlite
from tests.test_cli_store import PASSWORDS, TEMPORARY, Cli, one_error_line, record_json

ADMIN = PASSWORDS["admin"] + "\n"


@pytest.fixture(scope="module")
def cli(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Cli:
    folder = tmp_path_factory.mktemp("report")
    cli = Cli(folder=folder, db_path=folder / "checklists.db")
    copy_sqlite(sqlite_template, cli.db_path)
    cli.ok("users", "add", "admin", "--name", "Alex Admin", "--role", "admin", "--password-stdin", stdin=ADMIN)
    cli.ok(
        "users",
        "add",
        "zoe",
        "--name",
        "Zoe Nurse",
        "--role",
        "nurse",
        "--admin",
        "admin",
        "--password-stdin",
        stdin=f"{PASSWORDS['admin']}\n{TEMPORARY}\n",
    )
    for mrn, consent in (("SYNREP001", "not_met"), ("SYNREP002", "met")):
        path = folder / f"{mrn}.json"
        path.write_text(json.dumps(record_json(mrn=mrn, **{"consent.signed": consent})), encoding="utf-8")
        cli.ok("records", "import", str(path), "--user", "zoe", "--password-stdin", stdin=TEMPORARY + "\n")
    return cli


def _period() -> tuple[str, ...]:
    today = date.today()  # the imported cases are scheduled three hours from now
    return ("--from", (today - timedelta(days=1)).isoformat(), "--to", (today + timedelta(days=1)).isoformat())


def test_report_json_has_the_contract_shape_and_the_counts(cli: Cli) -> None:
    data = json.loads(cli.ok("report", *_period(), "--json", "--user", "admin", "--password-stdin", stdin=ADMIN))
    assert data == {
        "cases": 2,
        "outcomes": {"signed_ready": 0, "signed_override": 0, "rescheduled": 0, "cancelled": 0, "open": 2},
        # The imported NOT READY case, by its blocker, from the saves the import made answer by answer.
        "reasons": [{"item": "consent.signed", "drug": None, "cases": 1}],
        "median_minutes_to_sign": None,
        "overrides": [],
    }


def test_report_as_the_contract_calls_it_needs_no_login(cli: Cli) -> None:
    """design.md's form, `report --from --to --json`, works for an outside tool as `records list` does, with
    the same figures a charge nurse or admin sees after logging in."""
    plain = json.loads(cli.ok("report", *_period(), "--json"))
    logged_in = json.loads(cli.ok("report", *_period(), "--json", "--user", "admin", "--password-stdin", stdin=ADMIN))
    assert plain == logged_in and plain["cases"] == 2


def test_report_text_names_the_reason_in_words(cli: Cli) -> None:
    out = cli.ok("report", *_period(), "--user", "admin", "--password-stdin", stdin=ADMIN)
    assert out.splitlines()[0].startswith("Why cases are not ready: ")
    assert "Cases scheduled: 2" in out
    assert "Procedure consent signed" in out and "[consent.signed]" in out
    assert "Median time from first answer to signing: no signed case" in out


def test_a_nurse_may_not_run_the_report(cli: Cli) -> None:
    line = one_error_line(cli.run("report", *_period(), "--user", "zoe", "--password-stdin", stdin=TEMPORARY + "\n"))
    assert "charge nurse or an administrator" in line


@pytest.mark.parametrize(
    ("dates", "says"),
    [
        (
            ("--from", "2026-11-30", "--to", "2026-11-01"),
            "--from/--to: the start 2026-11-30 is after the end 2026-11-01",
        ),
        (("--from", "2026-02-30", "--to", "2026-03-01"), "--from: '2026-02-30' is not a date (YYYY-MM-DD)"),
        (("--from", "2020-01-01", "--to", "2026-01-01"), "at most 731 days"),
    ],
)
def test_bad_dates_give_one_clear_line(cli: Cli, dates: tuple[str, ...], says: str) -> None:
    assert says in one_error_line(cli.run("report", *dates, "--user", "admin", "--password-stdin", stdin=ADMIN))
