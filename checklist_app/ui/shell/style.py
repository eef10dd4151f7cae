"""Look and feel: the stylesheet and fonts from package resources, readiness words/glyphs, QSS properties."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QWidget

from ...shipped import resource_path
from .i18n import QT_TR_NOOP, tr

# Never colour alone: every state has its word and a glyph that differs in shape (WCAG 1.4.1).
STATE_STYLE: dict[str, tuple[str, str]] = {
    "ready": (QT_TR_NOOP("READY"), "✓"),
    "not_ready": (QT_TR_NOOP("NOT READY"), "✖"),
    "incomplete": (QT_TR_NOOP("INCOMPLETE"), "◐"),
}  # the words are shown through tr()
WARNING_GLYPH = "⚠"
FUSION = "Fusion"  # the style app.qss is written for, on every platform
FUSION_PROPERTY = "checklistMadeInFusion"  # set on a QApplication created with `-style Fusion`


def state_text(state: str) -> str:
    """'✓ READY' — what a nurse reads in the banner and the worklist."""
    word, glyph = STATE_STYLE.get(state, (state.upper(), "?"))
    return f"{glyph} {tr(word)}"


def set_prop(widget: QWidget, name: str, value: object, *, children: tuple[QWidget, ...] = ()) -> None:
    """Set a property the stylesheet selects on, and re-polish so the new look applies now.

    `children` are re-polished too: Qt does not restyle `QFrame[x="y"] #child` when only the parent changed.
    """
    if widget.property(name) == value:
        return
    widget.setProperty(name, value)
    for target in (widget, *children):
        style = target.style()
        style.unpolish(target)
        style.polish(target)


def load_stylesheet() -> str:
    with open(resource_path("styles", "app.qss"), encoding="utf-8") as qss:
        return qss.read()


def install_fonts() -> None:
    """Register the shipped DejaVu Sans, so the state glyphs render the same on every workstation."""
    from PySide6.QtGui import QFontDatabase  # here: the login window does not wait for its type (bench startup)

    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
        with open(resource_path("fonts", name), "rb") as font:
            QFontDatabase.addApplicationFontFromData(font.read())


def apply_style(app: QApplication, *, fonts: bool = True) -> None:
    """Fusion, the stylesheet, and (`fonts`) the shipped fonts. Start-up passes fonts=False and registers them
    behind the login window (QFontDatabase is thread-safe): the login window shows no state glyphs."""
    # Made in Fusion by app.new_application, or already Fusion (Linux): a new style object costs ~10 ms.
    if not app.property(FUSION_PROPERTY) and app.style().name().lower() != FUSION.lower():
        app.setStyle(FUSION)
    if fonts:
        install_fonts()
    app.setStyleSheet(load_stylesheet())
