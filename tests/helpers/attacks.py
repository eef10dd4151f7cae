"""What an attacker does to the database behind the app's back: raw SQL through a connection of their own.

"Owner" attacks first lift every guard the schema has (SQLite: drop the triggers; PostgreSQL: the owner
disables them), then change rows and, where they like, re-hash the whole audit chain so `audit verify` passes.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, create_engine, select, text, update

from checklist_app.store.audit import entry_hash
from checklist_app.store.tables import GENESIS_HASH, audit, audit_head

TABLES = ("records", "answers", "signatures", "record_pdfs", "audit", "audit_head", "site_authority", "users")


def attacker_sql(url: str, *statements: str, **params: Any) -> None:
    """Run statements in one transaction on a connection of the attacker's own (not the app's engine)."""
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            for statement in statements:
                conn.execute(text(statement), params)
    finally:
        engine.dispose()


def lift_guards(conn: Connection) -> None:
    """As the database owner: no trigger stands in the way any more."""
    if conn.dialect.name == "sqlite":
        for name in conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")).scalars().all():
            conn.execute(text(f'DROP TRIGGER "{name}"'))
        return
    for table in TABLES:
        conn.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER USER"))


def as_owner(url: str, *statements: str, rehash: bool = False, **params: Any) -> None:
    """Lift the guards, run the statements, and (rehash=True) recompute every audit hash and the head."""
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            lift_guards(conn)
            for statement in statements:
                conn.execute(text(statement), params)
            if rehash:
                rehash_chain(conn)
    finally:
        engine.dispose()


def rehash_chain(conn: Connection) -> None:
    """Recompute every entry's hash in order (and the head), as a forger who knows the scheme would."""
    prev = GENESIS_HASH
    last = 0
    for row in conn.execute(select(audit).order_by(audit.c.seq)).all():
        digest = entry_hash(int(row.seq), row.at, row.actor, row.action, row.record_id, row.detail, prev)
        conn.execute(update(audit).where(audit.c.seq == row.seq).values(prev_hash=prev, hash=digest))
        prev, last = digest, int(row.seq)
    conn.execute(update(audit_head).where(audit_head.c.id == 1).values(seq=last, hash=prev))
