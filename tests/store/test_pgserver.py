"""The PostgreSQL test plugin: missing server binaries fail the run in CI and only skip elsewhere."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_isolated(tmp_path: Path, ci: bool) -> subprocess.CompletedProcess[str]:
    (tmp_path / "pytest.ini").write_text("[pytest]\nmarkers =\n    postgres: needs PostgreSQL\n")
    (tmp_path / "test_needs_pg.py").write_text("def test_it(pg_server):\n    assert pg_server.port\n")
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env.update(
        {
            "PYTHONPATH": str(ROOT),
            "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
            "CHECKLIST_PG_BINDIR": str(tmp_path / "no-binaries-here"),
        }
    )
    if ci:
        env["CI"] = "true"
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "tests.pgserver", "-q", "-rs", "-p", "no:cacheprovider", str(tmp_path)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_missing_binaries_fail_loudly_in_ci(tmp_path: Path) -> None:
    result = run_isolated(tmp_path, ci=True)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "PostgreSQL tests cannot run in CI" in result.stdout
    assert "never skipped when CI=true" in result.stdout


def test_missing_binaries_skip_with_a_reason_outside_ci(tmp_path: Path) -> None:
    result = run_isolated(tmp_path, ci=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 skipped" in result.stdout and "set CI=true to make this a failure" in result.stdout


@pytest.mark.postgres
def test_server_answers_over_tcp(pg_server: object) -> None:
    import psycopg

    from tests.pgserver import PgServer

    assert isinstance(pg_server, PgServer)
    with psycopg.connect(host=pg_server.host, port=pg_server.port, user=pg_server.user, dbname="postgres") as conn:
        version = conn.execute("SHOW server_version").fetchone()
    assert version is not None and int(str(version[0]).split(".")[0]) >= 13
