"""The command line through a subprocess, as scripts and other tools use it: JSON out, or exit 1 and one line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.examples import check_expectations, example_files, require_example
from tests.helpers.forms import FORM, FORM_FILE, FORM_TEXT, ready_record

NOW = "2026-11-24T08:00:00-05:00"
REPO = Path(__file__).resolve().parents[1]


def cli(*args: str | Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CHECKLIST_FORMS_DIR", "CHECKLIST_DB")}
    return subprocess.run(
        [sys.executable, "-m", "checklist_app", *map(str, args)],
        capture_output=True,
        text=True,
        input=stdin,
        cwd=REPO,
        env=env,
        timeout=60,
        check=False,
    )


def evaluate(record: Any, tmp_path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "record.json"
    path.write_text(json.dumps(record), encoding="utf-8")
    return cli("evaluate", "--form", "fluoro-spine-injection", path, "--now", NOW, *extra)


def one_error_line(done: subprocess.CompletedProcess[str]) -> str:
    """Exit 1, nothing on stdout, exactly one line on stderr and no traceback; returns that line."""
    assert done.returncode == 1, done.stderr
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    return lines[0]


# evaluate: the readiness JSON contract.


@pytest.mark.parametrize(("path", "form_ref"), example_files())
def test_evaluate_prints_the_expected_verdict_of_each_example(path: Path | None, form_ref: str, tmp_path: Path) -> None:
    example = json.loads(require_example(path).read_text(encoding="utf-8"))
    record_file = tmp_path / "record.json"
    record_file.write_text(json.dumps(example["record"]), encoding="utf-8")
    done = cli("evaluate", "--form", form_ref, record_file, "--now", example["now"])
    if example["expect"].get("exit") == 1:
        assert str(record_file) in one_error_line(done)
        return
    assert done.returncode == 0, done.stderr
    check_expectations(example["expect"], json.loads(done.stdout))


def test_evaluate_prints_the_readiness_json_contract(tmp_path: Path) -> None:
    done = evaluate(ready_record(), tmp_path)
    assert done.returncode == 0
    out = json.loads(done.stdout)
    assert {"state", "blockers", "missing", "warnings", "computed"} <= set(out)
    assert (out["state"], out["blockers"], out["missing"], out["warnings"]) == ("ready", [], [], [])
    assert out["computed"]["fasting"] == {"required": False, "ok": True, "items": []}


def test_evaluate_blocker_has_item_reason_and_hold_row(tmp_path: Path) -> None:
    record = ready_record({"anticoagulants": [{"drug": "apixaban", "last_dose_at": "2026-11-22T09:00:00-05:00"}]})
    out = json.loads(evaluate(record, tmp_path).stdout)
    assert out["state"] == "not_ready"
    assert out["blockers"][0]["item"] == "anticoagulants"
    assert "held 49 h of the required 72 h; eligible from" in out["blockers"][0]["reason"]
    row = out["computed"]["anticoagulants"][0]
    assert {k: row[k] for k in ("drug", "required_hours", "elapsed_hours", "eligible_at", "ok")} == {
        "drug": "apixaban",
        "required_hours": 72,
        "elapsed_hours": 49.0,
        "eligible_at": "2026-11-25T09:00:00-05:00",
        "ok": False,
    }


def test_evaluate_lists_missing_item_ids(tmp_path: Path) -> None:
    out = json.loads(evaluate(ready_record(drop=["consent.signed"]), tmp_path).stdout)
    assert (out["state"], out["missing"]) == ("incomplete", ["consent.signed"])


def test_evaluate_accepts_a_form_file_path(tmp_path: Path) -> None:
    record_file = tmp_path / "record.json"
    record_file.write_text(json.dumps(ready_record()), encoding="utf-8")
    done = cli("evaluate", "--form", FORM_FILE, record_file, "--now", NOW)
    assert json.loads(done.stdout)["state"] == "ready"


def test_evaluate_reads_the_record_from_stdin() -> None:
    done = cli("evaluate", "--form", "fluoro-spine-injection", "-", "--now", NOW, stdin=json.dumps(ready_record()))
    assert json.loads(done.stdout)["state"] == "ready"


# evaluate: bad input ends with exit 1 and one clear line.


def test_malformed_json_names_the_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "record.json"
    path.write_text('{\n  "form": "fluoro-spine-injection",\n  "patient": ,\n}\n', encoding="utf-8")
    line = one_error_line(cli("evaluate", "--form", "fluoro-spine-injection", path, "--now", NOW))
    assert f"{path}:3: not valid JSON" in line


def test_unknown_drug_is_one_line(tmp_path: Path) -> None:
    record = ready_record({"anticoagulants": [{"drug": "aspirin", "last_dose_at": "2026-11-20T09:00:00-05:00"}]})
    line = one_error_line(evaluate(record, tmp_path))
    assert "answers.anticoagulants[0].drug: unknown drug code 'aspirin'" in line


def test_naive_datetime_is_one_line(tmp_path: Path) -> None:
    line = one_error_line(evaluate(ready_record(procedure={"scheduled_at": "2026-11-24T10:00:00"}), tmp_path))
    assert "procedure.scheduled_at" in line
    assert "no UTC offset" in line


def test_future_dose_is_one_line(tmp_path: Path) -> None:
    record = ready_record({"anticoagulants": [{"drug": "apixaban", "last_dose_at": "2026-11-24T09:00:00-05:00"}]})
    line = one_error_line(evaluate(record, tmp_path))
    assert "answers.anticoagulants[0].last_dose_at" in line
    assert "later than now" in line


def test_number_out_of_range_is_one_line(tmp_path: Path) -> None:
    line = one_error_line(evaluate(ready_record({"labs.inr": 25}), tmp_path))
    assert "answers.labs.inr: 25 is outside the plausible range 0.5–20" in line


def test_unknown_item_id_is_one_line(tmp_path: Path) -> None:
    line = one_error_line(evaluate(ready_record({"consent.verbal": "met"}), tmp_path))
    assert "answers.consent.verbal: unknown item id" in line


def test_record_that_is_not_an_object_is_one_line(tmp_path: Path) -> None:
    assert "must be a JSON object" in one_error_line(evaluate([ready_record()], tmp_path))


def test_missing_record_file_is_one_line(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.json"
    line = one_error_line(cli("evaluate", "--form", "fluoro-spine-injection", missing, "--now", NOW))
    assert f"{missing}: file not found" in line


def test_naive_now_is_one_line_about_now(tmp_path: Path) -> None:
    line = one_error_line(evaluate(ready_record(), tmp_path, "--now", "2026-11-24T08:00:00"))
    assert "--now" in line
    assert "record.json" not in line  # the record is fine; the option is not


def test_unknown_form_id_is_one_line(tmp_path: Path) -> None:
    record_file = tmp_path / "record.json"
    record_file.write_text(json.dumps(ready_record()), encoding="utf-8")
    line = one_error_line(cli("evaluate", "--form", "no-such-form", record_file, "--now", NOW))
    assert "no form with id 'no-such-form'" in line


def test_evaluate_with_a_broken_form_names_the_form_line(tmp_path: Path) -> None:
    form = tmp_path / "broken.yaml"
    form.write_text(FORM_TEXT.replace("        min: 0.5\n", "        min: low\n"), encoding="utf-8")
    record_file = tmp_path / "record.json"
    record_file.write_text(json.dumps(ready_record()), encoding="utf-8")
    line = one_error_line(cli("evaluate", "--form", form, record_file, "--now", NOW))
    expected = FORM_TEXT.splitlines().index("        min: 0.5") + 1
    assert line.startswith(f"{form}:{expected}: ")


# forms validate and forms schema.


def test_forms_validate_accepts_the_shipped_form() -> None:
    done = cli("forms", "validate", FORM_FILE)
    assert done.returncode == 0
    assert f"{FORM_FILE}: ok (fluoro-spine-injection" in done.stdout


def test_forms_validate_prints_path_line_message_for_a_broken_form(tmp_path: Path) -> None:
    form = tmp_path / "site.yaml"
    form.write_text(FORM_TEXT.replace("block_above: inr_max", "block_above: inr_limit"), encoding="utf-8")
    line = one_error_line(cli("forms", "validate", form))
    expected = FORM_TEXT.splitlines().index("        block_above: inr_max") + 1
    index = [item.id for item in FORM.sections[1].items].index("labs.inr")
    assert line == f"{form}:{expected}: sections[1].items[{index}].block_above: 'inr_limit' is not a numeric parameter"


def test_forms_validate_reports_only_the_broken_one_of_several(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: tiny\n\tversion: 1\n", encoding="utf-8")
    done = cli("forms", "validate", FORM_FILE, broken)
    assert done.returncode == 1
    assert done.stderr == f"{broken}:2: not valid YAML: found character '\\t' that cannot start any token\n"
    assert f"{FORM_FILE}: ok" in done.stdout


def test_forms_validate_missing_file_is_one_line(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.yaml"
    assert one_error_line(cli("forms", "validate", missing)) == f"{missing}:1: file not found"


def test_forms_schema_prints_the_json_schema_of_the_form_format() -> None:
    done = cli("forms", "schema")
    assert done.returncode == 0
    schema = json.loads(done.stdout)
    assert {"id", "version", "sections", "drugs", "parameters"} <= set(schema["properties"])
    assert "CheckItem" in schema["$defs"]


def test_launch_options_alone_start_the_app_and_anything_else_is_the_command_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`checklist-app [--db URL] [--debug]` goes straight to the app (no subcommand parser is built); --help, a
    subcommand or a --db without its URL are the command line's."""
    from checklist_app import cli as cli_module
    from checklist_app.ui.shell import app as ui_app

    started: list[str | None] = []
    monkeypatch.setattr(ui_app, "run", lambda db_url=None: started.append(db_url) or 0)
    monkeypatch.delenv("CHECKLIST_DB", raising=False)
    assert cli_module.main(["--debug", "--db", "sqlite:///ward.db"]) == 0
    assert cli_module.main(["--db=sqlite:///other.db"]) == 0
    assert started == ["sqlite:///ward.db", "sqlite:///other.db"]
    assert os.environ["CHECKLIST_DB"] == "sqlite:///other.db"
    with pytest.raises(SystemExit):
        cli_module.main(["--db"])  # argparse: "expected one argument"
    with pytest.raises(SystemExit):
        cli_module.main(["--help"])
    assert started == ["sqlite:///ward.db", "sqlite:///other.db"]
