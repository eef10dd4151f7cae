"""Look and words of the record PDF: fonts, colours, paragraph styles, table grids, times and answers as printed."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime, tzinfo
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.colors import Color, HexColor, white
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from ..domain.answer_text import CHECK_WORDS, NONE_TAKEN, UNANSWERED, YES_NO_WORDS, number_text, yes_no_code
from ..domain.forms import (
    CheckItem,
    ChoiceItem,
    DateTimeItem,
    FormDefinition,
    Item,
    MedicationListItem,
    NumberItem,
    YesNoItem,
)
from ..domain.lifecycle import Status
from ..domain.records import Answer
from ..shipped import resource_path

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONT_ITALIC = "DejaVuSans-Oblique"
_FONT_FILES = {FONT: "DejaVuSans.ttf", FONT_BOLD: "DejaVuSans-Bold.ttf", FONT_ITALIC: "DejaVuSans-Oblique.ttf"}

INK = HexColor("#1A1A1A")
MUTED = HexColor("#5F6368")
RULE = HexColor("#B8BEC6")
NAVY = HexColor("#1F3A5F")
DRAFT_RED = HexColor("#B3261E")
GREEN = HexColor("#1B7A3A")
RED = HexColor("#B3261E")
AMBER = HexColor("#F2B705")
AMBER_INK = HexColor("#3D2E00")
AMBER_TEXT = HexColor("#8A5A00")  # amber that still reads as text on white paper
PALE_RED = HexColor("#FCEBEA")
PALE_AMBER = HexColor("#FFF6DB")
PALE_NAVY = HexColor("#E6ECF4")
PALE_GREY = HexColor("#F3F4F6")

STATE = {
    "ready": ("✓  READY", GREEN, white),
    "not_ready": ("✗  NOT READY", RED, white),
    "incomplete": ("!  INCOMPLETE", AMBER, AMBER_INK),
}
STATUS: dict[str, tuple[str, Color]] = {
    Status.DRAFT: ("DRAFT", RED),
    Status.SIGNED: ("SIGNED", GREEN),
    Status.REVIEWED: ("SIGNED · REVIEWED", GREEN),
    Status.AMENDED: ("AMENDED", NAVY),
    Status.CANCELLED: ("CANCELLED", RED),
}
SIDE = {
    "left": "Left",
    "right": "Right",
    "bilateral": "Bilateral",
    "midline": "Midline",
    "not_applicable": "Not applicable",
}
HOLD_STATUS = {
    "ok": ("✓ Held long enough", GREEN),
    "no_hold": ("No hold needed", INK),
    "shared": ("! Shared decision", AMBER_TEXT),
    "in_range": ("! Within range", AMBER_TEXT),
    "lab_pending": ("! Needs the lab", AMBER_TEXT),
    "too_short": ("✗ Too short", RED),
    "not_in_table": ("✗ Proceduralist decides", RED),
}


def register_fonts() -> None:
    """Register DejaVu (regular, bold, oblique) once; every glyph of the record comes from these."""
    if FONT_ITALIC in pdfmetrics.getRegisteredFontNames():
        return
    for name, filename in _FONT_FILES.items():
        with open(resource_path("fonts", filename), "rb") as font:
            data = io.BytesIO(font.read())
        data.name = filename  # reportlab names the font file from this
        pdfmetrics.registerFont(TTFont(name, data))
    # No bold-oblique is shipped; bold is the safer fallback for emphasis.
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD)


def pstyle(
    name: str, size: float = 8.5, font: str = FONT, color: Color = INK, lead: float | None = None, **kw: Any
) -> ParagraphStyle:
    """A paragraph style in DejaVu; leading 1.28 × size unless given."""
    return ParagraphStyle(name, fontName=font, fontSize=size, leading=lead or size * 1.28, textColor=color, **kw)


S = {
    "body": pstyle("body"),
    "small": pstyle("small", 7.5, color=MUTED),
    "cell": pstyle("cell", 8.3),
    "head": pstyle("head", 7.2, FONT_BOLD, MUTED),
    "label": pstyle("label", 6.8, FONT_BOLD, MUTED, spaceAfter=1),
    "kicker": pstyle("kicker", 7.5, FONT_BOLD, MUTED),
    "title": pstyle("title", 12.5, FONT_BOLD, NAVY, 15),
    "proc": pstyle("proc", 11, FONT_BOLD, INK, 13.5),
    "h2": pstyle("h2", 10.5, FONT_BOLD, NAVY, 13, spaceBefore=10, spaceAfter=4),
    "h2_keep": pstyle("h2_keep", 10.5, FONT_BOLD, NAVY, 13, spaceBefore=10, spaceAfter=4, keepWithNext=1),
    "sec": pstyle("sec", 9.5, FONT_BOLD, NAVY),
    "pill": pstyle("pill", 9, FONT_BOLD, white, alignment=TA_CENTER),
}


def esc(text: object) -> str:
    return escape(str(text))


def offset_text(moment: datetime) -> str:
    """'UTC−05:00' (a real minus sign: it is printed, not parsed)."""
    offset = moment.utcoffset()
    minutes = int(offset.total_seconds()) // 60 if offset is not None else 0
    hh, mm = divmod(abs(minutes), 60)
    return f"UTC{'−' if minutes < 0 else '+'}{hh:02d}:{mm:02d}"


def when(moment: datetime, tz: tzinfo | None) -> str:
    """'Tue 24 Nov 2026 09:30' in the procedure's offset (named once in the header)."""
    return (moment.astimezone(tz) if tz else moment).strftime("%a %d %b %Y %H:%M")


