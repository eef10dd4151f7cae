"""Form definitions by content hash, so a record is always judged by the form it was made with.

Revision ID: 0003_form_definitions
Revises: 0002_immutability
Create Date: 2026-11-25

A site may edit its form (a new version, a new hash) while drafts are open, and workstations of one
ward may briefly run different form files; every record pins a hash, and this table keeps the form
behind each hash. Append-only like the audit log: rewriting a form would change old verdicts.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_form_definitions"
down_revision: str | None = "0002_immutability"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "form_definitions",
        sa.Column("form_hash", sa.String(64), nullable=False),
        sa.Column("form_id", sa.String(100), nullable=False),
        sa.Column("form_version", sa.String(50), nullable=False),
        sa.Column("definition_json", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("form_hash", name="pk_form_definitions"),
    )
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(f"""
                CREATE TRIGGER trg_form_definitions_no_{verb.lower()} BEFORE {verb} ON form_definitions
                BEGIN SELECT RAISE(ABORT, 'form_definitions is append-only'); END""")
    elif dialect == "postgresql":
        # checklist_append_only() comes from 0002_immutability.
        op.execute("""
            CREATE TRIGGER trg_form_definitions_append_only BEFORE UPDATE OR DELETE ON form_definitions
            FOR EACH ROW EXECUTE FUNCTION checklist_append_only()""")
        op.execute("""
            CREATE TRIGGER trg_form_definitions_no_truncate BEFORE TRUNCATE ON form_definitions
            FOR EACH STATEMENT EXECUTE FUNCTION checklist_append_only()""")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS trg_form_definitions_append_only ON form_definitions")
        op.execute("DROP TRIGGER IF EXISTS trg_form_definitions_no_truncate ON form_definitions")
    op.drop_table("form_definitions")
