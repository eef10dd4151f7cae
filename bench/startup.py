"""Startup benchmark: process start → window shown and idle, the app's windows vs a bare PySide6 QMainWindow."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

from . import fixtures
from .harness import Report, Settings, progress, ratio_result, scratch_dir
from .pg import PgServer

ENTRY = Path(__file__).with_name("startup_entry.py")
TODAYS_CASES = 12  # the nurse's worklist is not empty on a working morning


def _prepare(scratch: Path) -> str:
    """A migrated database with the nurse and today's cases, so startup is the everyday one, not the first."""
    url = fixtures.sqlite_url(scratch / "startup.db")
    ws = fixtures.open_workspace(url, scratch)
    try:
        start = fixtures.local_now().replace(hour=7, minute=0, second=0, microsecond=0)
        for i in range(TODAYS_CASES):
            ws.services.cases.new_case(
                ws.nurse,
                fixtures.patient(i, ready=True),
                fixtures.procedure(i, start + timedelta(minutes=40 * i), ready=True),
            )
    finally:
        ws.close()
    return url


def _env(scratch: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHECKLIST_")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["CHECKLIST_SITE_SECRET_FILE"] = str(scratch / "site-authority.secret")
    env["CHECKLIST_IDLE_MINUTES"] = "600"  # the idle lock must not fire mid-measurement
    # The app's own data dir (platformdirs) goes to scratch so a user's real files are never touched.
    env["XDG_DATA_HOME"] = str(scratch / "xdg-data")
    env["XDG_CONFIG_HOME"] = str(scratch / "xdg-config")
    # Compiled modules, as an installed app has them: the warm-up rounds write them (PYTHONDONTWRITEBYTECODE
    # in the caller's environment made every round compile the app's sources while PySide6's came compiled).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(scratch / "pycache")
    return env


def _time_once(argv: list[str], env: dict[str, str]) -> float:
    started = time.monotonic()
    done = subprocess.run([sys.executable, str(ENTRY), *argv], env=env, capture_output=True, text=True, timeout=120)
    if done.returncode != 0 or not done.stdout.strip():
        raise RuntimeError(f"startup entry {argv[0]} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    last = done.stdout.strip().splitlines()[-1]
    if last.startswith("duration "):
        return float(last.split()[1])
    return float(last) - started


def run(settings: Settings, report: Report, pg: PgServer | None) -> None:
    scratch = scratch_dir("checklist-bench-startup-")
    try:
        try:
            import checklist_app.ui.shell.app  # noqa: F401  (only to learn whether the UI is there yet)
        except ImportError as exc:
            report.skip("startup", f"the UI entry checklist_app.ui.shell.app is not importable yet ({exc})")
            return
        url = _prepare(scratch)
        env = _env(scratch)
        variants = {"bare": ["bare"], "login": ["login", url], "main": ["main", url, fixtures.NURSE]}
        samples: dict[str, list[float]] = {k: [] for k in variants}
        # As many rounds quick as full: a process's start on this VM is bimodal (the bare window 105 or 150 ms
        # from one round to the next), and the medians of 6 rounds moved the ratio by ±0.15 (bench/RESULTS.md).
        rounds = settings.rounds(15, 15)
        progress(f"startup: {rounds} rounds of bare / login window / main window processes")
        for _ in range(2):  # warm-up: .pyc files, shared libraries and fonts into the page cache
            for argv in variants.values():
                _time_once(argv, env)
        names = list(variants)
        for i in range(rounds):
            order = names[i % len(names) :] + names[: i % len(names)]  # rotate so none always goes first
            for name in order:
                samples[name].append(_time_once(variants[name], env))
        report.add(
            ratio_result(
                "startup.main_window",
                samples["main"],
                samples["bare"],
                unit="ms",
                target=2.0,
                note=f"{rounds} rounds; login accepted → worklist of {TODAYS_CASES} cases idle",
            )
        )
        report.add(
            ratio_result(
                "startup.login_window",
                samples["login"],
                samples["bare"],
                unit="ms",
                target=1.3,
                note=f"{rounds} rounds; the real run() up to its login dialog",
            )
        )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