def stamp(moment: datetime) -> str:
    """'2026-11-24 08:12 UTC−05:00': a time that carries its own offset."""
    return f"{moment:%Y-%m-%d %H:%M} {offset_text(moment)}"


def to_datetime(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return None
    return None


def duration(hours: float | None, preferred: float | None = None) -> str:
    """'72 h (3 d)', '72–120 h (3–5 d)': nurses count holds in days, the rules in hours."""
    if hours is None:
        return "—"
    if preferred is not None and preferred != hours:
        text = f"{hours:g}–{preferred:g} h"
        return text + (f" ({hours / 24:g}–{preferred / 24:g} d)" if hours % 24 == 0 and preferred % 24 == 0 else "")
    return f"{hours:g} h" + (f" ({hours / 24:g} d)" if hours >= 24 and hours % 24 == 0 else "")


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def p(text: str, style: str = "cell") -> Paragraph:
    return Paragraph(text, S[style])


def colored(text: str, color: Color, bold: bool = True) -> str:
    inner = f"<b>{text}</b>" if bold else text
    return f'<font color="{color.hexval().replace("0x", "#")}">{inner}</font>'


def answer_words(form: FormDefinition, item: Item, answer: Answer | None, tz: tzinfo | None) -> tuple[str, str]:
    """The answer as markup, and its tone: ok, bad, na, missing or plain."""
    value = None if answer is None else answer.value
    if value is None:
        return colored(UNANSWERED, AMBER_TEXT), "missing"
    if isinstance(item, CheckItem):
        if value == "met":
            return colored(f"{CHECK_WORDS['met']} ✓", GREEN), "ok"
        if value == "not_met":
            return colored(f"{CHECK_WORDS['not_met']} ✗", RED), "bad"
        if value == "na":
            reason = answer.reason if answer else ""
            na = f"<b>{CHECK_WORDS['na']}</b>"
            return na + (f" — {esc(reason)}" if reason else colored(" — no reason given", RED, False)), "na"
    if isinstance(item, YesNoItem) and (code := yes_no_code(value)) is not None:
        return YES_NO_WORDS[code], "plain"
    if isinstance(item, ChoiceItem):
        option = item.option(value) if isinstance(value, str) else None
        if option is not None:
            tone = {"blocker": "bad", "warning": "warn"}.get(option.effect or "", "plain")
            return esc(option.label), tone
    if isinstance(item, NumberItem) and isinstance(value, int | float) and not isinstance(value, bool):
        return esc(number_text(item, value)), "plain"
    if isinstance(item, DateTimeItem) and (moment := to_datetime(value)) is not None:
        return esc(when(moment, tz)), "plain"
    if isinstance(item, MedicationListItem) and isinstance(value, list | tuple):
        return medicines_words(form, value, tz), "plain"
    return esc(value), "plain"


def medicines_words(form: FormDefinition, entries: Sequence[Any], tz: tzinfo | None) -> str:
    if not entries:
        return NONE_TAKEN
    if len(entries) > 6:  # the hold table lists each one; a cell this long would not fit a page row
        return f"<b>{len(entries)} medicines</b> — each with its last dose in the hold table above"
    lines = []
    for entry in entries:
        data = entry if isinstance(entry, dict) else (entry.model_dump() if hasattr(entry, "model_dump") else {})
        drug = form.drug_table.get(str(data.get("drug")))
        name = drug.name if drug else str(data.get("drug", "?"))
        last = to_datetime(data.get("last_dose_at"))
        dose = f" {esc(data['dose'])}" if data.get("dose") else ""
        # Short date: the hold table gives the full one; this column is narrow.
        last_text = (last.astimezone(tz) if tz else last).strftime("%d %b %H:%M") if last else "?"
        lines.append(f"<b>{esc(name)}</b>{dose} · last {esc(last_text)}")
    return "<br/>".join(lines)


def styled(table: Table, commands: Sequence[tuple[Any, ...]]) -> Table:
    """Apply a style; string cells (even empty ones) are drawn in the table's font, Helvetica unless told."""
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), *commands]))
    return table


def grid(
    rows: list[list[Any]],
    widths: Sequence[float],
    extra: Sequence[tuple[Any, ...]] = (),
    header: bool = True,
    repeat: int = 1,
) -> Table:
    table = Table(rows, colWidths=list(widths), repeatRows=repeat if header else 0)
    style: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 5),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
    ]
    if header:
        style += [
            ("BACKGROUND", (0, repeat - 1), (-1, repeat - 1), PALE_GREY),
            ("LINEBELOW", (0, repeat - 1), (-1, repeat - 1), 0.8, MUTED),
        ]
    return styled(table, style + list(extra))


TALL = 400.0  # points: over half a page frame; a table row this tall cannot move to the next page


def boxed(content: list[Flowable], width: float, commands: Sequence[tuple[Any, ...]]) -> list[Flowable]:
    """A framed one-cell table, or the bare flowables when they are too tall for one page.

    A table row cannot break across pages (reportlab stops with a LayoutError), a paragraph can: a very
    long override or amendment reason loses its frame rather than stopping the print.
    """
    table = styled(Table([[content]], colWidths=[width]), commands)
    _, height = table.wrap(width, 1e6)
    return [table] if height <= TALL else list(content)
