"""Translation: `tr()` for every string the user sees, and the catalogue for the system's language loaded at start.

`scripts/translations` runs `pyside6-lupdate` over the UI and writes `resources/i18n/checklist_app.ts` (the
catalogue translators start from); a translation is `checklist_app_<lang>.qm` beside it (`pyside6-lrelease`).
"""

from __future__ import annotations

import os

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

from ...shipped import resource_path

CATALOGUE = "checklist_app"
# lupdate files a bare `tr("…")` under the empty context; the lookup uses the same one.
CONTEXT = ""


def tr(text: str, disambiguation: str | None = None) -> str:
    """`text` in the user's language (itself when there is no translation). Placeholders: tr("{n} records")
    .format(n=…), never an f-string (the catalogue must hold the text before the values go in)."""
    return QCoreApplication.translate(CONTEXT, text, disambiguation)


def catalogue_dir() -> str:
    return resource_path("i18n")


def install_translator(
    app: QCoreApplication, locale: QLocale | None = None, directory: str | None = None
) -> QTranslator | None:
    """Load checklist_app_<lang>.qm for the locale (e.g. _fr_CA, then _fr); None when there is none."""
    directory = directory or catalogue_dir()
    if not _has_translations(directory):
        return None  # no catalogue shipped at all: skip the locale lookup (the login window waits for it)
    translator = QTranslator(app)
    if not translator.load(locale or QLocale(), CATALOGUE, "_", directory, ".qm"):
        translator.deleteLater()
        return None
    app.installTranslator(translator)
    return translator


def _has_translations(directory: str) -> bool:
    try:
        return any(name.startswith(CATALOGUE + "_") and name.endswith(".qm") for name in os.listdir(directory))
    except OSError:
        return False


def QT_TR_NOOP(text: str) -> str:  # the name lupdate looks for
    """Marks a module-level text for the catalogue without translating it (that runs before the translator is
    installed); the code that shows it calls tr() on it."""
    return text
