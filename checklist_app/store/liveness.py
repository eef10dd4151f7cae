"""PostgreSQL's pooled connections checked before use, without a round trip when they are known to be fresh."""

from __future__ import annotations

import select
import time
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.exc import DisconnectionError

# A pooled connection idle longer than this is pinged before use; a younger one only when its socket shows that
# the server said something meanwhile (it sends a FATAL message and closes when it restarts or ends the session).
PING_AFTER_IDLE_S = 10.0


def install_liveness_check(engine: Engine) -> None:
    """A connection that died while pooled (server restart, network blip) is replaced, not used: what
    `pool_pre_ping` does, without its round trip on every checkout. An answer is one round trip (answer_save.py),
    and a ping before each one was a second (bench/RESULTS.md, answer)."""

    @event.listens_for(engine, "connect")
    @event.listens_for(engine, "checkin")
    def _idle_from_now(_dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _alive_or_replaced(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.get("idle_since")
        if (
            idle_since is not None
            and time.monotonic() - idle_since < PING_AFTER_IDLE_S
            and not _server_spoke(dbapi_connection)
        ):
            return
        try:
            alive = engine.dialect.do_ping(dbapi_connection)
        except Exception:
            alive = False
        if not alive:
            raise DisconnectionError("the pooled connection is gone")  # the pool connects anew and retries


def _server_spoke(dbapi_connection: Any) -> bool:
    """Data (or the end of the stream) waiting on an idle connection's socket. An idle session rarely hears from
    the server: a NOTIFY or a parameter change only costs a ping. A connection that died without a word (a host
    gone, a failover) is not seen here; the failed statement then tells: transactions are retried
    (connection.Database), and the one-call answer save reads the version to settle it (answer_save._settle).
    Unknown (no socket) counts as spoken, so the connection is pinged."""
    try:
        readable, _, _ = select.select([dbapi_connection.fileno()], [], [], 0)
    except (OSError, ValueError, AttributeError):
        return True
    return bool(readable)
