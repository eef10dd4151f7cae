"""The record out: the site authority's CRLs (append-only) and the durable outbox of messages to the EHR.

Revision ID: 0007_outbox
Revises: 0005_site_authority_frozen
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_outbox"
down_revision: str | None = "0006_patients"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Types are spelled out here, not imported from tables.py: a migration must stay what it was.
_UTC = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "site_crls",
        sa.Column("number", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("crl_der", sa.LargeBinary(), nullable=False),
        sa.Column("issued_at", _UTC, nullable=False),
        sa.Column("next_update", _UTC, nullable=False),
        sa.Column("issued_by", sa.String(100), nullable=False),
        sa.PrimaryKeyConstraint("number", name="pk_site_crls"),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("record_id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("destination", sa.String(200), nullable=False),
        sa.Column("control_id", sa.String(40), nullable=False),
        sa.Column("message", sa.LargeBinary(), nullable=False),
        sa.Column("state", sa.String(12), nullable=False, server_default="pending"),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", _UTC, nullable=False),
        sa.Column("sent_at", _UTC, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_outbox"),
        sa.UniqueConstraint("control_id", name="uq_outbox_control_id"),
        sa.CheckConstraint("state IN ('pending', 'sent', 'refused')", name="ck_outbox_state"),
    )
    op.create_index("ix_outbox_record_id", "outbox", ["record_id"])
    # A revocation list, once issued, is evidence: it is never changed or removed (same guard as site_authority).
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(f"""
                CREATE TRIGGER trg_site_crls_no_{verb.lower()} BEFORE {verb} ON site_crls
                BEGIN SELECT RAISE(ABORT, 'site_crls is append-only'); END""")
    elif dialect == "postgresql":
        op.execute("""
            CREATE TRIGGER trg_site_crls_append_only BEFORE UPDATE OR DELETE ON site_crls
            FOR EACH ROW EXECUTE FUNCTION checklist_append_only()""")
        op.execute("""
            CREATE TRIGGER trg_site_crls_no_truncate BEFORE TRUNCATE ON site_crls
            FOR EACH STATEMENT EXECUTE FUNCTION checklist_append_only()""")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS trg_site_crls_no_update")
        op.execute("DROP TRIGGER IF EXISTS trg_site_crls_no_delete")
    else:
        op.execute("DROP TRIGGER IF EXISTS trg_site_crls_append_only ON site_crls")
        op.execute("DROP TRIGGER IF EXISTS trg_site_crls_no_truncate ON site_crls")
    op.drop_index("ix_outbox_record_id", table_name="outbox")
    op.drop_table("outbox")
    op.drop_table("site_crls")
