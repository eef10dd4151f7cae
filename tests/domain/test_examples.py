"""Every worked example (shared/examples and ours) gives the verdict it expects."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from checklist_app.domain.errors import RecordError
from checklist_app.domain.readiness import Readiness, evaluate
from checklist_app.domain.records import parse_record
from checklist_app.services.catalog import form_for_record
from tests.helpers.examples import check_expectations, example_files, require_example


def _assess(record: dict[str, Any], now: datetime, form_ref: str) -> Readiness:
    """As `evaluate --form form_ref` does: a record pinned to an earlier version is judged by it."""
    parsed = parse_record(record)
    return evaluate(form_for_record(form_ref, parsed.form_hash, parsed.form_version), parsed, now)


@pytest.mark.parametrize(("path", "form_ref"), example_files())
def test_example_gives_its_expected_verdict(path: Path | None, form_ref: str) -> None:
    example = json.loads(require_example(path).read_text(encoding="utf-8"))
    now = datetime.fromisoformat(example["now"])
    if example["expect"].get("exit") == 1:
        with pytest.raises(RecordError):
            _assess(example["record"], now, form_ref)
        return
    check_expectations(example["expect"], _assess(example["record"], now, form_ref).to_json())
