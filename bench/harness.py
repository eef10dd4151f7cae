"""Benchmark harness: warm-up, interleaved rounds, median/IQR/percentiles, ratio against a baseline, JSON lines."""

from __future__ import annotations

import gc
import json
import math
import os
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

JSON_KEYS = ("name", "value", "unit", "baseline", "ratio", "target", "ok")

# Scale factors from seconds to the reported unit.
UNIT_SCALE = {"s": 1.0, "ms": 1e3, "us": 1e6}


@dataclass(frozen=True, slots=True)
class Settings:
    """What one run of the suite asked for; benchmarks pick their round counts from it."""

    quick: bool = False
    postgres: bool = True

    def rounds(self, full: int, quick: int) -> int:
        return quick if self.quick else full


@dataclass(frozen=True, slots=True)
class Stats:
    """Order statistics of one series of samples (seconds, or whatever unit the caller used)."""

    n: int
    median: float
    q1: float
    q3: float
    p99: float
    minimum: float
    maximum: float

    @property
    def iqr(self) -> float:
        return self.q3 - self.q1

    @classmethod
    def of(cls, samples: Sequence[float]) -> Stats:
        if not samples:
            raise ValueError("no samples")
        ordered = sorted(samples)
        return cls(
            n=len(ordered),
            median=statistics.median(ordered),
            q1=percentile(ordered, 25),
            q3=percentile(ordered, 75),
            p99=percentile(ordered, 99),
            minimum=ordered[0],
            maximum=ordered[-1],
        )


def percentile(ordered: Sequence[float], pct: float) -> float:
    """Linear-interpolated percentile of already sorted samples (numpy's default method)."""
    if len(ordered) == 1:
        return ordered[0]
    pos = (len(ordered) - 1) * pct / 100.0
    lo, hi = math.floor(pos), math.ceil(pos)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


@dataclass(frozen=True, slots=True)
class Result:
    """One reported figure. `ratio` is value/baseline (lower is better); `target` bounds the ratio, or for an
    absolute budget (baseline None) the value itself; `ok` is None when the figure is only reported."""

    name: str
    value: float
    unit: str
    baseline: float | None = None
    ratio: float | None = None
    target: float | None = None
    ok: bool | None = None
    spread: float | None = None  # IQR of the value's samples, same unit (text report and RESULTS.md only)
    baseline_spread: float | None = None
    note: str = ""
    at_least: bool = False  # a rate: ratio = value/baseline and the target is a floor (ratio ≥ target)

    def json_obj(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "value": _round(self.value),
            "unit": self.unit,
            "baseline": _round(self.baseline),
            "ratio": _round(self.ratio, 3),
            "target": self.target,
            "ok": self.ok,
            **({"target_is": "at_least"} if self.at_least else {}),
        }

    def json_line(self) -> str:
        return json.dumps(self.json_obj(), separators=(", ", ": "))

    def text_line(self) -> str:
        value = _fmt(self.value, self.spread)
        base = "" if self.baseline is None else _fmt(self.baseline, self.baseline_spread)
        ratio = "" if self.ratio is None else f"{self.ratio:.2f}"
        target = (
            ""
            if self.target is None
            else (
                f"≥ {self.target:g}"
                if self.at_least
                else f"≤ {self.target:g}"
                if self.ratio is not None
                else f"< {self.target:g}"
            )
        )
        verdict = {True: "ok", False: "MISSED", None: "(info)"}[self.ok]
        line = f"{self.name:<34} {value:>20} {self.unit:<6} {base:>20} {ratio:>7} {target:>7}  {verdict}"
        return line + (f"  — {self.note}" if self.note else "")


TEXT_HEADER = (
    f"{'benchmark':<34} {'value (median ± IQR)':>20} {'unit':<6} {'baseline':>20} {'ratio':>7} {'target':>7}  verdict"
)


def _round(value: float | None, digits: int = 4) -> float | None:
    if value is None:
        return None
    if value == 0 or not math.isfinite(value):
        return value
    # Significant digits, not decimals: values range from microseconds to records per second.
    return float(f"{value:.{digits}g}")


def _fmt(value: float, spread: float | None) -> str:
    text = f"{value:.4g}"
    return text if spread is None else f"{text} ± {spread:.2g}"


