"""No widget text bypasses tr(): the main screens, built under a pseudo-translation, show no plain-English word
that is not data.

The pseudo-translator turns every catalogue text that goes through tr() (and Qt's own texts) into full-width
letters, keeping the {placeholders}. A text left as a plain literal, or passed to tr() without lupdate seeing it
(no QT_TR_NOOP where it is defined), keeps its ASCII letters, and so
does data: patient and user names, MRNs, the form's item texts, record values, and the texts the lower layers
(domain, services) build, which are out of this catalogue's scope. Those are collected from the objects the
screens were given (and what the services answered about them) and removed first; any ASCII letter left is a
bypass.
"""

from __future__ import annotations

import calendar
import dataclasses
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel
from PySide6.QtCore import QAbstractListModel, QModelIndex, Qt, QTranslator
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDateEdit,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QTabBar,
    QWidget,
)

from checklist_app.domain.answer_text import CHECK_WORDS, NONE_TAKEN, UNANSWERED, YES_NO_WORDS, answer_text
from checklist_app.domain.lifecycle import CANCELLED_LABEL, Action, Meaning, Role, Status
from checklist_app.services.app import AppServices
from checklist_app.services.demo import READY_ANSWERS
from checklist_app.services.models import CaseFilter, CaseState, User
from checklist_app.ui.cases.outcome_dialogs import CancelCaseDialog
from checklist_app.ui.records.ehr_export import EhrExportDialog
from checklist_app.ui.records.record_dialogs import AmendDialog, CoSignDialog
from checklist_app.ui.shell.i18n import tr
from tests.helpers.records_env import RecordsEnv
from tests.helpers.ui import DRUG_FOLLOW_UPS, READY_BUT_MEDS, Messages, past, press, show_window

