"""Faults: a locked SQLite file or a lost PostgreSQL connection gives a clear, retryable error, never a lost answer."""

from __future__ import annotations

import socket
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
import pytest
from sqlalchemy import Connection, event
from sqlalchemy.engine import make_url

from checklist_app.store import Store, StoreUnavailableError
from tests.helpers.store_rows import answer, new_draft
from tests.pgserver import PgServer


@contextmanager
def sqlite_write_lock(url: str, seconds: float | None = None) -> Iterator[None]:
    """Another program holding the write lock (for `seconds` if given, in the background)."""
    conn = sqlite3.connect(make_url(url).database or "", isolation_level=None, check_same_thread=False)
    conn.execute("BEGIN IMMEDIATE")
    timer = None
    if seconds is not None:
        timer = threading.Timer(seconds, conn.rollback)
        timer.start()
    try:
        yield
    finally:
        if timer is not None:
            timer.join()
        else:
            conn.rollback()
        conn.close()


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_locked_sqlite_file_gives_a_clear_error_and_keeps_nothing_half_done(
    db_url: str, open_store: Callable[..., Store]
) -> None:
    store = open_store(busy_timeout_s=0.2, retries=1, retry_delay_s=0.05)
    row = new_draft(store)
    started = time.monotonic()
    with sqlite_write_lock(db_url), pytest.raises(StoreUnavailableError) as info:
        save_met(store, row.id)
    assert time.monotonic() - started < 3, "bounded retry"
    message = str(info.value)
    assert "is busy" in message and "was not saved" in message and "Try again" in message
    assert info.value.retryable and not info.value.maybe_committed
    assert store.records.get(row.id).version == 1
    # The retry the message promises works once the lock is gone.
    assert save_met(store, row.id) == 2


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_short_lock_is_ridden_out_by_the_retry(db_url: str, open_store: Callable[..., Store]) -> None:
    store = open_store(busy_timeout_s=0.15, retries=3, retry_delay_s=0.05)
    row = new_draft(store)
    with sqlite_write_lock(db_url, seconds=0.3):
        version = save_met(store, row.id)
    assert version == 2 and store.records.get(row.id).record.answers["consent.signed"].value == "met"


def _admin(server: PgServer) -> psycopg.Connection[Any]:
    return psycopg.connect(host=server.host, port=server.port, user=server.user, dbname="postgres", autocommit=True)


def _terminate_clients(server: PgServer, database: str, where: str = "") -> int:
    with _admin(server) as admin:
        rows = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            f"WHERE datname = %s AND pid <> pg_backend_pid() {where}",
            (database,),
        ).fetchall()
    return len(rows)


@pytest.mark.postgres
@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_connections_dropped_between_calls_are_replaced(
    db_url: str, pg_server: PgServer, open_store: Callable[..., Store]
) -> None:
    store = open_store()
    row = new_draft(store)
    assert _terminate_clients(pg_server, make_url(db_url).database or "") >= 1  # e.g. a server restart
    version = save_met(store, row.id)
    assert version == 2 and store.records.get(row.id).version == 2


@pytest.mark.postgres
@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_a_session_the_server_ended_seconds_after_a_save_is_replaced_before_the_next(
    db_url: str, pg_server: PgServer, open_store: Callable[..., Store]
) -> None:
    """A pooled connection younger than PING_AFTER_IDLE_S is not pinged, but one the server ended (restart,
    an administrator) is still replaced: the next one-round-trip save must not say "may or may not be saved"."""
    store = open_store()
    row = new_draft(store)
    assert save_met(store, row.id, previous=None) == 2
    with _admin(pg_server) as admin:  # pg_terminate_backend(pid, timeout) returns once the backend is gone
        ended = admin.execute(
            "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE datname = %s AND pid <> "
            "pg_backend_pid()",
            (make_url(db_url).database,),
        ).fetchall()
    assert ended and all(ok for (ok,) in ended)
    version = store.records.set_answer(
        row.id,
        "consent.signed",
        answer("not_met"),
        expected_version=2,
        actor="nurse.kim",
        readiness_state="not_ready",
        previous=answer("met"),
    )
    assert version == 3 and store.records.get(row.id).record.answers["consent.signed"].value == "not_met"


@pytest.mark.postgres
@pytest.mark.parametrize("fast_path", [False, True], ids=["transaction", "one_call"])
@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_connection_lost_mid_save_is_retried_and_saved_once(
    db_url: str, fast_path: bool, pg_server: PgServer, open_store: Callable[..., Store]
) -> None:
    """`one_call`: the answer function in autocommit, where the link dying mid-call is a doubt the store settles
    by the version (answer_save._settle): not committed, so it saves again, once."""
    store = open_store(retries=2, retry_delay_s=0.05)
    row = new_draft(store)
    database = make_url(db_url).database or ""
    blocker = psycopg.connect(host=pg_server.host, port=pg_server.port, user=pg_server.user, dbname=database)
    blocker.execute("SELECT 1 FROM records WHERE id = %s FOR UPDATE", (row.id,))  # the save will wait on this
    result: list[Any] = []
    extra: dict[str, Any] = {"previous": None} if fast_path else {}
    worker = threading.Thread(target=lambda: result.append(save_met(store, row.id, **extra)))
    worker.start()
    try:
        deadline = time.monotonic() + 10
        while not _terminate_clients(pg_server, database, "AND wait_event_type = 'Lock'"):
            assert time.monotonic() < deadline, "the save never reached the database"
            time.sleep(0.02)
    finally:
        blocker.rollback()
        blocker.close()
    worker.join(20)
    assert result == [2]
    got = store.records.get(row.id)
    assert got.version == 2 and got.record.answers["consent.signed"].value == "met"
    assert [e.action for e in store.audit.entries(record_id=row.id)] == ["record.created", "answer.set"]


