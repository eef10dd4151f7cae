"""Temporary passwords: an account whose password an administrator set must choose its own before signing.

Revision ID: 0004_must_change_password
Revises: 0003_form_definitions
Create Date: 2026-11-25

An administrator who sets a password knows it; a signing key locked by that password would let the
administrator sign as the user (design.md: an admin may not sign clinical content as someone else).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_must_change_password"
down_revision: str | None = "0003_form_definitions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("must_change_password", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("must_change_password")
