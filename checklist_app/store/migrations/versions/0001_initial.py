"""Initial schema: users, site authority, records with answers, signatures, signed PDFs, audit chain.

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001_initial"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Types are spelled out here, not imported from tables.py: a migration must stay what it was.
_UTC = sa.DateTime(timezone=True)
_TERM = sa.String(200).with_variant(sa.String(200, collation="C"), "postgresql")
_SEQ = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_GENESIS = "0" * 64


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("username", sa.String(100), nullable=False),
        sa.Column("username_key", sa.String(100), nullable=False),
        sa.Column("full_name", sa.String(200), nullable=False),
        sa.Column("roles", sa.Text(), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("failed_attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("locked_until", _UTC, nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False, server_default="1"),
        sa.Column("identity_p12", sa.LargeBinary(), nullable=True),
        sa.Column("cert_pem", sa.Text(), nullable=True),
        sa.Column("created_at", _UTC, nullable=False),
        sa.Column("updated_at", _UTC, nullable=False),
        sa.PrimaryKeyConstraint("username", name="pk_users"),
        sa.UniqueConstraint("username_key", name="uq_users_username_key"),
    )
    op.create_table(
        "site_authority",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("cert_pem", sa.Text(), nullable=False),
        sa.Column("key_pem", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", _UTC, nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.CheckConstraint("id = 1", name="ck_site_authority_single_row"),
        sa.PrimaryKeyConstraint("id", name="pk_site_authority"),
    )
    op.create_table(
        "records",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("readiness_state", sa.String(32), nullable=False),
        sa.Column("form_id", sa.String(100), nullable=False),
        sa.Column("form_version", sa.String(50), nullable=False),
        sa.Column("form_hash", sa.String(64), nullable=False),
        sa.Column("patient_name", sa.String(200), nullable=False),
        sa.Column("mrn", sa.String(64), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("sex", sa.String(16), nullable=False),
        sa.Column("procedure_type", sa.String(100), nullable=False),
        sa.Column("level", sa.String(50), nullable=False),
        sa.Column("laterality", sa.String(32), nullable=True),
        sa.Column("scheduled_at", _UTC, nullable=False),
        sa.Column("scheduled_offset_s", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("created_at", _UTC, nullable=False),
        sa.Column("updated_by", sa.String(100), nullable=False),
        sa.Column("updated_at", _UTC, nullable=False),
        sa.Column("supersedes_id", sa.String(36), nullable=True),
        sa.Column("amendment_reason", sa.Text(), nullable=True),
        sa.Column("canonical_json", sa.Text(), nullable=True),
        sa.Column("content_sha256", sa.String(64), nullable=True),
        sa.Column("signed_at", _UTC, nullable=True),
        sa.Column("printed_at", _UTC, nullable=True),
        sa.Column("printed_by", sa.String(100), nullable=True),
        sa.CheckConstraint("status IN ('draft', 'signed', 'reviewed', 'amended')", name="ck_records_status"),
        sa.CheckConstraint(
            "status = 'draft' OR (canonical_json IS NOT NULL AND content_sha256 IS NOT NULL AND signed_at IS NOT NULL)",
            name="ck_records_signed_has_content",
        ),
        sa.ForeignKeyConstraint(["supersedes_id"], ["records.id"], name="fk_records_supersedes_id_records"),
        sa.PrimaryKeyConstraint("id", name="pk_records"),
        sa.UniqueConstraint("supersedes_id", name="uq_records_supersedes_id"),
    )
    op.create_index("ix_records_sched", "records", ["scheduled_at", "id"])
    op.create_index("ix_records_status_sched", "records", ["status", "scheduled_at", "id"])
    op.create_index("ix_records_readiness_sched", "records", ["readiness_state", "scheduled_at", "id"])
    op.create_index("ix_records_nurse_sched", "records", ["created_by", "scheduled_at", "id"])

    op.create_table(
        "record_terms",
        sa.Column("term", _TERM, nullable=False),
        sa.Column("record_id", sa.String(36), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_id"], ["records.id"], name="fk_record_terms_record_id_records", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("term", "record_id", name="pk_record_terms"),
    )
    op.create_index("ix_record_terms_record_id", "record_terms", ["record_id"])

    op.create_table(
        "answers",
        sa.Column("record_id", sa.String(36), nullable=False),
        sa.Column("item_id", sa.String(100), nullable=False),
        sa.Column("value_json", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False, server_default=""),
        sa.Column("na_reason", sa.Text(), nullable=False, server_default=""),
        sa.Column("answered_by", sa.String(100), nullable=True),
        sa.Column("answered_at", _UTC, nullable=True),
        sa.Column("answered_offset_s", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["record_id"], ["records.id"], name="fk_answers_record_id_records"),
        sa.PrimaryKeyConstraint("record_id", "item_id", name="pk_answers"),
    )

    op.create_table(
        "signatures",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("record_id", sa.String(36), nullable=False),
        sa.Column("meaning", sa.String(16), nullable=False),
        sa.Column("username", sa.String(100), nullable=False),
        sa.Column("full_name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(50), nullable=False),
        sa.Column("signed_at", _UTC, nullable=False),
        sa.Column("manifestation", sa.Text(), nullable=False, server_default=""),
        sa.Column("override_reason", sa.Text(), nullable=True),
        sa.CheckConstraint("meaning IN ('prepared', 'reviewed', 'amended')", name="ck_signatures_meaning"),
        sa.ForeignKeyConstraint(["record_id"], ["records.id"], name="fk_signatures_record_id_records"),
        sa.PrimaryKeyConstraint("id", name="pk_signatures"),
    )
    op.create_index("ix_signatures_record_id", "signatures", ["record_id"])

    op.create_table(
        "record_pdfs",
        sa.Column("record_id", sa.String(36), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("created_at", _UTC, nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.ForeignKeyConstraint(["record_id"], ["records.id"], name="fk_record_pdfs_record_id_records"),
        sa.PrimaryKeyConstraint("record_id", "revision", name="pk_record_pdfs"),
    )

    op.create_table(
        "audit",
        sa.Column("seq", _SEQ, autoincrement=False, nullable=False),
        sa.Column("at", _UTC, nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("record_id", sa.String(36), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_audit"),
    )
    op.create_index("ix_audit_record_id", "audit", ["record_id"])

    head = op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("seq", _SEQ, nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.CheckConstraint("id = 1", name="ck_audit_head_single_row"),
        sa.PrimaryKeyConstraint("id", name="pk_audit_head"),
    )
    op.bulk_insert(head, [{"id": 1, "seq": 0, "hash": _GENESIS}])


def downgrade() -> None:
    for table in ("audit_head", "audit", "record_pdfs", "signatures", "answers", "record_terms"):
        op.drop_table(table)
    for index in (
        "ix_records_nurse_sched",
        "ix_records_readiness_sched",
        "ix_records_status_sched",
        "ix_records_sched",
    ):
        op.drop_index(index, table_name="records")
    for table in ("records", "site_authority", "users"):
        op.drop_table(table)
