"""Alembic migrations: empty database to head, first migration to head with data, and model/schema agreement."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.exc import IntegrityError

from checklist_app.store import Store, StoreError
from checklist_app.store.connection import alembic_config, create_store_engine, current_revision, upgrade
from checklist_app.store.tables import metadata

FIRST = "0001_initial"


def head() -> str:
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    assert len(heads) == 1, f"migrations must have exactly one head, found {heads}"
    return heads[0]


def test_migrations_ship_as_package_data() -> None:
    location = Path(alembic_config().get_main_option("script_location") or "")
    assert (location / "env.py").is_file()
    revisions = [s.revision for s in ScriptDirectory.from_config(alembic_config()).walk_revisions()]
    assert revisions[-1] == FIRST and revisions[0] == head()
    # pyproject ships store/migrations/**/*.py inside the wheel; make sure every revision matches that glob.
    assert all(p.suffix == ".py" for p in (location / "versions").iterdir() if not p.name.startswith("__pycache__"))


def test_upgrade_from_empty_database_to_head(empty_db_url: str) -> None:
    with Store.open(empty_db_url) as store:
        engine = store.db.engine
        assert current_revision(engine) == head()
        tables = set(inspect(engine).get_table_names())
        assert {
            "users",
            "site_authority",
            "records",
            "record_terms",
            "answers",
            "signatures",
            "record_pdfs",
            "audit",
            "audit_head",
            "alembic_version",
        } <= tables
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), metadata)
        assert diff == [], f"tables.py and the migrations disagree: {diff}"
        assert store.audit.verify().ok
    # Opening again is a no-op upgrade.
    with Store.open(empty_db_url) as store:
        assert current_revision(store.db.engine) == head()


def test_upgrade_from_first_migration_to_head_keeps_data_and_adds_guards(empty_db_url: str) -> None:
    engine = create_store_engine(empty_db_url)
    upgrade(engine, FIRST)
    assert current_revision(engine) == FIRST
    now = datetime(2026, 11, 24, 14, 0, tzinfo=UTC)
    record_json = json.dumps({"form": "fluoro-spine-injection"})
    with engine.begin() as conn:  # a signed record written by the first schema, before triggers existed
        conn.execute(
            text(
                "INSERT INTO records (id, version, status, readiness_state, form_id, form_version, form_hash, "
                "patient_name, mrn, birth_date, sex, procedure_type, level, laterality, scheduled_at, "
                "scheduled_offset_s, created_by, created_at, updated_by, updated_at, canonical_json, content_sha256, "
                "signed_at) VALUES ('r1', 2, 'signed', 'ready', 'fluoro-spine-injection', '1', :h, 'Jordan Example', "
                "'MRN100001', :bd, 'female', 'interlaminar_epidural', 'L4-L5', 'left', :at, -18000, 'nurse.kim', :at, "
                "'nurse.kim', :at, :cj, :h, :at)"
            ),
            {
                "h": "a" * 64,
                "at": now if engine.dialect.name != "sqlite" else "2026-11-24 14:00:00.000000",
                "bd": "1961-04-02",
                "cj": record_json,
            },
        )
        conn.execute(
            text(
                "INSERT INTO answers (record_id, item_id, value_json, note, na_reason) "
                "VALUES ('r1', 'consent.signed', '\"met\"', '', '')"
            )
        )
    engine.dispose()
    with Store.open(empty_db_url) as store:
        assert current_revision(store.db.engine) == head()
        row = store.records.get("r1")
        assert row.status == "signed" and row.record.answers["consent.signed"].value == "met"
        assert row.record.procedure.scheduled_at.isoformat() == "2026-11-24T09:00:00-05:00"
        with pytest.raises(IntegrityError, match="cannot be changed"), store.db.engine.begin() as conn:
            conn.execute(text("UPDATE records SET mrn = 'MRN999999' WHERE id = 'r1'"))


def test_downgrade_to_first_removes_the_guards_and_upgrade_restores_them(empty_db_url: str) -> None:
    from alembic import command

    engine = create_store_engine(empty_db_url)
    upgrade(engine)
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), FIRST)
    assert current_revision(engine) == FIRST
    upgrade(engine)
    assert current_revision(engine) == head()
    engine.dispose()


def test_a_database_from_a_newer_app_gives_a_clear_error(empty_db_url: str) -> None:
    Store.open(empty_db_url).close()
    engine = create_engine(empty_db_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    engine.dispose()
    with pytest.raises(StoreError, match="newer version of the checklist app"):
        Store.open(empty_db_url)


def _triggers(engine: object) -> set[str]:
    assert hasattr(engine, "connect")
    with engine.connect() as conn:  # type: ignore[attr-defined]
        if conn.dialect.name == "sqlite":
            return set(conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")).scalars())
        return set(conn.execute(text("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")).scalars())


def test_a_database_at_the_shipped_0011_head_gets_every_later_guard(empty_db_url: str) -> None:
    """Databases made by the release whose head was 0011_answer_fast_path (after 0010) upgrade through the
    status-from-facts triggers, cancel/reschedule and the readiness history: none is skipped as 'already below
    the head' (the status triggers were written before 0011 but ship after it)."""
    engine = create_store_engine(empty_db_url)
    try:
        upgrade(engine, "0011_answer_fast_path")
        assert current_revision(engine) == "0011_answer_fast_path"
        assert "trg_records_status_from_facts" not in _triggers(engine)
        upgrade(engine)
        assert current_revision(engine) == head()
        assert "trg_records_status_from_facts" in _triggers(engine)
        assert "readiness_history" in inspect(engine).get_table_names()
    finally:
        engine.dispose()
