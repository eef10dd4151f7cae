"""The record PDF's content, top to bottom: header, verdict banner, findings, medicines, checklist, signatures."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.barcode.code128 import Code128
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import Color, HexColor, white
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

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
from ..domain.records import Answer
from ..domain.timefmt import hours_text
from .pdf import PREPARED_FIELD, REVIEWED_FIELD, RecordDocument, SignatureBlock, SignatureSlot, qr_payload
from .pdf_layout import FONT, FONT_BOLD, FONT_ITALIC, INK, MUTED, NAVY, RULE

GREEN = HexColor("#1B7A3A")
RED = HexColor("#B3261E")
AMBER = HexColor("#F2B705")
AMBER_INK = HexColor("#3D2E00")
AMBER_TEXT = HexColor("#8A5A00")  # amber that still reads as text on white paper
PALE_RED = HexColor("#FCEBEA")
PALE_AMBER = HexColor("#FFF6DB")
PALE_NAVY = HexColor("#E6ECF4")
PALE_GREY = HexColor("#F3F4F6")

_STATE = {
    "ready": ("✓  READY", GREEN, white),
    "not_ready": ("✗  NOT READY", RED, white),
    "incomplete": ("!  INCOMPLETE", AMBER, AMBER_INK),
}
_STATUS = {
    "draft": ("DRAFT", RED), "signed": ("SIGNED", GREEN), "reviewed": ("SIGNED · REVIEWED", GREEN),
    "amended": ("AMENDED", NAVY),
}
_SIDE = {"left": "Left", "right": "Right", "bilateral": "Bilateral", "midline": "Midline",
         "not_applicable": "Not applicable"}
_HOLD_STATUS = {
    "ok": ("✓ Held long enough", GREEN), "no_hold": ("No hold needed", INK),
    "shared": ("! Shared decision", AMBER_TEXT), "in_range": ("! Within range", AMBER_TEXT),
    "too_short": ("✗ Too short", RED),
}
STAMP_SIZE = (236.0, 62.0)  # three lines of pyHanko's 9 pt stamp text, long names included


def _style(name: str, size: float = 8.5, font: str = FONT, color: Color = INK, lead: float | None = None,
           **kw: Any) -> ParagraphStyle:
    return ParagraphStyle(name, fontName=font, fontSize=size, leading=lead or size * 1.28, textColor=color, **kw)


S = {
    "body": _style("body"),
    "small": _style("small", 7.5, color=MUTED),
    "cell": _style("cell", 8.3),
    "cell_b": _style("cell_b", 8.3, FONT_BOLD),
    "head": _style("head", 7.2, FONT_BOLD, MUTED),
    "label": _style("label", 6.8, FONT_BOLD, MUTED, spaceAfter=1),
    "kicker": _style("kicker", 7.5, FONT_BOLD, MUTED),
    "title": _style("title", 12.5, FONT_BOLD, NAVY, 15),
    "name": _style("name", 16, FONT_BOLD, INK, 19),
    "proc": _style("proc", 11, FONT_BOLD, INK, 13.5),
    "h2": _style("h2", 10.5, FONT_BOLD, NAVY, 13, spaceBefore=10, spaceAfter=4),
    "h2_keep": _style("h2_keep", 10.5, FONT_BOLD, NAVY, 13, spaceBefore=10, spaceAfter=4, keepWithNext=1),
    "sec": _style("sec", 9.5, FONT_BOLD, NAVY),
    "right": _style("right", 7.5, color=MUTED, alignment=TA_RIGHT),
    "pill": _style("pill", 9, FONT_BOLD, white, alignment=TA_CENTER),
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


def p(text: str, style: str = "cell") -> Paragraph:
    return Paragraph(text, S[style])


def colored(text: str, color: Color, bold: bool = True) -> str:
    inner = f"<b>{text}</b>" if bold else text
    return f'<font color="{color.hexval().replace("0x", "#")}">{inner}</font>'


# ---------------------------------------------------------------- answers in words


def answer_words(form: FormDefinition, item: Item, answer: Answer | None, tz: tzinfo | None) -> tuple[str, str]:
    """The answer as markup, and its tone: ok, bad, na, missing or plain."""
    value = None if answer is None else answer.value
    if value is None:
        return colored("Not answered", AMBER_TEXT), "missing"
    if isinstance(item, CheckItem):
        if value == "met":
            return colored("Met ✓", GREEN), "ok"
        if value == "not_met":
            return colored("Not met ✗", RED), "bad"
        if value == "na":
            reason = answer.reason if answer else ""
            return "<b>N/A</b>" + (f" — {esc(reason)}" if reason else colored(" — no reason given", RED, False)), "na"
    if isinstance(item, YesNoItem) and value in ("yes", "no", True, False):
        return ("Yes" if value in ("yes", True) else "No"), "plain"
    if isinstance(item, ChoiceItem):
        option = item.option(value) if isinstance(value, str) else None
        if option is not None:
            tone = {"blocker": "bad", "warning": "warn"}.get(option.effect or "", "plain")
            return esc(option.label), tone
    if isinstance(item, NumberItem) and isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value:.{item.decimals}f}" + (f" {esc(item.unit)}" if item.unit else ""), "plain"
    if isinstance(item, DateTimeItem) and (moment := to_datetime(value)) is not None:
        return esc(when(moment, tz)), "plain"
    if isinstance(item, MedicationListItem) and isinstance(value, list | tuple):
        return medicines_words(form, value, tz), "plain"
    return esc(value), "plain"


def medicines_words(form: FormDefinition, entries: Sequence[Any], tz: tzinfo | None) -> str:
    if not entries:
        return "None taken"
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


# ---------------------------------------------------------------- header


def title_block(doc: RecordDocument, width: float) -> Table:
    word, color = _STATUS[doc.status]
    pill = Table([[p(word, "pill")]], colWidths=[118], rowHeights=[17])
    styled(pill, [("BACKGROUND", (0, 0), (-1, -1), color), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                  ("ROUNDEDCORNERS", [3, 3, 3, 3])])
    kicker = p(f"PRE-PROCEDURE READINESS RECORD  ·  RECORD <font color='#1A1A1A'>{esc(doc.record_id)}</font>",
               "kicker")
    # The title gets the full width under the status pill: it is long and should stay on one line.
    table = Table([[kicker, pill], [p(esc(doc.form.title), "title"), ""]], colWidths=[width - 124, 124])
    styled(table, [("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                   ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                   ("SPAN", (0, 1), (1, 1)), ("TOPPADDING", (0, 0), (-1, -1), 0),
                   ("BOTTOMPADDING", (0, 0), (-1, 0), 2), ("BOTTOMPADDING", (0, 1), (-1, 1), 6),
                   ("LINEBELOW", (0, 1), (-1, 1), 1.4, NAVY)])
    return table


def patient_block(doc: RecordDocument, width: float) -> Table:
    rec, form = doc.record, doc.form
    tz = rec.procedure.scheduled_at.tzinfo
    age = doc.readiness.computed.get("age")
    sex = rec.patient.sex.capitalize()
    patient_width = width * 0.42
    patient = [
        p("PATIENT", "label"), fitted_name(rec.patient.name, patient_width - 8),
        p(f"DOB <b>{rec.patient.birth_date:%Y-%m-%d}</b>" + (f" ({age} y)" if age is not None else "")
          + f"  ·  {esc(sex)}"),
        p(f"MRN <b>{esc(rec.patient.mrn)}</b>"), Spacer(1, 3), mrn_barcode(rec.patient.mrn),
    ]
    ptype = form.procedure_table.get(rec.procedure.type)
    scheduled = rec.procedure.scheduled_at
    lines = [p("PROCEDURE", "label"), p(esc(ptype.label if ptype else rec.procedure.type), "proc")]
    level = esc(rec.procedure.level) or "—"
    side = _SIDE.get(rec.procedure.laterality or "", "—")
    lines.append(p(f"Level <b>{level}</b>  ·  Side <b>{side}</b>"))
    lines.append(p(f"Scheduled <b>{esc(when(scheduled, tz))}</b>"))
    checked = to_datetime(doc.readiness.computed.get("procedure_time"))
    if checked is not None and checked != scheduled:
        lines.append(p(f"Checked for a start at <b>{esc(when(checked, tz))}</b> (case delayed)"))
    risk = doc.readiness.computed.get("risk_class")
    if risk:
        lines.append(p(f"Bleeding-risk class <b>{esc(risk)}</b>"))
    lines.append(p(f"All times {offset_text(scheduled)}, the procedure's local offset", "small"))
    qr_size = 78.0
    qr = Drawing(qr_size, qr_size, initialFontName=FONT)
    qr.add(QrCodeWidget(qr_payload(doc), barWidth=qr_size, barHeight=qr_size, barBorder=2, barLevel="M"))
    qr_cell = [qr, p("Record id + hash", "small")]
    table = Table([[patient, lines, qr_cell]], colWidths=[patient_width, width - patient_width - 86, 86])
    styled(table, [
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 8), ("RIGHTPADDING", (2, 0), (2, 0), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 8), ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
        ("LINEBEFORE", (1, 0), (1, 0), 0.6, RULE), ("LEFTPADDING", (1, 0), (1, 0), 10),
        ("ALIGN", (2, 0), (2, 0), "RIGHT"),
    ])
    return table


def fitted_name(name: str, width: float) -> Paragraph:
    """The patient's name on one line when it can be (down to 12 pt); a very long one wraps instead."""
    size = 16.0
    while size > 12 and pdfmetrics.stringWidth(name, FONT_BOLD, size) > width:
        size -= 0.5
    return Paragraph(esc(name), _style("name_fit", size, FONT_BOLD, INK, size * 1.2))


