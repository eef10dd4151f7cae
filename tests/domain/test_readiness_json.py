"""`checklist-app evaluate` prints every worked example's readiness JSON byte for byte as before (the contract)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checklist_app import cli
from tests.helpers.examples import OWN_EXAMPLES, SHARED_EXAMPLES_V2, example_files, require_example

EXPECTED = Path(__file__).resolve().parent / "readiness_json"


@pytest.mark.parametrize(("path", "form_ref"), example_files())
def test_evaluate_output_is_unchanged(
    path: Path | None,
    form_ref: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    example_path = require_example(path)
    folder = (
        "own"
        if example_path.parent == OWN_EXAMPLES
        else "shared-v2"
        if example_path.parent == SHARED_EXAMPLES_V2
        else "shared"
    )
    expected = EXPECTED / folder / example_path.stem
    example = json.loads(example_path.read_text(encoding="utf-8"))
    record = tmp_path / "record.json"
    record.write_text(json.dumps(example["record"]), encoding="utf-8")
    monkeypatch.delenv("CHECKLIST_FORMS_DIR", raising=False)
    # The v1 examples by the v1 form (as before), the v2 ones by the shipped form; ours pin their version.
    code = cli.main(["evaluate", "--form", form_ref, str(record), "--now", example["now"]])
    out, err = capsys.readouterr()
    if expected.with_suffix(".error").exists():
        assert (code, out) == (1, "")
        assert err == expected.with_suffix(".error").read_text(encoding="utf-8").replace("RECORD", str(record))
    else:
        assert (code, err) == (0, "")
        assert out == expected.with_suffix(".json").read_text(encoding="utf-8")
