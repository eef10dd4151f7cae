"""Least privilege on PostgreSQL: the schema owner migrates; the app's login role gets data rights only.

A role that owns no table can neither change the schema nor drop or disable a trigger (both need ownership),
so the immutability and status triggers hold against the app's own credentials. Append-only tables get no
UPDATE or DELETE at all: the triggers refuse them anyway, and a missing right is one more wall.
"""

from __future__ import annotations

from sqlalchemy import Engine, text

from .errors import StoreError

APPEND_ONLY_TABLES = ("audit", "signatures", "record_pdfs", "form_definitions", "site_authority", "readiness_history")
READ_ONLY_TABLES = ("alembic_version",)


def grant_app_role(engine: Engine, role: str) -> list[str]:
    """Grant `role` (an existing login role) what the app needs on every table; returns the statements run."""
    if engine.dialect.name != "postgresql":
        raise StoreError("`db grant` is for PostgreSQL; a SQLite file is protected by its file permissions.")
    with engine.begin() as conn:
        found = conn.execute(
            text("SELECT rolsuper, rolbypassrls, rolcreaterole FROM pg_roles WHERE rolname = :r"), {"r": role}
        ).first()
        if found is None:
            raise StoreError(f"There is no PostgreSQL role {role!r}: create it first (CREATE ROLE … LOGIN).")
        if found.rolsuper:
            raise StoreError(
                f"The role {role!r} is a superuser and can do anything: give the app a plain login role instead."
            )
        owner = conn.execute(
            text("SELECT tableowner FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'records'")
        ).scalar()
        if owner is None:
            raise StoreError("The database has no checklist tables yet: run `checklist-app db upgrade` first.")
        if owner == role:
            raise StoreError(
                f"The role {role!r} owns the tables (it ran the migrations); the app must run as "
                "another role, which owns nothing."
            )
        # A member of the owner role acts as the owner (ALTER TABLE … DISABLE TRIGGER); a role that may create
        # roles can make itself one (PostgreSQL ≤ 15); bypassing row security is more than the app needs.
        if conn.execute(text("SELECT pg_has_role(:r, :o, 'MEMBER')"), {"r": role, "o": owner}).scalar():
            raise StoreError(
                f"The role {role!r} is a member of {owner!r}, which owns the tables, so it could "
                "change the rules: give the app a role that is not."
            )
        if found.rolcreaterole or found.rolbypassrls:
            raise StoreError(
                f"The role {role!r} may create roles or bypass row security: give the app a plain login role instead."
            )
        quoted = conn.execute(text("SELECT quote_ident(:r)"), {"r": role}).scalar_one()
        database = conn.execute(text("SELECT quote_ident(current_database())")).scalar_one()
        schema = conn.execute(text("SELECT quote_ident(current_schema())")).scalar_one()
        tables = [
            str(t)
            for t in conn.execute(
                text("SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1")
            ).scalars()
        ]
        statements = [
            f"GRANT CONNECT ON DATABASE {database} TO {quoted}",
            f"GRANT USAGE ON SCHEMA {schema} TO {quoted}",
            f"REVOKE CREATE ON SCHEMA {schema} FROM {quoted}",
            f"REVOKE CREATE ON SCHEMA {schema} FROM PUBLIC",
        ]
        for table in tables:
            statements.append(f"REVOKE ALL ON {table} FROM {quoted}")
            if table in READ_ONLY_TABLES:
                rights = "SELECT"
            elif table in APPEND_ONLY_TABLES:
                rights = "SELECT, INSERT"
            else:
                rights = "SELECT, INSERT, UPDATE, DELETE"
            statements.append(f"GRANT {rights} ON {table} TO {quoted}")
        statements.append(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {quoted}")
        for statement in statements:
            conn.execute(text(statement))
    return statements
