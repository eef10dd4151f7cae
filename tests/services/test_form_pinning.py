"""A record is judged by the form it was made with, even after the site edits its form file."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError

from checklist_app.services.catalog import load_form
from tests.helpers.world import World

SHIPPED = Path(__file__).resolve().parents[2] / "forms" / "fluoro-spine-injection.yaml"


def test_a_draft_keeps_its_form_after_the_site_changes_the_fasting_hours(
        world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The new form (fasting always required) applies to new cases only; the open draft keeps its rules."""
    case = world.ready_case()
    assert case.readiness.state == "ready"

    site = tmp_path / "site-forms"
    site.mkdir()
    text = SHIPPED.read_text(encoding="utf-8")
    edited = text.replace('version: "2026.11.1"', 'version: "2026.12.1"').replace(
        "  fasting_always:\n    value: false", "  fasting_always:\n    value: true")
    assert edited != text
    (site / "fluoro-spine-injection.yaml").write_text(edited, encoding="utf-8")
    monkeypatch.setenv("CHECKLIST_FORMS_DIR", str(site))
    assert load_form("fluoro-spine-injection").version == "2026.12.1"

    reopened = world.svc.cases.open_case(world.user("nurse"), case.record_id)
    assert reopened.form.version == "2026.11.1"
    assert reopened.readiness.state == "ready"

    fresh = world.ready_case()
    assert fresh.form.version == "2026.12.1"
    assert "fasting.last_solids_at" in fresh.readiness.missing


def test_stored_form_definitions_cannot_be_rewritten(world: World) -> None:
    world.new_case()
    with pytest.raises(IntegrityError, match="append-only"):
        world.raw_sql("UPDATE form_definitions SET form_version = 'forged'")
    with pytest.raises(IntegrityError, match="append-only"):
        world.raw_sql("DELETE FROM form_definitions")


def test_the_site_authority_cannot_be_swapped(world: World) -> None:
    """Its certificate is the trust root of every verification: a database edit must not replace it."""
    world.ready_case()  # the authority exists once a signer exists
    with pytest.raises(IntegrityError, match="append-only"):
        world.raw_sql("UPDATE site_authority SET cert_pem = 'forged'")
    with pytest.raises(IntegrityError, match="append-only"):
        world.raw_sql("DELETE FROM site_authority")
