"""Every worked example (shared/examples and ours) gives the verdict it expects."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from checklist_app.domain.errors import RecordError
from tests.helpers.examples import check_expectations, example_files, require_example
from tests.helpers.forms import assess


@pytest.mark.parametrize("path", example_files())
def test_example_gives_its_expected_verdict(path: Path | None) -> None:
    example = json.loads(require_example(path).read_text(encoding="utf-8"))
    now = datetime.fromisoformat(example["now"])
    if example["expect"].get("exit") == 1:
        with pytest.raises(RecordError):
            assess(example["record"], now)
        return
    check_expectations(example["expect"], assess(example["record"], now).to_json())
