"""Least privilege on PostgreSQL: `db upgrade` as the owner, `db grant ROLE`, and the app running as ROLE can
work but can neither change the schema nor drop, disable or bypass a trigger."""

from __future__ import annotations

import subprocess
import sys
import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from checklist_app.domain.records import Patient, Procedure
from checklist_app.services.app import AppServices
from checklist_app.store import StoreError
from checklist_app.store.connection import create_store_engine
from checklist_app.store.privileges import grant_app_role
from tests.helpers.hashing import QUICK_HASHER
from tests.helpers.world import READY, READY_NOTES, local_now
from tests.pgserver import PgServer

pytestmark = pytest.mark.postgres


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "checklist_app", *args],
        capture_output=True,
        encoding="utf-8",
        timeout=120,
        check=False,
        stdin=subprocess.DEVNULL,
    )


def test_db_upgrade_then_grant_and_the_app_role_has_data_rights_only(pg_server: PgServer) -> None:
    owner_url = pg_server.create_database("priv")
    role = f"app_{uuid.uuid4().hex[:10]}"
    done = cli("--db", owner_url, "db", "upgrade")
    assert done.returncode == 0 and "revision" in done.stdout, done.stderr
    admin = create_engine(pg_server.url())
    with admin.begin() as conn:
        conn.execute(text(f"CREATE ROLE {role} LOGIN"))
    admin.dispose()
    done = cli("--db", owner_url, "db", "grant", role)
    assert done.returncode == 0, done.stderr
    app_url = owner_url.replace(f"//{pg_server.user}@", f"//{role}@")

    # The app works as the role: accounts, a signed record, the audit chain.
    svc = AppServices.open(app_url, hasher=QUICK_HASHER)
    try:
        from checklist_app.services.models import Role

        nurse = svc.auth.create_user("zoe", "Zoe Example", {Role.NURSE}, "ready-set-go-2026", actor="test-setup")
        case = svc.cases.new_case(
            nurse,
            Patient(name="Syn Thetic", birth_date=date(1961, 4, 2), mrn="SYN90001", sex="male"),
            Procedure(
                type="interlaminar_epidural",
                level="L4-L5",
                laterality="left",
                scheduled_at=local_now() + timedelta(hours=3),
            ),
        )
        for item_id, value in READY.items():
            case = svc.cases.answer(nurse, case, item_id, value, note=READY_NOTES.get(item_id, ""))
        signed = svc.documents.sign(nurse, "ready-set-go-2026", case)
        assert svc.documents.check(signed.record_id).ok
        assert svc.store.audit.verify().ok
    finally:
        svc.close()

    # ...and can neither change the schema nor control a trigger, nor skip the append-only rules.
    engine = create_store_engine(app_url)
    try:
        for statement in (
            "CREATE TABLE evil (x int)",
            "ALTER TABLE records DISABLE TRIGGER USER",
            "ALTER TABLE audit DISABLE TRIGGER ALL",
            "DROP TRIGGER trg_records_frozen ON records",
            "DROP TRIGGER trg_records_status_from_facts ON records",
            "ALTER TABLE records ADD COLUMN evil text",
            "CREATE OR REPLACE FUNCTION checklist_append_only() RETURNS trigger LANGUAGE plpgsql "
            "AS $$ BEGIN RETURN NEW; END $$",
            "SET session_replication_role = replica",
            "TRUNCATE audit",
            "UPDATE audit SET actor = 'mallory'",
            "DELETE FROM signatures",
            "UPDATE alembic_version SET version_num = 'x'",
        ):
            with engine.connect() as conn, pytest.raises(DBAPIError) as caught:
                conn.execute(text(statement))
                conn.commit()
            assert "permission denied" in str(caught.value) or "must be owner" in str(caught.value), statement
    finally:
        engine.dispose()


def test_grant_refuses_a_superuser_and_a_missing_role(pg_server: PgServer) -> None:
    url = pg_server.create_database("priv")
    engine = create_store_engine(url)
    try:
        with pytest.raises(StoreError, match="no PostgreSQL role"):
            grant_app_role(engine, "no_such_role_here")
        with pytest.raises(StoreError, match="no checklist tables yet"):
            grant_app_role(engine, "pg_monitor")  # an existing plain role, but nothing migrated yet
        with pytest.raises(StoreError, match="superuser"):
            grant_app_role(engine, "postgres")
    finally:
        engine.dispose()


def test_grant_refuses_a_role_that_could_act_as_the_owner(pg_server: PgServer) -> None:
    """A member of the owner role may ALTER the tables (disable the triggers); a CREATEROLE role may make itself
    one: neither is a role the app may run as."""
    owner_url = pg_server.create_database("privowner")
    done = cli("--db", owner_url, "db", "upgrade")
    assert done.returncode == 0, done.stderr
    member, creator = f"m_{uuid.uuid4().hex[:10]}", f"c_{uuid.uuid4().hex[:10]}"
    admin = create_engine(pg_server.url())
    with admin.begin() as conn:
        conn.execute(text(f"CREATE ROLE {member} LOGIN"))
        conn.execute(text(f"GRANT {pg_server.user} TO {member}"))
        conn.execute(text(f"CREATE ROLE {creator} LOGIN CREATEROLE"))
    admin.dispose()
    engine = create_store_engine(owner_url)
    try:
        with pytest.raises(StoreError, match="is a member of"):
            grant_app_role(engine, member)
        with pytest.raises(StoreError, match="may create roles"):
            grant_app_role(engine, creator)
    finally:
        engine.dispose()
