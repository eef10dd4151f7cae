"""The worked examples (the team's shared folder and tests/domain/examples) and their `expect` checks."""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.forms import REPO

# Worked examples: ../shared/examples (the team's) and tests/domain/examples (ours), same format.
SHARED_EXAMPLES = REPO / ".." / "shared" / "examples"
OWN_EXAMPLES = REPO / "tests" / "domain" / "examples"
EXPECT_KEYS = {"state", "blockers_all", "blockers_any", "missing_all", "warnings", "computed_eligible", "exit"}


def example_files() -> list[Any]:
    """One pytest param per example file; `None` stands for a missing shared folder."""
    shared = ([pytest.param(p, id=f"shared/{p.name}") for p in sorted(SHARED_EXAMPLES.glob("*.json"))]
              if SHARED_EXAMPLES.is_dir() else [pytest.param(None, id="shared-folder-missing")])
    own = [pytest.param(p, id=f"own/{p.name}") for p in sorted(OWN_EXAMPLES.glob("*.json"))]
    return shared + own


def require_example(path: Path | None) -> Path:
    """The example path; fails in CI and skips elsewhere when the shared folder is not there."""
    if path is None:
        message = f"shared examples folder not found at {SHARED_EXAMPLES.resolve()}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


def check_expectations(expect: Mapping[str, Any], readiness: Mapping[str, Any]) -> None:
    """Assert the readiness JSON meets every `expect` key of the examples README."""
    assert set(expect) <= EXPECT_KEYS, f"unknown expect keys {set(expect) - EXPECT_KEYS}"
    blockers = [b["item"] for b in readiness["blockers"]]
    if "state" in expect:
        assert readiness["state"] == expect["state"]
    for item_id in expect.get("blockers_all", ()):
        assert item_id in blockers
    if "blockers_any" in expect:
        assert set(expect["blockers_any"]) & set(blockers)
    for item_id in expect.get("missing_all", ()):
        assert item_id in readiness["missing"]
    if expect.get("warnings"):
        assert readiness["warnings"]
    eligible = {row["drug"]: row["eligible_at"] for row in readiness["computed"]["anticoagulants"]}
    for drug, moment in expect.get("computed_eligible", {}).items():
        assert eligible.get(drug) is not None, f"no eligible_at for {drug}"
        assert datetime.fromisoformat(eligible[drug]) == datetime.fromisoformat(moment)  # the same instant
