"""The benchmark harness runs a trivial benchmark and reports it in the agreed JSON line shape (no timing checks)."""

from __future__ import annotations

import json
import math
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bench.harness import (
    JSON_KEYS,
    Report,
    Stats,
    budget_result,
    info_result,
    paired_rounds,
    percentile,
    ratio_result,
    run_rounds,
)


def _trivial() -> int:
    return sum(range(200))


def test_rounds_run_after_warmup_and_count_only_timed_calls() -> None:
    calls: list[int] = []
    samples = run_rounds(lambda: calls.append(1), rounds=5, warmup=2)
    assert len(samples) == 5
    assert len(calls) == 7
    assert all(s >= 0 for s in samples)


def test_paired_rounds_time_both_sides_alike() -> None:
    subject, baseline = paired_rounds(_trivial, lambda: None, rounds=4, warmup=1)
    assert len(subject) == len(baseline) == 4


def test_json_line_has_exactly_the_agreed_fields(capsys: pytest.CaptureFixture[str]) -> None:
    subject, baseline = paired_rounds(_trivial, _trivial, rounds=3, warmup=1)
    report = Report(json_lines=True)
    report.add(ratio_result("trivial", subject, baseline, unit="us", target=1e9))
    report.add(budget_result("trivial.budget", 1.0, "ms", 5.0))
    report.add(info_result("trivial.rate", 10.0, "rec/s", baseline=20.0, higher_is_better=True))
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3
    objects = [json.loads(line) for line in lines]
    for obj in objects:
        assert tuple(obj) == JSON_KEYS == ("name", "value", "unit", "baseline", "ratio", "target", "ok")
        assert isinstance(obj["name"], str) and isinstance(obj["unit"], str)
        assert isinstance(obj["value"], float | int)
    ratio, budget, info = objects
    assert ratio["name"] == "trivial" and ratio["unit"] == "us"
    assert isinstance(ratio["baseline"], float | int) and isinstance(ratio["ratio"], float | int)
    assert ratio["target"] == 1e9 and isinstance(ratio["ok"], bool)
    assert budget["baseline"] is None and budget["ratio"] is None and budget["ok"] is True
    assert info["target"] is None and info["ok"] is None and info["ratio"] == 2.0


def test_text_report_has_one_line_per_result(capsys: pytest.CaptureFixture[str]) -> None:
    report = Report(json_lines=False)
    report.add(budget_result("a", 2.0, "ms", 1.0))
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2  # header, then the result
    assert "MISSED" in out[1]
    assert [r.name for r in report.missed] == ["a"]


def test_statistics() -> None:
    stats = Stats.of([4.0, 1.0, 3.0, 2.0, 5.0])
    assert (stats.median, stats.q1, stats.q3, stats.iqr) == (3.0, 2.0, 4.0, 2.0)
    assert math.isclose(percentile([0.0, 10.0], 99), 9.9)
    with pytest.raises(ValueError):
        Stats.of([])


def test_the_dashboard_bench_compares_equal_figures(tmp_path: Path) -> None:
    """At a small size: the services and the hand-written SQL give the same figures for both periods, so the
    benchmark's ratio compares the same work; and the data has every outcome and several reasons."""
    from bench import dashboard

    _seconds, rows = dashboard.build(tmp_path / "d.db", 400)
    assert rows > 400 * dashboard.SAVES
    data = dashboard.measure(tmp_path / "d.db", rounds=1)
    assert data["4weeks.same"] and data["year.same"]
    assert 0 < data["4weeks.cases"] < data["year.cases"] <= 400
    with sqlite3.connect(tmp_path / "d.db") as conn:
        figures = dashboard.hand_written(conn, datetime.now(UTC) - timedelta(days=400), datetime.now(UTC))
    assert set(figures["outcomes"]) == {"signed_ready", "signed_override", "rescheduled", "cancelled", "open"}
    assert len(figures["reasons"]) >= 5 and figures["median"] is not None and figures["overrides"]
