"""Dashboard benchmark: "why cases are not ready" over 100,000 records and 1,000,000 saves vs hand-written SQL.

The figures the Dashboard page opens with (the last 4 weeks: its filter lists and every figure) and the
largest period a user can ask for here (the whole year of data), timed through the services against the same
figures computed by hand-written SQL over the same tables and indexes (plain sqlite3), in the same run.

The data is built with executemany on a migrated scratch database, behind its triggers: they guard each save
of the app (bench/answer.py times those), and 1,000,000 history rows tied one by one to a draft's current
version cannot be inserted in bulk. SQLite only: the PostgreSQL path runs the same SQLAlchemy statements.
"""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from . import fixtures
from .harness import Report, Settings, paired_rounds, progress, ratio_result, scratch_dir, time_call
from .pg import PgServer

N_RECORDS = 100_000
SAVES = 10  # per record: 1,000,000 saves at full size
DAYS = 365
BATCH = 50_000
REASONS = (
    ("anticoagulants", "apixaban"),
    ("anticoagulants", "clopidogrel"),
    ("anticoagulants", "warfarin"),
    ("labs.inr", ""),
    ("fasting.last_solids_at", ""),
    ("consent.signed", ""),
    ("site.marked", ""),
    ("labs.platelets", ""),
)
AUTHORISERS = ("Dr. Rivera", "Dr. Okafor", "Dr. Chen", "Dr. Novak")
TYPES = ("interlaminar_epidural", "transforaminal_epidural", "caudal_epidural")


