"""`python -m bench`: run the benchmarks, print one line (or JSON object) per figure, optionally update RESULTS.md."""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
import time
from collections.abc import Iterator, Sequence

from .harness import Report, Settings, progress
from .pg import PgServer, PgUnavailable, temporary_server

# Run order: cheap and noise-sensitive first (startup), the 100,000-row build last but one.
BENCHMARKS = ("startup", "answer", "export", "review", "dashboard", "bulk", "integration")
USES_POSTGRES = frozenset({"answer", "review"})


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer rounds and records: about 2 minutes on 2 cores")
    parser.add_argument(
        "--json",
        action="store_true",
        help="one JSON object per figure on stdout: name, value, unit, baseline, ratio, target, ok",
    )
    parser.add_argument("--only", default="", help=f"comma-separated subset of {', '.join(BENCHMARKS)}")
    parser.add_argument("--no-postgres", action="store_true", help="skip the PostgreSQL variants")
    parser.add_argument(
        "--record", action="store_true", help="rewrite the results table of bench/RESULTS.md with this run's figures"
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    chosen = [b.strip() for b in args.only.split(",") if b.strip()] or list(BENCHMARKS)
    unknown = [b for b in chosen if b not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}")
    args.chosen = [b for b in BENCHMARKS if b in chosen]
    return args


@contextlib.contextmanager
def maybe_postgres(wanted: bool, report: Report) -> Iterator[PgServer | None]:
    if not wanted:
        yield None
        return
    try:
        with temporary_server() as server:
            yield server
    except PgUnavailable as exc:
        report.skip("PostgreSQL variants (answer, review)", str(exc))
        yield None


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    # Qt must never try to open a display, and a benchmark must never write to the user's real database.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.pop("CHECKLIST_DB", None)
    settings = Settings(quick=args.quick, postgres=not args.no_postgres)
    report = Report(json_lines=args.json)
    from .results import load_average

    load_at_start = load_average()
    started = time.perf_counter()
    wants_pg = settings.postgres and bool(USES_POSTGRES & set(args.chosen))
    with maybe_postgres(wants_pg, report) as pg:
        for name in args.chosen:
            module = importlib.import_module(f"bench.{name}")
            t0 = time.perf_counter()
            module.run(settings, report, pg if name in USES_POSTGRES else None)
            progress(f"{name}: done in {time.perf_counter() - t0:.1f} s")
    elapsed = time.perf_counter() - started
    progress(f"all done in {elapsed:.1f} s; {len(report.missed)} target(s) missed")
    if args.record:
        from .results import write_results

        path = write_results(report, settings, elapsed, (load_at_start, load_average()))
        progress(f"wrote {path}")
    return 1 if args.strict and report.missed else 0


if __name__ == "__main__":
    sys.exit(main())
