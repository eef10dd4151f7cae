"""The main window opens at a size that fits the screen and comes back as each user left it."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtGui import QGuiApplication

from checklist_app.services.app import AppServices
from checklist_app.services.models import User
from checklist_app.ui.shell import window_state
from checklist_app.ui.shell.app import build_main_window
from tests.helpers.ui import Messages


def _open(qtbot: Any, svc: AppServices, user: User) -> Any:
    window = build_main_window(svc, user)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_a_first_start_on_a_small_screen_is_maximised(
    qtbot: Any, svc: AppServices, nurse: User, messages: Messages
) -> None:
    assert QGuiApplication.primaryScreen().availableGeometry().width() < window_state.MAXIMISE_BELOW  # offscreen
    window = _open(qtbot, svc, nurse)
    qtbot.waitUntil(window.isMaximized)


def test_a_first_start_on_a_big_screen_takes_most_of_it(
    qtbot: Any, svc: AppServices, nurse: User, messages: Messages, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(window_state, "MAXIMISE_BELOW", 100)  # the offscreen screen (800×600) counts as big
    window = _open(qtbot, svc, nurse)
    area = QGuiApplication.primaryScreen().availableGeometry()
    assert not window.isMaximized()
    assert window.width() >= area.width() * 0.85 and window.height() >= area.height() * 0.85
    assert area.contains(window.geometry())


def test_size_and_split_come_back_for_the_same_user(
    qtbot: Any, svc: AppServices, nurse: User, messages: Messages
) -> None:
    window = _open(qtbot, svc, nurse)
    window.showNormal()
    window.resize(700, 500)
    window.cases_page.setSizes([200, 480])
    qtbot.waitUntil(lambda: window.width() == 700)
    sizes = window.cases_page.sizes()
    window.close()
    again = _open(qtbot, svc, nurse)
    assert (again.width(), again.height()) == (700, 500)
    assert again.cases_page.sizes() == sizes


def test_another_user_gets_their_own_size(
    qtbot: Any, svc: AppServices, nurse: User, coordinator: User, messages: Messages
) -> None:
    window = _open(qtbot, svc, nurse)
    window.showNormal()
    window.resize(640, 480)
    qtbot.waitUntil(lambda: window.width() == 640)
    window.close()
    other = _open(qtbot, svc, coordinator)
    qtbot.waitUntil(other.isMaximized)  # a first start for this user: the small offscreen screen maximises
