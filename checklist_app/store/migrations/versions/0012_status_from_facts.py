"""Status from facts: a record's status changes only together with the row that justifies it.

Revision ID: 0012_status_from_facts
Revises: 0011_answer_fast_path
Create Date: 2026-12-01

0002 allowed signed -> reviewed -> amended as bare status edits, so raw SQL could mark a record reviewed
with no co-signature, or amended with no newer version (it then drops out of the worklist and the print
queue). Now: a record is born a draft; "signed" needs its first signature and PDF; "reviewed" a
co-signature and the PDF revision carrying it; "amended" a successor version. The store writes those rows
first and the status last, in one transaction. Whether the rows are genuine is `records verify`'s job.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0012_status_from_facts"
down_revision: str | None = "0011_answer_fast_path"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MESSAGE = "record status cannot be changed without the row that justifies it"
BORN_DRAFT = "a record is created as a draft; it cannot be changed to signed without its signature"

_SIGNED = (
    "EXISTS (SELECT 1 FROM signatures s WHERE s.record_id = NEW.id AND s.meaning IN ('prepared', 'amended'))"
    " AND EXISTS (SELECT 1 FROM record_pdfs p WHERE p.record_id = NEW.id)"
)
_REVIEWED = (
    "EXISTS (SELECT 1 FROM signatures s WHERE s.record_id = NEW.id AND s.meaning = 'reviewed')"
    " AND (SELECT COUNT(*) FROM record_pdfs p WHERE p.record_id = NEW.id) >= 2"
)
_AMENDED = "EXISTS (SELECT 1 FROM records r WHERE r.supersedes_id = NEW.id)"
UNJUSTIFIED = (
    f"((NEW.status = 'signed' AND NOT ({_SIGNED}))"
    f" OR (NEW.status = 'reviewed' AND NOT ({_REVIEWED}))"
    f" OR (NEW.status = 'amended' AND NOT ({_AMENDED})))"
)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute(f"""
            CREATE TRIGGER trg_records_status_from_facts BEFORE UPDATE ON records
            WHEN NEW.status IS NOT OLD.status AND {UNJUSTIFIED}
            BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""")
        op.execute(f"""
            CREATE TRIGGER trg_records_born_draft BEFORE INSERT ON records
            WHEN NEW.status <> 'draft'
            BEGIN SELECT RAISE(ABORT, '{BORN_DRAFT}'); END""")
    elif dialect == "postgresql":
        raise_ = "RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = "
        op.execute(f"""
            CREATE FUNCTION checklist_records_status_from_facts() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'INSERT' AND NEW.status <> 'draft' THEN
                    {raise_} format('{BORN_DRAFT} (record %s)', NEW.id);
                END IF;
                IF TG_OP = 'UPDATE' AND NEW.status IS DISTINCT FROM OLD.status AND {UNJUSTIFIED} THEN
                    {raise_} format('{MESSAGE} (record %s: %s to %s)', NEW.id, OLD.status, NEW.status);
                END IF;
                RETURN NEW;
            END $$""")
        op.execute("""
            CREATE TRIGGER trg_records_status_from_facts BEFORE INSERT OR UPDATE ON records
            FOR EACH ROW EXECUTE FUNCTION checklist_records_status_from_facts()""")
    else:
        raise NotImplementedError(f"no status triggers for {dialect}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS trg_records_status_from_facts")
        op.execute("DROP TRIGGER IF EXISTS trg_records_born_draft")
        return
    op.execute("DROP TRIGGER IF EXISTS trg_records_status_from_facts ON records")
    op.execute("DROP FUNCTION IF EXISTS checklist_records_status_from_facts()")
