"""The site signing authority is created once and never changed: it is the trust root every PDF is checked with.

Revision ID: 0005_site_authority_frozen
Revises: 0004_must_change_password
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0005_site_authority_frozen"
down_revision: str | None = "0004_must_change_password"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(f"""
                CREATE TRIGGER trg_site_authority_no_{verb.lower()} BEFORE {verb} ON site_authority
                BEGIN SELECT RAISE(ABORT, 'site_authority is append-only'); END""")
    elif dialect == "postgresql":
        # checklist_append_only() comes from 0002_immutability.
        op.execute("""
            CREATE TRIGGER trg_site_authority_append_only BEFORE UPDATE OR DELETE ON site_authority
            FOR EACH ROW EXECUTE FUNCTION checklist_append_only()""")
        op.execute("""
            CREATE TRIGGER trg_site_authority_no_truncate BEFORE TRUNCATE ON site_authority
            FOR EACH STATEMENT EXECUTE FUNCTION checklist_append_only()""")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS trg_site_authority_no_update")
        op.execute("DROP TRIGGER IF EXISTS trg_site_authority_no_delete")
        return
    op.execute("DROP TRIGGER IF EXISTS trg_site_authority_append_only ON site_authority")
    op.execute("DROP TRIGGER IF EXISTS trg_site_authority_no_truncate ON site_authority")
