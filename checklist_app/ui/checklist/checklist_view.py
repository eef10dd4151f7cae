"""The checklist of one case, generated from its form: banner on top, sections of item rows, saved per change."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ...domain.errors import ChecklistError, RecordError
from ...domain.forms import MedicationListItem
from ...domain.lifecycle import Action
from ...domain.readiness import Finding
from ...domain.timefmt import local_now
from ...services.errors import ConflictError, StoreUnavailableError
from ...services.models import CaseState, User
from ..shell import msgbox
from ..shell.i18n import tr
from ..shell.style import set_prop
from .item_row import ItemRow
from .item_widgets import make_row
from .medication_widget import MedicationListRow
from .patient_header import PatientHeader
from .readiness_banner import ReadinessBanner

if TYPE_CHECKING:
    from ...services.app import AppServices
    from ..shell.session import Session

REFRESH_MS = 60_000  # holds and fasting change with the clock: re-evaluate every minute


def _row_of(widget: QWidget | None) -> ItemRow | None:
    while widget is not None and not isinstance(widget, ItemRow):
        widget = widget.parentWidget()
    return widget


class ChecklistView(QWidget):
    """Shows one case; every answer goes to `svc.cases.answer` at once, then banner and rows follow.

    Signals:
        case_changed(object): the CaseState after a save, reload or refresh.
        saved(object): the moment (datetime) an answer was saved.
        store_problem(str): the database failed ('' once it works again).
        sign_requested(): the Sign button was pressed.
    """

    case_changed = Signal(object)
    saved = Signal(object)
    store_problem = Signal(str)
    sign_requested = Signal()

    def __init__(self, svc: AppServices, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("checklistView")
        self._svc = svc
        self._session = session
        self._case: CaseState | None = None
        self._rows: dict[str, ItemRow] = {}
        self._sections: list[tuple[QWidget, QLabel, list[str]]] = []
        self._form_key: str | None = None
        self._wide_width: int | None = None
        self._pending: dict[str, tuple[Any, str, str]] = {}

        self.header = PatientHeader(self)
        self.banner = ReadinessBanner(self)
        self.sign_button = QPushButton(tr("Sign…"), self)
        self.sign_button.setObjectName("signButton")
        self.sign_button.setAccessibleName(tr("Sign the checklist"))
        self.sign_button.setToolTip(tr("Sign as prepared by you (Ctrl+S)"))
        self.sign_button.setProperty("primary", True)
        self.sign_button.setAutoDefault(False)
        self.banner.add_right(self.sign_button)
        self.store_error = QFrame(self)
        self.store_error.setObjectName("storeError")
        self.store_error_label = QLabel(self.store_error)
        self.store_error_label.setWordWrap(True)
        self.retry_button = QPushButton(tr("Retry saving"), self.store_error)
        self.retry_button.setObjectName("retrySave")
        self.retry_button.setAutoDefault(False)
        strip = QHBoxLayout(self.store_error)
        strip.setContentsMargins(10, 4, 10, 4)
        strip.addWidget(self.store_error_label, 1)
        strip.addWidget(self.retry_button)
        self.store_error.hide()

        self.body = QWidget()
        self.body.setObjectName("checklistBody")
        self.body_layout = QVBoxLayout(self.body)
        self.body_layout.setContentsMargins(2, 0, 8, 12)
        self.body_layout.setSpacing(4)
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setObjectName("checklistScroll")
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setWidget(self.body)
        self.scroll_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        # Rows lay out by the width actually visible, never their own: a row wider than the view would
        # otherwise never learn it is too wide (200% scaling, a half-screen window).
        self.scroll_area.viewport().installEventFilter(self)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.setSpacing(6)
        layout.addWidget(self.header)
        layout.addWidget(self.banner)
        layout.addWidget(self.store_error)
        layout.addWidget(self.scroll_area, 1)

        self._refresh_timer = QTimer(self)
        self._refresh_timer.setInterval(REFRESH_MS)

        self.banner.jump_requested.connect(self.jump_to)
        self.sign_button.clicked.connect(self.sign_requested)
        self.retry_button.clicked.connect(self.retry_pending)
        self._refresh_timer.timeout.connect(self.refresh)
        QApplication.instance().focusChanged.connect(self._on_focus_changed)  # type: ignore[union-attr]
        self.clear()

    # -- public ------------------------------------------------------------------------------------------------
    @property
    def case(self) -> CaseState | None:
        return self._case

    def row(self, item_id: str) -> ItemRow:
        return self._rows[item_id]

    def set_user(self, user: User | None) -> None:
        """The session's user changed: the open case is editable or not for them."""
        if self._case is not None:
            self._apply(self._case)

    def may_edit(self) -> bool:
        user = self._session.user
        return (
            self._case is not None
            and user is not None
            and self._svc.documents.why_not(user, self._case, Action.ANSWER) is None
        )

    def clear(self) -> None:
        """No case: nothing about any patient stays on screen."""
        self._case = None
        self._pending.clear()
        self._refresh_timer.stop()
        self._build_rows(None)
        self.header.show_case(None)
        self.header.hide()
        self.banner.clear()
        self.sign_button.hide()
        self._show_store_error("")

    def load(self, case: CaseState) -> None:
        """Show a case freshly opened from the store."""
        same = self._case is not None and self._case.record_id == case.record_id
        if not same:
            self._pending.clear()
            self._show_store_error("")
        self._build_rows(case)
        self.header.show()
        self._apply(case)
        self._refresh_timer.start()
        if not same:
            self.scroll_area.verticalScrollBar().setValue(0)

    def reload(self) -> None:
        """Read the case again from the store (after a conflict, or to see another workstation's change)."""
        user = self._session.user
        if self._case is None or user is None:
            return
        try:
            case = self._svc.cases.open_case(user, self._case.record_id)
        except StoreUnavailableError as exc:
            self._show_store_error(str(exc))
            return
        except ChecklistError as exc:
            msgbox.warn(self, tr("Reload"), str(exc))
            return
        self._pending.clear()
        for row in self._rows.values():
            row.show_error("")
        self.load(case)

    def refresh(self) -> None:
        """Re-evaluate readiness with the current time (no save)."""
        if self._case is not None:
            try:
                case = self._svc.cases.refresh(self._case)
            except ChecklistError:
                return  # the shown readiness stays; the next save or reload re-evaluates and reports
            self._apply(case)

    def focus_first(self) -> None:
        """Focus the first unanswered item (else the first item) — where a nurse picks up after a pause."""
        if self._case is None:
            return
        missing = [i for i in self._case.readiness.missing if i in self._rows]
        target = missing[0] if missing else next((i for i in self._visible_ids()), None)
        if target:
            self.jump_to(target)

    def jump_to(self, item_id: str) -> None:
        row = self._rows.get(item_id)
        if row is None or row.isHidden():
            return
        self.scroll_area.ensureWidgetVisible(row, 0, 40)
        row.focus_input()

    def next_problem(self) -> None:
        """Go to the next blocker, warning or unanswered item after the focused one, in form order (F8)."""
        if self._case is None:
            return
        r = self._case.readiness
        problems = {b.item for b in r.blockers} | set(r.missing) | {w.item for w in r.warnings}
        ids = self._visible_ids()
        current = _row_of(QApplication.focusWidget())
        start = ids.index(current.item.id) + 1 if current is not None and current.item.id in ids else 0
        for item_id in ids[start:] + ids[:start]:
            if item_id in problems:
                self.jump_to(item_id)
                return

    # -- answers -----------------------------------------------------------------------------------------------
    def _on_answer(self, item_id: str, value: Any, na_reason: str, note: str = "") -> None:
        user = self._session.user
        if self._case is None or user is None or not self.may_edit():
            return
        row = self._rows[item_id]
        try:
            case = self._svc.cases.answer(user, self._case, item_id, value, na_reason=na_reason, note=note)
        except RecordError as exc:
            if exc.where == "procedure.level" and self._confirm_level(user):
                self._on_answer(item_id, value, na_reason, note)  # once the level is saved, the answer is
                return
            row.show_error(getattr(exc, "nurse_message", exc.message))  # the ward's words where there are some
            return
        except ConflictError as exc:
            msgbox.warn(
                self,
                tr("Changed on another workstation"),
                str(exc),
                tr("The checklist is reloaded now; check your last answer and give it again."),
            )
            self.reload()
            return
        except StoreUnavailableError as exc:
            # Never pretend: the row keeps the value on screen, marked "not saved", until a retry works.
            self._pending[item_id] = (value, na_reason, note)
            row.show_value(value)
            row.show_error(tr("the database cannot be reached."))
            self._show_store_error(str(exc))
            return
        except ChecklistError as exc:
            msgbox.warn(self, tr("Not saved"), str(exc))
            self.reload()
            return
        self._pending.pop(item_id, None)
        row.show_error("")
        self._apply(case)
        self.saved.emit(case.saved_at or local_now())
        if not self._pending:
            self._show_store_error("")

    def _confirm_level(self, user: User) -> bool:
        """The schedule gave no spinal level: the nurse types it before the first answer (design.md)."""
        assert self._case is not None
        level = msgbox.ask_text(
            self,
            tr("Confirm the level"),
            tr("The schedule gave no spinal level for this procedure. Level (e.g. L4-L5):"),
        )
        if level is None or not level.strip():
            return False
        try:
            case = self._svc.schedule.confirm_level(user, self._case, level)
        except ChecklistError as exc:
            msgbox.warn(self, tr("Level not saved"), str(exc))
            return False
        self._apply(case)
        return True

    def retry_pending(self) -> None:
        for item_id, (value, na_reason, note) in list(self._pending.items()):
            self._on_answer(item_id, value, na_reason, note)
            if item_id in self._pending:
                break  # still down: stop, the strip still says so

    def _show_store_error(self, message: str) -> None:
        if message:
            self.store_error_label.setText(
                tr(
                    "⚠ NOT SAVED — {message} Your last answers stay on screen, "
                    "marked “not saved”; press Retry saving when the database is back."
                ).format(message=message)
            )
        self.store_error.setVisible(bool(message))
        self.store_problem.emit(message)

    # -- building and updating ---------------------------------------------------------------------------------
    def _build_rows(self, case: CaseState | None) -> None:
        key = None if case is None else case.form.content_hash
        if key == self._form_key:
            return
        self._form_key = key
        while self.body_layout.count():
            taken = self.body_layout.takeAt(0)
            widget = taken.widget() if taken is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self._rows.clear()
        self._sections.clear()
        self._wide_width = None
        if case is None:
            return
        for section in case.form.sections:
            box = QWidget(self.body)
            box.setObjectName(f"section:{section.id}")
            box_layout = QVBoxLayout(box)
            box_layout.setContentsMargins(0, 0, 0, 0)
            box_layout.setSpacing(4)
            title = QLabel(section.title, box)
            title.setObjectName("sectionHeader")
            count = QLabel(box)
            count.setObjectName("sectionCount")
            head = QHBoxLayout()
            head.setSpacing(0)
            head.addWidget(title, 1)
            head.addWidget(count)
            box_layout.addLayout(head)
            for item in section.items:
                row = make_row(item, case.form, box)
                row.answer_requested.connect(self._on_answer)
                row.navigate.connect(self._on_navigate)
                box_layout.addWidget(row)
                self._rows[item.id] = row
            self.body_layout.addWidget(box)
            self._sections.append((box, count, [i.id for i in section.items]))
        self.body_layout.addStretch(1)
        self._fit_rows()

    def _apply(self, case: CaseState) -> None:
        self._case = case
        r = case.readiness
        applicable = set(r.applicable)
        blockers: dict[str, Finding] = {}
        for blocker in r.blockers:
            blockers.setdefault(blocker.item, blocker)
        warnings: dict[str, Finding] = {}
        for warning in r.warnings:
            warnings.setdefault(warning.item, warning)
        editable = self.may_edit()
        holds = list(r.holds)
        for item_id, row in self._rows.items():
            if isinstance(row.item, MedicationListItem) and isinstance(row, MedicationListRow):
                row.set_holds(holds)
            if row.editable != editable:
                row.set_editable(editable)
            if item_id in self._pending:
                continue  # keep the unsaved value and its marker
            finding = blockers.get(item_id) or warnings.get(item_id)
            row.set_state(case.record.answers.get(item_id), finding, item_id not in blockers)
            # Items come and go with the form's conditions; an answer to a hidden item is kept, not shown.
            row.setVisible(item_id in applicable)
        # "Answered" is the engine's word, not the widget's: an N/A without its reason still counts as missing.
        missing = set(r.missing)
        answered = {i for i in applicable if case.record.value(i) is not None and i not in missing}
        for box, count, ids in self._sections:
            shown = [i for i in ids if i in applicable]
            box.setVisible(bool(shown))
            done = sum(1 for i in shown if i in answered)
            count.setText(tr("{done} of {n} answered").format(done=done, n=len(shown)))
        self.header.show_case(case)
        note = ""
        if case.signed_at is not None:
            note = tr("{status} {at:%a %d %b %H:%M} — read-only").format(
                status=case.status.capitalize(), at=case.signed_at.astimezone()
            )
        self.banner.set_readiness(r, {i: row.item.text for i, row in self._rows.items()}, note)
        # Who may sign what is the service's rule: the dialog says so if this user may not.
        self.sign_button.setVisible(self.may_edit())
        self.case_changed.emit(case)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.scroll_area.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_rows()
        return super().eventFilter(watched, event)

    def _fit_rows(self) -> None:
        # One layout for all rows (scanning a list is easier when every answer sits in the same place).
        if self._wide_width is None:
            self._wide_width = max((row.wide_width() for row in self._rows.values()), default=0)
        margins = self.body_layout.contentsMargins()
        narrow = self.scroll_area.viewport().width() - margins.left() - margins.right() < self._wide_width
        for row in self._rows.values():
            row.set_narrow(narrow)

    def _visible_ids(self) -> list[str]:
        return [i for i, row in self._rows.items() if not row.isHidden()]

    def _on_navigate(self, row: ItemRow, step: int) -> None:
        ids = self._visible_ids()
        if row.item.id not in ids:
            return
        index = ids.index(row.item.id) + step
        if 0 <= index < len(ids):
            self.jump_to(ids[index])

    def _on_focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        old_row, new_row = _row_of(old), _row_of(new)
        if old_row is new_row:
            return
        if old_row is not None and old_row.parent() is not None:
            set_prop(old_row, "current", False)
        if new_row is not None and new_row.item.id in self._rows and self._rows[new_row.item.id] is new_row:
            set_prop(new_row, "current", True)
            self.scroll_area.ensureWidgetVisible(new_row, 0, 24)