def ratio_result(
    name: str,
    subject: Sequence[float],
    baseline: Sequence[float],
    *,
    unit: str = "ms",
    target: float | None = None,
    stat: str = "median",
    note: str = "",
) -> Result:
    """Compare two sample series (seconds) by `stat` ("median" or "p99"); lower is better."""
    scale = UNIT_SCALE[unit]
    s, b = Stats.of(subject), Stats.of(baseline)
    value, base = getattr(s, stat) * scale, getattr(b, stat) * scale
    ratio = value / base if base > 0 else math.inf
    return Result(
        name=name,
        value=value,
        unit=unit,
        baseline=base,
        ratio=ratio,
        target=target,
        ok=None if target is None else ratio <= target,
        spread=s.iqr * scale if stat == "median" else None,
        baseline_spread=b.iqr * scale if stat == "median" else None,
        note=note,
    )


def budget_result(
    name: str, value: float, unit: str, limit: float, *, spread: float | None = None, note: str = ""
) -> Result:
    """An absolute budget: the value must stay strictly below `limit` (same unit); no baseline."""
    return Result(name=name, value=value, unit=unit, target=limit, ok=value < limit, spread=spread, note=note)


def info_result(
    name: str,
    value: float,
    unit: str,
    *,
    baseline: float | None = None,
    spread: float | None = None,
    higher_is_better: bool = False,
    note: str = "",
) -> Result:
    """A figure that is only reported. With a baseline the ratio is still value/baseline, or baseline/value
    when higher is better, so a ratio above 1 always means "costlier than the baseline"."""
    ratio = None
    if baseline:
        ratio = baseline / value if higher_is_better and value else value / baseline
    return Result(name=name, value=value, unit=unit, baseline=baseline, ratio=ratio, spread=spread, note=note)


def rate_result(name: str, value: float, unit: str, *, baseline: float, target: float, note: str = "") -> Result:
    """A rate against the baseline's rate: ratio = value/baseline, which must be at least `target`."""
    ratio = value / baseline if baseline else math.inf
    return Result(
        name=name,
        value=value,
        unit=unit,
        baseline=baseline,
        ratio=ratio,
        target=target,
        ok=ratio >= target,
        note=note,
        at_least=True,
    )


def time_call(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def run_rounds(fn: Callable[[], Any], *, rounds: int, warmup: int = 1) -> list[float]:
    """Warm up (imports, caches, JIT-like first-call costs), then time `rounds` calls (seconds each)."""
    for _ in range(warmup):
        fn()
    return [time_call(fn) for _ in range(rounds)]


def paired_rounds(
    subject: Callable[[], Any], baseline: Callable[[], Any], *, rounds: int, warmup: int = 1
) -> tuple[list[float], list[float]]:
    """Time subject and baseline alternately (ABBA order) so drift in CPU clock, disk cache or
    neighbours on the machine lands on both series instead of biasing the ratio."""
    for _ in range(warmup):
        subject()
        baseline()
    s_samples: list[float] = []
    b_samples: list[float] = []
    for i in range(rounds):
        pair = ((subject, s_samples), (baseline, b_samples))
        for fn, out in pair if i % 2 == 0 else pair[::-1]:
            gc.collect()  # a collection triggered by the other side's garbage must not be billed here
            out.append(time_call(fn))
    return s_samples, b_samples


def scratch_dir(prefix: str) -> Path:
    """A temp dir on a real disk: /var/tmp is disk-backed by convention while /tmp may be tmpfs, where
    fsync is free and every durability baseline would be meaningless. BENCH_TMPDIR overrides."""
    base = os.environ.get("BENCH_TMPDIR") or ("/var/tmp" if os.path.isdir("/var/tmp") else None)
    return Path(tempfile.mkdtemp(prefix=prefix, dir=base))


@dataclass
class Report:
    """Collects results and prints each as it arrives, as text or as one JSON object per line."""

    json_lines: bool = False
    results: list[Result] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    header_done: bool = False

    def add(self, result: Result) -> None:
        self.results.append(result)
        if self.json_lines:
            print(result.json_line(), flush=True)
            return
        if not self.header_done:
            print(TEXT_HEADER, flush=True)
            self.header_done = True
        print(result.text_line(), flush=True)

    def skip(self, name: str, reason: str) -> None:
        """A benchmark that could not run says so in one line (stderr in JSON mode: stdout stays JSON)."""
        line = f"SKIPPED {name}: {reason}"
        self.skipped.append(line)
        print(line, file=_stderr() if self.json_lines else None, flush=True)

    @property
    def missed(self) -> list[Result]:
        return [r for r in self.results if r.ok is False]


def _stderr() -> Any:
    import sys

    return sys.stderr


def progress(message: str) -> None:
    """Progress goes to stderr so `--json` output stays machine-readable."""
    import sys

    print(f"[bench] {message}", file=sys.stderr, flush=True)
