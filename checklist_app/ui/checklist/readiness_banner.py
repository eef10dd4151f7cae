"""The readiness banner: READY / NOT READY / INCOMPLETE in colour, word and glyph, with each reason to act on."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ...domain.readiness import Finding, Readiness
from ...domain.ready_from import ready_from_text
from ..shell.i18n import tr
from ..shell.style import STATE_STYLE, WARNING_GLYPH, set_prop, state_text

MAX_FINDINGS = 5  # more would push the checklist off screen; the rest are counted, and F8 walks them all


def summary_text(readiness: Readiness) -> str:
    """'2 blockers · 3 unanswered · 1 warning' (only the parts that are not zero)."""
    parts = []
    for count, one, many in (
        (len(readiness.blockers), tr("{n} blocker"), tr("{n} blockers")),
        (len(readiness.missing), tr("{n} unanswered"), tr("{n} unanswered")),
        (len(readiness.warnings), tr("{n} warning"), tr("{n} warnings")),
    ):
        if count:
            parts.append((one if count == 1 else many).format(n=count))
    return " · ".join(parts) or tr("Every required item answered, nothing blocks")


class FindingLink(QLabel):
    """A wrapping, focusable line that acts like a link: click, Enter or Space jumps to its item.

    Signals:
        activated(str): the item id.
    """

    activated = Signal(str)

    def __init__(self, text: str, item_id: str, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.item_id = item_id
        self.setObjectName(f"finding:{item_id}")
        self.setProperty("finding", kind)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        words = {"blocker": tr("Blocker"), "warning": tr("Warning"), "missing": tr("Missing")}
        self.setAccessibleName(
            tr("{kind}: {text}. Press Enter to go to the item.").format(kind=words.get(kind, kind), text=text[2:])
        )

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.activated.emit(self.item_id)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.activated.emit(self.item_id)
        else:
            super().keyPressEvent(event)


class ReadinessBanner(QFrame):
    """Always at the top of the checklist. Each blocker, warning and the first unanswered item is a
    button that jumps to the item.

    Signals:
        jump_requested(str): the item id to show and focus.
    """

    jump_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("readinessBanner")
        self.state_label = QLabel(self)
        self.state_label.setObjectName("readinessState")
        self.summary_label = QLabel(self)
        self.summary_label.setObjectName("readinessSummary")
        self.summary_label.setWordWrap(True)
        self._top = QHBoxLayout()
        self._top.addWidget(self.state_label)
        self._top.addWidget(self.summary_label, 1)
        self.findings = QWidget(self)
        self.findings.setObjectName("readinessFindings")
        self._findings_layout = QVBoxLayout(self.findings)
        self._findings_layout.setContentsMargins(0, 0, 0, 0)
        self._findings_layout.setSpacing(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(4)
        layout.addLayout(self._top)
        layout.addWidget(self.findings)
        self.state: str | None = None
        self.clear()

    def add_right(self, widget: QWidget) -> None:
        """Put a control (the Sign button) at the right end of the state line."""
        self._top.addWidget(widget, 0, Qt.AlignmentFlag.AlignRight)

    def clear(self) -> None:
        self.state = None
        set_prop(self, "readiness", "none")
        self.state_label.setText(tr("No case open"))
        self.state_label.setAccessibleName(tr("Readiness: no case open"))
        self.summary_label.setText(tr("Pick a case from the worklist, or press Ctrl+N for a new one."))
        self._set_findings([])

    def set_readiness(self, readiness: Readiness, item_texts: Mapping[str, str], note: str = "") -> None:
        """Show a readiness; `note` adds a line such as 'Signed 09:41 by …'."""
        self.state = readiness.state
        set_prop(self, "readiness", readiness.state)
        word = tr(STATE_STYLE.get(readiness.state, (readiness.state, ""))[0])
        self.state_label.setText(state_text(readiness.state))
        self.state_label.setAccessibleName(tr("Readiness: {word}").format(word=word))
        summary = summary_text(readiness)
        if readiness.ready_from is not None:  # READY for the scheduled start, not yet now (Rules v2)
            summary = f"{ready_from_text(readiness.ready_from, readiness.procedure_time)} · {summary}"
        self.summary_label.setText(f"{summary}\n{note}" if note else summary)
        buttons: list[FindingLink] = []
        for finding in readiness.blockers:
            buttons.append(self._finding_button(finding, "blocker"))
        for finding in readiness.warnings:
            buttons.append(self._finding_button(finding, "warning"))
        if readiness.missing:
            first = readiness.missing[0]
            names = [item_texts.get(i, i) for i in readiness.missing[:3]]
            more = tr(" and {n} more").format(n=len(readiness.missing) - 3) if len(readiness.missing) > 3 else ""
            button = self._button(
                tr("○ Unanswered: {names}{more}").format(names="; ".join(_short(n) for n in names), more=more),
                first,
                "missing",
            )
            button.setToolTip(tr("Go to the first unanswered item (F8 walks through every problem)"))
            buttons.append(button)
        self._set_findings(buttons)

    def _finding_button(self, finding: Finding, kind: str) -> FindingLink:
        glyph = "✖" if kind == "blocker" else WARNING_GLYPH
        stop = tr(" (hard stop)") if finding.hard_stop and "hard stop" not in finding.reason else ""
        return self._button(f"{glyph} {finding.reason}{stop}", finding.item, kind)

    def _button(self, text: str, item_id: str, kind: str) -> FindingLink:
        link = FindingLink(text, item_id, kind, self.findings)
        link.activated.connect(self.jump_requested)
        return link

    def finding_links(self) -> list[FindingLink]:
        return [w for w in self.findings.findChildren(FindingLink) if not w.isHidden()]

    def _set_findings(self, buttons: list[FindingLink]) -> None:
        while self._findings_layout.count():
            taken = self._findings_layout.takeAt(0)
            widget = taken.widget() if taken is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        shown = buttons[:MAX_FINDINGS]
        for button in buttons[MAX_FINDINGS:]:
            button.deleteLater()
        for button in shown:
            self._findings_layout.addWidget(button)
            button.show()  # a layout shows new children only later, from the event loop
        if len(buttons) > MAX_FINDINGS:
            more = QLabel(tr("… and {n} more (F8: next problem)").format(n=len(buttons) - MAX_FINDINGS), self.findings)
            more.setObjectName("moreFindings")
            self._findings_layout.addWidget(more)
            more.show()
        self.findings.setVisible(bool(buttons))


def _short(text: str, limit: int = 48) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
