"""PostgreSQL: one server-side function saves one answer (compare-and-set, answer, audit entry) in one round trip.

The function does what the store's answer save did in six statements and nine round trips: the version
compare-and-set on the draft, the answer's insert/update/delete, and the audit entry chained to the head
(locked), hashed exactly as `store.audit.entry_hash` does so `audit verify` checks it like any other entry.
The caller (store/record_drafts.py, "the answer save") passes the answer it saw at that version as the
old value; the function refuses (SQLSTATE CK001, nothing written) when the row differs, and the caller then
takes the general path. The immutability and chain triggers of 0002 still fire on every row it touches.

Revision ID: 0011_answer_fast_path
Revises: 0010_override_authoriser
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0011_answer_fast_path"
down_revision: str | None = "0010_override_authoriser"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ARGS = (
    "p_record text, p_item text, p_expected integer, p_actor text, p_state text, p_at timestamptz, "
    "p_at_text text, p_action text, p_clear boolean, p_value_json text, p_note text, p_na text, p_by text, "
    "p_answered_at timestamptz, p_offset integer, p_had_old boolean, p_old_value_json text, p_old_note text, "
    "p_old_na text, p_old_by text, p_old_answered_at timestamptz, p_old_offset integer, p_detail text"
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite runs the same steps as separate statements in one local transaction
    op.execute(f"""
        CREATE FUNCTION checklist_save_answer({ARGS}) RETURNS integer LANGUAGE plpgsql AS $$
        DECLARE
            v_version integer;
            old answers%ROWTYPE;
            head record;
            v_seq bigint;
            v_hash text;
        BEGIN
            -- Compare-and-set first: the row lock queues a concurrent writer, which then loses cleanly.
            UPDATE records SET version = version + 1, updated_at = p_at, updated_by = p_actor,
                               readiness_state = p_state
             WHERE id = p_record AND version = p_expected AND status = 'draft'
            RETURNING version INTO v_version;
            IF NOT FOUND THEN
                RETURN 0;  -- nothing written; the caller reads why (conflict, signed, not found)
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
            END IF;
            -- The audit entry, hashed as store.audit.entry_hash: SHA-256 of the compact JSON array
            -- [seq, at, actor, action, record_id, detail, prev_hash] (to_json escapes as Python's json does).
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
        END $$""")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP FUNCTION IF EXISTS checklist_save_answer({ARGS})")
