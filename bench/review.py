"""Review benchmark: the records view's first page and a filtered search over 100,000 records vs hand-written SQL."""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import importlib
import json
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from . import fixtures
from .harness import (
    Report,
    Settings,
    budget_result,
    paired_rounds,
    progress,
    ratio_result,
    scratch_dir,
)
from .pg import PgServer

N_RECORDS = 100_000
BATCH = 10_000  # bulk_insert_for_benchmarks holds a batch's rows in memory; 10,000 keeps the build lean
YEARS = 5  # "a charge nurse searches years of records"
PAGE_SIZE = 200  # checklist_app.ui.records.records_model.PAGE_SIZE (not imported: that module needs Qt)
MEMORY_LIMIT_MB = 150.0
REPO = Path(__file__).resolve().parent.parent

# The filtered search: signed records of a half-year window two years back whose patient name has a word
# starting "Jor" (1 in 20 synthetic first names), i.e. about 400 hits, so the first page is full.
SEARCH_TEXT = "Jor"
# What a list row needs (RecordSummary's fields); the hand-written query reads these and nothing else.
SUMMARY_COLUMNS = (
    "id",
    "version",
    "status",
    "readiness_state",
    "form_id",
    "form_version",
    "patient_name",
    "mrn",
    "birth_date",
    "sex",
    "procedure_type",
    "level",
    "laterality",
    "scheduled_at",
    "scheduled_offset_s",
    "created_by",
    "created_at",
    "updated_at",
    "signed_at",
    "printed_at",
    "supersedes_id",
)
SEARCH_STATUS = "signed"


def _search_window(today: date) -> tuple[date, date]:
    start = today - timedelta(days=2 * 365)
    return start, start + timedelta(days=182)


# -- building the 100,000 records (not timed) ------------------------------------------------------------------


def _specs(start: int, stop: int, now: datetime, form: Any) -> Iterator[Any]:
    from checklist_app.domain.records import Record
    from checklist_app.store.record_rows import DraftSpec

    step = timedelta(days=365 * YEARS) / N_RECORDS
    states = ("ready", "ready", "ready", "not_ready", "incomplete")
    for i in range(start, stop):
        at = now - step * (N_RECORDS - i)  # record i is scheduled i steps after the oldest: years of history
        record = Record(
            form=form.id,
            form_version=form.version,
            form_hash=form.content_hash,
            patient=fixtures.patient(i),
            procedure=fixtures.procedure(i, at),
        )
        yield DraftSpec(
            record=record,
            nurse=f"nurse{i % 12:02d}",
            form_version=form.version,
            form_hash=form.content_hash,
            readiness_state=states[i % len(states)],
            created_at=at,
        )


# Years of history are mostly signed: 80 % signed, 15 % reviewed, 5 % still drafts. The bucket is a fixed
# scramble of the record number (kept in the MRN), so statuses do not follow the name cycles, and it is
# computed in SQL so one set-based UPDATE per status does it (a statement per row took ~30 s on PostgreSQL).
_BUCKET = "(CAST(substr(mrn, 6) AS INTEGER) * 7919) % 100"
_STATUS_BUCKETS = {"signed": (0, 80), "reviewed": (80, 95)}


def build(url: str) -> float:
    """Fill an empty database with N_RECORDS through bulk_insert_for_benchmarks; returns seconds taken.

    bulk_insert_for_benchmarks writes drafts only; the statuses of signed history are then set with one
    UPDATE per status (drafts may still change; the immutability triggers allow it). No answers or PDFs
    are stored: they live in other tables, which the list and the search never read.
    """
    from sqlalchemy import text

    from checklist_app.domain.records import canonical_json
    from checklist_app.store import Store

    t0 = time.perf_counter()
    form = fixtures.default_form()
    now = fixtures.local_now()
    store = Store.open(url)
    try:
        for start in range(0, N_RECORDS, BATCH):
            store.records.bulk_insert_for_benchmarks(_specs(start, min(start + BATCH, N_RECORDS), now, form))
        # Signed rows carry their frozen record JSON; a real one's size (~2.6 kB) keeps rows as wide as in use.
        frozen = canonical_json(fixtures.full_record(0, now, form))
        digest = hashlib.sha256(frozen.encode()).hexdigest()
        # The status-from-facts trigger (migration 0012) refuses a status without its signature and PDF rows,
        # which these synthetic rows do not have (the list never reads them): it is off for these UPDATEs only,
        # in the same transaction, and put back exactly as the migration made it.
        with store.db.engine.begin() as conn, _status_trigger_off(conn, store.dialect):
            for status, (lo, hi) in _STATUS_BUCKETS.items():
                conn.execute(
                    text(
                        "UPDATE records SET status = :status, canonical_json = :frozen, "
                        f"content_sha256 = :sha, signed_at = scheduled_at "
                        f"WHERE {_BUCKET} >= :lo AND {_BUCKET} < :hi"
                    ),
                    {"status": status, "frozen": frozen, "sha": digest, "lo": lo, "hi": hi},
                )
        if store.dialect == "postgresql":
            # Autovacuum would analyse a table this size within a minute of the load; do it now.
            with store.db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE"))
    finally:
        store.close()
    return time.perf_counter() - t0