def mrn_barcode(mrn: str) -> Flowable:
    """Code 128 of the MRN, or a note when the MRN has characters Code 128 cannot carry (a wrong scan is worse)."""
    if mrn.isascii() and mrn.isprintable():
        # Human-readable text off: the MRN is printed just above in DejaVu; fontName still set so no base-14 font.
        return Code128(mrn, barHeight=20, barWidth=0.85, humanReadable=0, fontName=FONT, fontSize=7)
    return p("No barcode: the MRN has characters Code 128 cannot encode", "small")


class Banner(Flowable):
    """The verdict in one glance: a coloured band with the word in large type (never colour alone)."""

    WORD_SIZE = 27.0
    PAD = 14.0

    def __init__(self, word: str, fill: Color, ink: Color, lines: Sequence[str]) -> None:
        super().__init__()
        self.word, self.fill, self.ink = word, fill, ink
        text = f"<b><font size=9.5>{esc(lines[0])}</font></b>" + "".join(f"<br/>{esc(x)}" for x in lines[1:])
        self.text = Paragraph(text, _style("banner", 8.5, color=ink, lead=11.5))
        self.word_width = pdfmetrics.stringWidth(word, FONT_BOLD, self.WORD_SIZE)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        text_width = avail_width - self.word_width - 3 * self.PAD - 10
        _, text_height = self.text.wrap(text_width, avail_height)
        self.height = max(54.0, text_height + 2 * self.PAD)
        return avail_width, self.height

    def draw(self) -> None:
        c = self.canv
        c.setFillColor(self.fill)
        c.roundRect(0, 0, self.width, self.height, 4, stroke=0, fill=1)
        c.setFillColor(self.ink)
        c.setFont(FONT_BOLD, self.WORD_SIZE)
        c.drawString(self.PAD, self.height / 2 - self.WORD_SIZE * 0.35, self.word)
        _, text_height = self.text.wrap(self.width - self.word_width - 3 * self.PAD - 10, self.height)
        self.text.drawOn(c, self.word_width + 2 * self.PAD + 10, (self.height - text_height) / 2)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def banner(doc: RecordDocument) -> Banner:
    r = doc.readiness
    word, fill, ink = _STATE[r.state]
    if r.state == "ready":
        lines = ["No blockers, nothing missing", "Ready for the procedure as checked"]
        if r.warnings:
            lines[1] = f"{_plural(len(r.warnings), 'warning')} to note below"
    elif r.state == "not_ready":
        lines = [f"{_plural(len(r.blockers), 'blocker')} — do not proceed",
                 "Resolve them, or sign only with a documented override"]
        if r.missing:
            lines.append(f"{_plural(len(r.missing), 'required item')} also not answered")
    else:
        lines = [f"{_plural(len(r.missing), 'required item')} not answered",
                 "No blockers so far; complete the checklist before the procedure"]
    return Banner(word, fill, ink, lines)


