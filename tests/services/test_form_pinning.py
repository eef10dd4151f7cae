"""A record is judged by the form it was made with, even after the site edits its form file."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError

from checklist_app.services.catalog import load_form
from tests.helpers.world import READY, World

SHIPPED = Path(__file__).resolve().parents[2] / "forms" / "fluoro-spine-injection.yaml"


def test_a_draft_keeps_its_form_after_the_site_changes_the_fasting_hours(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The new form (fasting always required) applies to new cases only; the open draft keeps its rules."""
    case = world.ready_case()
    assert case.readiness.state == "ready"

    site = tmp_path / "site-forms"
    site.mkdir()
    text = SHIPPED.read_text(encoding="utf-8")
    shipped = load_form("fluoro-spine-injection").version
    edited = text.replace(f'version: "{shipped}"', f'version: "{shipped}.site"').replace(
        "  fasting_always:\n    value: false", "  fasting_always:\n    value: true"
    )
    assert edited != text
    (site / "fluoro-spine-injection.yaml").write_text(edited, encoding="utf-8")
    monkeypatch.setenv("CHECKLIST_FORMS_DIR", str(site))
    assert load_form("fluoro-spine-injection").version == f"{shipped}.site"

    reopened = world.svc.cases.open_case(world.user("nurse"), case.record_id)
    assert reopened.form.version == shipped
    assert reopened.readiness.state == "ready"

    fresh = world.ready_case()
    assert fresh.form.version == f"{shipped}.site"
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


def test_a_record_made_with_the_v1_form_is_judged_by_it_after_the_v2_upgrade(world: World) -> None:
    """A draft pinned to 2026.11.1 whose stored copy is gone from this database still finds the shipped
    previous version by its hash, and keeps the v1 verdict (v1 never asks the proceduralist's name)."""
    from checklist_app.domain.records import Answer, Record
    from checklist_app.services.catalog import find_form

    v1 = find_form("fluoro-spine-injection", version="2026.11.1")
    assert v1 is not None and v1.version == "2026.11.1"
    case = world.new_case()
    v1_answers = {k: Answer(value=v) for k, v in READY.items() if k in v1.items}
    record = Record(
        form=v1.id,
        form_version=v1.version,
        form_hash=v1.content_hash,
        patient=case.record.patient,
        procedure=case.record.procedure,
        answers=v1_answers,
    )
    assert world.svc.cases.form_for(record) is v1
    assert world.svc.cases.refresh(case.model_copy(update={"record": record, "form": v1})).readiness.state == "ready"
