"""Answer benchmark: one answer through CaseService.answer (durable save + re-evaluation) vs a plain INSERT+COMMIT."""

from __future__ import annotations

import shutil
import sqlite3
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from . import fixtures
from .harness import Report, Settings, Stats, budget_result, progress, ratio_result, run_rounds, scratch_dir
from .pg import PgServer

ANSWERS = 1000
# --quick keeps the 1,000 answers unless a slow disk (each commit waits for fsync) would make them take longer
# than this per database; the report then says how many were timed.
QUICK_BUDGET_S = 20.0
WARMUP_CASES = 1  # one whole case answered untimed on each side: statement caches, page cache, imports

_PLAIN_TABLE = """CREATE TABLE plain_answers (
    record_id VARCHAR(36) NOT NULL, item_id VARCHAR(100) NOT NULL, value_json TEXT NOT NULL,
    answered_by VARCHAR(100), answered_at VARCHAR(40), PRIMARY KEY (record_id, item_id))"""


def _sqlite_baseline(path: Path) -> tuple[Callable[[str, str, str], None], Callable[[], None]]:
    """The same durability the store configures (WAL, synchronous=FULL): each COMMIT is on disk when it returns."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute(_PLAIN_TABLE)

    def insert(record_id: str, item_id: str, value_json: str) -> None:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "INSERT INTO plain_answers VALUES (?, ?, ?, ?, ?)",
            (record_id, item_id, value_json, fixtures.NURSE, time.strftime("%Y-%m-%dT%H:%M:%S")),
        )
        conn.execute("COMMIT")

    return insert, conn.close


def _pg_baseline(dsn: str) -> tuple[Callable[[str, str, str], None], Callable[[], None]]:
    """psycopg, no ORM: one INSERT and a COMMIT that waits for the WAL flush (server defaults)."""
    import psycopg

    conn = psycopg.connect(dsn)
    conn.execute(_PLAIN_TABLE)
    conn.commit()

    def insert(record_id: str, item_id: str, value_json: str) -> None:
        conn.execute(
            "INSERT INTO plain_answers VALUES (%s, %s, %s, %s, %s)",
            (record_id, item_id, value_json, fixtures.NURSE, time.strftime("%Y-%m-%dT%H:%M:%S")),
        )
        conn.commit()

    return insert, conn.close


def _measure(
    url: str, scratch: Path, baseline: Callable[[str, str, str], None], n_answers: int, budget_s: float | None
) -> tuple[list[float], list[float], Any]:
    """Answer whole cases item by item, each answer timed and paired with one baseline commit.

    Service and baseline alternate per answer (ABBA), so both see the same disk and page-cache state.
    Returns (service samples, baseline samples, a case with every item answered).
    """
    ws = fixtures.open_workspace(url, scratch)
    svc, nurse = ws.services, ws.nurse
    items = list(fixtures.FULL_ANSWERS.items())
    per_case = len(items)
    n_cases = WARMUP_CASES + -(-n_answers // per_case)
    start = fixtures.local_now() + timedelta(hours=2)
    cases = [
        svc.cases.new_case(
            nurse, fixtures.patient(i, ready=True), fixtures.procedure(i, start + timedelta(minutes=30 * i), ready=True)
        )
        for i in range(n_cases)
    ]
    service_s: list[float] = []
    base_s: list[float] = []
    complete = None
    k = 0
    deadline = None if budget_s is None else time.perf_counter() + budget_s
    for c_index, case in enumerate(cases):
        timed = c_index >= WARMUP_CASES
        for item_id, value in items:
            if timed and (len(service_s) >= n_answers or (deadline is not None and time.perf_counter() > deadline)):
                break
            value_json = repr(value)
            if k % 2 == 0:
                t0 = time.perf_counter()
                case = svc.cases.answer(nurse, case, item_id, value)
                t1 = time.perf_counter()
                baseline(case.record_id, item_id, value_json)
                t2 = time.perf_counter()
                s, b = t1 - t0, t2 - t1
            else:
                t0 = time.perf_counter()
                baseline(case.record_id, item_id, value_json)
                t1 = time.perf_counter()
                case = svc.cases.answer(nurse, case, item_id, value)
                t2 = time.perf_counter()
                b, s = t1 - t0, t2 - t1
            k += 1
            if timed:
                service_s.append(s)
                base_s.append(b)
        if len(case.record.answers) == per_case:
            complete = case
    ws.close()
    return service_s, base_s, complete


def _report_pair(report: Report, backend: str, service_s: list[float], base_s: list[float]) -> None:
    n = len(service_s)
    report.add(ratio_result(f"answer.{backend}.p50", service_s, base_s, unit="ms", target=2.0, note=f"{n} answers"))
    report.add(
        ratio_result(
            f"answer.{backend}.p99",
            service_s,
            base_s,
            unit="ms",
            stat="p99",
            target=3.0,
            note=f"{n} answers; vs the baseline's p99",
        )
    )


def _evaluate_alone(report: Report, case: Any, rounds: int) -> None:
    from checklist_app.domain.readiness import evaluate

    now = fixtures.local_now()
    samples = run_rounds(lambda: evaluate(case.form, case.record, now), rounds=rounds, warmup=50)
    stats = Stats.of(samples)
    report.add(
        budget_result(
            "readiness.evaluate",
            stats.median * 1e3,
            "ms",
            1.0,
            spread=stats.iqr * 1e3,
            note=f"full form ({len(case.record.answers)} answers), {rounds} rounds",
        )
    )


def run(settings: Settings, report: Report, pg: PgServer | None) -> None:
    n_answers = ANSWERS
    budget = QUICK_BUDGET_S if settings.quick else None
    scratch = scratch_dir("checklist-bench-answer-")
    try:
        progress(f"answer: {n_answers} answers on SQLite (+ the same number of plain commits)")
        insert, close = _sqlite_baseline(scratch / "plain.db")
        try:
            service_s, base_s, last = _measure(
                fixtures.sqlite_url(scratch / "app.db"), scratch, insert, n_answers, budget
            )
        finally:
            close()
        _report_pair(report, "sqlite", service_s, base_s)
        _evaluate_alone(report, last, settings.rounds(2000, 500))
        if pg is None:
            return
        progress(f"answer: {n_answers} answers on PostgreSQL (+ the same number of plain commits)")
        app_url, plain_url = pg.create_database("answer"), pg.create_database("plain")
        insert, close = _pg_baseline(pg.dsn(plain_url))
        try:
            service_s, base_s, _ = _measure(app_url, scratch, insert, n_answers, budget)
        finally:
            close()
        _report_pair(report, "postgresql", service_s, base_s)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