FULL_WIDTH = {c: chr(ord(c) + 0xFEE0) for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"}
PLACEHOLDER = re.compile(r"(\{[^{}]*\})")
SHORTCUT = re.compile(r"(?:(?:Ctrl|Alt|Shift|Meta)\+)+\w+|\bF\d{1,2}\b")
ROWS_CHECKED = 20
CUT_SHORT_AT = 24  # the banner shortens item texts to 48 characters; a text cut shorter than this is not data


def pseudo(text: str) -> str:
    """Every letter full-width, except inside {placeholders} (str.format fills them in later)."""
    return "".join(
        part if PLACEHOLDER.fullmatch(part) else "".join(FULL_WIDTH.get(c, c) for c in part)
        for part in PLACEHOLDER.split(text)
    )


class PseudoTranslator(QTranslator):
    """Our texts only when the catalogue has them (lupdate saw the literal), and Qt's own (other contexts)."""

    def __init__(self, catalogue: set[str]) -> None:
        super().__init__()
        self.catalogue = catalogue

    def translate(self, context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str:
        return pseudo(source) if context or source in self.catalogue else source

    def isEmpty(self) -> bool:
        return False


@pytest.fixture
def pseudo_translated(qapp: QApplication) -> Iterator[None]:
    root = ET.parse(Path(__file__).resolve().parents[2] / "resources" / "i18n" / "checklist_app.ts").getroot()
    translator = PseudoTranslator({m.findtext("source") or "" for m in root.iter("message")})
    qapp.installTranslator(translator)
    try:
        yield
    finally:
        qapp.removeTranslator(translator)


def _lower_layer_words() -> Iterator[str]:
    """The domain's own words the screens show as they are (answer words, statuses, roles, meanings)."""
    yield from (*CHECK_WORDS.values(), *YES_NO_WORDS.values(), UNANSWERED, NONE_TAKEN, CANCELLED_LABEL)
    for enum in (Status, Role, Meaning):
        for member in enum:
            yield from (member.value, member.value.capitalize(), getattr(member, "label", member.value))
    yield from (*calendar.day_abbr, *calendar.month_abbr, *calendar.day_name)


def _strings(value: Any, depth: int = 0) -> Iterator[str]:
    """Every string inside a record, form, user or result object (pydantic models, dataclasses, containers)."""
    if depth > 12:
        return
    if isinstance(value, str):
        yield value
    elif isinstance(value, BaseModel):
        yield from _strings(value.model_dump(), depth + 1)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        yield from _strings({f.name: getattr(value, f.name) for f in dataclasses.fields(value)}, depth + 1)
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(k, depth + 1)
            yield from _strings(v, depth + 1)
    elif isinstance(value, list | tuple | set | frozenset):
        for v in value:
            yield from _strings(v, depth + 1)
    elif hasattr(value, "__dict__") and type(value).__module__.startswith("checklist_app."):
        yield from _strings(vars(value), depth + 1)


class Data:
    """The texts a screen may show untranslated, longest first (so 'L4-L5' goes before 'L4')."""

    def __init__(self, svc: AppServices, *objects: Any) -> None:
        found = {svc.db_display, *_lower_layer_words()}
        for obj in objects:
            found |= set(_strings(obj))
        self._set({t for t in found if re.search(r"[A-Za-z]", t)})

    def add(self, *objects: Any) -> None:
        self._set(set(self.texts) | {t for obj in objects for t in _strings(obj) if re.search(r"[A-Za-z]", t)})

    def _set(self, texts: set[str]) -> None:
        self.texts = sorted(texts, key=len, reverse=True)
        # Whole words only: a data 'C' must not hide the C of a plain "Clear filters".
        self._pattern = re.compile("(?<![A-Za-z])(?:" + "|".join(map(re.escape, self.texts)) + ")(?![A-Za-z])")

    def leftover(self, text: str) -> str:
        """`text` without its translated letters, data and key names: what is left is plain English."""
        text = re.sub(r"<[^<>]*>", " ", text)  # a rich-text label's markup is not a text shown
        rest = re.sub(r"([^;:…]+)…", self._cut_short, SHORTCUT.sub(" ", text.replace("&", "")))
        return self._pattern.sub(" ", rest)

    def _cut_short(self, match: re.Match[str]) -> str:
        """'Identity confirmed with two identifiers (name +…': a long data text shortened to fit (never a short
        one such as 'Sign…', which would pass for a cut 'Signed')."""
        start = match.group(1).strip()
        long = len(start) >= CUT_SHORT_AT
        return " " if long and any(t.startswith(start) for t in self.texts) else match.group(0)


def _model_texts(view: QAbstractItemView) -> Iterator[str]:
    model = view.model()
    if model is None:
        return
    columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount()  # a list's is private
    for column in range(columns):
        yield str(model.headerData(column, Qt.Orientation.Horizontal) or "")
        for row in range(min(model.rowCount(QModelIndex()), ROWS_CHECKED)):
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                yield str(model.data(model.index(row, column), role) or "")


def _widget_texts(widget: QWidget) -> Iterator[str]:
    yield from (widget.accessibleName(), widget.accessibleDescription(), widget.toolTip(), widget.statusTip())
    if widget.isWindow():
        yield widget.windowTitle()
    if isinstance(widget, QLabel | QAbstractButton):
        yield widget.text()
    if isinstance(widget, QLineEdit):
        yield widget.placeholderText()
    if isinstance(widget, QGroupBox):
        yield widget.title()
    if isinstance(widget, QMenu):
        yield widget.title()
    if isinstance(widget, QDateEdit):
        yield widget.specialValueText()
    if isinstance(widget, QComboBox):
        yield from (widget.itemText(i) for i in range(widget.count()))
    if isinstance(widget, QTabBar):
        yield from (widget.tabText(i) for i in range(widget.count()))
    if isinstance(widget, QAbstractItemView) and not isinstance(widget.parent(), QComboBox):
        yield from _model_texts(widget)
    for action in widget.actions():
        yield from (action.text(), action.toolTip(), action.statusTip())


def untranslated(roots: Iterable[QWidget], data: Data) -> dict[str, str]:
    """Texts shown in `roots` (and everything inside them) that still hold plain English words: text → words."""
    found = {}
    for root in roots:
        for widget in [root, *root.findChildren(QWidget)]:
            for text in _widget_texts(widget):
                rest = data.leftover(text)
                if re.search(r"[A-Za-z]", rest):
                    found[text] = " ".join(re.findall(r"[A-Za-z]+", rest))
    return found


def refusals(svc: AppServices, users: list[User], cases: list[Any]) -> list[str]:
    """What the services say a user may not do to a case: shown as tooltips and hints, in the domain's words."""
    return [
        why
        for user in users
        for case in cases
        for action in Action
        if (why := svc.documents.why_not(user, case, action))
    ]


def case_words(cases: list[CaseState]) -> list[str]:
    """The domain's plain words for each answer, and the first word of each procedure label (the worklist's
    short form)."""
    words = [
        answer_text(item, case.record.answers[item_id].value)
        for case in cases
        for item_id, item in case.form.items.items()
        if item_id in case.record.answers
    ]
    return words + [kind.label.split(" ")[0] for case in cases for kind in case.form.procedure_table.values()]


def manifestations(svc: AppServices, users: list[User]) -> list[str]:
    """The signature statements the services word (and date: this minute or the one before) for each signer."""
    now = datetime.now().astimezone()
    return [
        svc.documents.manifestation(user, meaning, at=at)
        for user in users
        for meaning in Meaning
        for at in (now, now - timedelta(minutes=1))
    ]


def shown_windows() -> list[QWidget]:
    return [w for w in QApplication.topLevelWidgets() if w.isVisible()]


def test_a_plain_literal_is_caught(qtbot: Any, svc: AppServices, pseudo_translated: None) -> None:
    """The check itself: a translated label passes, the same words as a literal do not, data does."""
    box = QWidget()
    qtbot.addWidget(box)
    QLabel(tr("Signed records waiting to be printed"), box)
    QLabel("Avery Example", box).setToolTip(tr("{name} · MRN {mrn}").format(name="Avery Example", mrn="MRN100001"))
    data = Data(svc, {"patient": "Avery Example", "mrn": "MRN100001"})
    assert untranslated([box], data) == {}
    QLabel("Signed records waiting to be printed", box)
    assert list(untranslated([box], data)) == ["Signed records waiting to be printed"]


def test_the_nurse_screens_show_only_translated_texts(
    qtbot: Any,
    svc: AppServices,
    nurse: User,
    messages: Messages,
    make_case: Callable[..., CaseState],
    pseudo_translated: None,
) -> None:
    held = make_case(
        {
            **READY_BUT_MEDS,
            **DRUG_FOLLOW_UPS,
            "anticoagulants": [{"drug": "apixaban", "last_dose_at": past(10).isoformat()}],
        },
        name="Blake Example",
        mrn="MRN100002",
    )
    ready = make_case(READY_ANSWERS)
    open_case = make_case({}, name="Casey Example", mrn="MRN100003")
    window = show_window(qtbot, svc, nurse)
    cases = [held, ready, open_case]
    data = Data(svc, nurse, cases, held.form, refusals(svc, [nurse], cases), case_words(cases))
    for case in (held, open_case, ready):
        window.open_case(case.record_id)
        assert untranslated([window], data) == {}
    press(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(shown_windows()) > 1)
    data.add(manifestations(svc, [nurse]))
    assert untranslated(shown_windows(), data) == {}  # the sign dialog
    for dialog in shown_windows():
        if dialog is not window:
            dialog.close()
    new_case = window.new_case()
    assert new_case is not None
    assert untranslated([new_case], data) == {}
    new_case.close()
    window.open_case(open_case.record_id)
    cancel = CancelCaseDialog(svc, nurse, window.checklist.case, window)
    qtbot.addWidget(cancel)
    cancel.show()
    assert untranslated([cancel], data) == {}
    cancel.close()
    window.lock()
    assert untranslated([window], data) == {}


def test_the_records_screens_show_only_translated_texts(
    qtbot: Any, records_env: RecordsEnv, messages: Messages, pseudo_translated: None
) -> None:
    svc = records_env.svc
    everyone = svc.auth.create_user("ana", "Ana Allroles", set(Role), "all-the-roles-2026", actor="test")
    window = show_window(qtbot, svc, everyone)
    page = svc.cases.search(CaseFilter(), limit=ROWS_CHECKED)
    signed = [svc.cases.open_case(records_env.charge, record_id) for record_id in records_env.signed_ids]
    data = Data(
        svc,
        everyone,
        records_env.nurse,
        records_env.charge,
        records_env.coordinator,
        page.rows,
        svc.cases.search(CaseFilter(status="signed"), limit=ROWS_CHECKED).rows,
        signed,
        signed[0].form,
        refusals(svc, [everyone, records_env.charge], [*signed, *page.rows]),
        case_words(signed),
    )
    for shortcut in range(1, window.tabs.count() + 1):  # every page the user sees
        press(qtbot, Qt.Key(Qt.Key.Key_0 + shortcut), Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.count() >= 3
    assert untranslated([window], data) == {}
    records = window.records_page
    records.text_edit.setText(signed[0].record.patient.mrn)
    records.apply_filters()
    dialog = records.open_current()
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.document.pageCount() >= 1)
    data.add(svc.documents.check(signed[0].record_id).lines())
    title = dialog.title
    for extra in (
        CoSignDialog(svc, records_env.charge, signed[0].record_id, title, window),
        AmendDialog(svc, records_env.charge, signed[0].record_id, title, window),
        EhrExportDialog(svc, records_env.charge, signed[0].record_id, title, window),
    ):
        qtbot.addWidget(extra)
        extra.show()
    data.add(manifestations(svc, [records_env.charge]))
    assert untranslated(shown_windows(), data) == {}