# ---------------------------------------------------------------- findings


def styled(table: Table, commands: Sequence[tuple[Any, ...]]) -> Table:
    """Apply a style; string cells (even empty ones) are drawn in the table's font, Helvetica unless told."""
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), *commands]))
    return table


def _grid(rows: list[list[Any]], widths: Sequence[float], extra: Sequence[tuple[Any, ...]] = (),
          header: bool = True, repeat: int = 1) -> Table:
    table = Table(rows, colWidths=list(widths), repeatRows=repeat if header else 0)
    style: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 5), ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5), ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
    ]
    if header:
        style += [("BACKGROUND", (0, repeat - 1), (-1, repeat - 1), PALE_GREY),
                  ("LINEBELOW", (0, repeat - 1), (-1, repeat - 1), 0.8, MUTED)]
    return styled(table, style + list(extra))


def item_text(form: FormDefinition, item_id: str) -> str:
    item = form.items.get(item_id)
    return esc(item.text if item else item_id)


def finding_text(form: FormDefinition, item_id: str, reason: str) -> str:
    """Item in bold, then the reason; a reason that already names the item is not preceded by it again."""
    item = form.items.get(item_id)
    if item is not None and item.text in reason:
        return esc(reason).replace(esc(item.text), f"<b>{esc(item.text)}</b>", 1)
    return f"<b>{item_text(form, item_id)}</b><br/>{esc(reason)}"


