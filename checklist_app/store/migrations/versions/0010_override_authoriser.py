"""Overrides name who authorised them: the clinician beside the reason, on the signature.

Revision ID: 0010_override_authoriser
Revises: 0005_site_authority_frozen
Create Date: 2026-12-01

Rules v2 (clinical.md): signing NOT READY needs, besides the reason, the name of the proceduralist (or the
sedation provider, for GLP-1) who authorised it. The signatures table stays append-only (its triggers refuse
every UPDATE), so the name is written once, with the signature.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_override_authoriser"
down_revision: str | None = "0009_key_resets"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN (no table rebuild): the append-only triggers on signatures stay as they are.
    op.add_column("signatures", sa.Column("override_authorised_by", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("signatures") as batch:
        batch.drop_column("override_authorised_by")
