"""Rewrite the generated part of bench/RESULTS.md (machine, date, table); the notes below it are kept as written."""

from __future__ import annotations

import os
import platform
import sqlite3
import sys
from datetime import datetime
from pathlib import Path

from .harness import Report, Result, Settings

RESULTS = Path(__file__).with_name("RESULTS.md")
BEGIN, END = "<!-- results:begin (written by `python -m bench --record`) -->", "<!-- results:end -->"

TEMPLATE = f"""# Benchmark results

Ratios are value / baseline, both measured in the same run (lower is better); a target bounds the ratio,
or for an absolute budget the value. `python -m bench --record` rewrites the part between the markers;
the notes after it are kept up to date by hand.

{BEGIN}
{END}

## Notes
"""


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_gb() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.0f} GB"
    except OSError:
        pass
    return "?"


def _versions() -> str:
    parts = [f"Python {platform.python_version()}", f"SQLite {sqlite3.sqlite_version}"]
    for name in ("PySide6", "sqlalchemy", "pydantic", "reportlab", "pyhanko", "psycopg"):
        try:
            from importlib.metadata import version

            parts.append(f"{name} {version(name)}")
        except Exception:  # a missing optional package is simply not listed
            continue
    return ", ".join(parts)


def _cell(value: float | None, spread: float | None = None) -> str:
    if value is None:
        return ""
    text = f"{value:.3g}"
    return text if spread is None else f"{text} ± {spread:.2g}"


def _row(r: Result) -> str:
    target = (
        ""
        if r.target is None
        else (f"≥ {r.target:g}" if r.at_least else f"≤ {r.target:g}" if r.baseline is not None else f"< {r.target:g}")
    )
    verdict = {True: "ok", False: "**missed**", None: "reported"}[r.ok]
    ratio = "" if r.ratio is None else f"{r.ratio:.2f}"
    return (
        f"| {r.name} | {_cell(r.value, r.spread)} | {r.unit} | {_cell(r.baseline, r.baseline_spread)} | "
        f"{ratio} | {target} | {verdict} | {r.note} |"
    )


def render(report: Report, settings: Settings, elapsed_s: float, load: tuple[float, float]) -> str:
    lines = [
        BEGIN,
        f"Run: {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}, `python -m bench{' --quick' if settings.quick else ''}`"
        f" in {elapsed_s:.0f} s; load average {load[0]:.1f} at start, {load[1]:.1f} at end "
        f"({os.cpu_count()} CPUs; other work on the machine shows up as spread).",
        "",
        f"Machine: {_cpu_model()}, {os.cpu_count()} CPUs, {_memory_gb()} RAM, {platform.system()} "
        f"{platform.release()}; {_versions()}.",
        "",
        "| benchmark | value (median ± IQR) | unit | baseline (median ± IQR) | ratio | target | verdict | note |",
        "|---|---|---|---|---|---|---|---|",
        *(_row(r) for r in report.results),
    ]
    if report.skipped:
        lines += ["", *(f"- {s}" for s in report.skipped)]
    lines.append(END)
    return "\n".join(lines)


def write_results(
    report: Report, settings: Settings, elapsed_s: float, load: tuple[float, float], path: Path = RESULTS
) -> Path:
    text = path.read_text(encoding="utf-8") if path.exists() else TEMPLATE
    if BEGIN not in text or END not in text:
        text = TEMPLATE + "\n" + text
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    path.write_text(head + render(report, settings, elapsed_s, load) + tail, encoding="utf-8")
    return path


def load_average() -> float:
    try:
        return os.getloadavg()[0]
    except (OSError, AttributeError):  # not on every platform
        return float("nan")


if __name__ == "__main__":
    sys.exit("run `python -m bench --record` to update RESULTS.md")