def findings(doc: RecordDocument, width: float) -> list[Flowable]:
    r, form, out = doc.readiness, doc.form, []
    override = next((s for s in doc.signatures if s.override_reason), None)
    if r.blockers:
        out.append(p(f"Blockers — {len(r.blockers)}", "h2"))
        rows: list[list[Any]] = [[p("", "head"), p("ITEM AND REASON", "head"), p("OVERRIDE", "head")]]
        for b in r.blockers:
            kind = ("Hard stop — no override" if b.hard_stop else
                    "Allowed with a documented reason" if b.override_allowed else "Not allowed")
            rows.append([p(colored("✗", RED)), p(finding_text(form, b.item, b.reason)), p(kind, "small")])
        out.append(_grid(rows, [16, width - 16 - 132, 132], [("BACKGROUND", (0, 1), (-1, -1), PALE_RED)]))
    if override is not None:
        text = (f"<b>Signed with a documented override</b> by {esc(override.full_name)} "
                f"({esc(override.username)}), {esc(stamp(override.signed_at))}.<br/>"
                f"<b>Reason:</b> {esc(override.override_reason)}")
        box = Table([[p(text)]], colWidths=[width])
        styled(box, [("BOX", (0, 0), (-1, -1), 1.2, RED), ("BACKGROUND", (0, 0), (-1, -1), white),
                                 ("LEFTPADDING", (0, 0), (-1, -1), 7), ("TOPPADDING", (0, 0), (-1, -1), 5),
                                 ("BOTTOMPADDING", (0, 0), (-1, -1), 6)])
        out += [Spacer(1, 5), box]
    if r.warnings:
        out.append(p(f"Warnings — {len(r.warnings)}", "h2"))
        rows = [[p(colored("!", AMBER_TEXT)), p(finding_text(form, w.item, w.reason))] for w in r.warnings]
        out.append(_grid(rows, [16, width - 16], [("BACKGROUND", (0, 0), (-1, -1), PALE_AMBER)], header=False))
    if r.missing:
        out.append(p(f"Missing — {_plural(len(r.missing), 'required item')} not answered", "h2"))
        rows = [[p(colored("?", AMBER_TEXT)), p(item_text(form, m)), p(esc(m), "small")] for m in r.missing]
        out.append(_grid(rows, [16, width - 16 - 150, 150], [("BACKGROUND", (0, 0), (-1, -1), PALE_AMBER)],
                         header=False))
    return out


# ---------------------------------------------------------------- medicines and fasting


