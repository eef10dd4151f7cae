"""Translation-ready: the catalogue is current, a .qm for the locale is loaded, and no wrapped screen shows a text
the catalogue does not know. Modules not yet wrapped are listed by name and the list may only shrink."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QWidget

from checklist_app.services.app import AppServices
from checklist_app.ui.accounts.first_run_dialog import FirstRunDialog
from checklist_app.ui.shell.i18n import install_translator, tr

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "resources" / "i18n" / "checklist_app.ts"
LUPDATE = Path(sys.executable).with_name("pyside6-lupdate")
LRELEASE = Path(sys.executable).with_name("pyside6-lrelease")

# Not yet through tr(): their texts are still plain literals. Wrap one, then take it off this list.
NOT_YET_WRAPPED = {
    "accounts/login_dialog.py", "accounts/password_dialog.py", "cases/sign_dialog.py",
    "cases/worklist_view.py", "checklist/checklist_view.py",
    "checklist/datetime_entry.py", "checklist/item_widgets.py",
    "checklist/medication_widget.py", "checklist/patient_header.py", "checklist/readiness_banner.py",
    "records/pdf_preview.py", "records/print_queue_view.py", "records/record_dialogs.py",
    "records/record_printing.py", "records/records_model.py", "records/records_view.py", "records/verification.py",
    "cases/schedule_refresh.py",
    "shell/app.py", "shell/commands.py", "shell/fields.py", "shell/idle_lock.py", "shell/main_window.py",
    "shell/msgbox.py", "shell/page_tabs.py",
}
# Modules that show no text of their own (they show what their callers pass, or nothing).
NO_TEXT_OF_THEIR_OWN = {
    "cases/cases_page.py", "shell/i18n.py", "shell/session.py", "shell/single_instance.py", "shell/style.py",
    "shell/table_model.py", "shell/window_state.py", "shell/worker.py",
}


def _sources(ts: Path) -> set[str]:
    return {m.findtext("source") or "" for m in ET.parse(ts).getroot().iter("message")}


def _known(text: str, sources: set[str]) -> bool:
    """A text on screen is the catalogue's own, or one of its texts with the {placeholders} filled in."""
    plain = text.replace("&", "")
    for source in sources:
        pattern = ".+".join(re.escape(part.replace("&", "")) for part in re.split(r"\{\w+\}", source))
        if re.fullmatch(pattern, plain, re.DOTALL):
            return True
    return False


def _texts(root: QWidget) -> list[str]:
    texts = [root.windowTitle()]
    for widget in [root, *root.findChildren(QWidget)]:
        texts.append(widget.accessibleName())
        if isinstance(widget, QLabel | QAbstractButton):
            texts.append(widget.text())
        if isinstance(widget, QLineEdit):
            texts.append(widget.placeholderText())
    return [t for t in texts if t.strip()]


def test_every_ui_module_is_wrapped_or_listed() -> None:
    ui = ROOT / "checklist_app" / "ui"
    modules = {p.relative_to(ui).as_posix() for p in ui.rglob("*.py") if p.name != "__init__.py"}
    wrapped = {m for m in modules if "import tr" in (ui / m).read_text(encoding="utf-8")}
    assert not (wrapped & NOT_YET_WRAPPED), "wrapped now: take these off NOT_YET_WRAPPED"
    assert modules - wrapped - NOT_YET_WRAPPED - NO_TEXT_OF_THEIR_OWN == set(), "a new module: wrap its texts"


def test_the_catalogue_is_current(tmp_path: Path) -> None:
    """scripts/translations regenerates it; a tr() added without running it fails here."""
    fresh = tmp_path / "fresh.ts"
    files = sorted(str(p) for p in (ROOT / "checklist_app" / "ui").rglob("*.py"))
    subprocess.run([str(LUPDATE), "-no-obsolete", "-locations", "none", *files, "-ts", str(fresh)],
                   check=True, capture_output=True)
    assert _sources(fresh) == _sources(CATALOGUE)


def test_the_first_run_screen_shows_only_catalogue_texts(qtbot: Any, svc: AppServices) -> None:
    dialog = FirstRunDialog(svc)
    qtbot.addWidget(dialog)
    dialog.show()
    sources = _sources(CATALOGUE)
    unknown = [t for t in _texts(dialog) if not _known(t, sources)]
    assert unknown == []


def test_a_translation_for_the_locale_is_loaded(tmp_path: Path) -> None:
    ts = tmp_path / "checklist_app_fr.ts"
    text = CATALOGUE.read_text(encoding="utf-8").replace(
        '<source>Quit</source>\n        <translation type="unfinished"></translation>',
        "<source>Quit</source>\n        <translation>Quitter</translation>")
    assert "Quitter" in text
    ts.write_text(text.replace('<TS version="2.1">', '<TS version="2.1" language="fr">'), encoding="utf-8")
    subprocess.run([str(LRELEASE), str(ts), "-qm", str(tmp_path / "checklist_app_fr.qm")], check=True,
                   capture_output=True)
    app = QCoreApplication.instance()
    assert app is not None
    translator = install_translator(app, QLocale("fr_CA"), str(tmp_path))
    try:
        assert translator is not None and tr("Quit") == "Quitter"
    finally:
        if translator is not None:
            app.removeTranslator(translator)
    assert tr("Quit") == "Quit"
    assert install_translator(app, QLocale("de_DE"), str(tmp_path)) is None  # no German: the English texts

