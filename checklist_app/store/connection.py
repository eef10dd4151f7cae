"""Database URL resolution, engine set-up, migrations on open, and the retrying transaction runner."""

from __future__ import annotations

import os
import re
import sqlite3
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import platformdirs
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from .errors import ImmutableRecordError, StoreError, StoreUnavailableError
from .liveness import install_liveness_check

T = TypeVar("T")
Clock = Callable[[], datetime]

APP_NAME = "checklist-app"
ENV_VAR = "CHECKLIST_DB"
# Arbitrary constant so every workstation takes the same PostgreSQL advisory lock while migrating.
_MIGRATION_LOCK_KEY = 0x43484B4C  # "CHKL"
_BEGIN_OPTION = "checklist_sqlite_begin"


def utc_now() -> datetime:
    return datetime.now(UTC)


def default_sqlite_path() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "checklists.db"


def resolve_url(url: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """Explicit URL (--db), else $CHECKLIST_DB, else the site settings file's [database] url, else the SQLite
    file in the user's data directory."""
    from .site_config import load_site_config

    env = os.environ if environ is None else environ
    chosen = url or env.get(ENV_VAR) or ""
    if chosen.strip():
        return chosen.strip()
    site = load_site_config(env).database_url
    if site:
        return site
    return f"sqlite:///{default_sqlite_path()}"


def _normalise(url: str) -> URL:
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(
            f"{url!r} is not a database URL; use e.g. postgresql+psycopg://user@host/checklists "
            "or sqlite:////path/to/checklists.db"
        ) from None
    backend = parsed.get_backend_name()
    if backend == "postgresql":
        # psycopg 3 is the only PostgreSQL driver we ship; accept the bare scheme people type.
        parsed = parsed.set(drivername="postgresql+psycopg")
    elif backend == "sqlite":
        if not parsed.database or parsed.database == ":memory:" or parsed.database.startswith("file::memory:"):
            raise StoreError("An in-memory SQLite database would lose every record on exit; give a file path")
    elif backend != "postgresql":
        raise StoreError(f"Unsupported database {backend!r}: use SQLite (default) or PostgreSQL")
    return parsed


def display_url(url: URL) -> str:
    """The URL as shown to people: never the password."""
    # URL.set(password=None) means "leave unchanged"; build a copy without it instead.
    bare = URL.create(
        url.drivername, username=url.username, host=url.host, port=url.port, database=url.database, query=url.query
    )
    return bare.render_as_string(hide_password=False)


def _where(url: URL) -> str:
    if url.get_backend_name() == "sqlite":
        return f"the database file {url.database}"
    return f"the database at {url.host or 'localhost'}:{url.port or 5432}"


def private_folder(folder: Path) -> None:
    """Create `folder` (and missing parents) readable by this account only (0700); the folders that already
    existed are left alone, except the app's own data folder, which is tightened (issue 10, finding 8)."""
    missing = []
    here = folder
    while not here.exists():
        missing.append(here)
        here = here.parent
    for path in reversed(missing):
        with suppress(FileExistsError):
            path.mkdir(mode=0o700)
    if folder == default_sqlite_path().parent and os.name == "posix":
        folder.chmod(0o700)


def private_sqlite_file(path: Path) -> None:
    """The database file is made 0600 before SQLite first opens it: SQLite gives its -wal and -shm files the
    database file's permissions, so they are 0600 too (the attack run found all three 0644)."""
    private_folder(path.parent)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    os.close(fd)


# libpq's limits on a link that dies without a word (a host gone, a failover): a statement whose packets go
# unacknowledged fails after 30 s instead of the kernel's ~15 minutes, and an idle pooled connection is found
# dead within a minute. A save that fails so is then settled (store/answer_save.py) or retried (Database).
_DEAD_LINK_LIMITS = {
    "keepalives": 1,
    "keepalives_idle": 30,
    "keepalives_interval": 10,
    "keepalives_count": 3,
    "tcp_user_timeout": 30_000,  # milliseconds
}


def create_store_engine(url: str, *, busy_timeout_s: float = 3.0, connect_timeout_s: int = 5) -> Engine:
    """An engine with the store's settings: SQLite pragmas on every connection, a liveness check on PostgreSQL."""
    parsed = _normalise(url)
    if parsed.get_backend_name() == "sqlite":
        assert parsed.database is not None
        if parsed.database not in ("", ":memory:"):
            private_sqlite_file(Path(parsed.database).expanduser())
        # hide_parameters: an error message must never carry patient data from the bound values.
        engine = create_engine(parsed, connect_args={"timeout": busy_timeout_s}, hide_parameters=True)
        _install_sqlite_hooks(engine, busy_timeout_s)
        return engine
    engine = create_engine(
        parsed,
        hide_parameters=True,
        pool_recycle=1800,
        connect_args={"connect_timeout": connect_timeout_s, "application_name": APP_NAME, **_DEAD_LINK_LIMITS},
    )
    install_liveness_check(engine)
    return engine


def _install_sqlite_hooks(engine: Engine, busy_timeout_s: float) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        # Take transaction control away from sqlite3's legacy mode: we emit BEGIN ourselves
        # (SQLAlchemy's documented recipe) so reads are consistent and writes can BEGIN IMMEDIATE.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_s * 1000)}")
            cursor.execute("PRAGMA foreign_keys = ON")
            # FULL: a commit is on disk before it returns, so an acknowledged answer survives power loss.
            cursor.execute("PRAGMA synchronous = FULL")
            mode = cursor.execute("PRAGMA journal_mode = WAL").fetchone()
            if mode is None or str(mode[0]).lower() != "wal":
                raise StoreError(f"SQLite refused WAL mode (got {mode!r}); is the file on a network share?")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # Writers take the write lock up front: a deferred transaction that later needs to write
        # fails with "database is locked" without waiting for busy_timeout.
        mode = conn.get_execution_options().get(_BEGIN_OPTION, "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


_LOCKED = re.compile(r"database is locked|database table is locked|database is busy", re.I)
_TRIGGER = re.compile(r"cannot be changed|append-only", re.I)


class Database:
    """Engine plus the one place that turns driver failures into StoreErrors and retries them."""

    def __init__(
        self, engine: Engine, *, clock: Clock = utc_now, retries: int = 2, retry_delay_s: float = 0.25
    ) -> None:
        self.engine = engine
        self.clock = clock
        self.retries = retries
        self.retry_delay_s = retry_delay_s
        self.dialect = engine.dialect.name
        self.url_display = display_url(engine.url)
        self.where = _where(engine.url)

    @property
    def is_sqlite(self) -> bool:
        return self.dialect == "sqlite"

    def now(self) -> datetime:
        value = self.clock()
        if value.tzinfo is None:
            raise ValueError("the store clock must return aware datetimes")
        # Microseconds are the precision both databases keep; anything finer would break audit hashes.
        return value.astimezone(UTC)

    def write(self, fn: Callable[[Connection], T]) -> T:
        """Run fn in one write transaction and commit; return only after the commit is durable."""
        return self._run(fn, write=True)

    def write_one(self, fn: Callable[[Connection], T]) -> T:
        """Run fn's single statement in autocommit: its own transaction, committed durably by the server
        before the result comes back (one round trip; PostgreSQL only). A lost connection while it ran is
        "maybe saved" and not retried here: the caller can tell what the statement did (answer_save._settle)."""
        assert not self.is_sqlite, "SQLite writes go through write(): BEGIN IMMEDIATE and the local pragmas"
        return self._run(fn, write=True, autocommit=True)

    def read_one(self, fn: Callable[[Connection], T]) -> T:
        """Run fn's single SELECT: one statement sees one snapshot, so PostgreSQL runs it in autocommit
        without the BEGIN/COMMIT round trips of `read` (the lists' pages; bench/RESULTS.md, review)."""
        return self._run(fn, write=False, autocommit=not self.is_sqlite)

    def read(self, fn: Callable[[Connection], T]) -> T:
        """Run fn in one read transaction with a single consistent snapshot."""
        return self._run(fn, write=False)

    @contextmanager
    def _transaction(self, write: bool, autocommit: bool = False) -> Iterator[tuple[Connection, list[bool]]]:
        committing = [False]
        with self.engine.connect() as conn:
            if autocommit:
                # The statement is the commit: from here on a lost connection may have saved it (writes).
                conn.execution_options(isolation_level="AUTOCOMMIT")
                committing[0] = write
                yield conn, committing
                return
            if self.is_sqlite:
                if write:
                    conn.execution_options(**{_BEGIN_OPTION: "IMMEDIATE"})
            elif not write:
                # Several SELECTs (record, answers, signatures) must see the same committed state.
                conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin() as trans:
                yield conn, committing
                committing[0] = True
                trans.commit()

    def _run(self, fn: Callable[[Connection], T], *, write: bool, autocommit: bool = False) -> T:
        attempt = 0
        while True:
            committing = [False]
            try:
                with self._transaction(write, autocommit) as (conn, committing):
                    result = fn(conn)
                return result
            except DBAPIError as exc:
                kind = self._classify(exc)
                if kind == "other":
                    translated = self._translate(exc)
                    if translated is exc:
                        raise
                    raise translated from exc
                if committing[0] and kind == "disconnect" and write:
                    # The commit may or may not have reached the server: never claim either way.
                    raise StoreUnavailableError(
                        f"The connection to {self.where} was lost while saving. Your last change may or may "
                        "not have been saved: reload the checklist to check before continuing.",
                        maybe_committed=True,
                    ) from exc
                attempt += 1
                if attempt > self.retries:
                    raise self._unavailable(kind, write) from exc
                # Failed before the commit, so nothing was written: retrying cannot duplicate anything.
                time.sleep(self.retry_delay_s * attempt)

    def _classify(self, exc: DBAPIError) -> str:
        if self.is_sqlite:
            message = str(exc.orig)
            if _LOCKED.search(message):
                return "locked"
            if isinstance(exc.orig, sqlite3.OperationalError) and not _TRIGGER.search(message):
                if "no such table" in message or "syntax error" in message:
                    return "other"
                return "unavailable"
            return "other"
        if exc.connection_invalidated:
            return "disconnect"
        if type(exc.orig).__name__ in {"DeadlockDetected", "SerializationFailure", "LockNotAvailable"}:
            # The server rolled the transaction back; running it again is safe and usually succeeds.
            return "locked"
        orig_module = type(exc.orig).__module__ if exc.orig is not None else ""
        if orig_module.startswith("psycopg") and type(exc.orig).__name__ in {
            "OperationalError",
            "AdminShutdown",
            "CrashShutdown",
            "CannotConnectNow",
            "ConnectionTimeout",
            "ConnectionFailure",
            "ConnectionException",
            "SqlclientUnableToEstablishSqlconnection",
            "SqlserverRejectedEstablishmentOfSqlconnection",
            "ConnectionDoesNotExist",
        }:
            return "disconnect"
        return "other"

    def _unavailable(self, kind: str, write: bool) -> StoreUnavailableError:
        lost = "Your last change was not saved. " if write else ""
        if kind == "locked":
            return StoreUnavailableError(
                f"{self.where} is busy: another program or workstation is holding it locked. {lost}"
                "Try again in a moment; if it keeps happening, close other copies of the app."
            )
        if self.is_sqlite:
            return StoreUnavailableError(
                f"Cannot use {self.where} (disk full, file moved, or no permission?). {lost}"
                "Ask IT to check the data folder, then try again."
            )
        return StoreUnavailableError(
            f"Cannot reach {self.where}. {lost}Check the network connection; the app will let you retry."
        )

    def _translate(self, exc: DBAPIError) -> StoreError | DBAPIError:
        message = str(exc.orig)
        if _TRIGGER.search(message):
            first = message.strip().splitlines()[0]
            return ImmutableRecordError(message=f"The database refused the change: {first}")
        return exc


def migrations_location() -> str:
    """Folder holding env.py and versions/, found as package data so it works from a wheel."""
    return str(resources.files("checklist_app.store") / "migrations")


def alembic_config(connection: Connection | None = None) -> Any:
    """An Alembic Config built in code (no alembic.ini); `connection` is used by env.py when given."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", migrations_location().replace("%", "%%"))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


# `revision: str = "0002_x"` / `down_revision: str | None = None` lines of the migration scripts.
_REVISION_LINE = re.compile(r"""^(revision|down_revision)\s*(?::[^=\n]*)?=\s*["']?([^"'\s]+)""", re.M)


def script_head_revision() -> str | None:
    """The newest migration's revision id, read from the scripts' text without importing Alembic.

    None when the scripts do not form one simple chain (a merge, a branch): Alembic then decides.
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (Path(migrations_location()) / "versions").glob("*.py"):
        found = dict(_REVISION_LINE.findall(path.read_text(encoding="utf-8")))
        if "revision" in found:
            revisions.add(found["revision"])
        if found.get("down_revision", "None") != "None":
            parents.add(found["down_revision"])
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def is_at_head(engine: Engine) -> bool:
    """True when the database's recorded revision is the scripts' head (the everyday start)."""
    head = script_head_revision()
    if head is None:
        return False
    try:
        with engine.connect() as conn:
            stamped = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    except DBAPIError:
        return False  # a new database has no version table yet: Alembic creates everything
    return stamped == [head]


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply migrations up to `revision` in one transaction, one workstation at a time."""
    if revision == "head" and is_at_head(engine):
        # Nothing to migrate: skip importing and running Alembic, ~0.1 s of every start-up
        # (bench/RESULTS.md, startup). A database behind or ahead of the scripts takes the full path.
        return
    from alembic import command
    from alembic.util import CommandError

    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            conn.execution_options(**{_BEGIN_OPTION: "IMMEDIATE"})
        with conn.begin():
            if engine.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK_KEY})
            try:
                command.upgrade(alembic_config(conn), revision)
            except CommandError as exc:
                if "Can't locate revision" in str(exc):
                    raise StoreError(
                        "This database was upgraded by a newer version of the checklist app. "
                        "Install the same version on this workstation before using it."
                    ) from exc
                raise


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()
