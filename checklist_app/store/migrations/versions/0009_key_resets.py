"""Password resets leave a trace: who reset an account and when, so no reset alone yields a signing key.

Revision ID: 0009_key_resets
Revises: 0005_site_authority_frozen
Create Date: 2026-12-01

An administrator who resets a password knows the temporary one and could choose the "own" password
too. The user's key is therefore never re-issued by a reset: it is kept (re-wrapped when the user
still knows the previous password) or a new one is issued only with a second person present, and
its certificate says so. These columns tell the next login that a reset happened, and by whom.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_key_resets"
down_revision: str | None = "0007_outbox"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("password_reset_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("password_reset_by", sa.String(100), nullable=True))
        # Shown once at the next login of the user, then cleared.
        batch.add_column(sa.Column("reset_notice_pending", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("reset_notice_pending")
        batch.drop_column("password_reset_by")
        batch.drop_column("password_reset_at")