@contextlib.contextmanager
def _status_trigger_off(conn: Any, dialect: str) -> Iterator[None]:
    from sqlalchemy import text

    if dialect == "postgresql":
        conn.execute(text("ALTER TABLE records DISABLE TRIGGER trg_records_status_from_facts"))
        yield
        conn.execute(text("ALTER TABLE records ENABLE TRIGGER trg_records_status_from_facts"))
        return
    facts = importlib.import_module("checklist_app.store.migrations.versions.0012_status_from_facts")
    conn.execute(text("DROP TRIGGER trg_records_status_from_facts"))
    yield
    conn.execute(
        text(f"""
            CREATE TRIGGER trg_records_status_from_facts BEFORE UPDATE ON records
            WHEN NEW.status IS NOT OLD.status AND {facts.UNJUSTIFIED}
            BEGIN SELECT RAISE(ABORT, '{facts.MESSAGE}'); END""")
    )


# -- the measuring child -----------------------------------------------------------------------------------------


def _sqlite_text(moment: datetime) -> str:
    """How the store's UTCDateTime lands in SQLite: naive UTC text that sorts as time."""
    from datetime import UTC

    return moment.astimezone(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")


def _baselines(
    url: str, pg_dsn: str | None, filters: Any
) -> tuple[Callable[[], list[Any]], Callable[[], list[Any]], Callable[[], None]]:
    """Hand-written SQL for the same two pages: plain sqlite3 / psycopg, the store's schema and indexes."""
    from checklist_app.services.cases import record_filter
    from checklist_app.store.record_rows import fold

    rf = record_filter(filters)
    word = fold(SEARCH_TEXT)
    upper = word[:-1] + chr(ord(word[-1]) + 1)
    assert rf.scheduled_from is not None and rf.scheduled_to is not None
    columns = ", ".join(SUMMARY_COLUMNS)
    first_sql = f"SELECT {columns} FROM records ORDER BY scheduled_at, id LIMIT {PAGE_SIZE + 1}"
    search_sql = (
        f"SELECT {columns} FROM records WHERE status = {{p}} AND scheduled_at >= {{p}} "
        "AND scheduled_at < {p} "
        "AND id IN (SELECT record_id FROM record_terms WHERE term >= {p} AND term < {p}) "
        f"ORDER BY scheduled_at, id LIMIT {PAGE_SIZE + 1}"
    )
    if pg_dsn is None:
        import sqlite3

        conn = sqlite3.connect(url.removeprefix("sqlite:///"))
        params: tuple[Any, ...] = (
            SEARCH_STATUS,
            _sqlite_text(rf.scheduled_from),
            _sqlite_text(rf.scheduled_to),
            word,
            upper,
        )
        sql = search_sql.format(p="?")

        def first_page() -> list[Any]:
            return conn.execute(first_sql).fetchall()

        def search() -> list[Any]:
            return conn.execute(sql, params).fetchall()

        return first_page, search, conn.close
    import psycopg

    pconn = psycopg.connect(pg_dsn, autocommit=True)
    pparams = (SEARCH_STATUS, rf.scheduled_from, rf.scheduled_to, word, upper)
    psql = search_sql.format(p="%s")

    def pg_first_page() -> list[Any]:
        return pconn.execute(first_sql).fetchall()  # type: ignore[arg-type]

    def pg_search() -> list[Any]:
        return pconn.execute(psql, pparams).fetchall()  # type: ignore[arg-type]

    return pg_first_page, pg_search, pconn.close


def child(url: str, pg_dsn: str | None, rounds: int) -> dict[str, Any]:
    """Everything the review figures need, in a process that does nothing else (so ru_maxrss is its peak)."""
    from checklist_app.services.app import AppServices
    from checklist_app.services.models import CaseFilter

    svc = AppServices.open(url)
    date_from, date_to = _search_window(date.today())
    filters = CaseFilter(status=SEARCH_STATUS, date_from=date_from, date_to=date_to, text=SEARCH_TEXT)
    base_first, base_search, close = _baselines(url, pg_dsn, filters)
    try:

        def app_first() -> Any:
            return svc.cases.search(CaseFilter(), limit=PAGE_SIZE)

        def app_search() -> Any:
            return svc.cases.search(filters, limit=PAGE_SIZE)

        # The two sides must fetch the same rows, or the ratio compares different work.
        same = [r.record_id for r in app_first().rows] == [r[0] for r in base_first()[:PAGE_SIZE]] and [
            r.record_id for r in app_search().rows
        ] == [r[0] for r in base_search()[:PAGE_SIZE]]
        hits = len(app_search().rows)
        first = paired_rounds(app_first, base_first, rounds=rounds, warmup=3)
        search = paired_rounds(app_search, base_search, rounds=rounds, warmup=3)
    finally:
        close()
        svc.close()
    return {"first": first, "search": search, "peak_mb": peak_rss_mb(), "same_rows": same, "hits": hits}


def peak_rss_mb() -> float:
    """This process's peak resident set, in MiB.

    getrusage's ru_maxrss survives execve on Linux: a child started from a big parent (vfork + exec, as
    subprocess does) reports at least the parent's peak, so it would bill the 100,000-row build to the
    review. /proc/self/status VmHWM is the peak of this process image only; ru_maxrss is the fallback.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return maxrss / (1024 * 1024) if sys.platform == "darwin" else maxrss / 1024  # bytes on macOS, KiB on Linux


def _run_child(url: str, pg_dsn: str | None, rounds: int) -> dict[str, Any]:
    argv = [sys.executable, "-m", "bench.review", "--child", "--url", url, "--rounds", str(rounds)]
    if pg_dsn:
        argv += ["--pg-dsn", pg_dsn]
    done = subprocess.run(argv, cwd=REPO, capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise RuntimeError(f"review child failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _report(report: Report, backend: str, data: dict[str, Any]) -> None:
    note = "" if data["same_rows"] else "WARNING: app and SQL returned different rows"
    report.add(
        ratio_result(
            f"review.{backend}.first_page",
            *data["first"],
            unit="ms",
            target=2.0,
            note=note or f"{PAGE_SIZE} rows of {N_RECORDS:,}",
        )
    )
    report.add(
        ratio_result(
            f"review.{backend}.search",
            *data["search"],
            unit="ms",
            target=2.0,
            note=note or f"status+dates+name prefix, {data['hits']} rows",
        )
    )
    report.add(
        budget_result(
            f"review.{backend}.peak_rss",
            data["peak_mb"],
            "MB",
            MEMORY_LIMIT_MB,
            note="child process doing only the review benchmark",
        )
    )


def _start_build(url: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "bench.review", "--build", "--url", url],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _finish_build(proc: subprocess.Popen[str]) -> float:
    out, err = proc.communicate(timeout=900)
    if proc.returncode != 0:
        raise RuntimeError(f"review build failed ({proc.returncode}):\n{err[-2000:]}")
    return float(out.strip().splitlines()[-1])


def run(settings: Settings, report: Report, pg: PgServer | None) -> None:
    rounds = settings.rounds(60, 20)
    scratch = scratch_dir("checklist-bench-review-")
    try:
        url = fixtures.sqlite_url(scratch / "review.db")
        # The two builds are not timed and mostly wait on different things (Python vs the server),
        # so they run side by side; the measurements below run alone.
        progress(f"review: building {N_RECORDS:,} records on SQLite{' and PostgreSQL' if pg else ''} (not timed)")
        sqlite_build = _start_build(url)
        pg_url = None
        try:
            if pg is not None:
                pg_url = pg.create_database("review")
                progress(f"review: PostgreSQL built in {build(pg_url):.1f} s")
        finally:
            progress(f"review: SQLite built in {_finish_build(sqlite_build):.1f} s")
        _report(report, "sqlite", _run_child(url, None, rounds))
        if pg is not None and pg_url is not None:
            _report(report, "postgresql", _run_child(pg_url, pg.dsn(pg_url), rounds))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _main() -> None:
    parser = argparse.ArgumentParser(description="internal: the review benchmark's build and measuring processes")
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--child", action="store_true", help="measure and print one JSON object")
    mode.add_argument("--build", action="store_true", help="fill the database and print the seconds taken")
    parser.add_argument("--url", required=True)
    parser.add_argument("--pg-dsn")
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    if args.build:
        print(build(args.url))
    else:
        print(json.dumps(child(args.url, args.pg_dsn, args.rounds)))


if __name__ == "__main__":
    _main()