def _text(moment: datetime) -> str:
    """How the store's UTCDateTime lands in SQLite: naive UTC text that sorts as time."""
    return moment.astimezone(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")


Row = tuple[Any, ...]


def _rows(i: int, now: datetime, n_records: int) -> tuple[Row, list[Row], Row | None]:
    """Record i, its history rows and its first signature (None for a draft)."""
    record_id = f"00000000-0000-4000-8000-{i:012d}"
    scheduled = now - timedelta(days=DAYS) * (n_records - i) / n_records
    first = scheduled - timedelta(hours=2)
    blocked = (i * 7919) % 100  # under 40: NOT READY for its first three saves; under 15: for two reasons
    bucket = (i * 104729) % 100  # 0-59 signed, 60-67 signed with override, 68-72 cancelled, 73-82 moved, else open
    reasons = [REASONS[i % len(REASONS)]] + ([REASONS[(i // 7) % len(REASONS)]] if blocked < 15 else [])
    history: list[Row] = []
    for save in range(SAVES):
        at = _text(first + timedelta(minutes=2 * save))
        event = "reschedule" if 73 <= bucket < 83 and save == SAVES - 1 else "answer"
        if blocked < 40 and save < 3:
            history.extend(
                (record_id, save + 2, at, "not_ready", event, item, drug) for item, drug in dict.fromkeys(reasons)
            )
        else:
            history.append((record_id, save + 2, at, "ready", event, "", ""))
    status = "signed" if bucket < 68 else "cancelled" if bucket < 73 else "draft"
    signed_at = _text(first + timedelta(minutes=30 + i % 90)) if status != "draft" else None
    signature = None
    if status != "draft":
        override = ("benefit outweighs risk", AUTHORISERS[i % len(AUTHORISERS)]) if 60 <= bucket < 68 else (None, None)
        meaning = "cancelled" if status == "cancelled" else "prepared"
        reason = "patient unwell" if status == "cancelled" else override[0]
        signature = (
            record_id,
            meaning,
            f"nurse{i % 12:02d}",
            "Bench Nurse",
            "nurse",
            signed_at,
            reason,
            override[1] if status == "signed" else None,
        )
    kind = TYPES[i % len(TYPES)]
    record = (
        record_id,
        SAVES + 1,
        status,
        history[-1][3],
        "fluoro-spine-injection",
        "2026.12.1",
        "f" * 64,
        fixtures.patient_name(i),
        f"BENCH{i:07d}",
        "1960-01-15",
        "male",
        kind,
        "L4-L5",
        "left",
        _text(scheduled),
        -18000,
        f"nurse{i % 12:02d}",
        _text(first),
        f"nurse{i % 12:02d}",
        _text(first),
        "{}" if status != "draft" else None,
        "0" * 64 if status != "draft" else None,
        signed_at,
    )
    return record, history, signature


_INSERT_RECORD = (
    "INSERT INTO records (id, version, status, readiness_state, form_id, form_version, form_hash, "
    "patient_name, mrn, birth_date, sex, procedure_type, level, laterality, scheduled_at, "
    "scheduled_offset_s, created_by, created_at, updated_by, updated_at, canonical_json, "
    "content_sha256, signed_at) VALUES (" + ", ".join("?" * 23) + ")"
)
_INSERT_HISTORY = (
    "INSERT INTO readiness_history (record_id, version, saved_at, state, event, item, drug) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_SIGNATURE = (
    "INSERT INTO signatures (record_id, meaning, username, full_name, role, signed_at, "
    "override_reason, override_authorised_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)


def build(path: Path, n_records: int = N_RECORDS) -> tuple[float, int]:
    """A migrated SQLite file filled with n_records and their saves; returns (seconds, history rows)."""
    from checklist_app.store import Store

    t0 = time_call(lambda: Store.open(fixtures.sqlite_url(path)).close())  # migrate (not counted below)
    started = datetime.now(UTC)
    now = fixtures.local_now()
    conn = sqlite3.connect(path)
    rows = 0
    try:
        triggers = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()
        for name, _sql in triggers:
            conn.execute(f"DROP TRIGGER {name}")
        for start in range(0, n_records, BATCH):
            parts = [_rows(i, now, n_records) for i in range(start, min(start + BATCH, n_records))]
            conn.executemany(_INSERT_RECORD, [p[0] for p in parts])
            history = [h for p in parts for h in p[1]]
            conn.executemany(_INSERT_HISTORY, history)
            conn.executemany(_INSERT_SIGNATURE, [p[2] for p in parts if p[2] is not None])
            rows += len(history)
        for _name, sql in triggers:
            conn.execute(sql)
        conn.commit()
        conn.execute("ANALYZE")
    finally:
        conn.close()
    return t0 + (datetime.now(UTC) - started).total_seconds(), rows


# -- the hand-written SQL -----------------------------------------------------------------------------------

_CASES = """
WITH cases AS (
  SELECT r.id, r.signed_at, r.scheduled_at, r.scheduled_offset_s,
         CASE WHEN r.status = 'cancelled' THEN 'cancelled'
              WHEN r.status IN ('signed', 'reviewed') AND EXISTS (
                   SELECT 1 FROM signatures s WHERE s.record_id = r.id AND s.meaning IN ('prepared', 'amended')
                   AND s.override_reason IS NOT NULL) THEN 'signed_override'
              WHEN r.status IN ('signed', 'reviewed') THEN 'signed_ready'
              WHEN EXISTS (SELECT 1 FROM readiness_history h WHERE h.record_id = r.id AND h.event = 'reschedule')
                   THEN 'rescheduled'
              ELSE 'open' END AS outcome
    FROM records r WHERE r.scheduled_at >= :start AND r.scheduled_at < :end AND r.status <> 'amended')"""
_SQL = {
    "outcomes": _CASES + " SELECT outcome, count(*) FROM cases GROUP BY outcome",
    "reasons": _CASES
    + """ SELECT h.item, h.drug, count(DISTINCT h.record_id) AS n FROM readiness_history h
        JOIN cases c ON c.id = h.record_id WHERE h.item <> ''
       GROUP BY h.item, h.drug ORDER BY n DESC, h.item, h.drug""",
    "median": _CASES
    + """, f AS (
        SELECT c.signed_at, (SELECT min(h.saved_at) FROM readiness_history h
                              WHERE h.record_id = c.id AND h.event = 'answer') AS first_at
          FROM cases c WHERE c.outcome IN ('signed_ready', 'signed_override')),
        m AS (SELECT (julianday(signed_at) - julianday(first_at)) * 1440.0 AS v FROM f WHERE first_at IS NOT NULL)
        SELECT avg(v) FROM (SELECT v FROM m ORDER BY v LIMIT 2 - (SELECT count(*) FROM m) % 2
                            OFFSET ((SELECT count(*) FROM m) - 1) / 2)""",
    "overrides": _CASES
    + """ SELECT s.override_authorised_by, count(DISTINCT s.record_id) AS n FROM signatures s
        JOIN cases c ON c.id = s.record_id WHERE c.outcome = 'signed_override'
         AND s.meaning IN ('prepared', 'amended') AND s.override_reason IS NOT NULL
       GROUP BY s.override_authorised_by ORDER BY n DESC, s.override_authorised_by""",
    "days": _CASES
    + """ SELECT date(c.scheduled_at, c.scheduled_offset_s || ' seconds'), count(*),
        sum(CASE WHEN EXISTS (SELECT 1 FROM readiness_history h
        WHERE h.record_id = c.id AND h.item <> '') THEN 1 ELSE 0 END) FROM cases c GROUP BY 1 ORDER BY 1""",
    "kinds": (
        "SELECT DISTINCT procedure_type FROM records WHERE scheduled_at >= :start AND scheduled_at < :end "
        "AND status <> 'amended'"
    ),
    "nurses": (
        "SELECT DISTINCT created_by FROM records WHERE scheduled_at >= :start AND scheduled_at < :end "
        "AND status <> 'amended'"
    ),
}


def hand_written(conn: sqlite3.Connection, start: datetime, end: datetime) -> dict[str, Any]:
    """Every figure of the dashboard, by plain SQL: the baseline (and, in tests, the cross-check)."""
    params = {"start": _text(start), "end": _text(end)}
    out = {name: conn.execute(sql, params).fetchall() for name, sql in _SQL.items()}
    median = out["median"][0][0]
    return {
        "outcomes": dict(out["outcomes"]),
        "reasons": [tuple(r) for r in out["reasons"]],
        "median": None if median is None else round(median, 1),
        "overrides": [tuple(r) for r in out["overrides"]],
        "cases": sum(n for _, n in out["outcomes"]),
        "kinds": sorted(k for (k,) in out["kinds"]),
        "nurses": sorted(n for (n,) in out["nurses"]),
    }


def app_figures(svc: Any, user: Any, period: Any) -> dict[str, Any]:
    """The same figures through the services, in the baseline's shape."""
    kinds, nurses = svc.dashboard.choices(user, period)
    f = svc.dashboard.figures(user, period)
    return {
        "outcomes": {k: v for k, v in f.outcomes.items() if v},
        "reasons": [(r.item, r.drug or "", r.cases) for r in f.reasons],
        "median": f.median_minutes_to_sign,
        "overrides": list(f.overrides),
        "cases": f.cases,
        "kinds": list(kinds),
        "nurses": list(nurses),
    }


def measure(path: Path, rounds: int) -> dict[str, Any]:
    from checklist_app.services.app import AppServices
    from checklist_app.services.dashboard import Period
    from checklist_app.services.models import Role, User

    svc = AppServices.open(fixtures.sqlite_url(path))
    conn = sqlite3.connect(path)
    user = User(username="bench.charge", full_name="Bench Charge", roles=frozenset({Role.CHARGE_NURSE}))
    today = svc.dashboard.today()
    out: dict[str, Any] = {}
    try:
        for name, period in (
            ("4weeks", Period.named("4weeks", today)),
            ("year", Period(today - timedelta(days=DAYS), today)),
        ):
            scope = period.scope()
            app = app_figures(svc, user, period)
            out[f"{name}.same"] = app == hand_written(conn, scope.start, scope.end)
            out[f"{name}.cases"] = app["cases"]
            out[name] = paired_rounds(
                lambda p=period: app_figures(svc, user, p),  # type: ignore[misc]
                lambda s=scope: hand_written(conn, s.start, s.end),  # type: ignore[misc]
                rounds=rounds,
                warmup=2,
            )
    finally:
        conn.close()
        svc.close()
    return out


def run(settings: Settings, report: Report, pg: PgServer | None) -> None:
    n_records = N_RECORDS // 5 if settings.quick else N_RECORDS
    scratch = scratch_dir("checklist-bench-dashboard-")
    try:
        path = scratch / "dashboard.db"
        progress(f"dashboard: building {n_records:,} records, {n_records * SAVES:,} saves on SQLite (not timed)")
        seconds, rows = build(path, n_records)
        progress(f"dashboard: built in {seconds:.1f} s ({rows:,} history rows)")
        data = measure(path, settings.rounds(12, 5))
        for name, words in (("4weeks", "the page as it opens: last 4 weeks"), ("year", "a whole year")):
            note = (
                f"{words}, {data[f'{name}.cases']:,} cases of {n_records:,}"
                if data[f"{name}.same"]
                else "WARNING: the app and the SQL gave different figures"
            )
            report.add(ratio_result(f"dashboard.sqlite.{name}", *data[name], unit="ms", target=2.0, note=note))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