def medicines(doc: RecordDocument, width: float) -> list[Flowable]:
    rows_in = doc.readiness.computed.get("anticoagulants") or []
    if "anticoagulants" not in doc.readiness.applicable and not rows_in:
        return []
    tz = doc.record.procedure.scheduled_at.tzinfo
    risk = doc.readiness.computed.get("risk_class", "")
    out: list[Flowable] = [p("Antithrombotic medicines — hold before the procedure", "h2")]
    if not rows_in:
        answered = doc.record.value("anticoagulants")
        out.append(p("None taken (recorded)." if answered == [] else "Not recorded yet."))
        return out
    offset = offset_text(doc.record.procedure.scheduled_at)
    head = ["MEDICINE", "LAST DOSE", "REQUIRED HOLD", "HELD", f"ELIGIBLE FROM ({offset})", "RESTART AFTER", "STATUS"]
    rows: list[list[Any]] = [[p(h, "head") for h in head]]
    extra: list[tuple[Any, ...]] = []
    unconfirmed = False
    for n, row in enumerate(rows_in, start=1):
        status = row.get("status", "")
        required = {"no_hold": "None", "shared": "Shared decision"}.get(
            status, duration(row.get("required_hours"), row.get("preferred_hours")))
        if not row.get("confirmed", True):
            unconfirmed = True
            required += " " + colored("†", RED)
        eligible = to_datetime(row.get("eligible_at"))
        preferred = to_datetime(row.get("preferred_at"))
        elig = f"<b>{esc(when(eligible, tz))}</b>" if eligible else "—"
        if preferred is not None and preferred != eligible:
            elig += f"<br/><font size=7>preferred {esc(when(preferred, tz))}</font>"
        last = to_datetime(row.get("last_dose_at"))
        word, color = _HOLD_STATUS.get(status, (esc(status), INK))
        rows.append([p(f"<b>{esc(row.get('name', row.get('drug', '')))}</b>"),
                     p(esc(when(last, tz)) if last else "—"), p(required),
                     p(hours_text(float(row.get("elapsed_hours", 0)))), p(elig),
                     p(esc(row.get("restart_after") or "—")), p(colored(word, color))])
        if status == "too_short":
            extra.append(("BACKGROUND", (0, n), (-1, n), PALE_RED))
        elif status in ("shared", "in_range"):
            extra.append(("BACKGROUND", (0, n), (-1, n), PALE_AMBER))
    fractions = (0.165, 0.135, 0.14, 0.085, 0.175, 0.135, 0.165)
    out.append(_grid(rows, [width * f for f in fractions], extra))
    source = doc.form.source_text(doc.form.items["anticoagulants"].source) if "anticoagulants" in doc.form.items else ""
    note = f"Rules for a <b>{esc(risk)}</b> bleeding-risk procedure" + (f" — {esc(source)}." if source else ".")
    if unconfirmed:
        note += " " + colored("†", RED) + " Guideline number needs clinician confirmation."
    out.append(Spacer(1, 3))
    out.append(p(note, "small"))
    return out


def fasting(doc: RecordDocument, width: float) -> list[Flowable]:
    data = doc.readiness.computed.get("fasting") or {}
    if not data.get("required"):
        return []
    out: list[Flowable] = [p("Fasting", "h2")]
    results = data.get("items") or []
    if not results:
        out.append(p(colored("Fasting times not recorded yet.", AMBER_TEXT, False)))
    for result in results:
        mark = colored("✓", GREEN) if result.get("ok") else colored("✗", RED)
        out.append(p(f"{mark}  {esc(result.get('reason', ''))}"))
    return out


# ---------------------------------------------------------------- checklist sections


