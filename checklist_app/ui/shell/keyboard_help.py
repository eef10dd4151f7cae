"""F1: every key, one per line under its screen, in a window that is as wide as the longest line (a message box
wrapped the aligned lines mid-phrase)."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QScrollArea, QVBoxLayout, QWidget

from .i18n import tr


def sections() -> list[tuple[str, list[tuple[str, str]]]]:
    """(screen, [(keys, what they do)]) in the order a nurse meets them."""
    return [
        (
            tr("Worklist"),
            [
                (tr("↑ / ↓"), tr("pick a case")),
                (tr("Enter"), tr("open it")),
                (tr("Ctrl+F"), tr("scan or type an MRN")),
                (tr("Ctrl+N"), tr("new case")),
                (tr("Alt+← / Alt+→"), tr("the day before / after")),
            ],
        ),
        (
            tr("Checklist"),
            [
                (tr("Tab, ↑ / ↓"), tr("next or previous item")),
                (tr("Space"), tr("Met")),
                (tr("1 / 2 / 3 …"), tr("answer: Met, Not met, N/A; Yes, No; the options in order")),
                (tr("N or F2"), tr("note")),
                (tr("Delete"), tr("clear the answer")),
                (tr("Esc"), tr("cancel an N/A reason or a note")),
                (tr("Times"), tr("type 08:00, yesterday 20:00, sat 08:00, 2026-11-21 08:00 or now, then Enter")),
                (tr("Medicines"), tr("part of a drug name, Enter, its last dose, Enter; 'none' + Enter = none taken")),
                (tr("F8"), tr("next blocker, warning or unanswered item")),
                (tr("F6"), tr("worklist ↔ checklist")),
                (tr("F5"), tr("read the page again")),
            ],
        ),
        (
            tr("Signing and the PDF"),
            [
                (tr("Ctrl+S"), tr("sign (password, Enter)")),
                (tr("Ctrl+P"), tr("PDF preview; in it Ctrl+P prints")),
                (tr("Ctrl+Shift+S"), tr("save the PDF as…")),
                (tr("Esc"), tr("close the preview")),
            ],
        ),
        (
            tr("Not going ahead"),
            [
                (tr("Ctrl+Shift+R"), tr("reschedule")),
                (tr("Ctrl+Shift+X"), tr("cancel (signed “Not ready — procedure cancelled”)")),
            ],
        ),
        (tr("Print queue"), [(tr("Ctrl+P"), tr("print the selected records")), (tr("Enter"), tr("preview"))]),
        (
            tr("Anywhere"),
            [(tr("Ctrl+1, Ctrl+2 …"), tr("pages")), (tr("Ctrl+L"), tr("lock the screen")), (tr("F1"), tr("this help"))],
        ),
    ]


def help_html() -> str:
    rows: list[str] = []
    for title, keys in sections():
        rows.append(f"<tr><td colspan='2' style='padding-top:8px'><b>{escape(title)}</b></td></tr>")
        rows.extend(
            f"<tr><td style='padding-right:16px; white-space:nowrap'><b>{escape(key)}</b></td>"
            f"<td style='white-space:nowrap'>{escape(what)}</td></tr>"
            for key, what in keys
        )
    return f"<table cellspacing='0' cellpadding='2'>{''.join(rows)}</table>"


class KeyboardHelpDialog(QDialog):
    """Non-modal, so it can stay open beside the checklist while the keys are tried."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("keyboardHelp")
        self.setWindowTitle(tr("Keyboard"))
        intro = QLabel(tr("Every command works from the keyboard:"), self)
        self.table = QLabel(help_html(), self)
        self.table.setObjectName("keyboardHelpTable")
        self.table.setTextFormat(Qt.TextFormat.RichText)
        self.table.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        scroll = QScrollArea(self)
        scroll.setWidget(self.table)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
        # As wide as the longest line (never wrapped), as tall as fits the screen; it scrolls beyond that.
        hint = self.table.sizeHint()
        screen = (parent.screen() if parent is not None else self.screen()).availableGeometry()
        scrollbar = scroll.verticalScrollBar().sizeHint().width()
        self.resize(
            min(hint.width() + scrollbar + 48, screen.width() - 40),
            min(hint.height() + intro.sizeHint().height() + 100, screen.height() - 80),
        )
