"""The PostgreSQL server of the PostgreSQL variants: the tests' throwaway server, kept durable (fsync on)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from tests.pgserver import PgServer, PgStartError, PgUnavailable
from tests.pgserver import temporary_server as _temporary_server

__all__ = ["PgServer", "PgUnavailable", "temporary_server"]


@contextmanager
def temporary_server() -> Iterator[PgServer]:
    """fsync and synchronous_commit keep their defaults: the answer benchmark measures a durable commit. Under
    /var/tmp rather than /tmp, which may be tmpfs where fsync costs nothing."""
    parent = os.environ.get("BENCH_TMPDIR") or ("/var/tmp" if os.path.isdir("/var/tmp") else None)
    try:
        with _temporary_server(parent=parent, durable=True) as server:
            yield server
    except PgStartError as exc:
        raise PgUnavailable(str(exc).splitlines()[0]) from None
