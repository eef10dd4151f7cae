"""Crash safety: a writer SIGKILLed at random moments never loses an acknowledged answer or corrupts the file."""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from queue import Empty, Queue

import pytest
from sqlalchemy.engine import make_url

from checklist_app.store import Store
from tests.helpers.store_rows import new_draft

ROOT = Path(__file__).resolve().parents[2]
ROUNDS = {"sqlite": 30, "postgresql": 12}

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not hasattr(os, "fork"), reason="the crash zygote forks writers (POSIX only)"),
]


class Zygote:
    """The helper process; lines from its stdout arrive on a queue so reads can time out."""

    def __init__(self) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.store.crash_child"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
        )
        self.lines: Queue[str] = Queue()
        self.pump = threading.Thread(target=self._pump, daemon=True)
        self.pump.start()

    def _pump(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put("EOF")

    def send(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def next(self, timeout: float = 20.0) -> str:
        try:
            line = self.lines.get(timeout=timeout)
        except Empty:
            raise AssertionError("crash helper stopped talking") from None
        assert line != "EOF", "crash helper exited unexpectedly"
        return line

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()  # the zygote's read loop ends and it exits
        try:
            self.proc.wait(10)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait(10)
            self.pump.join(10)
            if self.proc.stdout:
                self.proc.stdout.close()


def integrity_ok(url: str) -> None:
    path = make_url(url).database
    assert path is not None
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


def test_sigkilled_writer_loses_no_acknowledged_answer(db_url: str) -> None:
    """The store's general answer save (it reads the old answer itself)."""
    run_crash_rounds(db_url, "general")


def test_sigkilled_fast_answer_path_loses_no_acknowledged_answer(db_url: str) -> None:
    """The answer save the app uses: the caller passes the old answer (PostgreSQL: one server-side call in
    autocommit, migration 0011; SQLite: driver statements in one BEGIN IMMEDIATE transaction)."""
    run_crash_rounds(db_url, "fast")


def run_crash_rounds(db_url: str, path: str) -> None:
    backend = make_url(db_url).get_backend_name()
    with Store.open(db_url) as store:
        record_id = new_draft(store).id
    rng = random.Random(20261124)
    acked: dict[str, int] = {}
    last_n_per_round: dict[int, int] = {}
    zygote = Zygote()
    started = time.monotonic()
    pid = 0
    try:
        for round_ in range(ROUNDS[backend]):
            zygote.send(f"GO {db_url} {record_id} {round_} {path}")
            first = zygote.next()
            assert first.startswith("PID "), first
            pid = int(first.split()[1])
            line = ""
            if rng.random() < 0.15:
                time.sleep(rng.choice([0.0, 0.005, 0.02]))  # while it opens the database and migrates
            else:
                line = zygote.next()
                assert line == "READY", line
                time.sleep(rng.uniform(0.02, 0.25))  # in the middle of the writes
            os.kill(pid, signal.SIGKILL)
            while not (line := zygote.next()).startswith("EXIT "):
                if line.startswith("ACK "):
                    _, item, n, _version = line.split()
                    acked[item] = int(n)
                    last_n_per_round[round_] = int(n)
            assert line.split()[1] == str(pid)
            assert os.WTERMSIG(int(line.split()[2])) == signal.SIGKILL, "the writer died of something else"
            if backend == "sqlite":
                integrity_ok(db_url)
    finally:
        if pid:  # never leave a writer running if an assertion above failed mid-round
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        zygote.close()
    elapsed = time.monotonic() - started
    assert len(acked) > 50, f"only {len(acked)} answers acknowledged in {elapsed:.1f}s; the test proved little"

    with Store.open(db_url) as store:
        row = store.records.get(record_id)
        answers = row.record.answers
        for item, acked_n in acked.items():
            assert item in answers, f"acknowledged answer {item} was lost"
            value = answers[item].value
            assert (value["n"], value["pad"]) == (acked_n, "x" * (acked_n * 37 % 1500)), item
        # At most one extra answer per round: committed, then killed before the ACK line was written.
        extra = set(answers) - set(acked)
        for item in extra:
            round_no, extra_n = map(int, item.split(".")[1:])
            assert extra_n == last_n_per_round.get(round_no, -1) + 1, f"unexpected answer {item}"
        assert row.version == 1 + len(answers)
        report = store.audit.verify()
        assert report.ok, report.message
        assert report.entries_checked == 1 + len(answers)
    if backend == "sqlite":
        integrity_ok(db_url)
    print(
        json.dumps(
            {"backend": backend, "path": path, "acked": len(acked), "extra": len(extra), "seconds": round(elapsed, 1)}
        )
    )
