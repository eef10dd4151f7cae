"""Immutability in the database: signed records, their answers, signatures, PDFs and the audit log.

Revision ID: 0002_immutability
Revises: 0001_initial
Create Date: 2026-11-25

Triggers refuse the change even for raw SQL, so a bug or a hand-edit in a SQL console cannot rewrite
a signed checklist. What stays allowed on a signed record: status signed -> reviewed -> amended,
printed_at/printed_by, and the bookkeeping columns version/updated_at/updated_by.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0002_immutability"
down_revision: str | None = "0001_initial"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Every records column that is content (frozen once signed). Spelled out: a later migration that
# adds a content column must extend the trigger too (test_immutability checks all columns).
CONTENT_COLUMNS = (
    "id",
    "readiness_state",
    "form_id",
    "form_version",
    "form_hash",
    "patient_name",
    "mrn",
    "birth_date",
    "sex",
    "procedure_type",
    "level",
    "laterality",
    "scheduled_at",
    "scheduled_offset_s",
    "created_by",
    "created_at",
    "supersedes_id",
    "amendment_reason",
    "canonical_json",
    "content_sha256",
    "signed_at",
)
_ALLOWED_STATUS = (
    "(NEW.status = OLD.status"
    " OR (OLD.status = 'signed' AND NEW.status IN ('reviewed', 'amended'))"
    " OR (OLD.status = 'reviewed' AND NEW.status = 'amended'))"
)
APPEND_ONLY = ("audit", "signatures", "record_pdfs")
NO_TRUNCATE = ("records", "answers", "signatures", "record_pdfs", "audit", "audit_head")


def _sqlite_upgrade() -> None:
    changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in CONTENT_COLUMNS)
    op.execute(f"""
        CREATE TRIGGER trg_records_frozen_update BEFORE UPDATE ON records
        WHEN OLD.status <> 'draft' AND ({changed} OR NOT {_ALLOWED_STATUS})
        BEGIN SELECT RAISE(ABORT, 'record is signed and cannot be changed'); END""")
    op.execute("""
        CREATE TRIGGER trg_records_frozen_delete BEFORE DELETE ON records
        WHEN OLD.status <> 'draft'
        BEGIN SELECT RAISE(ABORT, 'record is signed and cannot be changed'); END""")
    parent = "(SELECT status FROM records WHERE id = {}.record_id) <> 'draft'"
    message = "SELECT RAISE(ABORT, 'record is signed and its answers cannot be changed')"
    op.execute(f"""
        CREATE TRIGGER trg_answers_frozen_insert BEFORE INSERT ON answers
        WHEN {parent.format("NEW")} BEGIN {message}; END""")
    op.execute(f"""
        CREATE TRIGGER trg_answers_frozen_update BEFORE UPDATE ON answers
        WHEN {parent.format("OLD")} OR {parent.format("NEW")} BEGIN {message}; END""")
    op.execute(f"""
        CREATE TRIGGER trg_answers_frozen_delete BEFORE DELETE ON answers
        WHEN {parent.format("OLD")} BEGIN {message}; END""")
    for table in APPEND_ONLY:
        for verb in ("UPDATE", "DELETE"):
            op.execute(f"""
                CREATE TRIGGER trg_{table}_no_{verb.lower()} BEFORE {verb} ON {table}
                BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END""")
    # The chain can only grow by one linked entry at a time, and the head only follows it.
    op.execute("""
        CREATE TRIGGER trg_audit_extends_chain BEFORE INSERT ON audit
        WHEN NEW.seq IS NOT (SELECT seq + 1 FROM audit_head WHERE id = 1)
          OR NEW.prev_hash IS NOT (SELECT hash FROM audit_head WHERE id = 1)
        BEGIN SELECT RAISE(ABORT, 'audit is append-only: an entry must extend the chain head'); END""")
    op.execute("""
        CREATE TRIGGER trg_audit_head_update BEFORE UPDATE ON audit_head
        WHEN NEW.id IS NOT OLD.id OR NEW.seq IS NOT OLD.seq + 1
          OR NOT EXISTS (SELECT 1 FROM audit WHERE seq = NEW.seq AND hash = NEW.hash)
        BEGIN SELECT RAISE(ABORT, 'audit is append-only: the chain head only moves forward'); END""")
    op.execute("""
        CREATE TRIGGER trg_audit_head_delete BEFORE DELETE ON audit_head
        BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END""")


def _postgresql_upgrade() -> None:
    changed = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in CONTENT_COLUMNS)
    # ERRCODE 23000 makes the driver raise IntegrityError, as SQLite's RAISE(ABORT) does.
    raise_ = "RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = "
    op.execute(f"""
        CREATE FUNCTION checklist_records_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF OLD.status <> 'draft' AND (TG_OP = 'DELETE' OR {changed} OR NOT {_ALLOWED_STATUS}) THEN
                {raise_} format('record is %s and cannot be changed (record %s)', OLD.status, OLD.id);
            END IF;
            IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
            RETURN NEW;
        END $$""")
    op.execute("""
        CREATE TRIGGER trg_records_frozen BEFORE UPDATE OR DELETE ON records
        FOR EACH ROW EXECUTE FUNCTION checklist_records_frozen()""")
    op.execute(f"""
        CREATE FUNCTION checklist_answers_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            parent_status text;
        BEGIN
            IF TG_OP IN ('UPDATE', 'DELETE') THEN
                SELECT status INTO parent_status FROM records WHERE id = OLD.record_id;
                IF parent_status <> 'draft' THEN
                    {raise_} format('record is %s and its answers cannot be changed (record %s)',
                                    parent_status, OLD.record_id);
                END IF;
            END IF;
            IF TG_OP IN ('INSERT', 'UPDATE') THEN
                SELECT status INTO parent_status FROM records WHERE id = NEW.record_id;
                IF parent_status <> 'draft' THEN
                    {raise_} format('record is %s and its answers cannot be changed (record %s)',
                                    parent_status, NEW.record_id);
                END IF;
            END IF;
            IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
            RETURN NEW;
        END $$""")
    op.execute("""
        CREATE TRIGGER trg_answers_frozen BEFORE INSERT OR UPDATE OR DELETE ON answers
        FOR EACH ROW EXECUTE FUNCTION checklist_answers_frozen()""")
    op.execute(f"""
        CREATE FUNCTION checklist_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            {raise_} format('%s is append-only (%s refused)', TG_TABLE_NAME, TG_OP);
        END $$""")
    for table in APPEND_ONLY:
        op.execute(f"""
            CREATE TRIGGER trg_{table}_append_only BEFORE UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION checklist_append_only()""")
    for table in NO_TRUNCATE:
        op.execute(f"""
            CREATE TRIGGER trg_{table}_no_truncate BEFORE TRUNCATE ON {table}
            FOR EACH STATEMENT EXECUTE FUNCTION checklist_append_only()""")
    op.execute(f"""
        CREATE FUNCTION checklist_audit_extends_chain() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            head record;
        BEGIN
            SELECT seq, hash INTO head FROM audit_head WHERE id = 1;
            IF NEW.seq IS DISTINCT FROM head.seq + 1 OR NEW.prev_hash IS DISTINCT FROM head.hash THEN
                {raise_} 'audit is append-only: an entry must extend the chain head';
            END IF;
            RETURN NEW;
        END $$""")
    op.execute("""
        CREATE TRIGGER trg_audit_extends_chain BEFORE INSERT ON audit
        FOR EACH ROW EXECUTE FUNCTION checklist_audit_extends_chain()""")
    op.execute(f"""
        CREATE FUNCTION checklist_audit_head_forward() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'DELETE' OR NEW.id IS DISTINCT FROM OLD.id OR NEW.seq IS DISTINCT FROM OLD.seq + 1
               OR NOT EXISTS (SELECT 1 FROM audit WHERE seq = NEW.seq AND hash = NEW.hash) THEN
                {raise_} 'audit is append-only: the chain head only moves forward';
            END IF;
            RETURN NEW;
        END $$""")
    op.execute("""
        CREATE TRIGGER trg_audit_head_forward BEFORE UPDATE OR DELETE ON audit_head
        FOR EACH ROW EXECUTE FUNCTION checklist_audit_head_forward()""")


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _sqlite_upgrade()
    elif dialect == "postgresql":
        _postgresql_upgrade()
    else:
        raise NotImplementedError(f"no immutability triggers for {dialect}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in (
            "records_frozen_update",
            "records_frozen_delete",
            "answers_frozen_insert",
            "answers_frozen_update",
            "answers_frozen_delete",
            "audit_extends_chain",
            "audit_head_update",
            "audit_head_delete",
            *(f"{t}_no_{v}" for t in APPEND_ONLY for v in ("update", "delete")),
        ):
            op.execute(f"DROP TRIGGER IF EXISTS trg_{name}")
        return
    op.execute("DROP TRIGGER IF EXISTS trg_records_frozen ON records")
    op.execute("DROP TRIGGER IF EXISTS trg_answers_frozen ON answers")
    op.execute("DROP TRIGGER IF EXISTS trg_audit_extends_chain ON audit")
    op.execute("DROP TRIGGER IF EXISTS trg_audit_head_forward ON audit_head")
    for table in APPEND_ONLY:
        op.execute(f"DROP TRIGGER IF EXISTS trg_{table}_append_only ON {table}")
    for table in NO_TRUNCATE:
        op.execute(f"DROP TRIGGER IF EXISTS trg_{table}_no_truncate ON {table}")
    for fn in (
        "checklist_records_frozen",
        "checklist_answers_frozen",
        "checklist_append_only",
        "checklist_audit_extends_chain",
        "checklist_audit_head_forward",
    ):
        op.execute(f"DROP FUNCTION IF EXISTS {fn}()")
