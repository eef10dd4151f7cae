"""One app per user: a second start finds the lock, wakes the first (which comes forward) and exits."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QMainWindow

from checklist_app.ui.shell.single_instance import SingleInstance, bring_forward


@pytest.fixture
def first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[SingleInstance]:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    instance = SingleInstance()
    assert instance.acquire()
    yield instance
    instance.release()


def test_a_second_instance_in_the_same_process_is_refused_and_wakes_the_first(
    qtbot: Any, first: SingleInstance
) -> None:
    second = SingleInstance()
    with qtbot.waitSignal(first.activated, timeout=5000):
        assert not second.acquire()


def test_a_second_app_started_exits_and_brings_the_running_window_forward(
    qtbot: Any, tmp_path: Path, first: SingleInstance
) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    window.show()
    window.showMinimized()
    first.activated.connect(bring_forward)
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "CHECKLIST_LOG_DIR": str(tmp_path / "logs"),
        "CHECKLIST_DB": f"sqlite:///{tmp_path / 'never-opened.db'}",
    }
    with qtbot.waitSignal(first.activated, timeout=60000):
        proc = subprocess.Popen(
            [sys.executable, "-m", "checklist_app"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0 and "already running" in err
    assert not window.isMinimized()
    assert not (tmp_path / "never-opened.db").exists()  # refused before it touched any database


def test_a_stale_lock_of_a_dead_process_does_not_block_the_next_start(tmp_path: Path) -> None:
    lock = tmp_path / "instance.lock"
    lock.write_text("999999999\nchecklist-app\n" + os.uname().nodename + "\n")  # QLockFile's format; no such pid
    instance = SingleInstance(lock)
    assert instance.acquire()
    instance.release()


def test_the_lock_is_in_the_folder_platformdirs_names_for_this_user(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The lock's folder is asked of Qt (lighter to import); an older build named it by platformdirs, and both must
    find each other's lock while one is upgraded under the other."""
    import platformdirs

    from checklist_app.ui.shell.single_instance import APP_NAME, lock_path

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    assert lock_path().parent == Path(platformdirs.user_state_dir(APP_NAME, appauthor=False))
    monkeypatch.delenv("XDG_STATE_HOME")
    assert lock_path().parent == Path(platformdirs.user_state_dir(APP_NAME, appauthor=False))
