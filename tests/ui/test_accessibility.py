"""Every control a keyboard or screen-reader user reaches has a name; Tab walks the checklist in form order."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

from checklist_app.services.models import CaseState
from checklist_app.ui.checklist.item_row import ItemRow
from tests.helpers.ui import READY_BUT_MEDS, focused, past, press


def reachable(root: QWidget) -> list[QWidget]:
    return [
        w
        for w in root.findChildren(QWidget)
        if w.isVisible() and w.isEnabled() and w.focusPolicy() & Qt.FocusPolicy.TabFocus
    ]


def spoken_name(widget: QWidget) -> str:
    if widget.accessibleName():
        return widget.accessibleName()
    if isinstance(widget, QAbstractButton):
        return widget.text()
    return ""


def test_every_reachable_control_has_a_name(window: Any, make_case: Callable[..., CaseState]) -> None:
    meds = [{"drug": "warfarin", "last_dose_at": past(30).isoformat()}]
    window.open_case(
        make_case({"sedation.planned": "yes", "diabetes.present": "yes", "anticoagulants": meds}).record_id
    )
    unnamed = [
        f"{type(w).__name__} {w.objectName()!r} in {w.parentWidget().objectName()!r}"
        for w in reachable(window)
        if not spoken_name(w)
    ]
    assert unnamed == [], "\n".join(unnamed)


def test_tab_walks_the_items_in_form_order(qtbot: Any, window: Any, make_case: Callable[..., CaseState]) -> None:
    """From the first item, Tab visits each answer row in the order of the form (no detours)."""
    checklist = window.checklist
    window.open_case(make_case(READY_BUT_MEDS).record_id)
    checklist.jump_to("patient.two_identifiers")
    seen: list[str] = []
    for _ in range(12):
        row = focused() if isinstance(focused(), ItemRow) else None
        if row is not None:
            seen.append(row.item.id)
        press(qtbot, Qt.Key.Key_Tab)
    expected = [i for i in checklist.case.form.items if not checklist.row(i).isHidden()][: len(seen)]
    assert seen[:7] == expected[:7]
    assert QApplication.focusWidget() is not None
