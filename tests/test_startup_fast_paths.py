"""The start-up shortcuts found by the benchmarks agree with the slow paths they skip."""

from __future__ import annotations

from pathlib import Path

from checklist_app.store import Store
from checklist_app.store.connection import alembic_config, is_at_head, script_head_revision, upgrade


def test_script_head_is_alembics_head() -> None:
    from alembic.script import ScriptDirectory

    assert script_head_revision() == ScriptDirectory.from_config(alembic_config()).get_current_head()


def test_new_database_is_not_at_head_until_migrated(tmp_path: Path) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'fresh.db'}", migrate=False)
    try:
        assert not is_at_head(store.db.engine)
        upgrade(store.db.engine)
        assert is_at_head(store.db.engine)
        upgrade(store.db.engine)  # the shortcut: nothing to do, nothing fails
    finally:
        store.close()


def test_database_behind_the_scripts_is_migrated(tmp_path: Path) -> None:
    from checklist_app.store.connection import current_revision

    store = Store.open(f"sqlite:///{tmp_path / 'old.db'}", migrate=False)
    try:
        upgrade(store.db.engine, "0001_initial")
        assert not is_at_head(store.db.engine)
        upgrade(store.db.engine)
        assert current_revision(store.db.engine) == script_head_revision()
    finally:
        store.close()


def test_libyaml_reads_the_shipped_form_as_pure_python_yaml_does() -> None:
    import yaml

    from checklist_app.domain.formparse import _compose_and_load

    text = (Path(__file__).resolve().parent.parent / "forms" / "fluoro-spine-injection.yaml").read_text("utf-8")
    root, data = _compose_and_load(text)
    assert data == yaml.safe_load(text)
    slow_root = yaml.compose(text, Loader=yaml.SafeLoader)
    assert root is not None and slow_root is not None
    assert [(k.value, k.start_mark.line) for k, _ in root.value] == [
        (k.value, k.start_mark.line) for k, _ in slow_root.value
    ]


_FIRST_PAINT_PROBE = r"""
import sys
import checklist_app.cli
from checklist_app.ui.shell import app as ui_app
from PySide6.QtCore import QTimer

qt_app = ui_app.new_application(sys.argv)  # as run() makes it
print("STYLE", qt_app.style().name(), flush=True)  # (with the stylesheet on, style() is Qt's stylesheet proxy)
from checklist_app.ui.shell.style import apply_style
apply_style(qt_app, fonts=False)
start = ui_app.StartUp(sys.argv[1])
heavy = ("sqlalchemy", "reportlab", "pyhanko", "argon2", "pydantic", "alembic", "checklist_app.services",
         "checklist_app.store", "checklist_app.export",
         # issue 15: the subcommands' modules, the log's rotating handler, the wake-up socket, message boxes
         "checklist_app.cli_accounts", "checklist_app.cli_schedule", "checklist_app.cli_record_out",
         "logging.handlers", "PySide6.QtNetwork", "checklist_app.ui.shell.msgbox",
         # the subcommands' parser, and what the log folder and package-resource lookups bring
         # (argparse is not listed: PySide6's own start imports it)
         "checklist_app.cli_commands", "json", "importlib.resources", "platformdirs")

def shown():
    # The first zero-timer after show(): the login window has been shown and painted; the worker not yet run.
    loaded = sorted(name for name in heavy if name in sys.modules)
    print("AT_SHOW", start.login.isVisible(), ",".join(loaded) or "-", flush=True)

start.opener.opened.connect(lambda svc: (print("OPENED", "sqlalchemy" in sys.modules, flush=True), qt_app.quit()))
start.opener.failed.connect(lambda message: (print("FAILED", message, flush=True), qt_app.quit()))
start.show()  # the database opens once the loop has run the first paint
QTimer.singleShot(0, shown)
qt_app.exec()
start.opener.wait()
if start.opener.services is not None:
    start.opener.services.close()
"""


def test_login_window_is_shown_before_the_store_and_pdf_stacks_are_imported(tmp_path: Path) -> None:
    """The start-up order of ui/shell/app.py, in a fresh interpreter as `checklist-app` starts."""
    import os
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path / 'start.db'}"
    Store.open(url).close()  # migrated, so the child's open is the everyday one
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "CHECKLIST_SITE_SECRET_FILE": str(tmp_path / "s")}
    env["QT_STYLE_OVERRIDE"] = "Windows"  # offscreen Linux is Fusion anyway: the app must make it so itself
    done = subprocess.run(
        [sys.executable, "-c", _FIRST_PAINT_PROBE, url], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.split("\n")
    assert "AT_SHOW True -" in lines, done.stdout
    assert "STYLE fusion" in lines, done.stdout  # the stylesheet is drawn over Fusion on every platform
    assert "OPENED True" in lines, done.stdout
