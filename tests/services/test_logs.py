"""The app's log file and crash reports: in the log folder, rotating, and never holding the error's words."""

from __future__ import annotations

import logging
import logging.handlers
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from checklist_app.services.logs import close_logging, log, log_dir, setup_logging, write_crash_report


@pytest.fixture
def logs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("CHECKLIST_LOG_DIR", str(tmp_path / "logs"))
    yield tmp_path / "logs"
    close_logging()


def test_the_log_folder_is_the_platforms(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    assert log_dir({}) == tmp_path / "state" / "checklist-app" / "log"


def test_the_log_rotates_and_a_second_setup_replaces_the_first(logs: Path) -> None:
    path = setup_logging()
    assert path == logs / "checklist-app.log"
    setup_logging()
    handlers = [h for h in log.handlers if isinstance(h, logging.handlers.RotatingFileHandler)]
    assert len(handlers) == 1 and handlers[0].maxBytes > 0 and handlers[0].backupCount > 0
    log.info("record %s opened", "0a1b")
    handlers[0].flush()
    assert "record 0a1b opened" in path.read_text(encoding="utf-8")


def test_a_crash_report_names_where_but_withholds_the_message(logs: Path) -> None:
    try:
        raise ValueError("Avery Example MRN100001 typed here")
    except ValueError:
        report = write_crash_report(*sys.exc_info())  # type: ignore[arg-type]
    assert report is not None and report.parent == logs
    text = report.read_text(encoding="utf-8")
    assert "builtins.ValueError" in text and "test_logs.py" in text
    assert "Avery" not in text and "MRN100001" not in text