@pytest.mark.postgres
@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_connection_lost_during_commit_says_it_may_not_be_saved(
    db_url: str, pg_server: PgServer, open_store: Callable[..., Store]
) -> None:
    store = open_store(retries=2, retry_delay_s=0.05)
    row = new_draft(store)

    def cut_before_commit(conn: Connection) -> None:
        pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()
        with _admin(pg_server) as admin:
            # pg_terminate_backend(pid, timeout) waits until the backend is gone: no fixed sleep needed.
            admin.execute("SELECT pg_terminate_backend(%s, 5000)", (pid,))

    event.listen(store.db.engine, "commit", cut_before_commit)
    try:
        with pytest.raises(StoreUnavailableError) as info:
            save_met(store, row.id)
    finally:
        event.remove(store.db.engine, "commit", cut_before_commit)
    assert info.value.maybe_committed
    assert "may or may not have been saved" in str(info.value) and "reload" in str(info.value)
    assert store.records.get(row.id).version == 1  # here the link died before COMMIT reached the server


@pytest.mark.postgres
def test_unreachable_server_gives_a_clear_error(pg_server: PgServer) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # nothing listens here once the socket closes
    with pytest.raises(StoreUnavailableError, match=rf"Cannot open the database at 127\.0\.0\.1:{port}"):
        Store.open(f"postgresql+psycopg://postgres@127.0.0.1:{port}/checklists", connect_timeout_s=2)
    with pytest.raises(StoreUnavailableError, match="does not exist"):
        Store.open(pg_server.url("no_such_database"))


@pytest.mark.postgres
@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_a_one_call_save_whose_reply_was_lost_is_reported_saved_once(
    db_url: str, open_store: Callable[..., Store], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server committed and the reply never came (a link cut at that instant cannot be timed here, so the
    reply is dropped on purpose): the store reads the version and says saved, without saving twice."""
    store = open_store()
    row = new_draft(store)
    real = store.db.write_one

    def reply_lost(fn: Callable[[Connection], Any]) -> Any:
        real(fn)
        raise StoreUnavailableError("the reply was lost", maybe_committed=True)

    monkeypatch.setattr(store.db, "write_one", reply_lost)
    version = save_met(store, row.id, previous=None)
    assert version == 2 and store.records.get(row.id).record.answers["consent.signed"].value == "met"
    assert [e.action for e in store.audit.entries(record_id=row.id)] == ["record.created", "answer.set"]

    # A reply lost and, before the store could look, another nurse saved over it: the doubt stands.
    def reply_lost_then_overwritten(fn: Callable[[Connection], Any]) -> Any:
        real(fn)
        _other_nurse_saves(store, row.id)
        raise StoreUnavailableError("the reply was lost", maybe_committed=True)

    monkeypatch.setattr(store.db, "write_one", reply_lost_then_overwritten)
    with pytest.raises(StoreUnavailableError) as info:
        store.records.set_answer(
            row.id,
            "consent.signed",
            answer("not_met"),
            expected_version=2,
            actor="nurse.kim",
            readiness_state="not_ready",
            previous=answer("met"),
        )
    assert info.value.maybe_committed


@pytest.mark.postgres
@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_a_one_call_save_that_commits_after_its_link_died_is_reported_saved_not_conflicting(
    db_url: str, open_store: Callable[..., Store], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The link died while the server still ran the call (waiting on a lock): the store reads the record at the
    old version and saves again, and the first call commits meanwhile. The retry then finds the version moved:
    the record's updated_at is the first call's own moment, so the nurse is told "saved", not "conflict"."""
    store = open_store()
    row = new_draft(store)
    real = store.db.write_one
    late: list[Callable[[Connection], Any]] = []

    def link_died_before_the_server_finished(fn: Callable[[Connection], Any]) -> Any:
        if not late:
            late.append(fn)  # the server holds it, the client has given up on it
            raise StoreUnavailableError("the link died", maybe_committed=True)
        real(late[0])  # it commits now, while the store saves again
        return real(fn)

    monkeypatch.setattr(store.db, "write_one", link_died_before_the_server_finished)
    version = save_met(store, row.id, previous=None)
    assert version == 2 and store.records.get(row.id).version == 2
    assert [e.action for e in store.audit.entries(record_id=row.id)] == ["record.created", "answer.set"]


def save_met(store: Store, record_id: str, **extra: Any) -> int:
    """Nurse Kim's first answer to a new draft (version 1); `previous=None` takes the one-call path."""
    return store.records.set_answer(
        record_id,
        "consent.signed",
        answer("met"),
        expected_version=1,
        actor="nurse.kim",
        readiness_state="ready",
        **extra,
    )


def _other_nurse_saves(store: Store, record_id: str) -> None:
    version = store.records.get(record_id).version
    store.records.set_answer(
        record_id,
        "consent.signed",
        answer("met", by="nurse.lee"),
        expected_version=version,
        actor="nurse.lee",
        readiness_state="ready",
    )
