"""The readiness at each save, for the dashboard's "why cases are not ready" (issue 16).

Revision ID: 0014_readiness_history
Revises: 0013_cancel_reschedule
Create Date: 2026-12-01

`readiness_history` gets one row per blocker (item, drug) of every save of a draft, or one row with item ""
when the save had none, written in the save's transaction (store/answer_save.py; on PostgreSQL the answer
function below, which replaces 0011's with two more arguments: the blockers).

The table is reporting data. Nothing judges a record from it: a signed record's verdict is its canonical
JSON, hashed and signed. Still it may not be rewritten behind the app's back: rows are append-only, and a
row is accepted only for a draft at its current version (what a save writes), so history cannot be added
to a signed record or to a draft's past.

Backfill, from what the store already holds: the audit log has every answer save and reschedule with its
version, time and readiness state (the entries' detail), which gives the states and the first-answer time
exactly. The blockers were never stored, so they are recomputed for each record's *latest* save only, from
its stored answers with the form it was pinned to, as of that save's time; earlier NOT READY saves of
records migrated from before this revision count under the reason "" (unknown) and are left out of the
reasons (their state still counts).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0014_readiness_history"
down_revision: str | None = "0013_cancel_reschedule"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OLD_ARGS = (
    "p_record text, p_item text, p_expected integer, p_actor text, p_state text, p_at timestamptz, "
    "p_at_text text, p_action text, p_clear boolean, p_value_json text, p_note text, p_na text, "
    "p_by text, p_answered_at timestamptz, p_offset integer, p_had_old boolean, p_old_value_json text, "
    "p_old_note text, p_old_na text, p_old_by text, p_old_answered_at timestamptz, p_old_offset integer, "
    "p_detail text"
)
ARGS = _OLD_ARGS + ", p_blocker_items text[], p_blocker_drugs text[]"
_ACTIONS = ("answer.set", "answer.cleared", "record.rescheduled")
_TIED = "readiness history cannot be changed: rows come only from a save of a draft, at its current version"


def _create_table() -> None:
    op.create_table(
        "readiness_history",
        sa.Column("record_id", sa.String(36), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state", sa.String(32), nullable=False),
        sa.Column("event", sa.String(16), nullable=False),
        sa.Column("item", sa.String(100), nullable=False, server_default=""),
        sa.Column("drug", sa.String(100), nullable=False, server_default=""),
        sa.PrimaryKeyConstraint("record_id", "version", "item", "drug", name="pk_readiness_history"),
        sa.CheckConstraint("event IN ('answer', 'reschedule')", name="ck_readiness_history_event"),
    )
    op.create_index("ix_readiness_history_item_drug", "readiness_history", ["item", "drug", "record_id"])


def _backfill() -> None:
    from checklist_app.domain.forms import FormDefinition
    from checklist_app.domain.readiness import evaluate
    from checklist_app.domain.reasons import blocker_keys
    from checklist_app.store.record_rows import record_from_row
    from checklist_app.store.tables import answers, audit, case_sources, form_definitions, readiness_history, records

    conn = op.get_bind()
    rows: dict[tuple[str, int], list[dict[str, Any]]] = {}  # by (record, version), in log order
    latest: dict[str, tuple[str, int]] = {}
    query = (
        sa.select(audit.c.record_id, audit.c.at, audit.c.action, audit.c.detail)
        .where(audit.c.action.in_(_ACTIONS), audit.c.record_id.is_not(None))
        .order_by(audit.c.seq)
    )
    for entry in conn.execute(query):
        detail = json.loads(entry.detail)
        if not isinstance(detail.get("version"), int) or not isinstance(detail.get("readiness_state"), str):
            continue  # an entry older than these fields: nothing to say about its readiness
        key = (entry.record_id, detail["version"])
        rows[key] = [
            {
                "record_id": entry.record_id,
                "version": detail["version"],
                "saved_at": entry.at,
                "state": detail["readiness_state"],
                "item": "",
                "drug": "",
                "event": "reschedule" if entry.action == "record.rescheduled" else "answer",
            }
        ]
        latest[entry.record_id] = key
    forms: dict[str, FormDefinition | None] = {}
    for record_id, key in latest.items():
        row = rows[key][0]
        if row["state"] != "not_ready":
            continue
        keys = _blockers(
            conn,
            record_id,
            row["saved_at"],
            forms,
            records,
            answers,
            case_sources,
            form_definitions,
            record_from_row,
            evaluate,
            blocker_keys,
            FormDefinition,
        )
        if keys:
            rows[key] = [{**row, "item": item, "drug": drug or ""} for item, drug in keys]
    flat = [r for group in rows.values() for r in group]
    for start in range(0, len(flat), 5000):
        conn.execute(sa.insert(readiness_history), flat[start : start + 5000])


def _blockers(
    conn: Any,
    record_id: str,
    at: datetime,
    forms: dict[str, Any],
    records: Any,
    answers: Any,
    case_sources: Any,
    form_definitions: Any,
    record_from_row: Any,
    evaluate: Any,
    blocker_keys: Any,
    form_type: Any,
) -> tuple[tuple[str, str | None], ...]:
    row = conn.execute(sa.select(records).where(records.c.id == record_id)).first()
    if row is None:
        return ()
    form = forms.get(row.form_hash, False)
    if form is False:
        text = conn.execute(
            sa.select(form_definitions.c.definition_json).where(form_definitions.c.form_hash == row.form_hash)
        ).scalar()
        form = forms[row.form_hash] = None if text is None else form_type.model_validate_json(text)
    if form is None:
        return ()
    try:
        record = record_from_row(
            row,
            conn.execute(sa.select(answers).where(answers.c.record_id == record_id)),
            conn.execute(sa.select(case_sources).where(case_sources.c.record_id == record_id)).first(),
        )
        moment = at if at.tzinfo else at.replace(tzinfo=UTC)
        keys: tuple[tuple[str, str | None], ...] = blocker_keys(form, evaluate(form, record, moment))
        return keys
    except Exception:  # a record the engine refuses keeps its state without reasons
        return ()


def _sqlite_triggers() -> None:
    for verb in ("UPDATE", "DELETE"):
        op.execute(f"""
            CREATE TRIGGER trg_readiness_history_no_{verb.lower()} BEFORE {verb} ON readiness_history
            BEGIN SELECT RAISE(ABORT, 'readiness_history is append-only'); END""")
    op.execute(f"""
        CREATE TRIGGER trg_readiness_history_tied BEFORE INSERT ON readiness_history
        WHEN NOT EXISTS (SELECT 1 FROM records r WHERE r.id = NEW.record_id AND r.status = 'draft'
                                                  AND r.version = NEW.version)
        BEGIN SELECT RAISE(ABORT, '{_TIED}'); END""")


def _postgresql_triggers() -> None:
    op.execute("""
        CREATE TRIGGER trg_readiness_history_append_only BEFORE UPDATE OR DELETE ON readiness_history
        FOR EACH ROW EXECUTE FUNCTION checklist_append_only()""")
    op.execute("""
        CREATE TRIGGER trg_readiness_history_no_truncate BEFORE TRUNCATE ON readiness_history
        FOR EACH STATEMENT EXECUTE FUNCTION checklist_append_only()""")
    op.execute(f"""
        CREATE FUNCTION checklist_readiness_history_tied() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NOT EXISTS (SELECT 1 FROM records r WHERE r.id = NEW.record_id AND r.status = 'draft'
                                                     AND r.version = NEW.version) THEN
                RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation',
                    MESSAGE = format('{_TIED} (record %s)', NEW.record_id);
            END IF;
            RETURN NEW;
        END $$""")
    op.execute("""
        CREATE TRIGGER trg_readiness_history_tied BEFORE INSERT ON readiness_history
        FOR EACH ROW EXECUTE FUNCTION checklist_readiness_history_tied()""")
    op.execute(f"DROP FUNCTION checklist_save_answer({_OLD_ARGS})")
    op.execute(_save_function(ARGS, history=True))


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    _create_table()
    _backfill()
    if dialect == "sqlite":
        _sqlite_triggers()
    elif dialect == "postgresql":
        _postgresql_triggers()
    else:
        raise NotImplementedError(f"no readiness history triggers for {dialect}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP FUNCTION IF EXISTS checklist_save_answer({ARGS})")
        op.execute(_save_function(_OLD_ARGS, history=False))
        op.execute("DROP TABLE readiness_history")
        op.execute("DROP FUNCTION IF EXISTS checklist_readiness_history_tied()")
        return
    op.drop_table("readiness_history")  # its triggers go with it


def _save_function(args: str, *, history: bool) -> str:
    """0011's answer function; with `history`, it also writes the save's readiness rows (in its transaction)."""
    rows = (
        """
            IF cardinality(p_blocker_items) = 0 THEN
                INSERT INTO readiness_history (record_id, version, saved_at, state, event, item, drug)
                VALUES (p_record, v_version, p_at, p_state, 'answer', '', '');
            ELSE
                INSERT INTO readiness_history (record_id, version, saved_at, state, event, item, drug)
                SELECT p_record, v_version, p_at, p_state, 'answer', b.item, b.drug
                  FROM unnest(p_blocker_items, p_blocker_drugs) AS b(item, drug);
            END IF;"""
        if history
        else ""
    )
    return f"""
        CREATE FUNCTION checklist_save_answer({args}) RETURNS integer LANGUAGE plpgsql AS $$
        DECLARE
            v_version integer;
            old answers%ROWTYPE;
            head record;
            v_seq bigint;
            v_hash text;
        BEGIN
            UPDATE records SET version = version + 1, updated_at = p_at, updated_by = p_actor,
                               readiness_state = p_state
             WHERE id = p_record AND version = p_expected AND status = 'draft'
            RETURNING version INTO v_version;
            IF NOT FOUND THEN
                RETURN 0;
            END IF;
            SELECT * INTO old FROM answers WHERE record_id = p_record AND item_id = p_item;
            IF FOUND IS DISTINCT FROM p_had_old OR (FOUND AND (
                   old.value_json IS DISTINCT FROM p_old_value_json OR old.note IS DISTINCT FROM p_old_note
                   OR old.na_reason IS DISTINCT FROM p_old_na OR old.answered_by IS DISTINCT FROM p_old_by
                   OR old.answered_at IS DISTINCT FROM p_old_answered_at
                   OR old.answered_offset_s IS DISTINCT FROM p_old_offset)) THEN
                RAISE EXCEPTION 'checklist_save_answer: the old answer is not the caller''s'
                    USING ERRCODE = 'CK001';
            END IF;
            IF p_clear THEN
                DELETE FROM answers WHERE record_id = p_record AND item_id = p_item;
            ELSIF p_had_old THEN
                UPDATE answers SET value_json = p_value_json, note = p_note, na_reason = p_na, answered_by = p_by,
                                   answered_at = p_answered_at, answered_offset_s = p_offset
                 WHERE record_id = p_record AND item_id = p_item;
            ELSE
                INSERT INTO answers (record_id, item_id, value_json, note, na_reason, answered_by, answered_at,
                                     answered_offset_s)
                VALUES (p_record, p_item, p_value_json, p_note, p_na, p_by, p_answered_at, p_offset);
            END IF;{rows}
            SELECT seq, hash INTO head FROM audit_head WHERE id = 1 FOR UPDATE;
            v_seq := head.seq + 1;
            v_hash := encode(sha256(convert_to(
                '[' || v_seq::text || ',' || to_json(p_at_text)::text || ',' || to_json(p_actor)::text || ','
                || to_json(p_action)::text || ',' || to_json(p_record)::text || ',' || to_json(p_detail)::text
                || ',' || to_json(head.hash)::text || ']', 'UTF8')), 'hex');
            INSERT INTO audit (seq, at, actor, action, record_id, detail, prev_hash, hash)
            VALUES (v_seq, p_at, p_actor, p_action, p_record, p_detail, head.hash, v_hash);
            UPDATE audit_head SET seq = v_seq, hash = v_hash WHERE id = 1;
            RETURN v_version;
        END $$"""
