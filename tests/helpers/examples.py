"""The worked examples (the team's shared folder and tests/domain/examples) and their `expect` checks."""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.forms import FORM, FORM_V1, REPO


# Worked examples: ../shared/examples (the team's, for the v1 form), ../shared/examples-v2 (for the shipped v2
# form) and tests/domain/examples (ours: each record pins the form version it was made with), same format.
def _shared_folder() -> Path:
    """The team's shared folder: beside the checkout (/work/main) or beside the worktrees folder."""
    for parent in REPO.parents:
        if (parent / "shared" / "examples").is_dir():
            return parent / "shared"
    return REPO.parent / "shared"


SHARED = _shared_folder()
SHARED_EXAMPLES = SHARED / "examples"
SHARED_EXAMPLES_V2 = SHARED / "examples-v2"
OWN_EXAMPLES = REPO / "tests" / "domain" / "examples"
EXPECT_KEYS = {
    "state",
    "blockers_all",
    "blockers_any",
    "missing_all",
    "warnings",
    "computed_eligible",
    "exit",
    "computed_ready_from",
}
V1_FORM_REF = f"{FORM_V1.id}@{FORM_V1.version}"


def example_files() -> list[Any]:
    """One pytest param (path, --form) per example file; a `None` path stands for a missing shared folder."""
    params: list[Any] = []
    for folder, ref, tag in ((SHARED_EXAMPLES, V1_FORM_REF, "shared"), (SHARED_EXAMPLES_V2, FORM.id, "shared-v2")):
        params += (
            [pytest.param(p, ref, id=f"{tag}/{p.name}") for p in sorted(folder.glob("*.json"))]
            if folder.is_dir()
            else [pytest.param(None, ref, id=f"{tag}-folder-missing")]
        )
    return params + [pytest.param(p, FORM.id, id=f"own/{p.name}") for p in sorted(OWN_EXAMPLES.glob("*.json"))]


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
    if "computed_ready_from" in expect:
        got, want = readiness["computed"].get("ready_from"), expect["computed_ready_from"]
        assert (got is None) == (want is None), f"ready_from {got!r}, expected {want!r}"
        if want is not None:
            assert datetime.fromisoformat(got) == datetime.fromisoformat(want)
    eligible = {row["drug"]: row["eligible_at"] for row in readiness["computed"]["anticoagulants"]}
    for drug, moment in expect.get("computed_eligible", {}).items():
        assert eligible.get(drug) is not None, f"no eligible_at for {drug}"
        assert datetime.fromisoformat(eligible[drug]) == datetime.fromisoformat(moment)  # the same instant
