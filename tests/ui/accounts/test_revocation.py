"""The administrator's page revokes a signing key and re-issues the site CRL (issue 14), with the same services as
`users revoke` and `site crl`: the revoked nurse signs nothing more."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import Qt

from checklist_app.services.app import AppServices
from checklist_app.services.errors import SigningRefused
from checklist_app.services.long_term import crl_status
from checklist_app.services.models import CaseState, Role, User
from tests.helpers.forms import READY_ANSWERS
from tests.helpers.ui import NURSE_PASSWORD, Messages, focused, press, show_window, type_keys

Key = Qt.Key


@pytest.fixture
def users_page(qtbot: Any, svc: AppServices, messages: Messages) -> Any:
    admin = svc.auth.create_user("alex", "Alex Admin", {Role.ADMIN}, "site-setup-2026", actor="test")
    window = show_window(qtbot, svc, admin)
    window.tabs.setCurrentWidget(window.users_page)
    return window.users_page


def test_revoking_a_key_with_a_reason_stops_that_nurse_signing(
    qtbot: Any, users_page: Any, svc: AppServices, nurse: User, messages: Messages, make_case: Callable[..., CaseState]
) -> None:
    case = make_case(READY_ANSWERS)
    assert case.readiness.state == "ready"
    before = crl_status(svc.store)
    users_page.revoke_user_edit.setFocus()
    qtbot.waitUntil(lambda: focused() is users_page.revoke_user_edit)
    type_keys(qtbot, "nina")
    press(qtbot, Key.Key_Tab)
    assert focused() is users_page.revoke_reason_edit
    type_keys(qtbot, "workstation lost")
    messages.confirm_answer = False  # the admin thinks again: nothing happens
    press(qtbot, Key.Key_Return)
    assert crl_status(svc.store) == before and users_page.revoke_result.text() == ""
    messages.confirm_answer = True
    press(qtbot, Key.Key_Return)
    status = crl_status(svc.store)
    assert status is not None and (before is None or status[0] == before[0] + 1)
    assert users_page.revoke_result.text() == f"Revoked the signing key of “nina” (site CRL number {status[0]})."
    assert f"Site CRL number {status[0]}" in users_page.crl_label.text()
    with pytest.raises(SigningRefused, match="revoked"):
        svc.documents.sign(nurse, NURSE_PASSWORD, case)


def test_a_revocation_without_a_reason_or_of_an_unknown_user_is_refused_in_words(
    qtbot: Any, users_page: Any, svc: AppServices, nurse: User
) -> None:
    users_page.revoke_user_edit.setText("nina")
    qtbot.mouseClick(users_page.revoke_button, Qt.MouseButton.LeftButton)
    assert users_page.revoke_result.text() == "Enter the user id and the reason."
    users_page.revoke_user_edit.setText("nobody-here")
    users_page.revoke_reason_edit.setText("left the hospital")
    qtbot.mouseClick(users_page.revoke_button, Qt.MouseButton.LeftButton)
    assert "nobody-here" in users_page.revoke_result.text()
    assert crl_status(svc.store) is None


def test_issuing_a_fresh_crl_shows_its_number(qtbot: Any, users_page: Any, svc: AppServices, nurse: User) -> None:
    assert users_page.crl_label.text() == "No revocation list issued yet."
    qtbot.mouseClick(users_page.crl_button, Qt.MouseButton.LeftButton)
    status = crl_status(svc.store)
    assert status is not None
    assert users_page.revoke_result.text() == f"Issued site CRL number {status[0]}."
    assert users_page.crl_label.text().startswith(f"Site CRL number {status[0]}, issued ")
