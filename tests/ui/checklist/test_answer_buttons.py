"""Issue 12 item 8: a chosen answer is drawn bold (app.qss); its button stays wide enough for the bold text."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QApplication, QPushButton

from checklist_app.services.models import CaseState
from checklist_app.ui.checklist.item_widgets import CheckRow
from checklist_app.ui.checklist.medication_widget import MedicationListRow
from tests.helpers.ui import READY_BUT_MEDS


def test_selected_not_met_and_none_taken_show_their_whole_text(
    qtbot: Any, window: Any, make_case: Callable[..., CaseState]
) -> None:
    answers = {**READY_BUT_MEDS, "consent.signed": "not_met", "anticoagulants": []}
    window.open_case(make_case(answers).record_id)
    QApplication.processEvents()
    chosen = [b for row in window.checklist.findChildren(CheckRow) for b in row.buttons.values() if b.isChecked()]
    chosen += [row.none_button for row in window.checklist.findChildren(MedicationListRow)]
    texts = {b.text() for b in chosen}
    assert "2  Not met" in texts and "None taken" in texts
    for button in chosen:
        bold = QFont(button.font())  # app.qss draws a chosen answer bold (a pseudo-state: not in font())
        bold.setBold(True)
        needed = QFontMetrics(bold).horizontalAdvance(button.text()) + 2 * 10 + 2
        assert button.width() >= needed, f"{button.text()!r} is cut: {button.width()} < {needed} px"


def test_unchosen_buttons_keep_room_for_bold_too(qtbot: Any, window: Any, make_case: Callable[..., CaseState]) -> None:
    """Choosing an answer must not make the row jump: the widths are the same before and after."""
    case = make_case({**READY_BUT_MEDS, "anticoagulants": []})
    window.open_case(case.record_id)
    QApplication.processEvents()
    row = next(r for r in window.checklist.findChildren(CheckRow) if r.item.id == "consent.signed")
    button: QPushButton = row.buttons["not_met"]
    before = button.width()
    button.click()
    QApplication.processEvents()
    assert button.isChecked() and button.width() == before
