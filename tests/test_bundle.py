"""The PyInstaller bundle IT installs: built once per run (or taken from CHECKLIST_BUNDLE_DIR), its command line
makes demo data, signs and verifies, and its app opens the login window offscreen."""

from __future__ import annotations

import faulthandler
import os
import subprocess
import sys
from pathlib import Path

import pytest

from checklist_app.services.demo import DEMO_USERS

DEMO_PASSWORDS = {username: password for username, _name, _roles, password in DEMO_USERS}

ROOT = Path(__file__).resolve().parents[1]
EXE = "checklist-app.exe" if sys.platform == "win32" else "checklist-app"

pytestmark = pytest.mark.bundle


def _newest_source() -> float:
    paths = [
        *ROOT.joinpath("checklist_app").rglob("*.py"),
        *ROOT.joinpath("forms").glob("*.yaml"),
        *ROOT.joinpath("resources").rglob("*"),
        ROOT / "packaging" / "checklist-app.spec",
    ]
    return max(p.stat().st_mtime for p in paths if p.is_file())


@pytest.fixture(scope="session")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """CHECKLIST_BUNDLE_DIR (a build made earlier in the same CI job), else build/test-bundle, rebuilt only when
    a source is newer than it: the build takes minutes, so a run builds at most once."""
    given = os.environ.get("CHECKLIST_BUNDLE_DIR")
    if given:
        return Path(given) / "checklist-app" / EXE
    dist = ROOT / "build" / "test-bundle"
    exe = dist / "checklist-app" / EXE
    if not exe.exists() or exe.stat().st_mtime < _newest_source():
        # The build takes minutes, longer than the suite's hang detector (faulthandler_timeout): it is bounded by
        # its own timeout, so the detector's stack dump, which says nothing here, is not armed for it.
        faulthandler.cancel_dump_traceback_later()
        subprocess.run(
            ["bash", str(ROOT / "scripts" / "bundle"), str(dist)],
            check=True,
            cwd=ROOT,
            capture_output=True,
            timeout=1800,
        )
    return exe


def _run(exe: Path, env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(exe), *args], env=env, input=stdin, capture_output=True, text=True, timeout=300)


@pytest.fixture
def clean_env(tmp_path: Path) -> dict[str, str]:
    """A machine with nothing of ours: no checkout on the path, its own data, log and config folders."""
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "SYSTEMROOT", "TEMP", "TMP")}
    return {
        **keep,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_CONFIG_DIRS": str(tmp_path / "site"),
        "CHECKLIST_SITE_SECRET_FILE": str(tmp_path / "site.secret"),
        "CHECKLIST_DB": f"sqlite:///{tmp_path / 'bundle.db'}",
    }


def test_the_bundled_command_line_makes_demo_data_signs_and_verifies(
    bundle: Path, clean_env: dict[str, str], tmp_path: Path
) -> None:
    demo = _run(bundle, clean_env, "demo", "--records", "3")
    assert demo.returncode == 0, demo.stderr
    drafts = _run(bundle, clean_env, "records", "list", "--status", "draft")
    assert drafts.returncode == 0 and drafts.stdout, drafts.stderr
    ready = next(line.split()[0] for line in drafts.stdout.splitlines() if " ready " in f" {line} ")
    signed = _run(
        bundle,
        clean_env,
        "records",
        "sign",
        ready,
        "--user",
        "nurse",
        "--password-stdin",
        stdin=DEMO_PASSWORDS["nurse"] + "\n",
    )
    assert signed.returncode == 0 and " signed " in signed.stdout, signed.stderr
    pdf = tmp_path / "signed.pdf"
    exported = _run(bundle, clean_env, "records", "export", ready, "-o", str(pdf))
    assert exported.returncode == 0, exported.stderr
    verified = _run(bundle, clean_env, "verify", str(pdf))
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert _run(bundle, clean_env, "audit", "verify").returncode == 0


def test_the_bundled_app_opens_its_login_window(bundle: Path, clean_env: dict[str, str]) -> None:
    """The login window comes first (issue 15: it shows before the database opens; on an empty database the
    first-run window follows it), and the probe closes it: the bundled app starts its GUI on both."""
    env = {**clean_env, "CHECKLIST_QUIT_AFTER_FIRST_WINDOW": "1"}
    first = _run(bundle, env)
    assert first.returncode == 0 and "first window: loginDialog" in first.stderr, first.stderr
    assert _run(bundle, env, "demo", "--records", "1").returncode == 0
    login = _run(bundle, env)
    assert login.returncode == 0 and "first window: loginDialog" in login.stderr, login.stderr
