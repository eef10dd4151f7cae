"""Crash-test helper process: a zygote that forks one writer per round; each writer saves answers as fast
as it can and prints one ACK line per answer whose commit has returned. The test SIGKILLs the writer.

Protocol on stdin/stdout (one line each):
  test -> zygote  "GO <url> <record_id> <round> <path>"  path: "general" (the store reads the old answer) or
                                                  "fast" (the writer passes it: PostgreSQL's one-call save)
  zygote -> test  "PID <pid>"                     then the writer's "READY" / "ACK <item> <n> <version>" lines
  zygote -> test  "EXIT <pid> <wait status>"      after the writer died (every ACK it wrote came before this)
"""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime

# Imported once here, before forking, so each round starts in milliseconds instead of ~1 s.
import alembic.command  # noqa: F401  (the store imports these lazily on open)
import psycopg  # noqa: F401
import sqlalchemy.dialects.postgresql.psycopg  # noqa: F401

from checklist_app.domain.records import Answer
from checklist_app.store import Store


def writer(url: str, record_id: str, round_: int, path: str) -> None:
    store = Store.open(url)
    version = store.records.get(record_id).version
    out = sys.stdout
    out.write("READY\n")
    out.flush()
    n = 0
    while True:
        item = f"crash.{round_}.{n}"
        value = {"round": round_, "n": n, "pad": "x" * (n * 37 % 1500)}
        answer = Answer(value=value, by="nurse.kim", at=datetime.now(UTC))
        if path == "fast":  # every item is new: the answer it replaces is none, as a case would know
            version = store.records.set_answer(
                record_id,
                item,
                answer,
                expected_version=version,
                actor="nurse.kim",
                readiness_state="incomplete",
                previous=None,
            )
        else:
            version = store.records.set_answer(
                record_id, item, answer, expected_version=version, actor="nurse.kim", readiness_state="incomplete"
            )
        # Acknowledged only now, after the commit returned: one write() per line, so a kill never splits one.
        out.write(f"ACK {item} {n} {version}\n")
        out.flush()
        n += 1


def main() -> None:
    for line in sys.stdin:
        parts = line.split()
        if not parts or parts[0] != "GO":
            break
        url, record_id, round_, path = parts[1], parts[2], int(parts[3]), parts[4]
        sys.stdout.flush()
        pid = os.fork()
        if pid == 0:
            try:
                writer(url, record_id, round_, path)
            finally:
                os._exit(1)
        sys.stdout.write(f"PID {pid}\n")
        sys.stdout.flush()
        _, status = os.waitpid(pid, 0)
        sys.stdout.write(f"EXIT {pid} {status}\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
