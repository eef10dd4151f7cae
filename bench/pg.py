"""A throwaway PostgreSQL server for the PostgreSQL variants (the logic of tests/pgserver.py, without pytest)."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


class PgUnavailable(Exception):
    """The server binaries are missing or unusable here; the message says why in one line."""


def find_pg_bin(name: str) -> str | None:
    """`name` on PATH, else the newest /usr/lib/postgresql/*/bin/<name> (Debian/Ubuntu layout)."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
                        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    return candidates[-1] if candidates else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class PgServer:
    host: str
    port: int
    user: str

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{self.user}@{self.host}:{self.port}/{database}"

    def dsn(self, database: str) -> str:
        """libpq connection string for the hand-written baselines (plain psycopg, no SQLAlchemy)."""
        return f"host={self.host} port={self.port} user={self.user} dbname={database}"

    def create_database(self, prefix: str = "bench") -> str:
        """CREATE DATABASE with a unique name; returns the name."""
        import psycopg

        name = f"{prefix}_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.dsn("postgres"), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return name


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
def temporary_server() -> Iterator[PgServer]:
    """initdb + pg_ctl start on 127.0.0.1:<free port> in a temp dir; stopped and removed on exit.

    Unlike the test server, fsync and synchronous_commit keep their defaults (on): the answer benchmark
    measures a durable commit, and its psycopg baseline commits against the same server settings.
    """
    initdb, pg_ctl = find_pg_bin("initdb"), find_pg_bin("pg_ctl")
    if not initdb or not pg_ctl:
        raise PgUnavailable("initdb/pg_ctl not found on PATH or in /usr/lib/postgresql/*/bin")
    owner = _server_owner()
    # World-traversable parent so the server user can enter it (a root-owned 0700 dir would not do);
    # /var/tmp rather than /tmp because /tmp may be tmpfs, where fsync costs nothing.
    parent = os.environ.get("BENCH_TMPDIR") or ("/var/tmp" if os.path.isdir("/var/tmp") else None)
    base = Path(tempfile.mkdtemp(prefix="checklist-bench-pg-", dir=parent))
    if owner:
        shutil.chown(base, user=owner)
    datadir, log = base / "data", base / "server.log"
    env = {**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}
    started = False
    try:
        init = subprocess.run(
            _as_server_user([initdb, "-D", str(datadir), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                             "--no-instructions"], owner),
            cwd=base, env=env, capture_output=True, text=True, timeout=120)
        if init.returncode != 0:
            raise PgUnavailable(f"initdb failed ({init.returncode}): {init.stderr.strip().splitlines()[-1:]}")
        last_error = ""
        port = 0
        for _attempt in range(3):  # the free port can be taken between probing and binding
            port = _free_port()
            options = f"-p {port} -k {base} -c listen_addresses=127.0.0.1"
            start = subprocess.run(
                _as_server_user([pg_ctl, "-D", str(datadir), "-o", options, "-l", str(log), "-w", "-t", "60",
                                 "start"], owner),
                cwd=base, env=env, capture_output=True, text=True, timeout=90)
            if start.returncode == 0:
                started = True
                break
            last_error = (start.stderr or start.stdout).strip()
        if not started:
            raise PgUnavailable(f"PostgreSQL did not start: {last_error[-300:]}")
        yield PgServer(host="127.0.0.1", port=port, user="postgres")
    finally:
        if started:
            subprocess.run(_as_server_user([pg_ctl, "-D", str(datadir), "-m", "fast", "-w", "stop"], owner),
                           cwd=base, env=env, capture_output=True, text=True, timeout=60)
        shutil.rmtree(base, ignore_errors=True)