def sections(doc: RecordDocument, width: float) -> list[list[Flowable]]:
    """One group of flowables per form section (the first carries the 'Checklist' heading)."""
    form, rec, r = doc.form, doc.record, doc.readiness
    tz = rec.procedure.scheduled_at.tzinfo
    applicable = set(r.applicable)
    blocked = {b.item for b in r.blockers}
    warned = {w.item for w in r.warnings}
    widths = [width * 0.53, width * 0.25, width * 0.22]
    groups: list[list[Flowable]] = []
    for number, section in enumerate(form.sections, start=1):
        out: list[Flowable] = [p("Checklist", "h2")] if number == 1 else []
        rows: list[list[Any]] = [
            [p(f"{number}. {esc(section.title)}", "sec"), "", ""],
            [p("ITEM", "head"), p("ANSWER", "head"), p("RECORDED BY / AT", "head")],
        ]
        extra: list[tuple[Any, ...]] = [("SPAN", (0, 0), (-1, 0)), ("BACKGROUND", (0, 0), (-1, 0), PALE_NAVY),
                                        ("LINEBELOW", (0, 0), (-1, 0), 0, PALE_NAVY)]
        skipped = []
        for item in section.items:
            answer = rec.answers.get(item.id)
            if applicable and item.id not in applicable:
                skipped.append((item, answer))
                continue
            words, tone = answer_words(form, item, answer, tz)
            meta = esc(item.id) + (f" · {esc(form.source_text(item.source))}" if item.source else "")
            # The id and source run on after the text (not on a line of their own): a short item stays one line.
            text = f"{esc(item.text)}&nbsp; <font size=6.3 color='#80868B'>{meta}</font>"
            if answer is not None and answer.note and not (tone == "na" and answer.reason == answer.note.strip()):
                text += f"<br/><i>Note: {esc(answer.note)}</i>"
            who = ""
            if answer is not None and (answer.by or answer.at):
                # Day and time without weekday and year (both are in the header): keeps it to one line.
                at = (answer.at.astimezone(tz) if tz else answer.at).strftime("%d %b %H:%M") if answer.at else ""
                who = " · ".join(esc(x) for x in (answer.by or "", at) if x)
                if pdfmetrics.stringWidth(who, FONT, S["small"].fontSize) > widths[2] - 10:
                    who = who.replace(" · ", "<br/>")  # a long user id: break where it reads well
            rows.append([p(text), p(words), p(who, "small")])
            row = len(rows) - 1
            if item.id in blocked or tone == "bad":
                extra.append(("BACKGROUND", (0, row), (-1, row), PALE_RED))
            elif tone == "missing" or item.id in warned:
                extra.append(("BACKGROUND", (0, row), (-1, row), PALE_AMBER))
        out.append(_grid(rows, widths, extra, repeat=2))
        if skipped:
            names = "; ".join(esc(i.text) + (" (answered, not used)" if a is not None and a.value is not None
                                              else "") for i, a in skipped)
            out.append(p(f"Not applicable to this case: {names}", "small"))
        out.append(Spacer(1, 8))
        groups.append(out)
    return groups


# ---------------------------------------------------------------- amendment and signatures


def amendment(doc: RecordDocument, width: float) -> list[Flowable]:
    if not doc.supersedes_id:
        return []
    text = f"<b>Amendment</b> of record {esc(doc.supersedes_id)}; the earlier record is kept unchanged."
    if doc.amendment_reason:
        text += f"<br/><b>Reason:</b> {esc(doc.amendment_reason)}"
    box = Table([[p(text)]], colWidths=[width])
    styled(box, [("BOX", (0, 0), (-1, -1), 0.8, NAVY), ("BACKGROUND", (0, 0), (-1, -1), PALE_NAVY),
                             ("LEFTPADDING", (0, 0), (-1, -1), 7), ("BOTTOMPADDING", (0, 0), (-1, -1), 6)])
    return [Spacer(1, 6), box]


class SignatureBox(Flowable):
    """An empty, dashed rectangle where a pyHanko stamp goes; remembers where it was drawn."""

    def __init__(self, name: str, slots: dict[str, SignatureSlot], placeholder: str = "") -> None:
        super().__init__()
        self.name, self.slots, self.placeholder = name, slots, placeholder
        self.width, self.height = STAMP_SIZE

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        c.saveState()
        c.setStrokeColor(RULE)
        c.setLineWidth(0.8)
        c.setDash(3, 2)
        c.rect(0, 0, self.width, self.height, stroke=1, fill=0)
        if self.placeholder:
            c.setFillColor(MUTED)
            c.setFont(FONT_ITALIC, 8)
            c.drawCentredString(self.width / 2, self.height / 2 - 3, self.placeholder)
        c.restoreState()
        x1, y1 = c.absolutePosition(0, 0)
        x2, y2 = c.absolutePosition(self.width, self.height)
        self.slots[self.name] = SignatureSlot(page=c.getPageNumber() - 1,
                                              box=(round(x1, 2), round(y1, 2), round(x2, 2), round(y2, 2)))


