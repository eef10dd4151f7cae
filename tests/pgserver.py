"""A throwaway PostgreSQL server started from the installed binaries: a pytest plugin, also used by bench/."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest


class PgUnavailable(Exception):
    """The server binaries are missing or unusable here; the message says why in one line."""


class PgStartError(Exception):
    """The binaries are there but the server would not initialise or start (a real failure)."""


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes", "on"}


def find_pg_bin(name: str) -> str | None:
    """$CHECKLIST_PG_BINDIR/<name> if that is set; else `name` on PATH, else the newest
    /usr/lib/postgresql/*/bin/<name> (Debian/Ubuntu layout)."""
    override = os.environ.get("CHECKLIST_PG_BINDIR")
    if override is not None:
        candidate = Path(override) / name
        return str(candidate) if candidate.is_file() and os.access(candidate, os.X_OK) else None
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    return candidates[-1] if candidates else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class PgServer:
    """A running server; `url(db)` gives a SQLAlchemy URL, `create_database()` a fresh empty database."""

    host: str
    port: int
    user: str
    datadir: Path

    @property
    def base_url(self) -> str:
        return f"postgresql+psycopg://{self.user}@{self.host}:{self.port}/"

    def url(self, database: str = "postgres") -> str:
        return f"{self.base_url}{database}"

    def dsn(self, database: str) -> str:
        """libpq connection string (plain psycopg, no SQLAlchemy) for a database name or URL."""
        return f"host={self.host} port={self.port} user={self.user} dbname={database.rsplit('/', 1)[-1]}"

    def create_database(self, prefix: str = "t", *, template: str | None = None) -> str:
        """CREATE DATABASE with a unique name (a copy of `template` if given); returns its URL."""
        import psycopg

        name = f"{prefix}_{uuid.uuid4().hex[:12]}"
        # FILE_COPY: with fsync off it is several times faster than PostgreSQL 15's default WAL_LOG.
        sql = f'CREATE DATABASE "{name}" STRATEGY FILE_COPY'
        if template:
            sql += f' TEMPLATE "{template}"'
        for attempt in range(50):
            try:
                with psycopg.connect(self.dsn("postgres"), autocommit=True) as conn:
                    conn.execute(sql)
                return self.url(name)
            except psycopg.errors.ObjectInUse:
                # The template's last client may still be disconnecting; its backend exits in a moment.
                time.sleep(0.02 * (attempt + 1))
        raise RuntimeError(f"template database {template} stayed busy")

    def drop_database(self, url: str) -> None:
        import psycopg

        with psycopg.connect(self.dsn("postgres"), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[-1]}" WITH (FORCE)')


def _as_server_user(argv: list[str], owner: str | None) -> list[str]:
    # initdb and pg_ctl refuse to run as root: run them as the `postgres` OS user instead.
    return ["runuser", "-u", owner, "--", *argv] if owner else argv


def _server_owner() -> str | None:
    if os.geteuid() != 0:
        return None
    if shutil.which("runuser") is None:
        raise PgUnavailable("running as root and `runuser` is missing")
    import pwd

    try:
        pwd.getpwnam("postgres")
    except KeyError:
        raise PgUnavailable("running as root and there is no `postgres` OS user to run the server as") from None
    return "postgres"


@contextmanager
def temporary_server(*, parent: str | None = None, durable: bool = False) -> Iterator[PgServer]:
    """initdb + pg_ctl start on 127.0.0.1:<free port> in a temp dir under `parent`; stopped and removed on exit.

    `durable=False` turns fsync off (tests: only speed matters there; durability is the SQLite crash test's
    job); benchmarks keep the defaults so a commit costs what it costs on a real server.
    """
    initdb, pg_ctl = find_pg_bin("initdb"), find_pg_bin("pg_ctl")
    if not initdb or not pg_ctl:
        raise PgUnavailable("initdb/pg_ctl not found on PATH or in /usr/lib/postgresql/*/bin")
    owner = _server_owner()
    # A world-traversable parent: the server user could not enter a 0700 root-owned temp dir.
    base = Path(tempfile.mkdtemp(prefix="checklist-pg-", dir=parent))
    if owner:
        shutil.chown(base, user=owner)
    datadir, log = base / "data", base / "server.log"
    env = {**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}
    started = False
    try:
        init = subprocess.run(
            _as_server_user(
                [
                    initdb,
                    "-D",
                    str(datadir),
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "-E",
                    "UTF8",
                    "--no-instructions",
                    *([] if durable else ["-N"]),
                ],
                owner,
            ),
            cwd=base,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if init.returncode != 0:
            raise PgStartError(f"initdb failed ({init.returncode}):\n{init.stdout}\n{init.stderr}")
        last_error = ""
        port = 0
        for _attempt in range(3):  # the free port can be taken between probing and binding
            port = _free_port()
            options = f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c max_connections=200"
            if not durable:
                options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
            start = subprocess.run(
                _as_server_user(
                    [pg_ctl, "-D", str(datadir), "-o", options, "-l", str(log), "-w", "-t", "60", "start"], owner
                ),
                cwd=base,
                env=env,
                capture_output=True,
                text=True,
                timeout=90,
            )
            if start.returncode == 0:
                started = True
                break
            last_error = f"{start.stdout}\n{start.stderr}\n{log.read_text() if log.exists() else ''}"
        if not started:
            raise PgStartError(f"PostgreSQL did not start:\n{last_error}")
        yield PgServer(host="127.0.0.1", port=port, user="postgres", datadir=datadir)
    finally:
        if started:
            subprocess.run(
                _as_server_user([pg_ctl, "-D", str(datadir), "-m", "fast", "-w", "stop"], owner),
                cwd=base,
                env=env,
                capture_output=True,
                text=True,
                timeout=60,
            )
        shutil.rmtree(base, ignore_errors=True)


def _unavailable(reason: str) -> None:
    if in_ci():
        pytest.fail(
            f"PostgreSQL tests cannot run in CI: {reason}. Install postgresql (initdb, pg_ctl) "
            "on the CI image; PostgreSQL tests are never skipped when CI=true.",
            pytrace=False,
        )
    pytest.skip(f"PostgreSQL server binaries not usable here ({reason}); set CI=true to make this a failure")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """The session's server, under RAM-backed /dev/shm when it can be (cheap CREATE DATABASE checkpoints)."""
    shm = Path("/dev/shm")
    parent = str(shm) if shm.is_dir() and os.access(shm, os.W_OK | os.X_OK) else None
    try:
        server = temporary_server(parent=parent)
        running = server.__enter__()
    except PgUnavailable as exc:
        _unavailable(str(exc))
        return
    except PgStartError as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        yield running
    finally:
        server.__exit__(None, None, None)
