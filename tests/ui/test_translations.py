"""Translation-ready: every UI module uses tr(), no literal reaches a widget's text, the catalogue is current, and
a .qm for the locale is loaded. test_translated_screens checks what the main screens actually show."""

from __future__ import annotations

import ast
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

# Modules that show no text of their own (they show what their callers pass, or nothing).
NO_TEXT_OF_THEIR_OWN = {
    "cases/cases_page.py",
    "checklist/answer_button.py",
    "dashboard/bar_delegate.py",
    "shell/fields.py",
    "shell/i18n.py",
    "shell/session.py",
    "shell/single_instance.py",
    "shell/window_state.py",
    "shell/worker.py",
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


def test_every_ui_module_is_wrapped() -> None:
    ui = ROOT / "checklist_app" / "ui"
    modules = {p.relative_to(ui).as_posix() for p in ui.rglob("*.py") if p.name != "__init__.py"}
    imports_tr = re.compile(r"^from \S*i18n import .*\btr\b", re.M)
    wrapped = {m for m in modules if imports_tr.search((ui / m).read_text(encoding="utf-8"))}
    assert modules - wrapped - NO_TEXT_OF_THEIR_OWN == set(), "a new module: wrap its texts"


# Qt calls whose text argument the user reads: a literal there bypasses tr() even on a screen no test opens.
TEXT_SETTERS = {
    "setText",
    "setWindowTitle",
    "setToolTip",
    "setPlaceholderText",
    "setAccessibleName",
    "setAccessibleDescription",
    "setStatusTip",
    "setSpecialValueText",
    "setTitle",
    "addRow",
    "addMenu",
    "addItem",
    "addTab",
    "QLabel",
    "QPushButton",
    "QCheckBox",
    "QRadioButton",
    "QGroupBox",
    "QAction",
}


def _plain_words(node: ast.expr) -> bool:
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and re.search(r"[A-Za-z]", node.value) is not None
    if isinstance(node, ast.JoinedStr):
        return any(_plain_words(part) for part in node.values if isinstance(part, ast.Constant))
    return False


def test_no_literal_text_goes_to_a_widget() -> None:
    ui = ROOT / "checklist_app" / "ui"
    found = []
    for path in sorted(ui.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and node.args:
                name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                if name in TEXT_SETTERS and _plain_words(node.args[0]):
                    found.append(f"{path.relative_to(ui)}:{node.lineno}")
    assert found == []


def test_the_catalogue_is_current(tmp_path: Path) -> None:
    """scripts/translations regenerates it; a tr() added without running it fails here."""
    fresh = tmp_path / "fresh.ts"
    files = sorted(str(p) for p in (ROOT / "checklist_app" / "ui").rglob("*.py"))
    subprocess.run(
        [str(LUPDATE), "-no-obsolete", "-locations", "none", *files, "-ts", str(fresh)], check=True, capture_output=True
    )
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
        "<source>Quit</source>\n        <translation>Quitter</translation>",
    )
    assert "Quitter" in text
    ts.write_text(text.replace('<TS version="2.1">', '<TS version="2.1" language="fr">'), encoding="utf-8")
    subprocess.run(
        [str(LRELEASE), str(ts), "-qm", str(tmp_path / "checklist_app_fr.qm")], check=True, capture_output=True
    )
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
