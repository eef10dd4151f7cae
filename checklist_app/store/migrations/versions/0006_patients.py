"""The hospital's schedule in: one patient per MRN, each record's source and accession, the feed's steps.

Revision ID: 0006_patients
Revises: 0005_site_authority_frozen
Create Date: 2026-12-01

A record's source and accession number go on its PDF, so they are content: frozen with the record by
triggers, as its answers are (0002). They live beside `records` rather than in it so the records
table and its frozen-column list stay as they were.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_patients"
down_revision: str | None = "0005_site_authority_frozen"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_FROZEN = "record is signed and its source cannot be changed"


def upgrade() -> None:
    op.create_table(
        "patients",
        sa.Column("issuer", sa.String(64), nullable=False),
        sa.Column("mrn", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("sex", sa.String(16), nullable=False),
        sa.Column("source", sa.String(8), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("issuer", "mrn", name="pk_patients"),
    )
    op.create_index("ix_patients_mrn", "patients", ["mrn"])
    op.create_table(
        "case_sources",
        sa.Column("record_id", sa.String(36), nullable=False),
        sa.Column("source", sa.String(8), nullable=False),
        sa.Column("accession", sa.String(64), nullable=True),
        sa.CheckConstraint("source IN ('typed', 'mwl', 'hl7')", name="ck_case_sources_source"),
        sa.ForeignKeyConstraint(["record_id"], ["records.id"], name="fk_case_sources_record_id_records"),
        sa.PrimaryKeyConstraint("record_id", name="pk_case_sources"),
    )
    op.create_table(
        "schedule_entries",
        sa.Column("source", sa.String(8), nullable=False),
        sa.Column("entry_key", sa.String(200), nullable=False),
        sa.Column("record_id", sa.String(36), nullable=False),
        sa.Column("scheduled_day", sa.Date(), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("removed_reason", sa.String(200), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["record_id"], ["records.id"], name="fk_schedule_entries_record_id_records"),
        sa.PrimaryKeyConstraint("source", "entry_key", name="pk_schedule_entries"),
        sa.UniqueConstraint("record_id", name="uq_schedule_entries_record_id"),
    )
    op.create_index("ix_schedule_entries_source_scheduled_day", "schedule_entries", ["source", "scheduled_day"])

    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        parent = "(SELECT status FROM records WHERE id = {}.record_id) <> 'draft'"
        message = f"SELECT RAISE(ABORT, '{_FROZEN}')"
        op.execute(f"""
            CREATE TRIGGER trg_case_sources_frozen_insert BEFORE INSERT ON case_sources
            WHEN {parent.format("NEW")} BEGIN {message}; END""")
        op.execute(f"""
            CREATE TRIGGER trg_case_sources_frozen_update BEFORE UPDATE ON case_sources
            WHEN {parent.format("OLD")} OR {parent.format("NEW")} BEGIN {message}; END""")
        op.execute(f"""
            CREATE TRIGGER trg_case_sources_frozen_delete BEFORE DELETE ON case_sources
            WHEN {parent.format("OLD")} BEGIN {message}; END""")
    elif dialect == "postgresql":
        raise_ = "RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = "
        op.execute(f"""
            CREATE FUNCTION checklist_case_sources_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE
                parent_status text;
            BEGIN
                IF TG_OP IN ('UPDATE', 'DELETE') THEN
                    SELECT status INTO parent_status FROM records WHERE id = OLD.record_id;
                    IF parent_status <> 'draft' THEN {raise_} '{_FROZEN}'; END IF;
                END IF;
                IF TG_OP IN ('INSERT', 'UPDATE') THEN
                    SELECT status INTO parent_status FROM records WHERE id = NEW.record_id;
                    IF parent_status <> 'draft' THEN {raise_} '{_FROZEN}'; END IF;
                    RETURN NEW;
                END IF;
                RETURN OLD;
            END $$""")
        op.execute("""
            CREATE TRIGGER trg_case_sources_frozen BEFORE INSERT OR UPDATE OR DELETE ON case_sources
            FOR EACH ROW EXECUTE FUNCTION checklist_case_sources_frozen()""")
        op.execute("""
            CREATE TRIGGER trg_case_sources_no_truncate BEFORE TRUNCATE ON case_sources
            FOR EACH STATEMENT EXECUTE FUNCTION checklist_append_only()""")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS trg_case_sources_frozen ON case_sources")
        op.execute("DROP TRIGGER IF EXISTS trg_case_sources_no_truncate ON case_sources")
        op.execute("DROP FUNCTION IF EXISTS checklist_case_sources_frozen()")
    op.drop_index("ix_schedule_entries_source_scheduled_day", table_name="schedule_entries")
    op.drop_table("schedule_entries")
    op.drop_table("case_sources")
    op.drop_index("ix_patients_mrn", table_name="patients")
    op.drop_table("patients")
