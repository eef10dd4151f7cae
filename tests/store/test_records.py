"""Record repository: drafts, answers, signing, co-signing, amendments, printing, users, connection set-up."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from checklist_app.store import (
    AlreadyExistsError,
    ConflictError,
    ImmutableRecordError,
    NotFoundError,
    RecordFilter,
    RecordStateError,
    Store,
    StoreError,
)
from checklist_app.store.connection import default_sqlite_path, resolve_url
from tests.helpers.store_rows import (
    FORM_HASH,
    FORM_VERSION,
    answer,
    canonical,
    cosign,
    fake_pdf,
    make_record,
    new_draft,
    sign,
    signature,
)


@pytest.mark.parametrize(
    "scheduled_at", ["2026-11-24T09:30:00-05:00", "2026-11-24T14:30:00.250000+00:00", "2026-11-24T20:00:00+05:30"]
)
def test_draft_round_trips_the_record_json_exactly(store: Store, scheduled_at: str) -> None:
    record = make_record(
        scheduled_at=scheduled_at,
        answers={
            "sedation.planned": "yes",
            "imaging.reviewed": {
                "value": "na",
                "note": "outside films",
                "na_reason": "not applicable",
                "by": "nurse.kim",
                "at": "2026-11-24T08:00:00+05:30",
            },
            "anticoagulants": [{"drug": "apixaban", "last_dose_at": "2026-11-21T08:00:00-05:00"}],
            "weight.kg": 81.5,
            "notes.none": None,
        },
    )
    row = new_draft(store, record)
    expected = record.model_copy(update={"form_version": FORM_VERSION, "form_hash": FORM_HASH})
    assert row.record == expected
    assert row.record.to_json() == expected.to_json()
    again = store.records.get(row.id)
    assert again.record.to_json() == expected.to_json()
    assert again.record.procedure.scheduled_at.utcoffset() == record.procedure.scheduled_at.utcoffset()
    assert (again.status, again.version, again.nurse, again.readiness_state) == ("draft", 1, "nurse.kim", "incomplete")


def test_create_draft_refuses_a_record_pinned_to_another_form_version(store: Store) -> None:
    record = make_record().model_copy(update={"form_version": "0.9"})
    with pytest.raises(ValueError, match="form_version"):
        store.records.create_draft(record, "nurse.kim", FORM_VERSION, FORM_HASH, "incomplete")


def test_set_answer_saves_clears_and_audits_old_and_new(store: Store) -> None:
    row = new_draft(store)
    v2 = store.records.set_answer(
        row.id, "consent.signed", answer("met"), expected_version=1, actor="nurse.kim", readiness_state="incomplete"
    )
    v3 = store.records.set_answer(
        row.id,
        "consent.signed",
        answer("not_met", note="unsigned copy"),
        expected_version=v2,
        actor="nurse.kim",
        readiness_state="not_ready",
    )
    got = store.records.get(row.id)
    assert (v2, v3, got.version, got.readiness_state) == (2, 3, 3, "not_ready")
    assert got.record.answers["consent.signed"].value == "not_met"
    assert got.record.answers["consent.signed"].note == "unsigned copy"
    v4 = store.records.set_answer(
        row.id, "consent.signed", None, expected_version=v3, actor="nurse.kim", readiness_state="incomplete"
    )
    assert "consent.signed" not in store.records.get(row.id).record.answers
    entries = store.audit.entries(record_id=row.id)
    assert [e.action for e in entries] == ["record.created", "answer.set", "answer.set", "answer.cleared"]
    assert entries[1].detail["old"] is None and entries[1].detail["new"]["value"] == "met"
    assert entries[2].detail["old"]["value"] == "met" and entries[2].detail["new"]["value"] == "not_met"
    assert entries[3].detail["old"]["value"] == "not_met" and entries[3].detail["new"] is None
    assert entries[3].detail["version"] == v4 == 4


def test_set_answer_on_missing_record_names_it(store: Store) -> None:
    with pytest.raises(NotFoundError, match="no checklist with id nope"):
        store.records.set_answer("nope", "x", answer("yes"), expected_version=1, actor="a", readiness_state="ready")


def test_a_failed_audit_append_rolls_the_answer_back(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    row = new_draft(store)

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("audit down")

    monkeypatch.setattr(store.audit, "append_in", boom)
    with pytest.raises(RuntimeError):
        store.records.set_answer(
            row.id, "consent.signed", answer("met"), expected_version=1, actor="nurse.kim", readiness_state="ready"
        )
    monkeypatch.undo()
    got = store.records.get(row.id)
    assert got.version == 1 and got.record.answers == {}


def test_sign_freezes_content_and_stores_signature_and_pdf(store: Store) -> None:
    row = new_draft(store)
    store.records.set_answer(
        row.id, "consent.signed", answer("met"), expected_version=1, actor="nurse.kim", readiness_state="ready"
    )
    signed = sign(store, row)
    text_, digest = canonical(store.records.get(row.id))
    assert signed.status == "signed" and signed.version == 3
    assert signed.canonical_json == text_ and signed.content_sha256 == digest
    assert [s.meaning for s in signed.signatures] == ["prepared"]
    assert signed.signed_at == signature().signed_at
    pdf = store.records.latest_pdf(row.id)
    assert pdf is not None and pdf.revision == 1 and pdf.pdf == fake_pdf()
    with pytest.raises(ImmutableRecordError, match="signed and cannot be changed"):
        store.records.set_answer(
            row.id, "consent.signed", answer("not_met"), expected_version=3, actor="nurse.kim", readiness_state="ready"
        )


def test_sign_checks_the_hash_and_the_version(store: Store) -> None:
    row = new_draft(store)
    text_, digest = canonical(row)
    with pytest.raises(ValueError, match="SHA-256"):
        store.records.sign(
            row.id, expected_version=1, canonical_json=text_, sha256="0" * 64, signature=signature(), pdf=fake_pdf()
        )
    store.records.set_answer(row.id, "x", answer("yes"), expected_version=1, actor="nurse.kim", readiness_state="ready")
    with pytest.raises(ConflictError):
        store.records.sign(
            row.id, expected_version=1, canonical_json=text_, sha256=digest, signature=signature(), pdf=fake_pdf()
        )
    assert store.records.get(row.id).status == "draft"


def test_cosign_needs_an_incremental_pdf(store: Store) -> None:
    row = new_draft(store)
    with pytest.raises(RecordStateError, match="not been signed"):
        store.records.add_signature(row.id, signature("reviewed", "charge.lee"), fake_pdf("x"))
    sign(store, row)
    with pytest.raises(RecordStateError, match="incremental"):
        store.records.add_signature(row.id, signature("reviewed", "charge.lee"), fake_pdf("rewritten"))
    assert store.records.get(row.id).status == "signed"
    reviewed = cosign(store, row)
    assert reviewed.status == "reviewed"
    assert [s.meaning for s in reviewed.signatures] == ["prepared", "reviewed"]
    latest = store.records.latest_pdf(row.id)
    assert latest is not None and latest.revision == 2 and latest.pdf.startswith(fake_pdf())
    assert [e.action for e in store.audit.entries(record_id=row.id)][-1] == "record.cosigned"


def test_amend_makes_a_new_draft_and_leaves_the_old_version_as_it_was(store: Store) -> None:
    row = new_draft(store, make_record(answers={"consent.signed": "met"}))
    signed = cosign(store, sign(store, row))
    with pytest.raises(RecordStateError, match="still a draft"):
        store.records.amend(new_draft(store).id, "typo", "charge.lee")
    new = store.records.amend(row.id, "wrong level documented", "charge.lee")
    old = store.records.get(row.id)
    assert new.status == "draft" and new.version == 1 and new.supersedes_id == row.id
    assert new.amendment_reason == "wrong level documented" and new.nurse == "charge.lee"
    assert new.record == signed.record
    assert old.status == "amended" and old.superseded_by_id == new.id
    assert (old.record, old.canonical_json, old.content_sha256, old.signatures) == (
        signed.record,
        signed.canonical_json,
        signed.content_sha256,
        signed.signatures,
    )
    with pytest.raises(RecordStateError, match="replaced by an amendment"):
        store.records.amend(row.id, "again", "charge.lee")
    with pytest.raises(ImmutableRecordError, match="replaced by an amendment"):
        store.records.set_answer(
            row.id,
            "consent.signed",
            answer("not_met"),
            expected_version=old.version,
            actor="charge.lee",
            readiness_state="not_ready",
        )
    store.records.set_answer(
        new.id, "consent.signed", answer("not_met"), expected_version=1, actor="charge.lee", readiness_state="not_ready"
    )
    assert store.records.get(row.id).record.answers["consent.signed"].value == "met"
    assert [s.id for s in store.records.versions(new.id)] == [row.id, new.id]
    assert [s.id for s in store.records.versions(row.id)] == [row.id, new.id]


def test_mark_printed(store: Store) -> None:
    row = new_draft(store)
    with pytest.raises(RecordStateError):
        store.records.mark_printed(row.id, "coord.ray")
    signed = sign(store, row)
    printed = store.records.mark_printed(row.id, "coord.ray")
    assert printed.printed_by == "coord.ray" and printed.printed_at is not None
    assert printed.version == signed.version and printed.canonical_json == signed.canonical_json
    assert store.audit.entries(record_id=row.id)[-1].action == "record.printed"


def test_a_version_replaced_by_an_amendment_is_not_marked_printed(store: Store) -> None:
    """Paper of a superseded version would pass for the current record: refused, saying which replaced it."""
    row = new_draft(store)
    sign(store, row)
    store.records.mark_printed(row.id, "coord.ray")
    new = store.records.amend(row.id, "level corrected", actor="charge.lee")
    with pytest.raises(RecordStateError, match=f"replaced by an amendment \\({new.id}\\)"):
        store.records.mark_printed(row.id, "coord.ray")
    assert store.audit.entries(record_id=row.id)[-1].action == "record.amended"  # the refusal wrote nothing


def test_users_are_case_insensitive_and_audited(store: Store) -> None:
    user = store.users.add("Nurse.Kim", "Kim Example", ["nurse"], "argon2$fake", actor="admin")
    assert user.roles == ("nurse",) and user.active and user.failed_attempts == 0
    assert store.users.get("nurse.kim").username == "Nurse.Kim"
    with pytest.raises(AlreadyExistsError):
        store.users.add("NURSE.KIM", "Other", ["nurse"], "x", actor="admin")
    for _ in range(2):
        store.users.record_failed_login("nurse.kim", max_attempts=3, lock_for=timedelta(minutes=15))
    assert store.users.get("nurse.kim").locked_until is None
    locked = store.users.record_failed_login("nurse.kim", max_attempts=3, lock_for=timedelta(minutes=15))
    assert locked is not None and locked.failed_attempts == 3 and locked.locked_until is not None
    assert store.users.record_failed_login("ghost", max_attempts=3, lock_for=timedelta(minutes=15)) is None
    assert store.users.record_successful_login("nurse.kim").failed_attempts == 0
    store.users.set_roles("nurse.kim", ["nurse", "charge_nurse"], actor="admin")
    store.users.set_identity("nurse.kim", b"\x30\x82p12", "-----BEGIN CERTIFICATE-----", actor="admin")
    got = store.users.get("nurse.kim")
    assert got.roles == ("charge_nurse", "nurse") and got.identity_p12 == b"\x30\x82p12"
    role_change = next(e for e in store.audit.entries() if e.detail.get("changed") == "roles")
    assert role_change.detail["old"] == {"roles": ["nurse"]}
    assert role_change.detail["roles"] == ["charge_nurse", "nurse"] and role_change.actor == "admin"
    assert "argon2" not in repr(got)
    actions = [e.action for e in store.audit.entries()]
    assert actions.count("login.failed") == 4 and "user.created" in actions
    assert all("argon2" not in str(e.detail) for e in store.audit.entries())
    assert [u.username for u in store.users.list_users()] == ["Nurse.Kim"]


def test_site_authority_is_created_once(store: Store) -> None:
    assert store.users.get_site_authority() is None
    created = store.users.create_site_authority("Ward 4 CA", "-----BEGIN CERTIFICATE-----", b"enc-key", actor="admin")
    assert store.users.get_site_authority() == created
    with pytest.raises(AlreadyExistsError):
        store.users.create_site_authority("Again", "c", b"k", actor="admin")


def test_url_resolution_order(monkeypatch: pytest.MonkeyPatch) -> None:
    assert resolve_url("sqlite:///a.db", {"CHECKLIST_DB": "sqlite:///b.db"}) == "sqlite:///a.db"
    assert resolve_url(None, {"CHECKLIST_DB": "postgresql+psycopg://u@h/db"}) == "postgresql+psycopg://u@h/db"
    default = resolve_url(None, {})
    assert default == f"sqlite:///{default_sqlite_path()}"
    assert default_sqlite_path().parts[-2:] == ("checklist-app", "checklists.db")


def test_open_uses_checklist_db_and_hides_the_password(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'sub' / 'from-env.db'}"
    with Store.open(environ={"CHECKLIST_DB": url}) as store:
        assert store.url_display == url
        new_draft(store)
    assert (tmp_path / "sub" / "from-env.db").exists()
    with pytest.raises(StoreError, match="in-memory"):
        Store.open("sqlite://")
    with pytest.raises(StoreError, match="Unsupported database"):
        Store.open("mysql://u:p@h/db")


@pytest.mark.postgres
def test_url_display_never_shows_the_password(pg_server: object) -> None:
    from checklist_app.store.connection import create_store_engine, display_url

    engine = create_store_engine("postgresql://nurse:s3cret@db.example:5433/checklists")
    assert display_url(engine.url) == "postgresql+psycopg://nurse@db.example:5433/checklists"
    engine.dispose()


def test_sqlite_connections_are_wal_fk_and_full_sync(tmp_path: Path) -> None:
    with Store.open(f"sqlite:///{tmp_path / 'p.db'}") as store, store.db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 3000


def test_get_many_reads_what_get_reads_in_a_fixed_number_of_queries(store: Store) -> None:
    """The worklist's "ready from" times read all its drafts at once: the same rows as one get() each, and as many
    queries for six records as for one."""
    from sqlalchemy import event

    signed = new_draft(store, make_record(mrn="MRN-M1"))
    sign(store, signed)
    amendment = store.records.amend(signed.id, "level corrected", actor="charge.lee")
    drafts = [new_draft(store, make_record(mrn=f"MRN-M{n}")) for n in range(2, 6)]
    store.records.set_answer(
        drafts[0].id,
        "consent.signed",
        answer("met"),
        expected_version=1,
        actor="nurse.kim",
        readiness_state="incomplete",
    )
    ids = [signed.id, amendment.id, *(d.id for d in drafts)]
    statements: list[str] = []

    def count(*_args: object) -> None:
        statements.append("")

    event.listen(store.db.engine, "before_cursor_execute", count)
    try:
        one = store.records.get_many(ids[:1])
        queries_for_one = len(statements)
        statements.clear()
        many = store.records.get_many([*ids, "no-such-id"])
        assert len(statements) == queries_for_one
    finally:
        event.remove(store.db.engine, "before_cursor_execute", count)
    assert one == {signed.id: store.records.get(signed.id)}
    assert many == {i: store.records.get(i) for i in ids}
    assert many[signed.id].superseded_by_id == amendment.id and many[signed.id].signatures
    assert many[drafts[0].id].record.answers["consent.signed"].value == "met"


def test_a_list_asked_again_shows_what_was_saved_meanwhile(store: Store) -> None:
    """The first page's statement is built once per filter (record_search._first_page_query); its rows are not."""
    drafts = RecordFilter(status="draft", text="Jordan")
    first = new_draft(store)
    rows, _ = store.records.search_page(lambda *values: values[0], drafts, limit=50)
    assert rows == [first.id]
    second = new_draft(store, make_record(mrn="MRN100002"))
    rows, _ = store.records.search_page(lambda *values: values[0], drafts, limit=50)
    assert sorted(rows) == sorted([first.id, second.id])
    as_list = RecordFilter(status=["draft"], text="Jordan")  # unhashable: built each time, the same rows
    rows, _ = store.records.search_page(lambda *values: values[0], as_list, limit=50)
    assert sorted(rows) == sorted([first.id, second.id])


@pytest.mark.parametrize("printed", ["2026-11-24 16:00:00+00:00", "2026-11-24"])
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_list_rows_read_times_the_app_did_not_write_as_search_does(db_url: str, printed: str, store: Store) -> None:
    """The lists parse SQLite's time text themselves (record_search.search_page); text in another form (an
    offset, a date alone, as another program may have written) still reads as `search` reads it."""
    row = new_draft(store)
    with store.db.engine.begin() as conn:
        conn.execute(
            text("UPDATE records SET printed_at = :printed WHERE id = :id"), {"printed": printed, "id": row.id}
        )
    expected = store.records.search(None, limit=5).items[0]
    rows, _ = store.records.search_page(lambda *values: values, None, limit=5)
    assert rows[0][9] == expected.scheduled_at and rows[0][9].utcoffset() == expected.scheduled_at.utcoffset()
    assert rows[0][12] == expected.printed_at and rows[0][12] is not None and rows[0][12].tzinfo is not None