def manifestation(sig: SignatureBlock) -> list[Flowable]:
    out: list[Flowable] = [
        p(esc(sig.meaning_title).upper(), "label"),
        p(f"<b>{esc(sig.full_name)}</b>", "proc"),
        p(f"User id <b>{esc(sig.username)}</b>  ·  {esc(sig.role_title)}"),
        p(f"Signed <b>{esc(stamp(sig.signed_at))}</b>  ·  meaning: {esc(sig.meaning_title)}"),
        Spacer(1, 2), p(f"<i>“{esc(sig.attestation)}”</i>", "cell"),
    ]
    if sig.override_reason:
        out += [Spacer(1, 2), p(colored("Override of NOT READY: ", RED) + esc(sig.override_reason))]
    return out


def signatures(doc: RecordDocument, width: float, slots: dict[str, SignatureSlot]) -> list[Flowable]:
    first = doc.signature("prepared", "amended")
    reviewer = doc.signature("reviewed")
    box_col = STAMP_SIZE[0] + 4
    draft = doc.is_draft
    if first is not None:
        left = manifestation(first)
        caption = f"{first.meaning_title} — digital signature"
    else:
        left = [p("PREPARED BY", "label"),
                p("Not signed — draft." if draft else "Not signed yet.", "proc"),
                p("The preparer's name, user id, role, time and attestation print here when the record is "
                  "signed.", "small")]
        caption = "Prepared by (nurse) — digital signature"
    review_caption = "Reviewed by (charge nurse) — digital signature"
    if reviewer is not None:
        review_left = manifestation(reviewer)
    else:
        review_left = [p("REVIEWED BY (CHARGE NURSE)", "label"),
                       p("Co-signed digitally after the preparer. The reviewer's name, user id, time and meaning "
                         "are in the signature in this box; check them in a PDF reader's signature panel or with "
                         "<font name='DejaVuSans-Bold'>checklist-app verify</font>.", "small")]
    placeholder = "Not signed (draft)" if draft else ""

    def stamp_cell(name: str, text: str) -> list[Flowable]:
        return [p(esc(text), "head"), Spacer(1, 3), SignatureBox(name, slots, placeholder)]

    rows = [[left, stamp_cell(PREPARED_FIELD, caption)],
            [review_left, stamp_cell(REVIEWED_FIELD, review_caption)]]
    table = Table(rows, colWidths=[width - box_col, box_col])
    styled(table, [
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (0, -1), 12), ("RIGHTPADDING", (1, 0), (1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 8), ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
        ("LINEBELOW", (0, 0), (-1, 0), 0.4, RULE),
    ])
    return [p("Signatures", "h2_keep"), table]


# ---------------------------------------------------------------- assembly


def build_story(doc: RecordDocument, width: float, slots: dict[str, SignatureSlot]) -> list[Flowable]:
    story: list[Flowable] = [title_block(doc, width), patient_block(doc, width), banner(doc)]
    story += amendment(doc, width)
    story += findings(doc, width)
    story += medicines(doc, width)
    story += fasting(doc, width)
    story += [Spacer(1, 4)]
    groups = sections(doc, width)
    for group in groups[:-1]:
        story += group
    # The last section goes with the signatures: they attest it, and a page of signatures alone looks orphaned.
    # (One flat KeepTogether: a nested one always reports itself too tall and forces a page break.)
    story.append(KeepTogether([*groups[-1], *signatures(doc, width, slots)]))
    return story


def footer_lines(doc: RecordDocument) -> tuple[str, str]:
    form = doc.form
    record_hash = f"record hash {doc.content_sha256[:16]}" if doc.content_sha256 else "unsigned draft"
    first = f"Form {form.id} v{form.version} · form hash {form.content_hash[:12]} · {record_hash}"
    second = f"Record {doc.record_id} · generated by {doc.generated_by} at {stamp(doc.generated_at)}"
    return first, second


def running_header(doc: RecordDocument) -> tuple[str, str]:
    pat = doc.record.patient
    return (f"{pat.name}  ·  DOB {pat.birth_date:%Y-%m-%d}  ·  MRN {pat.mrn}",
            f"Record {doc.record_id} · {_STATUS[doc.status][0]} · {_STATE[doc.readiness.state][0][3:]}")
