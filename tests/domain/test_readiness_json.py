"""`checklist-app evaluate` prints every worked example's readiness JSON byte for byte as before (the contract)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checklist_app import cli
from tests.helpers.examples import OWN_EXAMPLES, example_files, require_example

EXPECTED = Path(__file__).resolve().parent / "readiness_json"


@pytest.mark.parametrize("path", example_files())
def test_evaluate_output_is_unchanged(path: Path | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    example_path = require_example(path)
    expected = EXPECTED / ("own" if example_path.parent == OWN_EXAMPLES else "shared") / example_path.stem
    example = json.loads(example_path.read_text(encoding="utf-8"))
    record = tmp_path / "record.json"
    record.write_text(json.dumps(example["record"]), encoding="utf-8")
    monkeypatch.delenv("CHECKLIST_FORMS_DIR", raising=False)
    code = cli.main(["evaluate", "--form", "fluoro-spine-injection", str(record), "--now", example["now"]])
    out, err = capsys.readouterr()
    if expected.with_suffix(".error").exists():
        assert (code, out) == (1, "")
        assert err == expected.with_suffix(".error").read_text(encoding="utf-8").replace("RECORD", str(record))
    else:
        assert (code, err) == (0, "")
        assert out == expected.with_suffix(".json").read_text(encoding="utf-8")
