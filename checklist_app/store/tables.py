"""SQLAlchemy Core tables of the store; the Alembic migrations create exactly this schema."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    TypeDecorator,
    false,
)

from ..domain.lifecycle import Meaning, Status

# Stable constraint names so migrations and error messages can refer to them on both dialects.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# The names come from the domain; the CHECK constraints below stay literal SQL (changed only by a migration).
STATUSES = tuple(s.value for s in Status)
SIGNATURE_MEANINGS = tuple(m.value for m in Meaning)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out; SQLite keeps naive UTC text, PostgreSQL timestamptz.

    Naive datetimes are refused so a workstation's local clock can never leak in unlabelled.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r} cannot be stored; give it a UTC offset")
        value = value.astimezone(UTC)
        # SQLite's DATETIME text has no offset: store UTC wall time so text order is time order.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def result_processor(self, dialect: Dialect, coltype: Any) -> Any:
        general = super().result_processor(dialect, coltype)
        if dialect.name != "sqlite":
            return general

        # SQLite hands back the naive UTC text written above. One parse with the offset appended costs a
        # fifth of SQLAlchemy's parse followed by datetime.replace (slow keyword parsing), and a records
        # list page converts about a thousand of them (bench/RESULTS.md, review).
        def process(value: Any) -> datetime | None:
            if isinstance(value, str):
                try:
                    parsed = datetime.fromisoformat(value + "+00:00")
                except ValueError:
                    parsed = None
                if parsed is not None and parsed.tzinfo is not None:  # a date alone parses naive
                    return parsed
                # Not the text we write: the general path parses it or says why not.
            return general(value) if general is not None else self.process_result_value(value, dialect)

        return process

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# Prefix search on terms is a btree range scan; PostgreSQL needs byte order ("C") for that to be exact.
_Term = String(200).with_variant(String(200, collation="C"), "postgresql")
# SQLite only makes INTEGER PRIMARY KEY a rowid alias; BIGINT elsewhere for a decades-long audit log.
_Seq = BigInteger().with_variant(Integer(), "sqlite")

users = Table(
    "users",
    metadata,
    Column("username", String(100), primary_key=True),
    # Case-folded copy: "Alice" and "alice" are one account.
    Column("username_key", String(100), nullable=False, unique=True),
    Column("full_name", String(200), nullable=False),
    Column("roles", Text, nullable=False),  # JSON list of role names
    Column("password_hash", Text, nullable=False),
    Column("failed_attempts", Integer, nullable=False, server_default="0"),
    Column("locked_until", UTCDateTime, nullable=True),
    Column("active", Boolean, nullable=False, server_default="1"),
    # Set when an administrator chose the password (migration 0004): no signing until the user picks one.
    Column("must_change_password", Boolean, nullable=False, server_default=false()),
    Column("identity_p12", LargeBinary, nullable=True),
    Column("cert_pem", Text, nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    # Migration 0009: the last password reset by someone else, and whether the user has been told of it.
    Column("password_reset_at", UTCDateTime, nullable=True),
    Column("password_reset_by", String(100), nullable=True),
    Column("reset_notice_pending", Boolean, nullable=False, server_default=false()),
)

site_authority = Table(
    "site_authority",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("name", String(200), nullable=False),
    Column("cert_pem", Text, nullable=False),
    Column("key_pem", LargeBinary, nullable=False),  # encrypted by the caller
    Column("created_at", UTCDateTime, nullable=False),
    Column("created_by", String(100), nullable=False),
    CheckConstraint("id = 1", name="single_row"),
)

records = Table(
    "records",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("status", String(16), nullable=False),
    Column("readiness_state", String(32), nullable=False),
    Column("form_id", String(100), nullable=False),
    Column("form_version", String(50), nullable=False),
    Column("form_hash", String(64), nullable=False),
    Column("patient_name", String(200), nullable=False),
    Column("mrn", String(64), nullable=False),
    Column("birth_date", Date, nullable=False),
    Column("sex", String(16), nullable=False),
    Column("procedure_type", String(100), nullable=False),
    Column("level", String(50), nullable=False),
    Column("laterality", String(32), nullable=True),
    Column("scheduled_at", UTCDateTime, nullable=False),
    # The nurse's original UTC offset, so the record JSON comes back exactly as it went in.
    Column("scheduled_offset_s", Integer, nullable=False),
    Column("created_by", String(100), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_by", String(100), nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("supersedes_id", String(36), ForeignKey("records.id"), nullable=True, unique=True),
    Column("amendment_reason", Text, nullable=True),
    Column("canonical_json", Text, nullable=True),
    Column("content_sha256", String(64), nullable=True),
    Column("signed_at", UTCDateTime, nullable=True),
    Column("printed_at", UTCDateTime, nullable=True),
    Column("printed_by", String(100), nullable=True),
    # What came out once the printer or the coordinator told (migration 0010); printed_at/by say it was *sent*.
    Column("print_outcome", String(16), nullable=True),
    CheckConstraint("status IN ('draft', 'signed', 'reviewed', 'amended', 'cancelled')", name="status"),
    CheckConstraint(
        "status = 'draft' OR (canonical_json IS NOT NULL AND content_sha256 IS NOT NULL AND signed_at IS NOT NULL)",
        name="signed_has_content",
    ),
    # Keyset paging runs (filter column, scheduled_at, id) so every filtered page is one index range.
    Index("ix_records_sched", "scheduled_at", "id"),
    Index("ix_records_status_sched", "status", "scheduled_at", "id"),
    Index("ix_records_readiness_sched", "readiness_state", "scheduled_at", "id"),
    Index("ix_records_nurse_sched", "created_by", "scheduled_at", "id"),
)

record_terms = Table(
    "record_terms",
    metadata,
    Column("term", _Term, nullable=False),
    Column("record_id", String(36), ForeignKey("records.id", ondelete="CASCADE"), nullable=False),
    PrimaryKeyConstraint("term", "record_id"),
    Index("ix_record_terms_record_id", "record_id"),
)

answers = Table(
    "answers",
    metadata,
    Column("record_id", String(36), ForeignKey("records.id"), nullable=False),
    Column("item_id", String(100), nullable=False),
    Column("value_json", Text, nullable=False),
    Column("note", Text, nullable=False, server_default=""),
    Column("na_reason", Text, nullable=False, server_default=""),
    Column("answered_by", String(100), nullable=True),
    Column("answered_at", UTCDateTime, nullable=True),
    Column("answered_offset_s", Integer, nullable=True),
    PrimaryKeyConstraint("record_id", "item_id"),
)

signatures = Table(
    "signatures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("record_id", String(36), ForeignKey("records.id"), nullable=False, index=True),
    Column("meaning", String(16), nullable=False),
    Column("username", String(100), nullable=False),
    Column("full_name", String(200), nullable=False),
    Column("role", String(50), nullable=False),
    Column("signed_at", UTCDateTime, nullable=False),
    Column("manifestation", Text, nullable=False, server_default=""),
    Column("override_reason", Text, nullable=True),
    Column("override_authorised_by", Text, nullable=True),  # 0006: the clinician who authorised the override
    CheckConstraint("meaning IN ('prepared', 'reviewed', 'amended', 'cancelled')", name="meaning"),
)

record_pdfs = Table(
    "record_pdfs",
    metadata,
    Column("record_id", String(36), ForeignKey("records.id"), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("pdf", LargeBinary, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("created_by", String(100), nullable=False),
    PrimaryKeyConstraint("record_id", "revision"),
)

audit = Table(
    "audit",
    metadata,
    Column("seq", _Seq, primary_key=True, autoincrement=False),
    Column("at", UTCDateTime, nullable=False),
    Column("actor", String(100), nullable=False),
    Column("action", String(64), nullable=False),
    Column("record_id", String(36), nullable=True, index=True),  # no FK: the log outlives drafts
    Column("detail", Text, nullable=False),  # canonical JSON, hashed byte for byte
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)

# The form behind every pinned hash (append-only, see migration 0003).
form_definitions = Table(
    "form_definitions",
    metadata,
    Column("form_hash", String(64), primary_key=True),
    Column("form_id", String(100), nullable=False),
    Column("form_version", String(50), nullable=False),
    Column("definition_json", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

# One row holding the chain head: appends lock it (serialising writers so the chain cannot fork)
# and verify compares it with the last entry (so deleting the newest entries is noticed).
audit_head = Table(
    "audit_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("seq", _Seq, nullable=False),
    Column("hash", String(64), nullable=False),
    CheckConstraint("id = 1", name="single_row"),
)

GENESIS_HASH = "0" * 64

# -- The hospital's schedule in (issue 13, migration 0006) -------------------------------------------------------

# One MRN, one patient: the demographics the feeds (or the first typed case) gave for an MRN of an issuer.
patients = Table(
    "patients",
    metadata,
    Column("issuer", String(64), nullable=False),  # assigning authority; "" when the feed names none
    Column("mrn", String(64), nullable=False),
    Column("name", String(200), nullable=False),
    Column("birth_date", Date, nullable=False),
    Column("sex", String(16), nullable=False),
    Column("source", String(8), nullable=False),  # who first told us: mwl, hl7 or typed
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("issuer", "mrn"),
    Index("ix_patients_mrn", "mrn"),
)

# Where a record came from and its accession number: record content (frozen with the record, see 0006).
case_sources = Table(
    "case_sources",
    metadata,
    Column("record_id", String(36), ForeignKey("records.id"), primary_key=True),
    Column("source", String(8), nullable=False),
    Column("accession", String(64), nullable=True),
    CheckConstraint("source IN ('typed', 'mwl', 'hl7')", name="source"),
)

# The feed's step (MWL scheduled procedure step, HL7 appointment) → the draft it made: bookkeeping for
# idempotent pulls and "removed from schedule", not record content.
schedule_entries = Table(
    "schedule_entries",
    metadata,
    Column("source", String(8), nullable=False),
    Column("entry_key", String(200), nullable=False),
    Column("record_id", String(36), ForeignKey("records.id"), nullable=False, unique=True),
    Column("scheduled_day", Date, nullable=False),  # the site's calendar day of the step
    Column("fingerprint", String(64), nullable=False),  # of the step as last applied
    Column("removed_at", UTCDateTime, nullable=True),
    Column("removed_reason", String(200), nullable=True),
    Column("updated_at", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("source", "entry_key"),
    Index("ix_schedule_entries_source_scheduled_day", "source", "scheduled_day"),
)

# --- the record out (issue 14) ---------------------------------------------------------------------------------

# The site authority's certificate revocation lists, newest number last (append-only, see migration 0007). A
# signing workstation embeds the newest in every long-term signature; `verify` checks signers against it.
site_crls = Table(
    "site_crls",
    metadata,
    Column("number", Integer, primary_key=True, autoincrement=False),
    Column("crl_der", LargeBinary, nullable=False),
    Column("issued_at", UTCDateTime, nullable=False),
    Column("next_update", UTCDateTime, nullable=False),
    Column("issued_by", String(100), nullable=False),
)

# Messages to the EHR interface, kept until the receiver acknowledged them (AA) or refused them (AE/AR).
outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("record_id", String(36), nullable=False, index=True),
    Column("kind", String(16), nullable=False),  # e.g. MDM^T02, MDM^T10
    Column("destination", String(200), nullable=False),  # HOST:PORT
    Column("control_id", String(40), nullable=False, unique=True),  # MSH-10, answered in MSA-2
    Column("message", LargeBinary, nullable=False),
    Column("state", String(12), nullable=False, server_default="pending"),  # pending | sent | refused
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("last_error", Text, nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("sent_at", UTCDateTime, nullable=True),
    CheckConstraint("state IN ('pending', 'sent', 'refused')", name="state"),
)

# --- why cases are not ready (issue 16) ----------------------------------------------------------------------

# The readiness at each save of a draft (an answer, a new time): one row per blocker (item, drug), or one row
# with item "" when the save had none. Written in the save's own transaction (store/answer_save.py, migration
# 0014's function on PostgreSQL). Reporting data: no verdict is ever read from it (a signed record's verdict is
# its canonical JSON); the triggers of 0014 still keep it append-only and tied to the draft's current version.
NO_BLOCKER = ""  # item of a save without blockers; drug of a blocker that is not a drug's
readiness_history = Table(
    "readiness_history",
    metadata,
    Column("record_id", String(36), nullable=False),  # no FK: like the audit, it outlives deleted drafts
    Column("version", Integer, nullable=False),
    Column("saved_at", UTCDateTime, nullable=False),
    Column("state", String(32), nullable=False),
    Column("event", String(16), nullable=False),  # answer | reschedule
    Column("item", String(100), nullable=False, server_default=NO_BLOCKER),
    Column("drug", String(100), nullable=False, server_default=NO_BLOCKER),
    PrimaryKeyConstraint("record_id", "version", "item", "drug"),
    CheckConstraint("event IN ('answer', 'reschedule')", name="event"),
    # A reason → its records (the dashboard's click-through) is one index range.
    Index("ix_readiness_history_item_drug", "item", "drug", "record_id"),
)
