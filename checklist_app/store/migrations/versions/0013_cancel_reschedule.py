"""Cases that do not go ahead, and printing that tells the truth.

Revision ID: 0013_cancel_reschedule
Revises: 0012_status_from_facts
Create Date: 2026-12-01

A cancelled case is signed with the meaning "cancelled" and gets status `cancelled` (the CHECK constraints
of 0001 allowed neither), and only with that signature and its PDF beside it. `print_outcome` says what came
out of the printer once the platform or the coordinator told (`printed_at`/`printed_by` say when and by whom
it was *sent*); neither is content, so a signed record may take them.

SQLite cannot alter a CHECK constraint, and rebuilding `records` would drop its triggers and every foreign key
pointing at it; the constraints only widen (every stored row still satisfies them), which is the change
SQLite's own documentation allows through `writable_schema` (lang_altertable.html, "simpler procedure").
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_cancel_reschedule"
down_revision: str | None = "0012_status_from_facts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OLD_STATUS = "status IN ('draft', 'signed', 'reviewed', 'amended')"
_NEW_STATUS = "status IN ('draft', 'signed', 'reviewed', 'amended', 'cancelled')"
_OLD_MEANING = "meaning IN ('prepared', 'reviewed', 'amended')"
_NEW_MEANING = "meaning IN ('prepared', 'reviewed', 'amended', 'cancelled')"
_CHANGES = {"records": (_OLD_STATUS, _NEW_STATUS), "signatures": (_OLD_MEANING, _NEW_MEANING)}
_OUTCOMES = "print_outcome IS NULL OR print_outcome IN ('printed', 'not_printed')"

MESSAGE = "a record is cancelled only with its cancellation signature and PDF"
_CANCEL_JUSTIFIED = (
    "EXISTS (SELECT 1 FROM signatures s WHERE s.record_id = NEW.id AND s.meaning = 'cancelled')"
    " AND EXISTS (SELECT 1 FROM record_pdfs p WHERE p.record_id = NEW.id)"
)


def _sqlite_rewrite(changes: dict[str, tuple[str, str]]) -> None:
    conn = op.get_bind()
    version = conn.exec_driver_sql("PRAGMA schema_version").scalar_one()
    conn.exec_driver_sql("PRAGMA writable_schema = ON")
    try:
        for table, (old, new) in changes.items():
            sql = conn.execute(
                sa.text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = :t"), {"t": table}
            ).scalar_one()
            if old not in sql:
                raise RuntimeError(f"{table}: the CHECK constraint is not the one 0001 created")
            conn.execute(
                sa.text("UPDATE sqlite_master SET sql = :sql WHERE type = 'table' AND name = :t"),
                {"sql": sql.replace(old, new), "t": table},
            )
        conn.exec_driver_sql(f"PRAGMA schema_version = {int(version) + 1}")
    finally:
        conn.exec_driver_sql("PRAGMA writable_schema = OFF")


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.add_column("records", sa.Column("print_outcome", sa.String(16), nullable=True))
    if dialect == "sqlite":
        _sqlite_rewrite(_CHANGES)
        op.execute(f"""
            CREATE TRIGGER trg_records_print_outcome BEFORE UPDATE OF print_outcome ON records
            WHEN NOT ({_OUTCOMES.replace("print_outcome", "NEW.print_outcome")})
            BEGIN SELECT RAISE(ABORT, 'print_outcome is printed or not_printed'); END""")
        op.execute(f"""
            CREATE TRIGGER trg_records_cancelled_from_facts BEFORE UPDATE ON records
            WHEN NEW.status = 'cancelled' AND OLD.status IS NOT 'cancelled' AND NOT ({_CANCEL_JUSTIFIED})
            BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""")
    elif dialect == "postgresql":
        op.drop_constraint("ck_records_status", "records", type_="check")
        op.create_check_constraint("ck_records_status", "records", _NEW_STATUS)
        op.drop_constraint("ck_signatures_meaning", "signatures", type_="check")
        op.create_check_constraint("ck_signatures_meaning", "signatures", _NEW_MEANING)
        op.create_check_constraint("ck_records_print_outcome", "records", _OUTCOMES)
        op.execute(f"""
            CREATE FUNCTION checklist_records_cancelled_from_facts() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.status = 'cancelled' AND OLD.status IS DISTINCT FROM 'cancelled'
                   AND NOT ({_CANCEL_JUSTIFIED}) THEN
                    RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation',
                        MESSAGE = format('{MESSAGE} (record %s)', NEW.id);
                END IF;
                RETURN NEW;
            END $$""")
        op.execute("""
            CREATE TRIGGER trg_records_cancelled_from_facts BEFORE UPDATE ON records
            FOR EACH ROW EXECUTE FUNCTION checklist_records_cancelled_from_facts()""")
    else:
        raise NotImplementedError(f"no cancel constraints for {dialect}")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS trg_records_cancelled_from_facts")
        op.execute("DROP TRIGGER IF EXISTS trg_records_print_outcome")
        _sqlite_rewrite({t: (new, old) for t, (old, new) in _CHANGES.items()})
        with op.batch_alter_table("records", recreate="never") as batch:
            batch.drop_column("print_outcome")
        return
    op.execute("DROP TRIGGER IF EXISTS trg_records_cancelled_from_facts ON records")
    op.execute("DROP FUNCTION IF EXISTS checklist_records_cancelled_from_facts()")
    op.drop_constraint("ck_records_print_outcome", "records", type_="check")
    op.drop_constraint("ck_records_status", "records", type_="check")
    op.create_check_constraint("ck_records_status", "records", _OLD_STATUS)
    op.drop_constraint("ck_signatures_meaning", "signatures", type_="check")
    op.create_check_constraint("ck_signatures_meaning", "signatures", _OLD_MEANING)
    op.drop_column("records", "print_outcome")
